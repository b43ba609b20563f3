"""Bulk inserts: many rows in one ``executemany``, straight to the driver on SQLite.

For the thousands of tag, event, link and development rows of an ingest batch, the per-row
parameter processing of a Core statement costs more than SQLite's own work; these write exactly
what a Core insert would (dates as SQLAlchemy writes them, constant defaults, booleans as 0/1).
"""

from __future__ import annotations

from datetime import date, datetime
from operator import itemgetter

from sqlalchemy import Boolean, Connection, Date, DateTime
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(conn: Connection, table, rows: list[dict]) -> None:
    """Insert rows, skipping those that collide with a unique key."""
    bulk_insert(conn, table, rows, ignore=True)


def _day_text(value):
    """A Date column's value as SQLAlchemy writes it in SQLite (the common case first: a ``date``)."""
    return value.isoformat() if type(value) is date else _sqlite_text(value, False)


def _moment_text(value):
    """A DateTime column's value as SQLAlchemy writes it in SQLite, always with microseconds."""
    return value.isoformat(sep=" ", timespec="microseconds") if type(value) is datetime and value.tzinfo is None \
        else _sqlite_text(value, True)


def _converter(kind):
    if isinstance(kind, DateTime):
        return _moment_text
    if isinstance(kind, Date):
        return _day_text
    if isinstance(kind, Boolean):
        return lambda v: int(bool(v))
    return None


def _sqlite_text(value, with_time: bool):
    """A date or time as SQLAlchemy stores it in SQLite: ISO text, a time always with microseconds."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if with_time else value.date().isoformat()
    if isinstance(value, date):
        return f"{value.isoformat()} 00:00:00.000000" if with_time else value.isoformat()
    return value


def bulk_insert(conn: Connection, table, rows: list[dict], ignore: bool = False) -> None:
    """Insert many rows with the same keys in one ``executemany``.

    On SQLite the statement goes straight to the driver (plain parameters, dates written as
    SQLAlchemy writes them): for the thousands of tag, event and link rows of an ingest batch, the
    per-row parameter processing of a Core statement costs more than SQLite's own work.
    """
    if not rows:
        return
    cols = list(rows[0])
    first = rows[0].keys()
    if conn.dialect.name != "sqlite" or not _plain_defaults(table, cols) or not all(r.keys() == first for r in rows):
        # PostgreSQL, callable defaults or rows of different shapes: Core does it
        if conn.dialect.name == "sqlite":
            stmt = sqlite.insert(table).on_conflict_do_nothing() if ignore else table.insert()
        else:
            stmt = postgresql.insert(table).on_conflict_do_nothing() if ignore else table.insert()
        conn.execute(stmt, rows)
        return
    get = itemgetter(*cols)
    insert_rows(conn, table, cols, list(map(get, rows)) if len(cols) > 1 else [(get(r),) for r in rows], ignore)


def _plain_defaults(table, cols: list[str]) -> bool:
    """True when every column left out of ``cols`` has no default or a constant one."""
    return all(c.default is None or c.default.is_scalar for c in table.columns if c.name not in cols)


def insert_rows(conn: Connection, table, cols: list[str], params: list[tuple], ignore: bool = False) -> None:
    """Insert rows given as tuples in the order of ``cols`` (the bulk writers build them directly)."""
    if not params:
        return
    if conn.dialect.name != "sqlite" or not _plain_defaults(table, cols):
        bulk_insert(conn, table, [dict(zip(cols, p, strict=True)) for p in params], ignore)
        return
    # column defaults (Python side, like Core applies them) for the columns the rows leave out
    defaults = {c.name: c.default.arg for c in table.columns if c.name not in cols and c.default is not None}
    if defaults:
        cols = cols + list(defaults)
        tail_values = tuple(defaults.values())
        params = [p + tail_values for p in params]
    convert = {i: _converter(table.c[c].type) for i, c in enumerate(cols)}
    convert = {i: f for i, f in convert.items() if f is not None}
    if convert:
        params = list(params)
        for k, row in enumerate(params):
            row = list(row)
            for i, f in convert.items():
                if row[i] is not None:
                    row[i] = f(row[i])
            params[k] = tuple(row)
    # ON CONFLICT DO NOTHING skips unique-key collisions only (INSERT OR IGNORE would also drop
    # rows breaking NOT NULL, silently)
    tail = " ON CONFLICT DO NOTHING" if ignore else ""
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}){tail}", params)
