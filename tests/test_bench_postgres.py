"""The benchmark's PostgreSQL section runs end to end (on the sample database, to stay quick; the bench
smoke test leaves it out): a real local server, the copy, every page under every standard filter, the
queries, and the report's rows. Numbers are printed, never compared with the targets."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from bench import pages, pgserver, postgres, report
from dashboard.ingest.sample import load_sample
from dashboard.store import open_engine
from tests.conftest import count_sample_articles, count_sample_events


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_postgres_section_measures_every_page_and_query(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_DB_URL", raising=False)  # whatever the section sets is undone after
    if pgserver.available():
        pytest.skip(pgserver.available())
    db = tmp_path / "sample.db"
    engine = open_engine(f"sqlite:///{db}")
    assert not load_sample(engine).problems
    engine.dispose()
    r = postgres.run(db, reruns=1, timeout=30)
    assert "DASHBOARD_DB_URL" not in os.environ  # the server is gone: nothing may point at it
    assert r["rows"]["articles"] == count_sample_articles() and r["rows"]["events"] == count_sample_events()
    assert set(r["pages"]) == {f"{p.split('/')[-1].removesuffix('.py')}.{s}"
                               for p in pages.PAGES for s in pages.SCENARIO_PARAMS}
    for key, p in r["pages"].items():
        assert not p.get("timed_out") and not p["errors"], (key, p.get("errors"))
        assert all(math.isfinite(p[k]["median"]) for k in ("cold", "change", "warm")), key
    assert set(r["sql"]["search"]) == set(postgres.sqlbench.SEARCHES)
    lines, targets = report.rows({"postgres": r})
    text = "\n".join(" | ".join(row) for row in lines)
    print(text)
    assert "[PostgreSQL beside SQLite" in text and "map ba_year after a filter change" in text
    assert any(t["target"].startswith("PostgreSQL search") for t in targets)
