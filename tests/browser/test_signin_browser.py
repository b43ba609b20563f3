"""Sign-in in a real browser: with accounts, an anonymous visitor's page and every websocket message
it receives hold the sign-in form and nothing of the data; signed in, the data arrives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.store import accounts, open_engine
from tests.browser.conftest import run_server, wait_for_app
from tests.conftest import copy_sqlite, count_sample_events

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
#: Words the sample's pages show (country and event names) that no sign-in form holds.
DATA_WORDS = ("Republika Srpska", "Bosnia and Herzegovina", "Kosovo", "gas", "report")


@pytest.fixture(scope="module")
def team_server(sample_db_url, tmp_path_factory):
    url = copy_sqlite(sample_db_url, Path(tmp_path_factory.mktemp("team")) / "team.db")
    engine = open_engine(url)
    accounts.add_account(engine, "vic", "viewer", "viewer password 1")
    engine.dispose()
    with run_server(url, "streamlit-signin.log") as base:
        yield base


def test_an_anonymous_browser_gets_only_the_sign_in_form(team_server, page, artifacts):
    frames: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    page.goto(f"{team_server}/timeline?countries=BA")
    password = page.get_by_role("textbox", name="Password")
    expect(password).to_be_visible(timeout=60_000)
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=60_000)
    page.screenshot(path=str(artifacts / "sign-in-form.png"))
    body = page.locator("body").inner_text()
    assert "Sign in" in body
    assert not [w for w in DATA_WORDS if w in body], body[:500]
    expect(page.locator("[data-testid='stSidebar']")).to_have_count(0)
    assert frames, "no websocket traffic was recorded"
    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in frames)
    assert not [w for w in DATA_WORDS if w.encode() in received]

    page.get_by_role("textbox", name="Account name").fill("vic")
    password.fill("viewer password 1")
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("vic", timeout=30_000)
    # the page and filter asked for, now with their data
    expect(page).to_have_url(re.compile(r"/timeline\?countries=BA$"), timeout=30_000)
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text(
        f"({count_sample_events('BA')} report", timeout=30_000)
    expect(page.get_by_role("link", name="Add articles")).to_have_count(0)  # a viewer: no Add page
