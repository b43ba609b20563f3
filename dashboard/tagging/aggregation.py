"""Stage 3, tag aggregation: validated mentions and topic hits -> the tags of one article.

* countries: each mention adds its country weight (``SCORING.country_weight``) to its country's
  score.  Primary = named in the title (a country, entity or person name), or a primary score
  (score + title bonus + 1 for a mention early in the text) of at least ``primary_min_score`` that is
  at least ``primary_share`` of the top one; failing both, the top country when it clearly leads.
* places, organisations: counted per value, confidence by how explicit the mention is.
* people: from :mod:`.people`, plus people named only in the title.
* topics: strong cues summed (a repeated cue counting half, then a quarter...), weak cues capped;
  a topic needs a strong cue, ``topic_min_score``, and more than one sentence's worth of cues
  unless it is in the title or the lead.

Tags of each kind come in a fixed order (primary countries first, then by score / mentions).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from dashboard.vocab import TOPICS

from .gazetteer import Gazetteer
from .matching import Mention, TopicHit
from .people import PersonTally
from .scoring import SCORING
from .types import Tag

# Mention kinds that name no country or place of their own ("the Prime Minister", "the Balkans", "Serbs").
NO_COUNTRY_KINDS = ("roleword", "region", "ethnic")
_NOT_STARTED = 1 << 30  # sorts after any real offset


def country_evidence(mentions: list[Mention]) -> Iterator[tuple[Mention, str, float]]:
    """(mention, country, weight) for every mention that says something about a country."""
    for m in mentions:
        if m.kind in NO_COUNTRY_KINDS:
            continue
        cc = m.country_code
        if cc:
            yield m, cc, m.country_weight


@dataclass(slots=True)
class _CountryStat:
    score: float = 0.0
    mentions: int = 0
    start: int | None = None
    end: int | None = None
    in_title: bool = False
    title_bonus: float = 0.0
    max_weight: float = 0.0


def _country_stats(body: list[Mention], title: list[Mention]) -> dict[str, _CountryStat]:
    stats: dict[str, _CountryStat] = {}
    for m, cc, w in country_evidence(body):
        st = stats.setdefault(cc, _CountryStat())
        st.score += w
        st.mentions += 1
        st.max_weight = max(st.max_weight, w)
        if st.start is None or m.start < st.start:
            st.start, st.end = m.start, m.end
    for m, cc, w in country_evidence(title):
        st = stats.setdefault(cc, _CountryStat())
        # a country, entity or person named in the title makes the country primary; a demonym or a
        # town in the title ("Russian gas", "talks in Ohrid") only adds weight
        if w >= SCORING.title_primary_min_weight and m.kind in ("country", "place", "person"):
            st.in_title = True
            st.title_bonus = max(st.title_bonus, SCORING.title_primary_bonus)
        else:
            st.title_bonus = max(st.title_bonus, SCORING.title_weight_bonus)
        st.score += w
        st.mentions += 1
        st.max_weight = max(st.max_weight, w)
    return stats


def _primary_scores(stats: dict[str, _CountryStat], text_length: int) -> dict[str, float]:
    scores = {}
    for cc, st in stats.items():
        p = st.score + st.title_bonus
        if st.start is not None and st.score >= SCORING.early_mention_min_score and (
                st.start < SCORING.early_mention_chars or st.start < SCORING.early_mention_share * text_length):
            p += SCORING.early_mention_bonus
        scores[cc] = p
    return scores


def _primary_countries(stats: dict[str, _CountryStat], scores: dict[str, float]) -> set[str]:
    top_score = max(scores.values(), default=0.0)
    primary = {cc for cc, p in scores.items() if stats[cc].in_title or (
        p >= SCORING.primary_min_score and p >= SCORING.primary_share * top_score)}
    if not primary and scores:
        ranked = sorted(scores.values(), reverse=True)
        top = max(scores, key=scores.get)
        if ranked[0] >= SCORING.fallback_primary_min_score and (
                len(ranked) == 1 or ranked[0] >= SCORING.fallback_primary_lead * ranked[1]):
            primary.add(top)
    return primary


def country_tags(body: list[Mention], title: list[Mention], text_length: int, gazetteer: Gazetteer) -> list[Tag]:
    """Country tags, primary first, then by primary score and first mention."""
    stats = _country_stats(body, title)
    scores = _primary_scores(stats, text_length)
    primary = _primary_countries(stats, scores)
    tags = []
    for cc, st in stats.items():
        if st.score < SCORING.country_tag_min_score and not st.in_title:
            continue
        conf = min(SCORING.country_confidence_max,
                   SCORING.country_confidence_base + SCORING.country_confidence_per_score * st.score
                   + (SCORING.country_confidence_title if st.in_title else 0.0))
        if st.max_weight < SCORING.country_weak_evidence_weight:
            conf = min(conf, SCORING.country_weak_evidence_confidence)
        tags.append(Tag("country", cc, gazetteer.countries.get(cc, cc), st.start, st.end, round(conf, 2),
                        cc in primary, None, st.mentions))
    tags.sort(key=lambda t: (-t.primary, -scores[t.value], t.start if t.start is not None else _NOT_STARTED))
    return tags


@dataclass(slots=True)
class _Count:
    mentions: int = 0
    start: int | None = None
    end: int | None = None
    confidence: float = 0.0

    def add(self, m: Mention, in_title: bool, confidence: float) -> None:
        self.mentions += 1
        self.confidence = max(self.confidence, confidence)
        if not in_title and (self.start is None or m.start < self.start):
            self.start, self.end = m.start, m.end


def _body_then_title(body: list[Mention], title: list[Mention]) -> list[tuple[Mention, bool]]:
    return [(m, False) for m in body] + [(m, True) for m in title]


def place_tags(body: list[Mention], title: list[Mention], gazetteer: Gazetteer) -> list[Tag]:
    """Sub-national place tags, most mentioned first (title mentions count but give no span)."""
    counts: dict[str, _Count] = {}
    for m, in_title in _body_then_title(body, title):
        if not m.place or m.kind in NO_COUNTRY_KINDS:
            continue
        conf = SCORING.place_confidence.get(m.kind, SCORING.place_confidence_other)
        if m.needs_evidence:
            conf -= SCORING.place_needs_evidence_penalty
        counts.setdefault(m.place, _Count()).add(m, in_title, conf)
    return [Tag("place", pid, gazetteer.places.get(pid, {}).get("name", pid), c.start, c.end, round(c.confidence, 2),
                False, None, c.mentions)
            for pid, c in sorted(counts.items(), key=lambda kv: -kv[1].mentions)]


def organisation_tags(body: list[Mention], title: list[Mention], gazetteer: Gazetteer) -> list[Tag]:
    """Organisation tags (named, or implied: European Commission -> EU), most mentioned first."""
    counts: dict[str, _Count] = {}
    for m, in_title in _body_then_title(body, title):
        found = []
        if m.kind == "org":
            found.append((m.entity.value, SCORING.organisation_needs_evidence_confidence if m.needs_evidence
                          else SCORING.organisation_confidence))
        found += [(a, SCORING.organisation_implied_confidence) for a in m.entity.also_organisations]
        for value, conf in found:
            counts.setdefault(value, _Count()).add(m, in_title, conf)
    return [Tag("organisation", v, gazetteer.org_labels.get(v, v), c.start, c.end, c.confidence, False, None, c.mentions)
            for v, c in sorted(counts.items(), key=lambda kv: (-kv[1].mentions, kv[1].start or 0))]


def person_tags(people: dict[str, PersonTally], title: list[Mention]) -> list[Tag]:
    """Person tags, most mentioned first; a person named only in the title (by full name) is added."""
    for m in title:
        if m.kind == "person" and m.entity.value in people:
            people[m.entity.value].mentions += 1
        elif m.kind == "person" and not m.is_short:
            person = people[m.entity.value] = PersonTally(m.entity.value, m.entity.label, m.entity.role)
            person.add(None, None, SCORING.person_title_only_confidence)
    return [Tag("person", p.value, p.label, p.start, p.end, round(p.confidence, 2), False, p.role, p.mentions)
            for p in sorted(people.values(), key=lambda p: (-p.mentions, p.start or 0))]


# ---------------------------------------------------------------------------------------------- topics
@dataclass(slots=True)
class TopicStat:
    score: float = 0.0
    span: tuple[int, int] | None = None  # the strongest cue
    strong: bool = False
    strong_keys: set[str] = field(default_factory=set)  # distinct strong cues
    first: int = _NOT_STARTED  # start of the first hit
    hits: int = 0


def topic_scores(hits: list[TopicHit], title_hits: list[TopicHit]) -> dict[str, TopicStat]:
    """Per topic: score (strong cues summed, a repeated cue counting half then a quarter...; weak cues
    add at most ``topic_weak_cap``), the span of the strongest cue, the distinct strong cues, the first hit."""
    repeats: dict[tuple[str, str], int] = {}
    strong: dict[str, float] = {}
    weak: dict[str, float] = {}
    best: dict[str, tuple[float, int, int]] = {}
    stats: dict[str, TopicStat] = {}
    strong_weight, decay = SCORING.topic_strong_cue_weight, SCORING.topic_repeat_decay
    for topic, w, key, s, e in hits:
        st = stats.get(topic)
        if st is None:
            st = stats[topic] = TopicStat()
        st.hits += 1
        if s < st.first:
            st.first = s
        seen = repeats.get((topic, key), 0)
        repeats[(topic, key)] = seen + 1
        if w >= strong_weight:
            strong[topic] = strong.get(topic, 0.0) + w * (decay ** seen)
            st.strong_keys.add(key)
        else:
            weak[topic] = weak.get(topic, 0.0) + w * (decay ** seen)
        b = best.get(topic)
        if b is None or w > b[0]:
            best[topic] = (w, s, e)
    for topic, w, _key, _s, _e in title_hits:
        stats.setdefault(topic, TopicStat())
        if w >= strong_weight:
            strong[topic] = strong.get(topic, 0.0) + SCORING.topic_title_factor * w
        else:
            weak[topic] = weak.get(topic, 0.0) + SCORING.topic_title_factor * w
    for t, st in stats.items():
        st.score = strong.get(t, 0.0) + min(SCORING.topic_weak_cap, weak.get(t, 0.0))
        st.strong = t in strong
        b = best.get(t)
        st.span = (b[1], b[2]) if b else None
    return stats


def _cues_in_several_sentences(topic: str, hits: list[TopicHit], sentence_starts: list[int]) -> bool:
    return len({bisect.bisect_right(sentence_starts, h[3]) for h in hits if h[0] == topic}) >= 2


def topic_tags(stats: dict[str, TopicStat], body_hits: list[TopicHit], title_hits: list[TopicHit],
               sentences: list[tuple[int, int, int]], text_length: int) -> list[Tag]:
    """Topic tags, highest score first."""
    title_topics = {h[0] for h in title_hits}
    early_limit = max(SCORING.topic_early_chars, SCORING.topic_early_share * text_length)
    tags = []
    for t, st in stats.items():
        if st.score < SCORING.topic_min_score or not st.strong or t not in TOPICS:
            continue
        # cues in one sentence deep in the text ("the fight against corruption" in a list of reforms)
        # are not what the article is about: need two sentences, two strong cues, the title or an early cue
        if len(st.strong_keys) < 2 and t not in title_topics and st.first > early_limit:
            if not _cues_in_several_sentences(t, body_hits, [x[0] for x in sentences]):
                continue
        conf = min(SCORING.topic_confidence_max,
                   SCORING.topic_confidence_base + SCORING.topic_confidence_per_score * st.score)
        span = st.span
        tags.append(Tag("topic", t, t, span[0] if span else None, span[1] if span else None, round(conf, 2),
                        False, None, st.hits))
    tags.sort(key=lambda tag: -stats[tag.value].score)
    return tags
