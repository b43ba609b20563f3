"""Analyst corrections in the UI: edit an event, verify it, link an outcome, add or remove tags.

Every change goes through ``dashboard.store.curation``, which records who made it and when.
"""

from __future__ import annotations

import streamlit as st

from dashboard.names import PLACE_NAMES, place_name
from dashboard.store import curation
from dashboard.store.accounts import Actor, NotAllowed
from dashboard.ui import auth, data
from dashboard.ui.text import md_escape
from dashboard.vocab import PRECISIONS, STATUSES, TAG_KINDS, TOPICS

EDITOR_KEY = "curation.editor"
_FLASH = "curation.flash"


def flash_messages() -> None:
    """Show the result of the last correction (kept across the rerun that follows it)."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message, icon=":material/task_alt:")


def _editor_input(key: str) -> Actor | str:
    """The signed-in account (no box to type in), or in single-user mode the name typed for the log."""
    actor = auth.current()
    if actor is not None:
        st.caption(f"Logged as {md_escape(actor.name)} ({actor.role}).")
        return actor
    name = st.text_input("Your name (for the edit log)", value=st.session_state.get(EDITOR_KEY, ""), key=key,
                         help="Every correction is stored with who made it and when.")
    if name.strip():
        st.session_state[EDITOR_KEY] = name.strip()
    return name.strip()


def _apply(fn, *args, success: str, **kwargs) -> None:
    try:
        result = fn(*args, **kwargs)
    except curation.StaleEdit as exc:  # someone saved first: both versions, nothing lost
        st.error(str(exc))
        if exc.differences:
            st.dataframe([{"field": f, "stored now": str(now), "yours (not saved)": str(yours)}
                          for f, now, yours in exc.differences], hide_index=True, width="stretch")
        return
    except (curation.CurationError, NotAllowed) as exc:
        st.error(str(exc))
        return
    if result is False or result == []:
        st.info("Nothing changed.")
        return
    st.session_state[_FLASH] = success
    st.rerun()


def event_editor(ev: dict, context: str) -> None:
    """A form to correct an event's date, precision, status and places, and to verify it."""
    if not auth.can("curate"):  # a viewer: no controls (and the store would refuse)
        return
    key = f"curation.{context}.{ev['id']}"
    # the version this editor is looking at, kept from the first showing of the form until a save:
    # a save made after someone else's is refused with both versions instead of undoing theirs
    seen_key = f"{key}.seen"
    if seen_key not in st.session_state:
        st.session_state[seen_key] = curation.event_version(data.engine(), ev["id"])
    with st.expander("Correct or verify this event", icon=":material/edit:"):
        with st.form(f"{key}.form"):
            title = st.text_input("Title", value=ev["title"], key=f"{key}.title", max_chars=500)
            summary = st.text_area("Summary", value=ev.get("summary") or "", key=f"{key}.summary", height=90,
                                   help="In your own words; the evidence sentence below stays as found.")
            col1, col2, col3 = st.columns(3)
            start = col1.date_input("Date start", value=ev["date_start"], key=f"{key}.start", format="YYYY-MM-DD")
            end = col2.date_input("Date end (deadline for expected items)", value=ev["date_end"], key=f"{key}.end",
                                  format="YYYY-MM-DD")
            precisions = ["undated", *PRECISIONS]
            precision = col3.selectbox("Precision", precisions, key=f"{key}.precision",
                                       index=precisions.index(ev["date_precision"] or "undated"))
            col4, col5 = st.columns(2)
            status = col4.selectbox("Status", STATUSES, index=STATUSES.index(ev["status"]), key=f"{key}.status",
                                    help="Overdue is not a status: it is derived when an expected item's deadline passes.")
            categories = ["—", *TOPICS]
            category = col5.selectbox("Category", categories, key=f"{key}.category",
                                      index=categories.index(ev["category"]) if ev["category"] in TOPICS else 0)
            known = list(dict.fromkeys([*PLACE_NAMES, *ev.get("places", [])]))
            places = st.multiselect("Sub-national places", known, default=ev.get("places", []), key=f"{key}.places",
                                    format_func=place_name)
            verified = st.checkbox("Analyst-verified", value=ev["verification"] == "analyst",
                                   key=f"{key}.verified",
                                   help="Tick after checking the event against its source; untick to take a "
                                   "verification back.")
            editor = _editor_input(f"{key}.editor")
            submitted = st.form_submit_button("Save correction", type="primary")
        if submitted:
            if not editor:
                st.error("Enter your name: corrections are logged with who made them.")
                return
            undated = precision == "undated"
            changes = {
                "date_start": None if undated else start,
                "date_end": None if undated else (end or start),
                "date_precision": None if undated else precision,
                "status": status,
                "places": places,
            }
            if title.strip() and title.strip() != ev["title"]:
                changes["title"] = title.strip()
            if summary.strip() != (ev.get("summary") or "").strip():
                changes["summary"] = summary.strip() or None
            if verified and ev["verification"] != "analyst":
                changes["verification"] = "analyst"
            elif not verified and ev["verification"] == "analyst":  # taken back: as it was before
                changes["verification"] = curation.verification_before_analyst(data.engine(), ev["id"])
            if category != "—" and category != ev["category"]:
                changes["category"] = category
            seen = st.session_state.pop(seen_key, None)  # the next save starts from what is stored now
            _apply(curation.edit_event, data.engine(), ev["id"], changes, editor, seen=seen,
                   success=f"Saved: {md_escape(ev['title'])}.")
        log = curation.history(data.engine(), "event", ev["id"])
        if log:
            st.caption("Edit log: " + "; ".join(
                f"{md_escape(e['editor'])} changed {e['field']} on {e['edited_at']:%Y-%m-%d %H:%M} UTC" for e in log))


def outcome_linker(item: dict, context: str) -> None:
    """Link an expected development to the event that realised it, or mark it abandoned."""
    if not auth.can("curate"):  # a viewer: no controls (and the store would refuse)
        return
    key = f"curation.outcome.{context}.{item['id']}"
    candidates = data.outcome_candidates(item["id"])
    options = ["", *candidates["id"].tolist()]
    labels = {"": "— no outcome yet —"} | {
        r.id: f"{r.date_start or 'undated'} · {r.title}" for r in candidates.itertuples()
    }
    with st.form(f"{key}.outcome"):
        current = item.get("outcome_event_id") or ""
        outcome = st.selectbox("Outcome event", options, format_func=lambda i: labels.get(i, i), key=f"{key}.pick",
                               index=options.index(current) if current in options else 0,
                               help="The event that realised this expected development (same country).")
        abandoned = st.checkbox("Abandoned (officially dropped)", value=item.get("tracker_status") == "abandoned",
                                key=f"{key}.abandoned")
        editor = _editor_input(f"{key}.editor")
        submitted = st.form_submit_button("Save")
    if submitted:
        if not editor:
            st.error("Enter your name: corrections are logged with who made them.")
            return
        try:
            curation.link_outcome(data.engine(), item["id"], outcome or None, editor)
            curation.edit_event(data.engine(), item["id"], {"tracker_status": "abandoned" if abandoned else None},
                                editor)
        except (curation.CurationError, NotAllowed) as exc:
            st.error(str(exc))
            return
        st.session_state[_FLASH] = f"Saved: {md_escape(item['title'])}."
        st.rerun()


def tag_editor(article: dict) -> None:
    """Add or remove tags of an article."""
    if not auth.can("curate"):  # a viewer: no controls (and the store would refuse)
        return
    key = f"curation.tags.{article['id']}"
    with st.expander("Correct the tags", icon=":material/sell:"):
        with st.form(f"{key}.add"):
            col1, col2 = st.columns([1, 2])
            kind = col1.selectbox("Kind", list(TAG_KINDS), key=f"{key}.kind")
            value = col2.text_input("Value", key=f"{key}.value",
                                    help="Country: ISO code (XK for Kosovo). Place: a code such as BA-SRP. "
                                    f"Topic: one of {', '.join(TOPICS)}.")
            editor = _editor_input(f"{key}.editor")
            if st.form_submit_button("Add tag"):
                if not editor:
                    st.error("Enter your name: corrections are logged with who made them.")
                else:
                    _apply(curation.add_tag, data.engine(), article["id"], kind, value, editor,
                           success=f"Tag {md_escape(value)} added.")
        tags = {f"{t['kind']}: {t['value']}": (t["kind"], t["value"]) for t in article["tags"]}
        with st.form(f"{key}.remove"):
            chosen = st.multiselect("Remove these tags", list(tags), key=f"{key}.remove_pick")
            editor = _editor_input(f"{key}.editor2")
            if st.form_submit_button("Remove"):
                if not editor:
                    st.error("Enter your name: corrections are logged with who made them.")
                elif chosen:
                    for label in chosen:
                        curation.remove_tag(data.engine(), article["id"], *tags[label], editor)
                    st.session_state[_FLASH] = f"Removed {len(chosen)} tag(s)."
                    st.rerun()


def pending_review(ev: dict, context: str) -> None:
    """A dataset's newer version of an analyst-corrected event, beside ours: keep ours or take theirs."""
    if not auth.can("curate"):  # a viewer: no controls (and the store would refuse)
        return
    differences = curation.pending_differences(ev)
    if not differences:
        return
    key = f"curation.pending.{context}.{ev['id']}"
    with st.expander("Compare with the dataset's version", icon=":material/compare:", expanded=True):
        st.dataframe([{"field": name, "ours (analyst-corrected)": str(ours), "the dataset's": str(theirs)}
                      for name, ours, theirs in differences], hide_index=True, width="stretch")
        with st.form(f"{key}.form"):
            editor = _editor_input(f"{key}.editor")
            keep = st.form_submit_button("Keep ours")
            take = st.form_submit_button("Take the dataset's version")
        if keep or take:
            if not editor:
                st.error("Enter your name: corrections are logged with who made them.")
                return
            _apply(curation.resolve_pending, data.engine(), ev["id"], bool(take), editor,
                   success=f"Settled: {md_escape(ev['title'])}.")


def judgement_form(units: list[tuple[str, str]], month: str, month_label: str, current: dict) -> None:
    """A form to give (or withdraw) the analyst's arrow for a unit's month, with the reason.

    ``units`` are (code, name) pairs; ``current`` the judgements in force by (unit, month)."""
    if not auth.can("judge"):  # a viewer: no controls (and the store would refuse)
        return
    from dashboard.store import judgements

    key = f"judgement.{month}"
    with st.expander(f"Judge {month_label} yourself (analyst)", icon=":material/gavel:"):
        st.caption("Your arrow is shown beside the computed one, with your reason and name; it is logged and "
                   "kept when data are re-imported. Withdraw it to let the computed arrow stand alone.")
        with st.form(f"{key}.form"):
            names = dict(units)
            unit = st.selectbox("Unit", list(names), format_func=names.get, key=f"{key}.unit")
            arrow = st.radio("Your judgement", judgements.ANALYST_ARROWS, horizontal=True, key=f"{key}.arrow")
            reason = st.text_area("Reason", key=f"{key}.reason", height=80, max_chars=1000,
                                  help="One or two sentences a stakeholder can read beside the arrow.")
            editor = _editor_input(f"{key}.editor")
            save, withdraw = st.columns(2)
            saved = save.form_submit_button("Save judgement", type="primary")
            withdrawn = withdraw.form_submit_button("Withdraw judgement")
        if saved or withdrawn:
            if withdrawn and (unit, month) not in current:
                st.info("There is no judgement of that month to withdraw.")
                return
            _apply(judgements.set_judgement, data.engine(), unit, month, None if withdrawn else arrow,
                   reason, editor, success=f"Judgement of {names[unit]} in {month_label} "
                   f"{'withdrawn' if withdrawn else 'saved'}.")
