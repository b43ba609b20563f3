"""Readable at volume: a timeline of many developments keeps 150 markers, titles the top 25 and counts the
rest in a density band; map markers are sized by sources. Answers written by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import charts, figures, volume
from dashboard.filters import Filters

LANES = ["BA", "RS", "XK", "ME"]
LANE_NAMES = {"BA": "Bosnia and Herzegovina", "RS": "Serbia", "XK": "Kosovo", "ME": "Montenegro"}


def _month(m: int) -> date:
    """Month ``m`` counted from January 2023 (0) to December 2024 (23), its 1st."""
    return date(2023 + m // 12, m % 12 + 1, 1)


def _developments(n: int) -> pd.DataFrame:
    """``n`` developments: row ``i`` has significance ``1000 - i`` (so 0 is the most significant), lane
    ``LANES[i % 4]``, and falls in month ``i % 24`` on day ``1 + (i // 24) % 28``; shuffled, so the
    builder has to sort them itself."""
    rows = []
    for i in range(n):
        start = _month(i % 24).replace(day=1 + (i // 24) % 28)
        rows.append({"id": f"ev-{i}", "title": f"Development {i}", "summary": "", "countries": [LANES[i % 4]],
                     "places": [], "category": "politics", "display_status": "occurred", "date_start": start,
                     "date_end": start, "date_precision": "day", "significance": 1000.0 - i,
                     "n_events": 1 + i % 3, "n_sources": 1 + i % 2, "development_id": i})
    return pd.DataFrame(rows).sample(frac=1, random_state=7).reset_index(drop=True)


def _figure(n: int, **kw):
    frame, labels = charts.timeline_lanes(_developments(n), "country")
    return figures.build_timeline_figure(frame, labels, **kw)


def _marker_ids(fig) -> list[str]:
    return [c[0] for t in fig.data if getattr(t, "mode", None) == "markers" for c in t.customdata]


def _trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    return found[0] if found else None


def test_above_the_threshold_the_150_most_significant_are_markers():
    fig = _figure(200)
    assert sorted(_marker_ids(fig)) == sorted(f"ev-{i}" for i in range(150))


def _labels(fig) -> dict[str, tuple]:
    """Label text -> (x, lane, slot) of the timeline's title annotations."""
    return {a.text: (a.x, a.y, ("top" if a.yanchor == "bottom" else "bottom") + " " + ("right" if a.xanchor == "left"
                                                                                      else "left"))
            for a in fig.layout.annotations if a.name == "label"}


def test_the_25_most_significant_carry_their_title():
    fig = _figure(200)
    labels = _labels(fig)
    assert len([a for a in fig.layout.annotations if a.name == "label"]) == 25
    assert sorted(labels) == sorted(f"Development {i}" for i in range(25))
    # each label sits at its own marker: Development 0 is in Bosnia in January 2023 (day 1)
    assert labels["Development 0"][:2] == (date(2023, 1, 1), "Bosnia and Herzegovina")
    assert labels["Development 24"][:2] == (date(2023, 1, 2), "Bosnia and Herzegovina")  # 24 // 24 = 1: day 2
    # the two Bosnian January labels sit one above, one below their markers
    assert {labels["Development 0"][2], labels["Development 24"][2]} == {"top right", "bottom right"}
    # no text on the markers themselves
    assert not [t for t in fig.data if "text" in (getattr(t, "mode", None) or "")]


def test_the_density_band_counts_the_other_50_by_lane_and_month():
    band = _trace(_figure(200), "density")
    got = {(lane, base[:7]): c[0] for lane, base, c in zip(band.y, band.base, band.customdata, strict=True)}
    # by hand: rows 150..199 fall in months 150 % 24 = 6 (July 2023) up to 23, then 0..23, then 0..7; the
    # lane follows the month (i % 4 = month % 4), so each month is one lane's: July and August 2023 three
    # times (150, 174, 198 / 151, 175, 199), every other month twice
    expected = {(LANE_NAMES[LANES[m % 4]], _month(m).isoformat()[:7]): 3 if m in (6, 7) else 2 for m in range(24)}
    assert got == expected
    assert sum(got.values()) == 50
    assert got[("Montenegro", "2023-08")] == 3 and got[("Bosnia and Herzegovina", "2023-01")] == 2
    # each strip spans its month: January 2023 is 31 days in milliseconds
    spans = {base[:7]: x for base, x in zip(band.base, band.x, strict=True)}
    assert spans["2023-01"] == 31 * 86_400_000 and spans["2024-02"] == 29 * 86_400_000


def test_the_band_cells_carry_their_colour_on_a_log_scale_to_the_busiest():
    # Albania has no markers, so its cells are the store's counts: 1, 20 and 400 (the busiest, so the
    # darkest); on a log scale to 400, 20 sits half way: the scale's middle stop
    counts = pd.DataFrame([("AL", "2023-03", 1), ("AL", "2023-04", 20), ("AL", "2023-05", 400)],
                          columns=["lane", "month", "developments"])
    frame, labels = charts.timeline_lanes(_developments(200), "country")
    labels = {**charts.lane_labels(counts["lane"], "country"), **labels}
    band = _trace(figures.build_timeline_figure(frame, labels, band_counts=counts), "density")
    colour = {(lane, base[:7]): c for lane, base, c in zip(band.y, band.base, band.marker.color, strict=True)}
    assert colour[("Albania", "2023-03")] == "#dfe4ea"
    assert colour[("Albania", "2023-04")] == "#8d9cae"
    assert colour[("Albania", "2023-05")] == "#2c3e50"
    # every cell a colour of its own, no number on a colour scale for plotly.js to map
    assert all(isinstance(c, str) and c.startswith("#") for c in band.marker.color)
    assert band.marker.colorscale is None
    # between stops, each channel in proportion: a quarter is half way from #dfe4ea to #8d9cae, by hand
    # ((223 + 141) / 2, (228 + 156) / 2, (234 + 174) / 2) = (182, 192, 204)
    assert figures.scale_colour(figures.DENSITY_SCALE, 0.25) == "#b6c0cc"


def test_given_the_store_counts_the_band_holds_every_development_not_drawn():
    # the store counted all 200 (and 5 more in Albania, a lane the loaded rows do not reach): months 0..7
    # hold rows m, m + 24, ..., m + 192 (9 rows), the other months 8; the band is those less the markers
    counts = pd.DataFrame([(LANES[m % 4], _month(m).isoformat()[:7], 9 if m < 8 else 8) for m in range(24)]
                          + [("AL", "2023-03", 5)], columns=["lane", "month", "developments"])
    frame, labels = charts.timeline_lanes(_developments(200), "country")
    labels = {**charts.lane_labels(counts["lane"], "country"), **labels}
    fig = figures.build_timeline_figure(frame, labels, band_counts=counts)
    band = _trace(fig, "density")
    got = {(lane, base[:7]): c[0] for lane, base, c in zip(band.y, band.base, band.customdata, strict=True)}
    expected = {(LANE_NAMES[LANES[m % 4]], _month(m).isoformat()[:7]): 3 if m in (6, 7) else 2 for m in range(24)}
    assert got == {**expected, ("Albania", "2023-03"): 5}
    assert "Albania" in fig.layout.yaxis.categoryarray


def test_the_stores_band_counts_follow_the_timelines_lanes(sample_engine):
    """The store's counts per lane and month are what the lanes of every loaded development give."""
    from dashboard.store import density, queries

    for lane, f in (("country", Filters()), ("country", Filters(countries=("RS", "BA"))), ("place", Filters()),
                    ("category", Filters())):
        prefer = f.places if lane == "place" else f.countries
        frame, _ = charts.timeline_lanes(queries.load_developments(sample_engine, f), lane, prefer=prefer)
        frame = frame[frame["date_start"].notna()]
        by_hand = pd.Series([(k, d.isoformat()[:7]) for k, d in zip(frame["lane"], frame["date_start"], strict=True)],
                            dtype=object).value_counts().to_dict()
        stored = density.development_months(sample_engine, f, lane, prefer)
        assert dict(zip(zip(stored["lane"], stored["month"], strict=True), stored["developments"], strict=True)) == by_hand
    # a development of Serbia and Bosnia goes in Serbia's lane when the filter names Serbia first
    both = density.development_months(sample_engine, Filters(countries=("RS", "BA")), "country", ("RS", "BA"))
    assert set(both["lane"]) == {"RS", "BA"}


def test_below_the_threshold_every_development_is_a_marker_and_there_is_no_band():
    fig = _figure(150)
    assert len(_marker_ids(fig)) == 150
    assert _trace(fig, "density") is None
    assert charts.band_note(150) is None


def test_the_note_says_how_many_are_in_the_band():
    note = charts.band_note(200)
    assert "150 most significant of 200" in note and "other 50 are summarised" in note
    assert "Narrow the filter" in note


def test_hover_says_date_status_and_reports_from_sources():
    fig = _figure(3)
    rows = {c[0]: c for t in fig.data if getattr(t, "mode", None) == "markers" for c in t.customdata}
    # row 1: month 1 (February 2023), day 1; 1 + 1 % 3 = 2 reports, 1 + 1 % 2 = 2 sources
    assert list(rows["ev-1"][1:]) == ["Development 1", "2023-02-01", "occurred", "2 reports from 2 sources"]
    assert list(rows["ev-0"][1:]) == ["Development 0", "2023-01-01", "occurred", "1 report from 1 source"]


def test_titles_are_cut_to_40_characters_at_a_word():
    assert volume.short_title("Short title") == "Short title"
    cut = volume.short_title("Republika Srpska assembly adopts the law on the non-application of rulings")
    # 40 characters with the ellipsis: "…the law" would make 41, so the cut falls after "the"
    assert cut == "Republika Srpska assembly adopts the…" and len(cut) <= 40


def test_labels_at_one_spot_take_the_four_slots_then_are_left_off():
    same = pd.DataFrame({"title": [f"T{i}" for i in range(5)], "date_start": [date(2024, 6, 1)] * 5,
                         "date_end": [date(2024, 6, 1)] * 5, "display_status": ["occurred"] * 5,
                         "lane_name": ["Serbia"] * 5})
    placed = volume.place_labels(same, ["Serbia"], size=12, row=62, x_range=(date(2024, 1, 1), date(2024, 12, 31)),
                                 text_width=figures.text_width)
    assert [(p, slot) for p, _, slot in placed] == [
        (0, "top right"), (1, "bottom right"), (2, "top left"), (3, "bottom left")]


def test_a_label_near_the_right_edge_goes_left():
    edge = pd.DataFrame({"title": ["A long enough title to matter here"], "date_start": [date(2024, 12, 20)],
                         "date_end": [date(2024, 12, 20)], "display_status": ["occurred"], "lane_name": ["Serbia"]})
    placed = volume.place_labels(edge, ["Serbia"], size=12, row=62, x_range=(date(2024, 1, 1), date(2024, 12, 31)),
                                 text_width=figures.text_width)
    assert placed[0][2] == "top left"


# --- map ------------------------------------------------------------------------------------------

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "BA", "properties": {"name": "BA"},
     "geometry": {"type": "Polygon", "coordinates": [[[19, 42], [20, 42], [20, 43], [19, 43], [19, 42]]]}}]}


def _points(sources: list[int], fatalities: list[int | None]) -> pd.DataFrame:
    n = len(sources)
    return pd.DataFrame({"id": [f"ev-{i}" for i in range(n)], "lat": [43.8] * n, "lon": [18.4 + i / 10 for i in range(n)],
                         "title": [f"D{i}" for i in range(n)], "when": ["2024-06-01"] * n, "status": ["occurred"] * n,
                         "category": ["protest"] * n, "n_events": [2] * n, "n_sources": sources,
                         "fatalities": fatalities})


@pytest.mark.parametrize(("size_by", "expected"), [
    # 11 + 5 * log2(sources), at most 32: 1 -> 11, 2 -> 16, 4 -> 21, 8 -> 26, 64 -> 41 cut to 32
    ("sources", [11, 16, 21, 26, 32]),
    # 9 + 4 * log2(1 + fatalities), at most 34: none -> 9, 0 -> 9, 1 -> 13, 3 -> 17, 7 -> 21
    ("fatalities", [9, 9, 13, 17, 21]),
])
def test_map_markers_are_sized_by_sources_or_fatalities(size_by, expected):
    points = _points([1, 2, 4, 8, 64], [None, 0, 1, 3, 7])
    fig = figures.build_map_figure({}, points, GEOJSON, {}, focus=["BA"], center={"lat": 44, "lon": 18}, zoom=5,
                                   size_by=size_by)
    marker = next(t for t in fig.data if t.type == "scattermap")
    sizes = {c[0]: round(float(s), 6) for c, s in zip(marker.customdata, marker.marker.size, strict=True)}
    assert sizes == {f"ev-{i}": size for i, size in enumerate(expected)}
    # the largest drawn first, so none hides a smaller one
    assert list(marker.marker.size) == sorted(marker.marker.size, reverse=True)
    assert marker.mode == "markers"  # no text on the MapLibre map: it would fetch glyph fonts
    hover = {c[0]: c[4] for c in marker.customdata}
    assert (hover["ev-0"], hover["ev-2"]) == ("2 reports from 1 source", "2 reports from 4 sources")


def test_map_markers_on_the_sample_are_developments(sample_engine):
    points, aggregated = charts.map_markers(sample_engine, Filters(), today=date(2024, 6, 1))
    assert not aggregated
    assert points["development_id"].is_unique and points["id"].notna().all()
    assert {"n_sources", "n_events", "fatalities"} <= set(points.columns)
