"""Developments counted ahead: per country set, months of their period, category and map cell.

A page that counts the developments of a filter (the header, the timeline's density band, the map's
grid) would otherwise read every development the filter holds: a million rows at 100k articles.
When the filter is only countries, whole months and the confidence switch (:func:`answers`), these
tables answer instead, in a few thousand rows whatever the store's size:

- ``development_months``: developments per (countries, first month, last month, shown, category);
- ``development_cells``: located developments per (countries, months, shown, map cell of 0.25°),
  with the sums of their positions, sources and fatalities (the grid's mean position and sizes);
- ``development_countries``: each development under each of its countries with its period, the
  narrow index a country filter reads (:func:`dashboard.store.conditions.development_conditions`).

The stability indicator's inputs are counted the same way (:func:`indicator_text`, read by
``store.stability``): ``stability_months``, ``stability_values``, ``stability_due`` and
``stability_media`` per level, unit and month, from each development's ``indicator`` facts.

They are written in the transaction that writes the development (:class:`Changes`, from
``store.developments``): a development's old facts are taken away and its new ones added, as rows
of changes that are only ever added (two writers never wait on each other's counters, which on
PostgreSQL deadlocked) and summed when read; :func:`fold` replaces them by their sums.
:func:`rebuild` writes them all again from ``developments``; :func:`differences` compares.
"""

from __future__ import annotations

import calendar
import json
import math
from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, Engine, and_, delete, func, literal, or_, select, text, true
from sqlalchemy.exc import SQLAlchemyError

from dashboard.filters import Filters
from dashboard.indicator import CATEGORY_GROUPS
from dashboard.store import schema as s
from dashboard.store.bulk import insert_rows
from dashboard.store.conditions import report_facets
from dashboard.store.engine import is_busy

CELL_DEGREES = 0.25
#: the facts of a development the rollups and ``development_countries`` are made of
FACTS = ("countries", "date_start", "date_end", "category", "shown", "lat", "lon", "n_events", "n_sources",
         "fatalities", "indicator")
_MONTH_KEY = ("countries", "month_start", "month_end", "shown", "category")
_CELL_KEY = ("countries", "month_start", "month_end", "shown", "cell_row", "cell_col")
_MONTH_SUMS = ("n", "reports")
_CELL_SUMS = ("n", "lat_sum", "lon_sum", "sources", "fatalities")
_STAB_KEY = ("level", "unit", "month", "shown", "category")
_STAB_SUMS = ("n", "fatalities", "civilians")
_VALUE_KEY = ("level", "unit", "month", "shown", "kind", "value")
_VALUE_SUMS = ("n",)
_DUE_KEY = ("level", "unit", "deadline", "shown")
_MEDIA_KEY = ("level", "unit", "month", "shown")
_MEDIA_SUMS = ("n", "conflict", "goldstein_sum", "goldstein_n", "tone_sum", "tone_n")
#: the indicator's rollups: (table, key, sums) by the name ``_indicator_contribution`` gives them
_INDICATOR = {"months": (s.stability_months, _STAB_KEY, _STAB_SUMS),
              "values": (s.stability_values, _VALUE_KEY, _VALUE_SUMS),
              "due": (s.stability_due, _DUE_KEY, ("n",)),
              "media": (s.stability_media, _MEDIA_KEY, _MEDIA_SUMS)}
#: the dates precise enough for the indicator's months (a quarter or a year has no honest month)
MONTHLY = ("day", "week", "month")
#: ACLED's civilian-targeting field as its JSON fields hold it, kept only when given (with or without a
#: space after the colon): a report with it targeted civilians
CIVILIAN_KEY = '"civilian_targeting":'
#: fold the change rows once a process has added this many since its last fold
FOLD_AFTER = 200_000


def country_text(codes) -> str:
    """``developments.countries`` of a set of country codes: in order, space-separated."""
    return " ".join(sorted({c for c in codes if c}))


def _month(d: date | None) -> str:
    return d.isoformat()[:7] if d else ""


def _contribution(facts: dict) -> tuple[tuple, tuple | None, tuple]:
    """(months key, cell key or None, cell sums) of one development's facts (its months sums: one
    development, ``n_events`` reports)."""
    ms, me = _month(facts["date_start"]), _month(facts["date_end"])
    shown = bool(facts["shown"])
    key = (facts["countries"], ms, me, shown, facts["category"] or "")
    if facts["lat"] is None or facts["lon"] is None:
        return key, None, ()
    cell = (facts["countries"], ms, me, shown, math.floor(facts["lat"] / CELL_DEGREES),
            math.floor(facts["lon"] / CELL_DEGREES))
    return key, cell, (1, facts["lat"], facts["lon"], facts["n_sources"] or 1, facts["fatalities"] or 0)


def indicator_text(counted, category: str | None, due=None, media=()) -> str | None:
    """``developments.indicator``: what one development adds to the stability indicator, as JSON.

    ``counted``: its reports other than GDELT's when it is dated to a month or finer, each as
    ``(shown, countries, places, location, civilian, actors)``. For those that pass the
    shown-confidence rule ("shown") and, when they differ, for all of them ("all"): at each level
    ("country", "place") each unit they name, with ``[civilians targeted (0/1), locations, actors]``
    (actors of security incidents only). ``due``: ``(shown, countries, places)`` of its lead when it is
    an expected development with a deadline, no outcome and not abandoned (it falls overdue once the
    deadline passes). ``media``: its GDELT rows, each ``(month, shown, countries, places, QuadClass,
    GoldsteinScale, AvgTone)``. ``None`` when it adds nothing."""
    security = (category or "") in CATEGORY_GROUPS["security"]

    def units(chosen) -> dict:
        out: dict = {}
        for _shown, countries, places, location, civilian, actors in chosen:
            for level, codes in (("country", countries), ("place", places)):
                for code in codes:
                    if not code:
                        continue
                    entry = out.setdefault(level, {}).setdefault(code, [0, set(), set()])
                    entry[0] = entry[0] or int(bool(civilian))
                    if location:
                        entry[1].add(location)
                    if security:
                        entry[2].update(a for a in actors if a)
        return {level: {u: [c, sorted(locs), sorted(acts)] for u, (c, locs, acts) in sorted(us.items())}
                for level, us in sorted(out.items())}

    facts: dict = {}
    every = units(counted)
    if every:
        shown = units([r for r in counted if r[0]])
        facts["shown"] = shown
        if shown != every:
            facts["all"] = every
    if due is not None and (due[1] or due[2]):
        facts["due"] = [int(bool(due[0])), sorted(set(due[1])), sorted(set(due[2]))]
    rows = sorted([m, int(bool(sh)), sorted(set(cs)), sorted(set(ps)), q, g, tone]
                  for m, sh, cs, ps, q, g, tone in media if cs or ps)
    if rows:
        facts["media"] = rows
    if not facts:
        return None
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _indicator_contribution(facts: dict):
    """``(table, key, sign, sums)`` of the indicator's rollups that one development's facts add: its
    "shown" units under shown and what "all" adds to them under not shown (``stability_months``,
    ``stability_values``); its deadline (``stability_due``); its GDELT rows (``stability_media``)."""
    text_ = facts.get("indicator")
    if not text_:
        return
    parsed = json.loads(text_)
    if "shown" in parsed and facts["date_start"]:
        month, category, fatalities = _month(facts["date_start"]), facts["category"] or "", facts["fatalities"] or 0
        modes = [(True, parsed["shown"], 1)]
        if "all" in parsed:
            modes += [(False, parsed["all"], 1), (False, parsed["shown"], -1)]
        for shown, levels, sign in modes:
            for level, units in levels.items():
                for unit, (civilian, locations, actors) in units.items():
                    yield "months", (level, unit, month, shown, category), sign, (1, fatalities, civilian)
                    for value in locations:
                        yield "values", (level, unit, month, shown, "place", value), sign, (1,)
                    for value in actors:
                        yield "values", (level, unit, month, shown, "actor", value), sign, (1,)
    if "due" in parsed and facts["date_end"]:
        shown, countries, places = parsed["due"]
        for level, codes in (("country", countries), ("place", places)):
            for unit in codes:
                yield "due", (level, unit, facts["date_end"], bool(shown)), 1, (1,)
    for month, shown, countries, places, quad, goldstein, tone in parsed.get("media", ()):
        sums = (1, int(quad is not None and quad >= 3), goldstein or 0.0, int(goldstein is not None), tone or 0.0,
                int(tone is not None))
        for level, codes in (("country", countries), ("place", places)):
            for unit in codes:
                yield "media", (level, unit, month, bool(shown)), 1, sums


class Changes:
    """What one write does to the rollups: each development's old facts out, its new ones in.
    ``flush`` writes the changes (one row per key touched) and the developments' country rows."""

    added_since_fold = 0  # per process: rows added since this process last folded

    def __init__(self) -> None:
        self.months: dict[tuple, list] = {}
        self.cells: dict[tuple, list] = {}
        self.indicator: dict[str, dict[tuple, list]] = {name: {} for name in _INDICATOR}  # stability_*
        self.gone: set[int] = set()  # developments whose country rows go
        self.new: dict[int, dict] = {}  # developments whose country rows are (re)written

    def _add(self, facts: dict, sign: int) -> None:
        key, cell, sums = _contribution(facts)
        acc = self.months.setdefault(key, [0, 0])
        acc[0] += sign
        acc[1] += sign * (facts["n_events"] or 1)
        if cell is not None:
            acc = self.cells.setdefault(cell, [0, 0.0, 0.0, 0, 0])
            for i, v in enumerate(sums):
                acc[i] += sign * v
        for name, key, s_, sums in _indicator_contribution(facts):
            acc = self.indicator[name].setdefault(key, [0] * len(sums))
            for i, v in enumerate(sums):
                acc[i] += sign * s_ * v

    def change(self, dev: int, old: dict | None, new: dict | None) -> None:
        """Development ``dev`` had ``old`` facts (``None``: not counted) and now has ``new`` (``None``: gone)."""
        if old is not None and new is not None and all(old[k] == new[k] for k in FACTS):
            return
        if old is not None:  # its country rows go (a new development has none yet)
            self._add(old, -1)
            self.gone.add(dev)
        if new is not None:
            self._add(new, +1)
            self.new[dev] = new
        else:
            self.new.pop(dev, None)

    def flush(self, conn: Connection) -> None:
        months = [(*k, *v) for k, v in self.months.items() if any(v)]
        cells = [(*k, *v) for k, v in self.cells.items() if any(v)]
        if months:
            insert_rows(conn, s.development_months, [*_MONTH_KEY, *_MONTH_SUMS], months)
        if cells:
            insert_rows(conn, s.development_cells, [*_CELL_KEY, *_CELL_SUMS], cells)
        indicator = 0
        for name, (table, key, sums) in _INDICATOR.items():
            rows = [(*k, *v) for k, v in self.indicator[name].items() if any(v)]
            if rows:
                insert_rows(conn, table, [*key, *sums], rows)
            indicator += len(rows)
        gone = sorted(self.gone)
        dc = s.development_countries
        for start in range(0, len(gone), 900):
            conn.execute(delete(dc).where(dc.c.development_id.in_(gone[start:start + 900])))
        rows = [(c, f["date_start"], f["date_end"], bool(f["shown"]), dev)
                for dev, f in sorted(self.new.items()) for c in f["countries"].split()]
        if rows:
            insert_rows(conn, dc, ["country", "date_start", "date_end", "shown", "development_id"], rows)
        Changes.added_since_fold += len(months) + len(cells) + indicator
        for acc in (self.months, self.cells, *self.indicator.values(), self.gone, self.new):
            acc.clear()


# --- folding and rebuilding ---------------------------------------------------------------------

_TABLES = ((s.development_months, _MONTH_KEY, _MONTH_SUMS), (s.development_cells, _CELL_KEY, _CELL_SUMS),
           *_INDICATOR.values())

def _lock(conn: Connection, table) -> None:
    if conn.dialect.name == "postgresql":  # writers append while it waits; none is folded twice
        conn.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))


def _summed(conn: Connection, table, key: tuple, sums: tuple) -> list[tuple]:
    c = table.c
    stmt = select(*[c[k] for k in key], *[func.sum(c[v]) for v in sums]).group_by(*[c[k] for k in key])
    return [tuple(r) for r in conn.execute(stmt) if any(r[len(key):])]


def fold(conn: Connection) -> None:
    """Replace the change rows by one row per key (their sums); keys summing to nothing go."""
    for table, key, sums in _TABLES:
        _lock(conn, table)
        rows = _summed(conn, table, key, sums)
        conn.execute(delete(table))
        if rows:
            insert_rows(conn, table, [*key, *sums], rows)
    Changes.added_since_fold = 0


def fold_if_grown(engine: Engine) -> None:
    """Fold, in a transaction of its own, once this process has added ``FOLD_AFTER`` change rows
    since it last folded (a busy store is left for the next time: the rows are right unfolded too)."""
    if Changes.added_since_fold < FOLD_AFTER:
        return
    try:
        with engine.begin() as conn:
            fold(conn)
    except SQLAlchemyError as exc:
        if not is_busy(exc):
            raise


def _all_facts(conn: Connection, batch: int = 50_000):
    d = s.developments.c
    last = 0
    while True:
        rows = conn.execute(select(d.id, *[d[k] for k in FACTS]).where(d.id > last, d.countries.is_not(None))
                            .order_by(d.id).limit(batch)).mappings().all()
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def rebuild(conn: Connection) -> int:
    """Write the three tables again from ``developments`` (every development with its facts set).
    Returns the developments counted."""
    for table in (*(t for t, _k, _s in _TABLES), s.development_countries):
        _lock(conn, table)
        conn.execute(delete(table))
    n = 0
    for rows in _all_facts(conn):
        changes = Changes()
        for row in rows:
            changes.change(row["id"], None, {k: row[k] for k in FACTS})
        changes.flush(conn)
        n += len(rows)
    fold(conn)
    return n


def fill_facts(conn: Connection, batch: int = 20_000) -> int:
    """Set ``countries`` and ``shown`` of every development from its reports (a store made before
    them; migration 0008). Returns the developments filled."""
    from dashboard.vocab import SHOWN_CONFIDENCE

    d, e, ec = s.developments.c, s.events.c, s.event_countries.c
    last, n = 0, 0
    while True:
        ids = list(conn.execute(select(d.id).where(d.id > last).order_by(d.id).limit(batch)).scalars())
        if not ids:
            return n
        lo, hi = ids[0], ids[-1]
        codes: dict[int, set] = defaultdict(set)
        for dev, code in conn.execute(select(e.development_id, ec.country).join(s.event_countries, ec.event_id == e.id)
                                      .where(e.development_id.between(lo, hi))):
            codes[dev].add(code)
        shown_rule = or_(e.verification != "machine", e.confidence.is_(None), e.confidence >= SHOWN_CONFIDENCE)
        shown = set(conn.execute(select(e.development_id).where(e.development_id.between(lo, hi), shown_rule)
                                 .distinct()).scalars())
        conn.execute(_SET_FACTS, [{"dev": i, "c": country_text(codes.get(i, ())), "sh": i in shown} for i in ids])
        n += len(ids)
        last = hi


_SET_FACTS = text("UPDATE developments SET countries = :c, shown = :sh WHERE id = :dev")


def differences(conn: Connection) -> list[str]:
    """How the stored rollups differ from what :func:`rebuild` would write (``[]``: equal)."""
    want = Changes()  # every development added once: what a rebuild would write
    want_dc: set[tuple] = set()
    for rows in _all_facts(conn):
        for row in rows:
            want._add(row, +1)
            for c in row["countries"].split():
                want_dc.add((c, row["date_start"], row["date_end"], bool(row["shown"]), row["id"]))
    want_m, want_c = want.months, want.cells
    out = []
    have_m = {(r[0], r[1], r[2], bool(r[3]), r[4]): list(r[5:])
              for r in _summed(conn, s.development_months, _MONTH_KEY, _MONTH_SUMS)}
    for key in sorted(set(want_m) | set(have_m), key=repr):
        if want_m.get(key, [0, 0]) != have_m.get(key, [0, 0]):
            out.append(f"development_months {key}: stored {have_m.get(key, [0, 0])} (developments, reports), "
                       f"from developments {want_m.get(key, [0, 0])}")
    have_c = {(r[0], r[1], r[2], bool(r[3]), r[4], r[5]): list(r[6:])
              for r in _summed(conn, s.development_cells, _CELL_KEY, _CELL_SUMS)}
    for key in sorted(set(want_c) | set(have_c), key=repr):
        a, b = have_c.get(key, [0, 0.0, 0.0, 0, 0]), want_c.get(key, [0, 0.0, 0.0, 0, 0])
        if a[0] != b[0] or a[3] != b[3] or a[4] != b[4] or abs(a[1] - b[1]) > 1e-6 or abs(a[2] - b[2]) > 1e-6:
            out.append(f"development_cells {key}: stored {a}, from developments {b}")
    for name, (table, key, sums) in _INDICATOR.items():
        shown_at = key.index("shown")
        have = {tuple(bool(v) if i == shown_at else v for i, v in enumerate(r[:len(key)])): list(r[len(key):])
                for r in _summed(conn, table, key, sums)}
        wanted = {k: v for k, v in want.indicator[name].items() if any(v)}
        zero = [0] * len(sums)
        for k in sorted(set(wanted) | set(have), key=repr):
            a, b = have.get(k, zero), wanted.get(k, zero)
            if any(abs(x - y) > 1e-6 for x, y in zip(a, b, strict=True)):
                out.append(f"{table.name} {k}: stored {a}, from developments {b}")
    dc = s.development_countries.c
    have_dc = {(r.country, r.date_start, r.date_end, bool(r.shown), r.development_id)
               for r in conn.execute(select(dc.country, dc.date_start, dc.date_end, dc.shown, dc.development_id))}
    for row in sorted(want_dc ^ have_dc, key=repr)[:20]:
        out.append(f"development_countries {row}: {'stored only' if row in have_dc else 'missing'}")
    return out


# --- reading ------------------------------------------------------------------------------------

def _whole_months(f: Filters) -> bool:
    if f.date_from and f.date_from.day != 1:
        return False
    return not (f.date_to and f.date_to.day != calendar.monthrange(f.date_to.year, f.date_to.month)[1])


def answers(f: Filters) -> bool:
    """Whether the rollups answer ``f``: nothing but countries, whole months and the switches for
    undated and low-confidence items (words, places, topics, datasets and the rest need the reports)."""
    return report_facets(f) is None and _whole_months(f)


def conditions(table, f: Filters) -> list:
    """WHERE conditions on a rollup table for ``f`` (one that :func:`answers`)."""
    c = table.c
    conds = []
    if f.countries:
        padded = literal(" ") + c.countries + literal(" ")
        conds.append(or_(*[padded.like(f"% {code} %") for code in dict.fromkeys(f.countries)]))
    dated = []
    if f.date_from:
        dated.append(c.month_end >= _month(f.date_from))  # "" (no end) is below every month
    if f.date_to:
        dated += [c.month_start != "", c.month_start <= _month(f.date_to)]
    if dated:
        conds.append(or_(and_(*dated), c.month_start == "") if f.include_undated else and_(*dated))
    elif not f.include_undated:
        conds.append(c.month_start != "")
    if not f.include_low_confidence:
        conds.append(c.shown == true())
    return conds


def count(conn: Connection, f: Filters) -> tuple[int, int]:
    """``(developments, their reports)`` in ``f`` (one that :func:`answers`)."""
    t = s.development_months
    n, reports = conn.execute(select(func.coalesce(func.sum(t.c.n), 0), func.coalesce(func.sum(t.c.reports), 0))
                              .where(*conditions(t, f))).one()
    return int(n), int(reports)


def month_rows(conn: Connection, f: Filters, by: str) -> list[tuple]:
    """``(countries or category, first month, developments)`` of the dated developments in ``f``."""
    t = s.development_months
    col = t.c.countries if by == "countries" else t.c.category
    stmt = (select(col, t.c.month_start, func.sum(t.c.n)).where(*conditions(t, f), t.c.month_start != "")
            .group_by(col, t.c.month_start))
    return [tuple(r) for r in conn.execute(stmt) if r[2]]


def per_month(conn: Connection, f: Filters) -> list[tuple[str, int]]:
    """``(month, developments)`` of the developments in ``f`` dated within one month."""
    t = s.development_months.c
    stmt = (select(t.month_start, func.sum(t.n))
            .where(*conditions(s.development_months, f), t.month_start != "",
                   or_(t.month_end == t.month_start, t.month_end == ""))
            .group_by(t.month_start).order_by(t.month_start))
    return [(m, int(n)) for m, n in conn.execute(stmt) if n]


def country_sets(conn: Connection, f: Filters) -> list[tuple[str, int]]:
    """``(countries, developments)`` per country set of the developments in ``f``."""
    t = s.development_months
    stmt = select(t.c.countries, func.sum(t.c.n)).where(*conditions(t, f)).group_by(t.c.countries)
    return [(c, int(n)) for c, n in conn.execute(stmt) if n]


def located(conn: Connection, f: Filters) -> int:
    """Located developments in ``f``."""
    t = s.development_cells
    return int(conn.execute(select(func.coalesce(func.sum(t.c.n), 0)).where(*conditions(t, f))).scalar())


def cells(conn: Connection, f: Filters) -> list[tuple]:
    """``(lat, lon, developments, sources, fatalities)`` per occupied map cell, the mean position of
    its developments, as the grid query over ``developments`` gives."""
    t = s.development_cells.c
    n = func.sum(t.n)
    stmt = (select(func.sum(t.lat_sum), func.sum(t.lon_sum), n, func.sum(t.sources), func.sum(t.fatalities))
            .where(*conditions(s.development_cells, f)).group_by(t.cell_row, t.cell_col))
    return [(lat / k, lon / k, k, src, fat) for lat, lon, k, src, fat in conn.execute(stmt) if k]
