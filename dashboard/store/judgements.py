"""An analyst's judgement of a unit's month: an arrow that overrides the computed one, with a reason.

Judgements live in the edit log itself (entity ``judgement``, record ``UNIT:YYYY-MM``, field
``arrow``, the value a JSON object of the arrow and the reason): every change is logged by
construction, a re-import of data never touches it, and a rebuilt store gets it back when the
log is replayed. The latest entry for a unit-month is the judgement in force; an entry with no
value withdraws it (the computed arrow stands alone again).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from dashboard.store import schema as s
from dashboard.store.accounts import AccountError, Actor, authorize, check_editor_name
from dashboard.store.curation import CurationError, log_edit

ENTITY = "judgement"
FIELD = "arrow"
#: What an analyst may say of a month (the computed arrow may also be "too little data").
ANALYST_ARROWS: tuple[str, ...] = ("deteriorated", "improved", "unchanged")
_UNIT = re.compile(r"^[A-Z]{2}(-[A-Z0-9-]{1,30})?$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def record_id(unit: str, month: str) -> str:
    return f"{unit}:{month}"


def _check(unit: str, month: str) -> None:
    if not _UNIT.match(unit or ""):
        raise CurationError(f"'{unit}' is not a country or place code (BA, BA-SRP).")
    if not _MONTH.match(month or ""):
        raise CurationError(f"'{month}' is not a month (YYYY-MM).")


def _latest(conn, unit: str, month: str) -> str | None:
    e = s.edits.c
    return conn.execute(select(e.new_value).where(e.entity == ENTITY, e.record_id == record_id(unit, month),
                                                  e.field == FIELD).order_by(e.id.desc()).limit(1)).scalar()


def set_judgement(engine: Engine, unit: str, month: str, arrow: str | None, reason: str | None, editor: Actor | str,
                  *, edited_at: datetime | None = None) -> bool:
    """Override the computed arrow of ``unit`` in ``month`` (``arrow`` None withdraws the override).
    Returns whether anything changed; raises :class:`CurationError` with a sentence for bad input."""
    _check(unit, month)
    name = authorize(engine, editor, "judge")
    if not isinstance(editor, Actor):
        try:
            name = check_editor_name(name)
        except AccountError as exc:
            raise CurationError(str(exc)) from None
    editor = name
    if arrow is None:
        value = None
    else:
        if arrow not in ANALYST_ARROWS:
            raise CurationError(f"'{arrow}' is not one of {', '.join(ANALYST_ARROWS)}.")
        reason = (reason or "").strip()
        if not reason:
            raise CurationError("Give the reason for the judgement: it is shown beside the arrow.")
        value = json.dumps({"arrow": arrow, "reason": reason[:1000]}, ensure_ascii=False, sort_keys=True)
    with engine.begin() as conn:
        old = _latest(conn, unit, month)
        if old == value:
            return False
        log_edit(conn, ENTITY, record_id(unit, month), FIELD, old, value, editor,
                 edited_at or datetime.now(UTC).replace(tzinfo=None))
    return True


def judgements(engine: Engine, units: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """The judgements in force (of ``units``, else all): ``{(unit, month): {"arrow", "reason", "editor",
    "edited_at"}}``. Judgements are few (one per unit-month an analyst spoke of): read whole, in order."""
    e = s.edits.c
    stmt = select(e.record_id, e.new_value, e.editor, e.edited_at).where(e.entity == ENTITY, e.field == FIELD)
    out: dict[tuple[str, str], dict] = {}
    with engine.connect() as conn:
        for rid, value, editor, at in conn.execute(stmt.order_by(e.id)):
            unit, _, month = rid.partition(":")
            if units and unit not in units:
                continue
            if value is None:
                out.pop((unit, month), None)
                continue
            given = json.loads(value)
            out[(unit, month)] = {"arrow": given["arrow"], "reason": given["reason"], "editor": editor,
                                  "edited_at": at}
    return out
