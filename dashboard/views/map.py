"""Map page: the region coloured by a measure for the filter, with development markers; clicks filter."""

import streamlit as st

from dashboard import charts, geo
from dashboard.figures import build_map_figure
from dashboard.names import FOCUS_COUNTRIES
from dashboard.ui import components, data, filter_state, presentation, shared_figures
from dashboard.ui.exports import chart_downloads

MAP_ZOOM = geo.zoom_to_fit(geo.BALKANS_BOUNDS, width_px=1000, height_px=640)

f = filter_state.current()
display = filter_state.current_display()
n_developments, n_events = data.development_totals(f)
components.page_header("Map", f, f"{n_developments:,} development(s) ({n_events:,} report{'s' if n_events != 1 else ''})")

col_level, col_measure = st.columns(2)
# Both choices start from the session, which filter_state fills from the URL and writes back to it.
LEVEL, MEASURE = filter_state.VIEWS["map.level"], filter_state.VIEWS["map.measure"]
level = col_level.segmented_control(
    "Level", LEVEL.choices, format_func=LEVEL.labels.get, required=True, key=LEVEL.key,
    on_change=filter_state.remember_view, args=(LEVEL.key,),
    help="Countries, or the units below them: Republika Srpska, the Federation and Brčko District; Serbia's "
    "districts; Kosovo's municipalities; Transnistria.",
) or LEVEL.default
measure = col_measure.selectbox("Colour by", MEASURE.choices, format_func=MEASURE.labels.get, key=MEASURE.key,
                                on_change=filter_state.remember_view, args=(MEASURE.key,))

geojson, focus, names = data.map_regions(level, display)
values = data.map_values(f, level, measure)
points, aggregated = data.development_points(f)


def _on_map_select() -> None:
    """A click on a region narrows the shared filter to it; a click on a marker opens the event."""
    selection = st.session_state.get("map.chart", {}).get("selection", {})
    for point in selection.get("points", []):
        location = point.get("location")
        if location in FOCUS_COUNTRIES:
            filter_state.narrow_to(countries=[location])
            return
        if location and location in names:
            filter_state.narrow_to(places=[location])
            return
        custom = point.get("customdata")
        if custom and isinstance(custom[0], str):
            # The event belongs to the filter it was chosen under: another filter, another map.
            st.session_state["map.event"] = (custom[0], filter_state.current())
            return


fig = shared_figures.shared("map", (f, display, level, measure), lambda: build_map_figure(
    values, points, geojson, names, focus=focus, center=geo.BALKANS_CENTER, zoom=MAP_ZOOM,
    measure=charts.MEASURES[measure].split(" ")[0], highlight=[*f.countries, *f.places], aggregated=aggregated,
    display=display, size_by=charts.marker_size_by(measure),
))
st.plotly_chart(fig, key="map.chart", on_select=_on_map_select, selection_mode="points",
                config={"displaylogo": False, "scrollZoom": True}, width="stretch")
notes = [] if presentation.active() else ["Click a region to narrow the filter to it; click a marker for the "
                                          "development's lead report."]
if aggregated:
    notes.append(f"Developments are grouped into {len(points)} cells of 0.25° because there are too many to draw one "
                 "by one; a cell's size follows " + ("its fatalities." if measure == "fatalities" else
                                                     "how many developments it holds."))
elif len(points):
    notes.append("One marker per located development, larger for more fatalities reported." if measure == "fatalities"
                 else "One marker per located development, larger for more independent sources.")
if notes:
    st.caption(" ".join(notes))
st.caption(charts.MAP_NOTE)
components.source_credits(f)
components.kosovo_footnote()
if n_developments == 0:
    components.empty_state("events", f)
if not presentation.active():
    chart_downloads(fig, "map", f)

chosen = st.session_state.get("map.event")
if chosen and chosen[1] != f:  # chosen under another filter: not this map's event any more
    del st.session_state["map.event"]
    chosen = None
if chosen:
    ev = data.event(chosen[0])
    if ev is not None:
        components.event_detail(ev, context="map")

if values:
    table = sorted(((names.get(k, k), k, v) for k, v in values.items() if v), key=lambda r: -r[2])
    with st.expander(f"{charts.MEASURES[measure]} per region", expanded=False):
        st.dataframe([{"region": n, "code": c, charts.MEASURES[measure].lower(): v} for n, c, v in table],
                     hide_index=True, width="stretch")
