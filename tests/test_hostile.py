"""The generated hostile corpus (tests/hostile.py), case by case: no traceback, the documented exit code,
each bad record named by file and line or record, every good record stored exactly, nothing bad stored,
and nothing stored before touched."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from tests.hostile import Case, all_cases

ROOT = Path(__file__).resolve().parent.parent
CASES = all_cases()
BEFORE_ARTICLE = {"title": "Stored before the hostile run",
                  "body": "This article was stored before any hostile input arrived, and must stay exactly so."}
BEFORE_EVENT = {"type": "event", "id": "stored-before", "title": "An event stored before", "status": "occurred",
                "date_start": "2022-01-02", "date_precision": "day", "countries": ["RS"]}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database holding one article and one event, copied for every case."""
    root = tmp_path_factory.mktemp("hostile-template")
    (root / "before.jsonl").write_text(json.dumps({"type": "article", **BEFORE_ARTICLE}) + "\n"
                                       + json.dumps(BEFORE_EVENT) + "\n", encoding="utf-8")
    db = root / "template.db"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["--db", f"sqlite:///{db}", "ingest", "--workers", "1", str(root / "before.jsonl")]) == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


def _rows(db: Path) -> tuple[list[dict], list[dict]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        articles = [dict(r) for r in con.execute("SELECT * FROM articles ORDER BY id")]
        events = [dict(r) for r in con.execute("SELECT * FROM events WHERE dataset != 'machine' ORDER BY id")]
    finally:
        con.close()
    for row in articles:
        row.pop("ingested_at", None)
    return articles, events


def _tables(path: Path) -> list[str] | None:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master"))
    except sqlite3.DatabaseError:  # not a database at all: its bytes are compared instead
        return None
    finally:
        con.close()


def _run(case: Case, tmp: Path, url: str) -> tuple[int, str, str]:
    if case.command:
        argv = ["--db", url, *[a.replace("{tmp}", str(tmp)) for a in case.command]]
    else:
        paths = case.args if case.args is not None else sorted(case.files)
        argv = ["--db", url, "ingest", "--workers", "1", *paths]
    if case.honour_permissions and os.geteuid() == 0:
        # root reads folders whatever their mode (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): the command runs
        # without those two capabilities, as a user's would, so a folder of mode 000 is unreadable to it
        caps = "-dac_override,-dac_read_search"
        proc = subprocess.run(["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--",
                               sys.executable, "-m", "dashboard", *argv], capture_output=True, text=True, cwd=tmp,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr
    if case.stdout_closed:  # as in `python -m dashboard export ... | head -0`: the reader has gone
        read_end, write_end = os.pipe()
        os.close(read_end)
        proc = subprocess.run([sys.executable, "-m", "dashboard", *argv], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, cwd=tmp, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        os.close(write_end)
        return proc.returncode, "", proc.stderr
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except BaseException as exc:  # noqa: BLE001 - the case is about exactly this
            import traceback

            err.write("Traceback (raised out of main):\n" + "".join(traceback.format_exception(exc)))
            code = -1
    return code, out.getvalue(), err.getvalue()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, template: Path, tmp_path: Path, monkeypatch):
    for rel, content in case.files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if case.setup:
        case.setup(tmp_path)
    if case.db_setup:
        case.db_setup(tmp_path)
    db = tmp_path / "store.db"
    if case.db is None:
        shutil.copy(template, db)
        url = f"sqlite:///{db}"
        before = _rows(db)
    else:
        url = case.db.replace("{tmp}", str(tmp_path))
        foreign = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        foreign_tables = _tables(foreign) if foreign and foreign.is_file() else None
        foreign_bytes = foreign.read_bytes() if foreign and foreign.is_file() and foreign_tables is None else None
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(case, tmp_path, url)

    assert "Traceback" not in err and "Exception ignored" not in err, err[-3000:]
    assert code == case.exit, f"exit {code}, expected {case.exit}\nstdout: {out[-1500:]}\nstderr: {err[-1500:]}"
    assert not any(line.startswith("FAKE") for line in (out + "\n" + err).splitlines()), "a file name forged a line"
    for name, line in case.bad:
        if line is None:
            assert f"{name}: " in err, f"{name} is not named\n{err[-1500:]}"
        else:
            assert f"{name}, line {line}:" in err or f"{name}, record {line}:" in err, \
                f"{name} line/record {line} is not named\n{err[-1500:]}"
    if case.message:
        assert case.message in err.lower(), err[-1500:]
    if case.exit == 2 and (case.db is not None or case.command):
        assert len(err.strip().splitlines()) == 1, f"one sentence expected:\n{err}"
    if case.db is not None:
        if foreign_tables is not None:
            assert _tables(foreign) == foreign_tables, "a foreign database was changed"
        if foreign_bytes is not None:
            assert foreign.read_bytes() == foreign_bytes, "a file that is not a database was changed"
        return
    articles, events = _rows(db)
    old_articles, old_events = before
    assert articles[:len(old_articles)] == old_articles, "an article stored before was changed"
    for old in old_events:
        assert old in events, "an event stored before was changed"
    new_articles = articles[len(old_articles):]
    new_events = [e for e in events if e not in old_events]
    assert len(new_articles) == len(case.articles), \
        f"{len(new_articles)} new articles, expected {len(case.articles)}: {[a['title'] for a in new_articles]}"
    assert len(new_events) == len(case.events), \
        f"{len(new_events)} new events, expected {len(case.events)}: {[e['id'] for e in new_events]}"
    for want in case.articles:
        match = [a for a in new_articles if a["title"] == want["title"]]
        assert match, f"article {want['title']!r} not stored as written; stored: {[a['title'] for a in new_articles]}"
        for key, value in want.items():
            assert match[0][key] == value, f"{key}: stored {match[0][key]!r}, source {value!r}"
    for want in case.events:
        match = [e for e in new_events if e["id"] == want["id"]]
        assert match and all(match[0][k] == v for k, v in want.items()), f"event {want} not stored as written"


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 300
