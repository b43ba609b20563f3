"""The CLI on a real database: export with filters, exit codes, help text for every command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from dashboard.__main__ import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in COMMANDS:
        assert sub.choices[name].description or any(c.dest == name and c.help for c in sub._choices_actions), name


def test_export_events_jsonl_filtered(sample_db_url, tmp_path: Path):
    out = tmp_path / "events.jsonl"
    code = main(["--db", sample_db_url, "export", "events", "--format", "jsonl", "--countries", "BA,XK",
                 "--from", "2023-01-01", "--to", "2023-12-31", "-o", str(out)])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    required = {"id", "title", "summary", "date_start", "date_end", "date_precision", "status", "category",
                "countries", "places", "lat", "lon", "source_url", "article_id", "evidence", "verification"}
    for row in rows:
        assert required <= row.keys()
        assert set(row["countries"]) & {"BA", "XK"}
        # Undated events are included by default; dated ones overlap 2023.
        if row["date_start"]:
            assert row["date_start"] <= "2023-12-31" and row["date_end"] >= "2023-01-01"
    gas = [r for r in rows if r["id"] == "seed-rs-russia-gas-agreement"]
    assert gas and gas[0]["status"] == "expected" and gas[0]["date_end"] == "2023-12-31"
    assert gas[0]["places"] == ["BA-SRP"] and gas[0]["evidence"].startswith("In related regional developments")


def test_export_articles_csv_to_stdout(sample_db_url):
    proc = subprocess.run([sys.executable, "-m", "dashboard", "--db", sample_db_url, "export", "articles",
                           "--format", "csv", "--countries", "BA"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) >= 1
    seed = next(r for r in rows if r["title"].startswith("NATO Reassesses"))
    assert "BA" in seed["primary_countries"].split(";")
    assert seed["published"] == ""
    assert "Exported" in proc.stderr


def test_usage_errors_exit_2(sample_db_url):
    assert main(["--db", sample_db_url, "export", "places"]) == 2
    assert main(["--db", sample_db_url, "export", "events", "--from", "yesterday"]) == 2
    assert main([]) == 2


def test_ingest_exit_codes(db_url, tmp_path: Path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "synthetic-1", "title": "Synthetic", "status": "occurred",
                                "source_name": "synthetic test data"}) + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    assert main(["--db", db_url, "ingest", str(good)]) == 0
    assert main(["--db", db_url, "ingest", str(bad)]) == 1
    assert main(["--db", db_url, "ingest", str(tmp_path / "nothing-here")]) == 2


def test_build_sample_loads_once_and_reloads_an_empty_or_older_store(tmp_path: Path, capsys):
    from sqlalchemy import text

    from dashboard.store import open_engine

    db = tmp_path / "sample.db"
    url = f"sqlite:///{db}"
    assert main(["--db", url, "build-sample"]) == 0
    assert "Sample data loaded" in capsys.readouterr().out
    assert main(["--db", url, "build-sample"]) == 0
    assert "up to date" in capsys.readouterr().out

    empty = tmp_path / "empty.db"  # a store created but never loaded (an interrupted first run, say)
    open_engine(f"sqlite:///{empty}").dispose()
    assert main(["--db", f"sqlite:///{empty}", "build-sample"]) == 0
    assert "Sample data loaded" in capsys.readouterr().out
    engine = open_engine(f"sqlite:///{empty}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() >= 75
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
        conn.commit()
    engine.dispose()
    assert main(["--db", f"sqlite:///{empty}", "build-sample"]) == 0
    out = capsys.readouterr()
    assert "older version (schema 2)" in out.err and (tmp_path / "empty.db.schema2.bak").exists()
    assert "Sample data loaded" in out.out


def test_an_older_store_is_one_sentence_not_a_traceback(tmp_path: Path, capsys):
    from sqlalchemy import text

    from dashboard.store import open_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    assert main(["--db", url, "export", "events", "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "has schema version 2, this code needs" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_store_that_cannot_be_opened_is_one_sentence(tmp_path: Path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    url = f"sqlite:///{blocker / 'store.db'}"
    assert main(["--db", url, "ingest", str(ROOT / "data" / "sample" / "articles")]) == 2
    err = capsys.readouterr().err
    assert "not-a-folder" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_rebuild_keeps_the_analysts_edits(tmp_path: Path, capsys):
    """An older file is rebuilt from the sample and every logged correction is applied again."""
    from datetime import date

    from sqlalchemy import text

    from dashboard.store import curation, open_engine, queries

    gas = "seed-rs-russia-gas-agreement"
    url = f"sqlite:///{tmp_path / 'kept.db'}"
    assert main(["--db", url, "build-sample"]) == 0
    engine = open_engine(url)
    article_id = int(queries.load_articles(engine, queries.Filters())["id"].iloc[0])
    curation.edit_event(engine, gas, {"date_end": date(2024, 6, 30), "title": "Gas deal (retitled by Ana)"}, "Ana")
    curation.add_tag(engine, article_id, "country", "ME", "Ana")
    with engine.begin() as conn:  # the file now looks like one made by an older version
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    capsys.readouterr()
    assert main(["--db", url, "build-sample"]) == 0
    err = capsys.readouterr().err
    assert "with its 3 analysts' edit(s)" in err and "3 analysts' edit(s) reapplied" in err, err
    engine = open_engine(url)
    ev = queries.get_event(engine, gas)
    assert (ev["title"], ev["date_end"]) == ("Gas deal (retitled by Ana)", date(2024, 6, 30))
    assert {e["editor"] for e in curation.history(engine, "event", gas)} == {"Ana"}
    new_id = int(queries.load_articles(engine, queries.Filters())["id"].iloc[0])
    assert any(t["kind"] == "country" and t["value"] == "ME" for t in queries.get_article(engine, new_id)["tags"])
    engine.dispose()


def test_build_sample_works_from_any_folder(tmp_path: Path, monkeypatch, capsys):
    """The seed's events name their article by a path relative to their own file, not to the shell."""
    monkeypatch.chdir(tmp_path)
    assert main(["--db", f"sqlite:///{tmp_path / 'elsewhere.db'}", "build-sample"]) == 0
    out = capsys.readouterr()
    assert "no problems" in out.out and "4 machine reading(s) replaced" in out.out, out.err
