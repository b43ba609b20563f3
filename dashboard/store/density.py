"""How many developments of a filter fall in each timeline lane and month: the counts behind the
timeline's density band, for every development in the filter however many there are (the page
itself only loads the most significant ones).

The lane follows :func:`dashboard.charts.timeline_lanes` for a development's lead report: the first of
the filter's countries (places) it names, else its first country (place) in code order, else "—";
or its category, else "other".
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, String, case, cast, exists, func, literal, select

from dashboard.filters import Filters
from dashboard.store import schema as s
from dashboard.store.conditions import month_expr
from dashboard.store.queries import _matching_developments

_LINKS = {"country": (s.event_countries, "country"), "place": (s.event_places, "place")}


def _lane_expr(lane: str, prefer: tuple[str, ...]):
    d = s.developments.c
    if lane not in _LINKS:
        return func.coalesce(func.nullif(d.category, ""), "other")
    table, col = _LINKS[lane]
    first = (select(func.min(table.c[col])).where(table.c.event_id == d.lead_event_id).scalar_subquery())
    fallback = func.coalesce(first, "—")
    if not prefer:
        return fallback
    whens = [(exists().where(table.c.event_id == d.lead_event_id, table.c[col] == code), cast(literal(code), String))
             for code in dict.fromkeys(prefer)]
    return case(*whens, else_=fallback)


def development_months(engine: Engine, f: Filters, lane: str = "country",
                       prefer: tuple[str, ...] = ()) -> pd.DataFrame:
    """Dated developments with a report in ``f`` per lane and month of their start: columns ``lane``
    (a country or place code, or a category, as ``lane`` says), ``month`` ("YYYY-MM") and
    ``developments``."""
    d = s.developments.c
    lane_key = _lane_expr(lane, prefer).label("lane")
    month = month_expr(engine, d.date_start).label("month")
    stmt = (select(lane_key, month, func.count().label("developments"))
            .where(d.id.in_(_matching_developments(engine, f)), d.date_start.is_not(None))
            .group_by(lane_key, month).order_by(lane_key, month))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["lane", "month", "developments"])
