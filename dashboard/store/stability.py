"""The counts the stability indicator is made of, per unit and month, with the filter pushed down.

A development counts in the month of its start when it is dated to a day, a week or a month (a
quarter or a year has no honest month); once per unit its reports name (GDELT's rows apart: they are
the media signal), however many reports it has. The filter's dates choose whole months: a
development counts when its month is one of theirs. The rules that turn these counts into a score
and an arrow are :mod:`dashboard.indicator`.

When the filter holds nothing only the reports can answer (words, places, topics, datasets and the
rest: ``conditions.report_facets``), the counts come from the rollups ``stability_months`` and
``stability_values`` (kept by ``store.rollups`` as each development is written); otherwise from the
reports, by the same rules.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import (
    JSON,
    Engine,
    Float,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
)

from dashboard.filters import Filters
from dashboard.indicator import CATEGORY_GROUPS, Month
from dashboard.store import schema as s
from dashboard.store.conditions import event_conditions, month_expr, report_facets
from dashboard.store.rollups import CIVILIAN_KEY, MONTHLY
from dashboard.vocab import SHOWN_CONFIDENCE

#: the titles kept per unit and month of what fell overdue (the most significant; a sentence names two)
TITLES_KEPT = 3


def _unit_link(level: str):
    return (s.event_countries, "country") if level == "country" else (s.event_places, "place")


def answers(f: Filters) -> bool:
    """Whether the rollups answer ``f``: nothing in it but countries, dates and the switches."""
    return report_facets(f) is None


def _unit_conditions(column, f: Filters, level: str) -> list:
    """The filter's units: its countries (at the sub-national level, the units under them; ``BA-SRP``
    is under ``BA``) or, at that level, its places."""
    if level == "place" and f.places:
        return [column.in_(f.places)]
    if f.countries:
        if level == "country":
            return [column.in_(f.countries)]
        return [or_(*[column.like(f"{code}-%") for code in dict.fromkeys(f.countries)])]
    return []


def _month_range(f: Filters) -> tuple[date | None, date | None]:
    """The first day of the filter's first month and the last day of its last month."""
    first = f.date_from.replace(day=1) if f.date_from else None
    last = (f.date_to.replace(day=calendar.monthrange(f.date_to.year, f.date_to.month)[1]) if f.date_to else None)
    return first, last


def monthly(engine: Engine, f: Filters, level: str = "country", today: date | None = None,
            titles: tuple[str, ...] | None = None) -> dict[tuple[str, str], Month]:
    """``{(unit, "YYYY-MM"): Month}`` for every unit and month with a development in the filter.

    ``level`` "country" counts by country, "place" by sub-national unit. The filter's dates (as whole
    months), countries (or places), topics, words, datasets, types and sources all apply. The titles
    of the developments fallen overdue are read for the months ``titles`` (``None``: every month).
    """
    today = today or date.today()
    out: dict[tuple[str, str], Month] = {}

    def month_of(unit: str, m: str) -> Month:
        return out.setdefault((unit, m), Month(unit=unit, month=m))

    with engine.connect() as conn:
        if answers(f):
            _from_rollups(conn, f, level, month_of)
        else:
            _from_reports(conn, engine, f, level, month_of)
        _overdue(conn, engine, f, level, today, month_of, titles)
        _media(conn, engine, f, level, month_of)
    return out


_GROUP_OF = {cat: name for name, cats in CATEGORY_GROUPS.items() for cat in cats}


def _add_developments(mo: Month, category: str | None, n: int, fatalities) -> None:
    group = _GROUP_OF.get(category, "other")
    mo.developments += n
    setattr(mo, group, getattr(mo, group) + n)
    mo.fatalities += int(fatalities or 0)


def _rollup_month_conditions(column, f: Filters) -> list:
    """The filter's months on a rollup's ``YYYY-MM`` column."""
    first, last = _month_range(f)
    return [*([column >= first.isoformat()[:7]] if first else []), *([column <= last.isoformat()[:7]] if last else [])]


def _from_rollups(conn, f: Filters, level: str, month_of) -> None:
    for table, counted in ((s.stability_months, None), (s.stability_values, "values")):
        c = table.c
        conds = [c.level == level, *_unit_conditions(c.unit, f, level), *_rollup_month_conditions(c.month, f)]
        if not f.include_low_confidence:
            conds.append(c.shown == true())
        if counted is None:
            stmt = (select(c.unit, c.month, c.category, func.sum(c.n), func.sum(c.fatalities), func.sum(c.civilians))
                    .where(*conds).group_by(c.unit, c.month, c.category))
            for unit, m, category, n, fatalities, civilians in conn.execute(stmt):
                if n:
                    mo = month_of(unit, m)
                    _add_developments(mo, category, int(n), fatalities)
                    mo.civilians += int(civilians or 0)
        else:  # a value counts while a development has it (its sum is above 0)
            held = (select(c.unit, c.month, c.kind).where(*conds).group_by(c.unit, c.month, c.kind, c.value)
                    .having(func.sum(c.n) > 0).subquery())
            stmt = select(held.c.unit, held.c.month, held.c.kind, func.count()).group_by(held.c.unit, held.c.month,
                                                                                           held.c.kind)
            for unit, m, kind, n in conn.execute(stmt):
                setattr(month_of(unit, m), "places" if kind == "place" else "actors", int(n))


def _counted_reports(engine: Engine, f: Filters, level: str):
    """The reports the indicator's months count, one row per report and unit it names, with its
    development's month, category and fatalities (a subquery)."""
    e, d = s.events.c, s.developments.c
    link, col = _unit_link(level)
    month = month_expr(engine, d.date_start)  # the development's own date, its lead report's
    # GDELT's machine-coded rows are the media signal (below), never counted in the score
    conds = [d.date_start.is_not(None), d.date_precision.in_(MONTHLY), e.dataset != "gdelt",
             *_unit_conditions(link.c[col], f, level), *_month_conditions(d.date_start, f),
             *_report_conditions(engine, f)]
    return (select(link.c[col].label("unit"), month.label("month"), d.id.label("dev"), d.category,
                   d.fatalities, e.location, e.attributes, e.id.label("event_id"))
            .join(link, link.c.event_id == e.id).join(s.developments, d.id == e.development_id)
            .where(*conds).subquery())


def _from_reports(conn, engine: Engine, f: Filters, level: str, month_of) -> None:
    base = _counted_reports(engine, f, level)
    # developments per category group (a development counts once per unit and month)
    per_dev = (select(base.c.unit, base.c.month, base.c.dev, func.max(base.c.category).label("category"),
                      func.max(base.c.fatalities).label("fatalities"))
               .group_by(base.c.unit, base.c.month, base.c.dev).subquery())
    for unit, m, category, n, fatalities in conn.execute(
            select(per_dev.c.unit, per_dev.c.month, per_dev.c.category, func.count(), func.sum(per_dev.c.fatalities))
            .group_by(per_dev.c.unit, per_dev.c.month, per_dev.c.category)):
        _add_developments(month_of(unit, m), category, n, fatalities)
    for unit, m, places in conn.execute(
            select(base.c.unit, base.c.month, func.count(distinct(base.c.location)))
            .where(base.c.location.is_not(None), base.c.location != "").group_by(base.c.unit, base.c.month)):
        month_of(unit, m).places = int(places)
    civilian = base.c.attributes.ilike(f"%{CIVILIAN_KEY}%")
    for unit, m, n in conn.execute(select(base.c.unit, base.c.month, func.count(distinct(base.c.dev)))
                                   .where(civilian).group_by(base.c.unit, base.c.month)):
        month_of(unit, m).civilians = int(n)
    # distinct actors of security incidents
    actors = s.event_actors.c
    for unit, m, n in conn.execute(
            select(base.c.unit, base.c.month, func.count(distinct(actors.actor)))
            .join(s.event_actors, actors.event_id == base.c.event_id)
            .where(base.c.category.in_(CATEGORY_GROUPS["security"]), actors.actor != "")
            .group_by(base.c.unit, base.c.month)):
        month_of(unit, m).actors = int(n)


def _number(engine: Engine, column, key: str):
    """A number from the JSON object text of ``column`` (the dataset's fields), in SQL."""
    if engine.dialect.name == "sqlite":
        return func.json_extract(column, f"$.{key}")
    return cast(cast(column, JSON)[key].as_string(), Float)


def _month_conditions(column, f: Filters) -> list:
    first, last = _month_range(f)
    return [*([column >= first] if first else []), *([column <= last] if last else [])]


def _report_conditions(engine: Engine, f: Filters) -> list:
    """The reports' side of the filter: what only they carry (with the shown rule), else the shown rule."""
    e = s.events.c
    facets = report_facets(f)
    if facets is not None:
        return event_conditions(engine, facets)
    if f.include_low_confidence:
        return []
    return [or_(e.verification != "machine", e.confidence.is_(None), e.confidence >= SHOWN_CONFIDENCE)]


def _media(conn, engine: Engine, f: Filters, level: str, month_of) -> None:
    """GDELT's media signal per unit and month of its rows, machine-coded and kept apart from the
    score: how many rows, the share in QuadClass 3-4 (verbal or material conflict), the mean
    Goldstein scale and tone."""
    if f.datasets and "gdelt" not in f.datasets:
        return
    if answers(f):
        c = s.stability_media.c
        conds = [c.level == level, *_unit_conditions(c.unit, f, level), *_rollup_month_conditions(c.month, f)]
        if not f.include_low_confidence:
            conds.append(c.shown == true())
        stmt = (select(c.unit, c.month, func.sum(c.n), func.sum(c.conflict), func.sum(c.goldstein_sum),
                       func.sum(c.goldstein_n), func.sum(c.tone_sum), func.sum(c.tone_n))
                .where(*conds).group_by(c.unit, c.month))
        rows = [(unit, m, int(n), int(conflict or 0), g / gn if gn else None, tone / tn if tn else None)
                for unit, m, n, conflict, g, gn, tone, tn in conn.execute(stmt) if n]
    else:
        e = s.events.c
        link, col = _unit_link(level)
        quad, goldstein, tone = (_number(engine, e.attributes, k) for k in ("QuadClass", "GoldsteinScale", "AvgTone"))
        conds = [e.dataset == "gdelt", e.date_start.is_not(None), *_month_conditions(e.date_start, f),
                 *_unit_conditions(link.c[col], f, level), *_report_conditions(engine, f)]
        month = month_expr(engine, e.date_start)
        stmt = (select(link.c[col], month, func.count(), func.sum(case((quad >= 3, 1), else_=0)),
                       func.avg(goldstein), func.avg(tone))
                .select_from(s.events).join(link, link.c.event_id == e.id).where(*conds)
                .group_by(link.c[col], month))
        rows = [(unit, m, int(n), int(conflict or 0), g, tone_) for unit, m, n, conflict, g, tone_ in conn.execute(stmt)]
    for unit, m, n, conflict, mean_goldstein, mean_tone in rows:
        month_of(unit, m).media = {
            "volume": n, "conflict_share": round(conflict / n, 3) if n else None,
            "goldstein": round(float(mean_goldstein), 2) if mean_goldstein is not None else None,
            "tone": round(float(mean_tone), 2) if mean_tone is not None else None,
        }


def _one_month(m: str) -> tuple[date, date]:
    start = date.fromisoformat(f"{m}-01")
    return _month_range(Filters(date_from=start, date_to=start))


def _overdue_conditions(engine: Engine, f: Filters, today: date, months=None) -> list:
    """Expected developments whose deadline passed with no outcome (not abandoned), as their lead
    reports say (the tracker fields are copied on the development), in the filter's months or in
    ``months`` (``YYYY-MM``) when given; the lead passes the filter's report conditions. The status
    as a literal: the planner reads the partial index of expected developments, in its order."""
    e, d = s.events.c, s.developments.c
    conds = [d.status == literal_column("'expected'"), d.date_end.is_not(None), d.date_end < today,
             d.outcome_event_id.is_(None), func.coalesce(d.tracker_status, "") != "abandoned",
             *_month_conditions(d.date_end, f), e.id == d.lead_event_id, *_report_conditions(engine, f)]
    if months is not None:
        conds.append(or_(*[d.date_end.between(*_one_month(m)) for m in months]))
    return conds


#: the partial index of expected developments in its order (``ix_developments_expected``)
def _index_order():
    d = s.developments.c
    return (d.significance.desc(), d.date_end, d.lead_event_id)


def _overdue_reports(engine: Engine, f: Filters, level: str, today: date, months=None):
    """(unit, deadline month, title) of each development fallen overdue (:func:`_overdue_conditions`)
    under each unit its lead names, the most significant first."""
    d = s.developments.c
    link, col = _unit_link(level)
    return (select(link.c[col].label("unit"), month_expr(engine, d.date_end).label("month"), d.title)
            .select_from(s.developments).join(s.events, s.events.c.id == d.lead_event_id)
            .join(link, link.c.event_id == d.lead_event_id)
            .where(*_overdue_conditions(engine, f, today, months), *_unit_conditions(link.c[col], f, level))
            .order_by(*_index_order()))


def _overdue(conn, engine: Engine, f: Filters, level: str, today: date, month_of, titles) -> None:
    """Expected developments whose deadline fell in a month, passed, with no outcome: that month's.
    Their titles (the ``TITLES_KEPT`` most significant per unit) for the months ``titles``
    (``None``: every month)."""
    if answers(f):
        c = s.stability_due.c
        month = month_expr(engine, c.deadline)
        conds = [c.level == level, c.deadline < today, *_unit_conditions(c.unit, f, level),
                 *_month_conditions(c.deadline, f)]
        if not f.include_low_confidence:
            conds.append(c.shown == true())
        stmt = select(c.unit, month, func.sum(c.n)).where(*conds).group_by(c.unit, month)
    else:
        held = _overdue_reports(engine, f, level, today).order_by(None).subquery()
        stmt = select(held.c.unit, held.c.month, func.count()).group_by(held.c.unit, held.c.month)
    counts = {(unit, m): int(n) for unit, m, n in conn.execute(stmt) if n}
    for (unit, m), n in counts.items():
        month_of(unit, m).overdue = n
    # the titles: read in the index's order until every unit and month asked for has its share
    need = {k: min(TITLES_KEPT, n) for k, n in counts.items() if titles is None or k[1] in titles}
    if not need:
        return
    months = sorted({m for _u, m in need})
    rows = conn.execution_options(stream_results=True, yield_per=500).execute(
        _overdue_reports(engine, f, level, today, months))
    try:
        for unit, m, title in rows:
            if need.get((unit, m), 0) > 0:
                month_of(unit, m).overdue_titles.append(title)
                need[(unit, m)] -= 1
                if need[(unit, m)] == 0:
                    del need[(unit, m)]
                    if not need:
                        break
    finally:
        rows.close()


def overdue_in(engine: Engine, f: Filters, month: str, today: date | None = None,
               limit: int = 10) -> tuple[int, list[str]]:
    """``(how many, the most significant titles)`` of the expected developments whose deadline fell in
    ``month`` (``YYYY-MM``) and passed with no outcome, not abandoned, whose lead report names one of
    the filter's countries (any, when none) and passes its report conditions: the Overview's "fell
    overdue" list, from the partial index of expected developments."""
    d = s.developments.c
    today = today or date.today()
    conds = _overdue_conditions(engine, f.with_(date_from=None, date_to=None), today, (month,))
    if f.countries:  # probed for each development of the month (an IN over every report of a country is slower)
        ec = s.event_countries.alias()
        conds.append(exists().where(ec.c.event_id == d.lead_event_id, ec.c.country.in_(f.countries)))
    base = select(d.id).select_from(s.developments).join(s.events, s.events.c.id == d.lead_event_id).where(*conds)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(base.subquery())).scalar()
        found = list(conn.execute(base.with_only_columns(d.title).order_by(*_index_order()).limit(limit)).scalars())
    return int(n), found


def deadlines_within(engine: Engine, f: Filters, days: int, today: date | None = None,
                     limit: int = 10) -> tuple[int, list[tuple[date, str]]]:
    """``(how many, the soonest (deadline, title))`` of the expected developments still open (no
    outcome, not abandoned) whose deadline falls from today to ``days`` days on, whose lead report
    names one of the filter's countries (any, when none) and passes its report conditions: the
    Overview's "deadlines in the next 30 / 90 days", from the partial index of expected developments."""
    e, d = s.events.c, s.developments.c
    today = today or date.today()
    conds = [d.status == literal_column("'expected'"), d.date_end.between(today, today + timedelta(days=days)),
             d.outcome_event_id.is_(None), func.coalesce(d.tracker_status, "") != "abandoned",
             e.id == d.lead_event_id, *_report_conditions(engine, f.with_(date_from=None, date_to=None))]
    if f.countries:
        ec = s.event_countries.alias()
        conds.append(exists().where(ec.c.event_id == d.lead_event_id, ec.c.country.in_(f.countries)))
    base = select(d.id).select_from(s.developments).join(s.events, e.id == d.lead_event_id).where(*conds)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(base.subquery())).scalar()
        found = [(r[0] if isinstance(r[0], date) else date.fromisoformat(str(r[0])[:10]), r[1]) for r in conn.execute(
            base.with_only_columns(d.date_end, d.title).order_by(d.date_end, d.significance.desc(), d.id).limit(limit))]
    return int(n), found


def latest_month(engine: Engine, f: Filters, today: date | None = None) -> str | None:
    """``YYYY-MM`` of the latest month, not after today's, in which a development in the filter counts
    for a country (dated to a month or finer, with a report other than GDELT's)."""
    today = today or date.today()
    capped = f.with_(date_to=min(f.date_to, today) if f.date_to else today)
    with engine.connect() as conn:
        if answers(capped):
            c = s.stability_months.c
            conds = [c.level == "country", *_unit_conditions(c.unit, capped, "country"),
                     *_rollup_month_conditions(c.month, capped)]
            if not capped.include_low_confidence:
                conds.append(c.shown == true())
            return conn.execute(select(c.month).where(*conds).group_by(c.month).having(func.sum(c.n) > 0)
                                .order_by(c.month.desc()).limit(1)).scalar()
        base = _counted_reports(engine, capped, "country")
        return conn.execute(select(func.max(base.c.month))).scalar()


#: The columns of the month table (``table``): CrisisWatch's unit, month and arrow first, then the why.
TABLE_FIELDS = ["month", "unit", "unit_name", "arrow", "sentence", "analyst_arrow", "analyst_reason", "analyst",
                "score", "previous_score", "rule", "developments", "security", "political", "protest", "other",
                "fatalities", "civilians", "overdue", "places", "actors", "media_volume_gdelt",
                "media_conflict_share_gdelt", "media_goldstein_gdelt", "media_tone_gdelt"]


def table(engine: Engine, f: Filters, today: date | None = None) -> list[dict]:
    """The CrisisWatch-style month table: for each month of the filter (else every month from the
    first development to the latest) and each country of the filter (else the focus countries) with
    the units under it, the arrow, the sentence, an analyst's judgement and every component."""
    from dashboard.indicator import judged_units, row
    from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
    from dashboard.store.judgements import judgements

    undated = f.with_(date_from=None, date_to=None)
    last = f.date_to.strftime("%Y-%m") if f.date_to else latest_month(engine, undated, today)
    if last is None:
        return []
    by_country = monthly(engine, f, "country", today=today)
    by_place = monthly(engine, f, "place", today=today)
    first = f.date_from.strftime("%Y-%m") if f.date_from else min((m for _u, m in by_country), default=last)
    judged = judgements(engine)
    out = []
    for code, months in judged_units(by_country, by_place, first, last, f.countries or FOCUS_COUNTRIES):
        name = place_name(code) if "-" in code else country_name(code)
        for month, verdict in months:
            out.append({"unit_name": name, **row(month, verdict, judged.get((code, month.month)))})
    out.sort(key=lambda r: r["month"])  # month by month (a stable sort: the units keep their order)
    return out
