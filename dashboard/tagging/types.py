"""Result types of the tagger (re-exported by ``dashboard.tagging``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Tags and events below these confidences are machine guesses the UI should hide by default.
TAG_CONFIDENCE_THRESHOLD = 0.5
EVENT_CONFIDENCE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Tag:
    kind: str  # "country" | "place" | "organisation" | "person" | "topic"
    value: str
    label: str
    start: int | None
    end: int | None
    confidence: float
    primary: bool = False
    role: str | None = None
    mentions: int = 1


@dataclass(frozen=True)
class ExtractedEvent:
    title: str
    summary: str
    evidence: str
    evidence_start: int
    evidence_end: int
    date_text: str | None
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    status: str  # occurred | ongoing | expected | statement
    category: str
    countries: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[str, ...]
    confidence: float
    verification: str = "machine"
    # Why it is an event and why it has its confidence, in short words an analyst can read:
    # ("past-tense action verb 'signed'", "date 'on 3 May 2024' resolved", "named actor 'NATO'", ...).
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleTags:
    tags: list[Tag] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)

    def of_kind(self, kind: str, min_confidence: float = TAG_CONFIDENCE_THRESHOLD) -> list[Tag]:
        return [t for t in self.tags if t.kind == kind and t.confidence >= min_confidence]

    def values(self, kind: str, min_confidence: float = TAG_CONFIDENCE_THRESHOLD) -> list[str]:
        return [t.value for t in self.of_kind(kind, min_confidence)]

    @property
    def countries(self) -> list[str]:
        return self.values("country")

    @property
    def primary_countries(self) -> list[str]:
        return [t.value for t in self.of_kind("country") if t.primary]

    @property
    def places(self) -> list[str]:
        return self.values("place")

    @property
    def organisations(self) -> list[str]:
        return self.values("organisation")

    @property
    def persons(self) -> list[str]:
        return self.values("person")

    @property
    def topics(self) -> list[str]:
        return self.values("topic")

    def confident_events(self, min_confidence: float = EVENT_CONFIDENCE_THRESHOLD) -> list[ExtractedEvent]:
        return [e for e in self.events if e.confidence >= min_confidence]
