"""Schema migrations: an older store is brought up to date in place, every row kept (SQLite, PostgreSQL).

On SQLite the store is one made by the last release before migrations (``tests/fixtures/migrations``,
with analysts' edits in it), read row by row with ``sqlite3`` before and after it is opened. On
PostgreSQL a store is built by the baseline revision alone and filled with that file's rows. The
answer is always the rows as they were, not anything the migration computes.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from dashboard.store import SchemaMismatch, developments, migrate, open_engine, rollups
from dashboard.store.engine import SCHEMA_VERSION, stored_schema_version
from dashboard.store.schema import metadata

BASELINE_TABLES = ("articles", "article_tags", "developments", "events", "event_countries", "event_places",
                   "event_topics", "event_actors", "article_bands", "article_links", "feeds", "edits", "meta")
RELEASE5 = Path(__file__).resolve().parent / "fixtures" / "migrations" / "release5-store.db.gz"
EDIT = {"entity": "event", "record_id": "synthetic-edit", "field": "status", "old_value": "expected",
        "new_value": "occurred", "editor": "Ana (analyst)", "edited_at": datetime(2026, 11, 30, 9, 15)}


def _baseline_store(url: str, source_url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """A store at the baseline revision holding the source store's rows and one analyst's edit; the
    rows it was given, table by table (baseline columns only)."""
    engine = create_engine(url)
    migrate.upgrade(engine, migrate.BASELINE)
    source = create_engine(source_url)
    given: dict[str, list[tuple]] = {}
    baseline = MetaData()
    baseline.reflect(engine, only=BASELINE_TABLES)
    with source.connect() as src, engine.begin() as dst:
        dst.execute(text("DELETE FROM meta"))
        for name in BASELINE_TABLES:
            table = baseline.tables[name]
            cols = [c.name for c in table.columns]
            rows = [dict(r) for r in src.execute(select(*(metadata.tables[name].c[c] for c in cols))).mappings()]
            if name == "edits":
                rows.append({"id": len(rows) + 1, **EDIT})
            if name == "meta":
                rows = [r for r in rows if r["key"] != "schema_version"] + [{"key": "schema_version", "value": "5"}]
            if rows:
                dst.execute(table.insert(), rows)
            given[name] = (cols, sorted(tuple(r[c] for c in cols) for r in rows))
        if engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for name in ("articles", "developments", "edits"):
                dst.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))")
    source.dispose()
    engine.dispose()
    return given


def _rows(engine, name: str, cols: list[str]) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(*(metadata.tables[name].c[c] for c in cols))))


def _check_upgrade_keeps_everything(url: str, sample_db_url: str) -> None:
    given = _baseline_store(url, sample_db_url)
    assert len(given["articles"][1]) > 0 and len(given["events"][1]) > 70 and len(given["edits"][1]) >= 1
    engine = open_engine(url)  # opening migrates in place
    try:
        assert migrate.current(engine) == migrate.head()
        assert stored_schema_version(engine) == SCHEMA_VERSION
        for name, (cols, rows) in given.items():
            found = _rows(engine, name, cols)
            if name == "meta":
                found = [r for r in found if r[0] != "schema_version"]
                rows = [r for r in rows if r[0] != "schema_version"]
            assert found == rows, f"{name}: rows changed in the upgrade"
        with engine.connect() as conn:  # the analyst's edit, field by field
            e = metadata.tables["edits"].c
            edit = conn.execute(select(e.editor, e.new_value, e.edited_at).where(e.record_id == "synthetic-edit")).one()
        assert tuple(edit) == ("Ana (analyst)", "occurred", EDIT["edited_at"])
        # nothing left for the migrations to change: the store is what schema.py says
        assert migrate.drift(engine) == []
    finally:
        engine.dispose()


def _release5(tmp_path) -> Path:
    path = tmp_path / "release5.db"
    with gzip.open(RELEASE5) as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _snapshot(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table of the file (full-text shadow tables aside), read with sqlite3;
    with ``columns``, only those columns of those tables (what an older file had)."""
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")]
    rows = {}
    for n in names:
        cols = (columns or {}).get(n) or [r[1] for r in conn.execute(f"PRAGMA table_info({n})")]
        rows[n] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {n}"), key=repr)
    conn.close()
    rows["meta"] = [r for r in rows.get("meta", []) if r[0] != "schema_version"]
    return rows


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: [r[1] for r in conn.execute(f"PRAGMA table_info({n})")] for n in names}


def test_a_store_of_the_previous_release_migrates_with_its_edits(tmp_path, sample_engine):
    from dashboard.filters import Filters
    from dashboard.store import curation, judgements, queries

    path = _release5(tmp_path)
    before, old_columns = _snapshot(path), _columns(path)
    with sqlite3.connect(path) as conn:  # the old file's own full-text index, asked directly
        kosovo = conn.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'kosovo'").fetchone()[0]
    assert len(before["events"]) == 79 and len(before["edits"]) == 3  # as the fixture's README says
    engine = open_engine(f"sqlite:///{path}")  # opening migrates in place
    assert (migrate.current(engine), stored_schema_version(engine)) == (migrate.head(), SCHEMA_VERSION)
    assert migrate.drift(engine) == []
    after = _snapshot(path, old_columns)
    for name, rows in before.items():
        assert after[name] == rows, f"{name}: rows changed in the migration"
    assert set(after) - set(before) == {"alembic_version", "accounts", "sessions", "sign_ins", "development_words",
                                        "development_word_counts", "development_countries", "development_months",
                                        "development_cells", "stability_months", "stability_values", "stability_due",
                                        "stability_media"}
    # 0008 gave each development the countries its reports name, from the old file's own link rows
    events = {r[0]: r for r in before["events"]}
    dev_col = old_columns["events"].index("development_id")
    named: dict[int, set] = {}
    for event_id, country in before["event_countries"]:
        named.setdefault(events[event_id][dev_col], set()).add(country)
    with sqlite3.connect(path) as conn:
        stored = dict(conn.execute("SELECT id, countries FROM developments"))
    assert stored and {d: set(c.split()) for d, c in stored.items() if c} == {d: c for d, c in named.items()}
    # 0007 filled the words every development is found by (the migrated file had 79 events)
    with engine.connect() as conn:
        dated = conn.execute(text("SELECT count(*) FROM developments WHERE date_start IS NOT NULL")).scalar()
        assert dated > 0
        assert conn.execute(text("SELECT count(DISTINCT development_id) FROM development_words")).scalar() == dated
        assert developments.words_missing(conn) == []
        assert rollups.differences(conn) == []
    # 0009 filled the indicator's rollups: the Overview's months are what the reports give
    from dashboard.store import stability
    from dashboard.vocab import DATASETS

    for level in ("country", "place"):
        ahead = stability.monthly(engine, Filters(), level, date(2026, 12, 1))
        assert ahead and ahead == stability.monthly(engine, Filters(datasets=DATASETS), level, date(2026, 12, 1))
    # the analysts' edits still do what they did, under their editor's name
    assert queries.get_event(engine, "seed-rs-russia-gas-agreement")["status"] == "occurred"
    assert [e["editor"] for e in curation.history(engine, "event", "seed-rs-russia-gas-agreement")] == ["Ana Old"]
    assert judgements.judgements(engine)[("BA", "2023-05")]["reason"] == "Old release reason."
    # and search reads the old file's full-text index as before
    f = Filters(text="Kosovo")
    assert queries.count_events(engine, f) == kosovo > 0
    engine.dispose()


def test_migrations_build_what_schema_py_says(tmp_path):
    """Every revision from an empty store gives the tables of schema.py exactly (a change without its
    revision fails here)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert migrate.upgrade(engine) == migrate.revisions()
    assert migrate.drift(engine) == []
    engine.dispose()


def test_a_store_made_before_the_migrations_is_stamped_and_kept(tmp_path):
    """A store of release 5 has no alembic_version: it is the baseline, stamped, then upgraded."""
    url = f"sqlite:///{tmp_path / 'release5.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine, migrate.BASELINE)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.execute(text("INSERT INTO edits (entity, record_id, field, old_value, new_value, editor, edited_at) "
                          "VALUES (:entity, :record_id, :field, :old_value, :new_value, :editor, :edited_at)"), EDIT)
    engine.dispose()
    engine = open_engine(url)
    assert migrate.current(engine) == migrate.head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT editor FROM edits")).scalars().all() == ["Ana (analyst)"]
    engine.dispose()


def test_a_store_older_than_the_baseline_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'release4.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match="schema version 4, this code needs 5 or newer"):
        open_engine(url)


def test_a_store_from_newer_code_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match="revision 9999, newer than this code knows"):
        open_engine(url)


@pytest.fixture
def pg_database(pg_url):  # noqa: F811
    """A database of this test's own on the throwaway server (created empty, dropped after)."""
    name = f"bw_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.mark.postgres
def test_postgres_baseline_store_upgrades_with_nothing_lost(pg_database, tmp_path):
    """The previous release's rows (and one more edit) in a PostgreSQL store at the baseline."""
    _check_upgrade_keeps_everything(pg_database, f"sqlite:///{_release5(tmp_path)}")


def test_sqlite_baseline_store_upgrades_with_nothing_lost(tmp_path, sample_db_url):
    """The same on SQLite, from the sample store made by today's code."""
    _check_upgrade_keeps_everything(f"sqlite:///{tmp_path / 'old.db'}", sample_db_url)


@pytest.mark.postgres
def test_postgres_fresh_store_is_at_the_newest_revision(pg_database):
    engine = open_engine(pg_database)
    assert migrate.current(engine) == migrate.head()
    assert migrate.drift(engine) == []
    engine.dispose()


def test_the_facts_index_gains_the_development_with_true_statistics(tmp_path):
    """0005: the facts index ends with the development (so the developments of a country filter are
    read from it alone: checked with EXPLAIN QUERY PLAN on the 10k bench store, where a 79-event file
    is too small for the planner to care) and its planner statistics count every event (a sampled
    count below the true one made SQLite scan the whole table for a dataset absent from it)."""
    path = _release5(tmp_path)
    engine = open_engine(f"sqlite:///{path}")  # opening migrates in place
    engine.dispose()
    conn = sqlite3.connect(path)
    stat = conn.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_events_id_facts_development'").fetchone()
    columns = [r[2] for r in conn.execute("PRAGMA index_info('ix_events_id_facts_development')")]
    old = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_events_id_facts'").fetchone()[0]
    conn.close()
    assert stat is not None and stat[0].split()[0] == "79"  # the fixture's 79 events (its README)
    assert columns[0] == "id" and columns[-1] == "development_id" and old == 0


def test_the_article_index_keeps_its_matches_and_ranks_without_a_copy_of_the_text(tmp_path):
    """0006: ``articles_fts`` becomes contentless (no ``_content`` shadow table); every query finds
    the same articles with the same BM25 ranks as the old file's own index did before."""
    path = _release5(tmp_path)
    queries = ['"kosovo"', '"gas"', '"serbia" "russia"', '"bosnia"']
    ranked = "SELECT rowid, round(rank, 9) FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank, rowid"
    with sqlite3.connect(path) as conn:  # the old index, asked directly
        before = {q: conn.execute(ranked, (q,)).fetchall() for q in queries}
        had_copy = conn.execute("SELECT count(*) FROM articles_fts_content").fetchone()[0]
    assert had_copy > 0 and sum(map(len, before.values())) > 0
    engine = open_engine(f"sqlite:///{path}")  # opening migrates in place
    engine.dispose()
    conn = sqlite3.connect(path)
    after = {q: conn.execute(ranked, (q,)).fetchall() for q in queries}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'articles_fts%'")}
    conn.close()
    assert after == before
    assert "articles_fts_content" not in tables and "articles_fts" in tables
    fresh = tmp_path / "fresh.db"  # a new store is made contentless from the start
    open_engine(f"sqlite:///{fresh}").dispose()
    with sqlite3.connect(fresh) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts_content'").fetchone()[0] == 0
