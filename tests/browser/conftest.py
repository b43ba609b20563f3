"""Browser fixtures: a real ``streamlit run`` on a free port and Debian Chromium driven by Playwright.

Every request the page makes is recorded, so a test can assert that nothing left localhost.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard import devserver
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import open_engine

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


FIXTURES = ROOT / "tests" / "fixtures" / "browser"


@pytest.fixture(scope="session")
def browser_db_url(sample_db_url, tmp_path_factory) -> str:
    """The sample database plus the synthetic browser fixtures (a hostile article, a Latin 'Pristina')."""
    src = Path(sample_db_url.removeprefix("sqlite:///"))
    dst = tmp_path_factory.mktemp("browser") / "browser.db"
    eng = open_engine(sample_db_url)
    with eng.connect() as conn:  # fold the WAL into the main file before copying it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    shutil.copy(src, dst)
    url = f"sqlite:///{dst}"
    eng = open_engine(url)
    report = ingest_paths(eng, [str(FIXTURES)])
    eng.dispose()
    assert report.articles_created == 2 and not report.problems, report.summary()
    return url


@pytest.fixture(scope="session")
def browser_engine(browser_db_url):
    eng = open_engine(browser_db_url)
    yield eng
    eng.dispose()


@contextlib.contextmanager
def run_server(db_url: str, log_name: str = "streamlit.log", env: dict[str, str] | None = None):
    """``streamlit run`` on a free port against ``db_url`` (``env`` added to its environment); yields
    the base URL once healthy."""
    log = ROOT / "tests" / "artifacts" / log_name
    try:
        with devserver.serve(db_url, log, env=env) as (base, _proc):
            yield base
    except devserver.ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def server(browser_db_url):
    """Base URL of a streamlit server on the browser database."""
    with run_server(browser_db_url) as base:
        yield base


@pytest.fixture(scope="session")
def outside_requests():
    """Every request to a host other than localhost, across the whole browser session."""
    return []


@pytest.fixture
def page(browser, outside_requests):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    pg = context.new_page()

    def record(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about", "file"):  # nothing that leaves the machine
            return
        if parsed.hostname not in LOCAL_HOSTS:
            outside_requests.append(request.url)

    pg.on("request", record)
    yield pg
    context.close()


def wait_for_app(pg, timeout: float = 60_000) -> None:
    """Wait until the script run has finished (the app is idle), not for a fixed time."""
    pg.wait_for_selector("[data-testid='stSidebar']", timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")",
        timeout=timeout,
    )
