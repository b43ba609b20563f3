"""Expected developments: announced items with their deadlines, tracked to an outcome."""

import streamlit as st

from dashboard.figures import date_label
from dashboard.names import country_name
from dashboard.ui import components, data, filter_state, presentation
from dashboard.ui.curation import outcome_linker
from dashboard.ui.text import md_escape

STATE_HELP = {
    "announced": "announced, deadline not reached",
    "slipped": "deadline moved later than first announced",
    "overdue": "deadline passed with no recorded outcome",
    "realised": "an outcome event is linked",
    "abandoned": "officially dropped",
}
STATE_ICONS = {"announced": ":material/schedule:", "slipped": ":material/update:", "overdue": ":material/warning:",
               "realised": ":material/check_circle:", "abandoned": ":material/block:"}

f = filter_state.current()
star = filter_state.kosovo_star()
items = data.expected_items(f)
components.page_header("Expected developments", f, f"{len(items)} item(s)")
st.caption("Announced deals, deadlines and promised steps, soonest deadline first. "
           + " · ".join(f"{STATE_ICONS[k]} {k}: {v}" for k, v in STATE_HELP.items()))

if items.empty:
    components.empty_state("expected developments", f)
    st.stop()

states = st.pills("Show", list(STATE_HELP), selection_mode="multi", default=list(STATE_HELP), key="tracker.states",
                  format_func=lambda s: f"{STATE_ICONS[s]} {s}")
shown = items[items["state"].isin(states or [])].astype(object)
shown = shown.where(shown.notna(), None)
for item in shown.to_dict("records"):
    deadline = item["date_end"].isoformat() if item["date_end"] else "no deadline"
    with st.container(border=True, key=f"tracker-item-{item['id']}"):
        st.markdown(f"{STATE_ICONS[item['state']]} **{md_escape(item['title'])}**")
        parts = [f"Deadline: **{deadline}** ({md_escape(item['date_text'] or date_label(item['date_start'], item['date_end'], item['date_precision']))})",
                 f"State: **{item['state']}**",
                 ", ".join(country_name(c, star) for c in item["countries"]) or "no country"]
        if item["first_deadline"] and item["date_end"] and item["first_deadline"] != item["date_end"]:
            parts.append(f"first announced for {item['first_deadline'].isoformat()}")
        st.markdown(" · ".join(parts))
        if item["outcome_event_id"]:
            st.markdown(f"Outcome: {md_escape(item['outcome_title'])} ({item['outcome_date'] or 'undated'})")
        components.verification_badge(item["verification"])
        with st.expander("Details, outcome and corrections"):
            ev = data.event(item["id"])
            if ev is not None:
                components.event_detail(ev, context="tracker")
            if not presentation.active():
                outcome_linker(item, "tracker")
components.kosovo_footnote()
