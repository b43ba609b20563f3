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

from dashboard.grouping import CODED_ONCE, Reading, same_development
from dashboard.store import schema as s
from dashboard.store.bulk import insert_rows
from dashboard.store.links import event_links

VERIFICATION_POINTS = {"analyst": 3.0, "coded": 2.0, "machine": 0.0}
KEY_POINTS = 100.0
EXPECTED_POINTS = 1.5

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
                   geo_precision=row.geo_precision, dataset=row.dataset)


def reading_of_record(record) -> Reading:
    """What the grouping rules read of an event record not stored yet."""
    return Reading(id=record.id, title=record.title, summary=record.summary, date_start=record.date_start,
                   date_end=record.date_end, date_precision=record.date_precision, status=record.status,
                   category=record.category, countries=frozenset(c for c in record.countries if c),
                   actors=frozenset(a for a in record.actors if a), lat=record.lat, lon=record.lon,
                   geo_precision=record.geo_precision, dataset=record.dataset)


def _rows(conn: Connection, ids: list[str]) -> tuple[list, dict]:
    rows = []
    for start in range(0, len(ids), 900):
        rows += conn.execute(_BY_IDS, {"ids": ids[start:start + 900]}).all()
    return rows, event_links(conn, [r.id for r in rows], ("countries", "actors"))


#: The longest period of each precision: a development of that precision that overlaps a report
#: started at most this long before the report's start. (Longer periods, rare, are not searched.)
SPAN_DAYS = {"day": 0, "week": 7, "month": 31, "quarter": 92, "year": 366}
#: Reports whose dates lie within this many days are looked up together (one query for the lot).
WINDOW_DAYS = 62


def _candidate_statement():
    """Developments (their lead reports) that could be a report dated within ``start``..``end``:
    per precision, a start within that precision's longest period before ``start``, not after
    ``end``, an end not before ``start``, a country among ``countries``, and a lead report from none
    of the datasets in ``skip`` (a dataset coding each event once, when the reports all come from it)."""
    d = s.developments.c
    link = s.event_countries.c
    windows = [and_(d.date_precision == p, d.date_start >= bindparam(f"from_{p}"), d.date_start <= bindparam("end"))
               for p in SPAN_DAYS]
    return (
        select(d.lead_event_id)
        .join(s.events, _E.id == d.lead_event_id)
        .where(or_(*windows), func.coalesce(d.date_end, d.date_start) >= bindparam("start"),
               _E.dataset.not_in(bindparam("skip", expanding=True)),
               exists().where(link.event_id == d.lead_event_id,
                              link.country.in_(bindparam("countries", expanding=True))))
    )


_CANDIDATES = _candidate_statement()


def _windows(readings: list[Reading]) -> list[list[Reading]]:
    """The dated, placed readings in runs whose starts lie within ``WINDOW_DAYS`` (a run is asked for
    from its first start to its latest end: a long period widens its run, it does not split it)."""
    dated = sorted((r for r in readings if r.date_start is not None and r.countries), key=lambda r: r.date_start)
    runs: list[list[Reading]] = []
    for r in dated:
        if runs and (r.date_start - runs[-1][0].date_start).days <= WINDOW_DAYS:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def _stored_candidates(conn: Connection, readings: list[Reading], exclude: set[str]) -> list:
    """The lead reports of stored developments that could be one of ``readings`` (the rules of
    :mod:`dashboard.grouping`, as far as an index can tell: overlapping periods, a shared country),
    a query per run of nearby dates."""
    leads: list[str] = []
    for run in _windows(readings):
        start = run[0].date_start
        end = max(r.date_end or r.date_start for r in run)
        params = {f"from_{p}": start - timedelta(days=days) for p, days in SPAN_DAYS.items()}
        datasets = {r.dataset for r in run}
        skip = sorted(datasets & CODED_ONCE) if len(datasets) == 1 else []
        params.update(start=start, end=end, countries=sorted(set().union(*(r.countries for r in run))), skip=skip)
        leads += [i for i in conn.execute(_CANDIDATES, params).scalars() if i and i not in exclude]
    return _rows(conn, list(dict.fromkeys(leads)))


def _years(r: Reading) -> range:
    return range(r.date_start.year, (r.date_end or r.date_start).year + 1)


class _Index:
    """Developments a report may join, by country and date: stored ones (by their lead report) and
    the ones this batch opens (by their first report)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, list[tuple[Reading, int, bool]]] = {}
        self.families: set[str | None] = set()  # whose entries the index holds
        self.days: dict[tuple, set] = {}  # (family, country) -> the days with day-precision entries

    @staticmethod
    def _family(reading: Reading) -> str | None:
        return reading.dataset if reading.dataset in CODED_ONCE else None

    def add(self, reading: Reading, target: int, new: bool) -> None:
        entry = (reading, target, new)
        family = self._family(reading)
        self.families.add(family)
        for c in reading.countries:
            if reading.date_precision == "day":
                self.by_key.setdefault((family, c, reading.date_start), []).append(entry)
                self.days.setdefault((family, c), set()).add(reading.date_start)
            else:
                for year in _years(reading):
                    self.by_key.setdefault((family, c, year), []).append(entry)

    def near(self, r: Reading) -> list[tuple[Reading, int, bool]]:
        """Entries that share a country with ``r``: day-precision ones on a day of its period,
        others starting or ending in a year of it; never rows of ``r``'s own dataset when that
        dataset codes each event once (the rule of :mod:`dashboard.grouping`, applied here in bulk)."""
        families = [f for f in (None, *sorted(CODED_ONCE - {r.dataset})) if f in self.families]
        if not families:  # (an ACLED file into a store of ACLED rows only: nothing to compare with)
            return []
        end = r.date_end or r.date_start
        span = (end - r.date_start).days + 1
        years = list(_years(r))
        found: dict[int, tuple] = {}
        for family in families:
            for c in r.countries:
                known = self.days.get((family, c), ())
                # a long period looks up the days that hold entries, a short one its own days
                days = [d for d in known if r.date_start <= d <= end] if span > len(known) else \
                    [r.date_start + timedelta(days=k) for k in range(span)]
                for when in (*days, *years):
                    for entry in self.by_key.get((family, c, when), ()):
                        found.setdefault(id(entry), entry)
        return list(found.values())


def plan(conn: Connection, readings: list[Reading]) -> tuple[dict[str, int], list[list[int]]]:
    """Where each of ``readings`` (reports without a development) belongs: ``(joins, groups)``,
    ``joins`` the stored development each joins (by event id), ``groups`` the new developments as
    lists of positions in ``readings`` (a report joins the best-matching earlier report, stored or
    earlier in the batch; one matching nothing opens its own)."""
    index = _Index()
    found, found_links = _stored_candidates(conn, readings, {r.id for r in readings})
    for row in found:
        if row.development_id is not None:
            index.add(_reading(row, found_links), row.development_id, False)
    joins: dict[str, int] = {}
    groups: list[list[int]] = []
    for position, reading in enumerate(readings):
        best: tuple[float, int, bool] | None = None  # (strength, development or group, new in this batch)
        if reading.date_start is not None and reading.countries:
            for other, target, new in index.near(reading):
                same, strength, _why = same_development(reading, other)
                if same and (best is None or strength > best[0]):
                    best = (strength, target, new)
        if best is None:
            groups.append([position])
            if reading.date_start is not None and reading.countries:
                index.add(reading, len(groups) - 1, True)
        elif best[2]:
            groups[best[1]].append(position)
        else:
            joins[reading.id] = best[1]
    return joins, groups


_SHOWN = ["title", "summary", "date_start", "date_end", "date_precision", "status", "category", "lat", "lon",
          "lead_event_id", "n_events", "n_sources", "fatalities", "verification", "significance", "updated_at"]


def _new_developments(conn: Connection, groups: list[list]) -> list[int]:
    """Insert one development per group of reports (stored or not), complete; their ids in order."""
    if not groups:
        return []
    now = _now()
    values = [_shown(rows, False, now) for rows in groups]
    if conn.dialect.name == "sqlite":
        # the writer holds SQLite's only write lock from its first write to its commit (and a
        # transaction that only read first fails rather than write over a newer one): the next
        # ids are the last one's followers, written in one plain executemany
        first = (conn.execute(select(func.max(s.developments.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + len(values)))
        insert_rows(conn, s.developments, ["id", *_SHOWN],
                    [(dev, *map(v.__getitem__, _SHOWN)) for dev, v in zip(ids, values, strict=True)])
        return ids
    result = conn.execute(s.developments.insert().returning(s.developments.c.id, sort_by_parameter_order=True),
                          values)
    return list(result.scalars())


_JOIN = update(s.events).where(_E.id == bindparam("event")).values(development_id=bindparam("development"))


def _join(conn: Connection, pairs: list[tuple[str, int]]) -> None:
    if pairs:
        conn.execute(_JOIN, [{"event": e, "development": d} for e, d in pairs])


def assign(conn: Connection, event_ids: list[str]) -> set[int]:
    """Give each of the stored ``event_ids`` that has none a development: an earlier report's
    (stored, or earlier in this list), or its own. Returns the developments touched (refreshed)."""
    rows, links = _rows(conn, list(dict.fromkeys(event_ids)))
    touched = {r.development_id for r in rows if r.development_id is not None}
    loose = [r for r in rows if r.development_id is None]
    joins, groups = plan(conn, [_reading(r, links) for r in loose])
    _join(conn, list(joins.items()))
    ids = _new_developments(conn, [[loose[k] for k in g] for g in groups])
    _join(conn, [(loose[k].id, dev) for g, dev in zip(groups, ids, strict=True) for k in g])
    refresh(conn, touched | set(joins.values()))
    return touched | set(joins.values()) | set(ids)


def assign_records(conn: Connection, records: list) -> tuple[dict[str, int], set[int]]:
    """Developments for event records about to be inserted: ``(development of each event id, the
    stored developments they join)``. New developments are written here, complete; the caller
    inserts the events with their development and then refreshes the stored ones."""
    joins, groups = plan(conn, [reading_of_record(r) for r in records])
    ids = _new_developments(conn, [[records[k] for k in g] for g in groups])
    of = dict(joins)
    for g, dev in zip(groups, ids, strict=True):
        for k in g:
            of[records[k].id] = dev
    return of, set(joins.values())


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


def _shown(rows: list, is_key: bool, now: datetime | None = None) -> dict:
    """What a development of these reports shows (stored rows or records: the same attributes)."""
    if len(rows) == 1:  # most developments have one report: it shows itself
        lead = located = rows[0]
        sources, fatalities, verification = max(lead.num_sources or 1, 1), lead.fatalities, lead.verification
    else:
        lead = min(rows, key=_lead_order)
        sources = max(len({_source_key(r) for r in rows}), max((r.num_sources or 1) for r in rows))
        fatalities = max((r.fatalities for r in rows if r.fatalities is not None), default=None)
        verification = min((r.verification for r in rows), key=lambda v: -VERIFICATION_POINTS.get(v, 0.0))
        located = lead if lead.lat is not None else next(
            (r for r in sorted(rows, key=_lead_order) if r.lat is not None), None)
    return {
        "title": lead.title, "summary": lead.summary, "date_start": lead.date_start,
        "date_end": lead.date_end, "date_precision": lead.date_precision, "status": lead.status,
        "category": lead.category, "lat": located.lat if located else None,
        "lon": located.lon if located else None, "lead_event_id": lead.id, "n_events": len(rows),
        "n_sources": sources, "fatalities": fatalities, "verification": verification,
        "significance": significance(is_key=is_key, verification=verification, n_sources=sources,
                                     fatalities=fatalities, expected=lead.status == "expected"),
        "updated_at": now or _now(),
    }


def refresh(conn: Connection, development_ids) -> None:
    """Recompute what each development shows from its reports; a development left empty goes."""
    ids = sorted({d for d in development_ids if d is not None})
    if not ids:
        return
    d = s.developments.c
    keys: dict[int, bool] = {}
    members: dict[int, list] = {i: [] for i in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        keys.update(conn.execute(select(d.id, d.is_key).where(d.id.in_(chunk))).all())
        for row in conn.execute(select(*_FIELDS).where(_E.development_id.in_(chunk))):
            members[row.development_id].append(row)
    empty = [i for i, rows in members.items() if not rows]
    for start in range(0, len(empty), 900):
        conn.execute(delete(s.developments).where(d.id.in_(empty[start:start + 900])))
    now = _now()
    values = [{"dev": dev_id, **_shown(rows, bool(keys.get(dev_id)), now)} for dev_id, rows in members.items() if rows]
    if values:
        conn.execute(_REFRESH, values)


_REFRESH = update(s.developments).where(s.developments.c.id == bindparam("dev")).values(
    {c: bindparam(c) for c in _SHOWN})
