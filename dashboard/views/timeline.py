"""Timeline page: developments on a date axis at their honest precision, with details on click."""

import streamlit as st

from dashboard.names import PLACE_NAMES, country_name
from dashboard.ui import components, data, filter_state
from dashboard.ui.figures import build_timeline_figure, build_volume_figure, date_label
from dashboard.ui.text import md_escape

f = filter_state.current()
star = filter_state.kosovo_star()
n_events = data.count_events(f)
components.page_header("Timeline", f, f"{n_events} event(s)")

LANES = {"country": "Country", "category": "Category", "place": "Sub-national place"}
lane = st.segmented_control("Lanes by", list(LANES), format_func=LANES.get, key="timeline.lane",
                            default="country", help="One row per country, category or sub-national place.")
lane = lane or "country"
events = data.events(f)

if n_events == 0:
    components.empty_state("events", f)
    st.stop()

def _lane_key(values: list[str], preferred: tuple[str, ...]) -> str:
    """The lane of an event: the first of its values that the filter asked for, else its first value."""
    return next((v for v in values if v in preferred), values[0] if values else "—")


if lane == "country":
    keys = [_lane_key(c, f.countries) for c in events["countries"]]
    labels = {k: country_name(k, star) for k in keys}
elif lane == "place":
    keys = [_lane_key(p, f.places) for p in events["places"]]
    labels = {k: PLACE_NAMES.get(k, "no sub-national place") if k != "—" else "no sub-national place" for k in keys}
else:
    keys = [c or "other" for c in events["category"]]
    labels = {k: k for k in keys}
events = events.assign(lane=keys)

fig = build_timeline_figure(events, labels, x_range=(f.date_from, f.date_to))
event_selection = st.plotly_chart(fig, key="timeline.chart", on_select="rerun", selection_mode="points",
                                  config={"displaylogo": False}, width="stretch")
st.caption("● occurred  ▶ ongoing  ■ statement  ◇ expected, drawn at its deadline with a dotted span  "
           "red ◇ overdue. A bar spans a month, quarter or year when that is all the source says.")
components.kosovo_footnote()

points = (event_selection or {}).get("selection", {}).get("points", [])
chosen = next((p["customdata"][0] for p in points if p.get("customdata")), None)
if chosen:
    ev = data.event(chosen)
    if ev is not None:
        components.event_detail(ev, context="timeline")
else:
    st.caption("Click a marker to see the evidence and the source.")

undated = events[events["date_start"].isna()]
if len(undated):
    st.subheader(f"Undated developments ({len(undated)})")
    st.caption("Their source gives no date we can resolve honestly, so they are listed rather than placed on the axis.")
    for _, row in undated.iterrows():
        with st.expander(md_escape(row["title"])):
            ev = data.event(row["id"])
            if ev is not None:
                components.event_detail(ev, context="undated")

per_month = data.volume_per_month(f)
if len(per_month):
    st.subheader("Events and articles per month")
    st.caption("Events dated to a day or a month and articles with a known publication date; items known only "
               "to a quarter or a year, or undated, are not counted here.")
    st.plotly_chart(build_volume_figure(per_month), key="timeline.volume", config={"displaylogo": False},
                    width="stretch")

with st.expander("All events in the filter as a table"):
    table = events.assign(
        when=[date_label(s, e, p) for s, e, p in
              zip(events["date_start"], events["date_end"], events["date_precision"], strict=True)],
        countries=[", ".join(c) for c in events["countries"]],
    )[["when", "title", "display_status", "category", "countries", "verification", "source_url"]]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"source_url": st.column_config.LinkColumn("source")})
