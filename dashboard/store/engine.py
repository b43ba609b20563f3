"""Opening the store: one engine per URL, WAL mode for SQLite, schema created on first use."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from dashboard.store.schema import metadata

FTS_TABLE = "articles_fts"


def is_sqlite(engine: Engine) -> bool:
    """True when the store is an SQLite file (FTS5 search available)."""
    return engine.dialect.name == "sqlite"


def open_engine(url: str, *, create: bool = True) -> Engine:
    """Return an engine for ``url``; create the schema when ``create`` is true.

    SQLite connections use WAL journaling (readers never wait for an ingest), foreign keys,
    and a busy timeout so a concurrent writer makes readers wait instead of fail.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - runs inside sqlite3
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if create:
        create_schema(engine)
    return engine


def create_schema(engine: Engine) -> None:
    """Create tables (and the FTS5 index on SQLite) when they are missing."""
    metadata.create_all(engine)
    if is_sqlite(engine):
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                    "title, body, tokenize='unicode61 remove_diacritics 2')"
                )
            )
