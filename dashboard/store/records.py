"""Plain records that ingest hands to the store. No database or UI code here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass
class TagRecord:
    """One tag of an article: a country, place, organisation, person or topic with its evidence span."""

    kind: str
    value: str
    label: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    confidence: float = 1.0
    is_primary: bool = False
    role: str | None = None
    mentions: int = 1
    verification: str = "machine"


@dataclass
class ArticleRecord:
    """A cleaned article ready to store."""

    title: str
    body: str
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str | None = None
    imported_from: str | None = None
    tags: list[TagRecord] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the whitespace- and case-normalised body: the same text gives the same hash.

        Computed once per body (the body may still be replaced by cleaning, hence the check).
        """
        cached = self.__dict__.get("_hash")
        if cached is not None and cached[0] is self.body:
            return cached[1]
        norm = " ".join(self.body.split()).casefold()
        digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
        self.__dict__["_hash"] = (self.body, digest)
        return digest


    @property
    def search_body(self) -> str:
        """The body folded for search (``normalise_for_search``): once per body, shared by the
        near-copy keys and the full-text index."""
        cached = self.__dict__.get("_search")
        if cached is not None and cached[0] is self.body:
            return cached[1]
        from dashboard.textnorm import normalise_for_search

        folded = normalise_for_search(self.body)
        self.__dict__["_search"] = (self.body, folded)
        return folded


@dataclass
class EventRecord:
    """A dated development, curated or machine-extracted."""

    id: str
    title: str
    status: str
    summary: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    category: str | None = None
    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    source_url: str | None = None
    source_name: str | None = None
    article_id: int | None = None
    evidence: str | None = None
    evidence_start: int | None = None
    verification: str = "machine"
    confidence: float | None = None
    imported_from: str | None = None
    review_flag: str | None = None
    dataset: str = "import"
    source_id: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    fatalities: int | None = None
    num_sources: int | None = None
    source_updated: int | None = None
    attributes: str | None = None  # JSON object text (the dataset's own fields)
    cues: str | None = None  # machine events: why the tagger took it for a development ("; "-separated)
    # expected developments: the outcome event, "abandoned" when officially dropped, and the first
    # announced deadline when a later one replaced it (the tracker shows "slipped")
    outcome_event_id: str | None = None
    tracker_status: str | None = None
    first_deadline: date | None = None
