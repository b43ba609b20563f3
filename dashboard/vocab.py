"""The domain vocabulary: every closed list of values and the one wording of each, defined once.

Ingest, tagging, the store, curation, the pages and the briefings import from here; nothing else
spells these lists. Pure data: no Streamlit, no SQL.
"""

from __future__ import annotations

#: Topics of articles; an event's category is one of them.
TOPICS: tuple[str, ...] = (
    "security", "military", "politics", "separatism", "energy", "diplomacy", "economy", "elections",
    "protest", "crime", "ethnic-relations", "eu-integration",
)
#: An event's category is drawn from the topics (one vocabulary for both).
CATEGORIES: tuple[str, ...] = TOPICS
#: The category given to an event whose words point to no topic.
DEFAULT_CATEGORY = "politics"

#: Statuses stored on an event.
STATUSES: tuple[str, ...] = ("occurred", "ongoing", "expected", "statement")
#: What a page shows: a stored status, or "overdue" for an expected event whose deadline passed.
OVERDUE = "overdue"
DISPLAY_STATUSES: tuple[str, ...] = ("occurred", "ongoing", "statement", "expected", OVERDUE)
#: The one wording of each displayed status, for pages, legends, briefings and exports.
STATUS_LABELS: dict[str, str] = {
    "occurred": "occurred",
    "ongoing": "ongoing",
    "statement": "statement",
    "expected": "expected",
    OVERDUE: "overdue (expected, deadline passed with no recorded outcome)",
}
#: Short form for legends and chips where the long wording does not fit.
STATUS_SHORT: dict[str, str] = {**{k: k for k in STATUSES}, OVERDUE: "overdue"}

#: How precisely a date range is known, finest first.
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")

#: Who vouches for an event or tag: our machine extraction (and machine-coded datasets such as
#: GDELT), our analysts, or a dataset's own human coders (ACLED).
VERIFICATIONS: tuple[str, ...] = ("machine", "analyst", "coded")
VERIFICATION_LABELS: dict[str, str] = {
    "analyst": "Analyst-verified",
    "machine": "Machine-extracted, not verified",
    "coded": "Human-coded by its dataset, not checked by our analysts",
}

#: Where an event comes from: our articles' machine events, our analysts' curated events, and
#: imported datasets. The shared filter offers these.
DATASETS: tuple[str, ...] = ("machine", "curated", "acled", "gdelt", "import")
DATASET_LABELS: dict[str, str] = {
    "machine": "Machine events from our articles",
    "curated": "Analyst-curated",
    "acled": "ACLED",
    "gdelt": "GDELT (machine-coded)",
    "import": "Other imports",
}
#: The attribution a dataset's terms require wherever its rows are shown or exported.
DATASET_ATTRIBUTION: dict[str, str] = {"acled": "Source: ACLED", "gdelt": "Source: The GDELT Project"}


def attribution_line(dataset: str, data_as_of, exported=None) -> str:
    """The credit line for a dataset's rows: "Source: ACLED (data as of 2024-04-11; exported 2026-12-01)"."""
    parts = [f"data as of {data_as_of.isoformat()}"] if data_as_of else []
    if exported:
        parts.append(f"exported {exported.isoformat()}")
    credit = DATASET_ATTRIBUTION.get(dataset, dataset)
    return f"{credit} ({'; '.join(parts)})" if parts else credit

#: Geographic precision of an event's place, finest first (ACLED geo_precision 1/2/3, GDELT ActionGeo_Type).
GEO_PRECISIONS: tuple[str, ...] = ("point", "town", "near-town", "region", "country")

#: Kinds of tag the tagger writes on an article.
TAG_KINDS: tuple[str, ...] = ("country", "place", "organisation", "person", "topic")

#: States of the expected-developments tracker, in the order the page offers them.
TRACKER_STATES: tuple[str, ...] = ("announced", "slipped", OVERDUE, "realised", "abandoned")
TRACKER_STATE_HELP: dict[str, str] = {
    "announced": "announced, deadline not reached",
    "slipped": "deadline moved later than first announced",
    OVERDUE: "deadline passed with no recorded outcome",
    "realised": "an outcome event is linked",
    "abandoned": "officially dropped",
}
#: Tracker statuses an analyst can set by hand (the others follow from dates and outcomes).
TRACKER_STATUSES: tuple[str, ...] = ("abandoned",)


def status_label(status: str) -> str:
    """The wording of a displayed status (the value itself when it is not in the vocabulary)."""
    return STATUS_LABELS.get(status, status)


def verification_label(verification: str) -> str:
    """The wording of a verification value."""
    return VERIFICATION_LABELS.get(verification, verification)

#: A machine event at or above this confidence is shown; below it (down to ``KEPT_CONFIDENCE``) it is
#: stored but hidden unless the analyst asks for low-confidence machine events.
SHOWN_CONFIDENCE = 0.5
KEPT_CONFIDENCE = 0.3

#: Roles of an account, weakest first: a viewer reads, exports and makes briefings; an analyst also
#: curates, adds articles, imports and overrides stability arrows; an admin also manages accounts.
ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read", "export", "brief"}),
    "analyst": frozenset({"read", "export", "brief", "curate", "add", "import", "judge"}),
    "admin": frozenset({"read", "export", "brief", "curate", "add", "import", "judge", "accounts"}),
}
