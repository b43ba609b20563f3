"""Real Chromium against a running server: pages draw, filters work, links reopen views, no outside requests."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def _caption(pg) -> str:
    return pg.locator("[data-testid='stCaptionContainer']").first.inner_text()


def test_map_draws_the_region(server, page, artifacts, sample_engine):
    page.goto(f"{server}/")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas", timeout=30_000)
    n = queries.count_events(sample_engine, Filters())
    assert f"{n} event(s)" in _caption(page)
    page.screenshot(path=str(artifacts / "map.png"))


def test_timeline_with_bosnia_2023_shows_the_gas_deal(server, page, artifacts, sample_engine):
    page.goto(f"{server}/timeline?countries=BA&from=2023-01-01&to=2023-12-31")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    f = Filters(countries=("BA",), date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    n = queries.count_events(sample_engine, f)
    assert f"{n} event(s)" in _caption(page)
    assert n < queries.count_events(sample_engine, Filters())
    # The filter chip shows the country: the link reopened the same view.
    assert "Bosnia and Herzegovina" in page.locator("[data-testid='stMultiSelect']").first.inner_text()
    # The gas deal sits in the table of events as expected and overdue (its deadline, end-2023, has passed).
    page.get_by_text("All events in the filter as a table").click()
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.wait_for(timeout=15_000)
    page.screenshot(path=str(artifacts / "timeline-BA-2023.png"))
    events = queries.load_events(sample_engine, f)
    gas = events[events["title"].str.contains("gas", case=False) & events["countries"].map(lambda c: "BA" in c)]
    assert not gas.empty and set(gas["display_status"]) <= {"overdue", "expected"}


def test_articles_page_shows_the_seed_article_in_full(server, page, artifacts):
    page.goto(f"{server}/articles?countries=BA")
    wait_for_app(page)
    page.get_by_text("formal review is underway by NATO", exact=False).first.wait_for(timeout=30_000)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "In summary, NATO’s current approach" in body
    assert "San Vicente del Raspeig" not in body
    page.screenshot(path=str(artifacts / "articles.png"))


def test_switching_pages_keeps_the_filter(server, page):
    page.goto(f"{server}/?countries=XK")
    wait_for_app(page)
    page.get_by_role("link", name=re.compile("Timeline")).click()
    page.wait_for_url(re.compile(r"/timeline\?.*countries=XK"), timeout=30_000)
    wait_for_app(page)
    assert "Kosovo" in page.locator("[data-testid='stMultiSelect']").first.inner_text()


def test_choosing_a_country_in_the_filter_changes_the_map(server, page, sample_engine):
    page.goto(f"{server}/")
    wait_for_app(page)
    before = _caption(page)
    page.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name=re.compile(r"Montenegro")).click()
    page.keyboard.press("Escape")
    n = queries.count_events(sample_engine, Filters(countries=("ME",)))
    page.wait_for_function(
        "(n) => document.querySelector(\"[data-testid='stCaptionContainer']\").innerText.includes(n + ' event(s)')",
        arg=n, timeout=30_000,
    )
    assert _caption(page) != before
    page.wait_for_url(re.compile(r"countries=ME"), timeout=10_000)


def test_no_request_left_localhost(server, browser, outside_requests):
    """Runs last in this file: every page above was loaded with the request recorder on."""
    page = browser.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    for path in ("/", "/timeline?countries=BA", "/articles"):
        page.goto(f"{server}{path}")
        wait_for_app(page)
    page.close()
    assert seen, "the recorder saw no request at all"
    outside = outside_requests + [u for u in seen if not re.match(r"^(https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:)", u)]
    assert not outside, f"requests left localhost: {sorted(set(outside))[:10]}"
