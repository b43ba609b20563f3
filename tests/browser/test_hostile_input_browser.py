"""Hostile input in a real browser (issue 18): links with hostile parameters and hostile text typed
into search give a gentle message or an empty result, never an error box; addresses inside an
article stay text; markup in a chart's titles stays text; no request leaves localhost."""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

import plotly.io as pio
import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import LOCAL_HOSTS, wait_for_app
from tests.test_chart_markup import EVIL, hostile_timeline

pytestmark = pytest.mark.browser

ERROR_BOX = "[data-testid='stException']"
HOSTILE_LINKS = [
    "/?from=9999-12-31",
    "/?from=0001-01-01&to=2040-01-01",
    "/timeline?from=1980-01-01&to=2040-01-01",
    "/map?countries=ZZ&places=" + ",".join(f"BA-X{i}" for i in range(300)),
    "/articles?article=99999999999999999999999",
    "/articles?article=-1&q=" + quote("'; DROP TABLE articles; --"),
    "/expected?from=notadate&fatalities=-5&sources=" + "9" * 60,
    "/brief?q=" + quote("\u202eسراييفو 🇧🇦💣 \x00 NEAR(") + "&types=" + quote("|".join(["x"] * 400)),
    "/add?q=" + "x" * 5000 + "&level=%3Cb%3E",
]
TYPED = ["'; DROP TABLE articles; --", '"NEAR( a OR * ( ^title: -x', "\u202eأخبار سراييفو", "🇧🇦💣🔥",
         "Sarajevo\x00gas", "y" * 5000]


def _no_error(page) -> None:
    expect(page.locator(ERROR_BOX)).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.get_by_text("/work/")).to_have_count(0)  # no server path shown


def _outside(outside_requests) -> list[str]:
    return sorted(set(outside_requests))


def test_hostile_links_and_typed_search_break_no_page(server, page, outside_requests, artifacts):
    for link in HOSTILE_LINKS:
        page.goto(f"{server}{link}")
        wait_for_app(page)
        expect(page.locator("h1").first).to_be_visible(timeout=30_000)
        _no_error(page)
    # the link's date was left out, and the page said so
    page.goto(f"{server}/timeline?from=1980-01-01")
    wait_for_app(page)
    expect(page.get_by_text(re.compile("“From” date “1980-01-01” is not a date"))).to_be_visible(timeout=30_000)
    page.goto(f"{server}/articles")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="Text")
    for text in TYPED:
        box.fill(text)
        box.press("Enter")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Articles")).to_be_visible(timeout=30_000)
        _no_error(page)
        assert len(box.input_value()) <= 200
    page.screenshot(path=str(artifacts / "hostile-search.png"))
    assert not _outside(outside_requests), _outside(outside_requests)


def test_addresses_in_an_article_stay_text(server, page, browser_engine, outside_requests):
    hostile = queries.load_articles(browser_engine, Filters(text="hostile markup"))
    page.goto(f"{server}/articles?article={int(hostile['id'].iloc[0])}")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Off-site addresses", timeout=30_000)
    shown = main.inner_text().replace("\u2060", "")  # the invisible word joiners that keep addresses text
    for literal in ("https://offsite.invalid/bare", "www.offsite.invalid/www", "<https://offsite.invalid/angle>",
                    "someone@offsite.invalid", "[a link](https://offsite.invalid/md)",
                    '<a href="https://offsite.invalid/html">here</a>', "[ref]: https://offsite.invalid/ref",
                    ":red[alarm]", ":material/warning:"):
        assert literal in shown, literal
    links = main.locator("a[href]")
    off_site = []
    for i in range(links.count()):
        a = links.nth(i)
        href = a.get_attribute("href") or ""
        host = urlparse(href).hostname
        if host and host not in LOCAL_HOSTS:
            off_site.append((href, a.inner_text()))
    # the one link out is the article's own address, and it says it leaves the dashboard
    assert off_site == [("https://synthetic.invalid/hostile-markup", "Open the original ↗")], off_site
    expect(main).to_contain_text("(synthetic.invalid, external site)")
    assert main.locator("img, iframe, picture, video, audio").count() == 0
    # a table's own CSV download would write a title starting "=" as a formula: the Exports page's is the way out
    main.locator("[data-testid='stDataFrame']").first.hover()
    expect(main.get_by_role("button", name="Download as CSV")).to_have_count(0)
    assert not _outside(outside_requests), _outside(outside_requests)


def test_markup_in_chart_titles_stays_text(page, tmp_path, outside_requests):
    """The timeline figure of a development titled with links and bold, drawn by plotly.js in Chromium."""
    html = tmp_path / "timeline.html"
    html.write_text(pio.to_html(hostile_timeline(), include_plotlyjs=True, full_html=True, div_id="fig"),
                    encoding="utf-8")
    page.goto(html.as_uri())
    page.wait_for_selector("#fig .main-svg")
    svg = page.locator("#fig")
    # a text label beside the marker shows the characters; the tick of a lane named "<b>Serbia</b>" too
    expect(svg.locator("g.annotation-text-g").first).to_contain_text("<a href=")
    expect(svg.locator(".ytick text").filter(has_text="<b>Serbia</b>")).to_have_count(1)
    page.evaluate("() => { const gd = document.getElementById('fig');"
                  " const i = gd.data.findIndex(t => t.customdata && t.customdata.some(c => c[0] === 'ev-evil'));"
                  " Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: 0}]); }")
    hover = svg.locator(".hoverlayer")
    expect(hover).to_contain_text(EVIL)  # every character as stored, none of it markup
    made = svg.locator(".main-svg a, .main-svg image, img").evaluate_all("els => els.map(e => e.outerHTML)")
    assert made == [], made
    assert not [u for u in outside_requests if "evil.invalid" in u]
