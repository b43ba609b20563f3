"""The pages' reads through a PostgreSQL role that may only read (docs/team-setup.md, step 2a):
``DASHBOARD_DB_READ_URL`` names it, ``DASHBOARD_DB_URL`` the app's own role. Every page renders
through it; a write through it is refused by the server; the app's writes still reach the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from streamlit.testing.v1 import AppTest

from dashboard import settings
from dashboard.filters import Filters
from dashboard.store import queries
from tests.conftest import count_sample_developments, count_sample_events

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = [None, "views/map.py", "views/timeline.py", "views/articles.py", "views/expected.py", "views/brief.py"]

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def reader_url(pg_engine, pg_url):
    """A login role with SELECT only, as step 2a of docs/team-setup.md makes it."""
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS balkan_reader")
        conn.exec_driver_sql("CREATE ROLE balkan_reader LOGIN")
        conn.exec_driver_sql("GRANT CONNECT ON DATABASE postgres TO balkan_reader")
        conn.exec_driver_sql("GRANT USAGE ON SCHEMA public TO balkan_reader")
        conn.exec_driver_sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO balkan_reader")
    admin.dispose()
    yield make_url(pg_url).set(username="balkan_reader").render_as_string(hide_password=False)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "overview")
def test_every_page_reads_through_the_read_only_role(reader_url, pg_url, monkeypatch, page):
    monkeypatch.setenv(settings.ENV_VAR, pg_url)
    monkeypatch.setenv(settings.READ_ENV_VAR, reader_url)
    at = AppTest.from_file(APP, default_timeout=90)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page == "views/timeline.py":
        shown = f"{count_sample_developments()} development(s) ({count_sample_events()} reports)"
        assert shown in " ".join(c.value for c in at.caption)  # the sample's count, from its files


def test_the_read_only_role_cannot_write_and_the_app_still_can(reader_url, pg_url, monkeypatch):
    from dashboard.ui import data

    monkeypatch.setenv(settings.ENV_VAR, pg_url)
    monkeypatch.setenv(settings.READ_ENV_VAR, reader_url)
    with pytest.raises(ProgrammingError, match="permission denied"), data.read_engine().begin() as conn:
        conn.exec_driver_sql("UPDATE events SET title = 'changed' WHERE id = (SELECT MIN(id) FROM events)")
    before = queries.count_articles(data.engine(), Filters())
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/add.py").run()  # the app's write path goes through its own role
    at.text_input(key="add.title").set_value("Synthetic read-only role test")
    at.text_area(key="add.body").set_value("Synthetic test text (not news). Officials in Mostar met.")
    next(b for b in at.button if b.label == "Ingest text").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert queries.count_articles(data.engine(), Filters()) == before + 1
