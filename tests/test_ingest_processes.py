"""Processes of an ingest (issue 18): the workers of a parallel ingest end when their parent is killed,
and two ingests of the same folder at once both end well, each record stored exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Sarajevo", "Banja Luka", "Pristina", "Skopje", "Podgorica", "Tirana", "Belgrade", "Novi Sad"]


def _articles(n: int, tag: str = "") -> str:
    """JSON Lines of ``n`` synthetic articles (not news), each with its own URL and text."""
    lines = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        body = (f"Synthetic test text (not news) {tag}{i}. Officials in {place} met on the budget of the "
                f"municipality number {i} and {tag}discussed roads, schools and water supply. " * 12)
        lines.append(json.dumps({"type": "article", "title": f"Synthetic article {tag}{i}",
                                 "url": f"https://example.org/{tag}a{i}", "published": "2024-03-04",
                                 "body": body}))
    return "\n".join(lines) + "\n"


def _children(pid: int) -> set[int]:
    """The pids whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie, ended but not yet reaped by whoever adopted it, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_the_workers_of_a_parallel_ingest_end_when_their_parent_is_killed(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_text(_articles(400), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'kill.db'}"
    parent = subprocess.Popen([sys.executable, "-m", "dashboard", "--db", db, "ingest", "--workers", "2", str(source)],
                              cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, workers = time.monotonic() + 120, set()
        while time.monotonic() < deadline and parent.poll() is None:
            kids = {k for k in _children(parent.pid) if _alive(k)}
            grandkids = {g for k in kids for g in _children(k)}
            if len(kids) >= 2:  # the two workers (and the resource tracker) exist
                workers = kids | grandkids
                break
            time.sleep(0.05)
        assert workers, "the ingest ended or started no worker processes"
        time.sleep(0.5)
        workers |= {g for k in workers for g in _children(k)}
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = sorted(w for w in workers if _alive(w))
        assert not left, f"processes left running after their parent was killed: {left}"
    finally:
        for w in _children(parent.pid) | (workers if "workers" in dir() else set()):
            try:
                if _alive(w):
                    os.kill(w, signal.SIGKILL)
            except OSError:
                pass
        if parent.poll() is None:
            parent.kill()


def _events(n: int) -> str:
    return "\n".join(json.dumps({"type": "event", "id": f"synthetic-ev-{i}", "title": f"Synthetic event {i}",
                                 "status": "occurred", "date_start": "2023-05-29", "date_precision": "day",
                                 "countries": ["XK"], "source_name": "synthetic test data"})
                     for i in range(n)) + "\n"


def test_two_ingests_of_the_same_folder_at_once_store_each_record_once(tmp_path):
    import sqlite3

    folder = tmp_path / "in"
    folder.mkdir()
    n_articles, n_events = 0, 0
    for k in range(4):  # several files, so the two runs interleave their batches
        (folder / f"articles{k}.jsonl").write_text(_articles(40, tag=f"f{k}-"), encoding="utf-8")
        n_articles += 40
    (folder / "events.jsonl").write_text(_events(150), encoding="utf-8")
    n_events = 150
    db_file = tmp_path / "both.db"  # does not exist yet: both runs race to create it, then to write
    command = [sys.executable, "-m", "dashboard", "--db", f"sqlite:///{db_file}", "ingest", "--workers", "1",
               str(folder)]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outs, strict=True):
        assert run.returncode == 0, (run.returncode, out, err)
        assert "Traceback" not in err, err
    with sqlite3.connect(db_file) as db:
        urls = [u for (u,) in db.execute("SELECT url FROM articles")]
        events = [e for (e,) in db.execute("SELECT id FROM events WHERE id LIKE 'synthetic-ev-%'")]
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    assert ok == "ok"
    assert len(urls) == len(set(urls)) == n_articles  # 4 files of 40 articles, each once
    assert len(events) == len(set(events)) == n_events
    # between them the two runs stored each article once: one run's "new" is the other's "already stored"
    created = sum(int(out.split(" new article(s)")[0].rsplit(", ", 1)[-1]) for out, _err in outs)
    assert created == n_articles, [o for o, _e in outs]


def _hold_write_lock(db_file: Path, seconds: float | None, started: threading.Event, release: threading.Event):
    """Another writer: hold the database's write lock for ``seconds`` (or until ``release``)."""
    import sqlite3

    conn = sqlite3.connect(db_file, timeout=5, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    started.set()
    release.wait(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def _locked_ingest(tmp_path, hold: float | None):
    import threading

    from dashboard.ingest.pipeline import ingest_file
    from dashboard.store import open_engine

    db_file = tmp_path / "busy.db"
    engine = open_engine(f"sqlite:///{db_file}", busy_timeout=0.3)  # schema made before the lock is taken
    source = tmp_path / "events.jsonl"
    source.write_text(_events(30), encoding="utf-8")
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_file, hold, started, release))
    holder.start()
    started.wait(10)
    try:
        return engine, db_file, lambda: ingest_file(engine, source)
    finally:
        if hold is not None:
            holder.join(0)
        _locked_ingest.release = release  # the caller ends an unbounded hold
        _locked_ingest.holder = holder


def test_a_writer_waits_for_a_busy_database_and_retries_its_batch(tmp_path):
    import sqlite3

    engine, db_file, run = _locked_ingest(tmp_path, hold=1.5)  # longer than the busy timeout, shorter than retries
    report = run()
    _locked_ingest.holder.join()
    assert report.problems == [], [str(p) for p in report.problems]
    with sqlite3.connect(db_file) as db:
        assert db.execute("SELECT count(*) FROM events WHERE id LIKE 'synthetic-ev-%'").fetchone()[0] == 30
    engine.dispose()


def test_a_writer_that_gives_up_on_a_busy_database_says_so_in_a_sentence(tmp_path):
    import sqlite3

    import pytest

    from dashboard.store import DatabaseBusy

    engine, db_file, run = _locked_ingest(tmp_path, hold=None)  # held until the ingest has given up
    try:
        with pytest.raises(DatabaseBusy) as caught:
            run()
    finally:
        _locked_ingest.release.set()
        _locked_ingest.holder.join()
    message = str(caught.value)
    assert "events.jsonl" in message and "busy" in message and "\n" not in message, message
    with sqlite3.connect(db_file) as db:  # nothing half-written
        assert db.execute("SELECT count(*) FROM events WHERE id LIKE 'synthetic-ev-%'").fetchone()[0] == 0
    engine.dispose()


def test_the_command_line_gives_the_busy_sentence_as_it_is():
    from dashboard.__main__ import _error_sentence
    from dashboard.store import DatabaseBusy

    sentence = "a.jsonl, lines 1–30: the database stayed busy (another process held its write lock) through 5 tries."
    assert _error_sentence(DatabaseBusy(sentence), "sqlite:///x.db") == sentence
