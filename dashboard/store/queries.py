"""Read queries. Every filter is pushed down into SQL; callers get only the rows they show.

Functions take an engine and a :class:`~dashboard.filters.Filters` and return pandas frames or
plain dicts. No Streamlit here: caching lives in ``dashboard.ui.data``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

import pandas as pd
from sqlalchemy import (
    Engine,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from dashboard.filters import Filters
from dashboard.store import rollups, textsearch
from dashboard.store import schema as s
from dashboard.store.conditions import (
    article_conditions,
    development_conditions,
    event_conditions,
    fts_query,
    month_expr,
    ranked_articles,
)
from dashboard.store.engine import is_sqlite
from dashboard.store.links import LINK_NAMES, attach_links
from dashboard.store.tracker import expected_counts, expected_items, outcome_candidates  # noqa: F401  (the tracker's reads)
from dashboard.vocab import OVERDUE

EVENT_COLUMNS = [
    "id", "title", "summary", "date_start", "date_end", "date_precision", "date_text", "status",
    "category", "location", "lat", "lon", "geo_precision", "source_url", "source_name", "article_id",
    "evidence", "verification", "confidence", "imported_from", "review_flag", "outcome_event_id",
    "tracker_status", "first_deadline", "dataset", "source_id", "event_type", "sub_event_type", "fatalities",
    "num_sources", "attributes", "pending_version", "development_id", "cues",
]


# --- events -----------------------------------------------------------------------------------

def derive_status(status: str, date_end: date | None, today: date | None = None, *,
                  outcome_event_id: str | None = None, tracker_status: str | None = None) -> str:
    """``overdue`` when an expected development's deadline has passed with no recorded outcome (none
    linked, not abandoned), else the stored status."""
    today = today or date.today()
    if status == "expected" and date_end is not None and date_end < today and not outcome_event_id \
            and tracker_status != "abandoned":
        return OVERDUE
    return status


def _display_statuses(df: pd.DataFrame, today: date | None) -> list[str]:
    """``derive_status`` for every row of a frame with the status, date_end, outcome_event_id and
    tracker_status columns."""
    return [derive_status(st, de, today, outcome_event_id=o if isinstance(o, str) else None,
                          tracker_status=t if isinstance(t, str) else None)
            for st, de, o, t in zip(df["status"], df["date_end"], df["outcome_event_id"], df["tracker_status"],
                                    strict=True)]


def count_events(engine: Engine, f: Filters) -> int:
    """Number of events matching the filter."""
    stmt = select(func.count()).select_from(s.events).where(*event_conditions(engine, f))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def load_events(engine: Engine, f: Filters, limit: int = 5000, today: date | None = None) -> pd.DataFrame:
    """Events in the filter, newest first, with their countries, places, topics and actors as lists."""
    e = s.events.c
    stmt = (
        select(*[e[c] for c in EVENT_COLUMNS])
        .where(*event_conditions(engine, f))
        .order_by(e.date_start.desc().nulls_last(), e.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = attach_links(conn, [dict(r) for r in conn.execute(stmt).mappings()])
    df = pd.DataFrame(rows, columns=[*EVENT_COLUMNS, *LINK_NAMES])
    df["display_status"] = _display_statuses(df, today)
    return df


DEVELOPMENT_COLUMNS = ["development_id", "n_events", "n_sources", "significance", "is_key", "grouping"]


def _matching_developments(engine: Engine, f: Filters):
    """The ids of the developments in the filter (:func:`~dashboard.store.conditions.development_conditions`)."""
    return select(s.developments.c.id).where(*development_conditions(engine, f))


def load_developments(engine: Engine, f: Filters, limit: int = 5000, today: date | None = None) -> pd.DataFrame:
    """Developments with a report in the filter, most significant first (ties: the newest).

    One row per development: its lead report's columns (``id`` is the lead event, so a click opens
    it) with its links, plus ``development_id``, ``n_events``, ``n_sources`` (independent sources),
    ``significance``, ``is_key`` and ``grouping`` ("machine" until an analyst settles it).
    """
    e, d = s.events.c, s.developments.c
    order = (d.significance.desc(), d.date_start.desc().nulls_last(), d.id)
    # the developments first, ordered and cut, then the lead reports of those alone (joined before
    # the cut, every development's wide lead row was read: no filter at 10k, 124 -> 25 ms)
    top = (select(d.id).where(*development_conditions(engine, f)).order_by(*order).limit(limit)
           .subquery("top"))
    stmt = (
        select(*[e[c] for c in EVENT_COLUMNS], d.n_events, d.n_sources, d.significance, d.is_key, d.grouping,
               d.countries.label("development_countries"))
        .select_from(top.join(s.developments, d.id == top.c.id).join(s.events, e.id == d.lead_event_id))
        .order_by(*order)
    )
    with engine.connect() as conn:
        rows = attach_links(conn, [dict(r) for r in conn.execute(stmt).mappings()])
    for row in rows:  # a development names the countries of all its reports (its lanes, its filter)
        if row["development_countries"] is not None:
            row["countries"] = row["development_countries"].split()
    df = pd.DataFrame(rows, columns=[*EVENT_COLUMNS, *DEVELOPMENT_COLUMNS[1:], *LINK_NAMES])
    df["display_status"] = _display_statuses(df, today)
    return df


def count_developments(engine: Engine, f: Filters) -> int:
    """Number of developments in the filter (from the rollups when they answer it)."""
    return development_totals(engine, f)[0]


def development_totals(engine: Engine, f: Filters) -> tuple[int, int]:
    """``(developments, their reports)`` in the filter: the reports are all those the developments
    hold (``n_events``). From the rollups when they answer the filter."""
    with engine.connect() as conn:
        if rollups.answers(f):
            return rollups.count(conn, f)
        n, reports = conn.execute(select(func.count(), func.coalesce(func.sum(s.developments.c.n_events), 0))
                                  .where(*development_conditions(engine, f))).one()
        return int(n), int(reports)


_EVENTS_BY_IDS = select(*[s.events.c[c] for c in EVENT_COLUMNS]).where(
    s.events.c.id.in_(bindparam("ids", expanding=True)))


def get_event(engine: Engine, event_id: str, today: date | None = None) -> dict | None:
    """One event with its links, or ``None``."""
    found = _events_by_ids(engine, [event_id], today)
    return found[0] if found else None


def event_counts_by(engine: Engine, f: Filters, level: str = "country", status: str | None = None) -> pd.DataFrame:
    """Events per country (``level="country"``) or per sub-national place (``level="place"``).

    Columns ``code`` and ``events``; with ``status`` ("expected", say) only events of that status
    are counted. With no event filter the link table alone is grouped (its index covers it);
    otherwise only the ids that pass the filter are joined.
    """
    table, col = (s.event_countries, "country") if level == "country" else (s.event_places, "place")
    conds = event_conditions(engine, f)
    if status is not None:
        conds.append(s.events.c.status == status)
    where = [table.c.event_id.in_(select(s.events.c.id).where(*conds))] if conds else []
    # Restrict the counts to the chosen countries/places so a multi-country event does not colour others.
    if level == "country" and f.countries:
        where.append(table.c[col].in_(f.countries))
    if level == "place" and f.places:
        where.append(table.c[col].in_(f.places))
    stmt = (
        select(table.c[col].label("code"), func.count().label("events"))
        .where(*where)
        .group_by(table.c[col])
        .order_by(func.count().desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["code", "events"])


def development_counts_by(engine: Engine, f: Filters, level: str = "country") -> pd.DataFrame:
    """Developments per country or sub-national place (columns ``code`` and ``developments``): a
    development counts in each of its countries (the filter's, when it names some), and in each place
    its reports name. From the rollups when they answer the filter."""
    chosen = f.countries if level == "country" else f.places
    with engine.connect() as conn:
        if level == "country" and rollups.answers(f):
            counts: dict[str, int] = {}
            for codes, n in rollups.country_sets(conn, f):
                for code in codes.split():
                    if not chosen or code in chosen:
                        counts[code] = counts.get(code, 0) + n
            rows = list(counts.items())
        elif level == "country":
            dc = s.development_countries.c
            stmt = (select(dc.country, func.count()).where(dc.development_id.in_(_matching_developments(engine, f)),
                                                           *([dc.country.in_(chosen)] if chosen else []))
                    .group_by(dc.country))
            rows = conn.execute(stmt).all()
        else:
            ep, e = s.event_places.c, s.events.c
            stmt = (select(ep.place, func.count(func.distinct(e.development_id)))
                    .join(s.events, e.id == ep.event_id)
                    .where(e.development_id.in_(_matching_developments(engine, f)),
                           *([ep.place.in_(chosen)] if chosen else []))
                    .group_by(ep.place))
            rows = conn.execute(stmt).all()
    return pd.DataFrame(sorted(rows, key=lambda r: -r[1]), columns=["code", "developments"])


def fatalities_by(engine: Engine, f: Filters, level: str = "country") -> pd.DataFrame:
    """Reported fatalities per country or sub-national place (columns ``code``, ``fatalities``),
    summed over the filter's events that count them (ACLED)."""
    table, col = (s.event_countries, "country") if level == "country" else (s.event_places, "place")
    e = s.events.c
    where = [e.fatalities > 0, *event_conditions(engine, f)]
    chosen = f.countries if level == "country" else f.places
    if chosen:
        where.append(table.c[col].in_(chosen))
    stmt = (
        select(table.c[col].label("code"), func.sum(e.fatalities).label("fatalities"))
        .join(s.events, e.id == table.c.event_id)
        .where(*where)
        .group_by(table.c[col])
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["code", "fatalities"])


def events_per_month(engine: Engine, f: Filters) -> pd.DataFrame:
    """Events per month, for the volume chart: only events dated to a day or a month, since a
    quarter- or year-precision event has no honest month."""
    month = month_expr(engine, s.events.c.date_start)
    stmt = (
        select(month.label("month"), func.count().label("events"))
        .where(*event_conditions(engine, f), s.events.c.date_precision.in_(["day", "month"]))
        .group_by(month)
        .order_by(month)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["month", "events"])


def developments_per_month(engine: Engine, f: Filters) -> pd.DataFrame:
    """Developments per month (columns ``month``, ``developments``), for the volume chart: only those
    dated within one month (a day, a week, a month), since a quarter or a year has no honest month.
    From the rollups when they answer the filter."""
    d = s.developments.c
    with engine.connect() as conn:
        if rollups.answers(f):
            rows = rollups.per_month(conn, f)
        else:
            month = month_expr(engine, d.date_start)
            stmt = (select(month, func.count())
                    .where(*development_conditions(engine, f), d.date_start.is_not(None),
                           or_(d.date_end.is_(None), month_expr(engine, d.date_end) == month))
                    .group_by(month).order_by(month))
            rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=["month", "developments"])


def articles_per_month(engine: Engine, f: Filters) -> pd.DataFrame:
    """Dated articles per month of publication, for the volume chart."""
    month = month_expr(engine, s.articles.c.published)
    stmt = (
        select(month.label("month"), func.count().label("articles"))
        .where(*article_conditions(engine, f), s.articles.c.published.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["month", "articles"])


# --- articles ---------------------------------------------------------------------------------

def _sort_newest(c):
    return (c.published.desc().nulls_last(), c.id.desc())


def _sort_oldest(c):
    return (c.published.asc().nulls_last(), c.id.asc())


def _sort_title(c):
    return (c.title.asc(), c.id.asc())


#: The orders of the article list, on any columns named as the articles' (the table, or a page of it).
_SORTS = {"newest": _sort_newest, "oldest": _sort_oldest, "title": _sort_title}
ARTICLE_SORTS = {name: order(s.articles.c) for name, order in _SORTS.items()}


def count_articles(engine: Engine, f: Filters) -> int:
    """Number of articles matching the filter."""
    stmt = select(func.count()).select_from(s.articles).where(*article_conditions(engine, f))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def _with_country_tags(page, cols: tuple[str, ...], order):
    """One statement for a page of articles and their country tags: ``page`` (a subquery holding
    ``cols``) joined to each article's country tags, a row per article and tag (one with no tag for an
    article without), the articles in ``order`` (of the page's columns), each one's tags primary
    first, then by mentions. (A second query for the tags of the page's ids cost as much as the
    search itself at 10k: its own round trip and an expanding IN list rendered every time.)"""
    t = s.article_tags.c
    return (
        select(*[page.c[c] for c in cols], t.value, t.is_primary)
        .select_from(page.outerjoin(s.article_tags, and_(t.article_id == page.c.id, t.kind == "country")))
        .order_by(*order(page.c), t.is_primary.desc(), t.mentions.desc(), t.value)
    )


def _by_rank(c):
    return (c.rank, c.id)


@lru_cache(maxsize=4)
def _relevance_page(cols: tuple[str, ...]):
    """One page of a words-only search in FTS5's rank order, with its country tags (parameters:
    fts, limit, offset)."""
    ranked = ranked_articles(paged=True)
    a = s.articles.c
    page = select(*[a[c] for c in cols], ranked.c.rank).select_from(ranked.join(s.articles, a.id == ranked.c.id))
    return _with_country_tags(page.subquery("page"), cols, _by_rank)


def load_articles(
    engine: Engine, f: Filters, limit: int = 50, offset: int = 0, sort: str = "newest", with_body: bool = False
) -> pd.DataFrame:
    """One page of articles with their primary and other country tags.

    ``sort`` is "newest", "oldest", "title" or "relevance" (BM25 rank of the text search, the same
    on SQLite and PostgreSQL). Bodies are included only when ``with_body`` is true.
    """
    a = s.articles.c
    cols = ("id", "title", "outlet", "published", "language", "url", "word_count") + (("body",) if with_body else ())
    q = fts_query(f.text) if f.text.strip() else None
    params: dict = {}
    if sort == "relevance" and q and not is_sqlite(engine) and not textsearch.query_words(f.text):
        q = None  # no letters or digits PostgreSQL indexes: nothing matches (article_conditions says so)
    if sort == "relevance" and q:
        # The ranked subquery is the text condition: the search runs once, not twice.
        others = [] if f.with_(text="") == Filters() else article_conditions(engine, f.with_(text=""))
        if is_sqlite(engine) and not others and limit is not None:
            # words and nothing else: FTS5 ranks, sorts and cuts the page itself; the statement is
            # built once per column set and only its parameters change
            stmt = _relevance_page(cols)
            params = {"fts": q, "limit": limit, "offset": offset}
        else:  # other conditions too, or PostgreSQL (the same BM25 rank, from its own index)
            ranked = textsearch.ranked_articles(engine, f.text) if not is_sqlite(engine) else ranked_articles(q)
            page = (select(*[a[c] for c in cols], ranked.c.rank)
                    .select_from(ranked.join(s.articles, a.id == ranked.c.id))
                    .where(*others).order_by(ranked.c.rank, ranked.c.id))
            stmt = _with_country_tags(_cut(page, limit, offset), cols, _by_rank)
    else:
        order = _SORTS.get(sort, _sort_newest)
        page = select(*[a[c] for c in cols]).where(*article_conditions(engine, f)).order_by(*order(a))
        stmt = _with_country_tags(_cut(page, limit, offset), cols, order)
    n = len(cols)
    data: dict[str, list] = {c: [] for c in cols}
    countries: list[list[str]] = []
    primary: list[list[str]] = []
    last = None
    with engine.connect() as conn:
        # the rows of one article are consecutive (every order ends with the id): one row starts it,
        # each row adds a tag; columns built as lists and the frame made once (a frame from row
        # mappings, then two added columns, cost more than the search itself on a small store)
        for row in conn.execute(stmt, params):
            if row[0] != last or not countries:
                last = row[0]
                for c, v in zip(cols, row, strict=False):
                    data[c].append(v)
                countries.append([])
                primary.append([])
            if row[n] is not None:
                countries[-1].append(row[n])
                if row[n + 1]:
                    primary[-1].append(row[n])
    if not countries:
        return pd.DataFrame(columns=[*cols, "countries", "primary_countries"])  # object columns, as before
    data["countries"] = countries
    data["primary_countries"] = primary
    return pd.DataFrame(data)  # (the dict is in column order: naming the columns again costs a third more)


def _cut(page, limit: int | None, offset: int):
    """``page`` as a subquery of at most ``limit`` rows from ``offset`` (all of them when ``limit`` is None)."""
    return (page.limit(limit).offset(offset) if limit is not None else page).subquery("page")


def get_article(engine: Engine, article_id: int, today: date | None = None) -> dict | None:
    """One article with its full text, tags and events, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(select(s.articles).where(s.articles.c.id == article_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        t = s.article_tags.c
        out["tags"] = [
            dict(r)
            for r in conn.execute(
                select(s.article_tags)
                .where(t.article_id == article_id)
                .order_by(t.kind, t.is_primary.desc(), t.mentions.desc(), t.value)
            ).mappings()
        ]
        event_ids = list(
            conn.execute(
                select(s.events.c.id)
                .where(s.events.c.article_id == article_id)
                .order_by(s.events.c.evidence_start.nulls_last(), s.events.c.id)
            ).scalars()
        )
        links = s.article_links.c
        out["near_duplicates"] = [
            dict(r)
            for r in conn.execute(
                select(s.articles.c.id, s.articles.c.title, s.articles.c.outlet, s.articles.c.url, links.shared_bands)
                .join(s.articles, s.articles.c.id == links.other_id)
                .where(links.article_id == article_id, links.kind == "near-duplicate")
                .order_by(links.shared_bands.desc(), s.articles.c.id)
            ).mappings()
        ]
    out["events"] = _events_by_ids(engine, event_ids, today)
    return out


# --- facets -----------------------------------------------------------------------------------

def facet_options(engine: Engine) -> dict[str, list[str]]:
    """Countries, places, topics, datasets and event types that occur in the data, for the filter's choices."""
    with engine.connect() as conn:
        datasets = set(conn.execute(select(s.events.c.dataset).distinct()).scalars())
        event_types = set(conn.execute(select(s.events.c.event_type).distinct()).scalars())
        countries = set(conn.execute(select(s.event_countries.c.country).distinct()).scalars())
        places = set(conn.execute(select(s.event_places.c.place).distinct()).scalars())
        topics = set(conn.execute(select(s.events.c.category).distinct()).scalars())
        topics |= set(conn.execute(select(s.event_topics.c.topic).distinct()).scalars())
        t = s.article_tags.c
        for kind, value in conn.execute(
            select(t.kind, t.value).where(t.kind.in_(["country", "place", "topic"])).distinct()
        ):
            {"country": countries, "place": places, "topic": topics}[kind].add(value)
    return {
        "countries": sorted(c for c in countries if c),
        "places": sorted(p for p in places if p),
        "topics": sorted(t for t in topics if t),
        "datasets": sorted(d for d in datasets if d),
        "event_types": sorted(t for t in event_types if t),
    }


def date_bounds(engine: Engine) -> tuple[date | None, date | None]:
    """Earliest and latest date in events and articles."""
    with engine.connect() as conn:
        lo = conn.execute(select(func.min(s.events.c.date_start))).scalar()
        hi = conn.execute(select(func.max(s.events.c.date_end))).scalar()
        alo = conn.execute(select(func.min(s.articles.c.published))).scalar()
        ahi = conn.execute(select(func.max(s.articles.c.published))).scalar()
    lows = [d for d in (lo, alo) if d]
    highs = [d for d in (hi, ahi) if d]
    return (min(lows) if lows else None, max(highs) if highs else None)


def revision(engine: Engine) -> int:
    """The store's revision: it advances with every write made through the library (one key lookup)."""
    with engine.connect() as conn:
        value = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "revision")).scalar()
    return int(value) if value is not None else 0


def totals(engine: Engine) -> dict[str, int]:
    """Row counts for status lines and empty states: articles, the events an empty filter shows
    (low-confidence machine events hidden), and every stored event."""
    with engine.connect() as conn:
        return {
            "articles": int(conn.execute(select(func.count()).select_from(s.articles)).scalar() or 0),
            "events": int(conn.execute(select(func.count()).select_from(s.events)
                                       .where(*event_conditions(engine, Filters()))).scalar() or 0),
            "events_stored": int(conn.execute(select(func.count()).select_from(s.events)).scalar() or 0),
        }


# --- full exports (no row cap) ----------------------------------------------------------------

def _stream_ids(engine: Engine, stmt, batch: int):
    """Run one ordered id query and yield its ids in lists of ``batch`` (linear, unlike OFFSET paging)."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=batch).execute(stmt)
        for part in result.scalars().partitions(batch):
            yield list(part)


def iter_events(engine: Engine, f: Filters, batch: int = 5000, today: date | None = None):
    """Every event in the filter, newest first, as dicts (streamed in batches of ``batch``)."""
    e = s.events.c
    stmt = select(e.id).where(*event_conditions(engine, f)).order_by(e.date_start.desc().nulls_last(), e.id)
    for ids in _stream_ids(engine, stmt, batch):
        yield from _events_by_ids(engine, ids, today)


def _events_by_ids(engine: Engine, ids: list[str], today: date | None) -> list[dict]:
    """The events ``ids`` with their links, in the order given (ids not stored are left out)."""
    with engine.connect() as conn:
        rows = {r["id"]: dict(r) for r in conn.execute(_EVENTS_BY_IDS, {"ids": ids}).mappings()}
        attach_links(conn, list(rows.values()))
    out = [rows[i] for i in ids if i in rows]
    for row in out:
        row["display_status"] = derive_status(row["status"], row["date_end"], today,
                                              outcome_event_id=row["outcome_event_id"],
                                              tracker_status=row["tracker_status"])
    return out


def iter_articles(engine: Engine, f: Filters, batch: int = 1000):
    """Every article in the filter with body and tag lists, newest first, as dicts (streamed)."""
    a = s.articles.c
    cols = ["id", "url", "title", "outlet", "published", "language", "body", "word_count", "imported_from"]
    kinds = {"country": "countries", "organisation": "organisations", "person": "people", "topic": "topics",
             "place": "places"}
    stmt = select(a.id).where(*article_conditions(engine, f)).order_by(*ARTICLE_SORTS["newest"])
    for ids in _stream_ids(engine, stmt, batch):
        with engine.connect() as conn:
            by_id = {r["id"]: dict(r) for r in conn.execute(select(*[a[c] for c in cols]).where(a.id.in_(ids))).mappings()}
            for r in by_id.values():
                for name in kinds.values():
                    r[name] = []
                r["primary_countries"] = []
            t = s.article_tags.c
            for article_id, kind, value, is_primary in conn.execute(
                select(t.article_id, t.kind, t.value, t.is_primary)
                .where(t.article_id.in_(ids))
                .order_by(t.is_primary.desc(), t.mentions.desc(), t.value)
            ):
                if kind in kinds:
                    by_id[article_id][kinds[kind]].append(value)
                if kind == "country" and is_primary:
                    by_id[article_id]["primary_countries"].append(value)
        yield from (by_id[i] for i in ids)


# --- map aggregates ---------------------------------------------------------------------------

def article_counts_by(engine: Engine, f: Filters, level: str = "country") -> pd.DataFrame:
    """Articles per country tag (``level="country"``) or per place tag (``level="place"``)."""
    kind = "country" if level == "country" else "place"
    t = s.article_tags.c
    conds = article_conditions(engine, f)
    where = [t.article_id.in_(select(s.articles.c.id).where(*conds))] if conds else []
    stmt = (
        select(t.value.label("code"), func.count().label("articles"))
        .where(t.kind == kind, *where)
        .group_by(t.value)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["code", "articles"])


def event_points(engine: Engine, f: Filters, max_points: int = 2000, cell_degrees: float = 0.25,
                 today: date | None = None) -> tuple[pd.DataFrame, bool]:
    """Located events for the map, or grid cells counting them when there are more than ``max_points``.

    Returns ``(frame, aggregated)``. Points carry id, lat, lon, title, date fields, status and
    category; cells carry lat, lon (mean position), events and the most common category. The
    payload is bounded either way: at most ``max_points`` rows or one row per occupied cell.
    """
    e = s.events.c
    located = [e.lat.is_not(None), e.lon.is_not(None), *event_conditions(engine, f)]
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(s.events).where(*located)).scalar() or 0
        if n <= max_points:
            cols = ["id", "lat", "lon", "title", "date_start", "date_end", "date_precision", "status", "category",
                    "outcome_event_id", "tracker_status"]
            df = pd.DataFrame(conn.execute(select(*[e[c] for c in cols]).where(*located)).mappings().all(),
                              columns=cols)
            df["display_status"] = _display_statuses(df, today)
            return df, False
        row = func.floor(e.lat / cell_degrees)
        col = func.floor(e.lon / cell_degrees)
        stmt = (
            select(func.avg(e.lat).label("lat"), func.avg(e.lon).label("lon"), func.count().label("events"))
            .where(*located)
            .group_by(row, col)
        )
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["lat", "lon", "events"])
    return df, True


def development_points(engine: Engine, f: Filters, max_points: int = 2000, cell_degrees: float = 0.25,
                       today: date | None = None) -> tuple[pd.DataFrame, bool]:
    """Located developments for the map, or grid cells counting them when there are more than ``max_points``.

    Returns ``(frame, aggregated)``. Points carry id (the lead report, so a click opens it),
    development_id, lat, lon (of the best located report), title, date fields, status, category,
    n_events, n_sources and fatalities; cells carry lat, lon (mean position), developments, sources
    (their sum) and fatalities (their sum). At most ``max_points`` rows or one row per occupied cell.
    """
    d = s.developments.c
    located = [d.lat.is_not(None), d.lon.is_not(None), *development_conditions(engine, f)]
    cols = ["lat", "lon", "title", "date_start", "date_end", "date_precision", "status", "category",
            "n_events", "n_sources", "fatalities"]
    names = ["id", "development_id", *cols, "outcome_event_id", "tracker_status", "significance"]
    lead = s.events.c
    # One pass: the points themselves, one more than the cap (that one says "too many: cells").
    # Unordered, so the read stops at the cap's next row; drawn least significant first (Python).
    points = (select(d.lead_event_id.label("id"), d.id.label("development_id"), *[d[c] for c in cols],
                     lead.outcome_event_id, lead.tracker_status, d.significance)
              .join(s.events, lead.id == d.lead_event_id)
              .where(*located).limit(max_points + 1))
    cell_columns = ["lat", "lon", "developments", "sources", "fatalities"]
    counted = rollups.answers(f) and cell_degrees == rollups.CELL_DEGREES
    with engine.connect() as conn:
        # the rollup counts them first when it answers the filter: past the cap, the cells need no points
        if not counted or rollups.located(conn, f) <= max_points:
            rows = conn.execute(points).all()
            if len(rows) <= max_points:
                rows.sort(key=lambda r: (r.significance, r.development_id))  # the most significant drawn last, on top
                df = pd.DataFrame(rows, columns=names).drop(columns="significance")
                df["display_status"] = _display_statuses(df, today)
                return df, False
        if counted:
            return pd.DataFrame(rollups.cells(conn, f), columns=cell_columns), True
        row = func.floor(d.lat / cell_degrees)
        col = func.floor(d.lon / cell_degrees)
        stmt = (
            select(func.avg(d.lat).label("lat"), func.avg(d.lon).label("lon"), func.count().label("developments"),
                   func.sum(d.n_sources).label("sources"), func.coalesce(func.sum(d.fatalities), 0).label("fatalities"))
            .where(*located)
            .group_by(row, col)
        )
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=cell_columns)
    return df, True


def attributed_datasets(engine: Engine, f: Filters) -> list[tuple[str, date | None]]:
    """The datasets whose terms ask for attribution (ACLED, GDELT) that have events in the filter,
    each with the date of its newest row's own stamp (``None`` when the rows carry none)."""
    from dashboard.vocab import DATASET_ATTRIBUTION

    e = s.events.c
    conds = event_conditions(engine, f)
    out = []
    with engine.connect() as conn:
        for dataset in DATASET_ATTRIBUTION:  # one indexed probe each: stops at the first row
            if conn.execute(select(e.id).where(e.dataset == dataset).limit(1)).first() is None:
                continue  # none in the store at all (the usual case): no need to ask the filter
            if conn.execute(select(e.id).where(e.dataset == dataset, *conds).limit(1)).first() is None:
                continue
            stamp = conn.execute(select(func.max(e.source_updated)).where(e.dataset == dataset)).scalar()
            out.append((dataset, datetime.fromtimestamp(stamp, UTC).date() if stamp else None))
    return out


def iter_developments(engine: Engine, f: Filters, batch: int = 1000, today: date | None = None):
    """Every development with a report in the filter, most significant first, each with its reports'
    ids and sources (streamed in batches of ``batch``)."""
    d, e = s.developments.c, s.events.c
    stmt = (select(d.id).where(*development_conditions(engine, f))
            .order_by(d.significance.desc(), d.date_start.desc().nulls_last(), d.id))
    for ids in _stream_ids(engine, stmt, batch):
        with engine.connect() as conn:
            rows = {r["id"]: dict(r) for r in conn.execute(select(s.developments).where(d.id.in_(ids))).mappings()}
            for row in rows.values():
                row.update(report_ids=[], sources=[], datasets=[])
            for dev, event_id, name, url, dataset in conn.execute(
                select(e.development_id, e.id, e.source_name, e.source_url, e.dataset)
                .where(e.development_id.in_(ids)).order_by(e.development_id, e.id)
            ):
                rows[dev]["report_ids"].append(event_id)
                source = " ".join(x for x in (name, f"<{url}>" if url else None) if x)
                if source and source not in rows[dev]["sources"]:
                    rows[dev]["sources"].append(source)
                if dataset not in rows[dev]["datasets"]:
                    rows[dev]["datasets"].append(dataset)
            lead_ids = [r["lead_event_id"] for r in rows.values() if r["lead_event_id"]]
            leads = attach_links(conn, [dict(x) for x in conn.execute(
                select(e.id, e.outcome_event_id, e.tracker_status).where(e.id.in_(lead_ids))).mappings()],
                ("countries", "places"))
        by_lead = {x["id"]: x for x in leads}
        for dev_id in ids:
            row = rows[dev_id]
            row["development_id"] = row.pop("id")
            lead = by_lead.get(row["lead_event_id"], {})
            row["countries"], row["places"] = lead.get("countries", []), lead.get("places", [])
            row["display_status"] = derive_status(row["status"], row["date_end"], today,
                                                  outcome_event_id=lead.get("outcome_event_id"),
                                                  tracker_status=lead.get("tracker_status"))
            yield row
