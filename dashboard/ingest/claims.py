"""Verification is earned, not declared: what an imported record says of its own verification.

A record that says ``"verification": "analyst"`` is stored as our analysts' work only when an analyst
account imports it (``vouched_by``: the account is kept in the event's ``attributes`` as
``vouched_by``). Otherwise it is stored as an import, human-coded by its source and not checked by
us (verification ``coded``, dataset ``import`` unless the file names one other than ``curated``),
and what it claimed is kept in its ``attributes`` as ``claimed_verification``. The bundled sample
(curated by the project, its provenance in ``data/sample/EVENTS_SOURCES.md``) is loaded as it is.
"""

from __future__ import annotations

CLAIMED = "claimed_verification"
VOUCHED = "vouched_by"
HELD_AS = "coded"


def settle(raw: dict, vouched_by: str | None) -> None:
    """Apply the rule to one raw event record, in place (before it is checked field by field)."""
    if raw.get("verification") != "analyst" or not _is_event(raw):
        return
    attributes = raw.get("attributes")
    if attributes is None:
        attributes = raw["attributes"] = {}
    if not isinstance(attributes, dict):
        return  # the field check reports it
    if vouched_by:
        attributes[VOUCHED] = vouched_by
        return
    attributes[CLAIMED] = "analyst"
    raw["verification"] = HELD_AS
    if raw.get("dataset") in (None, "", "curated"):  # "curated" is our analysts' work: not this
        raw["dataset"] = "import"


def _is_event(raw: dict) -> bool:
    return (raw.get("type") or ("article" if "body" in raw else "event")) == "event"
