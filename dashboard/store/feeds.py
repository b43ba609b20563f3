"""What the store remembers of each polled feed: validators for conditional requests and its status."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, update

from dashboard.store import schema as s
from dashboard.store.writes import bump_revision


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def feed_state(conn: Connection, url: str) -> dict | None:
    """The stored state of the feed at ``url`` (ETag, Last-Modified, counts), or ``None`` if never polled."""
    row = conn.execute(select(s.feeds).where(s.feeds.c.url == url)).mappings().first()
    return dict(row) if row else None


def record_poll(conn: Connection, url: str, *, title: str | None = None, etag: str | None = None,
                last_modified: str | None = None, added: int = 0, error: str | None = None) -> None:
    """Store the outcome of one poll: a success keeps the new validators, an error only its message."""
    now = _now()
    state = feed_state(conn, url)
    if state is None:
        conn.execute(s.feeds.insert().values(url=url, items_added=0))
        state = {"etag": None, "last_modified": None, "title": None, "items_added": 0}
    values: dict = {"last_poll": now, "last_error": error, "items_added": (state["items_added"] or 0) + added}
    if error is None:
        values.update(last_success=now, etag=etag or state["etag"],
                      last_modified=last_modified or state["last_modified"], title=title or state["title"])
    conn.execute(update(s.feeds).where(s.feeds.c.url == url).values(**values))
    bump_revision(conn)


def list_feeds(engine: Engine) -> list[dict]:
    """Every feed polled so far with its last poll, last success, items added and last error."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(s.feeds).order_by(s.feeds.c.url)).mappings()]
