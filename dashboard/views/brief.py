"""Briefing and export: the current filter as a document for stakeholders, or as data."""

import streamlit as st

from dashboard.ui import components, data, exports, filter_state

f = filter_state.current()
components.page_header("Briefing and export", f, f"{data.count_events(f)} event(s), {data.count_articles(f)} article(s)")

st.subheader("Briefing")
st.caption("Title, filter and time made, the map, the timeline, key developments with their sources and "
           "verification, expected developments with deadlines, and the articles. The HTML file carries its "
           "own charts and opens offline; the PDF prints on A4.")
exports.briefing(f)

st.subheader("Data")
exports.data_export(f)
st.caption("The same from the command line: `python -m dashboard export events --format xlsx -o events.xlsx` "
           "and `python -m dashboard brief -o briefing.pdf`, with `--countries`, `--from`, `--to`.")
