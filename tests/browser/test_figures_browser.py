"""Figures and the reader in a real browser: a marker click leaves the map at full colour; highlights in
the article text add no space before the punctuation that follows them."""

from __future__ import annotations

import contextlib
import io

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import wait_for_app
from tests.browser.test_map_browser import _click_lonlat

PRIJEDOR = (16.713, 44.979)  # lon, lat: a pixel of Republika Srpska, away from markers and their hover labels
pytestmark = pytest.mark.browser
LJUBLJANA = (14.5, 46.05)  # inside Slovenia, a focus country with no marker nearby
BUDAPEST = (19.04, 47.5)  # Hungary: a grey context region


def _project(page, lon: float, lat: float) -> tuple[float, float]:
    return page.evaluate(
        "([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot');"
        " const m = gd._fullLayout.map._subplot.map; const p = m.project([lon, lat]);"
        " const r = m.getCanvas().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [lon, lat],
    )


def _colours(page, spots: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int, int]]:
    """The colour drawn at each (lon, lat), read from a screenshot."""
    from PIL import Image

    img = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    out = {}
    for name, (lon, lat) in spots.items():
        x, y = _project(page, lon, lat)
        out[name] = img.getpixel((round(x), round(y)))
    return out


def test_clicking_a_marker_keeps_the_map_at_full_colour(server, page, artifacts, browser_engine):
    points, aggregated = queries.development_points(browser_engine, Filters())
    assert not aggregated
    # of the markers in the map's first view (the Western Balkans), the one farthest from any other
    # marker: a click there can only hit it
    lat, lon = points["lat"].to_numpy(), points["lon"].to_numpy()
    inside = [i for i in range(len(points)) if 40.5 <= lat[i] <= 46 and 14 <= lon[i] <= 23]
    nearest = {i: min(((lat[i] - lat[j]) ** 2 + (lon[i] - lon[j]) ** 2) for j in range(len(points)) if j != i)
               for i in inside}
    clicked = points.iloc[max(nearest, key=nearest.__getitem__)]
    # another marker, well away from the clicked one
    far = points[((points["lat"] - clicked["lat"]) ** 2 + (points["lon"] - clicked["lon"]) ** 2) > 4].iloc[0]
    page.goto(f"{server}/map")
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot .maplibregl-canvas")).to_be_visible(timeout=30_000)
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullLayout.map && gd._fullLayout.map._subplot.map.loaded(); }", timeout=30_000)
    page.wait_for_timeout(500)  # the canvas finishes its last frame
    spots = {"Slovenia": LJUBLJANA, "Republika Srpska": PRIJEDOR, "Hungary (context)": BUDAPEST,
             "another marker": (far["lon"], far["lat"])}
    before = _colours(page, spots)
    _click_lonlat(page, clicked["lon"], clicked["lat"])
    expect(page.locator("[class*='st-key-event-detail-map-']")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "map-after-marker-click.png"))
    after = _colours(page, spots)
    for name in spots:
        assert max(abs(a - b) for a, b in zip(before[name], after[name], strict=True)) <= 8, (
            f"{name} changed colour after the click: {before[name]} -> {after[name]}")


# The gap between the last letter inside each highlight and the punctuation right after it.
GAPS_JS = """() => [...document.querySelectorAll('span.stMarkdownColoredBackground')].flatMap(span => {
  const next = span.nextSibling, inner = span.firstChild;
  if (!next || next.nodeType !== 3 || !/^[.,;:'’!?)]/.test(next.textContent)) return [];
  if (!inner || inner.nodeType !== 3) return [];
  const a = document.createRange(); a.setStart(inner, inner.length - 1); a.setEnd(inner, inner.length);
  const b = document.createRange(); b.setStart(next, 0); b.setEnd(next, 1);
  return [[span.textContent + next.textContent[0], b.getBoundingClientRect().left - a.getBoundingClientRect().right]];
})"""


def test_highlights_add_no_space_before_punctuation(server, page, artifacts, browser_engine):
    seed = queries.load_articles(browser_engine, Filters(text="Stoltenberg Kosovo"))
    page.goto(f"{server}/articles?article={int(seed['id'].iloc[0])}")
    wait_for_app(page)
    highlight = page.locator("span.stMarkdownColoredBackground", has_text="Kosovo").first
    expect(highlight).to_be_visible(timeout=30_000)
    wait_for_app(page)
    # the page's style arrives a moment after the text: wait (at most 10 s) for the gaps to close
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"() => {{ const g = ({GAPS_JS})(); return g.length && g.every(x => Math.abs(x[1]) <= 1); }}",
                               timeout=10_000)
    gaps = page.evaluate(GAPS_JS)
    assert gaps, "no highlight followed by punctuation in the reader"
    highlight.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "reader-highlights.png"))
    wide = [(text, round(gap, 1)) for text, gap in gaps if abs(gap) > 1]
    assert not wide, f"space drawn before punctuation after highlights: {wide}"


def _tick_font_sizes(page) -> set[str]:
    return set(page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .ytick text, .js-plotly-plot .xtick text')]"
        ".map(t => getComputedStyle(t).fontSize)"))


def test_presentation_mode_draws_the_timeline_with_larger_text(server, page, artifacts):
    for url, size in ((f"{server}/timeline?countries=BA", "14px"), (f"{server}/timeline?countries=BA&present=1", "20px")):
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .ytick text", timeout=30_000)
        assert _tick_font_sizes(page) == {size}, url
        legend = set(page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .legendtext')]"
                                   ".map(t => getComputedStyle(t).fontSize)"))
        assert legend == {size}, url
    page.screenshot(path=str(artifacts / "timeline-presentation.png"))


def test_html_briefing_made_in_the_app_keeps_lane_labels_and_dates_inside_the_chart(
        sample_engine, browser, tmp_path, artifacts, monkeypatch):
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401 - the app process's default template

    from dashboard.briefing import build_briefing_html

    monkeypatch.setattr(pio.templates, "default", "streamlit")
    path = tmp_path / "briefing.html"
    path.write_text(build_briefing_html(sample_engine, Filters(), lane="place"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 1400})
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("#briefing-timeline .ytick text", timeout=30_000)
        outside = page.evaluate(
            """() => { const box = document.getElementById('briefing-timeline').getBoundingClientRect();
                 return [...document.querySelectorAll('#briefing-timeline .ytick text, #briefing-timeline .xtick text')]
                   .map(t => [t.textContent, t.getBoundingClientRect()])
                   .filter(([, r]) => r.left < box.left || r.right > box.right || r.bottom > box.bottom)
                   .map(([text]) => text); }""")
        page.locator("#briefing-timeline").screenshot(path=str(artifacts / "briefing-html-timeline.png"))
    finally:
        page.close()
    assert not outside, f"cut at the edge of the chart: {outside}"
