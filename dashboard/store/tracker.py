"""The expected-developments tracker: each announced item's state, paged and counted in SQL.

An item is a development whose lead report has status "expected" (its tracker fields are copied on
the development, ``store.developments``). Its state follows from what is stored and today:
realised (an outcome event is linked), abandoned (an analyst dropped it), overdue (deadline passed
with no outcome), slipped (deadline later than first announced), else announced.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, bindparam, case, exists, func, literal, literal_column, select

from dashboard.filters import Filters
from dashboard.store import schema as s
from dashboard.store.conditions import development_conditions
from dashboard.vocab import OVERDUE, TRACKER_STATES

ITEM_COLUMNS = ["id", "title", "summary", "date_start", "date_end", "date_precision", "date_text",
                "first_deadline", "outcome_event_id", "tracker_status", "verification", "source_url",
                "source_name", "article_id", "development_id"]
PAGE_COLUMNS = [*ITEM_COLUMNS, "outcome_title", "outcome_date", "n_events", "n_sources", "state", "countries"]


def state_expression(today: date, table=None):
    """The tracker state of an event (or, with ``table=developments``, of a development's lead) as one
    SQL CASE (the order of the rules matters)."""
    e = (table if table is not None else s.events).c
    return case(
        (e.outcome_event_id.is_not(None), literal("realised")),
        (e.tracker_status == "abandoned", literal("abandoned")),
        (e.date_end < today, literal(OVERDUE)),
        (e.first_deadline.is_not(None) & (e.date_end > e.first_deadline), literal("slipped")),
        else_=literal("announced"),
    )


def _items(engine: Engine, f: Filters, today: date):
    """Expected developments in the filter (the developments of :func:`development_conditions` whose
    lead report is expected), and their state: read from the developments' tracker index alone."""
    d = s.developments.c
    # the status as a literal: the planner then reads the partial index of expected developments
    return ([d.status == literal_column("'expected'"), *development_conditions(engine, f)],
            state_expression(today, s.developments))


def expected_counts(engine: Engine, f: Filters, today: date | None = None) -> dict[str, int]:
    """Number of expected developments in the filter in each tracker state (every state present)."""
    conds, state = _items(engine, f, today or date.today())
    stmt = select(state.label("state"), func.count()).select_from(s.developments).where(*conds).group_by(state)
    with engine.connect() as conn:
        found = dict(conn.execute(stmt).all())
    return {k: int(found.get(k, 0)) for k in TRACKER_STATES}


def expected_items(engine: Engine, f: Filters, today: date | None = None, *, states: tuple[str, ...] | None = None,
                   limit: int | None = 2000, offset: int = 0, counts: dict[str, int] | None = None) -> pd.DataFrame:
    """One page of expected developments in the filter, by state (announced, slipped, overdue, realised,
    abandoned), the most significant first within each, then the soonest deadline; each shown by its
    lead report, with the development's countries. ``states`` keeps only items in those tracker states
    (``None``: all). ``counts``: :func:`expected_counts` of the same filter and day, when the caller
    has them. An item's full record is :func:`dashboard.store.queries.get_event`.
    """
    e, d = s.events.c, s.developments.c
    today = today or date.today()
    conds, state = _items(engine, f, today)
    wanted = [k for k in TRACKER_STATES if states is None or k in states]
    order = (d.significance.desc(), d.date_end.asc().nulls_last(), d.lead_event_id)
    with engine.connect() as conn:
        counts = counts if counts is not None else expected_counts(engine, f, today)
        # state by state, in the page's order: each state's rows are read in the index's order and cut
        picked: list[tuple[int, str]] = []
        skip, room = offset, limit
        for k in wanted:
            if room is not None and room <= 0:
                break
            if skip >= counts[k]:
                skip -= counts[k]
                continue
            page = select(d.id).where(*conds, state == k).order_by(*order).offset(skip)
            if room is not None:
                page = page.limit(room)
            found = [(i, k) for i in conn.execute(page).scalars()]
            picked += found
            skip = 0
            room = None if room is None else room - len(found)
        outcome = s.events.alias("outcome")
        stmt = (
            select(d.id.label("dev"), *[e[c] for c in ITEM_COLUMNS], outcome.c.title.label("outcome_title"),
                   outcome.c.date_start.label("outcome_date"), d.n_events, d.n_sources,
                   d.countries.label("development_countries"))
            .select_from(s.developments.join(s.events, e.id == d.lead_event_id)
                         .outerjoin(outcome, outcome.c.id == e.outcome_event_id))
            .where(d.id.in_(bindparam("ids", expanding=True)))
        )
        found_rows = {}
        ids = [i for i, _k in picked]
        for start in range(0, len(ids), 900):
            for r in conn.execute(stmt, {"ids": ids[start:start + 900]}).mappings():
                found_rows[r["dev"]] = dict(r)
    rows = []
    for dev, k in picked:
        row = found_rows[dev]
        row.pop("dev")
        row["state"] = k
        row["countries"] = (row.pop("development_countries") or "").split()
        rows.append(row)
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
