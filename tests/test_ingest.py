"""Ingest on real files: cleaning, decoding, idempotence, and bad input reported by file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from dashboard.filters import Filters
from dashboard.ingest.clean import clean_body, decode_bytes
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import queries
from dashboard.store import schema as s
from tests.conftest import SEED


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_seed_body_loses_the_trailing_boilerplate():
    body = clean_body(SEED.read_text(encoding="utf-8"))
    assert body.rstrip().endswith("all communities involved.")
    for furniture in ("Previous Article", "Next Article", "San Vicente del Raspeig", "Leave a Comment", "Nadezhda"):
        assert furniture not in body


def test_decoding_windows_code_pages():
    serbian_cyr = "Приштина и Србија"
    croatian = "Brčko, Šabac, Žepče, Đakovica"
    assert decode_bytes(serbian_cyr.encode("cp1251")) == (serbian_cyr, "cp1251")
    assert decode_bytes(croatian.encode("cp1250")) == (croatian, "cp1250")
    assert decode_bytes(("\ufeff" + croatian).encode("utf-8")) == (croatian, "utf-8")


def _event(i: int, **kw) -> dict:
    base = {"type": "event", "id": f"synthetic-{i}", "title": f"Synthetic event {i}", "status": "occurred",
            "date_start": "2023-05-29", "date_precision": "day", "countries": ["XK"],
            "source_name": "synthetic test data"}
    base.update(kw)
    return base


def test_partly_bad_jsonl_keeps_good_records_and_names_line_and_field(engine, tmp_path: Path):
    good_before = tmp_path / "before.jsonl"
    good_before.write_text(json.dumps(_event(0)) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(good_before)]).exit_code == 0
    bad = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(_event(1)),
        json.dumps(_event(2, date_start="2023-02-30")),
        "{not json",
        json.dumps(_event(3, countries=["Kosovo"])),
        json.dumps(_event(4, status="rumoured")),
        json.dumps(_event(5)),
        json.dumps(_event(6, date_end="2023-01-01")),
    ]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(bad)])
    messages = [str(p) for p in report.problems]
    assert report.exit_code == 1
    assert len(messages) == 5
    assert messages[0].startswith(f"{bad}, line 2: field 'date_start':")
    assert messages[1] == f"{bad}, line 3: not valid JSON: Expecting property name enclosed in double quotes at column 2"
    assert "line 4: field 'countries'" in messages[2]
    assert "line 5: field 'status'" in messages[3] and "rumoured" in messages[3]
    assert "line 7: field 'date_end'" in messages[4]
    assert report.events_created == 2
    ids = set(queries.load_events(engine, Filters())["id"])
    assert ids == {"synthetic-0", "synthetic-1", "synthetic-5"}
    # Loading the same file again changes nothing and duplicates nothing.
    again = ingest_paths(engine, [str(bad)])
    assert again.events_created == 0 and again.events_unchanged == 2
    assert _count(engine, s.events) == 3


def test_empty_binary_and_missing_files_are_reported(engine, tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    report = ingest_paths(engine, [str(tmp_path), str(tmp_path / "missing.md")])
    text = "\n".join(map(str, report.problems))
    assert "empty.txt: the file is empty" in text
    assert "binary.txt: the file is binary" in text
    assert "missing.md: no such file or folder" in text
    assert _count(engine, s.articles) == 0


def test_seed_article_ingests_once(engine):
    first = ingest_paths(engine, [str(SEED)])
    assert (first.articles_created, first.exit_code) == (1, 0)
    second = ingest_paths(engine, [str(SEED)])
    assert (second.articles_created, second.articles_existing) == (0, 1)
    assert _count(engine, s.articles) == 1
    article = queries.get_article(engine, first.article_ids[0])
    assert article["published"] is None
    assert "Previous Article" not in article["body"]


MIXED = Path(__file__).resolve().parent / "fixtures" / "mixed"


def test_mixed_folder_keeps_every_good_record_and_reports_each_bad_one(engine):
    report = ingest_paths(engine, [str(MIXED)])
    problems = sorted(str(p).replace(str(MIXED) + "/", "") for p in report.problems)
    assert problems == [
        "empty.md: the file is empty",
        "events.jsonl, line 2: field 'date_start': '2024-13-01' is not a date (use YYYY-MM-DD)",
        "events.jsonl, line 3: field 'lon': lat and lon must be given together",
        "picture.txt: the file is binary (it contains NUL bytes), not text",
        problems[4],
    ]
    assert problems[4] == ("truncated.json: not valid JSON: Invalid control character at line 1, column 109 "
                           "(the text ends early: is the file truncated?)")
    assert report.exit_code == 1
    assert (report.articles_created, report.events_created) == (5, 2)
    titles = set(queries.load_articles(engine, Filters(), limit=100)["title"])
    assert titles == {
        "Synthetic test page about Mostar (not news)",
        "Synthetic feed item about Podgorica",
        "Synthetic feed item about Skopje",
        "Synthetic Cyrillic test text (not news)",
        "Synthetic UTF-16 test text (not news)",
    }
    html = queries.load_articles(engine, Filters(text="Mostar"), with_body=True)
    assert "First comment" not in html["body"].iloc[0] and "Home" not in html["body"].iloc[0]
    cyr = queries.load_articles(engine, Filters(text="Banjaluku"), with_body=True)
    assert "Приштину" in cyr["body"].iloc[0]  # decoded from Windows-1251, searchable in Latin
    month = queries.get_event(engine, "synthetic-mixed-4")
    assert (month["date_start"].isoformat(), month["date_end"].isoformat(), month["date_precision"]) == (
        "2024-02-01", "2024-02-29", "month")
    # Re-running over the same folder stores nothing twice.
    again = ingest_paths(engine, [str(MIXED)])
    assert (again.articles_created, again.events_created, again.articles_existing) == (0, 0, 5)


def test_syndicated_near_copies_are_linked_not_merged(engine):
    from dashboard.ingest.pipeline import ingest_text

    body = SEED.read_text(encoding="utf-8").split("Previous Article")[0]
    ingest_text(engine, body, title="Original (seed text)", name="original")
    edited = body.replace("Stoltenberg explained", "Stoltenberg said").replace("In summary", "To sum up")
    report = ingest_text(engine, edited, title="Syndicated copy (seed text, two words changed)", name="copy")
    assert report.articles_created == 1  # not merged: the copy is stored
    ingest_text(engine, "Synthetic unrelated text (not news) about weather in Tirana and football.", name="other")
    articles = queries.load_articles(engine, Filters(), limit=10)
    by_title = dict(zip(articles["title"], articles["id"], strict=True))
    original = queries.get_article(engine, int(by_title["Original (seed text)"]))
    assert [d["title"] for d in original["near_duplicates"]] == ["Syndicated copy (seed text, two words changed)"]
    other = queries.get_article(engine, int(by_title[next(t for t in by_title if t.startswith("Synthetic unrelated"))]))
    assert other["near_duplicates"] == []


def test_near_copy_keys_split_words_as_the_word_pattern_does():
    """ASCII text takes a faster word split; it must give the words (and so the stored keys) of \\w+."""
    import random
    import re

    from dashboard.ingest import neardup

    rnd = random.Random(7)
    alphabet = [chr(c) for c in range(128)]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        assert text.translate(neardup._ASCII_NONWORD).split() == re.findall(r"\w+", text), repr(text)
    from dashboard.textnorm import normalise_for_search

    folded = normalise_for_search(SEED.read_text(encoding="utf-8"))
    assert folded.isascii()
    fast = neardup.shingle_hashes(folded, folded)
    slow = neardup.shingle_hashes(folded, folded + " \u0394")  # one non-ASCII word: the \\w+ path
    assert len(fast) == len(re.findall(r"\w+", folded)) - 2
    assert (fast == slow[: len(fast)]).all()


def test_one_file_with_repeats_and_near_copies_in_the_same_batch(engine, tmp_path: Path):
    """Within one transaction's batch: a repeat resolves to the first copy, a near-copy is linked."""
    body = SEED.read_text(encoding="utf-8").split("Previous Article")[0]
    edited = body.replace("Stoltenberg explained", "Stoltenberg said").replace("In summary", "To sum up")
    records = [
        {"type": "article", "title": "Original (seed text)", "body": body},
        {"type": "article", "title": "Same text again", "body": body},
        {"type": "article", "title": "Syndicated copy (seed text, two words changed)", "body": edited},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert (report.articles_created, report.articles_existing) == (2, 1)
    assert report.article_ids[0] == report.article_ids[1] != report.article_ids[2]
    original = queries.get_article(engine, report.article_ids[0])
    assert [d["title"] for d in original["near_duplicates"]] == ["Syndicated copy (seed text, two words changed)"]
    events_after_first = _count(engine, s.events)
    assert events_after_first >= 4  # the seed's developments, once (the repeat added none)
    assert ingest_paths(engine, [str(path)]).articles_existing == 3
    assert _count(engine, s.events) == events_after_first


def _store_snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {
            "articles": sorted(conn.execute(select(s.articles.c.content_hash, s.articles.c.language)).all()),
            "tags": sorted(conn.execute(
                select(s.articles.c.content_hash, s.article_tags.c.kind, s.article_tags.c.value,
                       s.article_tags.c.span_start, s.article_tags.c.is_primary)
                .join(s.article_tags, s.article_tags.c.article_id == s.articles.c.id)).all()),
            "events": sorted(conn.execute(select(s.events.c.id, s.events.c.date_start, s.events.c.status)).all()),
            "links": conn.execute(select(func.count()).select_from(s.article_links)).scalar(),
        }


def test_analysis_in_worker_processes_stores_what_one_process_stores(tmp_path: Path):
    """``ingest --workers 2`` tags in two spawned processes; the database must come out the same.

    The parallel run goes through the CLI in its own process, as an analyst runs it (a spawned
    worker re-imports its parent's main module, which must not be pytest's or an AppTest script).
    """
    import subprocess
    import sys

    from bench import corpus
    from dashboard.ingest.pipeline import PARALLEL_MIN
    from dashboard.store import open_engine

    path = tmp_path / "synthetic.jsonl"
    records = [a.record for a in corpus.iter_articles(PARALLEL_MIN + 16, seed=7)]
    assert all("synthetic" in (r.get("outlet") or "") + (r.get("url") or "") for r in records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    one = open_engine(f"sqlite:///{tmp_path / 'one.db'}")
    report = ingest_paths(one, [str(path)], workers=1)
    assert report.articles_created == len(records) and not report.problems
    two_url = f"sqlite:///{tmp_path / 'two.db'}"
    proc = subprocess.run([sys.executable, "-m", "dashboard", "--db", two_url, "ingest", "--workers", "2", str(path)],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"{len(records)} new article(s)" in proc.stdout
    two = open_engine(two_url)
    expected = _store_snapshot(one)
    assert expected["tags"] and expected["events"]
    assert _store_snapshot(two) == expected
    one.dispose()
    two.dispose()


def test_a_long_file_reports_progress_per_batch(engine, tmp_path: Path):
    from dashboard.ingest.pipeline import EVENT_BATCH as BATCH  # a file of events alone
    from dashboard.ingest.pipeline import ingest_file

    path = tmp_path / "many.jsonl"
    n = 2 * BATCH + 50
    path.write_text("".join(json.dumps(_event(i)) + "\n" for i in range(n)), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = ingest_file(engine, path, on_batch=lambda done, total: seen.append((done, total)))
    assert report.events_created == n
    assert seen == [(BATCH, n), (2 * BATCH, n), (n, n)]


def test_events_in_one_batch_new_repeated_and_unknown_article(engine, tmp_path: Path):
    """Bulk-written events keep the meaning of one-by-one writes: a repeated id updates the first."""
    path = tmp_path / "events.jsonl"
    rows = [_event(1), _event(2), _event(1, title="Synthetic event 1, corrected"),
            _event(3, article_url="https://synthetic.invalid/not-stored")]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert (report.events_created, report.events_updated) == (2, 1)
    assert [(p.line, p.field) for p in report.problems] == [(4, "article_url")]
    assert queries.get_event(engine, "synthetic-1")["title"] == "Synthetic event 1, corrected"
    assert _count(engine, s.events) == 2


def test_an_analyst_event_repeated_in_one_batch_is_stored_once(engine, tmp_path: Path):
    """An analyst's reading of an article (written one by one) repeated later in the same run must not
    be bulk-inserted a second time."""
    from sqlalchemy.exc import IntegrityError

    from dashboard.ingest.pipeline import IngestReport, _write_events, ingest_text, prepare_record

    ingest_text(engine, "Synthetic text: officials met in Sarajevo on Monday.", url="https://synthetic.invalid/a1")
    raw = _event(9, verification="analyst", article_url="https://synthetic.invalid/a1")
    group = [(1, prepare_record(raw, "x.jsonl")), (2, prepare_record(dict(raw, title="Synthetic, again"), "x.jsonl"))]
    report = IngestReport()
    try:
        with engine.begin() as conn:
            _write_events(conn, group, "x.jsonl", "line", report)
    except IntegrityError as exc:  # the whole batch would roll back and be replayed record by record
        raise AssertionError(f"the repeat was inserted twice: {exc}") from exc
    assert (report.events_created, report.events_updated) == (1, 1)


def test_the_cycle_collector_comes_back_as_it_was(engine, tmp_path):
    """Event files are written with Python's cycle collector paused (a speed-up); afterwards it is
    on or off exactly as before, also when pauses nest (two ingests at once)."""
    import gc

    from dashboard.ingest.pipeline import cycle_collection_paused

    path = tmp_path / "one.jsonl"
    path.write_text('{"type": "event", "id": "t-gc", "title": "Synthetic (test data)", "status": "occurred"}\n',
                    encoding="utf-8")
    was = gc.isenabled()
    try:
        for before in (True, False):
            gc.enable() if before else gc.disable()
            with cycle_collection_paused():
                assert not gc.isenabled()
                with cycle_collection_paused():
                    assert not gc.isenabled()
                assert not gc.isenabled()  # the outer pause still holds
            assert gc.isenabled() is before
            ingest_paths(engine, [str(path)])
            assert gc.isenabled() is before
    finally:
        gc.enable() if was else gc.disable()


def test_an_event_file_records_an_expectations_outcome(engine, tmp_path):
    """Curated expected developments say how they ended: realised (an outcome event), slipped (the
    first deadline and the later one), abandoned; each state as the tracker shows it."""
    from datetime import date

    from dashboard.store import tracker

    base = {"type": "event", "status": "expected", "category": "politics", "countries": ["ME"],
            "date_precision": "quarter", "verification": "analyst"}
    rows = [  # synthetic test data, not news
        {**base, "id": "t-due-done", "title": "Synthetic law expected (test data)", "date_start": "2024-01-01",
         "date_end": "2024-03-31", "outcome_event_id": "t-done"},
        {"type": "event", "id": "t-done", "title": "Synthetic law adopted (test data)", "status": "occurred",
         "countries": ["ME"], "date_start": "2024-03-20", "date_precision": "day"},
        {**base, "id": "t-due-later", "title": "Synthetic vote expected, moved (test data)",
         "date_start": "2027-01-01", "date_end": "2027-03-31", "first_deadline": "2024-06-30"},
        {**base, "id": "t-due-dropped", "title": "Synthetic plan expected, dropped (test data)",
         "date_start": "2024-01-01", "date_end": "2024-03-31", "tracker_status": "abandoned", "countries": ["AL"]},
        {**base, "id": "t-due-open", "title": "Synthetic treaty expected (test data)", "date_start": "2024-01-01",
         "date_end": "2024-03-31", "countries": ["MK"]},  # (other countries: not one development)
        {"type": "event", "id": "t-bad-1", "title": "Synthetic (test data)", "status": "occurred",
         "date_start": "2024-01-01", "date_precision": "day", "first_deadline": "2024-01-01"},
        {**base, "id": "t-bad-2", "title": "Synthetic (test data)", "date_start": "2024-01-01",
         "date_end": "2024-03-31", "first_deadline": "2024-09-30"},
    ]
    path = tmp_path / "expected.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert report.events_created == 5
    assert [(p.line, p.field) for p in report.problems] == [(6, "first_deadline"), (7, "first_deadline")]
    items = tracker.expected_items(engine, Filters(), today=date(2026, 12, 1))
    states = dict(zip(items["id"], items["state"], strict=True))
    assert states == {"t-due-done": "realised", "t-due-later": "slipped", "t-due-dropped": "abandoned",
                      "t-due-open": "overdue"}
    # the map, the timeline and the briefing say "overdue" only of the one with no recorded outcome
    shown = queries.load_events(engine, Filters(), today=date(2026, 12, 1)).set_index("id")["display_status"]
    assert shown[["t-due-done", "t-due-dropped", "t-due-open"]].tolist() == ["expected", "expected", "overdue"]


def test_events_are_indexed_for_search_even_when_sqlite_picks_rowids_out_of_order(engine, tmp_path: Path):
    """New events are indexed in one statement by rowid; once the largest rowid is taken, SQLite picks
    new rowids at random (below it), and the by-id fallback must still index every new event."""
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(_event(1, title="Synthetic granary fire")) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(first)]).exit_code == 0
    with engine.begin() as conn:  # the largest rowid SQLite allows: new rows get random smaller rowids
        conn.exec_driver_sql("UPDATE events SET rowid = 9223372036854775807 WHERE id = 'synthetic-1'")
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")
    later = tmp_path / "later.jsonl"
    later.write_text("".join(json.dumps(_event(i, title=f"Synthetic orchard flood {i}")) + "\n" for i in (2, 3, 4)),
                     encoding="utf-8")
    assert ingest_paths(engine, [str(later)]).events_created == 3
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts, rank) VALUES ('integrity-check', 1)")
        found = conn.exec_driver_sql("SELECT e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid "
                                     "WHERE events_fts MATCH 'orchard' ORDER BY e.id").scalars().all()
        granary = conn.exec_driver_sql("SELECT COUNT(*) FROM events_fts WHERE events_fts MATCH 'granary'").scalar()
    assert found == ["synthetic-2", "synthetic-3", "synthetic-4"]
    assert granary == 1


def test_a_file_larger_than_a_window_is_read_and_written_a_window_at_a_time(engine, tmp_path: Path, monkeypatch):
    """A long file is never held whole: it goes in windows; lines, repeats and progress run across them."""
    from dashboard.ingest import pipeline

    monkeypatch.setattr(pipeline, "WINDOW", 4)
    rows = [json.dumps(_event(i)) for i in range(1, 8)]  # lines 1-7
    rows.insert(5, '{"type": "event", "id": "bad one"}')  # line 6: a bad id, in the second window
    rows.append(json.dumps(_event(2, title="Synthetic event 2, corrected")))  # line 9: repeats line 2
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = pipeline.ingest_file(engine, path, on_batch=lambda done, total: seen.append((done, total)))
    assert (report.files, report.events_created, report.events_updated) == (1, 7, 1)
    assert [(p.line, p.field) for p in report.problems] == [(6, "id")]
    assert seen == [(4, 4), (7, 7), (8, 8)]  # windows of 4, 4 and 1 lines; the bad line is no record stored
    assert queries.get_event(engine, "synthetic-2")["title"] == "Synthetic event 2, corrected"
    assert _count(engine, s.events) == 7
