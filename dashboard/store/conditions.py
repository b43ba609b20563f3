"""The shared filter as SQL: WHERE conditions for events and articles, and the ranked text search.

Every read query builds its filter from here, so a filter means the same rows on every page.
User text reaches FTS5 only through :func:`fts_query` (each word quoted), PostgreSQL only through
:mod:`dashboard.store.textsearch` (letters and digits in a bound parameter).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from sqlalchemy import (
    Engine,
    Float,
    Integer,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)

from dashboard.filters import Filters
from dashboard.store import schema as s
from dashboard.store import textsearch
from dashboard.store.engine import EVENTS_FTS, FTS_TABLE, is_sqlite
from dashboard.textnorm import search_terms
from dashboard.vocab import SHOWN_CONFIDENCE


def fts_query(user_text: str) -> str | None:
    """Turn anything a user types into a safe FTS5 query: each word quoted, all words required.

    Returns ``None`` when the text has no searchable word (only punctuation, say).
    """
    tokens = search_terms(user_text)
    if not tokens:
        return None
    return " ".join(f'"{tok}"' for tok in tokens)


def linked(table, col: str, values) -> object:
    """The event has a link row with one of ``values``.

    An uncorrelated ``IN (SELECT event_id ...)`` on an alias: the link table's (value, event_id)
    index answers the subquery once, where a correlated EXISTS probed it for every event
    (3.7x slower at 100k articles).
    """
    link = table.alias()
    return s.events.c.id.in_(select(link.c.event_id).where(link.c[col].in_(values)))


def date_conditions(f: Filters, *, start, end) -> list:
    """Items whose period [start, end] overlaps the filter's dates; undated ones unless hidden."""
    dated = []
    if f.date_from:
        dated.append(end >= f.date_from)
    if f.date_to:
        dated.append(start <= f.date_to)
    if dated:
        cond = and_(*dated)
        return [or_(cond, start.is_(None)) if f.include_undated else cond]
    return [] if f.include_undated else [start.is_not(None)]


def event_conditions(engine: Engine, f: Filters) -> list:
    """WHERE conditions on ``events`` for the filter (countries, places, topics, dates, words)."""
    e = s.events.c
    conds = []
    if f.countries:
        conds.append(linked(s.event_countries, "country", f.countries))
    if f.places:
        conds.append(linked(s.event_places, "place", f.places))
    if f.topics:
        conds.append(or_(e.category.in_(f.topics), linked(s.event_topics, "topic", f.topics)))
    conds.extend(date_conditions(f, start=e.date_start, end=e.date_end))
    if not f.include_low_confidence:  # machine guesses under the shown confidence stay hidden
        conds.append(or_(e.verification != "machine", e.confidence.is_(None), e.confidence >= SHOWN_CONFIDENCE))
    if f.exclude_machine:
        conds.append(e.verification != "machine")
    if f.datasets:
        conds.append(e.dataset.in_(f.datasets))
    if f.event_types:
        conds.append(e.event_type.in_(f.event_types))
    if f.min_fatalities:
        conds.append(e.fatalities >= f.min_fatalities)
    if f.min_sources and f.min_sources > 1:  # an event that does not count its sources has one
        conds.append(func.coalesce(e.num_sources, 1) >= f.min_sources)
    if f.text.strip():
        q = fts_query(f.text)
        if q is None:
            conds.append(literal(False))
        elif is_sqlite(engine):  # the events' own FTS5 index: the same whole-word matching as articles
            fts = table(EVENTS_FTS)
            conds.append(literal_column("events.rowid").in_(
                select(literal_column("rowid")).select_from(fts).where(literal_column(EVENTS_FTS).op("MATCH")(q))))
        else:  # PostgreSQL: the same words in the GIN index of the same normalised text
            words = textsearch.query_words(f.text)
            conds.append(textsearch.event_match(words) if words else literal(False))
    return conds


def report_facets(f: Filters) -> Filters | None:
    """What of ``f`` only a development's reports can answer (words, places, topics, datasets, types,
    fatalities, sources, machine readings), as a filter of reports; ``None`` when there is none."""
    if not (f.places or f.topics or f.text.strip() or f.datasets or f.event_types or f.min_fatalities
            or (f.min_sources and f.min_sources > 1) or f.exclude_machine):
        return None
    return replace(f, countries=(), date_from=None, date_to=None, include_undated=True)


def development_conditions(engine: Engine, f: Filters) -> list:
    """WHERE conditions on ``developments`` for the filter. A development is in it when its own period
    (its lead report's, where it is drawn) meets the dates, one of the countries its reports name is
    asked for, one of its reports passes the confidence rule, and, for what only reports carry
    (words, places, topics, datasets and the rest), one of its reports matches those."""
    d = s.developments.c
    facets = report_facets(f)
    conds = []
    if f.countries:  # the narrow index of each development under each of its countries, with its period
        dc = s.development_countries.c
        chosen = [dc.country.in_(f.countries), *date_conditions(f, start=dc.date_start, end=dc.date_end)]
        if not f.include_low_confidence:
            chosen.append(dc.shown == true())
        conds.append(d.id.in_(select(dc.development_id).where(*chosen)))
    else:
        conds.extend(date_conditions(f, start=d.date_start, end=d.date_end))
    if facets is not None:  # the reports that match (a shown one among them: the development is shown)
        e = s.events.c
        conds.append(d.id.in_(select(e.development_id).where(e.development_id.is_not(None),
                                                             *event_conditions(engine, facets))))
    elif not (f.include_low_confidence or f.countries):  # (the country rows carry it)
        conds.append(d.shown == true())
    return conds


def article_conditions(engine: Engine, f: Filters) -> list:
    """WHERE conditions on ``articles`` for the filter (tags, publication date, words)."""
    a = s.articles.c
    t = s.article_tags.alias().c
    conds = []
    for kind, values in (("country", f.countries), ("place", f.places), ("topic", f.topics)):
        if values:
            conds.append(exists().where(t.article_id == a.id, t.kind == kind, t.value.in_(values)))
    conds.extend(date_conditions(f, start=a.published, end=a.published))
    if f.text.strip():
        q = fts_query(f.text)
        if q is None:
            conds.append(literal(False))
        elif is_sqlite(engine):
            conds.append(a.id.in_(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts").bindparams(fts=q)))
        else:  # PostgreSQL: the same words in the GIN index of the same normalised title and body
            words = textsearch.query_words(f.text)
            conds.append(a.id.in_(textsearch.article_ids(words)) if words else literal(False))
    return conds


def ranked_articles(q: str | None = None, *, paged: bool = False):
    """Articles matching the FTS5 query ``q`` with their BM25 rank, as a subquery (``id``, ``rank``).

    The one ranked search of the store. ``q=None`` leaves the query as the execution parameter
    ``fts`` (for statements built once). ``paged``: FTS5 sorts by rank and cuts the page itself
    (parameters ``limit`` and ``offset``), which is fastest when the words are the whole filter.
    """
    clause = _ranked(paged)
    return (clause if q is None else clause.bindparams(fts=q)).subquery("ranked")


@lru_cache(maxsize=2)
def _ranked(paged: bool):
    sql = f"SELECT rowid AS id, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts"
    if paged:
        sql += " ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
    return text(sql).columns(id=Integer, rank=Float)


def month_expr(engine: Engine, column):
    """``YYYY-MM`` of a date column, in SQL."""
    if is_sqlite(engine):
        # SQLite holds dates as ISO text ('YYYY-MM-DD'): the first seven characters are the month,
        # and cutting them costs less than strftime's parse (0.08 s against 0.13 s at 1.3 M events)
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")
