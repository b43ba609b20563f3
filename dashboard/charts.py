"""The map and the timeline for a filter: data shaping shared by the pages and the briefings.

Query results in, figures out (through the builders in ``dashboard.figures``). No Streamlit
here: the pages call these through ``dashboard.ui.data``, which adds caching.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard import geo
from dashboard.figures import DEFAULT_DISPLAY, build_map_figure, build_timeline_figure, date_label
from dashboard.filters import Display, Filters
from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
from dashboard.store import density, queries
from dashboard.vocab import status_label
from dashboard.volume import LABELLED, TEXT_LABELS

LEVELS = ("country", "place")
MEASURES = {"developments": "Developments", "events": "Reports (events)", "articles": "Articles", "expected": "Expected and overdue developments",
            "fatalities": "Fatalities reported (ACLED)"}
LANES = ("country", "category", "place")
#: Developments a timeline loads at most (the most significant): markers, labels and the density band.
TIMELINE_LIMIT = 500  # the markers, the undated list and the table; the band counts every development

#: Size of the map and timeline in static images (CSS pixels before ``scale``).
STATIC_WIDTH = 900
MAP_HEIGHT = 500

MAP_NOTE = (
    "Boundaries: Natural Earth (world-atlas 2.0.2; admin-1 via Debian qgis-common), simplified. Lines are "
    "approximate and imply no position on status; the inter-entity line in BiH and Brčko District are "
    "approximations."
)
TIMELINE_NOTE = (
    "● occurred  ▶ ongoing  ■ statement  ◇ expected, drawn at its deadline with a dotted span  red ◇ overdue. "
    "A bar spans a month, quarter or year when that is all the source says."
)


# --- map --------------------------------------------------------------------------------------

def map_values(engine: Engine, f: Filters, level: str = "country", measure: str = "developments") -> dict[str, int]:
    """Region id -> count of developments, events, articles, expected developments or fatalities for the filter.

    In the sub-national view, countries without sub-national units keep their country totals.
    """
    values: dict[str, int] = {}
    levels = ["country"] if level == "country" else ["country", "place"]
    for lvl in levels:
        if measure == "developments":
            df = queries.development_counts_by(engine, f, lvl)
            values.update(zip(df["code"], df["developments"].astype(int), strict=True))
        elif measure == "articles":
            df = queries.article_counts_by(engine, f, lvl)
            values.update(zip(df["code"], df["articles"].astype(int), strict=True))
        elif measure == "fatalities":
            df = queries.fatalities_by(engine, f, lvl)
            values.update(zip(df["code"], df["fatalities"].astype(int), strict=True))
        else:
            df = queries.event_counts_by(engine, f, lvl, status="expected" if measure == "expected" else None)
            values.update(zip(df["code"], df["events"].astype(int), strict=True))
    return values


def map_regions(level: str = "country", display: Display = DEFAULT_DISPLAY) -> tuple[dict, list[str], dict[str, str]]:
    """``(geojson, focus ids, id -> display name)`` for the country or the sub-national map (Kosovo as
    "Kosovo*" when ``display.kosovo_star``)."""
    kosovo_star = display.kosovo_star
    if level == "country":
        geojson = geo.countries_geojson()
        focus = list(FOCUS_COUNTRIES)
        names = {i: country_name(i, kosovo_star) for i in (ft["id"] for ft in geojson["features"])}
    else:
        geojson = geo.subnational_geojson()
        focus = [ft["id"] for ft in geojson["features"]
                 if ft["properties"]["kind"] == "place" or ft["id"] in FOCUS_COUNTRIES]
        names = {ft["id"]: (place_name(ft["id"]) if ft["properties"]["kind"] == "place"
                            else country_name(ft["id"], kosovo_star))
                 for ft in geojson["features"]}
    return geojson, focus, names


def map_markers(engine: Engine, f: Filters, today: date | None = None) -> tuple[pd.DataFrame, bool]:
    """Located developments (with ``when`` at honest precision and ``status``, the derived status in
    words) or grid cells. Returns ``(frame, aggregated)`` as
    :func:`dashboard.store.queries.development_points` does."""
    points, aggregated = queries.development_points(engine, f, today=today)
    if not aggregated and len(points):
        points = points.assign(
            when=[date_label(s, e, p) for s, e, p in zip(points["date_start"], points["date_end"],
                                                         points["date_precision"], strict=True)],
            status=[status_label(x) for x in points["display_status"]],
        )
    return points, aggregated


def marker_size_by(measure: str) -> str:
    """What the map's markers are sized by for a colour measure: fatalities, else independent sources."""
    return "fatalities" if measure == "fatalities" else "sources"


def map_figure(engine: Engine, f: Filters, *, level: str = "country", measure: str = "developments",
               display: Display = DEFAULT_DISPLAY, today: date | None = None, height: int = MAP_HEIGHT,
               width: int = STATIC_WIDTH) -> go.Figure:
    """The map page's figure for ``f``: regions coloured by ``measure``, a marker per located development.

    ``width`` only sets the zoom that fits the region (the figure itself stays responsive).
    """
    geojson, focus, names = map_regions(level, display)
    values = map_values(engine, f, level, measure)
    points, aggregated = map_markers(engine, f, today)
    zoom = geo.zoom_to_fit(geo.BALKANS_BOUNDS, width_px=width, height_px=height)
    return build_map_figure(
        values, points, geojson, names, focus=focus, center=geo.BALKANS_CENTER, zoom=zoom,
        measure=MEASURES[measure].split(" ")[0], highlight=[*f.countries, *f.places], aggregated=aggregated,
        height=height, display=display, size_by=marker_size_by(measure),
    )


# --- timeline ---------------------------------------------------------------------------------

def timeline_lanes(events: pd.DataFrame, lane: str = "country", display: Display = DEFAULT_DISPLAY,
                   prefer: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict[str, str]]:
    """``events`` with a ``lane`` column (first country, first place or category) and lane labels.

    ``prefer`` (the filter's countries or places): an event tagged with several goes in the lane of
    the first one the filter asked for, so a BA+TR event filtered on BA sits in the BA lane. Events with
    no country (place, category) go in the "—" lane ("other" for categories).
    """
    if lane == "country":
        keys = [density.lane_of(c, prefer) for c in events["countries"]]
    elif lane == "place":
        keys = [density.lane_of(p, prefer) for p in events["places"]]
    else:
        keys = [c or "other" for c in events["category"]]
    return events.assign(lane=keys), lane_labels(keys, lane, display)


def lane_labels(keys, lane: str = "country", display: Display = DEFAULT_DISPLAY) -> dict[str, str]:
    """Lane key -> the name the timeline shows: the country's or place's name, the category itself."""
    if lane == "country":
        return {k: country_name(k, display.kosovo_star) for k in keys}
    if lane == "place":
        return {k: place_name(k) if k != "—" else "no sub-national place" for k in keys}
    return {k: k for k in keys}


def timeline_band(engine: Engine, f: Filters, lane: str = "country") -> pd.DataFrame:
    """Every dated development of ``f`` per lane and month (lane, month, developments): the density band's
    counts (:func:`dashboard.store.density.development_months` with the filter's countries or places
    preferred, as :func:`timeline_lanes` does)."""
    return density.development_months(engine, f, lane, prefer=f.places if lane == "place" else f.countries)


def timeline_figure(engine: Engine, f: Filters, *, lane: str = "country", display: Display = DEFAULT_DISPLAY,
                    today: date | None = None, developments: pd.DataFrame | None = None,
                    events: pd.DataFrame | None = None, height: int | None = None) -> go.Figure:
    """The timeline page's figure for ``f``: its developments, the most significant as markers.

    Pass ``developments`` from ``queries.load_developments`` to reuse them. ``events`` is read only
    when it holds developments (a ``development_id`` and ``n_events`` column); rows of
    ``queries.load_events`` are ignored and the developments loaded, so a briefing plots
    developments too.
    """
    if developments is None and events is not None and {"n_events", "significance"} <= set(events.columns):
        developments = events
    if developments is None:
        developments = queries.load_developments(engine, f, limit=TIMELINE_LIMIT, today=today)
    prefer = f.places if lane == "place" else f.countries
    developments, labels = timeline_lanes(developments, lane, display, prefer=prefer)
    band = timeline_band(engine, f, lane)
    labels = {**lane_labels(band["lane"], lane, display), **labels}
    return build_timeline_figure(developments, labels, x_range=(f.date_from, f.date_to), height=height,
                                 lane_kind=lane, display=display, width=STATIC_WIDTH, band_counts=band)


def band_note(n_dated: int, labelled: int = LABELLED) -> str | None:
    """The sentence under a timeline of ``n_dated`` dated developments when they do not all get a marker
    (``None`` when they do)."""
    if n_dated <= labelled:
        return None
    rest = n_dated - labelled
    return (f"The {labelled} most significant of {n_dated:,} dated developments are drawn as markers (the "
            f"{TEXT_LABELS} most significant with their title); the other {rest:,} are summarised in the shaded "
            "strip under each lane, one cell per month (a development known only to a quarter or a year counts "
            "in the month its period starts), darker for more; hover a cell for its count. Narrow the filter (a "
            "country, a topic, a shorter date range) to bring them back as markers.")


def static_timeline_height(fig: go.Figure) -> int:
    """A compact height for a printed timeline: about 40 px per lane (60 when titles sit beside the
    markers, so a label above and one below fit) plus the legend and the axis."""
    lanes = len(fig.layout.yaxis.categoryarray or ()) or 1
    labelled = any(a.name == "label" for a in fig.layout.annotations)
    return max(240, 110 + (60 if labelled else 40) * lanes)
