"""Opening the store: one engine per URL, WAL mode for SQLite, schema created on first use."""

from __future__ import annotations

import random
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dashboard.store import migrate, textsearch
from dashboard.store.schema import metadata

FTS_TABLE = "articles_fts"
#: Full-text index of ``events.search_text`` (SQLite): an external-content FTS5 table on the events'
#: rowids. New events are indexed by the store's writes, a batch in one statement
#: (``writes.index_new_events``: a per-row trigger cost 10 % of the ingest rate); updates and
#: deletes by triggers, whoever makes them.
EVENTS_FTS = "events_fts"
_EVENTS_FTS_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {EVENTS_FTS} USING fts5(search_text, content='events', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    f"DROP TRIGGER IF EXISTS {EVENTS_FTS}_ai",  # files from before: inserts are indexed in bulk now
    f"CREATE TRIGGER IF NOT EXISTS {EVENTS_FTS}_ad AFTER DELETE ON events BEGIN "
    f"INSERT INTO {EVENTS_FTS}({EVENTS_FTS}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {EVENTS_FTS}_au AFTER UPDATE OF search_text ON events BEGIN "
    f"INSERT INTO {EVENTS_FTS}({EVENTS_FTS}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    f"INSERT INTO {EVENTS_FTS}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
]
#: ``meta.schema_version``: 6 and up, the store is under migrations (``alembic_version`` holds its
#: revision: ``store/migrate.py``); 5 (the baseline) is migrated in place when opened; older ones are
#: refused with a clear message (``build-sample`` moves the file aside and rebuilds it). The number
#: only moves again if migrations themselves are replaced; a table that changes shape gets a revision.
SCHEMA_VERSION = 6  # 4: datasets (ACLED, GDELT) on events, feeds; 5: developments; 6: Alembic migrations


class SchemaMismatch(RuntimeError):
    """The database was made by another version of the schema."""


class QueryTimeout(RuntimeError):
    """A read of the store ran past its time limit (the filter asks for too much at once)."""


#: SQLite calls the progress handler every this many virtual-machine steps (cheap: ~1 ms apart).
_PROGRESS_STEPS = 20_000
_READS = ("SELECT", "WITH", "PRAGMA")


def _limit_reads(engine: Engine, seconds: float) -> None:
    """Stop any read that runs longer than ``seconds`` with :class:`QueryTimeout`; writes are never cut.

    SQLite: a progress handler on each connection interrupts a statement past its deadline; the
    deadline is set when a read starts (and covers fetching its rows) and cleared when a write
    starts or the connection goes back to the pool. PostgreSQL: ``statement_timeout``.
    """
    if is_sqlite(engine):
        @event.listens_for(engine, "connect")
        def _install(dbapi_conn, record):  # pragma: no cover - runs inside sqlite3
            deadline = record.info["read_deadline"] = [None]
            dbapi_conn.set_progress_handler(
                lambda: 1 if deadline[0] is not None and time.monotonic() > deadline[0] else 0, _PROGRESS_STEPS)

        @event.listens_for(engine, "before_cursor_execute")
        def _arm(conn, _cursor, statement, _params, _context, _many):
            holder = conn.info.get("read_deadline")
            if holder is not None:
                holder[0] = time.monotonic() + seconds if statement.lstrip()[:6].upper().startswith(_READS) else None

        @event.listens_for(engine, "checkin")
        def _disarm(_dbapi_conn, record):
            holder = record.info.get("read_deadline")
            if holder is not None:
                holder[0] = None

    else:
        @event.listens_for(engine, "connect")
        def _statement_timeout(dbapi_conn, _record):  # pragma: no cover - needs a server
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET statement_timeout = {int(seconds * 1000)}")
            dbapi_conn.commit()

    @event.listens_for(engine, "handle_error")
    def _timeout(context):
        orig = context.original_exception
        interrupted = "interrupted" in str(orig) if is_sqlite(engine) else getattr(orig, "sqlstate", None) == "57014"
        if interrupted:
            raise QueryTimeout(f"A query took longer than {seconds:g} s and was stopped.") from orig


def is_sqlite(engine: Engine) -> bool:
    """True when the store is an SQLite file (FTS5 search available)."""
    return engine.dialect.name == "sqlite"


class DatabaseBusy(RuntimeError):
    """A writer gave up: another process held the database's write lock through every try. Its text
    is the sentence for the person at the terminal or on the page."""


#: PostgreSQL's answers to a writer that met another: serialization failure, deadlock, lock not available.
_PG_BUSY = {"40001", "40P01", "55P03"}


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another writer holds the database (worth waiting and trying again)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    message = str(orig).lower()
    return code in _PG_BUSY or (isinstance(exc, OperationalError)
                                and ("database is locked" in message or "database is busy" in message))


def open_engine(url: str, *, create: bool = True, read_time_limit: float | None = None,
                busy_timeout: float = 30.0) -> Engine:
    """Return an engine for ``url``; create the schema when ``create`` is true.

    ``read_time_limit`` (seconds) stops a read that runs longer with :class:`QueryTimeout`: the
    dashboard sets it so a filter that asks for too much says so instead of hanging the page.

    SQLite connections use WAL journaling (readers never wait for an ingest), foreign keys,
    and a busy timeout (``busy_timeout`` seconds) so a concurrent writer makes readers and writers
    wait instead of fail.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - runs inside sqlite3
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: index inserts and scans of a large file
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if read_time_limit:
        _limit_reads(engine, read_time_limit)
    if create:
        create_schema(engine)
    return engine


def stored_schema_version(engine: Engine) -> int | None:
    """The schema version recorded in the database, or ``None`` for an empty or pre-versioning one."""
    with engine.connect() as conn:
        return _stored_version(conn)


def create_schema(engine: Engine) -> None:
    """Create the schema of an empty store; migrate an older one in place (every row kept); refuse
    stores older than the migrations' baseline (rebuild those), newer than this code, or holding
    another application's tables. The full-text indexes (FTS5 on SQLite, GIN on PostgreSQL) are made
    when missing.

    Safe when several processes open a new database at once: the check, the creation and the
    migration run in one transaction that holds the database's write lock (SQLite: ``BEGIN
    IMMEDIATE``; PostgreSQL: an advisory lock), so a second process waits and then finds the schema
    complete.
    """
    deadline = time.monotonic() + _SCHEMA_WAIT
    while True:
        try:
            with engine.connect() as conn:
                _lock_for_schema(conn)
                _create_schema(conn)
                conn.commit()
            return
        except OperationalError as exc:
            # SQLite answers "locked" at once, without waiting, to a connection switching a new
            # file to WAL while another holds it: wait a moment and try again
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.02, 0.1))


_SCHEMA_WAIT = 30.0  # seconds to wait for another process creating the schema


_SCHEMA_LOCK = 0x42616C6B  # "Balk": the advisory lock key on PostgreSQL


def _lock_for_schema(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits (busy timeout) for another writer, then holds the lock
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})


def _create_schema(conn) -> None:
    engine = conn.engine
    where = engine.url.render_as_string(hide_password=True)
    present = set(inspect(conn).get_table_names())
    fresh = "articles" not in present
    if fresh and present and not present & set(metadata.tables):
        shown = ", ".join(sorted(present)[:5]) + (", ..." if len(present) > 5 else "")
        raise SchemaMismatch(f"The database {where} holds another application's tables ({shown}), not Balkan Watch's; "
                             "point DASHBOARD_DB_URL (or --db) at a new or a Balkan Watch database.")
    if fresh:
        metadata.create_all(conn)
        migrate.stamp(conn, "head")
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": str(SCHEMA_VERSION)})
    else:
        managed = "alembic_version" in present
        found = _stored_version(conn)
        if (found or 0) < migrate.BASELINE_SCHEMA_VERSION or (not managed and found != migrate.BASELINE_SCHEMA_VERSION):
            raise SchemaMismatch(
                f"The database {where} has schema version {found or 'none'}, this code needs "
                f"{migrate.BASELINE_SCHEMA_VERSION} or newer (those it migrates in place). Rebuild it: python -m "
                "dashboard build-sample (the old file is kept as a .bak copy), or point DASHBOARD_DB_URL at a new "
                "database.")
        if not managed:  # made by release 5, before migrations: the baseline
            migrate.stamp(conn, migrate.BASELINE)
        try:
            applied = migrate.upgrade(conn)
        except migrate.UnknownRevision as exc:
            raise SchemaMismatch(str(exc)) from exc
        if applied or _stored_version(conn) != SCHEMA_VERSION:
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(SCHEMA_VERSION)})
        _add_missing_indexes(conn)
    if not is_sqlite(engine):  # PostgreSQL: the search documents and their GIN indexes
        had_search = textsearch.ARTICLE_SEARCH in present
        if not textsearch.indexes_present(conn):  # DDL only when missing: it would lock out writers
            for ddl in textsearch.DDL:
                conn.exec_driver_sql(ddl)
        if not had_search and not fresh:  # a store made before the index: index what it holds, once
            textsearch.backfill(conn)
    if is_sqlite(engine):
        # contentless (content=''): the index alone, no second copy of the text (migration 0006;
        # nothing reads the text back, and articles are never deleted or edited)
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
            )
        )
        had_events_fts = EVENTS_FTS in present
        for ddl in _EVENTS_FTS_DDL:
            conn.exec_driver_sql(ddl)
        if not had_events_fts and not fresh:
            # a file made before the events index existed: index what it holds, once
            conn.exec_driver_sql(f"INSERT INTO {EVENTS_FTS}({EVENTS_FTS}) VALUES ('rebuild')")


def _stored_version(conn) -> int | None:
    if not inspect(conn).has_table("meta"):
        return None
    value = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    return int(value) if value is not None else None


def _add_missing_indexes(conn) -> None:
    """Indexes of ``schema.py`` a store lacks (a file made before an index was added to the baseline):
    built once, with planner statistics on SQLite (without them it may ignore a covering index)."""
    existing = {ix["name"] for t in metadata.sorted_tables for ix in inspect(conn).get_indexes(t.name)}
    added = []
    for table in metadata.sorted_tables:
        for index in table.indexes:
            if index.name not in existing:
                index.create(conn, checkfirst=True)
                added.append(index.name)
    if added and conn.dialect.name == "sqlite":
        for name in added:
            conn.exec_driver_sql(f"ANALYZE {name}")


def refresh_statistics(engine: Engine) -> None:
    """Planner statistics (SQLite) for a store that has none yet, after its first load.

    Without statistics SQLite may prefer the primary-key index to a covering one and read the wide
    event rows where a narrow index would do. Sampled (``analysis_limit``) and done once: the
    shape of the data, which is what the planner needs, does not change as a store grows, while
    a new ANALYZE of a 38 GB file takes half a minute.
    """
    if not is_sqlite(engine):
        return
    with engine.begin() as conn:
        has_stats = inspect(conn).has_table("sqlite_stat1") and conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'events' LIMIT 1").first()
        if not has_stats:
            conn.exec_driver_sql("PRAGMA analysis_limit=400")
            conn.exec_driver_sql("ANALYZE")
