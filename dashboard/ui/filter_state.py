"""The one home of the URL state: the shared filter, the display options and each page's view choices.

Two halves. The codec (``filters_from_params`` / ``params_from_filters``, ``display_from_params`` /
``params_from_display``, ``views_from_params`` / ``params_from_views``, and ``params_for`` for all
three) is pure: plain dicts in, values out, no Streamlit call, so it is tested as a table. The rest
keeps those values in the session: on a session's first run the URL fills the widgets; on every run
the session writes the URL back (Streamlit clears query parameters on page change, and this puts
them back), so the address bar always reopens exactly what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard import charts
from dashboard.filters import Display, Filters
from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
from dashboard.vocab import DATASET_LABELS, DATASETS

# --- widget (session) keys ----------------------------------------------------------------------
K_COUNTRIES = "filter.countries"
K_PLACES = "filter.places"
K_TOPICS = "filter.topics"
K_FROM = "filter.from"
K_TO = "filter.to"
K_TEXT = "filter.text"
K_UNDATED = "filter.undated"
K_DATASETS = "filter.datasets"
K_TYPES = "filter.types"
K_FATALITIES = "filter.fatalities"
K_SOURCES = "filter.sources"
K_LOW_CONFIDENCE = "filter.low_confidence"
K_KOSOVO_STAR = "filter.kosovo_star"
K_PRESENT = "view.present"
_INIT = "filter._initialised"
_SAVED = "filter._saved"

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2035, 12, 31)
MAX_TEXT = 200
MAX_CODES = 50       # countries, places, topics or types one link can name
MAX_ID = 2**63 - 1   # the largest id the store can hold (SQLite's and PostgreSQL's BIGINT)
ARTICLE_PARAM = "article"  # the Articles page's open article: not a filter, left alone by sync_url
_NOTES = "filter._link_notes"


@dataclass(frozen=True)
class ViewKey:
    """A view choice that changes what a page shows (not which data): kept in the URL like the filter."""

    key: str                   # the widget's session key, "<page>.<widget>"
    param: str                 # its URL query key
    labels: Mapping[str, str]  # value -> what the widget shows, in the widget's order
    default: str

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.labels)


#: Every per-page view choice. All of them travel in every link, so a link copied on any page
#: restores the map's level and colour and the timeline's lanes (the briefing draws them too).
VIEW_KEYS: tuple[ViewKey, ...] = (
    ViewKey("map.level", "level", {"country": "Countries", "place": "Entities, districts and municipalities"},
            "country"),
    ViewKey("map.measure", "measure", charts.MEASURES, "developments"),
    ViewKey("timeline.lane", "lane", {"country": "Country", "category": "Category", "place": "Sub-national place"},
            "country"),
)
VIEWS: dict[str, ViewKey] = {v.key: v for v in VIEW_KEYS}

FILTER_PARAMS = ("countries", "places", "topics", "from", "to", "q", "undated", "datasets", "types", "fatalities",
                 "sources", "lowconf")
DISPLAY_PARAMS = ("kosovo", "present")
#: Every query key this module owns; others (``article``) belong to their page and are left alone.
URL_KEYS = FILTER_PARAMS + DISPLAY_PARAMS + tuple(v.param for v in VIEW_KEYS)

_COUNTRY = re.compile(r"[A-Z]{2}")
_PLACE = re.compile(r"[A-Z]{2}-[A-Z0-9-]{1,40}")
_TOPIC = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
_DATASET = re.compile("|".join(DATASETS))
#: Characters that are never search text: control characters (NUL, escapes) and the invisible
#: bidirectional controls that reorder how a caption reads (U+202A-U+202E, U+2066-U+2069).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TYPE_SEPARATOR = "|"  # event types are words with spaces and commas ("Make statement, not specified")


# --- the codec (pure) ---------------------------------------------------------------------------

def _codes(value: str | None, pattern: re.Pattern, *, upper: bool) -> tuple[str, ...]:
    """Comma-separated codes, normalised in case, malformed and repeated ones dropped."""
    out: list[str] = []
    for part in (value or "").split(","):
        code = part.strip().upper() if upper else part.strip().lower()
        if pattern.fullmatch(code) and code not in out:
            out.append(code)
    return tuple(out[:MAX_CODES])


def _types(value: str | None) -> tuple[str, ...]:
    out: list[str] = []
    for part in (value or "").split(TYPE_SEPARATOR):
        name = " ".join(part.split())[:100]
        if name and name not in out:
            out.append(name)
    return tuple(out[:MAX_CODES])


def _at_least(value: str | None, lowest: int) -> int | None:
    """A whole number of at least ``lowest`` (and at most a million), else ``None`` (no limit)."""
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if lowest <= number <= 1_000_000 else None


def _parse_date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value.strip()) if value and len(value) <= 40 else None
    except ValueError:
        return None
    return day if day and MIN_DATE <= day <= MAX_DATE else None


def clean_text(value: str | None) -> str:
    """Search text as the filter keeps it: control and bidi-override characters dropped, spaces
    trimmed, at most ``MAX_TEXT`` characters."""
    return _INVISIBLE.sub("", value or "").strip()[:MAX_TEXT].strip()


def article_from_params(params: Mapping[str, str]) -> int | None:
    """The article a link opens (``article=<id>``): a whole number from 1 to ``MAX_ID``, else ``None``."""
    value = (params.get(ARTICLE_PARAM) or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def _shown(value: str, width: int = 40) -> str:
    """A link value quoted in a message: invisible characters dropped, long ones cut."""
    value = _INVISIBLE.sub("", value)
    return value if len(value) <= width else value[:width] + "…"


def link_notes(params: Mapping[str, str]) -> list[str]:
    """One sentence for each value of a link that was left out or cut, to say so gently."""
    notes = []
    for key, label in (("from", "“From”"), ("to", "“To”")):
        value = params.get(key)
        if value and _parse_date(value) is None:
            notes.append(f"The link's {label} date “{_shown(value)}” is not a date from {MIN_DATE.isoformat()} "
                         f"to {MAX_DATE.isoformat()} (YYYY-MM-DD), so it was left out.")
    if params.get(ARTICLE_PARAM) and article_from_params(params) is None:
        notes.append(f"The link's article “{_shown(params[ARTICLE_PARAM])}” is not an article number, so none "
                     "was opened from it.")
    text = params.get("q") or ""
    if len(_INVISIBLE.sub("", text).strip()) > MAX_TEXT:
        notes.append(f"The link's search text was cut to its first {MAX_TEXT} characters.")
    return notes


def filters_from_params(params: Mapping[str, str]) -> Filters:
    """Read a :class:`Filters` from URL query parameters; unknown or malformed values are ignored."""
    return Filters(
        countries=_codes(params.get("countries"), _COUNTRY, upper=True),
        places=_codes(params.get("places"), _PLACE, upper=True),
        topics=_codes(params.get("topics"), _TOPIC, upper=False),
        date_from=_parse_date(params.get("from")),
        date_to=_parse_date(params.get("to")),
        text=clean_text(params.get("q")),
        include_undated=params.get("undated", "1") != "0",
        datasets=_codes(params.get("datasets"), _DATASET, upper=False),
        event_types=_types(params.get("types")),
        min_fatalities=_at_least(params.get("fatalities"), 1),
        min_sources=_at_least(params.get("sources"), 2),
        include_low_confidence=params.get("lowconf") == "1",
    )


def params_from_filters(f: Filters) -> dict[str, str]:
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
    if f.datasets:
        params["datasets"] = ",".join(f.datasets)
    if f.event_types:
        params["types"] = TYPE_SEPARATOR.join(f.event_types)
    if f.min_fatalities:
        params["fatalities"] = str(f.min_fatalities)
    if f.min_sources and f.min_sources > 1:
        params["sources"] = str(f.min_sources)
    if f.include_low_confidence:
        params["lowconf"] = "1"
    return params


def display_from_params(params: Mapping[str, str]) -> Display:
    """Read the :class:`Display` options: ``kosovo=star`` and ``present=1``; anything else is off."""
    return Display(kosovo_star=params.get("kosovo") == "star", present=params.get("present") == "1")


def params_from_display(d: Display) -> dict[str, str]:
    """The URL query parameters for ``d``; options that are off are left out."""
    params: dict[str, str] = {}
    if d.kosovo_star:
        params["kosovo"] = "star"
    if d.present:
        params["present"] = "1"
    return params


def views_from_params(params: Mapping[str, str]) -> dict[str, str]:
    """Every view choice (widget key -> value) from the URL; a missing or unknown value is the default."""
    return {v.key: params.get(v.param) if params.get(v.param) in v.choices else v.default for v in VIEW_KEYS}


def params_from_views(views: Mapping[str, str | None]) -> dict[str, str]:
    """The URL query parameters for the view choices that differ from their defaults."""
    return {v.param: views[v.key] for v in VIEW_KEYS
            if views.get(v.key) in v.choices and views[v.key] != v.default}


def params_for(f: Filters, display: Display | None = None, views: Mapping[str, str | None] | None = None,
               ) -> dict[str, str]:
    """The whole URL state: filter, display options and view choices, in one dict of query parameters."""
    return {**params_from_filters(f), **params_from_display(display or Display()), **params_from_views(views or {})}


# --- the session --------------------------------------------------------------------------------

#: The sidebar's widgets (drawn on every page); the view widgets are in ``VIEWS``.
FILTER_WIDGET_KEYS = (K_COUNTRIES, K_PLACES, K_TOPICS, K_FROM, K_TO, K_TEXT, K_UNDATED, K_DATASETS, K_TYPES,
                      K_FATALITIES, K_SOURCES, K_LOW_CONFIDENCE, K_KOSOVO_STAR, K_PRESENT)


def _session_values(f: Filters, d: Display, views: Mapping[str, str]) -> dict:
    return {
        K_COUNTRIES: list(f.countries),
        K_PLACES: list(f.places),
        K_TOPICS: list(f.topics),
        K_FROM: f.date_from,
        K_TO: f.date_to,
        K_TEXT: f.text,
        K_UNDATED: f.include_undated,
        K_DATASETS: list(f.datasets),
        K_TYPES: list(f.event_types),
        K_FATALITIES: f.min_fatalities or 0,
        K_SOURCES: f.min_sources or 1,
        K_LOW_CONFIDENCE: f.include_low_confidence,
        K_KOSOVO_STAR: d.kosovo_star,
        K_PRESENT: d.present,
        **views,
    }


def restore() -> None:
    """Fill the session from the URL on a session's first run; afterwards put back what Streamlit dropped.

    Streamlit forgets a widget's value when a run ends without drawing it (an interrupted run, a
    page switch mid-run), and after a page change a page's view widget can even come back with the
    value first set through the session rather than the one last chosen. A plain session key,
    ``filter._saved``, keeps the truth: the filter's last values, and each view choice as last
    chosen (:func:`remember_view`). Call once per run, before anything reads the state.
    """
    ss = st.session_state
    if not ss.get(_INIT):
        params = {k: st.query_params.get(k) for k in st.query_params.keys()}
        values = _session_values(filters_from_params(params), display_from_params(params), views_from_params(params))
        ss[_SAVED] = dict(values)
        ss[_NOTES] = link_notes(params)
        ss[_INIT] = True
        for key, value in values.items():
            ss[key] = value
        return
    saved = ss.get(_SAVED, {})
    for key in FILTER_WIDGET_KEYS:
        if key not in ss and key in saved:
            ss[key] = saved[key]
    for key in VIEWS:
        if key in saved and (key not in ss or ss[key] != saved[key]):
            ss[key] = saved[key]
    _save()


def linked_article() -> int | None:
    """The article the address names (``?article=<id>``), or ``None`` when it names none or nonsense."""
    return article_from_params({ARTICLE_PARAM: st.query_params.get(ARTICLE_PARAM) or ""})


def link_article(article_id: int) -> None:
    """Put the open article in the address, so the link reopens it."""
    if st.query_params.get(ARTICLE_PARAM) != str(article_id):
        st.query_params[ARTICLE_PARAM] = str(article_id)


def remember_view(key: str) -> None:
    """``on_change`` of a view widget: the choice just made becomes the session's, and the URL's."""
    st.session_state.setdefault(_SAVED, {})[key] = st.session_state.get(key)


def _save() -> None:
    ss = st.session_state
    saved = ss.setdefault(_SAVED, {})
    for key in FILTER_WIDGET_KEYS:
        if key in ss:
            saved[key] = ss[key]


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
        text=clean_text(ss.get(K_TEXT)),
        include_undated=bool(ss.get(K_UNDATED, True)),
        datasets=tuple(ss.get(K_DATASETS) or ()),
        event_types=tuple(ss.get(K_TYPES) or ()),
        min_fatalities=int(ss.get(K_FATALITIES) or 0) or None,
        min_sources=int(ss.get(K_SOURCES) or 1) if int(ss.get(K_SOURCES) or 1) > 1 else None,
        include_low_confidence=bool(ss.get(K_LOW_CONFIDENCE, False)),
    )


def current_display() -> Display:
    """How this session shows the data: Kosovo* labels, presentation mode."""
    ss = st.session_state
    return Display(kosovo_star=bool(ss.get(K_KOSOVO_STAR, False)), present=bool(ss.get(K_PRESENT, False)))


def kosovo_star() -> bool:
    """Whether Kosovo is labelled "Kosovo*" with the EU footnote (``current_display().kosovo_star``)."""
    return current_display().kosovo_star


def current_view(key: str) -> str:
    """The session's value of the view choice ``key`` (``"map.level"``…), or its default."""
    view = VIEWS[key]
    value = st.session_state.get(_SAVED, {}).get(key)
    return value if value in view.choices else view.default


def current_views() -> dict[str, str]:
    """Every view choice as it stands in this session."""
    return {key: current_view(key) for key in VIEWS}


def current_params() -> dict[str, str]:
    """The query parameters that reopen this session's view: give them to ``st.page_link``/``switch_page``."""
    return params_for(current(), current_display(), current_views())


def narrow_to(*, countries: list[str] | None = None, places: list[str] | None = None,
              topics: list[str] | None = None, date_to: date | None = None) -> None:
    """Narrow the shared filter (used by map clicks, tag chips, the Overview's month). Call from a
    widget callback."""
    if date_to is not None:
        st.session_state[K_TO] = date_to
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
    st.session_state[K_DATASETS] = []
    st.session_state[K_TYPES] = []
    st.session_state[K_FATALITIES] = 0
    st.session_state[K_SOURCES] = 1
    st.session_state[K_LOW_CONFIDENCE] = False


def _relabel_countries() -> None:
    """The Kosovo* switch changed the countries' labels: give the multiselect its codes back.

    Streamlit keeps a multiselect's value as the labels it showed; with new labels the old
    "Kosovo (XK)" no longer matches an option and would come back as a code of its own. The codes
    saved at the end of the last run are the truth, so they are set again, and Streamlit redraws
    the chips with the new labels.
    """
    saved = st.session_state.get(_SAVED, {})
    st.session_state[K_COUNTRIES] = list(saved.get(K_COUNTRIES) or [])


def _dataset_filters(options: dict[str, list[str]], ss) -> None:
    """Where events come from and what their dataset says of them (events only; articles are not narrowed)."""
    datasets = list(dict.fromkeys([*options.get("datasets", []), *ss.get(K_DATASETS, [])]))
    types = list(dict.fromkeys([*options.get("event_types", []), *ss.get(K_TYPES, [])]))
    narrowed = bool(ss.get(K_DATASETS) or ss.get(K_TYPES) or (ss.get(K_FATALITIES) or 0) > 0
                    or (ss.get(K_SOURCES) or 1) > 1 or ss.get(K_LOW_CONFIDENCE))
    with st.expander("Datasets, types, fatalities, sources, confidence", expanded=narrowed):
        st.multiselect("Datasets", datasets, key=K_DATASETS, format_func=lambda d: DATASET_LABELS.get(d, d),
                       placeholder="All datasets",
                       help="Machine events read from our articles, analyst-curated events, ACLED, GDELT or other "
                       "imports. Events only: the article list is not narrowed.")
        st.multiselect("Event types", types, key=K_TYPES, placeholder="All types",
                       help="The dataset's own type: ACLED's event type (Protests, Riots, Battles…), GDELT's CAMEO "
                       "root (Protest, Threaten…).")
        st.number_input("At least this many fatalities", min_value=0, max_value=1_000_000, step=1,
                        key=K_FATALITIES, help="0 shows every event, counted or not; 1 or more keeps the events "
                        "whose dataset reports that many (ACLED).")
        st.number_input("Reported by at least this many sources", min_value=1, max_value=1_000_000, step=1,
                        key=K_SOURCES, help="GDELT counts the sources of each row; 2 or more drops the thinly "
                        "reported ones (much of GDELT is noise). Events that do not count their sources count one.")
        st.checkbox("Include low-confidence machine events", key=K_LOW_CONFIDENCE,
                    help="Sentences the tagger read as possible developments but with little to go on (no date, "
                    "no named actor, an opinion). Hidden unless asked for; each says why it was kept.")


def render_sidebar(options: dict[str, list[str]]) -> Filters:
    """Draw the shared filter and the display options in the sidebar and return the filter.

    Call :func:`restore` first in the run.
    """
    ss = st.session_state
    for note in ss.pop(_NOTES, None) or []:  # what the opening link asked for and did not get
        st.toast(note, icon=":material/link_off:", duration="long")
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
            max_chars=MAX_TEXT,
            placeholder="e.g. Pristina, Приштина, gas",
            help="Words that must all appear. Matches across Cyrillic and Latin, with or without diacritics.",
        )
        st.checkbox(
            "Include undated items",
            key=K_UNDATED,
            help="Articles with no known publication date and events with no known date are shown, marked undated.",
        )
        _dataset_filters(options, ss)
        st.toggle(
            "Label Kosovo as “Kosovo*”",
            key=K_KOSOVO_STAR,
            on_change=_relabel_countries,
            help="Status-neutral naming with the EU footnote, for audiences that need it.",
        )
        st.button("Clear filter", key="filter.clear", on_click=clear, width="stretch")
        st.divider()
        st.toggle("Presentation mode", key=K_PRESENT,
                  help="Hides the controls and enlarges the type for showing to stakeholders; the filter stays "
                  "as a caption on every page and the pages stay linked at the top. A button at the top goes back.")
    _save()
    f = current()
    if ss.get(K_FROM) and ss.get(K_TO) and ss[K_FROM] > ss[K_TO]:
        st.sidebar.warning("“From” was after “To”: the dates were swapped.")
    return f


def sync_url() -> None:
    """Write the session's URL state into the address bar, leaving page-specific keys (``article``) alone."""
    _save()
    params = current_params()
    for key in URL_KEYS:
        wanted = params.get(key)
        if wanted is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != wanted:
            st.query_params[key] = wanted
