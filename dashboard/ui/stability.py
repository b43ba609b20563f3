"""Cached reads for the Overview page: the indicator's months per unit, and what changed."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import settings
from dashboard.filters import Filters
from dashboard.indicator import Month
from dashboard.store import judgements, queries, stability
from dashboard.ui.data import _read_engine, data_version


@st.cache_data(show_spinner="Counting the months…", max_entries=32)
def _monthly(url: str, version: str, f: Filters, level: str, today: date,
             titles: tuple[str, ...] | None) -> dict[tuple[str, str], Month]:
    return stability.monthly(_read_engine(url), f, level=level, today=today, titles=titles)


def monthly(f: Filters, level: str = "country", titles: tuple[str, ...] | None = ()) -> dict[tuple[str, str], Month]:
    """The indicator's components per unit and month for the filter, with the titles of what fell
    overdue in the months ``titles`` (none by default; ``None``: every month)."""
    return _monthly(settings.read_database_url(), data_version(), f, level, date.today(), titles)


@st.cache_data(show_spinner=False, max_entries=32)
def _overdue_in(url: str, version: str, f: Filters, month: str, limit: int, today: date) -> tuple[int, list[str]]:
    return stability.overdue_in(_read_engine(url), f, month, today=today, limit=limit)


def overdue_in(f: Filters, month: str, limit: int) -> tuple[int, list[str]]:
    """How many expected developments in the filter fell overdue in ``month``, and the most significant titles."""
    return _overdue_in(settings.read_database_url(), data_version(), f, month, limit, date.today())


@st.cache_data(show_spinner=False, max_entries=32)
def _deadlines_within(url: str, version: str, f: Filters, days: int, limit: int, today: date):
    return stability.deadlines_within(_read_engine(url), f, days, today=today, limit=limit)


def deadlines_within(f: Filters, days: int, limit: int) -> tuple[int, list[tuple[date, str]]]:
    """How many open expected developments in the filter are due from today to ``days`` on, the soonest first."""
    return _deadlines_within(settings.read_database_url(), data_version(), f, days, limit, date.today())


@st.cache_data(show_spinner=False, max_entries=32)
def _latest_month(url: str, version: str, f: Filters, today: date) -> str | None:
    return stability.latest_month(_read_engine(url), f, today=today)


def latest_month(f: Filters) -> str | None:
    """The latest month (not after today) with a development in the filter."""
    return _latest_month(settings.read_database_url(), data_version(), f, date.today())


@st.cache_data(show_spinner=False, max_entries=32)
def _top(url: str, version: str, f: Filters, limit: int, today: date):
    return queries.load_developments(_read_engine(url), f, limit=limit, today=today)


def top_developments(f: Filters, limit: int = 8):
    """The most significant developments in the filter."""
    return _top(settings.read_database_url(), data_version(), f, limit, date.today())


@st.cache_data(show_spinner=False, max_entries=8)
def _judgements(url: str, version: str) -> dict[tuple[str, str], dict]:
    return judgements.judgements(_read_engine(url))


def analyst_judgements() -> dict[tuple[str, str], dict]:
    """The analysts' judgements in force, by (unit, month)."""
    return _judgements(settings.read_database_url(), data_version())
