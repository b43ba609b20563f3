"""Small shared page parts: headers with the filter caption, empty states, event detail panels."""

from __future__ import annotations

import json

import streamlit as st

from dashboard.figures import date_label
from dashboard.filters import Filters
from dashboard.names import KOSOVO_FOOTNOTE, country_name, place_name
from dashboard.ui import filter_state, presentation
from dashboard.ui.text import external_link, md_escape
from dashboard.vocab import DATASET_ATTRIBUTION, DATASET_LABELS, status_label, verification_label

BADGE_COLOURS = {"analyst": "green", "machine": "orange"}


_LAST_PAGE = "ui.last_page"


def same_page_as_last_run(title: str) -> bool:
    """Whether the session's previous run drew the page ``title`` (call before :func:`page_header`)."""
    return st.session_state.get(_LAST_PAGE) == title


def page_header(title: str, f: Filters, counts: str) -> None:
    """Title plus a caption naming the filter in force and what it matched."""
    st.session_state[_LAST_PAGE] = title
    st.title(title)
    from dashboard.ui.curation import flash_messages

    flash_messages()
    st.caption(f"**Filter:** {md_escape(f.describe(display=filter_state.current_display()))} · {counts}")
    from dashboard.ui import data

    if not any(data.totals().values()):
        st.info("The store is empty. Load the bundled sample with `python -m dashboard build-sample`, or add "
                "your own articles.", icon=":material/inbox:")
        st.page_link("views/add.py", label="Add articles", icon=":material/upload_file:")


def source_credits(f: Filters) -> None:
    """The attribution the datasets shown ask for (ACLED's terms require it wherever its rows appear)."""
    from dashboard.ui import data

    for line in data.attributions(f):
        st.caption(line)


def kosovo_footnote() -> None:
    """The EU footnote, shown wherever "Kosovo*" is used."""
    if filter_state.current_display().kosovo_star:
        st.caption(KOSOVO_FOOTNOTE)


def empty_state(what: str, f: Filters) -> None:
    """Say that nothing matched and offer the way out."""
    st.info(
        f"No {what} match this filter ({md_escape(f.describe(display=filter_state.current_display()))}). Widen the dates, remove a country or topic, "
        "or clear the filter.",
        icon=":material/filter_alt_off:",
    )
    st.button("Clear filter", key=f"empty.{what}.clear", on_click=filter_state.clear)


def bullet_list(lines: list[str], limit: int, rest: str, total: int | None = None) -> None:
    """Markdown ``lines`` as one list element, the first ``limit`` of them; ``rest`` (with ``{n}``) counts
    the others (of ``total`` when the lines are only the first of them). One element, not one per line:
    a page sent 1,500 of them, each a message and a block for the browser to lay out."""
    if not lines:
        return
    shown = [f"- {line}" for line in lines[:limit]]
    st.markdown("\n".join(shown))
    total = len(lines) if total is None else total
    if total > min(limit, len(lines)):
        st.caption(rest.format(n=total - min(limit, len(lines))))


def verification_badge(verification: str) -> None:
    """Who vouches for an item, in the vocabulary's words."""
    st.badge(verification_label(verification), color=BADGE_COLOURS.get(verification, "gray"))


def dataset_fields(ev: dict) -> None:
    """What the event's dataset says of it: its name and id, type, fatalities, sources, its own fields."""
    dataset = ev.get("dataset")
    if not dataset:
        return
    facts = [f"**Dataset:** {md_escape(DATASET_LABELS.get(dataset, dataset))}"]
    if ev.get("source_id"):
        facts.append(f"id {md_escape(ev['source_id'])}")
    kind = " / ".join(x for x in (ev.get("event_type"), ev.get("sub_event_type")) if x)
    if kind:
        facts.append(f"**Type:** {md_escape(kind)}")
    if ev.get("fatalities") is not None:
        facts.append(f"**Fatalities:** {int(ev['fatalities'])}")
    if ev.get("num_sources") is not None:
        facts.append(f"**Sources:** {int(ev['num_sources'])}")
    st.markdown("  ·  ".join(facts))
    if dataset in DATASET_ATTRIBUTION:
        st.caption(DATASET_ATTRIBUTION[dataset])
    if ev.get("attributes"):
        with st.expander(f"All fields as {DATASET_LABELS.get(dataset, dataset)} gives them"):
            st.json(json.loads(ev["attributes"]), expanded=True)


def event_detail(ev: dict, context: str = "panel", editable: bool = True) -> None:
    """An event's full record: what, when (at its precision), where, the evidence, the source, and
    (``editable``) the analyst's correction form."""
    star = filter_state.current_display().kosovo_star
    with st.container(border=True, key=f"event-detail-{context}-{ev['id']}"):
        st.markdown(f"#### {md_escape(ev['title'])}")
        verification_badge(ev["verification"])
        if ev.get("review_flag"):
            st.warning(f"Needs an analyst's check: {md_escape(ev['review_flag'])}.", icon=":material/flag:")
            if editable and not presentation.active():
                from dashboard.ui.curation import pending_review

                pending_review(ev, context)
        when = date_label(ev["date_start"], ev["date_end"], ev["date_precision"])
        status_text = status_label(ev["display_status"])
        st.markdown(f"**When:** {when}  ·  **Status:** {status_text}  ·  **Category:** {md_escape(ev['category'] or '–')}")
        if ev.get("date_text"):
            st.caption(f"Date as written: {md_escape(ev['date_text'])}")
        where = [country_name(c, star) for c in ev.get("countries", [])]
        where += [place_name(p) for p in ev.get("places", [])]
        if ev.get("location"):
            where.append(ev["location"])
        st.markdown("**Where:** " + (md_escape(", ".join(where)) if where else "–"))
        if ev.get("actors"):
            st.markdown("**Actors:** " + md_escape(", ".join(ev["actors"])))
        if ev.get("summary"):
            st.markdown(md_escape(ev["summary"]))
        if ev.get("evidence"):
            st.markdown("**Evidence** (the sentence it came from):")
            st.text(ev["evidence"])
        if ev.get("cues"):
            confidence = f" (confidence {ev['confidence']:.2f})" if ev.get("confidence") is not None else ""
            st.caption(f"Why the machine took it for a development{confidence}: {md_escape(ev['cues'])}")
        dataset_fields(ev)
        links = []
        if ev.get("source_url"):
            links.append(external_link(f"Source: {ev.get('source_name') or ev['source_url']}", ev["source_url"]))
        elif ev.get("source_name"):
            links.append(f"Source: {md_escape(ev['source_name'])}")
        if links:
            st.markdown(" · ".join(links))
        if editable and not presentation.active():
            from dashboard.ui.curation import event_editor

            event_editor(ev, context)
        if ev.get("article_id") and context != "article":
            st.page_link(
                "views/articles.py",
                label="Open the source article",
                icon=":material/article:",
                query_params={**filter_state.current_params(), "article": str(ev["article_id"])},
            )
