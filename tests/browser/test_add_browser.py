"""Uploading files on the Add articles page, in a real browser, against a server of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.filters import Filters
from dashboard.store import open_engine, queries
from tests.browser.conftest import run_server, wait_for_app

pytestmark = pytest.mark.browser
MIXED = Path(__file__).resolve().parents[1] / "fixtures" / "mixed"


def test_upload_mixed_files_reports_problems_and_stores_good_records(page, tmp_path, artifacts):
    url = f"sqlite:///{tmp_path / 'upload.db'}"
    open_engine(url).dispose()
    with run_server(url, "streamlit-upload.log") as base:
        page.goto(f"{base}/add")
        wait_for_app(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            [str(MIXED / name) for name in ("good-page.html", "feed.xml", "events.jsonl", "empty.md")]
        )
        expect(page.get_by_text("feed.xml")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Ingest files").click()
        main = page.locator("[data-testid='stMain']")
        expect(main).to_contain_text("3 new article(s)", timeout=60_000)
        expect(main).to_contain_text("3 rejected record(s)")
        expect(main).to_contain_text("empty.md: the file is empty")
        expect(main).to_contain_text("events.jsonl, line 2: field 'date_start'")
        page.screenshot(path=str(artifacts / "add-articles-upload.png"))
    engine = open_engine(url)
    assert queries.count_articles(engine, Filters()) == 3
    assert queries.count_events(engine, Filters(text="Synthetic event")) >= 2


DATASETS = Path(__file__).resolve().parents[1] / "fixtures"


def test_upload_an_acled_export_and_a_gdelt_file_then_see_them_on_the_map(page, tmp_path, artifacts):
    url = f"sqlite:///{tmp_path / 'datasets.db'}"
    open_engine(url).dispose()
    with run_server(url, "streamlit-datasets.log") as base:
        page.goto(f"{base}/add")
        wait_for_app(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            [str(DATASETS / "acled" / "acled_2023.csv"), str(DATASETS / "gdelt" / "20240105120000.export.CSV")])
        expect(page.get_by_text("acled_2023.csv")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Ingest files").click()
        main = page.locator("[data-testid='stMain']")
        # ACLED: five good rows and the bad latitude on line 8; GDELT: the region's seven good rows and line 8
        expect(main).to_contain_text("12 new event(s)", timeout=60_000)
        expect(main).to_contain_text("acled_2023.csv, line 8: latitude 'abc' is not a number")
        expect(main).to_contain_text("20240105120000.export.CSV, line 8: ActionGeo_Lat 'north' is not a number")
        page.screenshot(path=str(artifacts / "add-datasets-upload.png"))
        page.goto(f"{base}/map?datasets=acled&measure=fatalities")
        wait_for_app(page)
        expect(main).to_contain_text("5 development(s) (5 reports)", timeout=30_000)
        expect(main).to_contain_text("Source: ACLED")
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        page.locator("[data-testid='stMain'] .js-plotly-plot .choroplethlayer, "
                     "[data-testid='stMain'] .js-plotly-plot canvas").first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts / "map-acled-fatalities.png"))
