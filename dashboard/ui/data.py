"""Cached access to the store for the pages (the Overview's own reads: ``ui/stability.py``; built
figures, shared across sessions: ``ui/shared_figures.py``).

Query results are cached per filter and per data version (row counts plus last update), so a
finished ingest shows up on the next rerun without a manual cache clear. Cached reads and exports
go to the read URL (a replica, when ``DASHBOARD_DB_READ_URL`` is set); writes to the primary.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import charts, settings
from dashboard.filters import Display, Filters
from dashboard.store import feeds, open_engine, queries, tracker
from dashboard.store.engine import SCHEMA_VERSION, QueryTimeout, SchemaMismatch, stored_schema_version
from dashboard.vocab import attribution_line


@st.cache_resource(show_spinner=False)
def _engine_for(url: str, time_limit: float | None = None, create: bool = True) -> Engine:
    """An engine per URL. ``create=False`` for a read replica: it is never written to (a standby refuses
    DDL), only checked for the schema version its primary has."""
    try:
        eng = open_engine(url, create=create, read_time_limit=time_limit or None)
        if not create:
            found = stored_schema_version(eng)
            if found != SCHEMA_VERSION:
                raise SchemaMismatch(
                    f"The read replica {eng.url.render_as_string(hide_password=True)} ({settings.READ_ENV_VAR}) has "
                    f"schema version {found or 'none'}, this code needs {SCHEMA_VERSION}: point it at a replica "
                    f"of {settings.ENV_VAR}'s database, or unset it.")
        return eng
    except SchemaMismatch as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()


def _read_engine(url: str) -> Engine:
    return _engine_for(url, settings.query_time_limit(), url == settings.database_url())


def engine() -> Engine:
    """The engine of the configured store (env var > secrets.toml > default SQLite file): the primary.

    Every write goes through it, and the uncached reads that must show a write at once (an article
    or event opened right after an analyst's edit). Its reads are time-limited
    (:func:`dashboard.settings.query_time_limit`); see :func:`narrow_on_timeout`.
    """
    return _read_engine(settings.database_url())


def read_engine() -> Engine:
    """The engine the pages' cached reads use: the read replica when ``DASHBOARD_DB_READ_URL`` names
    one (:func:`dashboard.settings.read_database_url`), else the store itself."""
    return _read_engine(settings.read_database_url())


def export_engine() -> Engine:
    """The read store without a time limit, for full exports and briefings that stream every row."""
    url = settings.read_database_url()
    return _engine_for(url, None, url == settings.database_url())


@contextmanager
def narrow_on_timeout():
    """Run a page; a read that ran out of time becomes a sentence asking for a narrower filter."""
    try:
        yield
    except QueryTimeout:
        st.warning(f"This view asks the store for more than it can answer in {settings.query_time_limit():g} "
                   "seconds, so it was stopped. Narrow the filter (fewer countries, a shorter date range, more "
                   "specific words) and it will load.", icon=":material/hourglass_disabled:")


def data_version() -> str:
    """A cheap token that changes whenever the store is written to (its revision counter)."""
    return str(queries.revision(read_engine()))  # the version of what the pages read


@st.cache_data(show_spinner=False, max_entries=64)
def _facet_options(url: str, version: str) -> dict[str, list[str]]:
    return queries.facet_options(_read_engine(url))


def facet_options() -> dict[str, list[str]]:
    """Countries, places and topics present in the data."""
    return _facet_options(settings.read_database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _totals(url: str, version: str) -> dict[str, int]:
    return queries.totals(_read_engine(url))


def totals() -> dict[str, int]:
    """Row counts of the whole store."""
    return _totals(settings.read_database_url(), data_version())


@st.cache_data(show_spinner="Loading events…", max_entries=64)
def _events(url: str, version: str, f: Filters, limit: int, today: date) -> pd.DataFrame:
    return queries.load_events(_read_engine(url), f, limit=limit, today=today)


def events(f: Filters, limit: int = 5000) -> pd.DataFrame:
    """Events in the filter (newest first), at most ``limit`` rows."""
    return _events(settings.read_database_url(), data_version(), f, limit, date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _count_events(url: str, version: str, f: Filters) -> int:
    return queries.count_events(_read_engine(url), f)


def count_events(f: Filters) -> int:
    """Number of events in the filter (the store's total, already cached, when nothing narrows it)."""
    if f.is_empty() and f.include_undated and not f.include_low_confidence:
        return totals()["events"]
    return _count_events(settings.read_database_url(), data_version(), f)


@st.cache_data(show_spinner="Loading developments…", max_entries=64)
def _developments(url: str, version: str, f: Filters, limit: int, today: date) -> pd.DataFrame:
    return queries.load_developments(_read_engine(url), f, limit=limit, today=today)


def developments(f: Filters, limit: int = 5000) -> pd.DataFrame:
    """Developments with a report in the filter (most significant first), at most ``limit`` rows."""
    return _developments(settings.read_database_url(), data_version(), f, limit, date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _development_totals(url: str, version: str, f: Filters) -> tuple[int, int]:
    return queries.development_totals(_read_engine(url), f)


def development_totals(f: Filters) -> tuple[int, int]:
    """``(developments, their reports)`` in the filter."""
    return _development_totals(settings.read_database_url(), data_version(), f)


def count_developments(f: Filters) -> int:
    """Number of developments in the filter."""
    return development_totals(f)[0]


@st.cache_data(show_spinner="Counting developments per month…", max_entries=64)
def _timeline_band(url: str, version: str, f: Filters, lane: str) -> pd.DataFrame:
    return charts.timeline_band(_read_engine(url), f, lane)


def timeline_band(f: Filters, lane: str) -> pd.DataFrame:
    """Every dated development in the filter per timeline lane and month (the density band's counts)."""
    return _timeline_band(settings.read_database_url(), data_version(), f, lane)


@st.cache_data(show_spinner=False, max_entries=64)
def _volume_per_month(url: str, version: str, f: Filters) -> pd.DataFrame:
    eng = _read_engine(url)
    merged = queries.developments_per_month(eng, f).merge(queries.articles_per_month(eng, f), on="month", how="outer")
    return merged.fillna(0).astype({"developments": int, "articles": int}).sort_values("month")


def volume_per_month(f: Filters) -> pd.DataFrame:
    """Developments (dated within a month) and dated articles per month in the filter."""
    return _volume_per_month(settings.read_database_url(), data_version(), f)


@st.cache_data(show_spinner="Loading articles…", max_entries=64)
def _articles(url: str, version: str, f: Filters, limit: int, offset: int, sort: str, with_body: bool) -> pd.DataFrame:
    return queries.load_articles(_read_engine(url), f, limit=limit, offset=offset, sort=sort, with_body=with_body)


def articles(f: Filters, limit: int = 50, offset: int = 0, sort: str = "newest", with_body: bool = False) -> pd.DataFrame:
    """One page of articles in the filter (bodies only when asked, for search snippets)."""
    return _articles(settings.read_database_url(), data_version(), f, limit, offset, sort, with_body)


@st.cache_data(show_spinner=False, max_entries=64)
def _count_articles(url: str, version: str, f: Filters) -> int:
    return queries.count_articles(_read_engine(url), f)


def count_articles(f: Filters) -> int:
    """Number of articles in the filter (the store's total, already cached, when nothing narrows it)."""
    if f.is_empty() and f.include_undated:
        return totals()["articles"]
    return _count_articles(settings.read_database_url(), data_version(), f)


def article(article_id: int) -> dict | None:
    """One article with body, tags and events (not cached: always the stored truth)."""
    return queries.get_article(engine(), article_id, today=date.today())


def event(event_id: str) -> dict | None:
    """One event with its links."""
    return queries.get_event(engine(), event_id, today=date.today())


@st.cache_data(show_spinner="Counting per region…", max_entries=64)
def _map_values(url: str, version: str, f: Filters, level: str, measure: str) -> dict[str, int]:
    return charts.map_values(_read_engine(url), f, level, measure)


def map_values(f: Filters, level: str, measure: str) -> dict[str, int]:
    """Region id -> count of events, articles or expected developments for the filter."""
    return _map_values(settings.read_database_url(), data_version(), f, level, measure)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_regions(level: str, display: Display) -> tuple[dict, list[str], dict[str, str]]:
    """:func:`dashboard.charts.map_regions`, read once per process (the shipped boundaries do not change
    while it runs; parsing them was a tenth of a map page's time). Shared by every session: read it,
    never change it."""
    return charts.map_regions(level, display)


@st.cache_data(show_spinner="Placing developments on the map…", max_entries=64)
def _development_points(url: str, version: str, f: Filters, today: date) -> tuple[pd.DataFrame, bool]:
    return charts.map_markers(_read_engine(url), f, today=today)


def development_points(f: Filters) -> tuple[pd.DataFrame, bool]:
    """Located developments for the map (with ``when`` and ``status``), or grid cells when there are too many."""
    return _development_points(settings.read_database_url(), data_version(), f, date.today())


@st.cache_data(show_spinner="Counting expected developments…", max_entries=64)
def _expected_counts(url: str, version: str, f: Filters, today: date) -> dict[str, int]:
    return tracker.expected_counts(_read_engine(url), f, today=today)


def expected_counts(f: Filters) -> dict[str, int]:
    """Expected developments in the filter per tracker state."""
    return _expected_counts(settings.read_database_url(), data_version(), f, date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _expected(url: str, version: str, f: Filters, today: date, states: tuple[str, ...], limit: int,
              offset: int) -> pd.DataFrame:
    return tracker.expected_items(_read_engine(url), f, today=today, states=states, limit=limit, offset=offset,
                                  counts=_expected_counts(url, version, f, today))  # (counted once, cached)


def expected_items(f: Filters, states: tuple[str, ...], limit: int = 25, offset: int = 0) -> pd.DataFrame:
    """One page of expected developments in the filter and the given tracker states, with their state."""
    return _expected(settings.read_database_url(), data_version(), f, date.today(), tuple(states), limit, offset)


def outcome_candidates(expected_id: str) -> pd.DataFrame:
    """Events that could be the outcome of an expected development."""
    return tracker.outcome_candidates(engine(), expected_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _feeds(url: str, version: str) -> list[dict]:
    return feeds.list_feeds(_read_engine(url))


def feed_status() -> list[dict]:
    """Each polled feed: last poll, last success, items added, last error."""
    return _feeds(settings.read_database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _attributions(url: str, version: str, f: Filters) -> list[tuple[str, date | None]]:
    return queries.attributed_datasets(_read_engine(url), f)


def attributions(f: Filters) -> list[str]:
    """The credit lines the datasets in the filter ask for ("Source: ACLED (data as of …)")."""
    return [attribution_line(d, as_of) for d, as_of in _attributions(settings.read_database_url(), data_version(), f)]
