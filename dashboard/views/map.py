"""Map page: the region coloured by events in the filter, with event markers."""

import streamlit as st

from dashboard import geo
from dashboard.names import FOCUS_COUNTRIES, country_names
from dashboard.ui import components, data, filter_state
from dashboard.ui.figures import build_map_figure, date_label

f = filter_state.current()
star = filter_state.kosovo_star()
names = country_names(star)
n_events = data.count_events(f)
components.page_header("Map", f, f"{n_events} event(s)")

counts = data.event_counts(f, "country").rename(columns={"events": "value"})
events = data.events(f)
located = events[events["lat"].notna() & events["lon"].notna()].copy()
located["when"] = [date_label(s, e, p) for s, e, p in
                   zip(located["date_start"], located["date_end"], located["date_precision"], strict=True)]


def _on_map_select() -> None:
    """A click on a country narrows the shared filter to it; a click on a marker opens the event."""
    selection = st.session_state.get("map.chart", {}).get("selection", {})
    for point in selection.get("points", []):
        if point.get("location") in FOCUS_COUNTRIES:
            filter_state.narrow_to(countries=[point["location"]])
            return
        custom = point.get("customdata")
        if custom:
            st.session_state["map.event"] = custom[0]
            return


fig = build_map_figure(
    counts,
    located[["lat", "lon", "title", "when", "display_status", "category", "id"]].rename(
        columns={"display_status": "status"}
    ),
    geo.countries_geojson(),
    names,
    focus=list(FOCUS_COUNTRIES),
    center=geo.BALKANS_CENTER,
    zoom=geo.BALKANS_ZOOM,
    measure="Events",
    highlight=list(f.countries),
)
st.plotly_chart(fig, key="map.chart", on_select=_on_map_select, selection_mode="points",
                config={"displaylogo": False, "scrollZoom": True}, width="stretch")
st.caption(
    "Click a country to narrow the filter to it; click a marker for the event. Boundaries: Natural Earth "
    "via world-atlas, simplified; lines are approximate and imply no position on status."
)
components.kosovo_footnote()
if n_events == 0:
    components.empty_state("events", f)
else:
    unplaced = len(events) - len(located)
    if unplaced:
        st.caption(f"{unplaced} event(s) in the filter have no coordinates: they count for their countries "
                   "but have no marker.")

chosen = st.session_state.get("map.event")
if chosen:
    ev = data.event(chosen)
    if ev is not None:
        components.event_detail(ev)

if len(counts):
    table = counts.assign(country=[names.get(c, c) for c in counts["code"]])[["country", "code", "value", "expected"]]
    with st.expander("Events per country", expanded=False):
        st.dataframe(table.rename(columns={"value": "events", "expected": "expected (incl. overdue)"}),
                     hide_index=True, width="stretch")
