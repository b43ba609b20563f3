"""Writes: transactional and idempotent. Loading the same data twice changes nothing."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import UTC, date, datetime
from operator import attrgetter

from sqlalchemy import Connection, Integer, Text, cast, delete, select, update

from dashboard.store import schema as s
from dashboard.store import textsearch
from dashboard.store.bulk import insert_ignore, insert_rows
from dashboard.store.engine import EVENTS_FTS, FTS_TABLE
from dashboard.store.records import ArticleRecord, EventRecord, TagRecord
from dashboard.textnorm import normalise_for_search

_LINKS = (
    (s.event_countries, "country", "countries"),
    (s.event_places, "place", "places"),
    (s.event_topics, "topic", "topics"),
    (s.event_actors, "actor", "actors"),
)


# record fields stored as columns, and getters returning them as a tuple in that order
_TAG_FIELDS = [f.name for f in fields(TagRecord)]
_tag_values = attrgetter(*_TAG_FIELDS)
_EVENT_FIELDS = [f.name for f in fields(EventRecord)
                 if f.name not in {attr for _t, _c, attr in _LINKS} and f.name != "first_deadline"]
_event_values = attrgetter(*_EVENT_FIELDS)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def find_article(conn: Connection, record: ArticleRecord) -> int | None:
    """Id of the stored article with the same URL or the same normalised content, if any."""
    return find_articles(conn, [record])[0]


def find_articles(conn: Connection, records: list[ArticleRecord]) -> list[int | None]:
    """For each record, the id of a stored article with the same content (first) or URL, if any.

    Two indexed ``IN`` lookups for the whole list, however long.
    """
    cols = s.articles.c
    by_hash: dict[str, int] = {}
    for chunk in _chunks(sorted({r.content_hash for r in records})):
        by_hash.update(conn.execute(select(cols.content_hash, cols.id).where(cols.content_hash.in_(chunk))).all())
    by_url = article_ids_by_url(conn, {r.url for r in records if r.url})
    found = []
    for r in records:
        hit = by_hash.get(r.content_hash)
        if hit is None and r.url:
            hit = by_url.get(r.url)
        found.append(int(hit) if hit is not None else None)
    return found


def article_ids_by_url(conn: Connection, urls) -> dict[str, int]:
    """``{url: article id}`` for the given URLs that a stored article has (a lookup per 500)."""
    cols = s.articles.c
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(urls))):
        found.update(conn.execute(select(cols.url, cols.id).where(cols.url.in_(chunk))).all())
    return found


def stored_event_stamps(conn: Connection, ids) -> dict[str, int | None]:
    """``{id: the dataset's last-change stamp}`` for those of ``ids`` that a stored event has (a lookup per 500)."""
    e = s.events.c
    found: dict[str, int | None] = {}
    for chunk in _chunks(sorted(set(ids))):
        found.update(conn.execute(select(e.id, e.source_updated).where(e.id.in_(chunk))).all())
    return found


def insert_article(conn: Connection, record: ArticleRecord) -> tuple[int, bool]:
    """Store ``record`` and its tags unless it is already there; return ``(id, created)``."""
    return insert_articles(conn, [record])[0]


def insert_articles(conn: Connection, records: list[ArticleRecord], band_keys: list[list[int]] | None = None,
                    min_shared_bands: int = 4) -> list[tuple[int, bool]]:
    """Store the records (with their tags) that are not stored yet; ``(id, created)`` for each, in order.

    One statement per table for the whole list. A record repeating an earlier one of the list (same
    content or URL) gets that one's id. With ``band_keys`` (one list per record), new articles are
    also linked to their near-copies (sharing at least ``min_shared_bands`` keys), stored or earlier
    in the list.
    """
    stored = find_articles(conn, records)
    out: list[tuple[int, bool] | None] = [None] * len(records)
    fresh: list[int] = []  # positions of records to insert
    first_of: dict[str, int] = {}  # content hash / URL -> position of its first new record
    repeats: dict[int, int] = {}
    for i, (record, hit) in enumerate(zip(records, stored, strict=True)):
        if hit is not None:
            out[i] = (hit, False)
            continue
        keys = [record.content_hash] + ([f"url:{record.url}"] if record.url else [])
        earlier = next((first_of[k] for k in keys if k in first_of), None)
        if earlier is not None:
            repeats[i] = earlier
            continue
        for k in keys:
            first_of[k] = i
        fresh.append(i)
    if fresh:
        now = _now()
        rows = [{
            "url": r.url, "title": r.title, "outlet": r.outlet, "published": r.published,
            "language": r.language, "body": r.body, "content_hash": r.content_hash,
            "word_count": len(r.body.split()), "imported_from": r.imported_from, "ingested_at": now,
        } for r in (records[i] for i in fresh)]
        ids = conn.execute(s.articles.insert().returning(s.articles.c.id, sort_by_parameter_order=True),
                           rows).scalars().all()
        tag_rows = []
        for i, article_id in zip(fresh, ids, strict=True):
            out[i] = (int(article_id), True)
            tag_rows += [(int(article_id), *_tag_values(t)) for t in records[i].tags]
        insert_rows(conn, s.article_tags, ["article_id", *_TAG_FIELDS], tag_rows, ignore=True)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                [(out[i][0], normalise_for_search(records[i].title), records[i].search_body) for i in fresh],
            )
        else:
            textsearch.index_articles(conn, [(out[i][0], textsearch.article_text(records[i].title,
                                                                               records[i].search_body)) for i in fresh])
        if band_keys is not None:
            link_near_duplicates_many(conn, [(out[i][0], band_keys[i]) for i in fresh], min_shared_bands)
        bump_revision(conn)
    for i, earlier in repeats.items():
        out[i] = (out[earlier][0], False)
    return out  # type: ignore[return-value]


def link_near_duplicates_many(conn: Connection, items: list[tuple[int, list[int]]],
                              min_shared_bands: int) -> dict[int, list[int]]:
    """Record each article's band keys and link it both ways to the near-copies stored before it.

    "Before" includes the articles earlier in ``items``. One lookup for all their keys; returns the
    ids each article was linked to.
    """
    bands = s.article_bands.c
    holders: dict[int, set[int]] = {}
    all_keys = sorted({k for _id, keys in items for k in keys})
    for chunk in _chunks(all_keys):
        for band, other in conn.execute(select(bands.band, bands.article_id).where(bands.band.in_(chunk))):
            holders.setdefault(band, set()).add(other)
    links: list[dict] = []
    band_rows: list[dict] = []
    linked: dict[int, list[int]] = {}
    for article_id, keys in items:
        shared: dict[int, int] = {}
        for key in set(keys):
            for other in holders.get(key, ()):
                if other != article_id:
                    shared[other] = shared.get(other, 0) + 1
        linked[article_id] = []
        for other, n in shared.items():
            if n >= min_shared_bands:
                linked[article_id].append(other)
                links += [
                    {"article_id": article_id, "other_id": other, "kind": "near-duplicate", "shared_bands": n},
                    {"article_id": other, "other_id": article_id, "kind": "near-duplicate", "shared_bands": n},
                ]
        for key in set(keys):
            holders.setdefault(key, set()).add(article_id)
            band_rows.append({"band": key, "article_id": article_id})
    insert_ignore(conn, s.article_links, links)
    insert_ignore(conn, s.article_bands, band_rows)
    return linked


def add_tags(conn: Connection, article_id: int, tags: list[TagRecord]) -> None:
    """Attach tags to an article; a tag already there is kept as it is."""
    rows = [{"article_id": article_id, **vars(t)} for t in tags]
    insert_ignore(conn, s.article_tags, rows)


def event_search_text(title: str | None, summary: str | None, location: str | None, evidence: str | None) -> str:
    """What the text filter searches in an event: its words, normalised as queries are.

    A part already contained in another (a machine event's title and summary are its evidence
    sentence) is left out: the same words, indexed once instead of three times.
    """
    parts: list[str] = []
    for p in (title, summary, location, evidence):
        if p:
            folded = normalise_for_search(p)
            if folded not in parts:
                parts.append(folded)
    kept = []
    for p in parts:  # (plain loops: this runs for every event an ingest stores)
        for other in parts:
            if p is not other and p in other:
                break
        else:
            kept.append(p)
    return " ".join(kept)


def first_deadline(record: EventRecord) -> date | None:
    """The first announced deadline of an expected development: as the record says, else its end."""
    if record.status != "expected":
        return None
    return record.first_deadline or record.date_end


def upsert_event(conn: Connection, record: EventRecord) -> str:
    """Insert or update the event with ``record.id``; return "created", "updated" or "unchanged"."""
    values = {k: v for k, v in asdict(record).items() if k not in {"countries", "places", "topics", "actors"}}
    values["first_deadline"] = first_deadline(record)
    values["search_text"] = event_search_text(record.title, record.summary, record.location, record.evidence)
    existing = conn.execute(select(s.events).where(s.events.c.id == record.id)).mappings().first()
    if existing is not None and _corrected(conn, record.id):
        # an analyst corrected this event: a re-import never overwrites that; a dataset's newer
        # version waits beside it for the analyst to compare
        if _newer(record.source_updated, existing["source_updated"]):
            return _hold_for_review(conn, record.id, {**values, **{a: getattr(record, a) for _t, _c, a in _LINKS}},
                                    f"{record.dataset.upper()} changed this event after an analyst corrected it",
                                    existing["pending_version"])
        return "unchanged"
    if existing is not None and not _newer(record.source_updated, existing["source_updated"]) \
            and record.source_updated is not None:
        return "unchanged"  # a living dataset's row is updated only by a newer version of it
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
        index_new_events(conn, [record.id])
        outcome = "created"
    for table, col, attr in _LINKS:
        conn.execute(delete(table).where(table.c.event_id == record.id))
        insert_ignore(conn, table, [{"event_id": record.id, col: v} for v in links[attr]])
    _group(conn, [record.id])
    bump_revision(conn)
    return outcome


def delete_events(conn: Connection, ids: list[str]) -> None:
    """Delete events; their developments show what is left of them (or go when nothing is)."""
    from dashboard.store.developments import refresh

    touched: set[int] = set()
    for chunk in _chunks(list(ids)):
        touched |= set(conn.execute(select(s.events.c.development_id).where(s.events.c.id.in_(chunk))).scalars())
        conn.execute(delete(s.events).where(s.events.c.id.in_(chunk)))
    refresh(conn, touched)


def _corrected(conn: Connection, event_id: str) -> bool:
    e = s.edits.c
    return conn.execute(select(e.id).where(e.entity == "event", e.record_id == event_id).limit(1)).first() is not None


def _newer(incoming: int | None, stored: int | None) -> bool:
    """Whether a dataset's version stamp says the incoming row is newer than the stored one."""
    return incoming is not None and (stored is None or incoming > stored)


def _hold_for_review(conn: Connection, event_id: str, version: dict, why: str, pending: str | None) -> str:
    """Keep a dataset's version of an analyst-corrected event beside it, flagged; "flagged" or "unchanged"."""
    text = json.dumps(version, default=str, ensure_ascii=False, sort_keys=True)
    if text == pending:
        return "unchanged"
    conn.execute(update(s.events).where(s.events.c.id == event_id).values(pending_version=text, review_flag=why))
    bump_revision(conn)
    return "flagged"


def delete_dataset_events(conn: Connection, deletions: list[tuple[str, int | None]]) -> dict[str, int]:
    """Remove the events a dataset withdrew (``(id, deletion stamp)``); an analyst-corrected one is
    flagged for review instead. Counts of "deleted", "flagged" and "missing" (not stored)."""
    counts = {"deleted": 0, "flagged": 0, "missing": 0}
    stamps = stored_event_stamps(conn, [i for i, _stamp in deletions])
    gone = []
    for event_id, stamp in deletions:
        if event_id not in stamps:
            counts["missing"] += 1
        elif _corrected(conn, event_id):
            row = conn.execute(select(s.events.c.dataset, s.events.c.pending_version)
                               .where(s.events.c.id == event_id)).first()
            outcome = _hold_for_review(conn, event_id, {"deleted": True, "deleted_timestamp": stamp},
                                       f"{row.dataset.upper()} deleted this event after an analyst corrected it",
                                       row.pending_version)
            counts["flagged"] += outcome == "flagged"
        else:
            gone.append(event_id)
    delete_events(conn, gone)
    counts["deleted"] = len(gone)
    if gone:
        bump_revision(conn)
    return counts


def index_new_events(conn: Connection, ids: list[str]) -> None:
    """Add just-inserted events to the events' full-text index (SQLite), a statement per 500."""
    if conn.dialect.name != "sqlite":
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.exec_driver_sql(
            f"INSERT INTO {EVENTS_FTS}(rowid, search_text) SELECT rowid, search_text FROM events "
            f"WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))


def _max_rowid(conn: Connection) -> int | None:
    if conn.dialect.name != "sqlite":
        return None
    return conn.exec_driver_sql("SELECT COALESCE(MAX(rowid), 0) FROM events").scalar()


def _index_inserted_events(conn: Connection, before: int | None, ids: list[str]) -> None:
    """Index the events just inserted after rowid ``before`` in one statement (SQLite gives new rows
    rowids above the largest); if that did not reach every one of ``ids``, index them by id."""
    if before is None:
        return
    done = conn.exec_driver_sql(
        f"INSERT INTO {EVENTS_FTS}(rowid, search_text) SELECT rowid, search_text FROM events WHERE rowid > ?",
        (before,)).rowcount
    if done != len(ids):
        conn.exec_driver_sql(f"DELETE FROM {EVENTS_FTS} WHERE rowid > ?", (before,))
        index_new_events(conn, ids)


def insert_new_events(conn: Connection, records: list[EventRecord]) -> int:
    """Insert events known to be new (a new article's machine readings) in a few bulk statements."""
    if not records:
        return 0
    from dashboard.store.developments import assign_records, refresh

    development, joined = assign_records(conn, records)  # the new developments are written first
    now = _now()
    rows = [(*_event_values(r), first_deadline(r),
             event_search_text(r.title, r.summary, r.location, r.evidence), development[r.id], now)
            for r in records]
    before = _max_rowid(conn)
    insert_rows(conn, s.events, [*_EVENT_FIELDS, "first_deadline", "search_text", "development_id", "updated_at"],
                 rows)
    _index_inserted_events(conn, before, [r.id for r in records])
    bump_revision(conn)
    for table, col, attr in _LINKS:
        links = [(r.id, v) for r in records for v in dict.fromkeys(getattr(r, attr)) if v]
        insert_rows(conn, table, ["event_id", col], links, ignore=True)
    refresh(conn, joined)  # stored developments that gained reports show them
    return len(rows)


def _group(conn: Connection, ids: list[str]) -> None:
    from dashboard.store.developments import assign

    assign(conn, ids)


def _linked(conn: Connection, table, col: str, event_id: str) -> list[str]:
    rows = conn.execute(select(table.c[col]).where(table.c.event_id == event_id)).scalars()
    return sorted(rows)


def bump_revision(conn: Connection) -> None:
    """Advance the store's revision (in the writer's transaction): caches keyed on it refresh."""
    result = conn.execute(
        update(s.meta).where(s.meta.c.key == "revision").values(value=cast(cast(s.meta.c.value, Integer) + 1, Text))
    )
    if not result.rowcount:
        insert_ignore(conn, s.meta, [{"key": "revision", "value": "1"}])


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Record a store-level fact (for example the sample data fingerprint)."""
    conn.execute(delete(s.meta).where(s.meta.c.key == key))
    conn.execute(s.meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    """Read a store-level fact."""
    return conn.execute(select(s.meta.c.value).where(s.meta.c.key == key)).scalar()


def supersede_machine_readings(conn: Connection, event: EventRecord) -> int:
    """Delete the machine's readings that an analyst's ``event`` replaces; how many were deleted.

    The rule: an analyst's event about a stored article replaces each machine event of that article
    whose evidence overlaps the analyst's (one contains the other), or that has the same status
    about the same countries. Anything else, or an event with no article, replaces nothing.
    """
    if event.verification != "analyst" or event.article_id is None:
        return 0
    e = s.events.c
    machine = conn.execute(select(e.id, e.evidence, e.status).where(
        e.article_id == event.article_id, e.verification == "machine")).all()
    if not machine:
        return 0
    countries: dict[str, set[str]] = {event_id: set() for event_id, _ev, _st in machine}
    link = s.event_countries.c
    for event_id, country in conn.execute(select(link.event_id, link.country)
                                          .where(link.event_id.in_(list(countries)))):
        countries[event_id].add(country)
    mine = set(event.countries)
    superseded = []
    for event_id, evidence, status in machine:
        same_words = bool(evidence and event.evidence and (evidence in event.evidence or event.evidence in evidence))
        if same_words or (status == event.status and countries[event_id] == mine):
            superseded.append(event_id)
    if superseded:
        delete_events(conn, superseded)
        bump_revision(conn)
    return len(superseded)
