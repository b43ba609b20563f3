"""The URL codec both ways, as tables written by hand, and the filter's one-line caption."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Display, Filters
from dashboard.ui.filter_state import (
    URL_KEYS,
    display_from_params,
    filters_from_params,
    params_for,
    params_from_display,
    params_from_filters,
    params_from_views,
    views_from_params,
)

DEFAULT_VIEWS = {"map.level": "country", "map.measure": "developments", "timeline.lane": "country"}

# (query parameters, the Filters they mean)
FILTER_CASES = [
    ({}, Filters()),
    ({"countries": "BA,XK"}, Filters(countries=("BA", "XK"))),
    ({"countries": " ba , xk ,"}, Filters(countries=("BA", "XK"))),
    ({"countries": "BA,BA"}, Filters(countries=("BA",))),
    # The corrupted link of bug 1 and other malformed codes: the bad parts are dropped.
    ({"countries": "BA,Kosovo (XK)"}, Filters(countries=("BA",))),
    ({"countries": "BIH,B,1A,XK"}, Filters(countries=("XK",))),
    ({"places": "ba-srp,XK-NORTH-MITROVICA"}, Filters(places=("BA-SRP", "XK-NORTH-MITROVICA"))),
    ({"places": "Republika Srpska,BA-"}, Filters()),
    ({"topics": "energy,EU-Integration"}, Filters(topics=("energy", "eu-integration"))),
    ({"topics": "gas deal,<script>"}, Filters()),
    ({"from": "2023-01-01", "to": "2023-12-31"}, Filters(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))),
    ({"from": "2023-02-30", "to": "yesterday"}, Filters()),
    ({"from": "1900-01-01", "to": "2099-01-01"}, Filters()),  # outside what the date pickers accept
    ({"q": "  Приштина gas "}, Filters(text="Приштина gas")),
    ({"q": "x" * 300}, Filters(text="x" * 200)),
    ({"undated": "0"}, Filters(include_undated=False)),
    ({"undated": "no"}, Filters()),
    ({"article": "12", "lane": "category"}, Filters()),  # other keys are not the filter's
    ({"datasets": "acled,gdelt"}, Filters(datasets=("acled", "gdelt"))),
    ({"datasets": "ACLED,wikipedia"}, Filters(datasets=("acled",))),
    ({"types": "Protests|Violence against civilians"}, Filters(event_types=("Protests", "Violence against civilians"))),
    ({"types": "Make statement, not specified||"}, Filters(event_types=("Make statement, not specified",))),
    ({"fatalities": "3", "sources": "2"}, Filters(min_fatalities=3, min_sources=2)),
    ({"fatalities": "0", "sources": "1"}, Filters()),  # no limit: left out
    ({"fatalities": "many", "sources": "-4"}, Filters()),
    ({"lowconf": "1"}, Filters(include_low_confidence=True)),
    ({"lowconf": "yes"}, Filters()),
]


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_filters_from_params(params, expected):
    assert filters_from_params(params) == expected


# (Filters, the query parameters that carry it)
FILTER_PARAMS_CASES = [
    (Filters(), {}),
    (Filters(countries=("BA", "XK")), {"countries": "BA,XK"}),
    (Filters(places=("BA-SRP",), topics=("energy", "military")), {"places": "BA-SRP", "topics": "energy,military"}),
    (Filters(date_from=date(2023, 1, 1)), {"from": "2023-01-01"}),
    (Filters(date_to=date(2023, 12, 31)), {"to": "2023-12-31"}),
    (Filters(text="  gas  "), {"q": "gas"}),
    (Filters(text="   "), {}),
    (Filters(datasets=("acled",), event_types=("Protests", "Riots")), {"datasets": "acled", "types": "Protests|Riots"}),
    (Filters(min_fatalities=1, min_sources=3), {"fatalities": "1", "sources": "3"}),
    (Filters(min_sources=1), {}),
    (Filters(include_low_confidence=True), {"lowconf": "1"}),
    (Filters(include_undated=False), {"undated": "0"}),
]


@pytest.mark.parametrize(("f", "expected"), FILTER_PARAMS_CASES)
def test_params_from_filters(f, expected):
    assert params_from_filters(f) == expected


DISPLAY_CASES = [
    ({}, Display()),
    ({"kosovo": "star"}, Display(kosovo_star=True)),
    ({"present": "1"}, Display(present=True)),
    ({"kosovo": "star", "present": "1"}, Display(kosovo_star=True, present=True)),
    ({"kosovo": "1", "present": "yes"}, Display()),
    ({"kosovo": "STAR", "present": "true"}, Display()),
]


@pytest.mark.parametrize(("params", "expected"), DISPLAY_CASES)
def test_display_from_params(params, expected):
    assert display_from_params(params) == expected


@pytest.mark.parametrize(("d", "expected"), [
    (Display(), {}),
    (Display(kosovo_star=True), {"kosovo": "star"}),
    (Display(present=True), {"present": "1"}),
    (Display(kosovo_star=True, present=True), {"kosovo": "star", "present": "1"}),
])
def test_params_from_display(d, expected):
    assert params_from_display(d) == expected


VIEW_CASES = [
    ({}, DEFAULT_VIEWS),
    ({"level": "place"}, {**DEFAULT_VIEWS, "map.level": "place"}),
    ({"measure": "expected", "lane": "category"},
     {**DEFAULT_VIEWS, "map.measure": "expected", "timeline.lane": "category"}),
    ({"level": "district", "measure": "Articles", "lane": ""}, DEFAULT_VIEWS),
]


@pytest.mark.parametrize(("params", "expected"), VIEW_CASES)
def test_views_from_params(params, expected):
    assert views_from_params(params) == expected


@pytest.mark.parametrize(("views", "expected"), [
    (DEFAULT_VIEWS, {}),
    ({}, {}),
    ({**DEFAULT_VIEWS, "map.level": "place", "timeline.lane": "place"}, {"level": "place", "lane": "place"}),
    ({"map.measure": "articles"}, {"measure": "articles"}),
    ({"map.level": None, "map.measure": "colour"}, {}),
])
def test_params_from_views(views, expected):
    assert params_from_views(views) == expected


def test_params_for_joins_the_three():
    f = Filters(countries=("XK",), date_from=date(2024, 5, 1))
    views = {**DEFAULT_VIEWS, "timeline.lane": "category"}
    assert params_for(f, Display(kosovo_star=True), views) == {
        "countries": "XK", "from": "2024-05-01", "kosovo": "star", "lane": "category"}
    assert params_for(f) == {"countries": "XK", "from": "2024-05-01"}


ROUND_TRIPS = [
    {},
    {"countries": "BA,XK", "places": "BA-SRP", "topics": "energy", "from": "2023-01-01", "to": "2023-12-31",
     "q": "gas", "undated": "0", "kosovo": "star", "present": "1", "level": "place", "measure": "articles",
     "lane": "category"},
    {"countries": "MD", "places": "MD-SN", "measure": "expected"},
]


@pytest.mark.parametrize("params", ROUND_TRIPS)
def test_round_trip_params_to_state_to_params(params):
    again = params_for(filters_from_params(params), display_from_params(params), views_from_params(params))
    assert again == params


def test_round_trip_state_to_params_to_state():
    f = Filters(countries=("RS", "XK"), places=("XK-NORTH",), topics=("security",), date_from=date(2022, 7, 31),
                date_to=date(2022, 9, 1), text="barricades", include_undated=False)
    d = Display(kosovo_star=True, present=True)
    views = {"map.level": "place", "map.measure": "articles", "timeline.lane": "place"}
    params = params_for(f, d, views)
    assert set(params) <= set(URL_KEYS)
    assert (filters_from_params(params), display_from_params(params), views_from_params(params)) == (f, d, views)


# --- the caption -------------------------------------------------------------------------------

DESCRIBE_CASES = [
    (Filters(), {}, "All countries, all dates"),
    (Filters(countries=("RS",), datasets=("acled", "gdelt"), min_fatalities=1), {},
     "Serbia; datasets: ACLED, GDELT (machine-coded); at least 1 fatality"),
    (Filters(event_types=("Protests",), min_sources=2), {}, "types: Protests; at least 2 sources"),
    (Filters(countries=("BA", "XK")), {}, "Bosnia and Herzegovina, Kosovo"),
    (Filters(countries=("XK",)), {"display": Display(kosovo_star=True)}, "Kosovo*"),
    (Filters(countries=("XK",)), {"display": Display(present=True)}, "Kosovo"),
    (Filters(countries=("ZZ",)), {}, "ZZ"),
    (Filters(places=("BA-SRP", "XK-PRISTINA")), {}, "Republika Srpska, Pristina"),
    (Filters(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)), {}, "2023-01-01 to 2023-12-31"),
    (Filters(date_from=date(2023, 1, 1)), {}, "from 2023-01-01"),
    (Filters(date_to=date(2023, 12, 31)), {}, "until 2023-12-31"),
    (Filters(topics=("energy", "military")), {}, "topics: energy, military"),
    (Filters(text=" gas "), {}, 'text "gas"'),
    (Filters(include_undated=False), {}, "dated items only"),
    (Filters(countries=("BA",), places=("BA-BRC",), date_from=date(2024, 3, 1), topics=("elections",),
             text="recount", include_undated=False), {},
     'Bosnia and Herzegovina; Brčko District; from 2024-03-01; topics: elections; text "recount"; dated items only'),
    # Names given by the caller win; codes they do not cover get their usual names.
    (Filters(countries=("XK", "RS")), {"country_names": {"XK": "Kosova"}}, "Kosova, Serbia"),
    (Filters(places=("MD-SN",)), {"place_names": {"BA-SRP": "RS entity"}}, "Transnistria"),
]


@pytest.mark.parametrize(("f", "kwargs", "expected"), DESCRIBE_CASES)
def test_describe(f, kwargs, expected):
    assert f.describe(**kwargs) == expected
