"""Analyst corrections: every change is stored with who made it and when (table ``edits``).

A corrected record is never overwritten by a later re-import (see ``writes.upsert_event``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from sqlalchemy import Engine, delete, select, update

from dashboard.names import all_country_names
from dashboard.store import schema as s
from dashboard.store.accounts import AccountError, Actor, authorize, check_editor_name
from dashboard.store.bulk import insert_ignore
from dashboard.store.rules import COORDINATE_FIELDS, DATE_FIELDS, InvalidField, check_event
from dashboard.store.writes import bump_revision, delete_events, event_search_text
from dashboard.vocab import TAG_KINDS, TOPICS, VERIFICATIONS

EDITABLE = {"date_start", "date_end", "date_precision", "status", "category", "location", "lat", "lon",
            "verification", "tracker_status", "countries", "places", "title", "summary", "fatalities",
            "event_type", "sub_event_type", "num_sources"}


class CurationError(ValueError):
    """A correction that cannot be applied; the message says which field and why."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _plain(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def log_edit(conn, entity: str, record_id: str, field: str, old, new, editor: str, at: datetime | None) -> None:
    """Record one change in the edit log (and advance the store's revision)."""
    bump_revision(conn)
    conn.execute(s.edits.insert().values(entity=entity, record_id=str(record_id), field=field,
                                         old_value=_plain(old), new_value=_plain(new), editor=editor,
                                         edited_at=at or _now()))


def _check_editor(engine: Engine, editor: Actor | str) -> str:
    """The name to log: a signed-in analyst (``Actor``), or a typed name at a store without accounts;
    :class:`~dashboard.store.accounts.NotAllowed` for a viewer or a typed name at a store with accounts."""
    name = authorize(engine, editor, "curate")
    if isinstance(editor, Actor):
        return name
    try:
        return check_editor_name(name)
    except AccountError as exc:
        raise CurationError(str(exc)) from None


def _check(values: dict) -> None:
    """The event rules of the store, as a sentence for the analyst."""
    try:
        check_event(values)
    except InvalidField as exc:
        raise CurationError(f"{exc.field} {exc}.") from None


class StaleEdit(CurationError):
    """The event changed since the editor opened it: nothing was saved. ``differences`` lists each
    field where the stored version and the editor's differ: ``(field, stored now, yours)``."""

    def __init__(self, message: str, differences: list[tuple[str, object, object]]):
        super().__init__(message)
        self.differences = differences


def event_version(engine: Engine, event_id: str) -> datetime | None:
    """The version of an event an editor sees (its last change): give it back to :func:`edit_event`
    as ``seen`` and a save made after someone else's is refused instead of undoing it."""
    with engine.connect() as conn:
        return conn.execute(select(s.events.c.updated_at).where(s.events.c.id == event_id)).scalar()


def _stale(conn, event_id: str, row, changes: dict, seen: datetime) -> list[str]:
    """Raise :class:`StaleEdit` when what the editor would save differs from what is stored now."""
    links = {"countries": (s.event_countries, "country"), "places": (s.event_places, "place")}
    differences = []
    for field, yours in changes.items():
        if field in links:
            table, col = links[field]
            now = sorted(conn.execute(select(table.c[col]).where(table.c.event_id == event_id)).scalars())
            yours = sorted(dict.fromkeys(v.strip().upper() for v in yours if v and v.strip()))
        else:
            now = row[field]
        if now != yours:
            differences.append((field, now, yours))
    if not differences:
        return []  # the other change already says what this one would: nothing to do
    e = s.edits.c
    last = conn.execute(select(e.editor, e.edited_at).where(e.entity == "event", e.record_id == event_id)
                        .order_by(e.id.desc()).limit(1)).first()
    who = f"{last.editor} at {last.edited_at:%Y-%m-%d %H:%M} UTC" if last and last.edited_at > seen else "a re-import"
    fields = ", ".join(f"{f} is now {_plain(n)!r} (yours: {_plain(y)!r})" for f, n, y in differences)
    raise StaleEdit(f"This event was changed by {who} after you opened it, so nothing was saved: {fields}. "
                    "Check the stored version and save again if yours should stand.", differences)


def edit_event(engine: Engine, event_id: str, changes: dict, editor: Actor | str, *,
               edited_at: datetime | None = None, seen: datetime | None = None) -> list[str]:
    """Apply ``changes`` to an event; return the fields that really changed.

    Moving an expected item's deadline later marks it "slipped" (its first deadline is kept).
    ``edited_at`` (default now) is the time logged: a replayed edit keeps the time it was made.
    ``seen`` (from :func:`event_version` when the form was opened): when the event changed since,
    the save is refused with :class:`StaleEdit` showing both versions, so no one's edit is lost.
    """
    editor = _check_editor(engine, editor)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise CurationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    _check({k: v for k, v in changes.items() if k not in (*DATE_FIELDS, *COORDINATE_FIELDS)})
    changed: list[str] = []
    with engine.begin() as conn:
        row = conn.execute(select(s.events).where(s.events.c.id == event_id)).mappings().first()
        if row is None:
            raise CurationError(f"There is no event with id '{event_id}'.")
        if seen is not None and row["updated_at"] != seen:
            return _stale(conn, event_id, row, changes, seen)
        for group in (DATE_FIELDS, COORDINATE_FIELDS):  # a field is checked with the others of its group
            if set(group) & set(changes):
                _check({f: changes.get(f, row[f]) for f in group})
        links = {"countries": (s.event_countries, "country"), "places": (s.event_places, "place")}
        column_changes = {}
        for field, new in changes.items():
            if field in links:
                table, col = links[field]
                old = sorted(conn.execute(select(table.c[col]).where(table.c.event_id == event_id)).scalars())
                new = sorted(dict.fromkeys(v.strip().upper() for v in new if v and v.strip()))
                if old != new:
                    conn.execute(delete(table).where(table.c.event_id == event_id))
                    insert_ignore(conn, table, [{"event_id": event_id, col: v} for v in new])
                    log_edit(conn, "event", event_id, field, old, new, editor, edited_at)
                    changed.append(field)
            elif row[field] != new:
                column_changes[field] = new
                log_edit(conn, "event", event_id, field, row[field], new, editor, edited_at)
                changed.append(field)
        if column_changes:
            if row["status"] == "expected" and "date_end" in column_changes and row["first_deadline"] is None:
                column_changes["first_deadline"] = row["date_end"]
            if {"title", "summary", "location"} & set(column_changes):  # the text filter finds the new words
                merged = {**row, **column_changes}
                column_changes["search_text"] = event_search_text(merged["title"], merged["summary"],
                                                                  merged["location"], merged["evidence"])
            column_changes["updated_at"] = _now()
        elif changed:
            column_changes = {"updated_at": _now()}
        if column_changes:  # only the version read above: a write in between makes this one stale
            done = conn.execute(update(s.events).where(s.events.c.id == event_id,
                                                       s.events.c.updated_at == row["updated_at"])
                                .values(**column_changes))
            if done.rowcount != 1:
                fresh = conn.execute(select(s.events).where(s.events.c.id == event_id)).mappings().first()
                _stale(conn, event_id, fresh, changes, row["updated_at"])
                raise StaleEdit("This event was changed while you saved: nothing was saved.", [])
        if changed:  # its development shows what its lead report says now
            from dashboard.store.developments import refresh

            refresh(conn, [row["development_id"]], reword=True)
    return changed


def verify_event(engine: Engine, event_id: str, editor: Actor | str) -> list[str]:
    """Mark an event as checked by an analyst."""
    return edit_event(engine, event_id, {"verification": "analyst"}, editor)


def verification_before_analyst(engine: Engine, event_id: str) -> str:
    """What an event's verification was before an analyst verified it: the value to go back to
    when the verification is taken back ("machine" when the log does not say)."""
    e = s.edits.c
    with engine.connect() as conn:
        old = conn.execute(
            select(e.old_value)
            .where(e.entity == "event", e.record_id == event_id, e.field == "verification", e.new_value == "analyst")
            .order_by(e.edited_at.desc(), e.id.desc())
            .limit(1)
        ).scalar()
    return old if old in VERIFICATIONS and old != "analyst" else "machine"


def link_outcome(engine: Engine, expected_id: str, outcome_id: str | None, editor: Actor | str, *,
                 edited_at: datetime | None = None) -> bool:
    """Record which event realised an expected development (``None`` removes the link); False when
    it was so already."""
    editor = _check_editor(engine, editor)
    with engine.begin() as conn:
        row = conn.execute(select(s.events.c.status, s.events.c.outcome_event_id, s.events.c.development_id)
                           .where(s.events.c.id == expected_id)).first()
        if row is None:
            raise CurationError(f"There is no event with id '{expected_id}'.")
        if outcome_id is not None:
            if outcome_id == expected_id:
                raise CurationError("An expected development cannot be its own outcome.")
            if conn.execute(select(s.events.c.id).where(s.events.c.id == outcome_id)).first() is None:
                raise CurationError(f"There is no event with id '{outcome_id}'.")
        if row.outcome_event_id != outcome_id:
            conn.execute(update(s.events).where(s.events.c.id == expected_id).values(outcome_event_id=outcome_id,
                                                                                    updated_at=_now()))
            log_edit(conn, "event", expected_id, "outcome_event_id", row.outcome_event_id, outcome_id, editor, edited_at)
            from dashboard.store.developments import refresh

            refresh(conn, [row.development_id])  # its development's state (the tracker reads it there)
            return True
    return False


_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_PLACE_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9-]{1,30}$")
_MARKUP = re.compile(r"[<>&\"`]|javascript:", re.IGNORECASE)


def _check_tag(kind: str, value: str) -> str:
    """An analyst's tag value as stored, or :class:`CurationError`: country and place codes by their
    shape, topics from the vocabulary, names as plain text (no markup)."""
    value = (value or "").strip()
    if kind in ("country", "place"):
        value = value.upper()
    if not value:
        raise CurationError("The tag is empty.")
    if kind == "country" and not (_COUNTRY_CODE.match(value) and value in all_country_names()):
        raise CurationError(f"'{value[:40]}' is not a country code: use ISO alpha-2 (XK for Kosovo).")
    if kind == "place" and not _PLACE_CODE.match(value):
        raise CurationError(f"'{value[:40]}' is not a place code such as BA-SRP.")
    if kind == "topic" and value not in TOPICS:
        raise CurationError(f"'{value[:40]}' is not one of {', '.join(TOPICS)}.")
    if _MARKUP.search(value) or any(ord(ch) < 32 for ch in value) or len(value) > 200:
        raise CurationError(f"'{value[:40]}' cannot be a tag: plain text of at most 200 characters, without "
                            "< > & \" `.")
    return value


def add_tag(engine: Engine, article_id: int, kind: str, value: str, editor: Actor | str, label: str | None = None, *,
            edited_at: datetime | None = None) -> bool:
    """Add an analyst's tag to an article; False when it was already there."""
    editor = _check_editor(engine, editor)
    if kind not in TAG_KINDS:
        raise CurationError(f"'{kind}' is not a tag kind.")
    value = _check_tag(kind, value)
    with engine.begin() as conn:
        exists = conn.execute(select(s.article_tags.c.value).where(
            s.article_tags.c.article_id == article_id, s.article_tags.c.kind == kind,
            s.article_tags.c.value == value)).first()
        if exists:
            return False
        conn.execute(s.article_tags.insert().values(article_id=article_id, kind=kind, value=value,
                                                    label=label or value, confidence=1.0, is_primary=False,
                                                    mentions=0, verification="analyst"))
        log_edit(conn, "article_tag", f"{article_id}", f"{kind}", None, value, editor, edited_at)
    return True


def remove_tag(engine: Engine, article_id: int, kind: str, value: str, editor: Actor | str, *,
               edited_at: datetime | None = None) -> bool:
    """Remove a tag from an article; False when it was not there."""
    editor = _check_editor(engine, editor)
    with engine.begin() as conn:
        result = conn.execute(delete(s.article_tags).where(
            s.article_tags.c.article_id == article_id, s.article_tags.c.kind == kind, s.article_tags.c.value == value))
        if result.rowcount:
            log_edit(conn, "article_tag", f"{article_id}", f"{kind}", value, None, editor, edited_at)
            return True
    return False


def history(engine: Engine, entity: str, record_id: str) -> list[dict]:
    """Every change to a record, oldest first."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(s.edits).where(s.edits.c.entity == entity, s.edits.c.record_id == str(record_id))
            .order_by(s.edits.c.id)).mappings()]


def pending_differences(ev: dict) -> list[tuple[str, object, object]]:
    """``(field, ours, the dataset's)`` for each editable field where a held dataset version differs."""
    if not ev.get("pending_version"):
        return []
    theirs = json.loads(ev["pending_version"])
    if theirs.get("deleted"):
        return [("deleted", False, True)]
    out = []
    for name in sorted(EDITABLE):
        if name in theirs:
            ours = ev.get(name)
            ours = [str(x) for x in ours] if isinstance(ours, list) else (None if ours is None else _plain(ours))
            mine = theirs[name]
            if (sorted(mine) if isinstance(mine, list) else mine) != (sorted(ours) if isinstance(ours, list) else ours):
                out.append((name, ev.get(name), mine))
    return out


def resolve_pending(engine: Engine, event_id: str, accept: bool, editor: Actor | str) -> list[str]:
    """Settle a dataset version held beside an analyst's correction: take its editable fields
    (``accept``) or keep ours; either way the flag is cleared and the decision logged."""
    editor = _check_editor(engine, editor)
    with engine.connect() as conn:
        row = conn.execute(select(s.events.c.pending_version).where(s.events.c.id == event_id)).first()
    if row is None or not row.pending_version:
        raise CurationError(f"Event '{event_id}' has no dataset version waiting for review.")
    theirs = json.loads(row.pending_version)
    changed: list[str] = []
    if accept and theirs.get("deleted"):
        with engine.begin() as conn:
            log_edit(conn, "event", event_id, "deleted", None, "accepted the dataset's deletion", editor, None)
            delete_events(conn, [event_id])
        return ["deleted"]
    if accept:
        changes = {k: theirs[k] for k in EDITABLE & set(theirs)}
        for k in ("date_start", "date_end"):
            if isinstance(changes.get(k), str):
                changes[k] = date.fromisoformat(changes[k])
        changed = edit_event(engine, event_id, changes, editor)
    with engine.begin() as conn:
        conn.execute(update(s.events).where(s.events.c.id == event_id).values(pending_version=None, review_flag=None,
                                                                               updated_at=_now()))
        log_edit(conn, "event", event_id, "pending_version", "held", "accepted" if accept else "kept ours", editor, None)
    return [*changed, "pending_version"]


# --- developments: the analyst's grouping ---------------------------------------------------------

def _development_of(conn, event_id: str) -> int:
    dev = conn.execute(select(s.events.c.development_id).where(s.events.c.id == event_id)).scalar()
    if dev is None:
        raise CurationError(f"There is no event with id '{event_id}' in a development.")
    return dev


def development_of(engine: Engine, event_id: str) -> int:
    """The development an event belongs to."""
    with engine.connect() as conn:
        return _development_of(conn, event_id)


def merge_developments(engine: Engine, keep: int, absorb: int, editor: Actor | str) -> int:
    """Put every report of development ``absorb`` into ``keep`` (an analyst's grouping from then on)."""
    editor = _check_editor(engine, editor)
    if keep == absorb:
        raise CurationError("A development cannot be merged with itself.")
    from dashboard.store.developments import refresh

    d = s.developments.c
    with engine.begin() as conn:
        found = set(conn.execute(select(d.id).where(d.id.in_([keep, absorb]))).scalars())
        if found != {keep, absorb}:
            raise CurationError(f"There is no development {sorted({keep, absorb} - found)[0]}.")
        moved = list(conn.execute(select(s.events.c.id).where(s.events.c.development_id == absorb)).scalars())
        anchor = conn.execute(select(d.lead_event_id).where(d.id == keep)).scalar()
        conn.execute(update(s.events).where(s.events.c.development_id == absorb).values(development_id=keep))
        conn.execute(update(s.developments).where(d.id == keep).values(grouping="analyst"))
        for event_id in moved:  # logged by event ids, which survive a rebuild (development ids do not)
            log_edit(conn, "event", event_id, "grouped_with", None, anchor, editor, None)
        refresh(conn, [keep, absorb])
    return keep


def split_report(engine: Engine, event_id: str, editor: Actor | str) -> int:
    """Take one report out of its development into a development of its own (the analyst's grouping)."""
    editor = _check_editor(engine, editor)
    from dashboard.store.developments import refresh

    d = s.developments.c
    with engine.begin() as conn:
        old = _development_of(conn, event_id)
        row = conn.execute(select(s.events.c.title, s.events.c.status, s.events.c.verification)
                           .where(s.events.c.id == event_id)).one()
        new = conn.execute(s.developments.insert().values(title=row.title, status=row.status,
                                                          verification=row.verification, grouping="analyst",
                                                          updated_at=_now()).returning(d.id)).scalar_one()
        conn.execute(update(s.events).where(s.events.c.id == event_id).values(development_id=new))
        conn.execute(update(s.developments).where(d.id == old).values(grouping="analyst"))
        log_edit(conn, "event", event_id, "grouped_with", "its development", None, editor, None)
        refresh(conn, [old, new])
    return new


def _set_development(engine: Engine, development_id: int, column: str, value, logged_as: str, editor: Actor | str) -> bool:
    """Set one field of a development (logged on its lead report); False when it was so already."""
    editor = _check_editor(engine, editor)
    from dashboard.store.developments import refresh

    d = s.developments.c
    with engine.begin() as conn:
        current = conn.execute(select(d[column], d.lead_event_id).where(d.id == development_id)).first()
        if current is None:
            raise CurationError(f"There is no development {development_id}.")
        if current[0] == value:
            return False
        conn.execute(update(s.developments).where(d.id == development_id).values({column: value}))
        log_edit(conn, "event", current.lead_event_id, logged_as, current[0], value, editor, None)
        refresh(conn, [development_id])
    return True


def flag_development(engine: Engine, development_id: int, key: bool, editor: Actor | str) -> bool:
    """Flag (or unflag) a development as key; True when that changed something."""
    return _set_development(engine, development_id, "is_key", bool(key), "key_development", editor)


def confirm_grouping(engine: Engine, development_id: int, editor: Actor | str) -> bool:
    """An analyst confirms the machine's grouping of a development; True when it was the machine's."""
    return _set_development(engine, development_id, "grouping", "analyst", "grouping_confirmed", editor)
