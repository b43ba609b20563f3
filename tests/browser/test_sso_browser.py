"""Single sign-on in a real browser against a real ``streamlit run``: the proxy's headers (sent by
Chromium itself, as an authenticating reverse proxy would add them) sign the user in with the role
their group maps to; the same page without the header is refused, with no data sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.store import accounts, open_engine
from tests.browser.conftest import run_server, wait_for_app
from tests.browser.test_signin_browser import DATA_WORDS
from tests.conftest import copy_sqlite

pytestmark = pytest.mark.browser
PROXY = {"user_header": "X-Forwarded-User", "groups_header": "X-Forwarded-Groups",
         "roles": {"balkan-admins": "admin", "balkan-analysts": "analyst"}}  # no default role


def test_the_proxys_headers_sign_in_and_a_request_without_them_is_refused(sample_db_url, browser, artifacts,
                                                                          tmp_path):
    url = copy_sqlite(sample_db_url, Path(tmp_path) / "sso.db")
    with run_server(url, "streamlit-sso.log", env={"DASHBOARD_AUTH_PROXY": json.dumps(PROXY)}) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1800}, extra_http_headers={
            "X-Forwarded-User": "ana@example.org", "X-Forwarded-Groups": "staff,balkan-analysts"})
        page = context.new_page()
        page.goto(f"{base}/timeline")
        wait_for_app(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar).to_contain_text("ana@example.org · analyst · single sign-on", timeout=30_000)
        expect(sidebar.locator("a[href^='mailto:']")).to_have_count(0)  # the name as text, not a link
        expect(page.get_by_role("link", name="Add articles")).to_have_count(1)  # an analyst's page
        page.screenshot(path=str(artifacts / "sso-signed-in.png"))
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 1800})  # straight to the app
        page = context.new_page()
        frames: list[bytes | str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
        page.goto(f"{base}/timeline")
        expect(page.get_by_text("request came without the X-Forwarded-User header")).to_be_visible(timeout=60_000)
        page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")",
                               timeout=60_000)
        page.screenshot(path=str(artifacts / "sso-refused.png"))
        body = page.locator("body").inner_text()
        assert not [w for w in DATA_WORDS if w in body], body[:500]
        expect(page.locator("[data-testid='stSidebar']")).to_have_count(0)
        expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
        received = b"".join(f if isinstance(f, bytes) else f.encode() for f in frames)
        assert frames and not [w for w in DATA_WORDS if w.encode() in received]
        context.close()
    engine = open_engine(url)
    assert [(a["name"], a["role"]) for a in accounts.list_accounts(engine)] == [("ana@example.org", "analyst")]
    engine.dispose()
