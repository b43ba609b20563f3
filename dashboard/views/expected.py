"""Expected developments: announced items with their deadlines, tracked to an outcome.

The list is paged (25 a page) and counted per state in SQL; an item's full record, its outcome
form and its corrections load only when the analyst opens that item.
"""

import math

import streamlit as st

from dashboard.figures import date_label
from dashboard.names import country_name
from dashboard.ui import components, data, filter_state, presentation
from dashboard.ui.curation import outcome_linker
from dashboard.ui.text import md_escape
from dashboard.vocab import TRACKER_STATE_HELP, TRACKER_STATES

PAGE_SIZE = 25
STATE_ICONS = {"announced": ":material/schedule:", "slipped": ":material/update:", "overdue": ":material/warning:",
               "realised": ":material/check_circle:", "abandoned": ":material/block:"}

f = filter_state.current()
star = filter_state.kosovo_star()
counts = data.expected_counts(f)
total = sum(counts.values())
components.page_header("Expected developments", f, f"{total:,} expected development(s)")
st.caption("Announced deals, deadlines and promised steps, by state; within each the most significant first, then "
           "the soonest deadline. "
           + " · ".join(f"{STATE_ICONS[k]} {k}: {TRACKER_STATE_HELP[k]}" for k in TRACKER_STATES))

if total == 0:
    components.empty_state("expected developments", f)
    st.stop()

states = st.pills("Show", list(TRACKER_STATES), selection_mode="multi", default=list(TRACKER_STATES),
                  key="tracker.states", format_func=lambda s: f"{STATE_ICONS[s]} {s} ({counts[s]:,})",
                  help="Tracker states to list; the number is how many items of the filter are in each.")
shown = sum(counts[s] for s in states or ())
pages = max(1, math.ceil(shown / PAGE_SIZE))
page = st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, key="tracker.page")
first = (int(page) - 1) * PAGE_SIZE
if shown == 0:
    st.info("No item of this filter is in the chosen states. Choose more states above.",
            icon=":material/filter_alt_off:")
    st.stop()
st.caption(f"Items {first + 1:,}–{min(first + PAGE_SIZE, shown):,} of {shown:,}.")

items = data.expected_items(f, tuple(states), limit=PAGE_SIZE, offset=first).astype(object)
items = items.where(items.notna(), None)
for item in items.to_dict("records"):
    deadline = item["date_end"].isoformat() if item["date_end"] else "no deadline"
    with st.container(border=True, key=f"tracker-item-{item['id']}"):
        st.markdown(f"{STATE_ICONS[item['state']]} **{md_escape(item['title'])}**")
        when = md_escape(item["date_text"] or date_label(item["date_start"], item["date_end"], item["date_precision"]))
        parts = [f"Deadline: **{deadline}** ({when})", f"State: **{item['state']}**",
                 md_escape(", ".join(country_name(c, star) for c in item["countries"])) or "no country"]
        if item["first_deadline"] and item["date_end"] and item["first_deadline"] != item["date_end"]:
            parts.append(f"first announced for {item['first_deadline'].isoformat()}")
        if item["n_events"] and item["n_events"] > 1:
            sources = item["n_sources"]
            parts.append(f"{item['n_events']} reports from {sources} source{'s' if sources != 1 else ''}")
        st.markdown(" · ".join(parts))
        if item["outcome_event_id"]:
            st.markdown(f"Outcome: {md_escape(item['outcome_title'])} ({item['outcome_date'] or 'undated'})")
            if item["outcome_date"] and item["date_start"] and item["outcome_date"] < item["date_start"]:
                st.warning(f"The outcome ({item['outcome_date'].isoformat()}) predates the announcement "
                           f"({item['date_start'].isoformat()}): check that it is the right event.",
                           icon=":material/history_toggle_off:")
        components.verification_badge(item["verification"])
        # Details load only when opened: a closed expander would still run (and query) its content.
        if st.toggle("Details, outcome and corrections", key=f"tracker.open.{item['id']}"):
            ev = data.event(item["id"])
            if ev is not None:
                components.event_detail(ev, context="tracker")
            if not presentation.active():
                outcome_linker(item, "tracker")
components.source_credits(f)
components.kosovo_footnote()
