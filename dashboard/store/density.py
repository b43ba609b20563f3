"""How many developments of a filter fall in each timeline lane and month: the counts behind the
timeline's density band, for every development in the filter however many there are (the page
itself only loads the most significant ones).

The lane follows :func:`dashboard.charts.timeline_lanes`: by country, the first of the filter's
countries the development names, else its first country in code order, else "—"; by place, the same
for its lead report's places; by category, its category, else "other". Counted from the rollups
(``store.rollups``) when they answer the filter, else from the developments themselves.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import Engine, String, case, cast, exists, func, literal, select

from dashboard.filters import Filters
from dashboard.store import rollups
from dashboard.store import schema as s
from dashboard.store.conditions import development_conditions, month_expr

COLUMNS = ["lane", "month", "developments"]


def lane_of(codes, prefer: tuple[str, ...] = ()) -> str:
    """The lane of a development naming ``codes`` (in code order): the first of them the filter asked
    for (``prefer``), else the first, else "—" (the timeline's markers and its band alike)."""
    for code in prefer:
        if code in codes:
            return code
    return codes[0] if codes else "—"


def _place_lane(prefer: tuple[str, ...]):
    d, table = s.developments.c, s.event_places
    first = (select(func.min(table.c.place)).where(table.c.event_id == d.lead_event_id).scalar_subquery())
    fallback = func.coalesce(first, "—")
    if not prefer:
        return fallback
    whens = [(exists().where(table.c.event_id == d.lead_event_id, table.c.place == code), cast(literal(code), String))
             for code in dict.fromkeys(prefer)]
    return case(*whens, else_=fallback)


def development_months(engine: Engine, f: Filters, lane: str = "country",
                       prefer: tuple[str, ...] = ()) -> pd.DataFrame:
    """Dated developments in ``f`` per lane and month of their start: columns ``lane`` (a country or
    place code, or a category, as ``lane`` says), ``month`` ("YYYY-MM") and ``developments``."""
    d = s.developments.c
    month = month_expr(engine, d.date_start)
    dated = [*development_conditions(engine, f), d.date_start.is_not(None)]
    with engine.connect() as conn:
        if lane == "place":
            key = _place_lane(prefer).label("lane")
            stmt = (select(key, month.label("month"), func.count()).where(*dated)
                    .group_by(key, month.label("month")).order_by(key, month.label("month")))
            return pd.DataFrame(conn.execute(stmt).all(), columns=COLUMNS)
        by = "countries" if lane == "country" else "category"
        if rollups.answers(f):
            rows = rollups.month_rows(conn, f, by)
        else:
            col = d.countries if by == "countries" else func.coalesce(d.category, "")
            rows = conn.execute(select(col, month, func.count()).where(*dated).group_by(col, month)).all()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for value, m, n in rows:
        key = lane_of((value or "").split(), prefer) if by == "countries" else (value or "other")
        counts[(key, m)] += int(n)
    return pd.DataFrame(sorted((k, m, n) for (k, m), n in counts.items() if n), columns=COLUMNS)
