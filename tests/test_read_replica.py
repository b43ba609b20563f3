"""Reads pointed at a replica (``DASHBOARD_DB_READ_URL``), writes at the primary (``DASHBOARD_DB_URL``).

Two real SQLite files stand in for the primary and its replica: the replica holds the sample, the
primary starts empty, so which one a page or a write reached shows in what it holds.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import settings
from dashboard.filters import Filters
from dashboard.store import open_engine, queries
from tests.conftest import count_sample_developments, count_sample_events

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def test_read_url_defaults_to_the_store(monkeypatch, db_url):
    monkeypatch.setenv(settings.ENV_VAR, db_url)
    monkeypatch.delenv(settings.READ_ENV_VAR, raising=False)
    assert settings.read_database_url() == db_url
    monkeypatch.setenv(settings.READ_ENV_VAR, "sqlite:///elsewhere.db")
    assert settings.read_database_url() == "sqlite:///elsewhere.db"
    assert settings.database_url() == db_url


def test_pages_read_the_replica_and_writes_reach_the_primary(own_sample, db_url, monkeypatch):
    primary = open_engine(db_url)  # an empty store
    replica = open_engine(own_sample)  # the sample: one article, 79 reports
    assert queries.count_articles(primary, Filters()) == 0
    monkeypatch.setenv(settings.ENV_VAR, db_url)
    monkeypatch.setenv(settings.READ_ENV_VAR, own_sample)

    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/articles.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "1 article(s)" in " ".join(c.value for c in at.caption)  # the replica's article, not the empty primary
    at.switch_page("views/timeline.py").run()
    shown = f"{count_sample_developments()} development(s) ({count_sample_events()} reports)"
    assert shown in " ".join(c.value for c in at.caption)

    at.switch_page("views/add.py").run()  # the app's write path: the Add page
    at.text_input(key="add.title").set_value("Synthetic replica test")
    at.text_area(key="add.body").set_value("Synthetic test text (not news). Officials in Sarajevo met.")
    next(b for b in at.button if b.label == "Ingest text").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("1 new article(s)" in s.value for s in at.success)
    assert queries.load_articles(primary, Filters())["title"].tolist() == ["Synthetic replica test"]
    assert "Synthetic replica test" not in queries.load_articles(replica, Filters())["title"].tolist()

    at.switch_page("views/articles.py").run()  # until the replica catches up, pages show what it holds
    assert "1 article(s)" in " ".join(c.value for c in at.caption)
    assert not any("Synthetic replica test" in m.value for m in at.markdown)
    primary.dispose()
    replica.dispose()


def test_exports_read_the_replica(own_sample, db_url, monkeypatch):
    from dashboard.ui import data

    monkeypatch.setenv(settings.ENV_VAR, db_url)
    monkeypatch.setenv(settings.READ_ENV_VAR, own_sample)
    assert queries.count_articles(data.export_engine(), Filters()) == 1
    assert queries.count_articles(data.engine(), Filters()) == 0  # the primary, where writes go
