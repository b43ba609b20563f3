"""Real Chromium: a timeline of more developments than it draws as markers shows 150 markers, the top
titles beside them, the density band and the note that says how many the band holds; the map sizes its
development markers by sources, or by fatalities when it is coloured by them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import open_engine, queries
from tests.browser.conftest import run_server, wait_for_app

pytestmark = pytest.mark.browser

N = 220
COUNTRIES = ["BA", "RS", "XK", "ME", "MK", "AL"]
TOWNS = {"BA": (43.856, 18.413), "RS": (44.787, 20.457), "XK": (42.663, 21.165), "ME": (42.441, 19.263),
         "MK": (41.998, 21.425), "AL": (41.328, 19.818)}  # Sarajevo, Belgrade, Pristina, Podgorica, Skopje, Tirana
SUBJECTS = ["municipal council", "opposition coalition", "border police", "energy ministry", "election commission",
            "constitutional court", "student movement", "central bank"]
VERBS = ["announces", "rejects", "postpones", "debates", "challenges", "approves"]
OBJECTS = ["budget revision", "cross-border agreement", "protest permit", "gas tariff", "voter register audit",
           "judicial appointment", "transit corridor plan", "pension reform"]


def _events() -> list[dict]:
    """``N`` synthetic events, each its own development: a different day per country (day precision
    never groups across days), words that differ, sources and fatalities that spread the significance."""
    out = []
    for i in range(N):
        day = date(2023, 1, 2) + timedelta(days=(i * 3) % 700)
        out.append({
            "type": "event", "id": f"synthetic-volume-{i}", "status": "occurred",
            "title": f"Synthetic {i}: {SUBJECTS[i % 8]} {VERBS[i % 6]} {OBJECTS[(i // 8) % 8]}",
            "summary": f"Synthetic test event number {i}, made up for the volume test.",
            "date_start": day.isoformat(), "date_end": day.isoformat(), "date_precision": "day",
            "category": "politics", "countries": [COUNTRIES[i % 6]], "source_name": f"synthetic outlet {i % 5}",
            "lat": TOWNS[COUNTRIES[i % 6]][0] + ((i * 37) % 100 - 50) / 60,
            "lon": TOWNS[COUNTRIES[i % 6]][1] + ((i * 53) % 100 - 50) / 60, "geo_precision": "town",
            "num_sources": 1 + (i * 7) % 12, "fatalities": (i % 17) if i % 5 == 0 else 0, "verification": "machine",
        })
    return out


@pytest.fixture(scope="module")
def volume_db_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("volume")
    path = folder / "synthetic-volume.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in _events()), encoding="utf-8")
    url = f"sqlite:///{folder / 'volume.db'}"
    eng = open_engine(url)
    report = ingest_paths(eng, [str(path)])
    assert not report.problems, report.summary()
    assert queries.count_developments(eng, Filters()) == N
    eng.dispose()
    return url


def test_a_busy_timeline_shows_markers_labels_and_the_band(volume_db_url, page, artifacts, outside_requests):
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if "WARN" in m.text else None)
    with run_server(volume_db_url, "streamlit-volume.log") as base:
        page.goto(f"{base}/timeline")
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
        caption = page.locator("[data-testid='stCaptionContainer']").first
        expect(caption).to_contain_text(f"{N} development(s) ({N} reports)")
        expect(page.get_by_text(f"The 150 most significant of {N} dated developments")).to_be_visible()
        expect(page.get_by_text(f"the other {N - 150} are summarised")).to_be_visible()
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "timeline-volume.png"))
        # 150 markers (the density band's cells are bars, not points of a scatter trace)
        n_points = page.evaluate(
            "() => [...document.querySelector('.js-plotly-plot').data].filter(t => t.mode === 'markers')"
            ".reduce((n, t) => n + t.x.length, 0)")
        assert n_points == 150
        labels = chart.locator(".annotation-text")
        assert 15 <= labels.count() <= 25
        assert all(t.startswith("Synthetic") for t in labels.all_text_contents())
        assert all(len(t) <= 40 for t in labels.all_text_contents())
        assert chart.locator(".barlayer .point").count() > 0
        # the band's cells carry their own colours: plotly.js warned once per cell per draw when they were
        # numbers on a colour scale (2,072 warnings, 0.4 s of a load's script at 10k articles)
        fills = page.evaluate("() => [...document.querySelector('.js-plotly-plot').querySelectorAll('.barlayer path')]"
                              ".map(p => p.style.fill)")
        assert fills and "rgb(0, 0, 0)" not in fills, fills[:5]
        assert not warnings, warnings[:3]
    assert not outside_requests, outside_requests


_MAP_LOADED = ("() => { const gd = document.querySelector('.js-plotly-plot');"
               " return gd && gd._fullLayout.map && gd._fullLayout.map._subplot.map.loaded(); }")
# what plotly.js drew (its full data: the figure's arrays arrive base64-encoded and are decoded there)
_SIZES = ("() => document.querySelector('.js-plotly-plot')._fullData.filter(t => t.type === 'scattermap')"
          ".flatMap(t => Array.from(t.marker.size))")
_MODES = ("() => document.querySelector('.js-plotly-plot')._fullData.filter(t => t.type === 'scattermap')"
          ".map(t => t.mode)")


@pytest.mark.parametrize(("measure", "expected"), [
    # sources 1 + (7 i) % 12 run through 1..12: 11 + 5 log2(n), 11 px for one source up to 11 + 5 log2(12) =
    # 28.92 px for twelve
    ("events", (11, 28.92)),
    # fatalities i % 17 every fifth row, else 0: 9 + 4 log2(1 + f), 9 px for none up to 9 + 4 log2(17) = 25.3 px
    ("fatalities", (9, 25.35)),
])
def test_the_map_sizes_development_markers(volume_db_url, page, artifacts, outside_requests, measure, expected):
    with run_server(volume_db_url, f"streamlit-volume-map-{measure}.log") as base:
        page.goto(f"{base}/map?measure={measure}")
        wait_for_app(page)
        expect(page.locator(".js-plotly-plot .maplibregl-canvas")).to_be_visible(timeout=30_000)
        page.wait_for_function(_MAP_LOADED, timeout=30_000)
        page.wait_for_timeout(500)  # the canvas finishes its last frame
        sizes = page.evaluate(_SIZES)
        assert len(sizes) == N  # one marker per development, no grouping below 2,000
        assert (round(min(sizes), 2), round(max(sizes), 2)) == expected
        assert set(page.evaluate(_MODES)) == {"markers"}  # no text on the MapLibre map: it would fetch glyphs
        page.screenshot(path=str(artifacts / f"map-volume-{measure}.png"))
    assert not outside_requests, outside_requests
