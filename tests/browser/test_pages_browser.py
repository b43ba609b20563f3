"""Real Chromium against a running server: pages draw, filters work, links reopen views, no outside requests."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import wait_for_app
from tests.conftest import count_sample_events

pytestmark = pytest.mark.browser


def _caption(pg):
    return pg.locator("[data-testid='stCaptionContainer']").first


def _countries(pg):
    return pg.locator("[data-testid='stMultiSelect']").first


def test_map_draws_the_region(server, page, artifacts, browser_engine):
    page.goto(f"{server}/map")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas", timeout=30_000)
    n = count_sample_events()
    expect(_caption(page)).to_contain_text(f"({n} report")
    page.screenshot(path=str(artifacts / "map.png"))


def test_timeline_with_bosnia_2023_shows_the_gas_deal(server, page, artifacts, browser_engine):
    page.goto(f"{server}/timeline?countries=BA&from=2023-01-01&to=2023-12-31")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    n = count_sample_events("BA", 2023)  # from the sample files; the browser fixtures add no event
    expect(_caption(page)).to_contain_text(f"({n} report")
    assert n < count_sample_events()
    # The filter chip shows the country: the link reopened the same view.
    expect(_countries(page)).to_contain_text("Bosnia and Herzegovina")
    # The gas deal is drawn as an overdue expected development: the legend says so, and a click on
    # the red diamond opens the detail panel with its evidence sentence.
    plot = page.locator(".js-plotly-plot").first
    expect(plot.locator(".legendtext", has_text="overdue")).to_be_visible()
    index = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data.findIndex(t => (t.name || '').startsWith('overdue'))"
    )
    assert index >= 0
    # of the overdue diamonds (the sample has several in BiH in 2023), the gas deal's
    which = page.evaluate(
        f"() => document.querySelector('.js-plotly-plot').data[{index}].customdata"
        ".findIndex(c => JSON.stringify(c).toLowerCase().includes('gas'))")
    assert which >= 0
    point = page.locator(".js-plotly-plot .scatterlayer .trace").nth(index).locator(".points path").nth(which)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # as a user clicks
    panel = page.locator("[class*='st-key-event-detail-']").first
    expect(panel).to_contain_text("gas", timeout=30_000)
    expect(panel).to_contain_text("overdue")
    expect(panel).to_contain_text("2023")
    page.screenshot(path=str(artifacts / "timeline-BA-2023.png"))


def test_articles_page_shows_the_seed_article_in_full(server, page, artifacts, browser_engine):
    listing = queries.load_articles(browser_engine, Filters(countries=("BA",)))
    seed = int(listing[listing["title"].str.startswith("NATO Reassesses")]["id"].iloc[0])
    page.goto(f"{server}/articles?countries=BA&article={seed}")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("In summary, NATO’s current approach", timeout=30_000)
    expect(main).to_contain_text("all communities involved.")
    expect(main).not_to_contain_text("San Vicente del Raspeig")
    expect(main).not_to_contain_text("Previous Article")
    page.screenshot(path=str(artifacts / "articles.png"))


def test_switching_pages_keeps_the_filter(server, page):
    page.goto(f"{server}/?countries=XK")
    wait_for_app(page)
    expect(_countries(page)).to_contain_text("Kosovo")
    page.get_by_role("link", name=re.compile("Timeline")).click()
    page.wait_for_url(re.compile(r"/timeline\?.*countries=XK"), timeout=30_000)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible(timeout=30_000)
    expect(_countries(page)).to_contain_text("Kosovo")
    expect(page).to_have_url(re.compile(r"countries=XK"))


def test_choosing_a_country_in_the_filter_changes_the_map(server, page, browser_engine):
    page.goto(f"{server}/map")
    wait_for_app(page)
    total = count_sample_events()
    expect(_caption(page)).to_contain_text(f"({total} report")
    _countries(page).click()
    page.get_by_role("option", name=re.compile(r"Montenegro")).click()
    page.keyboard.press("Escape")
    n = count_sample_events("ME")
    assert n != total
    expect(_caption(page)).to_contain_text(f"({n} report", timeout=30_000)
    expect(page).to_have_url(re.compile(r"countries=ME"))


def test_no_request_left_localhost(server, browser, outside_requests):
    """Runs last in this file: every page above was loaded with the request recorder on."""
    page = browser.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    for path in ("/", "/map", "/timeline?countries=BA", "/articles", "/expected"):
        page.goto(f"{server}{path}")
        wait_for_app(page)
    page.close()
    assert seen, "the recorder saw no request at all"
    outside = outside_requests + [u for u in seen if not re.match(r"^(https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:)", u)]
    assert not outside, f"requests left localhost: {sorted(set(outside))[:10]}"
