"""One batched loader for what an event links to: countries, places, topics and actors.

Any page of events gets its link lists in one query per link table, whatever its length; nothing
loads them one event at a time.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from dashboard.store import schema as s

#: (link table, its value column, the list's name on an event row)
EVENT_LINKS = (
    (s.event_countries, "country", "countries"),
    (s.event_places, "place", "places"),
    (s.event_topics, "topic", "topics"),
    (s.event_actors, "actor", "actors"),
)
LINK_NAMES = tuple(name for _table, _col, name in EVENT_LINKS)
_CHUNK = 900  # bound parameters per IN list (SQLite's default limit is 999 on older builds)

_STATEMENTS = {
    name: select(table.c.event_id, table.c[col])
    .where(table.c.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(table.c.event_id, table.c[col])
    for table, col, name in EVENT_LINKS
}


def event_links(conn: Connection, ids: list[str], names: tuple[str, ...] = LINK_NAMES) -> dict[str, dict[str, list[str]]]:
    """``{list name: {event id: sorted values}}`` for the events ``ids`` (every id present, maybe empty)."""
    out: dict[str, dict[str, list[str]]] = {}
    unique = list(dict.fromkeys(ids))
    for name in names:
        by_id: dict[str, list[str]] = {i: [] for i in unique}
        for start in range(0, len(unique), _CHUNK):
            for event_id, value in conn.execute(_STATEMENTS[name], {"ids": unique[start : start + _CHUNK]}):
                by_id[event_id].append(value)
        out[name] = by_id
    return out


def attach_links(conn: Connection, rows: list[dict], names: tuple[str, ...] = LINK_NAMES) -> list[dict]:
    """Add the link lists ``names`` to each event row (a dict with ``id``), in place; returns ``rows``."""
    links = event_links(conn, [r["id"] for r in rows], names)
    for row in rows:
        for name in names:
            row[name] = links[name][row["id"]]
    return rows
