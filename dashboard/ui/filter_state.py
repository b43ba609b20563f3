"""The one home of the shared filter: widgets in the sidebar, values in the session, mirrored in the URL.

A copied link reopens the same view: on a session's first run the URL fills the widgets; on every
run the widgets write the URL back (Streamlit clears query parameters on page change, and this
puts them back).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.filters import Filters
from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
from dashboard.ui import presentation

K_COUNTRIES = "filter.countries"
K_PLACES = "filter.places"
K_TOPICS = "filter.topics"
K_FROM = "filter.from"
K_TO = "filter.to"
K_TEXT = "filter.text"
K_UNDATED = "filter.undated"
K_KOSOVO_STAR = "filter.kosovo_star"
_INIT = "filter._initialised"
URL_KEYS = ("countries", "places", "topics", "from", "to", "q", "undated", "kosovo")

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2035, 12, 31)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from_params(params: dict[str, str]) -> Filters:
    """Read a :class:`Filters` from URL query parameters; unknown or malformed values are ignored."""
    return Filters(
        countries=tuple(c.upper() for c in _split(params.get("countries"))),
        places=tuple(p.upper() for p in _split(params.get("places"))),
        topics=tuple(_split(params.get("topics"))),
        date_from=_parse_date(params.get("from")),
        date_to=_parse_date(params.get("to")),
        text=params.get("q", "") or "",
        include_undated=params.get("undated", "1") != "0",
    )


def params_from_filters(f: Filters, kosovo_star: bool = False) -> dict[str, str]:
    """The URL query parameters for ``f``; empty parts are left out so links stay short."""
    params: dict[str, str] = {}
    if f.countries:
        params["countries"] = ",".join(f.countries)
    if f.places:
        params["places"] = ",".join(f.places)
    if f.topics:
        params["topics"] = ",".join(f.topics)
    if f.date_from:
        params["from"] = f.date_from.isoformat()
    if f.date_to:
        params["to"] = f.date_to.isoformat()
    if f.text.strip():
        params["q"] = f.text.strip()
    if not f.include_undated:
        params["undated"] = "0"
    if kosovo_star:
        params["kosovo"] = "star"
    return params


_SAVED = "filter._saved"
WIDGET_KEYS = (K_COUNTRIES, K_PLACES, K_TOPICS, K_FROM, K_TO, K_TEXT, K_UNDATED, K_KOSOVO_STAR)


def _seed_session_from_url() -> None:
    """Fill the widgets from the URL on a session's first run; restore them if Streamlit dropped them.

    Streamlit forgets a widget's value when a run ends without drawing it (an interrupted run,
    a page switch mid-run). A plain session key, ``filter._saved``, keeps the last values, so the
    filter survives page changes whatever the timing.
    """
    ss = st.session_state
    if not ss.get(_INIT):
        params = {k: st.query_params.get(k) for k in st.query_params.keys()}
        f = filters_from_params(params)
        ss[_SAVED] = {
            K_COUNTRIES: list(f.countries),
            K_PLACES: list(f.places),
            K_TOPICS: list(f.topics),
            K_FROM: f.date_from,
            K_TO: f.date_to,
            K_TEXT: f.text,
            K_UNDATED: f.include_undated,
            K_KOSOVO_STAR: params.get("kosovo") == "star",
        }
        ss[_INIT] = True
        for key in WIDGET_KEYS:
            ss[key] = ss[_SAVED][key]
        return
    saved = ss.get(_SAVED, {})
    for key in WIDGET_KEYS:
        if key not in ss and key in saved:
            ss[key] = saved[key]


def _save() -> None:
    st.session_state[_SAVED] = {key: st.session_state.get(key) for key in WIDGET_KEYS}


def current() -> Filters:
    """The shared filter as it stands in this session."""
    ss = st.session_state
    start, end = ss.get(K_FROM), ss.get(K_TO)
    if start and end and start > end:
        start, end = end, start
    return Filters(
        countries=tuple(ss.get(K_COUNTRIES) or ()),
        places=tuple(ss.get(K_PLACES) or ()),
        topics=tuple(ss.get(K_TOPICS) or ()),
        date_from=start,
        date_to=end,
        text=ss.get(K_TEXT) or "",
        include_undated=bool(ss.get(K_UNDATED, True)),
    )


def kosovo_star() -> bool:
    """Whether Kosovo is labelled "Kosovo*" with the EU footnote."""
    return bool(st.session_state.get(K_KOSOVO_STAR, False))


def narrow_to(*, countries: list[str] | None = None, places: list[str] | None = None,
              topics: list[str] | None = None) -> None:
    """Narrow the shared filter (used by map clicks and tag chips). Call from a widget callback."""
    if countries is not None:
        st.session_state[K_COUNTRIES] = countries
    if places is not None:
        st.session_state[K_PLACES] = places
    if topics is not None:
        st.session_state[K_TOPICS] = topics


def clear() -> None:
    """Reset the filter to show everything (a button callback)."""
    st.session_state[K_COUNTRIES] = []
    st.session_state[K_PLACES] = []
    st.session_state[K_TOPICS] = []
    st.session_state[K_FROM] = None
    st.session_state[K_TO] = None
    st.session_state[K_TEXT] = ""
    st.session_state[K_UNDATED] = True


def render_sidebar(options: dict[str, list[str]]) -> Filters:
    """Draw the shared filter in the sidebar, sync it with the URL and return it."""
    _seed_session_from_url()
    ss = st.session_state
    star = bool(ss.get(K_KOSOVO_STAR))
    countries = list(dict.fromkeys([*FOCUS_COUNTRIES, *options.get("countries", []), *ss.get(K_COUNTRIES, [])]))
    places = list(dict.fromkeys([*options.get("places", []), *ss.get(K_PLACES, [])]))
    topics = list(dict.fromkeys([*options.get("topics", []), *ss.get(K_TOPICS, [])]))
    with st.sidebar:
        st.markdown("### Filter")
        st.multiselect(
            "Countries",
            countries,
            key=K_COUNTRIES,
            format_func=lambda c: f"{country_name(c, star)} ({c})",
            placeholder="All countries",
            help="Events in any of these countries; articles tagged with any of them.",
        )
        st.multiselect(
            "Sub-national places",
            places,
            key=K_PLACES,
            format_func=place_name,
            placeholder="All places",
            help="Entities and regions below the country: Republika Srpska, Brčko District, North Kosovo, Transnistria…",
        )
        st.date_input("From", key=K_FROM, min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD",
                      help="Events whose period overlaps the range are shown; empty means no limit.")
        st.date_input("To", key=K_TO, min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        st.multiselect("Topics", topics, key=K_TOPICS, placeholder="All topics")
        st.text_input(
            "Text",
            key=K_TEXT,
            placeholder="e.g. Pristina, Приштина, gas",
            help="Words that must all appear. Matches across Cyrillic and Latin, with or without diacritics.",
        )
        st.checkbox(
            "Include undated items",
            key=K_UNDATED,
            help="Articles with no known publication date and events with no known date are shown, marked undated.",
        )
        st.toggle(
            "Label Kosovo as “Kosovo*”",
            key=K_KOSOVO_STAR,
            help="Status-neutral naming with the EU footnote, for audiences that need it.",
        )
        st.button("Clear filter", key="filter.clear", on_click=clear, width="stretch")
        st.divider()
        presentation.render_toggle()
    _save()
    f = current()
    if ss.get(K_FROM) and ss.get(K_TO) and ss[K_FROM] > ss[K_TO]:
        st.sidebar.warning("“From” was after “To”: the dates were swapped.")
    sync_url(f)
    return f


def sync_url(f: Filters) -> None:
    """Write the filter's keys into the URL, leaving page-specific keys (``article``, ``lane``…) alone."""
    params = params_from_filters(f, kosovo_star())
    for key in URL_KEYS:
        wanted = params.get(key)
        if wanted is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != wanted:
            st.query_params[key] = wanted
