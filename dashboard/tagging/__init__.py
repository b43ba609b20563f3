"""Tagging: pure functions that turn article text into tags and dated events.

Public API (used by the store / ingest layer)::

    tag_article(text, title=None, published=None) -> ArticleTags(tags, events)
    tag_countries(text, title=None) -> list[Tag]   (the country tags of tag_article alone)
    resolve_date(expr, published=None) -> DateRange | None
    normalise_for_search(text) -> str
    TOPICS, COUNTRY_NAMES, PLACE_NAMES

The gazetteer (data/gazetteer/gazetteer.json, built by scripts/build_gazetteer.py) is loaded once
per process.  No Streamlit, no network, no models.  ``tagger`` runs the stages (``matching`` ->
``disambiguation`` -> ``aggregation``/``people`` -> ``sentences`` -> ``events``/``event_cues``: events are dated
developments with the ``cues`` that explain them; every
score in ``scoring.SCORING``); ``dates`` has the date conventions ("by the end of 2023" -> 2023-01-01..2023-12-31, precision
"year", deadline 2023-12-31; relative expressions need ``published``, else None).

Confidence: tags and events below 0.5 (``TAG_CONFIDENCE_THRESHOLD`` / ``EVENT_CONFIDENCE_THRESHOLD``)
are weak machine guesses (passing demonyms, commentary sentences) and should be hidden by default.
"""

from __future__ import annotations

from dashboard.textnorm import normalise_for_search
from dashboard.vocab import TOPICS

from .dates import DateRange, resolve_date
from .gazetteer import load_gazetteer
from .tagger import split_sentences, tag_article, tag_countries
from .types import (
    EVENT_CONFIDENCE_THRESHOLD,
    TAG_CONFIDENCE_THRESHOLD,
    ArticleTags,
    ExtractedEvent,
    Tag,
)

_gazetteer = load_gazetteer()
COUNTRY_NAMES: dict[str, str] = dict(_gazetteer.countries)
PLACE_NAMES: dict[str, str] = {pid: p["name"] for pid, p in _gazetteer.places.items()}
PLACE_COUNTRY: dict[str, str] = {pid: p["country"] for pid, p in _gazetteer.places.items()}
del _gazetteer

__all__ = [
    "Tag", "ExtractedEvent", "ArticleTags", "DateRange", "tag_article", "tag_countries", "resolve_date", "normalise_for_search",
    "TOPICS", "COUNTRY_NAMES", "PLACE_NAMES", "PLACE_COUNTRY", "TAG_CONFIDENCE_THRESHOLD",
    "EVENT_CONFIDENCE_THRESHOLD", "split_sentences",
]
