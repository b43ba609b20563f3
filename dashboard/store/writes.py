"""Writes: transactional and idempotent. Loading the same data twice changes nothing."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, Integer, Text, cast, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from dashboard.store import schema as s
from dashboard.store.engine import FTS_TABLE
from dashboard.store.records import ArticleRecord, EventRecord, TagRecord
from dashboard.textnorm import normalise_for_search

_LINKS = (
    (s.event_countries, "country", "countries"),
    (s.event_places, "place", "places"),
    (s.event_topics, "topic", "topics"),
    (s.event_actors, "actor", "actors"),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _insert_ignore(conn: Connection, table, rows: list[dict]) -> None:
    """Insert rows, skipping those that collide with a unique key."""
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def find_article(conn: Connection, record: ArticleRecord) -> int | None:
    """Id of the stored article with the same URL or the same normalised content, if any."""
    conds = [s.articles.c.content_hash == record.content_hash]
    if record.url:
        conds.append(s.articles.c.url == record.url)
    for cond in conds:
        found = conn.execute(select(s.articles.c.id).where(cond)).scalar()
        if found is not None:
            return int(found)
    return None


def insert_article(conn: Connection, record: ArticleRecord) -> tuple[int, bool]:
    """Store ``record`` and its tags unless it is already there; return ``(id, created)``."""
    existing = find_article(conn, record)
    if existing is not None:
        return existing, False
    result = conn.execute(
        s.articles.insert().values(
            url=record.url,
            title=record.title,
            outlet=record.outlet,
            published=record.published,
            language=record.language,
            body=record.body,
            content_hash=record.content_hash,
            word_count=len(record.body.split()),
            imported_from=record.imported_from,
            ingested_at=_now(),
        )
    )
    article_id = int(result.inserted_primary_key[0])
    add_tags(conn, article_id, record.tags)
    bump_revision(conn)
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (:id, :title, :body)"),
            {
                "id": article_id,
                "title": normalise_for_search(record.title),
                "body": normalise_for_search(record.body),
            },
        )
    return article_id, True


def link_near_duplicates(conn: Connection, article_id: int, keys: list[int]) -> list[int]:
    """Record the article's MinHash band keys and link it both ways to stored near-copies."""
    from dashboard.ingest.neardup import MIN_SHARED_BANDS

    bands = s.article_bands.c
    shared = func.count().label("shared")
    candidates = conn.execute(
        select(bands.article_id, shared)
        .where(bands.band.in_(keys), bands.article_id != article_id)
        .group_by(bands.article_id)
        .having(shared >= MIN_SHARED_BANDS)
    ).all()
    for other_id, n in candidates:
        _insert_ignore(conn, s.article_links, [
            {"article_id": article_id, "other_id": other_id, "kind": "near-duplicate", "shared_bands": n},
            {"article_id": other_id, "other_id": article_id, "kind": "near-duplicate", "shared_bands": n},
        ])
    _insert_ignore(conn, s.article_bands, [{"band": k, "article_id": article_id} for k in keys])
    return [other for other, _n in candidates]


def add_tags(conn: Connection, article_id: int, tags: list[TagRecord]) -> None:
    """Attach tags to an article; a tag already there is kept as it is."""
    rows = [{"article_id": article_id, **vars(t)} for t in tags]
    _insert_ignore(conn, s.article_tags, rows)


def upsert_event(conn: Connection, record: EventRecord) -> str:
    """Insert or update the event with ``record.id``; return "created", "updated" or "unchanged"."""
    values = {k: v for k, v in asdict(record).items() if k not in {"countries", "places", "topics", "actors"}}
    if record.status == "expected":
        values["first_deadline"] = record.date_end
    values["search_text"] = normalise_for_search(
        " ".join(filter(None, [record.title, record.summary, record.location, record.evidence]))
    )
    existing = conn.execute(select(s.events).where(s.events.c.id == record.id)).mappings().first()
    if existing is not None and conn.execute(
        select(s.edits.c.id).where(s.edits.c.entity == "event", s.edits.c.record_id == record.id).limit(1)
    ).first():
        return "unchanged"  # an analyst corrected this event: a re-import never overwrites that
    links = {
        attr: sorted(dict.fromkeys(x for x in getattr(record, attr) if x)) for _, _, attr in _LINKS
    }
    if existing is not None:
        same_row = all(existing[k] == v for k, v in values.items())
        same_links = all(_linked(conn, table, col, record.id) == links[attr] for table, col, attr in _LINKS)
        if same_row and same_links:
            return "unchanged"
        conn.execute(update(s.events).where(s.events.c.id == record.id).values(**values, updated_at=_now()))
        outcome = "updated"
    else:
        conn.execute(s.events.insert().values(**values, updated_at=_now()))
        outcome = "created"
    for table, col, attr in _LINKS:
        conn.execute(delete(table).where(table.c.event_id == record.id))
        _insert_ignore(conn, table, [{"event_id": record.id, col: v} for v in links[attr]])
    bump_revision(conn)
    return outcome


def insert_new_events(conn: Connection, records: list[EventRecord]) -> int:
    """Insert events known to be new (a new article's machine readings) in a few bulk statements."""
    if not records:
        return 0
    now = _now()
    rows = []
    for record in records:
        values = {k: v for k, v in vars(record).items() if k not in {"countries", "places", "topics", "actors"}}
        values["first_deadline"] = record.date_end if record.status == "expected" else None
        values["search_text"] = normalise_for_search(
            " ".join(filter(None, [record.title, record.summary, record.location, record.evidence]))
        )
        values["updated_at"] = now
        rows.append(values)
    conn.execute(s.events.insert(), rows)
    bump_revision(conn)
    for table, col, attr in _LINKS:
        links = [{"event_id": r.id, col: v} for r in records for v in dict.fromkeys(x for x in getattr(r, attr) if x)]
        _insert_ignore(conn, table, links)
    return len(rows)


def _linked(conn: Connection, table, col: str, event_id: str) -> list[str]:
    rows = conn.execute(select(table.c[col]).where(table.c.event_id == event_id)).scalars()
    return sorted(rows)


def bump_revision(conn: Connection) -> None:
    """Advance the store's revision (in the writer's transaction): caches keyed on it refresh."""
    result = conn.execute(
        update(s.meta).where(s.meta.c.key == "revision").values(value=cast(cast(s.meta.c.value, Integer) + 1, Text))
    )
    if not result.rowcount:
        _insert_ignore(conn, s.meta, [{"key": "revision", "value": "1"}])


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Record a store-level fact (for example the sample data fingerprint)."""
    conn.execute(delete(s.meta).where(s.meta.c.key == key))
    conn.execute(s.meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    """Read a store-level fact."""
    return conn.execute(select(s.meta.c.value).where(s.meta.c.key == key)).scalar()
