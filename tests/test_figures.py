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
from dashboard.filters import Filters

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
