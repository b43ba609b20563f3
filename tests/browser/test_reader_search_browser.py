"""Article reader and search in a real browser: hostile markup stays inert, search crosses scripts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import queries
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_hostile_article_runs_no_script_and_renders_no_markup(server, page, artifacts, browser_engine):
    hostile = queries.load_articles(browser_engine, Filters(text="hostile markup"))
    article_id = int(hostile["id"].iloc[0])
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/articles?article={article_id}")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    # The markup is shown as the literal text it is.
    expect(main).to_contain_text('<img src="x" onerror="window.__pwned = \'img\'">', timeout=30_000)
    expect(main).to_contain_text('<script>window.__pwned = "script"</script>')
    expect(main).to_contain_text("[click me](javascript:window.__pwned='link')")
    expect(main).to_contain_text("<script>window.__pwned = \"title\"</script> **bold?**")
    # Nothing ran, nothing was built from it.
    assert page.evaluate("() => window.__pwned === undefined")
    assert main.locator("img[src='x'], iframe, a[href^='javascript']").count() == 0
    assert not dialogs
    page.screenshot(path=str(artifacts / "hostile-article.png"))


def test_cyrillic_search_finds_the_latin_article(server, page, artifacts, browser_engine):
    page.goto(f"{server}/articles")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="Text")
    box.fill("Приштина")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=%D0%9F"), timeout=30_000)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Search test about Pristina (synthetic)", timeout=30_000)
    # The matching word is highlighted in the snippet.
    expect(main.locator("strong", has_text="Pristina").first).to_be_visible()
    n = queries.count_articles(browser_engine, Filters(text="Приштина"))
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text(f"{n} article(s)")
    page.screenshot(path=str(artifacts / "search-cyrillic.png"))


@pytest.mark.parametrize("query", ['"', "NEAR(", "((", "*", "a OR"])
def test_search_survives_hostile_queries(server, page, query):
    from urllib.parse import quote

    page.goto(f"{server}/articles?q={quote(query)}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Articles")).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
