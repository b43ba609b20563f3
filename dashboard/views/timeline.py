"""Timeline page: developments on a date axis at their honest precision, with details on click."""

import streamlit as st

from dashboard import charts
from dashboard.figures import build_timeline_figure, build_volume_figure, date_label
from dashboard.ui import components, data, filter_state, presentation, shared_figures
from dashboard.ui.exports import chart_downloads

f = filter_state.current()
display = filter_state.current_display()
n_developments, n_reports = data.development_totals(f)
components.page_header("Timeline", f, f"{n_developments:,} development(s) ({n_reports:,} report{'s' if n_reports != 1 else ''})")

# The lane starts from the session, which filter_state fills from the URL and writes back to it.
LANE = filter_state.VIEWS["timeline.lane"]
lane = st.segmented_control("Lanes by", LANE.choices, format_func=LANE.labels.get, required=True, key=LANE.key,
                            on_change=filter_state.remember_view, args=(LANE.key,),
                            help="One row per country, category or sub-national place.") or LANE.default
events = data.developments(f, limit=charts.TIMELINE_LIMIT)

if n_developments == 0:
    components.empty_state("events", f)
    st.stop()
if n_developments > charts.TIMELINE_LIMIT:
    st.info(f"The markers, the undated list and the table below come from the {charts.TIMELINE_LIMIT:,} most "
            f"significant of {n_developments:,} developments; the density band counts every one. Narrow the filter "
            "(a country, a shorter period, a topic) to list them all; exports always carry every row.",
            icon=":material/filter_alt:")

events, labels = charts.timeline_lanes(events, lane, display, prefer=f.places if lane == "place" else f.countries)
band = data.timeline_band(f, lane)  # every dated development, for the band beyond the markers
labels = {**charts.lane_labels(band["lane"], lane, display), **labels}
fig = shared_figures.shared("timeline", (f, display, lane), lambda: build_timeline_figure(
    events, labels, x_range=(f.date_from, f.date_to), lane_kind=lane, display=display, band_counts=band))
event_selection = st.plotly_chart(fig, key="timeline.chart", on_select="rerun", selection_mode="points",
                                  config={"displaylogo": False}, width="stretch")
band_note = charts.band_note(int(band["developments"].sum()))
if band_note:
    st.caption(band_note)
st.caption(charts.TIMELINE_NOTE)
if not presentation.active():
    chart_downloads(fig, "timeline", f)
components.source_credits(f)
components.kosovo_footnote()

points = (event_selection or {}).get("selection", {}).get("points", [])
# a marker's first custom value is its lead report's id; the density band's is a count
chosen = next((p["customdata"][0] for p in points if p.get("customdata") and isinstance(p["customdata"][0], str)),
              None)
if chosen:
    ev = data.event(chosen)
    if ev is not None:
        components.event_detail(ev, context="timeline")
elif not presentation.active():
    st.caption("Click a marker to see the lead report's evidence and source.")

undated = events[events["date_start"].isna()]
if len(undated):
    st.subheader(f"Undated developments ({len(undated)})")
    st.caption("Their source gives no date we can resolve honestly, so they are listed rather than placed on "
               "the axis. Select one for its evidence and source.")
    picked = st.dataframe(
        undated.assign(countries=[", ".join(c) for c in undated["countries"]])[
            ["title", "display_status", "category", "countries", "verification"]].rename(
                columns={"display_status": "status"}),
        hide_index=True, width="stretch", key="timeline.undated", on_select="rerun", selection_mode="single-row",
        height=min(38 + 35 * len(undated), 320),
    )
    rows = (picked or {}).get("selection", {}).get("rows", [])
    if rows:
        ev = data.event(undated.iloc[rows[0]]["id"])
        if ev is not None:
            components.event_detail(ev, context="undated")

per_month = data.volume_per_month(f)
if len(per_month):
    st.subheader("Developments and articles per month")
    st.caption("Developments dated within one month (to a day, a week or the month) and articles with a known "
               "publication date; developments known only to a quarter or a year, or undated, are not counted here.")
    st.plotly_chart(shared_figures.shared("volume", (f, display), lambda: build_volume_figure(per_month, display=display)),
                    key="timeline.volume", config={"displaylogo": False}, width="stretch")

with st.expander("All developments in the filter as a table"):
    table = events.assign(
        when=[date_label(s, e, p) for s, e, p in
              zip(events["date_start"], events["date_end"], events["date_precision"], strict=True)],
        countries=[", ".join(c) for c in events["countries"]],
    )[["when", "title", "display_status", "category", "countries", "n_events", "n_sources", "verification",
       "source_url"]]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"source_url": st.column_config.LinkColumn("source"),
                                "n_events": st.column_config.NumberColumn("reports"),
                                "n_sources": st.column_config.NumberColumn("sources")})
