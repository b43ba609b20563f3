"""Reads of the store stop at their time limit; writes never do; the page says to narrow the filter."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.store import QueryTimeout, open_engine

# counts to fifty million: seconds of work for SQLite, far past the limits below
SLOW_READ = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) SELECT count(*) FROM c"


def test_a_slow_read_is_stopped(db_url):
    engine = open_engine(db_url, read_time_limit=0.2)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 0.2 s"), engine.connect() as conn:
        conn.execute(text(SLOW_READ)).scalar()
    assert time.monotonic() - started < 5
    with engine.connect() as conn:  # the connection is usable again, quick reads pass
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
    engine.dispose()


def test_writes_are_not_limited(db_url):
    engine = open_engine(db_url, read_time_limit=0.01)
    with engine.begin() as conn:  # a write that runs well past the limit (about a second)
        conn.execute(text("CREATE TABLE synthetic_numbers (x INTEGER)"))
        conn.execute(text("INSERT INTO synthetic_numbers WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                          "FROM c WHERE x < 1000000) SELECT x FROM c"))
    plain = open_engine(db_url)
    with plain.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM synthetic_numbers")).scalar() == 1_000_000
    engine.dispose()
    plain.dispose()


def test_without_a_limit_nothing_is_stopped(db_url):
    engine = open_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text(SLOW_READ.replace("50000000", "300000"))).scalar() == 300_000
    engine.dispose()


def test_a_page_that_runs_out_of_time_asks_for_a_narrower_filter(db_url, monkeypatch):
    engine = open_engine(db_url)
    with engine.begin() as conn:  # 200,000 synthetic undated events: enough work for any page's reads
        conn.execute(text(
            "INSERT INTO events (id, title, status, verification, dataset, updated_at) "
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
            "SELECT 'synthetic-' || x, 'Synthetic event ' || x || ' (test data)', 'occurred', 'machine', 'import', "
            "'2026-01-01 00:00:00' FROM c"))
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    monkeypatch.setenv("DASHBOARD_QUERY_TIME_LIMIT", "0.000001")  # every read that does real work runs out
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/timeline.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Narrow the filter" in w.value for w in at.warning), [w.value for w in at.warning]
