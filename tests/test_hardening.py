"""Hardening of ingest and store (issue 18) that the generated corpus (tests/test_hostile.py) cannot
show case by case: races at start, the time bound of HTML extraction, the records limit, uploads
that name server files, unreadable folders."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from dashboard.ingest import limits
from dashboard.ingest.pipeline import ingest_file, ingest_paths
from dashboard.ingest.problems import RecordError
from dashboard.ingest.readers import read_html


def _open_at(url: str, start: float) -> str:
    from dashboard.store import open_engine

    time.sleep(max(0.0, start - time.time()))
    try:
        open_engine(url).dispose()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return f"{exc.__class__.__name__}: {exc}"
    return "ok"


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path):
    """Four processes create the schema of the same new file at the same moment, twelve times over."""
    failures = []
    with ProcessPoolExecutor(4) as pool:
        list(pool.map(_open_at, [f"sqlite:///{tmp_path / 'warm.db'}"] * 4, [0.0] * 4))  # workers started
        for attempt in range(12):
            url = f"sqlite:///{tmp_path / f'race-{attempt}.db'}"
            start = time.time() + 0.3
            failures += [r for r in pool.map(_open_at, [url] * 4, [start] * 4) if r != "ok"]
    assert failures == []


def _page(paragraphs: int) -> str:
    paras = "".join(f"<p>In statement number {k} the government in Sarajevo said on Thursday that the talks would "
                    f"resume next week, and that {k * 7} delegates would attend.</p>" for k in range(paragraphs))
    return f"<html><head><title>A long page</title></head><body><article>{paras}</article></body></html>"


def test_a_large_page_is_extracted_in_a_child_process_within_the_time_limit(monkeypatch):
    monkeypatch.setattr(limits, "HTML_FAST_BYTES", 1000)
    items = list(read_html(_page(50).encode()))
    assert len(items) == 1 and items[0][1]["title"] == "A long page"
    assert items[0][1]["body"].count("talks would resume") == 50


def test_the_extraction_child_does_not_run_the_parents_main_script(monkeypatch, tmp_path: Path):
    """A spawned child runs its parent's ``__main__`` again; in Streamlit and AppTest that is the app
    itself (every page, the store opened). The child must start from the reader's module alone."""
    import sys
    import types

    from dashboard.ingest import readers

    marker = tmp_path / "main-ran"
    script = tmp_path / "parent_main.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\nraise SystemExit(3)\n", encoding="utf-8")
    parent_main = types.ModuleType("__main__")
    parent_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", parent_main)
    monkeypatch.setattr(readers, "_HTML_POOL", [])  # a child of its own, started under this main
    monkeypatch.setattr(limits, "HTML_FAST_BYTES", 1000)
    try:
        [(line, item)] = list(read_html(_page(20).encode()))
    finally:
        for pool in readers._HTML_POOL:
            pool.shutdown(wait=True)
    assert not isinstance(item, RecordError), str(item)
    assert item["title"] == "A long page" and not marker.exists()


def test_a_page_past_the_time_limit_is_refused_with_a_sentence(monkeypatch):
    monkeypatch.setattr(limits, "HTML_FAST_BYTES", 1000)
    monkeypatch.setattr(limits, "HTML_SECONDS", 0.02)  # less than reading 3,000 paragraphs takes
    [(line, item)] = list(read_html(_page(3000).encode()))
    assert isinstance(item, RecordError) and "took longer than 0.02 s" in str(item)


def test_records_past_the_limit_are_refused_and_said(engine, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_RECORDS", 3)
    lines = [json.dumps({"type": "event", "id": f"lim-{i}", "title": f"Event {i}", "status": "occurred"})
             for i in range(5)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert report.events_created == 3
    assert [str(p) for p in report.problems] == [
        f"{path}, line 4: the file holds more than 3 records; the rest is not read (split the file)"]


@pytest.mark.parametrize("target", ["/etc/passwd", "/nonexistent/article.txt", "articles/seed.txt"])
def test_an_uploaded_event_never_makes_the_server_read_a_file(engine, target):
    line = json.dumps({"type": "event", "id": "up-1", "title": "Uploaded", "status": "occurred",
                       "verification": "analyst", "article_file": target})
    report = ingest_file(engine, Path("events.jsonl"), data=(line + "\n").encode(), name="events.jsonl")
    # the same sentence whether the file exists or not: an upload learns nothing of the server's files
    assert [str(p) for p in report.problems] == ["events.jsonl, line 1: field 'article_file': cannot be read from "
                                                 "an upload or a feed: name the article by its article_url"]
    assert report.events_created == 0


def test_the_cli_reads_article_files_only_under_the_folders_given(engine, tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "secret.txt").write_text("Secret\n\nNot for the ingest.\n", encoding="utf-8")
    line = json.dumps({"type": "event", "id": "cli-1", "title": "Linked", "status": "occurred",
                       "verification": "analyst", "article_file": "../secret.txt"})
    (tmp_path / "in" / "events.jsonl").write_text(line + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(tmp_path / "in")])
    [problem] = report.problems
    assert "field 'article_file'" in str(problem) and "outside the folders given" in str(problem)


# A folder that cannot be read: the hostile corpus's case "unreadable-folder" (run as root too).


@pytest.mark.postgres
def test_processes_opening_a_new_postgres_database_at_once_all_succeed(pg_url):  # noqa: F811
    from sqlalchemy import create_engine

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    failures = []
    try:
        with ProcessPoolExecutor(4) as pool:
            for attempt in range(4):
                name = f"race_{os.getpid()}_{attempt}"
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"CREATE DATABASE {name}")
                url = pg_url.rsplit("/", 1)[0] + f"/{name}"
                start = time.time() + 1.0
                failures += [r for r in pool.map(_open_at, [url] * 4, [start] * 4) if r != "ok"]
    finally:
        admin.dispose()
    assert failures == []
