"""Readable at volume: which developments a timeline draws as markers, which it labels, and the density
band that counts the rest. Pure functions over frames (no Streamlit, no database).

A timeline of thousands of developments is a smear. Above :data:`LABELLED` developments the chart
draws the most significant ones as markers, writes the short title of the :data:`TEXT_LABELS` most
significant beside their marker (a presenter needs no hover), and counts the others per lane and
month in a thin strip under each lane.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

LABELLED = 150  # developments drawn as markers at most
TEXT_LABELS = 25  # of those, the most significant carry their title on the chart
LABEL_CHARS = 40  # a label is cut to this many characters
FIGURE_WIDTH = 860  # the chart's width in px assumed when placing labels: the page's in a 1400 px window, a little under
LABEL_GAP = 7  # px from a marker's centre to its label, across
LABEL_RISE = 8  # and up or down
_GAP = LABEL_GAP
# where a label may go, in the order tried: above right, below right, above left, below left
_SLOTS = ("top right", "bottom right", "top left", "bottom left")


def by_significance(dated: pd.DataFrame) -> pd.DataFrame:
    """``dated`` most significant first (ties: the newest), or as given when it has no significance."""
    if "significance" not in dated.columns or dated.empty:
        return dated
    return dated.assign(_sig=dated["significance"].fillna(0.0), _start=pd.to_datetime(dated["date_start"])).sort_values(
        ["_sig", "_start"], ascending=[False, False], kind="stable").drop(columns=["_sig", "_start"])


def split(dated: pd.DataFrame, labelled: int = LABELLED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(markers, band)``: every development as a marker up to ``labelled`` of them, else the
    ``labelled`` most significant as markers and the rest for the density band."""
    ordered = by_significance(dated)
    if len(ordered) <= labelled:
        return ordered, ordered.iloc[0:0]
    return ordered.iloc[:labelled], ordered.iloc[labelled:]


def short_title(title, chars: int = LABEL_CHARS) -> str:
    """A title cut to ``chars`` characters at a word where one is near, with an ellipsis."""
    text = " ".join(str(title or "").split())
    if len(text) <= chars:
        return text
    cut = text[:chars - 1]
    space = cut.rfind(" ")
    if space >= chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def month_counts(band: pd.DataFrame) -> pd.DataFrame:
    """Developments of the band per lane and month of their start: columns lane_name, month (a date,
    the 1st), count; lanes then months in order."""
    if band.empty:
        return pd.DataFrame({"lane_name": [], "month": [], "count": []})
    months = [month_start(d) for d in band["date_start"]]
    out = (pd.DataFrame({"lane_name": band["lane_name"].to_numpy(), "month": months})
           .groupby(["lane_name", "month"], sort=True).size().rename("count").reset_index())
    return out


def band_cells(markers: pd.DataFrame, rest: pd.DataFrame, counts: pd.DataFrame | None,
               lane_label: dict[str, str]) -> pd.DataFrame:
    """The density band's cells (lane_name, month, count): the developments of ``rest`` per lane and
    month; or, given ``counts`` of every dated development in the filter (lane, month "YYYY-MM",
    developments), those counts less the ``markers`` drawn, so the band holds all the others."""
    if counts is None:
        return month_counts(rest)
    drawn = pd.Series([(k, d.isoformat()[:7]) for k, d in zip(markers["lane"], markers["date_start"], strict=True)],
                      dtype=object).value_counts()
    rows = []
    for key, month, n in zip(counts["lane"], counts["month"], counts["developments"], strict=True):
        left = int(n) - int(drawn.get((key, month), 0))
        if left > 0:
            rows.append((lane_label.get(key, key), date(int(month[:4]), int(month[5:7]), 1), left))
    return pd.DataFrame(rows, columns=["lane_name", "month", "count"]).sort_values(["lane_name", "month"],
                                                                                   ignore_index=True)


def _x_px(d: date, x0: date, x1: date, width: float) -> float:
    span = max((x1 - x0).days, 1)
    return (d - x0).days / span * width


def place_labels(shown: pd.DataFrame, lanes: list[str], *, size: float, row: float, x_range: tuple[date, date],
                 text_width, limit: int = TEXT_LABELS, width: float = FIGURE_WIDTH - 200,
                 right_room: float = 30) -> list[tuple[int, str, str]]:
    """Where the titles of the ``limit`` most significant of ``shown`` go: ``(row position, text,
    slot)`` (slot: "top right" is above and to the right of the marker) for each label that fits without covering another, most significant first.

    Positions are estimated in pixels (``width`` px of plot with ``right_room`` px of margin beyond it,
    ``row`` px a lane, ``lanes`` bottom lane first as the axis draws them); each label tries above
    right, below right, above left, below left of its marker and is left off when all four would
    cover a label already placed or leave the figure.
    """
    x0, x1 = x_range
    lane_y = {name: i * row for i, name in enumerate(lanes)}  # px up from the bottom lane's centre
    height = size * 1.25 + 2  # the text and its ground

    def anchor(r) -> tuple[float, float]:
        expected = r.get("display_status") in ("expected", "overdue")
        at = r["date_end"] if expected and r.get("date_end") is not None and not pd.isna(r["date_end"]) else r["date_start"]
        return _x_px(at, x0, x1, width), lane_y.get(r["lane_name"], 0.0)

    def hits(box, others) -> bool:
        return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in others)

    rows = [r for _, r in shown.iterrows()]
    dots = [(x - 6, y - 6, x + 6, y + 6) for x, y in map(anchor, rows)]  # every marker, 12 px
    boxes: list[tuple[float, float, float, float]] = []
    out: list[tuple[int, str, str]] = []
    for pos, r in enumerate(rows[:limit]):
        text = short_title(r["title"])
        w = text_width(text, size)
        x, y = anchor(r)
        # markers huddled at this one (within 14 px on its lane) are covered whichever way the label goes
        others = [d for d in dots if abs(d[1] + 6 - y) > 1 or abs(d[0] + 6 - x) > 14]
        free = []
        for slot in _SLOTS:
            above, right = slot.startswith("top"), slot.endswith("right")
            left_x = x + _GAP if right else x - _GAP - w
            if left_x < -_GAP or left_x + w > width + right_room:
                continue
            bottom_y = y + LABEL_RISE if above else y - LABEL_RISE - height
            box = (left_x, bottom_y, left_x + w, bottom_y + height)
            if not hits(box, boxes):
                free.append((hits(box, others), slot, box))
        if free:  # a slot that covers no marker either, else the first that covers no label
            _, slot, box = min(free, key=lambda c: c[0])
            boxes.append(box)
            out.append((pos, text, slot))
    return out


def axis_span(dated: pd.DataFrame, x_range: tuple[date | None, date | None] | None) -> tuple[date, date]:
    """The dates the axis will show: the filter's range when it has both ends, else the data's."""
    if x_range and x_range[0] and x_range[1]:
        return x_range[0], x_range[1]
    ends = [e if e is not None and not pd.isna(e) else s for s, e in zip(dated["date_start"], dated["date_end"],
                                                                       strict=True)]
    lo, hi = min(dated["date_start"]), max(ends)
    pad = max(timedelta(days=3), (hi - lo) / 40)
    return lo - pad, hi + pad


def reports_text(n_events, n_sources) -> str:
    """ "3 reports from 2 sources", "1 report from 1 source"."""
    n = int(n_events) if n_events is not None and not pd.isna(n_events) else 1
    m = int(n_sources) if n_sources is not None and not pd.isna(n_sources) else 1
    return f"{n} report{'s' if n != 1 else ''} from {m} source{'s' if m != 1 else ''}"
