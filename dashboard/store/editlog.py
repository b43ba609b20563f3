"""The analysts' edit log carried across a rebuild: read from an old file, replayed on the new store.

A database of another schema version is rebuilt from its sources (``build-sample``); what analysts
corrected by hand lives only in its ``edits`` table. Each logged change is applied again, in the
order it was made, with its editor and time, through the same curation functions (so the same
rules hold). Articles are matched by their content hash, since their ids change in a rebuild.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from dashboard.store import curation, judgements
from dashboard.store import schema as s
from dashboard.store.accounts import NotAllowed

_DATE_FIELDS = {"date_start", "date_end", "first_deadline"}
_LIST_FIELDS = {"countries", "places"}
_FLOAT_FIELDS = {"lat", "lon"}


@dataclass
class Replay:
    """What became of each logged change."""

    applied: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.applied} analysts' edit(s) reapplied"
        if self.unchanged:
            text += f", {self.unchanged} already in place"
        if self.skipped:
            text += f", {len(self.skipped)} could not be: " + "; ".join(self.skipped[:5])
            if len(self.skipped) > 5:
                text += f"; and {len(self.skipped) - 5} more"
        return text


def read_edit_log(path: Path) -> list[dict]:
    """Every logged change in the SQLite file ``path`` (oldest first), with the content hash of the
    article of each tag change; ``[]`` when the file has no edit log. Opened read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "edits" not in tables:
            return []
        rows = [dict(r) for r in conn.execute(
            "SELECT entity, record_id, field, old_value, new_value, editor, edited_at FROM edits ORDER BY id")]
        hashes = dict(conn.execute("SELECT id, content_hash FROM articles")) if "articles" in tables else {}
    finally:
        conn.close()
    for row in rows:
        if row["entity"] == "article_tag" and str(row["record_id"]).isdigit():
            row["article_hash"] = hashes.get(int(row["record_id"]))
    return rows


def _value(field_name: str, raw: str | None):
    if raw is None:
        return None
    if field_name in _DATE_FIELDS:
        return date.fromisoformat(raw)
    if field_name in _LIST_FIELDS:
        return json.loads(raw)
    if field_name in _FLOAT_FIELDS:
        return float(raw)
    return raw


def _when(raw) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def replay(engine: Engine, edits: list[dict]) -> Replay:
    """Apply the logged changes to ``engine``'s store, in order; say what could not be applied."""
    out = Replay()
    with engine.connect() as conn:
        article_ids = dict(conn.execute(select(s.articles.c.content_hash, s.articles.c.id)).all())
    for edit in edits:
        where = f"{edit['entity']} {edit['record_id']} {edit['field']} ({edit['editor']}, {edit['edited_at']})"
        try:
            changed = _apply(engine, edit, article_ids)
        except (curation.CurationError, NotAllowed) as exc:
            out.skipped.append(f"{where}: {exc}")
            continue
        except (ValueError, TypeError) as exc:
            out.skipped.append(f"{where}: the logged value cannot be read ({exc})")
            continue
        if changed is None:
            out.skipped.append(f"{where}: the record is not in the new store")
        elif changed:
            out.applied += 1
        else:
            out.unchanged += 1
    return out


def _regroup(engine: Engine, edit: dict, editor: str) -> bool | None:
    """Merge (``grouped_with`` an event) or split (``grouped_with`` nothing) again, by event ids."""
    try:
        mine = curation.development_of(engine, edit["record_id"])
        if edit["new_value"] is None:
            curation.split_report(engine, edit["record_id"], editor)
            return True
        theirs = curation.development_of(engine, edit["new_value"])
    except curation.CurationError:
        return None
    if mine == theirs:
        return False
    curation.merge_developments(engine, theirs, mine, editor)
    return True


def _flag(engine: Engine, edit: dict, editor: str) -> bool | None:
    try:
        dev = curation.development_of(engine, edit["record_id"])
    except curation.CurationError:
        return None
    if edit["field"] == "key_development":
        return curation.flag_development(engine, dev, edit["new_value"] == "True", editor)
    return curation.confirm_grouping(engine, dev, editor)


_GROUPING = {"grouped_with": _regroup, "key_development": _flag, "grouping_confirmed": _flag}


def _apply(engine: Engine, edit: dict, article_ids: dict[str, int]) -> bool | None:
    """True: applied; False: already so; None: the record is gone."""
    at = _when(edit["edited_at"])
    editor = edit["editor"]
    if edit["entity"] == "event" and edit["field"] in ("pending_version", "deleted"):
        return False  # a decision on a dataset's held version: the new store holds no such version
    if edit["entity"] == "event" and edit["field"] in _GROUPING:
        return _GROUPING[edit["field"]](engine, edit, editor)
    if edit["entity"] == "event":
        event_id = edit["record_id"]
        with engine.connect() as conn:
            if conn.execute(select(s.events.c.id).where(s.events.c.id == event_id)).first() is None:
                return None
        if edit["field"] == "outcome_event_id":
            return curation.link_outcome(engine, event_id, edit["new_value"], editor, edited_at=at)
        change = {edit["field"]: _value(edit["field"], edit["new_value"])}
        return bool(curation.edit_event(engine, event_id, change, editor, edited_at=at))
    if edit["entity"] == judgements.ENTITY:
        unit, _, month = edit["record_id"].partition(":")
        given = json.loads(edit["new_value"]) if edit["new_value"] else None
        return judgements.set_judgement(engine, unit, month, given and given["arrow"], given and given["reason"],
                                        editor, edited_at=at)
    if edit["entity"] == "article_tag":
        article_id = article_ids.get(edit.get("article_hash") or "")
        if article_id is None:
            return None
        if edit["new_value"] is not None:
            return curation.add_tag(engine, article_id, edit["field"], edit["new_value"], editor, edited_at=at)
        return curation.remove_tag(engine, article_id, edit["field"], edit["old_value"], editor, edited_at=at)
    raise ValueError(f"unknown kind of edit '{edit['entity']}'")
