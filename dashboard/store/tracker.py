"""The expected-developments tracker: each announced item's state, paged and counted in SQL.

An item is an event with status "expected". Its state follows from what is stored and today:
realised (an outcome event is linked), abandoned (an analyst dropped it), overdue (deadline passed
with no outcome), slipped (deadline later than first announced), else announced.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, case, exists, func, literal, or_, select

from dashboard.filters import Filters
from dashboard.store import schema as s
from dashboard.store.conditions import event_conditions
from dashboard.store.links import attach_links
from dashboard.vocab import OVERDUE, TRACKER_STATES

ITEM_COLUMNS = ["id", "title", "summary", "date_start", "date_end", "date_precision", "date_text",
                "first_deadline", "outcome_event_id", "tracker_status", "verification", "source_url",
                "source_name", "article_id", "development_id"]
PAGE_COLUMNS = [*ITEM_COLUMNS, "outcome_title", "outcome_date", "n_events", "n_sources", "state", "countries"]


def state_expression(today: date):
    """The tracker state of an event row as one SQL CASE (the order of the rules matters)."""
    e = s.events.c
    return case(
        (e.outcome_event_id.is_not(None), literal("realised")),
        (e.tracker_status == "abandoned", literal("abandoned")),
        (e.date_end < today, literal(OVERDUE)),
        (e.first_deadline.is_not(None) & (e.date_end > e.first_deadline), literal("slipped")),
        else_=literal("announced"),
    )


def _items(engine: Engine, f: Filters, today: date):
    """Expected items in the filter: one per development (its lead report), and events not grouped yet."""
    e = s.events.c
    lead = e.id.in_(select(s.developments.c.lead_event_id))
    return [e.status == "expected", or_(e.development_id.is_(None), lead), *event_conditions(engine, f)], \
        state_expression(today)


def expected_counts(engine: Engine, f: Filters, today: date | None = None) -> dict[str, int]:
    """Number of expected developments in the filter in each tracker state (every state present)."""
    conds, state = _items(engine, f, today or date.today())
    stmt = select(state.label("state"), func.count()).where(*conds).group_by(state)
    with engine.connect() as conn:
        found = dict(conn.execute(stmt).all())
    return {k: int(found.get(k, 0)) for k in TRACKER_STATES}


def expected_items(engine: Engine, f: Filters, today: date | None = None, *, states: tuple[str, ...] | None = None,
                   limit: int | None = 2000, offset: int = 0) -> pd.DataFrame:
    """One page of expected developments in the filter, by state (announced, slipped, overdue, realised,
    abandoned), the most significant first within each, then the soonest deadline; with their countries.

    ``states`` keeps only items in those tracker states (``None``: all). Countries are attached to
    the page in one query; an item's full record is :func:`dashboard.store.queries.get_event`.
    """
    e = s.events.c
    conds, state = _items(engine, f, today or date.today())
    if states is not None:
        conds.append(state.in_(states) if states else literal(False))
    outcome = s.events.alias("outcome")
    d = s.developments.c
    stmt = (
        select(*[e[c] for c in ITEM_COLUMNS], outcome.c.title.label("outcome_title"),
               outcome.c.date_start.label("outcome_date"), func.coalesce(d.n_events, 1).label("n_events"),
               func.coalesce(d.n_sources, 1).label("n_sources"), state.label("state"))
        .outerjoin(outcome, outcome.c.id == e.outcome_event_id)
        .outerjoin(s.developments, d.id == e.development_id)
        .where(*conds)
        # within each state the most significant first, then the soonest deadline
        .order_by(case(*((state == k, i) for i, k in enumerate(TRACKER_STATES)), else_=len(TRACKER_STATES)),
                  func.coalesce(d.significance, 0).desc(), e.date_end.asc().nulls_last(), e.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        rows = attach_links(conn, [dict(r) for r in conn.execute(stmt).mappings()], ("countries",))
    return pd.DataFrame(rows, columns=PAGE_COLUMNS)


def outcome_candidates(engine: Engine, expected_id: str, limit: int = 200) -> pd.DataFrame:
    """Events that could realise an expected item: sharing a country, not expected themselves."""
    e = s.events.c
    mine = select(s.event_countries.c.country).where(s.event_countries.c.event_id == expected_id)
    link = s.event_countries.alias()
    stmt = (
        select(e.id, e.title, e.date_start)
        .where(e.id != expected_id, e.status != "expected",
               exists().where(link.c.event_id == e.id, link.c.country.in_(mine)))
        .order_by(e.date_start.desc().nulls_last(), e.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["id", "title", "date_start"])
