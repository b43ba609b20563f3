"""Stored text in charts is text: plotly renders <a href>, <b>, <br>, <span style> in hover labels,
annotations, legends and tick labels, so a title holding them must reach the figure as entities.

The browser half (tests/browser/test_hostile_input_browser.py) draws these figures in Chromium and
reads the labels back."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import charts, figures

EVIL = '<a href="https://evil.invalid/x">click</a> <b>bold</b><img src="https://evil.invalid/p.png"> & co'
#: ``EVIL`` as plotly must get it (worked out by hand: & < > as entities, nothing else touched).
INERT = ('&lt;a href="https://evil.invalid/x"&gt;click&lt;/a&gt; &lt;b&gt;bold&lt;/b&gt;'
         '&lt;img src="https://evil.invalid/p.png"&gt; &amp; co')
GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {"name": code},
     "geometry": {"type": "Polygon", "coordinates": [[[x, 42], [x + 1, 42], [x + 1, 43], [x, 43], [x, 42]]]}}
    for x, code in ((19, "BA"), (20, "RS"))
]}


def hostile_timeline():
    """A timeline of two developments, the first titled ``EVIL``, the second on a lane with no name."""
    events = pd.DataFrame({
        "id": ["ev-evil", "ev-odd"], "title": [EVIL, "<i>second</i>"], "summary": ["", ""],
        "countries": [["BA"], ["RS"]], "places": [[], []], "category": ["security", "politics"],
        "display_status": ["occurred", "occurred"], "date_start": [date(2024, 5, 1), date(2024, 6, 1)],
        "date_end": [date(2024, 5, 1), date(2024, 6, 1)], "date_precision": ["day", "day"],
    })
    events, labels = charts.timeline_lanes(events, "country")
    labels = {**labels, events["lane"].iloc[1]: "<b>Serbia</b>"}  # a lane name from stored data
    return figures.build_timeline_figure(events, labels)


def hostile_map():
    markers = pd.DataFrame({"lat": [42.5], "lon": [19.5], "id": ["ev-evil"], "title": [EVIL],
                            "when": ["<b>2024</b>"], "status": ["occurred"], "category": ["<b>cat</b>"]})
    return figures.build_map_figure({"BA": 3}, markers, GEOJSON, {"BA": "<a href='https://evil.invalid'>BA</a>"},
                                    focus=["BA"], center={"lat": 42.5, "lon": 20}, zoom=5)


def _strings(node, skip=("hovertemplate",)):
    """Every string in a figure's JSON but our own hover templates."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _strings(value, skip)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value, skip)
    elif hasattr(node, "tolist"):
        yield from _strings(node.tolist(), skip)
    elif isinstance(node, str):
        yield node


def test_plotly_text_turns_markup_into_entities():
    assert figures.plotly_text(EVIL) == INERT
    assert figures.plotly_text("Brčko – Pristina") == "Brčko – Pristina"
    assert figures.plotly_text(None) == ""


def test_timeline_hover_labels_and_lanes_hold_no_markup():
    fig = hostile_timeline().to_plotly_json()
    texts = list(_strings(fig))
    assert not [t for t in texts if "<" in t or ">" in t], [t for t in texts if "<" in t]
    hovers = [c[1] for trace in fig["data"] if trace.get("customdata") is not None for c in trace["customdata"]]
    assert INERT in hovers and "&lt;i&gt;second&lt;/i&gt;" in hovers
    assert "&lt;b&gt;Serbia&lt;/b&gt;" in fig["layout"]["yaxis"]["categoryarray"]


def test_timeline_text_labels_hold_no_markup():
    fig = hostile_timeline()
    labels = [a.text for a in fig.layout.annotations if a.name == "label"]
    assert labels and all("<" not in t for t in labels), labels
    assert any(t.startswith("&lt;") for t in labels), labels


def test_map_hover_labels_hold_no_markup():
    fig = hostile_map().to_plotly_json()
    texts = list(_strings(fig))
    assert not [t for t in texts if "<" in t or ">" in t], [t for t in texts if "<" in t]
    hovers = [c[1] for trace in fig["data"] if trace.get("type") == "scattermap" for c in trace["customdata"]]
    assert hovers == [INERT]
