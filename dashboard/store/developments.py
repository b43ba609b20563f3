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

import json
import math
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, case, delete, func, select, update

from dashboard.grouping import (
    CODED_ONCE,
    SAME_PLACE_KM,
    Reading,
    period_months,
    prefix,
    reading_words,
    same_development,
    word_key,
    words,
)
from dashboard.store import rollups
from dashboard.store import schema as s
from dashboard.store.bulk import insert_rows
from dashboard.store.links import event_links
from dashboard.store.records import EventRecord
from dashboard.vocab import SHOWN_CONFIDENCE

VERIFICATION_POINTS = {"analyst": 3.0, "coded": 2.0, "machine": 0.0}
KEY_POINTS = 100.0
EXPECTED_POINTS = 1.5

_E = s.events.c
_FIELDS = [_E.id, _E.title, _E.summary, _E.date_start, _E.date_end, _E.date_precision, _E.status, _E.category,
           _E.lat, _E.lon, _E.geo_precision, _E.verification, _E.confidence, _E.source_name, _E.source_url,
           _E.dataset, _E.num_sources, _E.fatalities, _E.article_id, _E.development_id, _E.outcome_event_id,
           _E.tracker_status, _E.first_deadline, _E.location,
           _E.attributes.ilike(f"%{rollups.CIVILIAN_KEY}%").label("civilian"),
           case((_E.dataset == "gdelt", _E.attributes), else_=None).label("media_fields")]
_BY_IDS = select(*_FIELDS).where(_E.id.in_(bindparam("ids", expanding=True)))
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, None: 9}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _reading(row, links: dict) -> Reading:
    return Reading(id=row.id, title=row.title, summary=row.summary, date_start=row.date_start,
                   date_end=row.date_end, date_precision=row.date_precision, status=row.status,
                   category=row.category, countries=frozenset(links["countries"][row.id]),
                   actors=frozenset(links["actors"][row.id]), lat=row.lat, lon=row.lon,
                   geo_precision=row.geo_precision, dataset=row.dataset,
                   word_set=words(f"{row.title} {row.summary or ''}"))


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
    return rows, event_links(conn, [r.id for r in rows], ("countries", "actors", "places"))


_W = s.development_words.c
_N = s.development_word_counts.c
_D = s.developments.c
#: A word that fewer developments than this have had (in a year, among expected or other reports)
#: finds them: a new report is compared with every stored development sharing such a word with it,
#: or at a town on its day in its category, never with all of its country and year. A word more
#: common than that says little about which development it is, and would make the lists grow with
#: the store; reports sharing only common words are still compared within one write.
RARE_BELOW = 25
_BY_WORDS = select(_W.word, _W.development_id).where(
    _W.year == bindparam("year"), _W.word.in_(bindparam("words", expanding=True)))
_COUNTS = select(_N.word, func.sum(_N.n)).where(
    _N.year == bindparam("year"), _N.word.in_(bindparam("words", expanding=True))).group_by(_N.word)
_SAME_DAY = select(_D.id, _D.lat, _D.lon).where(_D.date_precision == "day", _D.date_start == bindparam("day"),
                                _D.category == bindparam("category"), _D.lat.between(bindparam("lat0"), bindparam("lat1")),
                                _D.lon.between(bindparam("lon0"), bindparam("lon1")))
_LEADS = select(*_FIELDS).join(s.developments, _D.lead_event_id == _E.id).where(
    _D.id.in_(bindparam("ids", expanding=True)), _E.development_id == _D.id)


def _at_town_on_a_day(r: Reading) -> bool:
    return (r.date_precision == "day" and bool(r.category) and r.geo_precision in ("point", "town")
            and r.lat is not None and r.lon is not None)


def _keys(r) -> frozenset[tuple[int, int]]:
    """(word key, year) of a dated report or lead: each of its words in each year of its period."""
    return _keys_of(r.title, r.summary, r.date_start, r.date_end, r.status == "expected")


@lru_cache(maxsize=65536)
def _keys_of(title, summary, start, end, expected: bool) -> frozenset[tuple[int, int]]:
    if start is None:
        return frozenset()
    years = range(start.year, (end or start).year + 1)
    return frozenset((word_key(w, expected), y) for w in words(f"{title} {summary or ''}") for y in years)


def _counts(conn: Connection, keys) -> dict[tuple[int, int], int]:
    by_year: dict[int, list[int]] = {}
    for word, year in keys:
        by_year.setdefault(year, []).append(word)
    out: dict[tuple[int, int], int] = {}
    for year, ws in sorted(by_year.items()):
        ws = sorted(set(ws))
        for start in range(0, len(ws), 900):
            for word, n in conn.execute(_COUNTS, {"year": year, "words": ws[start:start + 900]}):
                out[(word, year)] = n
    return out


def _town_box(lat: float, lon: float) -> dict:
    """A box around a point holding every point within ``SAME_PLACE_KM`` (with a margin)."""
    dlat = SAME_PLACE_KM / 111.0 * 1.1
    dlon = SAME_PLACE_KM / (111.32 * max(math.cos(math.radians(lat)), 0.1)) * 1.1
    return {"lat0": lat - dlat, "lat1": lat + dlat, "lon0": lon - dlon, "lon1": lon + dlon}


class _Stored:
    """The stored developments the reports of one batch may join, and which report may join which:
    by a rare word the two share in a year of the report's period (``RARE_BELOW``;
    ``development_words``), or by the report's day and category at a town within ``SAME_PLACE_KM``
    (the one rule that needs no common word). The lists stay short however large the store grows."""

    def __init__(self, conn: Connection, readings: list[Reading]) -> None:
        wanted: set[tuple[int, int]] = set()
        for r in readings:
            if r.countries:
                wanted |= _keys(r)
        rare: dict[int, list[int]] = {}
        for (word, year), n in _counts(conn, wanted).items():
            if n < RARE_BELOW:
                rare.setdefault(year, []).append(word)
        self.by_key: dict[tuple[int, int], list[int]] = {}
        for year, ws in sorted(rare.items()):
            ws.sort()
            for start in range(0, len(ws), 900):
                for word, dev in conn.execute(_BY_WORDS, {"year": year, "words": ws[start:start + 900]}):
                    self.by_key.setdefault((word, year), []).append(dev)
        # one query per day and category, for the box around all its reports' towns; then each
        # report keeps the developments in its own town's box
        places: dict[tuple, set[tuple[float, float]]] = {}
        for r in readings:
            if r.countries and _at_town_on_a_day(r):
                places.setdefault((r.date_start, r.category), set()).add((r.lat, r.lon))
        self.by_day: dict[tuple, list[int]] = {}
        for (day, category), points in sorted(places.items()):
            boxes = {p: _town_box(*p) for p in points}
            union = {"lat0": min(b["lat0"] for b in boxes.values()), "lat1": max(b["lat1"] for b in boxes.values()),
                     "lon0": min(b["lon0"] for b in boxes.values()), "lon1": max(b["lon1"] for b in boxes.values())}
            found = conn.execute(_SAME_DAY, {"day": day, "category": category, **union}).all()
            for (lat, lon), b in boxes.items():
                self.by_day[(day, category, lat, lon)] = [
                    d for d, la, lo in found if b["lat0"] <= la <= b["lat1"] and b["lon0"] <= lo <= b["lon1"]]
        ids = sorted({d for devs in (*self.by_key.values(), *self.by_day.values()) for d in devs})
        exclude = {r.id for r in readings}
        datasets = {r.dataset for r in readings}
        # rows of a dataset that codes each event once never join each other: for a file of its
        # rows alone, its stored leads are no candidates
        same = next(iter(datasets)) if len(datasets) == 1 and datasets <= CODED_ONCE else None
        rows = []
        for start in range(0, len(ids), 900):
            rows += [r for r in conn.execute(_LEADS, {"ids": ids[start:start + 900]})
                     if r.id not in exclude and (same is None or r.dataset != same)]
        self.rows = {r.development_id: r for r in rows}
        self.links = event_links(conn, [r.id for r in rows], ("countries", "actors"))
        self.readings: dict[int, Reading] = {}

    def near(self, r: Reading) -> list[tuple[Reading, int]]:
        """``(lead report, development)`` of the stored developments ``r`` is compared with, by id."""
        devs = {d for key in _keys(r) for d in self.by_key.get(key, ())}
        if _at_town_on_a_day(r):
            devs.update(self.by_day.get(_day_key(r), ()))
        out = []
        for dev in sorted(devs):
            row = self.rows.get(dev)
            if row is None:
                continue
            reading = self.readings.get(dev)
            if reading is None:
                reading = self.readings[dev] = _reading(row, self.links)
            if reading.countries & r.countries:
                out.append((reading, dev))
        return out


def _day_key(r) -> tuple:
    return (r.date_start, r.category, r.lat, r.lon)


def _rarest_first(word_sets) -> callable:
    """An order of words, rarest in ``word_sets`` first (ties by the word): short index lists."""
    df: dict[str, int] = {}
    for ws in word_sets:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    return lambda w: (df.get(w, 0), w)


class _Index:
    """The developments this batch opens (by their first report), that a later report of the batch
    may join. Found by a prefix word (in ``rank``'s order, the same for every
    entry and every look-up) of the same kind (expected or not): day-precision entries by their day
    and month, others by each month of their period; or, at a town on a day, by day and category."""

    def __init__(self, rank) -> None:
        self.rank = rank
        self.day_word: dict[tuple, list[tuple]] = {}  # (family, expected, word, day) -> day entries
        self.day_month_word: dict[tuple, list[tuple]] = {}  # (family, expected, word, month) -> day entries
        self.month_word: dict[tuple, list[tuple]] = {}  # (family, expected, word, month) -> other entries
        self.by_day: dict[tuple, list[tuple]] = {}  # (family, day, category) -> day entries at a town
        self.families: set[str | None] = set()  # whose entries the index holds
        self.added = 0

    @staticmethod
    def _family(reading: Reading) -> str | None:
        return reading.dataset if reading.dataset in CODED_ONCE else None

    def add(self, reading: Reading, target: int, new: bool) -> None:
        entry = (self.added, reading, target, new)
        self.added += 1
        family = self._family(reading)
        self.families.add(family)
        expected = reading.status == "expected"
        months = period_months(reading)
        for w in prefix(reading_words(reading), self.rank):
            if reading.date_precision == "day":
                self.day_word.setdefault((family, expected, w, reading.date_start), []).append(entry)
                for m in months:
                    self.day_month_word.setdefault((family, expected, w, m), []).append(entry)
            else:
                for m in months:
                    self.month_word.setdefault((family, expected, w, m), []).append(entry)
        if _at_town_on_a_day(reading):
            self.by_day.setdefault((family, reading.date_start, reading.category), []).append(entry)

    def near(self, r: Reading) -> list[tuple]:
        """Entries that may be ``r``'s development, in the order they were added: sharing a country
        and a prefix word in a common month (the very day for two of day precision), or the day and
        category at a town; never rows of ``r``'s own dataset when that dataset codes each event once
        (the rules of :mod:`dashboard.grouping`, as far as a look-up can tell)."""
        families = [f for f in (None, *sorted(CODED_ONCE - {r.dataset})) if f in self.families]
        if not families:  # (an ACLED file into a store of ACLED rows only: nothing to compare with)
            return []
        found: dict[int, tuple] = {}
        words_r = prefix(reading_words(r), self.rank)
        months = period_months(r)
        expected = r.status == "expected"
        day = r.date_precision == "day"
        for family in families:
            lists = []
            for w in words_r:
                if day:
                    lists.append(self.day_word.get((family, expected, w, r.date_start), ()))
                else:
                    lists += [self.day_month_word.get((family, expected, w, m), ()) for m in months]
                lists += [self.month_word.get((family, expected, w, m), ()) for m in months]
            if _at_town_on_a_day(r):
                lists.append(self.by_day.get((family, r.date_start, r.category), ()))
            for entries in lists:
                for entry in entries:
                    if entry[0] not in found and entry[1].countries & r.countries:
                        found[entry[0]] = entry
        return [found[k] for k in sorted(found)]


def plan(conn: Connection, readings: list[Reading]) -> tuple[dict[str, int], list[list[int]]]:
    """Where each of ``readings`` (reports without a development) belongs: ``(joins, groups)``,
    ``joins`` the stored development each joins (by event id), ``groups`` the new developments as
    lists of positions in ``readings`` (a report joins the best-matching earlier report, stored or
    earlier in the batch, the earliest of equally strong ones; one matching nothing opens its own)."""
    stored = _Stored(conn, readings)
    # a batch of one dataset that codes each event once (a pure ACLED file) never joins itself:
    # its reports need no index of the batch
    families = {_Index._family(r) for r in readings}
    in_batch = None in families or len(families) > 1
    index = _Index(_rarest_first([reading_words(r) for r in readings]) if in_batch else None)
    joins: dict[str, int] = {}
    groups: list[list[int]] = []
    for position, reading in enumerate(readings):
        best: tuple[float, int, bool] | None = None  # (strength, development or group, new in this batch)
        if reading.date_start is not None and reading.countries:
            candidates = [(other, dev, False) for other, dev in stored.near(reading)]
            candidates += [(other, target, new) for _order, other, target, new in index.near(reading)]
            for other, target, new in candidates:
                same, strength, _why = same_development(reading, other)
                if same and (best is None or strength > best[0]):
                    best = (strength, target, new)
        if best is None:
            groups.append([position])
            if in_batch and reading.date_start is not None and reading.countries:
                index.add(reading, len(groups) - 1, True)
        elif best[2]:
            groups[best[1]].append(position)
        else:
            joins[reading.id] = best[1]
    return joins, groups


def write_words(conn: Connection, leads: list[tuple[int, object]]) -> None:
    """Store the rare words by which later reports find these developments (``(development id,
    lead)`` pairs: new developments, or new leads), and count their words."""
    keyed = [(dev, _keys(lead)) for dev, lead in leads]
    counts = _counts(conn, set().union(*(k for _dev, k in keyed))) if keyed else {}
    rows, added = [], {}
    for dev, keys in keyed:  # counted in order: a word stops being stored once RARE_BELOW leads have it
        for key in keys:
            n = added.get(key, 0)
            if counts.get(key, 0) + n < RARE_BELOW:
                rows.append((key[0], key[1], dev))
            added[key] = n + 1
    if rows:
        insert_rows(conn, s.development_words, ["word", "year", "development_id"], rows, ignore=True)
    _count_up(conn, added)


def _count_up(conn: Connection, added: dict[tuple[int, int], int]) -> None:
    """Add to the words' counts: new rows only (no row is updated, so two writers never wait on
    or lock each other's counts)."""
    if added:
        insert_rows(conn, s.development_word_counts, ["word", "year", "n"],
                    [(w, y, n) for (w, y), n in sorted(added.items())])


_ALL_LEADS = select(_D.id, _E.title, _E.summary, _E.date_start, _E.date_end, _E.status).join(
    s.events, _E.id == _D.lead_event_id)


def words_missing(conn: Connection) -> list[int]:
    """The developments a new report might not find: a word of its lead report that is still rare
    (``RARE_BELOW``) has no ``development_words`` row, or is counted less often than the leads that
    have it. Empty when both tables are sound."""
    have = {(w, y, d) for w, y, d in conn.execute(select(_W.word, _W.year, _W.development_id))}
    counts: dict[tuple[int, int], int] = {}
    for w, y, n in conn.execute(select(_N.word, _N.year, _N.n)):
        counts[(w, y)] = counts.get((w, y), 0) + n
    leads_with: dict[tuple[int, int], int] = {}
    short = []
    for r in conn.execute(_ALL_LEADS):
        keys = _keys(r)
        for key in keys:
            leads_with[key] = leads_with.get(key, 0) + 1
        if any(counts.get(k, 0) < RARE_BELOW and (k[0], k[1], r.id) not in have for k in keys):
            short.append(r.id)
    short += [-1 for key, n in leads_with.items() if counts.get(key, 0) < n][:1]  # -1: a count is too low
    return short


def rebuild_words(conn: Connection) -> int:
    """Write ``development_words`` and their counts again from every development's lead report (to
    drop the rows of gone developments and former leads, or after a change of the word rules); the
    rows written."""
    conn.execute(delete(s.development_words))
    conn.execute(delete(s.development_word_counts))
    leads = conn.execute(_ALL_LEADS).all()
    keyed = [(r.id, _keys(r)) for r in leads]
    counts: dict[tuple[int, int], int] = {}
    for _dev, keys in keyed:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    rows = [(k[0], k[1], dev) for dev, keys in keyed for k in keys if counts[k] < RARE_BELOW]
    for start in range(0, len(rows), 20000):
        insert_rows(conn, s.development_words, ["word", "year", "development_id"], rows[start:start + 20000])
    _count_up(conn, counts)
    return len(rows)


_SHOWN = ["title", "summary", "date_start", "date_end", "date_precision", "status", "category", "lat", "lon",
          "lead_event_id", "n_events", "n_sources", "fatalities", "verification", "significance", "updated_at",
          "countries", "shown", "outcome_event_id", "tracker_status", "first_deadline", "indicator"]


def _new_developments(conn: Connection, groups: list[list], links_of) -> list[int]:
    """Insert one development per group of reports (stored or not), complete, with the words later
    reports find it by and its counts in the rollups; their ids in order. ``links_of(report, name)``:
    a report's countries, places or actors."""
    if not groups:
        return []
    now = _now()
    values = [_shown(rows, False, now, links_of) for rows in groups]
    ids = _insert_developments(conn, values)
    write_words(conn, [(dev, next(r for r in rows if r.id == v["lead_event_id"]))
                       for dev, rows, v in zip(ids, groups, values, strict=True)])
    changes = rollups.Changes()
    for dev, v in zip(ids, values, strict=True):
        changes.change(dev, None, v)
    changes.flush(conn)
    return ids


def _insert_developments(conn: Connection, values: list[dict]) -> list[int]:
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
    ids = _new_developments(conn, [[loose[k] for k in g] for g in groups], lambda r, name: links[name][r.id])
    _join(conn, [(loose[k].id, dev) for g, dev in zip(groups, ids, strict=True) for k in g])
    refresh(conn, touched | set(joins.values()))
    return touched | set(joins.values()) | set(ids)


def assign_records(conn: Connection, records: list) -> tuple[dict[str, int], set[int]]:
    """Developments for event records about to be inserted: ``(development of each event id, the
    stored developments they join)``. New developments are written here, complete; the caller
    inserts the events with their development and then refreshes the stored ones."""
    joins, groups = plan(conn, [reading_of_record(r) for r in records])
    ids = _new_developments(conn, [[records[k] for k in g] for g in groups], getattr)
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


def _first_deadline(report):
    """A report's first deadline as stored (a record not stored yet: as ``writes.first_deadline`` stores it)."""
    if isinstance(report, EventRecord):
        return (report.first_deadline or report.date_end) if report.status == "expected" else None
    return report.first_deadline


def _is_shown(row) -> bool:
    """The shown-confidence rule of :func:`dashboard.store.conditions.event_conditions`, for one report."""
    return row.verification != "machine" or row.confidence is None or row.confidence >= SHOWN_CONFIDENCE


def _civilian(report) -> bool:
    """Whether a report targeted civilians (ACLED's field; as the stored row's ``civilian`` reads it)."""
    if isinstance(report, EventRecord):
        return rollups.CIVILIAN_KEY in (report.attributes or "").lower()
    return bool(report.civilian)


def _numbers(report) -> tuple:
    """A GDELT row's QuadClass, GoldsteinScale and AvgTone (``None`` where it gives none)."""
    text_ = report.attributes if isinstance(report, EventRecord) else report.media_fields
    try:
        fields = json.loads(text_) if text_ else {}
    except ValueError:
        fields = {}
    if not isinstance(fields, dict):
        fields = {}

    def number(key):
        value = fields.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    return number("QuadClass"), number("GoldsteinScale"), number("AvgTone")


def _indicator(rows: list, lead, links_of) -> str | None:
    """``developments.indicator`` of these reports (``rollups.indicator_text``): the months count its
    reports other than GDELT's (GDELT's rows are the media signal, never the score)."""
    counted = []
    if lead.date_precision in rollups.MONTHLY:
        counted = [(_is_shown(r), links_of(r, "countries"), links_of(r, "places"), r.location, _civilian(r),
                    links_of(r, "actors")) for r in rows if r.dataset != "gdelt"]
    due = None
    if (lead.status == "expected" and lead.date_end is not None and lead.outcome_event_id is None
            and (lead.tracker_status or "") != "abandoned"):
        due = (_is_shown(lead), links_of(lead, "countries"), links_of(lead, "places"))
    media = [(r.date_start.isoformat()[:7], _is_shown(r), links_of(r, "countries"), links_of(r, "places"),
              *_numbers(r)) for r in rows if r.dataset == "gdelt" and r.date_start is not None]
    return rollups.indicator_text(counted, lead.category, due, media)


def _shown(rows: list, is_key: bool, now: datetime | None, links_of) -> dict:
    """What a development of these reports shows (stored rows or records: the same attributes);
    ``links_of(report, name)``: a report's countries, places or actors."""
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
        "countries": rollups.country_text(c for r in rows for c in links_of(r, "countries")),
        "outcome_event_id": lead.outcome_event_id, "tracker_status": lead.tracker_status,
        "first_deadline": _first_deadline(lead),
        "shown": any(_is_shown(r) for r in rows),
        "indicator": _indicator(rows, lead, links_of),
    }


def refresh(conn: Connection, development_ids, reword: bool = False) -> None:
    """Recompute what each development shows from its reports; a development left empty goes.
    ``reword``: a report's words or dates were edited, so store its lead's words even when the lead
    stays the same."""
    ids = sorted({d for d in development_ids if d is not None})
    if not ids:
        return
    d = s.developments.c
    keys: dict[int, bool] = {}
    leads: dict[int, str | None] = {}
    members: dict[int, list] = {i: [] for i in ids}
    old: dict[int, dict] = {}  # the facts each is counted under in the rollups (none before its first refresh)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for row in conn.execute(select(d.id, d.is_key, d.lead_event_id, *[d[k] for k in rollups.FACTS])
                                .where(d.id.in_(chunk))).mappings():
            keys[row["id"]], leads[row["id"]] = row["is_key"], row["lead_event_id"]
            if row["countries"] is not None:
                old[row["id"]] = {k: row[k] for k in rollups.FACTS}
        for row in conn.execute(select(*_FIELDS).where(_E.development_id.in_(chunk))):
            members[row.development_id].append(row)
    reports = [r for rows in members.values() for r in rows]
    links = event_links(conn, [r.id for r in reports], ("countries", "places"))
    # actors only count in the indicator's months, which GDELT's rows never reach
    links.update(event_links(conn, [r.id for r in reports if r.dataset != "gdelt"], ("actors",)))
    changes = rollups.Changes()
    empty = [i for i, rows in members.items() if not rows]
    for start in range(0, len(empty), 900):
        conn.execute(delete(s.developments).where(d.id.in_(empty[start:start + 900])))
    for dev in empty:
        changes.change(dev, old.get(dev), None)
    now = _now()
    values = [{"dev": dev_id, **_shown(rows, bool(keys.get(dev_id)), now, lambda r, name: links[name][r.id])}
              for dev_id, rows in members.items() if rows]
    for v in values:
        changes.change(v["dev"], old.get(v["dev"]), v)
    changes.flush(conn)
    if values:
        conn.execute(_REFRESH, values)
        # a new lead: its words too (a former lead's rows stay, harmless candidates)
        write_words(conn, [(v["dev"], next(r for r in members[v["dev"]] if r.id == v["lead_event_id"]))
                           for v in values if reword or v["lead_event_id"] != leads.get(v["dev"])])


_REFRESH = update(s.developments).where(s.developments.c.id == bindparam("dev")).values(
    {c: bindparam(c) for c in _SHOWN})


def fill_indicator(conn: Connection, batch: int = 20_000) -> int:
    """Set ``indicator`` of every development from its reports (a store made before it; migration
    0009). Returns the developments filled."""
    d = s.developments.c
    last, n = 0, 0
    while True:
        leads = dict(conn.execute(select(d.id, d.lead_event_id).where(d.id > last).order_by(d.id).limit(batch)).all())
        if not leads:
            return n
        lo, hi = min(leads), max(leads)
        members: dict[int, list] = {}
        for row in conn.execute(select(*_FIELDS).where(_E.development_id.between(lo, hi))):
            members.setdefault(row.development_id, []).append(row)
        links = event_links(conn, [r.id for rows in members.values() for r in rows], ("countries", "places", "actors"))

        def links_of(report, name, links=links):
            return links[name][report.id]

        values = []
        for dev, rows in members.items():
            lead = next((r for r in rows if r.id == leads.get(dev)), None)
            if lead is not None:
                values.append({"dev": dev, "indicator": _indicator(rows, lead, links_of)})
        if values:
            conn.execute(_SET_INDICATOR, values)
        n += len(leads)
        last = hi


_SET_INDICATOR = update(s.developments).where(s.developments.c.id == bindparam("dev")).values(
    indicator=bindparam("indicator"))
