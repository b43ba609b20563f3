"""Map page: the region coloured by a measure for the filter, with event markers; clicks filter."""

import streamlit as st

from dashboard import geo
from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
from dashboard.ui import components, data, filter_state
from dashboard.ui.figures import build_map_figure, date_label

LEVELS = {"country": "Countries", "place": "Entities, districts and municipalities"}
MAP_ZOOM = geo.zoom_to_fit(geo.BALKANS_BOUNDS, width_px=1000, height_px=640)
MEASURES = {"events": "Events", "articles": "Articles", "expected": "Expected and overdue developments"}

f = filter_state.current()
star = filter_state.kosovo_star()
n_events = data.count_events(f)
components.page_header("Map", f, f"{n_events} event(s)")

col_level, col_measure = st.columns(2)
level = col_level.segmented_control("Level", list(LEVELS), format_func=LEVELS.get, default="country",
                                    key="map.level", help="Countries, or the units below them: Republika "
                                    "Srpska, the Federation and Brčko District; Serbia's districts; Kosovo's "
                                    "municipalities; Transnistria.") or "country"
measure = col_measure.selectbox("Colour by", list(MEASURES), format_func=MEASURES.get, key="map.measure")

if level == "country":
    geojson = geo.countries_geojson()
    focus = list(FOCUS_COUNTRIES)
    names = {i: country_name(i, star) for i in (ft["id"] for ft in geojson["features"])}
else:
    geojson = geo.subnational_geojson()
    focus = [ft["id"] for ft in geojson["features"]
             if ft["properties"]["kind"] == "place" or ft["id"] in FOCUS_COUNTRIES]
    names = {ft["id"]: (place_name(ft["id"]) if ft["properties"]["kind"] == "place" else country_name(ft["id"], star))
             for ft in geojson["features"]}
values = data.map_values(f, level, measure)

points, aggregated = data.event_points(f)
if not aggregated and len(points):
    points = points.assign(
        when=[date_label(s, e, p) for s, e, p in zip(points["date_start"], points["date_end"],
                                                     points["date_precision"], strict=True)],
        status=points["display_status"],
    )


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
            st.session_state["map.event"] = custom[0]
            return


fig = build_map_figure(
    values, points, geojson, names, focus=focus, center=geo.BALKANS_CENTER, zoom=MAP_ZOOM,
    measure=MEASURES[measure].split(" ")[0], highlight=[*f.countries, *f.places], aggregated=aggregated,
)
st.plotly_chart(fig, key="map.chart", on_select=_on_map_select, selection_mode="points",
                config={"displaylogo": False, "scrollZoom": True}, width="stretch")
notes = ["Click a region to narrow the filter to it; click a marker for the event."]
if aggregated:
    notes.append(f"Markers are grouped into {len(points)} cells of 0.25° because there are too many to draw one by one.")
st.caption(" ".join(notes))
st.caption(
    "Boundaries: Natural Earth (world-atlas 2.0.2; admin-1 via Debian qgis-common), simplified. Lines are "
    "approximate and imply no position on status; the inter-entity line in BiH and Brčko District are "
    "approximations."
)
components.kosovo_footnote()
if n_events == 0:
    components.empty_state("events", f)

chosen = st.session_state.get("map.event")
if chosen:
    ev = data.event(chosen)
    if ev is not None:
        components.event_detail(ev, context="map")

if values:
    table = sorted(((names.get(k, k), k, v) for k, v in values.items() if v), key=lambda r: -r[2])
    with st.expander(f"{MEASURES[measure]} per region", expanded=False):
        st.dataframe([{"region": n, "code": c, MEASURES[measure].lower(): v} for n, c, v in table],
                     hide_index=True, width="stretch")
