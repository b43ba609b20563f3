"""The map in a real browser: country and entity views, a click on Republika Srpska filters every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import wait_for_app
from tests.conftest import count_sample_events

pytestmark = pytest.mark.browser
BIJELJINA = (19.214, 44.759)  # lon, lat: Bijeljina, inside Republika Srpska, 75 km from any sample marker


def _click_lonlat(page, lon: float, lat: float) -> None:
    """Click the map where a coordinate is drawn, as a user would."""
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
        " && gd._fullLayout.map._subplot.map && gd._fullLayout.map._subplot.map.loaded(); }",
        timeout=30_000,
    )
    xy = page.evaluate(
        "([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot');"
        " const m = gd._fullLayout.map._subplot.map; const p = m.project([lon, lat]);"
        " const r = m.getCanvas().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [lon, lat],
    )
    page.mouse.click(*xy)


def test_country_view_draws_kosovo_and_bosnia(server, page, artifacts):
    page.goto(f"{server}/map")
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot .maplibregl-canvas")).to_be_visible(timeout=30_000)
    ids = page.evaluate("() => document.querySelector('.js-plotly-plot').data.flatMap(t => t.locations || [])")
    assert {"XK", "BA", "RS", "MD"} <= set(ids)
    page.screenshot(path=str(artifacts / "map-countries.png"))


def test_click_on_republika_srpska_filters_every_page(server, page, artifacts, browser_engine):
    page.goto(f"{server}/map")
    wait_for_app(page)
    page.get_by_text("Entities, districts and municipalities").click()
    page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot');"
        " return !!(p && p.data && p.data.some(t => (t.locations || []).includes('BA-SRP'))); }",
        timeout=30_000,
    )
    page.screenshot(path=str(artifacts / "map-entities.png"))
    places = page.locator("[data-testid='stMultiSelect']").nth(1)
    # The map may still be redrawing the sub-national layer: a click that lands before it is ready is
    # lost (as it would be for a person), so click again, at most three times.
    for attempt in range(3):
        _click_lonlat(page, *BIJELJINA)
        try:
            expect(places).to_contain_text("Republika Srpska", timeout=10_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    expect(page).to_have_url(re.compile(r"places=BA-SRP"))
    n = queries.count_events(browser_engine, Filters(places=("BA-SRP",)))
    assert 0 < n < count_sample_events()
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text(f"({n} report")
    # The timeline follows the same filter.
    page.get_by_role("link", name=re.compile("Timeline")).click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text(f"({n} report", timeout=30_000)
    expect(page).to_have_url(re.compile(r"/timeline\?.*places=BA-SRP"))
    page.screenshot(path=str(artifacts / "timeline-republika-srpska.png"))
