"""Copy a whole store into an empty one: a team moving from its SQLite file to a PostgreSQL server,
and the benchmark putting its database on PostgreSQL.

Every table of the schema is copied row for row, parents before children, ids kept; the target's
own bookkeeping (its schema version, its migrations) stays as it was created. Then what each store
keeps for itself is rebuilt there: PostgreSQL's id sequences move past the copied ids and its
article search rows are written; SQLite's full-text indexes are rebuilt. The store's revision is
taken over, so caches keyed on it see one state.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, Integer, func, select

from dashboard.store import schema as s
from dashboard.store.engine import EVENTS_FTS, FTS_TABLE
from dashboard.textnorm import normalise_for_search

#: Rows read and written at a time.
CHUNK = 5000
#: Kept as the target made them (its schema version and migrations).
_OWN = {"alembic_version"}


class TargetNotEmpty(Exception):
    """The target store already holds records: a copy would mix two stores."""


def copy_store(source: Engine, target: Engine, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into ``target`` (both with the current schema); return rows per table.

    ``target`` must hold no articles, events or accounts (:class:`TargetNotEmpty` otherwise).
    ``progress(table, rows copied)`` is called after each table.
    """
    with target.connect() as conn:
        for table in (s.articles, s.events, s.accounts):
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise TargetNotEmpty(f"the target store already holds {table.name}: copy only into an empty store")
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in s.metadata.sorted_tables:
            if table.name in _OWN:
                continue
            if table.name == "meta":
                counts["meta"] = _copy_meta(src, dst)
                continue
            counts[table.name] = _copy_table(src, dst, table)
            if progress:
                progress(table.name, counts[table.name])
        _rebuild_own_indexes(dst)
    if target.dialect.name == "postgresql":  # after a bulk load: the visibility map lets the planner use
        with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # the search index
            conn.exec_driver_sql("VACUUM ANALYZE")
    return counts


def _copy_meta(src: Connection, dst: Connection) -> int:
    """The store's revision is taken over; the schema version is the target's own."""
    rows = src.execute(select(s.meta).where(s.meta.c.key != "schema_version")).all()
    for row in rows:
        dst.execute(s.meta.delete().where(s.meta.c.key == row.key))
        dst.execute(s.meta.insert().values(**row._mapping))
    return len(rows)


def _copy_table(src: Connection, dst: Connection, table) -> int:
    cols = [c.name for c in table.columns]
    result = src.execution_options(stream_results=True, yield_per=CHUNK).execute(select(table))
    copied = 0
    if dst.dialect.name == "postgresql":
        raw = dst.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({", ".join(cols)}) FROM STDIN') as copy:
            for row in result:
                copy.write_row(tuple(row))
                copied += 1
        return copied
    for part in result.partitions(CHUNK):
        dst.execute(table.insert(), [dict(r._mapping) for r in part])
        copied += len(part)
    return copied


def _rebuild_own_indexes(dst: Connection) -> None:
    if dst.dialect.name == "postgresql":
        from dashboard.store import textsearch

        for table in s.metadata.sorted_tables:  # ids the copy wrote past the sequences
            key = [c for c in table.primary_key.columns if isinstance(c.type, Integer) and c.autoincrement is True]
            if len(key) == 1:
                dst.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                    f"COALESCE((SELECT MAX({key[0].name}) FROM \"{table.name}\"), 0) + 1, false)")
        textsearch.backfill(dst)
    else:
        dst.exec_driver_sql(f"INSERT INTO {EVENTS_FTS}({EVENTS_FTS}) VALUES ('rebuild')")  # reads events
        last = 0
        while True:  # the articles' index holds its own folded copy of each title and body
            rows = dst.execute(select(s.articles.c.id, s.articles.c.title, s.articles.c.body)
                               .where(s.articles.c.id > last).order_by(s.articles.c.id).limit(CHUNK)).all()
            if not rows:
                return
            dst.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                                [(r.id, normalise_for_search(r.title), normalise_for_search(r.body)) for r in rows])
            last = rows[-1].id
