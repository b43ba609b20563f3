"""Figure builders: data in, plotly figure out. No Streamlit calls, so each is testable on its own.

Maps use MapLibre traces with the ``white-bg`` style and our own GeoJSON: no tiles, no glyph fonts,
nothing fetched from the internet.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

# 20 colours: the timeline's country lanes (16 with the sample data) keep apart in the legend
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
    "overdue": "diamond-open",
}
STATUS_LABELS = {
    "occurred": "occurred",
    "ongoing": "ongoing",
    "statement": "statement",
    "expected": "expected",
    "overdue": "expected – overdue",
}
OVERDUE_COLOUR = "#c0392b"
FONT = dict(family="Source Sans Pro, Helvetica, Arial, sans-serif", size=14)


def colour_map(values) -> dict[str, str]:
    """A stable colour per value (sorted), so the same country keeps its colour across charts."""
    return {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(sorted(set(values)))}


def date_label(start: date | None, end: date | None, precision: str | None) -> str:
    """Human date at its honest precision: "2023-05-29", "May 2023", "Q4 2023", "2023", "undated"."""
    if start is None or pd.isna(start):
        return "undated"
    if precision == "day":
        return start.isoformat()
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
) -> go.Figure:
    """Choropleth of ``values`` (region id -> number) over ``geojson``, plus event markers.

    Regions whose id is not in ``focus`` are drawn grey for context. ``highlight`` outlines the
    regions the filter selected. ``markers`` holds single events (columns lat, lon, id, title,
    when, status, category) or, when ``aggregated``, grid cells (lat, lon, events) drawn as
    circles sized by their count, so the payload stays bounded however many events there are.
    """
    ids = [f["id"] for f in geojson["features"]]
    focus_ids = [i for i in ids if i in focus]
    other_ids = [i for i in ids if i not in focus]
    fig = go.Figure()
    if other_ids:
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson, locations=other_ids, z=[0] * len(other_ids), featureidkey="id",
                colorscale=[[0, "#e6e6e6"], [1, "#e6e6e6"]], showscale=False,
                marker_line_color="#ffffff", marker_line_width=0.8,
                hovertext=[names.get(i, i) for i in other_ids], hoverinfo="text", name="context",
            )
        )
    z = [values.get(i, 0) for i in focus_ids]
    top = max(z) if z and max(z) > 0 else 1
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson, locations=focus_ids, z=z, featureidkey="id",
            colorscale=[[0, "#f7fbff"], [0.15, "#c6dbef"], [0.5, "#6baed6"], [1, "#08306b"]],
            zmin=0, zmax=top,
            marker_line_color="#4a4a4a",
            marker_line_width=[3 if highlight and i in highlight else 0.7 for i in focus_ids],
            colorbar=dict(title=dict(text=measure), thickness=14, len=0.6),
            customdata=[[names.get(i, i)] for i in focus_ids],
            hovertemplate="<b>%{customdata[0]}</b><br>" + measure + ": %{z}<extra></extra>",
            name="regions",
        )
    )
    if len(markers) and aggregated:
        size = 8 + 30 * (markers["events"] / markers["events"].max()) ** 0.5
        fig.add_trace(
            go.Scattermap(
                lat=markers["lat"], lon=markers["lon"], mode="markers", name="events (grouped)",
                marker=dict(size=size, color="#d35400", opacity=0.7),
                customdata=markers[["events"]].to_numpy(),
                hovertemplate="%{customdata[0]} events near here<extra></extra>",
            )
        )
    elif len(markers):
        colours = colour_map(markers["category"].fillna("other"))
        for category, group in markers.groupby(markers["category"].fillna("other"), sort=True):
            fig.add_trace(
                go.Scattermap(
                    lat=group["lat"], lon=group["lon"], mode="markers", name=str(category),
                    marker=dict(size=11, color=colours[category], opacity=0.9),
                    customdata=group[["id", "title", "when", "status"]].to_numpy(),
                    hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}<extra>"
                    + str(category) + "</extra>",
                )
            )
    fig.update_layout(
        map=dict(style="white-bg", center=center, zoom=zoom),
        margin=dict(l=0, r=0, t=0, b=0),
        height=height,
        font=FONT,
        legend=dict(title=dict(text="Event category"), yanchor="top", y=0.98, xanchor="left", x=0.01,
                    bgcolor="rgba(255,255,255,0.85)"),
        clickmode="event+select",
    )
    return fig


# --- timeline ---------------------------------------------------------------------------------

def build_timeline_figure(events: pd.DataFrame, lane_label: dict[str, str], colour_by: str = "lane",
                          height: int | None = None, x_range: tuple[date | None, date | None] | None = None) -> go.Figure:
    """Events on a date axis, honest about precision.

    ``events`` needs columns id, title, summary, date_start, date_end, date_precision, display_status,
    category, lane (the lane key). A day is a point; a month, quarter or year is a bar spanning
    the period with a marker at its start. Expected items are hollow diamonds on dotted bars;
    overdue ones are red.
    """
    dated = events[events["date_start"].notna()].copy()
    fig = go.Figure()
    if dated.empty:
        return fig
    dated["lane_name"] = [lane_label.get(x, x) for x in dated["lane"]]
    key = "lane_name" if colour_by == "lane" else "category"
    colours = colour_map(dated[key].fillna("other"))
    dated["when"] = [date_label(s, e, p) for s, e, p in
                     zip(dated["date_start"], dated["date_end"], dated["date_precision"], strict=True)]
    # Period bars: one trace per colour and status kind (dotted for expected).
    for (colour_key, expected), group in dated[dated["date_precision"] != "day"].groupby(
        [dated[key].fillna("other"), dated["display_status"].isin(["expected", "overdue"])], sort=True
    ):
        xs, ys = [], []
        for _, row in group.iterrows():
            end = row["date_end"] + timedelta(days=1)
            xs += [row["date_start"], end, None]
            ys += [row["lane_name"], row["lane_name"], None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                line=dict(color=colours[colour_key], width=10, dash="dot" if expected else "solid"),
                opacity=0.35 if expected else 0.55,
            )
        )
    shown_legend = set()
    for (colour_key, status), group in dated.groupby([dated[key].fillna("other"), "display_status"], sort=True):
        symbol = STATUS_SYMBOLS.get(status, "circle")
        colour = OVERDUE_COLOUR if status == "overdue" else colours[colour_key]
        legend_name = f"{colour_key}"
        anchor = "date_end" if status in ("expected", "overdue") else "date_start"
        fig.add_trace(
            go.Scatter(
                x=group[anchor],
                y=group["lane_name"],
                mode="markers",
                name=legend_name if status != "overdue" else "overdue (expected, deadline passed)",
                legendgroup=legend_name if status != "overdue" else "overdue",
                showlegend=(legend_name not in shown_legend) if status != "overdue" else "overdue" not in shown_legend,
                marker=dict(symbol=symbol, size=15 if status in ("expected", "overdue") else 12, color=colour,
                            line=dict(width=2.5 if status in ("expected", "overdue") else 1, color=colour
                                      if status in ("expected", "overdue") else "white")),
                customdata=group[["id", "title", "when", "display_status", "summary"]].fillna("").to_numpy(),
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}"
                "<br>%{customdata[4]}<extra></extra>",
            )
        )
        shown_legend.add(legend_name if status != "overdue" else "overdue")
    lanes = sorted(dated["lane_name"].unique(), reverse=True)
    xaxis = dict(type="date", showgrid=True, gridcolor="#eeeeee")
    if x_range and x_range[0] and x_range[1]:
        pad = max(timedelta(days=3), (x_range[1] - x_range[0]) / 40)
        xaxis["range"] = [x_range[0] - pad, x_range[1] + pad]
    fig.update_layout(
        height=height or max(320, 60 + 42 * len(lanes)),
        margin=dict(l=10, r=10, t=10, b=10),
        font=FONT,
        hoverlabel=dict(align="left"),
        xaxis=xaxis,
        yaxis=dict(categoryorder="array", categoryarray=lanes, title=None),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        plot_bgcolor="white",
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


def build_volume_figure(per_month: pd.DataFrame, height: int = 220) -> go.Figure:
    """Monthly counts (columns month "YYYY-MM" and one column per series) as grouped bars."""
    fig = go.Figure()
    series = [c for c in per_month.columns if c != "month"]
    for i, col in enumerate(series):
        fig.add_trace(go.Bar(x=pd.to_datetime(per_month["month"] + "-01"), y=per_month[col], name=col,
                             marker_color=PALETTE[i % len(PALETTE)]))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), font=FONT, barmode="group",
                      plot_bgcolor="white", xaxis=dict(type="date"), yaxis=dict(title="per month"),
                      legend=dict(orientation="h", y=1.1))
    return fig
