"""Figure builders: data in, plotly figure out. No Streamlit calls, so each is testable on its own.

Maps use MapLibre traces with the ``white-bg`` style and our own GeoJSON: no tiles, no glyph fonts,
nothing fetched from the internet.

Plotly renders a subset of HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``…) in hover labels,
annotations, legend entries and tick labels, so every stored text (titles, names, codes) goes
through :func:`plotly_text` before it reaches a figure: it shows as the literal text it is.
"""

from __future__ import annotations

import math
import zlib
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboard import volume
from dashboard.filters import Display
from dashboard.names import COUNTRY_NAMES, FOCUS_COUNTRIES, PLACE_NAMES
from dashboard.vocab import CATEGORIES, OVERDUE, STATUS_SHORT, status_label

# 20 colours, handed to the categories, countries, places and statuses below: one colour per value
PALETTE = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
    "#bcbd22", "#393b79", "#637939", "#8c6d31", "#7b4173", "#0e6655", "#b9770e", "#5d6d7e", "#e7969c",
    "#9edae5", "#843c39",
]
STATUS_SYMBOLS = {
    "occurred": "circle",
    "ongoing": "triangle-right",
    "statement": "square",
    "expected": "diamond-open",
    OVERDUE: "diamond-open",
}
OVERDUE_COLOUR = "#c0392b"
#: Lanes and markers without a value ("—", no category) are drawn in a grey that no value gets.
NO_VALUE_COLOUR = "#b3b3b3"
#: The display options when none are given: Kosovo by its name, normal type.
DEFAULT_DISPLAY = Display()
FONT_FAMILY = "Source Sans Pro, Helvetica, Arial, sans-serif"
FONT = dict(family=FONT_FAMILY, size=14)
PRESENT_FONT = dict(family=FONT_FAMILY, size=20)

def plotly_text(value) -> str:
    """Stored text made inert for plotly: ``&``, ``<`` and ``>`` as entities (plotly shows them as the
    characters), so a title holding ``<a href=…>`` or ``<b>`` shows those characters, never a link."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plotly_texts(values) -> list[str]:
    return [plotly_text(v) for v in values]


# --- colours: one per value, the same on every page, briefing and image ----------------------

# Palette positions in the order they are handed out: the reds, the pink and the grey last, so the
# overdue red and the no-value grey stay apart from the categories.
_ORDER = (0, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 15, 16, 18, 6, 17, 8, 19, 1)


def _fixed(values, skip: tuple[str, ...] = ()) -> dict[str, str]:
    pool = [PALETTE[i] for i in _ORDER if PALETTE[i] not in skip]
    return {v: pool[i % len(pool)] for i, v in enumerate(values)}


#: Each event category, in the vocabulary's order (12 of the 20 colours, no red).
CATEGORY_COLOURS: dict[str, str] = _fixed(CATEGORIES)
#: Each country: the focus countries have colours of their own; the other named countries share the
#: remaining eleven (there are more of them than colours).
_FOCUS_COLOURS = _fixed(FOCUS_COUNTRIES)
COUNTRY_COLOURS: dict[str, str] = {
    **_FOCUS_COLOURS,
    **_fixed([c for c in COUNTRY_NAMES if c not in FOCUS_COUNTRIES], skip=tuple(_FOCUS_COLOURS.values())),
}
#: Each named sub-national place.
PLACE_COLOURS: dict[str, str] = _fixed(PLACE_NAMES)
#: Each displayed status; overdue is the one red.
STATUS_COLOURS: dict[str, str] = {
    "occurred": "#1f77b4", "ongoing": "#2ca02c", "statement": "#7f7f7f", "expected": "#9467bd",
    OVERDUE: OVERDUE_COLOUR,
}
_COLOURS = {"category": CATEGORY_COLOURS, "country": COUNTRY_COLOURS, "place": PLACE_COLOURS,
            "status": STATUS_COLOURS}
# Values outside the vocabulary hash into the colours its own values leave free (for countries, the
# ones the focus countries leave free), so they never look like a category, focus country or place,
# and never like the overdue red.
_FREE = {kind: [c for c in PALETTE if c not in {*taken.values(), "#d62728"}]
         for kind, taken in (("category", CATEGORY_COLOURS), ("country", _FOCUS_COLOURS), ("place", PLACE_COLOURS),
                             ("status", STATUS_COLOURS))}
_NO_VALUE = ("", "—", "other")


def colour_for(kind: str, value) -> str:
    """The one colour of a category, country, place or status (``kind``), wherever it is drawn.

    Values outside the vocabulary get a colour from a hash of their text, so it does not depend on what
    else the filter shows; an empty value ("—", no category) is grey.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in _NO_VALUE:
        return NO_VALUE_COLOUR
    known = _COLOURS.get(kind, {}).get(value)
    if known:
        return known
    pool = _FREE.get(kind) or PALETTE
    return pool[zlib.crc32(f"{kind}:{value}".encode()) % len(pool)]


# --- text sizes -----------------------------------------------------------------------------------

def font(display: Display = DEFAULT_DISPLAY) -> dict:
    """The chart font: larger in presentation mode."""
    return dict(PRESENT_FONT if display.present else FONT)


_NARROW = set("ijlIft.,;:'!|()[]{} -/")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float) -> float:
    """Width in pixels of ``text`` drawn in the chart font at ``size`` px: a per-character estimate that
    comes out a little wider than Arial or Source Sans, so a margin sized by it holds the text."""
    units = 0.0
    for ch in str(text):
        if ch in _NARROW:
            units += 0.32
        elif ch in _WIDE:
            units += 0.88
        elif ch.isupper():
            units += 0.7
        else:
            units += 0.58
    return units * size


def date_label(start: date | None, end: date | None, precision: str | None) -> str:
    """Human date at its honest precision: "2023-05-29", "May 2023", "Q4 2023", "2023", "undated"."""
    if start is None or pd.isna(start):
        return "undated"
    if precision == "day":  # a range of days (an expected item from its announcement to its deadline)
        return f"{start.isoformat()} – {end.isoformat()}" if end and not pd.isna(end) and end != start \
            else start.isoformat()
    if precision == "week":
        return f"week of {start.isoformat()}"
    if precision == "month":
        return start.strftime("%B %Y")
    if precision == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if precision == "year":
        return str(start.year)
    return f"{start.isoformat()} – {end.isoformat()}" if end and end != start else start.isoformat()


# --- map --------------------------------------------------------------------------------------

#: Selecting a point (a click) must not dim the rest: regions and markers keep these opacities.
_REGION_SELECTION = dict(selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1)))


def _marker_selection(opacity: float) -> dict:
    return dict(selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=opacity)))


def _shapes(geojson: dict, ids: set[str]) -> dict:
    """The features of ``geojson`` whose id is in ``ids``, as a collection of their own."""
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in ids]}


def build_map_figure(
    values: dict[str, float],
    markers: pd.DataFrame,
    geojson: dict,
    names: dict[str, str],
    *,
    focus: list[str],
    center: dict,
    zoom: float,
    measure: str = "Events",
    highlight: list[str] | None = None,
    aggregated: bool = False,
    height: int = 640,
    display: Display = DEFAULT_DISPLAY,
    size_by: str = "sources",
) -> go.Figure:
    """Choropleth of ``values`` (region id -> number) over ``geojson``, plus development markers.

    Regions whose id is not in ``focus`` are drawn grey for context. ``highlight`` outlines the
    regions the filter selected. ``markers`` holds single developments (columns lat, lon, id, title,
    when, status, category, n_events, n_sources, fatalities) sized by their independent sources, or by
    fatalities when ``size_by="fatalities"`` (:func:`marker_sizes`); or, when ``aggregated``, grid cells
    (lat, lon, developments, fatalities) drawn as circles sized by their count (their fatalities), so the
    payload stays bounded however many there are. Markers are coloured by category
    (:data:`CATEGORY_COLOURS`); a click selects without dimming. No text on the map: MapLibre would
    fetch glyph fonts for it.
    """
    ids = [f["id"] for f in geojson["features"]]
    focus_ids = [i for i in ids if i in focus]
    other_ids = [i for i in ids if i not in focus]
    # each layer carries only its own shapes: the whole collection in both sent every border twice
    focus_shapes = _shapes(geojson, set(focus_ids))
    other_shapes = _shapes(geojson, set(other_ids))
    text = font(display)
    fig = go.Figure()
    if other_ids:
        fig.add_trace(
            go.Choroplethmap(
                geojson=other_shapes, locations=other_ids, z=[0] * len(other_ids), featureidkey="id",
                colorscale=[[0, "#e6e6e6"], [1, "#e6e6e6"]], showscale=False,
                marker_line_color="#ffffff", marker_line_width=0.8,
                hovertext=[plotly_text(names.get(i, i)) for i in other_ids], hoverinfo="text", name="context",
                **_REGION_SELECTION,
            )
        )
    z = [values.get(i, 0) for i in focus_ids]
    top = max(z) if z and max(z) > 0 else 1
    fig.add_trace(
        go.Choroplethmap(
            geojson=focus_shapes, locations=focus_ids, z=z, featureidkey="id",
            colorscale=[[0, "#f7fbff"], [0.15, "#c6dbef"], [0.5, "#6baed6"], [1, "#08306b"]],
            zmin=0, zmax=top,
            marker_line_color="#4a4a4a",
            marker_line_width=[3 if highlight and i in highlight else 0.7 for i in focus_ids],
            colorbar=dict(title=dict(text=measure, font=dict(size=text["size"])), tickfont=dict(size=text["size"] - 2),
                          thickness=14 if not display.present else 20, len=0.6),
            customdata=[[plotly_text(names.get(i, i))] for i in focus_ids],
            hovertemplate="<b>%{customdata[0]}</b><br>" + plotly_text(measure) + ": %{z}<extra></extra>",
            name="regions",
            **_REGION_SELECTION,
        )
    )
    scale = 1.4 if display.present else 1.0
    by_fatalities = size_by == "fatalities"
    if len(markers) and aggregated:
        count = markers["fatalities" if by_fatalities and "fatalities" in markers else
                        ("developments" if "developments" in markers else "events")].fillna(0)
        size = (8 + 30 * (count / max(count.max(), 1)) ** 0.5) * scale
        what = "developments" if "developments" in markers else "events"
        custom = markers[[what, "fatalities"]] if "fatalities" in markers else markers[[what]].assign(fatalities=0)
        fig.add_trace(
            go.Scattermap(
                lat=markers["lat"], lon=markers["lon"], mode="markers", name=f"{what} (grouped)",
                marker=dict(size=size, color="#d35400", opacity=0.7),
                customdata=custom.fillna(0).to_numpy(),
                hovertemplate=f"%{{customdata[0]}} {what} near here"
                + ("<br>%{customdata[1]} fatalities reported" if by_fatalities else "") + "<extra></extra>",
                **_marker_selection(0.7),
            )
        )
    elif len(markers):
        markers = markers.assign(
            size=marker_sizes(markers, size_by) * scale,
            reports=[volume.reports_text(n, m) for n, m in zip(markers.get("n_events", [None] * len(markers)),
                                                               markers.get("n_sources", [None] * len(markers)),
                                                               strict=True)],
            deaths=[f"{int(x)} fatalities reported" if x is not None and not pd.isna(x) and x > 0 else ""
                    for x in markers.get("fatalities", [None] * len(markers))])
        markers = markers.assign(**{c: _plotly_texts(markers[c]) for c in ("title", "when", "status")
                                    if c in markers})
        # the largest drawn first, so a small marker is never hidden under a large one
        markers = markers.sort_values("size", ascending=False, kind="stable")
        category = markers["category"].fillna("other")
        for name, group in markers.groupby(category, sort=True):
            fig.add_trace(
                go.Scattermap(
                    lat=group["lat"], lon=group["lon"], mode="markers", name=plotly_text(name),
                    marker=dict(size=group["size"].to_numpy(), color=colour_for("category", name), opacity=0.9),
                    customdata=group[["id", "title", "when", "status", "reports", "deaths"]].to_numpy(),
                    hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}"
                    "<br>%{customdata[4]}<br>%{customdata[5]}<extra>" + plotly_text(name) + "</extra>",
                    **_marker_selection(0.9),
                )
            )
    fig.update_layout(
        map=dict(style="white-bg", center=center, zoom=zoom),
        margin=dict(l=0, r=0, t=0, b=0),
        height=height,
        font=text,
        legend=dict(title=dict(text="Development category", font=dict(size=text["size"])), font=dict(size=text["size"] - 1),
                    yanchor="top", y=0.98, xanchor="left", x=0.01, bgcolor="rgba(255,255,255,0.85)"),
        hoverlabel=dict(font=dict(size=text["size"])),
        clickmode="event+select",
    )
    return fig


def marker_sizes(markers: pd.DataFrame, size_by: str = "sources") -> pd.Series:
    """Map marker diameters in px: 11 + 5·log2(independent sources), at most 32 (1 source 11, 2 16, 4 21,
    8 26); by fatalities 9 + 4·log2(1 + fatalities), at most 34 (none 9, 1 13, 3 17, 7 21). A frame
    without the column gets 11 px markers."""
    column = "fatalities" if size_by == "fatalities" else "n_sources"
    if column not in markers:
        return pd.Series(11.0, index=markers.index)
    values = pd.to_numeric(markers[column], errors="coerce").astype(float)
    if column == "fatalities":
        return (9 + 4 * (1 + values.fillna(0).clip(lower=0)).map(math.log2)).clip(upper=34)
    return (11 + 5 * values.fillna(1).clip(lower=1).map(math.log2)).clip(upper=32)


# --- timeline ---------------------------------------------------------------------------------

def timeline_margins(lane_names, display: Display = DEFAULT_DISPLAY) -> dict:
    """Margins that hold the longest lane label on the left and the date axis below and to the right,
    whatever template is in force (Streamlit's has no ``automargin``)."""
    size = font(display)["size"]
    longest = max((text_width(n, size) for n in lane_names), default=0)
    tick = text_width("Jan 2026", size)
    return dict(l=math.ceil(longest) + 16, r=math.ceil(tick / 2) + 12, t=10, b=math.ceil(size * 1.3) + 18)


def build_timeline_figure(events: pd.DataFrame, lane_label: dict[str, str], colour_by: str = "lane",
                          height: int | None = None, x_range: tuple[date | None, date | None] | None = None,
                          *, lane_kind: str = "country", display: Display = DEFAULT_DISPLAY,
                          labelled: int = volume.LABELLED, text_labels: int = volume.TEXT_LABELS,
                          width: int = volume.FIGURE_WIDTH, band_counts: pd.DataFrame | None = None) -> go.Figure:
    """Developments (or events) on a date axis, honest about precision, readable at volume.

    ``events`` needs columns id, title, date_start, date_end, date_precision, display_status,
    category, lane (the lane key: a country, place or category, as ``lane_kind`` says); developments
    add significance, n_events and n_sources. A day is a point; a month, quarter or year is a bar
    spanning the period with a marker at its start. Expected items are hollow diamonds on dotted
    bars; overdue ones are red. Colours follow the lane's value (``colour_by="lane"``) or the
    category, one fixed colour per value (:func:`colour_for`).

    Up to ``labelled`` dated rows each get a marker; beyond that the ``labelled`` most significant
    do and the rest are counted per lane and month in a thin strip under each lane (the trace named
    "density"). ``band_counts`` (lane, month "YYYY-MM", developments: every dated development of the
    filter, from :func:`dashboard.store.density.development_months`) makes the band count all of them,
    not only the rows of ``events``. The ``text_labels`` most significant markers carry their short
    title (annotations named "label"), where it fits without covering another label in a chart
    ``width`` px wide.
    """
    dated = events[events["date_start"].notna()].copy()
    fig = go.Figure()
    if dated.empty:
        return fig
    # lane names are tick labels and legend entries: made inert once, for the markers and the band alike
    lane_keys = {*dated["lane"], *(band_counts["lane"] if band_counts is not None and "lane" in band_counts else ())}
    lane_label = {k: plotly_text(lane_label.get(k, k)) for k in lane_keys}
    dated["lane_name"] = [lane_label.get(x, x) for x in dated["lane"]]
    dated, rest = volume.split(dated, labelled)
    dated = dated.copy()
    cells = volume.band_cells(dated, rest, band_counts, lane_label)
    lanes = sorted({*dated["lane_name"], *cells["lane_name"]}, reverse=True)
    if colour_by == "lane":
        dated["colour_key"], kind = dated["lane"].fillna("other"), lane_kind
        legend_names = dict(zip(dated["colour_key"], dated["lane_name"], strict=True))
    else:
        dated["colour_key"], kind = dated["category"].fillna("other"), "category"
        legend_names = {k: plotly_text(k) for k in dated["colour_key"]}
    dated["when"] = [date_label(s, e, p) for s, e, p in
                     zip(dated["date_start"], dated["date_end"], dated["date_precision"], strict=True)]
    dated["status_text"] = [status_label(x) for x in dated["display_status"]]
    dated["hover_title"] = _plotly_texts(dated["title"])
    dated["reports"] = [volume.reports_text(n, m) for n, m in
                        zip(dated.get("n_events", [None] * len(dated)), dated.get("n_sources", [None] * len(dated)),
                            strict=True)]
    scale = 1.3 if display.present else 1.0
    size = font(display)["size"]
    ends = pd.DataFrame({"date_start": list(cells["month"]), "date_end": [volume.next_month(m) for m in cells["month"]]})
    span = volume.axis_span(pd.concat([dated[["date_start", "date_end"]], ends]) if len(cells) else dated, x_range)
    if len(cells):
        _add_density_band(fig, cells, size)
    expected_kinds = ["expected", OVERDUE]
    # Period bars: one trace per colour and status kind (dotted for expected).
    for (colour_key, expected), group in dated[dated["date_precision"] != "day"].groupby(
        ["colour_key", dated["display_status"].isin(expected_kinds)], sort=True
    ):
        xs, ys = [], []
        for _, row in group.iterrows():
            end = row["date_end"] + timedelta(days=1)
            xs += [row["date_start"], end, None]
            ys += [row["lane_name"], row["lane_name"], None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                line=dict(color=colour_for(kind, colour_key), width=10 * scale, dash="dot" if expected else "solid"),
                opacity=0.35 if expected else 0.55,
            )
        )
    shown_legend = set()
    rank = {name: i + 1 for i, name in enumerate(sorted(set(map(str, legend_names.values()))))}
    for (colour_key, status), group in dated.groupby(["colour_key", "display_status"], sort=True):
        overdue = status == OVERDUE
        expected = status in expected_kinds
        colour = OVERDUE_COLOUR if overdue else colour_for(kind, colour_key)
        group_name = OVERDUE if overdue else str(colour_key)
        fig.add_trace(
            go.Scatter(
                x=group["date_end" if expected else "date_start"],
                y=group["lane_name"],
                mode="markers",
                name=STATUS_SHORT[OVERDUE] if overdue else str(legend_names[colour_key]),
                legendgroup=group_name,
                legendrank=len(rank) + 1 if overdue else rank[str(legend_names[colour_key])],
                showlegend=group_name not in shown_legend,
                marker=dict(symbol=STATUS_SYMBOLS.get(status, "circle"), size=(15 if expected else 12) * scale,
                            color=colour, line=dict(width=2.5 if expected else 1,
                                                    color=colour if expected else "white")),
                customdata=group[["id", "hover_title", "when", "status_text", "reports"]].fillna("").to_numpy(),
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}"
                "<br>%{customdata[4]}<extra></extra>",
                **_marker_selection(1),
            )
        )
        shown_legend.add(group_name)
    label_lanes = text_labels > 0 and len(dated) > 1
    # room for a title above and one below each lane's markers, and under them for the band
    row = ((56 if display.present else 42) + ((26 if display.present else 20) if label_lanes else 0)
           + ((16 if display.present else 12) if len(cells) else 0))
    margins = timeline_margins(lanes, display)
    if text_labels > 0:
        _add_labels(fig, dated, lanes, size=size - 2, row=row, span=span, limit=text_labels,
                    width=width - margins["l"] - margins["r"], right_room=margins["r"] - 6)
    # Sizes set on the axes and the legend themselves: Streamlit's chart theme sets its own there,
    # which would otherwise win over the figure's font on the pages.
    xaxis = dict(type="date", showgrid=True, gridcolor="#eeeeee", automargin=True, tickfont=dict(size=size))
    if x_range and x_range[0] and x_range[1]:
        pad = max(timedelta(days=3), (x_range[1] - x_range[0]) / 40)
        xaxis["range"] = [x_range[0] - pad, x_range[1] + pad]
    # the legend above the plot takes its rows from the figure's height: add them, so a lane keeps ``row`` px
    legend_h = _legend_rows(fig, width - margins["l"] - margins["r"], size) * math.ceil(size * 1.6 + 4)
    fig.update_layout(
        height=height or max(320, 60 + row * len(lanes) + legend_h),
        margin=margins,
        font=font(display),
        hoverlabel=dict(align="left", font=dict(size=size)),
        xaxis=xaxis,
        yaxis=dict(categoryorder="array", categoryarray=lanes, title=None, automargin=True, tickfont=dict(size=size)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=size)),
        plot_bgcolor="white",
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


#: The density band: a light slate (one development) to a dark one (the busiest lane-month of the view, or 20
#: when none holds more), on a log scale, so that one busy month does not wash out the rest; lighter than any
#: marker at the low end, and never white (a month with none has no cell).
DENSITY_SCALE = [[0, "#dfe4ea"], [0.5, "#8d9cae"], [1, "#2c3e50"]]


def scale_colour(scale: list, t: float) -> str:
    """The colour at ``t`` (0..1, clipped) of a colour scale of ``[position, "#rrggbb"]`` stops, interpolated
    in RGB between the two stops around it (as plotly.js maps a value through a ``colorscale``)."""
    t = min(max(t, 0.0), 1.0)
    for (p0, c0), (p1, c1) in zip(scale, scale[1:], strict=False):
        if t <= p1:
            f = 0.0 if p1 == p0 else (t - p0) / (p1 - p0)
            a, b = (int(c0[i:i + 2], 16) for i in (1, 3, 5)), (int(c1[i:i + 2], 16) for i in (1, 3, 5))
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
    return scale[-1][1]


def _add_density_band(fig: go.Figure, counts: pd.DataFrame, size: int) -> None:
    """One thin bar per lane and month under the lane's markers, shaded by how many developments not
    drawn as markers start in that month (``counts``: lane_name, month, count).

    Each cell gets its colour here, not a number for a ``colorscale``: plotly.js's bar drawing tests a
    numeric colour as if it were a CSS colour and logs a warning per bar on every draw (1,036 cells at
    10k articles: 2,072 warnings, 0.4 CPU-s of each Timeline load in Chromium)."""
    months = list(counts["month"])
    top = math.log(max(counts["count"].max(), 20))
    shade = [scale_colour(DENSITY_SCALE, math.log(c) / top) for c in counts["count"]]  # 1 -> the lightest
    fig.add_trace(go.Bar(
        orientation="h", name="density", showlegend=False,
        y=counts["lane_name"], base=[m.isoformat() for m in months],
        x=[(volume.next_month(m) - m).days * 86_400_000 for m in months],
        width=0.12, offset=-0.48,  # a strip at the foot of the lane, below any title under a marker
        marker=dict(color=shade, line=dict(width=0)),
        customdata=[[int(c), m.strftime("%B %Y")] for c, m in zip(counts["count"], months, strict=True)],
        hovertemplate="<b>%{y}</b> · %{customdata[1]}<br>%{customdata[0]} more development(s) starting this month, "
        "not drawn as markers<extra></extra>",
        hoverlabel=dict(font=dict(size=size)),
        **_marker_selection(1),
    ))


def _add_labels(fig: go.Figure, dated: pd.DataFrame, lanes: list[str], *, size: int, row: float,
                span: tuple[date, date], limit: int, width: float, right_room: float) -> None:
    """The short titles of the ``limit`` most significant markers beside them: annotations named "label"
    on a half-opaque white ground, so a title that crosses another marker stays legible."""
    placed = volume.place_labels(dated, lanes, size=size, row=row, x_range=span, text_width=text_width,
                                 limit=limit, width=width, right_room=right_room)
    notes = []
    for pos, text, slot in placed:
        r = dated.iloc[pos]
        expected = r["display_status"] in ("expected", OVERDUE)
        above, right = slot.startswith("top"), slot.endswith("right")
        notes.append(dict(
            x=r["date_end"] if expected else r["date_start"], y=r["lane_name"], text=plotly_text(text), name="label",
            showarrow=False, xanchor="left" if right else "right", yanchor="bottom" if above else "top",
            xshift=volume.LABEL_GAP if right else -volume.LABEL_GAP, yshift=volume.LABEL_RISE if above else -volume.LABEL_RISE,
            font=dict(size=size, color="#222222", family=FONT_FAMILY), bgcolor="rgba(255,255,255,0.78)", borderpad=1,
        ))
    fig.update_layout(annotations=[*fig.layout.annotations, *notes])  # at once: one by one costs n² in plotly


def build_volume_figure(per_month: pd.DataFrame, height: int = 220, *, display: Display = DEFAULT_DISPLAY) -> go.Figure:
    """Monthly counts (columns month "YYYY-MM" and one column per series) as grouped bars."""
    fig = go.Figure()
    series = [c for c in per_month.columns if c != "month"]
    for i, col in enumerate(series):
        fig.add_trace(go.Bar(x=pd.to_datetime(per_month["month"] + "-01"), y=per_month[col], name=col,
                             marker_color=PALETTE[_ORDER[i % len(_ORDER)]]))
    size = font(display)["size"]
    fig.update_layout(height=height, margin=dict(l=math.ceil(text_width("per month", size) + text_width("0000", size)) + 24,
                                                 r=10, t=10, b=math.ceil(size * 1.3) + 18),
                      font=font(display), barmode="group", plot_bgcolor="white",
                      xaxis=dict(type="date", automargin=True, tickfont=dict(size=size)),
                      yaxis=dict(title=dict(text="per month", font=dict(size=size)), automargin=True,
                                 tickfont=dict(size=size)),
                      legend=dict(orientation="h", y=1.1, font=dict(size=size)))
    return fig


#: The indicator's category groups in the small multiples, each in the colour of its main category.
GROUP_COLOURS = {"security": CATEGORY_COLOURS["security"], "political": CATEGORY_COLOURS["politics"],
                 "protest": CATEGORY_COLOURS["protest"], "other": NO_VALUE_COLOUR}
GROUP_NAMES = {"security": "security incidents", "political": "political crises", "protest": "protests",
               "other": "other developments"}


def build_small_multiples(per_unit: dict[str, pd.DataFrame], columns: int = 3, *,
                          display: Display = DEFAULT_DISPLAY) -> go.Figure:
    """One panel per unit (``{name: frame of month "YYYY-MM" and one column per category group}``):
    stacked bars of developments per month, every panel on the same scale so they compare."""
    from plotly.subplots import make_subplots

    names = list(per_unit)
    rows = max(1, math.ceil(len(names) / columns))
    size = font(display)["size"]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=names, shared_xaxes="all", shared_yaxes="all",
                        horizontal_spacing=0.04, vertical_spacing=0.12 if rows < 4 else 0.07)
    for k, name in enumerate(names):
        frame = per_unit[name]
        x = pd.to_datetime(frame["month"] + "-01")
        for group, colour in GROUP_COLOURS.items():
            fig.add_trace(go.Bar(x=x, y=frame[group], name=GROUP_NAMES[group], marker_color=colour,
                                 legendgroup=group, showlegend=k == 0,
                                 hovertemplate=f"{name} · %{{x|%B %Y}}<br>%{{y}} {GROUP_NAMES[group]}<extra></extra>"),
                          row=k // columns + 1, col=k % columns + 1)
    height = 140 + 170 * rows
    top = 40 + 2 * size  # the legend's row, above the first row of panel titles
    fig.update_layout(barmode="stack", height=height, font=font(display), plot_bgcolor="white",
                      margin=dict(l=10, r=10, t=top, b=10), bargap=0.15,
                      legend=dict(orientation="h", yref="container", y=1.0, yanchor="top", x=0,
                                  font=dict(size=size)))
    fig.update_xaxes(type="date", tickformat="%b %y", automargin=True, tickfont=dict(size=size - 2))
    fig.update_yaxes(automargin=True, tickfont=dict(size=size - 2), rangemode="tozero", gridcolor="#eeeeee")
    fig.update_annotations(font=dict(size=size))
    return fig


# --- static images ----------------------------------------------------------------------------

def _legend_rows(fig: go.Figure, width: float, size: float) -> int:
    """How many rows the horizontal legend takes at ``width`` px (an estimate on the generous side)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    rows, used = (1 if names else 0), 0.0
    for name in names:
        entry = text_width(name, size) + 46  # symbol, gap and spacing
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def export_figure(fig: go.Figure, title: str, *, width: int, height: int) -> go.Figure:
    """A copy of ``fig`` laid out for a static image ``width`` x ``height``: ``title`` (the filter) at the top,
    then the legend, with the margins sized to both, so nothing is cut or drawn over. Text keeps the
    figure's size (larger when it was built for presentation mode)."""
    out = go.Figure(fig)
    size = out.layout.font.size or FONT["size"]
    title_size = size - 1
    title_h = math.ceil(title_size * 1.4) + 12
    margin = out.layout.margin
    if out.layout.map and out.layout.map.style:  # a map: the legend sits inside it
        legend_h = 0
    else:
        plot_w = width - (margin.l or 0) - (margin.r or 0)
        legend_h = _legend_rows(out, plot_w, size) * math.ceil(size * 1.6 + 4)
    out.update_layout(
        title=dict(text=title, font=dict(size=title_size), x=0.01, xanchor="left", xref="container",
                   y=1, yanchor="top", yref="container", pad=dict(t=8)),
        margin=dict(t=title_h + legend_h + 12),
        width=width, height=height,
    )
    return out
