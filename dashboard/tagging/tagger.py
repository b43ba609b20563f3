"""The tagger: one article's text -> tags and dated events, through the stages of this package.

1. :mod:`.matching` finds every gazetteer alias and topic cue in the body and the title.
2. :mod:`.disambiguation` keeps the matches their context supports (Georgia the state, Turkey the
   bird, "Serbian protesters", "RS" without Bosnia, surnames without the full name).
3. :mod:`.aggregation` (with :mod:`.people`) turns the mentions into country, place, organisation,
   person and topic tags.
4. :mod:`.sentences` splits the body into sentences and paragraphs; :mod:`.layout` finds the
   dateline (its date is ``published`` when none is given) and the captions, teasers and labelled
   opinion paragraphs.
5. :mod:`.events` (with :mod:`.event_cues` and :mod:`.event_dates`) extracts dated events from the
   sentences.

Every number the stages score with is in :data:`.scoring.SCORING`.  Pure functions: no I/O after
the gazetteer load.
"""

from __future__ import annotations

from datetime import date

from .aggregation import country_tags, organisation_tags, person_tags, place_tags, topic_scores, topic_tags
from .disambiguation import find_mentions
from .events import extract_events
from .gazetteer import load_gazetteer
from .layout import find_dateline, opinion_title
from .people import find_people
from .sentences import split_sentences
from .types import ArticleTags, Tag

__all__ = ["tag_article", "tag_countries", "split_sentences"]


def tag_countries(text: str, title: str | None = None) -> list[Tag]:
    """Only the country tags of :func:`tag_article` (the same tags, primary first), without the rest.

    For triage of many texts where only the countries matter: it skips topics, people, dates and
    events, which are most of :func:`tag_article`'s work.
    """
    text = text or ""
    gazetteer = load_gazetteer()
    found = find_mentions(text, title, gazetteer, topics=False)
    return country_tags(found.body, found.title, max(len(text), 1), gazetteer)


def tag_article(text: str, title: str | None = None, published: date | None = None) -> ArticleTags:
    """Tag one article; spans are offsets into ``text`` (title mentions have no span).

    Without ``published`` the date of a dateline opening the text ("SARAJEVO, 24 July 2021 — ...")
    is the publication date that relative dates ("on Friday", "last year") resolve against."""
    text = text or ""
    gazetteer = load_gazetteer()
    found = find_mentions(text, title, gazetteer)
    text_length = max(len(text), 1)
    countries = country_tags(found.body, found.title, text_length, gazetteer)
    people, actor_spans = find_people(found.body, found.body_scan, gazetteer)
    title_hits = found.title_scan.topic_hits if found.title_scan else []
    topics = topic_scores(found.body_scan.topic_hits, title_hits)
    sentences = split_sentences(text)
    dateline = find_dateline(text)
    if published is None and dateline is not None and dateline.published is not None:
        published = dateline.published  # "SARAJEVO, 24 July 2021 —": the filing date
    tags = (countries + place_tags(found.body, found.title, gazetteer) + organisation_tags(found.body, found.title, gazetteer)
            + person_tags(people, found.title)
            + topic_tags(topics, found.body_scan.topic_hits, title_hits, sentences, text_length))
    primary = tuple(t.value for t in countries if t.primary)
    events = extract_events(text, published, found.body, actor_spans, found.body_scan.topic_hits,
                            {t: st.score for t, st in topics.items()}, found.body_scan.doc, sentences, primary,
                            dateline, opinion=opinion_title(title))
    return ArticleTags(tags, events)
