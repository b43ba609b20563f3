"""Figure builders and chart shaping: traces, colours, labels and margins, checked against values written
by hand; exported images checked pixel by pixel (kaleido and Debian Chromium)."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import plotly.io as pio
import pytest

from dashboard import charts, figures
from dashboard.briefing import figure_to_png
from dashboard.filters import Display, Filters

# --- small frames ---------------------------------------------------------------------------------

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {"name": code},
     "geometry": {"type": "Polygon", "coordinates": [[[x, 42], [x + 1, 42], [x + 1, 43], [x, 43], [x, 42]]]}}
    for x, code in ((19, "BA"), (20, "RS"), (21, "IT"))
]}


def _markers(categories: list[str | None]) -> pd.DataFrame:
    n = len(categories)
    return pd.DataFrame({
        "lat": [42.5] * n, "lon": [19.5 + i / 10 for i in range(n)], "id": [f"ev-{i}" for i in range(n)],
        "title": [f"Event {i}" for i in range(n)], "when": ["2023-05-29"] * n, "status": ["occurred"] * n,
        "category": categories,
    })


def _map(categories: list[str | None]):
    return figures.build_map_figure({"BA": 3, "RS": 1}, _markers(categories), GEOJSON, {"BA": "Bosnia"},
                                    focus=["BA", "RS"], center={"lat": 42.5, "lon": 20}, zoom=5)



def test_each_region_shape_is_in_the_map_figure_once():
    fig = _map(["protest"])
    regions = [t for t in fig.data if t.type == "choroplethmap"]
    shapes = [ft["id"] for t in regions for ft in t.geojson["features"]]
    # the fixture's three shapes, once each: the two focus countries and Italy for context
    assert sorted(shapes) == ["BA", "IT", "RS"]
    for t in regions:  # each trace has the shapes of its own regions
        assert sorted(ft["id"] for ft in t.geojson["features"]) == sorted(t.locations)

def _events(rows: list[tuple]) -> pd.DataFrame:
    """Events from ``(id, countries, category, status, start, end, precision)`` tuples."""
    return pd.DataFrame({
        "id": [r[0] for r in rows], "title": [f"Title {r[0]}" for r in rows], "summary": [""] * len(rows),
        "countries": [list(r[1]) for r in rows], "places": [[] for _ in rows], "category": [r[2] for r in rows],
        "display_status": [r[3] for r in rows], "date_start": [r[4] for r in rows], "date_end": [r[5] for r in rows],
        "date_precision": [r[6] for r in rows],
    })


def _timeline(rows: list[tuple], lane: str = "country", **kw):
    events, labels = charts.timeline_lanes(_events(rows), lane)
    return figures.build_timeline_figure(events, labels, **kw)


def _marker_colours(fig) -> dict[str, str]:
    """Legend name -> marker colour of the marker traces."""
    return {t.name: t.marker.color for t in fig.data if getattr(t, "mode", None) == "markers" and t.name}


D1, D2 = date(2023, 5, 29), date(2023, 6, 1)


# --- bug 6: one colour per category, status and country -------------------------------------------

def test_a_category_keeps_its_colour_whatever_else_the_filter_shows():
    alone = _marker_colours(_map(["separatism"]))
    with_others = _marker_colours(_map(["energy", "separatism", "crime"]))
    assert alone["separatism"] == with_others["separatism"]
    assert len(set(with_others.values())) == 3


def test_a_country_lane_keeps_its_colour_whatever_else_the_filter_shows():
    serbia = [("a", ["RS"], "politics", "occurred", D1, D1, "day")]
    kosovo = [("b", ["XK"], "politics", "occurred", D2, D2, "day")]
    alone = _marker_colours(_timeline(serbia))
    with_kosovo = _marker_colours(_timeline(serbia + kosovo))
    assert alone["Serbia"] == with_kosovo["Serbia"]
    assert with_kosovo["Serbia"] != with_kosovo["Kosovo"]


# --- bug 5: exported timelines keep lane labels and the date axis inside the image ---------------

@pytest.fixture
def app_template(monkeypatch):
    """The template the app process has: importing ``st.plotly_chart`` makes Streamlit's own template the
    default, and it has no ``automargin``, so nothing but the figure's own margins keeps labels in."""
    import streamlit.elements.plotly_chart  # noqa: F401 - registers the "streamlit" template

    monkeypatch.setattr(pio.templates, "default", "streamlit")


def _ink_at_edges(png: bytes, band: int = 2) -> dict[str, int]:
    """Non-white pixels in the outer ``band`` pixels of each edge of a PNG."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    px = img.load()

    def inked(xs, ys) -> int:
        return sum(1 for x in xs for y in ys if px[x, y] < 200)

    return {"left": inked(range(band), range(h)), "right": inked(range(w - band, w), range(h)),
            "top": inked(range(w), range(band)), "bottom": inked(range(w), range(h - band, h))}


@pytest.mark.parametrize(("lane", "width", "height"), [("place", 1200, 700), ("country", 900, None)])
def test_exported_timeline_keeps_labels_and_axis_inside_the_image(app_template, sample_engine, artifacts,
                                                                   lane, width, height):
    fig = charts.timeline_figure(sample_engine, Filters(), lane=lane)
    height = height or charts.static_timeline_height(fig)
    png = figure_to_png(fig, width=width, height=height, scale=1)
    (artifacts / f"timeline-export-{lane}.png").write_bytes(png)
    assert _ink_at_edges(png) == {"left": 0, "right": 0, "top": 0, "bottom": 0}


def test_the_chart_download_keeps_title_legend_labels_and_axis_apart(app_template, sample_engine, artifacts):
    fig = charts.timeline_figure(sample_engine, Filters(), lane="place")
    out = figures.export_figure(fig, "All countries, all dates", width=1200, height=700)
    # title 13 px: 19 + 12 = 31; one legend row at 14 px: 27 (the sample's place lanes take three
    # rows at 1200 px); 12 px gap
    assert out.layout.title.text == "All countries, all dates"
    assert out.layout.margin.t == 31 + 3 * 27 + 12
    png = figure_to_png(out, width=1200, height=700, scale=1)
    (artifacts / "timeline-chart-png.png").write_bytes(png)
    assert _ink_at_edges(png) == {"left": 0, "right": 0, "top": 0, "bottom": 0}


# --- the builders, value by value -------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "value", "colour"), [
    ("category", "security", "#1f77b4"),
    ("category", "separatism", "#ff7f0e"),
    ("category", "eu-integration", "#0e6655"),
    ("country", "AL", "#1f77b4"),
    ("country", "BA", "#2ca02c"),
    ("country", "XK", "#9467bd"),
    ("country", "RS", "#17becf"),
    ("place", "BA-SRP", "#1f77b4"),
    ("status", "overdue", "#c0392b"),
    ("status", "occurred", "#1f77b4"),
    ("category", None, "#b3b3b3"),
    ("category", "other", "#b3b3b3"),
    ("country", "—", "#b3b3b3"),
])
def test_fixed_colours(kind, value, colour):
    assert figures.colour_for(kind, value) == colour


def test_every_vocabulary_value_has_a_colour_of_its_own_and_unknown_ones_stay_clear_of_them():
    from dashboard.names import FOCUS_COUNTRIES
    from dashboard.vocab import CATEGORIES

    categories = [figures.colour_for("category", c) for c in CATEGORIES]
    focus = [figures.colour_for("country", c) for c in FOCUS_COUNTRIES]
    assert len(set(categories)) == 12 and len(set(focus)) == 9
    assert "#d62728" not in categories and figures.OVERDUE_COLOUR not in categories
    assert set(categories) | set(focus) <= set(figures.PALETTE)
    # a value outside the vocabulary: always the same colour, never a vocabulary value's
    assert figures.colour_for("category", "cyber") == figures.colour_for("category", "cyber")
    assert figures.colour_for("category", "cyber") not in categories
    assert figures.colour_for("country", "CZ") not in focus


@pytest.mark.parametrize(("lane", "display", "rows", "keys", "labels"), [
    ("country", figures.DEFAULT_DISPLAY, [["BA", "TR"], ["XK"], []], ["BA", "XK", "—"],
     {"BA": "Bosnia and Herzegovina", "XK": "Kosovo", "—": "—"}),
    ("country", Display(kosovo_star=True), [["XK", "RS"]], ["XK"], {"XK": "Kosovo*"}),
])
def test_timeline_lanes_by_country(lane, display, rows, keys, labels):
    events = pd.DataFrame({"countries": rows, "places": [[] for _ in rows], "category": [None] * len(rows)})
    out, names = charts.timeline_lanes(events, lane, display)
    assert list(out["lane"]) == keys and names == labels


def test_timeline_lanes_prefer_the_filter_and_name_empty_lanes():
    events = pd.DataFrame({"countries": [["BA", "TR"]], "places": [["BA-SRP", "BA-BRC"]], "category": [None]})
    assert list(charts.timeline_lanes(events, "country", prefer=("TR",))[0]["lane"]) == ["TR"]
    out, names = charts.timeline_lanes(events, "place", prefer=("BA-BRC",))
    assert list(out["lane"]) == ["BA-BRC"] and names == {"BA-BRC": "Brčko District"}
    # places named by the boundaries (districts, municipalities) keep their own lanes and names
    towns = pd.DataFrame({"countries": [["RS"], ["XK"]], "places": [["RS-00"], ["XK-ZVECAN"]], "category": [None, None]})
    assert charts.timeline_lanes(towns, "place")[1] == {"RS-00": "City of Belgrade", "XK-ZVECAN": "Zvečan"}
    none = pd.DataFrame({"countries": [[]], "places": [[]], "category": [None]})
    assert charts.timeline_lanes(none, "place")[1] == {"—": "no sub-national place"}
    assert charts.timeline_lanes(none, "category")[1] == {"other": "other"}


def test_timeline_traces_one_by_one():
    fig = _timeline([
        ("day", ["BA"], "politics", "occurred", D1, D1, "day"),
        ("month", ["RS"], "energy", "ongoing", date(2023, 3, 1), date(2023, 3, 31), "month"),
        ("gas", ["BA"], "energy", "overdue", date(2023, 1, 1), date(2023, 12, 31), "year"),
    ])
    bars = [t for t in fig.data if t.mode == "lines"]
    markers = {(t.name, t.marker.symbol): t for t in fig.data if t.mode == "markers"}
    # the month is a solid bar to the day after its end; the overdue year a dotted one
    month_bar = next(b for b in bars if b.line.dash == "solid")
    assert list(month_bar.x) == [date(2023, 3, 1), date(2023, 4, 1), None]
    assert list(month_bar.y) == ["Serbia", "Serbia", None] and month_bar.line.color == "#17becf"
    overdue_bar = next(b for b in bars if b.line.dash == "dot")
    assert list(overdue_bar.x) == [date(2023, 1, 1), date(2024, 1, 1), None]
    assert set(markers) == {("Bosnia and Herzegovina", "circle"), ("Serbia", "triangle-right"),
                            ("overdue", "diamond-open")}
    overdue = markers[("overdue", "diamond-open")]
    assert list(overdue.x) == [date(2023, 12, 31)] and overdue.marker.color == "#c0392b"
    assert overdue.customdata[0][3] == "overdue (expected, deadline passed with no recorded outcome)"
    assert markers[("Bosnia and Herzegovina", "circle")].marker.color == "#2ca02c"
    assert list(fig.layout.yaxis.categoryarray) == ["Serbia", "Bosnia and Herzegovina"]
    # legend: lanes by name, overdue last
    ranks = {t.name: t.legendrank for t in markers.values()}
    assert ranks["Bosnia and Herzegovina"] < ranks["Serbia"] < ranks["overdue"]
    # a click does not dim the other markers
    assert all(t.unselected.marker.opacity == 1 for t in markers.values())


def test_timeline_colours_by_category_on_request():
    fig = _timeline([("a", ["BA"], "separatism", "occurred", D1, D1, "day")], colour_by="category")
    (marker,) = [t for t in fig.data if t.mode == "markers"]
    assert (marker.name, marker.marker.color) == ("separatism", "#ff7f0e")


def test_timeline_margin_holds_the_longest_lane_label():
    # "Federation of Bosnia and Herzegovina" measured 239 px wide at 14 px in a kaleido PNG of the
    # timeline; at 20 px (presentation mode) 342 px
    rows = [("a", ["BA"], "politics", "occurred", D1, D1, "day")]
    events = _events(rows).assign(places=[["BA-BIH"]])
    lanes, labels = charts.timeline_lanes(events, "place")
    normal = figures.build_timeline_figure(lanes, labels, lane_kind="place")
    present = figures.build_timeline_figure(lanes, labels, lane_kind="place", display=Display(present=True))
    assert 239 + 10 <= normal.layout.margin.l <= 239 + 60
    assert 342 + 10 <= present.layout.margin.l <= 342 + 80
    # the date axis below: tick labels are about 1.2 x the font size tall
    assert normal.layout.margin.b >= 14 * 1.2 + 10 and present.layout.margin.b >= 20 * 1.2 + 10


def test_presentation_mode_enlarges_chart_text():
    rows = [("a", ["BA"], "politics", "occurred", D1, D1, "day")]
    normal, present = _timeline(rows), _timeline(rows, display=Display(present=True))
    assert (normal.layout.font.size, present.layout.font.size) == (14, 20)
    marker = [t for t in normal.data if t.mode == "markers"][-1]
    big_marker = [t for t in present.data if t.mode == "markers"][-1]
    assert big_marker.marker.size > marker.marker.size
    assert present.layout.height > normal.layout.height or present.layout.height == normal.layout.height == 320
    big_map = figures.build_map_figure({}, _markers(["crime"]), GEOJSON, {}, focus=["BA"], center={}, zoom=5,
                                       display=Display(present=True))
    assert big_map.layout.font.size == 20


def test_map_traces_keep_full_colour_when_a_marker_is_selected():
    fig = _map(["crime", None])
    regions = [t for t in fig.data if t.type == "choroplethmap"]
    markers = [t for t in fig.data if t.type == "scattermap"]
    assert [t.name for t in regions] == ["context", "regions"]
    assert all(t.unselected.marker.opacity == 1 and t.selected.marker.opacity == 1 for t in regions)
    assert [(t.name, t.marker.color, t.unselected.marker.opacity) for t in markers] == [
        ("crime", "#8c6d31", 0.9), ("other", "#b3b3b3", 0.9)]
    assert list(regions[0].locations) == ["IT"] and list(regions[1].locations) == ["BA", "RS"]
    assert list(regions[1].z) == [3, 1]


def test_map_markers_say_the_status_in_words(sample_engine):
    points, aggregated = charts.map_markers(sample_engine, Filters(countries=("BA",)), today=date(2024, 6, 1))
    assert not aggregated
    assert set(points["status"]) <= {"occurred", "ongoing", "statement", "expected",
                                     "overdue (expected, deadline passed with no recorded outcome)"}


def test_a_day_precision_range_is_labelled_as_a_range():
    from datetime import date

    # an expected item from its announcement (10 January) to its deadline (9 October)
    assert figures.date_label(date(2025, 1, 10), date(2025, 10, 9), "day") == "2025-01-10 – 2025-10-09"
    assert figures.date_label(date(2025, 1, 10), date(2025, 1, 10), "day") == "2025-01-10"
