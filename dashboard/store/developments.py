"""Developments: the events that report one development, kept together as the events are written.

Every stored event belongs to one development. A new event joins the development of an earlier
report of the same development (the rules are :mod:`dashboard.grouping`), else starts its own.
A development shows what its best-supported report says (its *lead*: analyst-verified first, then
human-coded, then machine; the finer date; the higher confidence), counts its reports and its
independent sources, and carries a significance that orders lists and labels:

    significance = 100 if an analyst flagged it as key
                 + 3 analyst-verified / 2 human-coded (ACLED) / 0 machine
                 + 2 · log2(1 + independent sources)
                 + 1.5 · log2(1 + fatalities)
                 + 1.5 if it is expected (an announced deal or deadline, overdue ones included)

Ties go to the more recent. Grouping is the machine's until an analyst confirms, merges or splits
(``dashboard.store.curation``); an analyst's grouping is never redone by the machine.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, or_, select, update

from dashboard.grouping import Reading, same_development
from dashboard.store import schema as s
from dashboard.store.links import event_links

VERIFICATION_POINTS = {"analyst": 3.0, "coded": 2.0, "machine": 0.0}
KEY_POINTS = 100.0
EXPECTED_POINTS = 1.5
MAX_CANDIDATES = 50  # developments compared with a new report (by their lead reports, nearest in time first)

_E = s.events.c
_FIELDS = [_E.id, _E.title, _E.summary, _E.date_start, _E.date_end, _E.date_precision, _E.status, _E.category,
           _E.lat, _E.lon, _E.geo_precision, _E.verification, _E.confidence, _E.source_name, _E.source_url,
           _E.dataset, _E.num_sources, _E.fatalities, _E.article_id, _E.development_id]
_BY_IDS = select(*_FIELDS).where(_E.id.in_(bindparam("ids", expanding=True)))
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, None: 9}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _reading(row, links: dict) -> Reading:
    return Reading(id=row.id, title=row.title, summary=row.summary, date_start=row.date_start,
                   date_end=row.date_end, date_precision=row.date_precision, status=row.status,
                   category=row.category, countries=frozenset(links["countries"][row.id]),
                   actors=frozenset(links["actors"][row.id]), lat=row.lat, lon=row.lon,
                   geo_precision=row.geo_precision)


def _rows(conn: Connection, ids: list[str]) -> tuple[list, dict]:
    rows = []
    for start in range(0, len(ids), 900):
        rows += conn.execute(_BY_IDS, {"ids": ids[start:start + 900]}).all()
    return rows, event_links(conn, [r.id for r in rows], ("countries", "actors"))


#: The longest period of each precision: a development of that precision that overlaps a report
#: started at most this long before the report's start. (Longer periods, rare, are not searched.)
SPAN_DAYS = {"day": 0, "week": 7, "month": 31, "quarter": 92, "year": 366}


def _candidate_statement(expected: bool):
    """Developments (and their lead reports) that could be a report with the dates given as
    parameters: per precision, a start within that precision's longest period of the report's."""
    d = s.developments.c
    link = s.event_countries.c
    windows = [and_(d.date_precision == p, d.date_start >= bindparam(f"from_{p}"), d.date_start <= bindparam("end"))
               for p in SPAN_DAYS if p != "day"]
    windows.append(and_(d.date_precision == "day", d.date_start >= bindparam("day_from"),
                        d.date_start <= bindparam("day_to")))
    return (
        select(d.lead_event_id)
        .where(or_(*windows), func.coalesce(d.date_end, d.date_start) >= bindparam("start"),
               (d.status == "expected") if expected else (d.status != "expected"),
               exists().where(link.event_id == d.lead_event_id,
                              link.country.in_(bindparam("countries", expanding=True))))
        .limit(MAX_CANDIDATES)
    )


_CANDIDATES = {True: _candidate_statement(True), False: _candidate_statement(False)}


def _candidates(conn: Connection, r: Reading) -> list[str]:
    """The lead reports of developments that could be this one (the rules of :mod:`dashboard.grouping`,
    as far as an index can tell: overlapping periods, the same day at day precision, a shared country)."""
    end = r.date_end or r.date_start
    params = {f"from_{p}": r.date_start - timedelta(days=days) for p, days in SPAN_DAYS.items() if p != "day"}
    same_day = r.date_precision == "day"
    params.update(end=end, start=r.date_start, countries=sorted(r.countries),
                  day_from=r.date_start, day_to=r.date_start if same_day else end)
    return [i for i in conn.execute(_CANDIDATES[r.status == "expected"], params).scalars() if i and i != r.id]


def _new_developments(conn: Connection, rows: list) -> list[int]:
    """One new development for each of ``rows`` (in one statement), joined to it."""
    now = _now()
    result = conn.execute(
        s.developments.insert().returning(s.developments.c.id, sort_by_parameter_order=True),
        [{"title": r.title, "status": r.status, "verification": r.verification, "updated_at": now} for r in rows])
    ids = list(result.scalars())
    _join(conn, [(r.id, dev_id) for r, dev_id in zip(rows, ids, strict=True)])
    return ids


_JOIN = update(s.events).where(_E.id == bindparam("event")).values(development_id=bindparam("development"))


def _join(conn: Connection, pairs: list[tuple[str, int]]) -> None:
    if pairs:
        conn.execute(_JOIN, [{"event": e, "development": d} for e, d in pairs])


def _buckets(r: Reading) -> list[tuple]:
    """Where a report of this batch waits for later reports of the same batch: per country and day
    (day precision), else per country and year of its start."""
    key = r.date_start if r.date_precision == "day" else r.date_start.year
    return [(c, r.date_precision == "day", key) for c in r.countries]


def _nearby(pending: dict, r: Reading) -> list[int]:
    """Groups of this batch that hold a report sharing a country with ``r`` around its date."""
    found: list[int] = []
    keys = [(c, True, r.date_start) for c in r.countries] if r.date_precision == "day" else []
    for year in range(r.date_start.year, (r.date_end or r.date_start).year + 1):
        keys += [(c, False, year) for c in r.countries]
    if r.date_precision != "day":
        keys += [(c, True, None) for c in r.countries]  # any day-precision report of the country
    for key in keys:
        found += pending.get(key, [])
    return list(dict.fromkeys(found))


def assign(conn: Connection, event_ids: list[str]) -> set[int]:
    """Give each of ``event_ids`` that has none a development: an earlier report's (stored, or earlier
    in this batch), or its own. Returns the developments touched (already refreshed)."""
    rows, links = _rows(conn, list(dict.fromkeys(event_ids)))
    touched: set[int] = set()
    joined: list[tuple[str, int]] = []
    groups: list[list] = []  # new developments of this batch: their reports, first one leading
    readings: list[list[Reading]] = []
    pending: dict[tuple, list[int]] = {}
    stored: dict[tuple, tuple[list[Reading], dict]] = {}
    for row in rows:
        if row.development_id is not None:
            touched.add(row.development_id)
            continue
        reading = _reading(row, links)
        best: tuple[float, int, bool] | None = None  # (strength, development or group, in this batch)
        if reading.date_start is not None and reading.countries:
            # reports with the same dates, status family and countries have the same stored
            # candidates (this batch's new developments are only written at its end): asked once
            key = (reading.date_start, reading.date_end, reading.date_precision, reading.status == "expected",
                   reading.countries)
            if key not in stored:
                found, found_links = _rows(conn, _candidates(conn, reading))
                stored[key] = [_reading(other, found_links) for other in found], {o.id: o for o in found}
            others, by_id = stored[key]
            for other in others:
                if other.id == reading.id:
                    continue
                same, strength, _why = same_development(reading, other)
                if same and (best is None or strength > best[0]):
                    best = (strength, by_id[other.id].development_id, False)
            for g in _nearby(pending, reading):
                same, strength, _why = same_development(reading, readings[g][0])
                if same and (best is None or strength > best[0]):
                    best = (strength, g, True)
        if best is None:
            groups.append([row])
            readings.append([reading])
            if reading.date_start is not None:
                for key in _buckets(reading):
                    pending.setdefault(key, []).append(len(groups) - 1)
                    if reading.date_precision == "day":
                        pending.setdefault((key[0], True, None), []).append(len(groups) - 1)
        elif best[2]:
            groups[best[1]].append(row)
        else:
            joined.append((row.id, best[1]))
            touched.add(best[1])
    _join(conn, joined)
    if groups:
        ids = _new_developments(conn, [g[0] for g in groups])
        _join(conn, [(r.id, dev_id) for g, dev_id in zip(groups, ids, strict=True) for r in g[1:]])
        touched.update(ids)
    refresh(conn, touched)
    return touched


def _source_key(row) -> str:
    """What counts as one independent source: the outlet, else the site, else the dataset."""
    if row.source_name:
        return row.source_name.strip().lower()
    if row.source_url:
        return urlsplit(row.source_url).netloc.lower()
    return f"{row.dataset}:{row.id}"


def significance(*, is_key: bool, verification: str, n_sources: int, fatalities: int | None,
                 expected: bool) -> float:
    """The development's weight in lists and labels (the formula in the module docstring)."""
    return round((KEY_POINTS if is_key else 0.0) + VERIFICATION_POINTS.get(verification, 0.0)
                 + 2.0 * math.log2(1 + max(n_sources, 1)) + 1.5 * math.log2(1 + max(fatalities or 0, 0))
                 + (EXPECTED_POINTS if expected else 0.0), 3)


def _lead_order(row) -> tuple:
    return (-VERIFICATION_POINTS.get(row.verification, 0.0), _PRECISION_RANK.get(row.date_precision, 9),
            -(row.confidence if row.confidence is not None else 1.0), row.id)


def refresh(conn: Connection, development_ids) -> None:
    """Recompute what each development shows from its reports; a development left empty goes."""
    ids = sorted({d for d in development_ids if d is not None})
    if not ids:
        return
    d = s.developments.c
    keys = dict(conn.execute(select(d.id, d.is_key).where(d.id.in_(ids))).all())
    members: dict[int, list] = {i: [] for i in ids}
    for row in conn.execute(select(*_FIELDS).where(_E.development_id.in_(ids))):
        members[row.development_id].append(row)
    empty = [i for i, rows in members.items() if not rows]
    if empty:
        conn.execute(delete(s.developments).where(d.id.in_(empty)))
    now = _now()
    values = []
    for dev_id, rows in members.items():
        if not rows:
            continue
        lead = min(rows, key=_lead_order)
        sources = max(len({_source_key(r) for r in rows}), max((r.num_sources or 1) for r in rows))
        fatalities = max((r.fatalities for r in rows if r.fatalities is not None), default=None)
        verification = min((r.verification for r in rows), key=lambda v: -VERIFICATION_POINTS.get(v, 0.0))
        located = next((r for r in sorted(rows, key=_lead_order) if r.lat is not None), None)
        values.append({
            "dev": dev_id, "title": lead.title, "summary": lead.summary, "date_start": lead.date_start,
            "date_end": lead.date_end, "date_precision": lead.date_precision, "status": lead.status,
            "category": lead.category, "lat": located.lat if located else None,
            "lon": located.lon if located else None, "lead_event_id": lead.id, "n_events": len(rows),
            "n_sources": sources, "fatalities": fatalities, "verification": verification,
            "significance": significance(is_key=bool(keys.get(dev_id)), verification=verification,
                                         n_sources=sources, fatalities=fatalities,
                                         expected=lead.status == "expected"),
            "updated_at": now,
        })
    if values:
        conn.execute(_REFRESH, values)


_REFRESH = update(s.developments).where(s.developments.c.id == bindparam("dev")).values(
    {c: bindparam(c) for c in ("title", "summary", "date_start", "date_end", "date_precision", "status", "category",
                               "lat", "lon", "lead_event_id", "n_events", "n_sources", "fatalities", "verification",
                               "significance", "updated_at")})
