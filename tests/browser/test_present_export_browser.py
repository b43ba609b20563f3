"""Presentation mode and downloads in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.conftest import count_sample_events

pytestmark = pytest.mark.browser


def test_presentation_mode_hides_controls_and_keeps_the_filter_caption(server, page, artifacts):
    page.goto(f"{server}/timeline?countries=BA&present=1")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Exit presentation mode")).to_be_visible(timeout=30_000)
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator("[class*='st-key-timeline-lane']")).to_be_hidden()
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("Bosnia and Herzegovina")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain]')).fontSize)")
    assert size >= 19
    page.screenshot(path=str(artifacts / "presentation-timeline.png"))
    page.get_by_role("button", name="Exit presentation mode").click()
    expect(page.locator("section[data-testid='stSidebar']")).to_be_visible(timeout=30_000)
    expect(page.locator("[class*='st-key-timeline-lane']")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"present=1"))


def test_data_export_downloads_every_row(server, page, browser_engine, tmp_path):

    page.goto(f"{server}/brief?countries=XK")
    wait_for_app(page)
    page.get_by_role("button", name="Prepare the file").click()
    n = count_sample_events("XK")
    button = page.get_by_role("button", name=re.compile(rf"Download .*\.csv \({n} rows\)"))
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        button.click()
    path = tmp_path / "events.csv"
    info.value.save_as(path)
    assert len(path.read_text(encoding="utf-8").strip().splitlines()) == n + 1
