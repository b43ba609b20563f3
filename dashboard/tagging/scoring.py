"""Every number the tagger scores with, in one frozen value: ``SCORING``.

The values were tuned by hand against the labelled texts in ``data/eval`` (``python -m dashboard
evaluate``) and the seed article (the event rules since issue 14 also against ``data/eval_unseen`` and
``data/eval_holdout``, both released as development sets); each comment says what the number does and why it has its size.
Changing one changes tags and events: rerun ``scripts/tagger_snapshot.py`` and the evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(d)


@dataclass(frozen=True)
class Scoring:
    # ------------------------------------------------------------------ country evidence
    # How much one mention says about a country, by gazetteer kind (an entity's own "w" wins).
    # A country name or a sub-national place (Republika Srpska) is the country itself: 1.  A town
    # (0.8) is nearly as sure but towns travel (a summit "in Brussels").  Demonyms and people (0.5)
    # often pass in an article about somewhere else ("Russian gas", a visiting minister).  An
    # organisation bound to one country (0.3: "the Serbian Progressive Party") hints, no more.
    country_weight: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "country": 1.0, "demonym": 0.5, "city": 0.8, "place": 1.0, "person": 0.5, "org": 0.3, "role": 0.5}))
    # "Georgia" in a text about a US state is the US, named about as surely as through a town.
    georgia_us_weight: float = 0.8
    # "Georgia" with no cue either way: the country name counts like a town, its demonym half of that.
    georgia_unconfirmed_country_weight: float = 0.8
    georgia_unconfirmed_demonym_weight: float = 0.4

    # ------------------------------------------------------------------ country tags
    # A title mention this heavy (a country, entity or person name, not a demonym) makes the country
    # primary by itself, and adds a bonus large enough to rank it first.
    title_primary_min_weight: float = 0.8
    title_primary_bonus: float = 3.0
    # A demonym or a town in the title ("Russian gas", "talks in Ohrid") only adds weight.
    title_weight_bonus: float = 1.0
    # A country named (score >= 1) in the first 500 characters or the first fifth of the text is
    # what the lead is about: +1 to its primary score.
    early_mention_min_score: float = 1.0
    early_mention_chars: int = 500
    early_mention_share: float = 0.2
    early_mention_bonus: float = 1.0
    # Primary: at least three full mentions' worth (counting the lead bonus), and at least 55 % of
    # the top country: two countries covered about equally are both primary, a passing one is not.
    primary_min_score: float = 3.0
    primary_share: float = 0.55
    # Nothing primary by those rules: the top country still is when it clearly leads (two mentions'
    # worth, half again the runner-up).
    fallback_primary_min_score: float = 2.0
    fallback_primary_lead: float = 1.5
    # Below half a mention (one organisation hint) a country gets no tag, unless named in the title.
    country_tag_min_score: float = 0.5
    # Confidence = base + per-score step (+ title), capped below certainty: one country name (score 1)
    # gives 0.65, two 0.85; a single demonym (0.5) lands on the 0.55 just above the display threshold.
    country_confidence_base: float = 0.45
    country_confidence_per_score: float = 0.2
    country_confidence_title: float = 0.2
    country_confidence_max: float = 0.99
    # A country evidenced only by organisation hints (every mention below 0.5) stays under the 0.5
    # display threshold however often the hint repeats.
    country_weak_evidence_weight: float = 0.5
    country_weak_evidence_confidence: float = 0.45
    # Mentions weaker than this (organisation hints) do not give an event its country.
    event_country_min_weight: float = 0.3

    # ------------------------------------------------------------------ place and organisation tags
    # How sure a mention is of its place: an entity name is explicit, a town almost (homonyms), a
    # demonym ("Bosnian Serb") or a person only implies a place.
    place_confidence: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "place": 0.9, "city": 0.85, "demonym": 0.7, "person": 0.6, "org": 0.6, "role": 0.6}))
    place_confidence_other: float = 0.6
    # Aliases that need their country evidenced elsewhere ("RS", "Split", "Bar") are less sure.
    place_needs_evidence_penalty: float = 0.15
    organisation_confidence: float = 0.9
    organisation_needs_evidence_confidence: float = 0.7  # "the alliance": only with NATO named elsewhere
    organisation_implied_confidence: float = 0.7  # "European Commission" -> EU: implied, not named

    # ------------------------------------------------------------------ people
    person_full_name_confidence: float = 0.95
    person_surname_confidence: float = 0.8  # "Stoltenberg" alone: after the full name, or unambiguous
    person_title_only_confidence: float = 0.9  # named in the title only (no span in the body)
    person_after_role_confidence: float = 0.6  # "Foreign Minister Ivica Dačić": capitalised words, not in the gazetteer
    person_role_only_confidence: float = 0.5  # "the Prime Minister of Republika Srpska" without a name

    # ------------------------------------------------------------------ topics
    # A cue of weight >= 2 is strong (says the topic on its own); a topic needs one to be tagged.
    topic_strong_cue_weight: float = 2.0
    # Weak cues together add at most this: twenty mentions of "border" do not make a migration story.
    topic_weak_cap: float = 1.5
    # A repeated cue counts half, then a quarter...: repetition is style, not more evidence.
    topic_repeat_decay: float = 0.5
    # A cue in the title counts one and a half times: the title says what the article is about.
    topic_title_factor: float = 1.5
    # 2.5: one heavy cue (weight 3) alone, or a lighter strong cue (2) with a little more (another
    # cue, a repeat, the title).
    topic_min_score: float = 2.5
    # Cues within the first 300 characters or quarter of the text are "early" (the lead).
    topic_early_chars: int = 300
    topic_early_share: float = 0.25
    # Confidence = base + per-score step, capped: a minimal topic (2.5) gives 0.6.
    topic_confidence_base: float = 0.3
    topic_confidence_per_score: float = 0.12
    topic_confidence_max: float = 0.95

    # ------------------------------------------------------------------ events
    # An event is a development: a status cue (past action, ongoing, expected, or a speech act),
    # anchored to an actor or a place, ideally with a date we can state.  A status cue alone (0.35)
    # is under the display threshold: an event needs a date, an actor or a place as well.  Date 0.2
    # (a vague "earlier" only 0.05), a named actor 0.15 (only "the alliance"-style or carried 0.05),
    # its own country or place 0.15 (borrowed from the previous sentence 0.1 with a named actor,
    # else 0.05).  So an undated development needs its own actor and place (0.65) to be shown, and a
    # dated one (0.55+) needs only one of them.
    event_base: float = 0.35
    event_date: float = 0.2
    event_vague_date: float = 0.05
    # "on 3 May" in an article without a publication date: the text names a time, but we cannot state
    # it (no year), so it is worth no more than a vague "earlier".
    event_unresolved_date: float = 0.05
    # No date expression, but a present-tense report in a dated text ("Kurti refuses", "has condemned"):
    # the publication month is implied, not stated - worth half a stated date.  An undated present-tense
    # statement with a named speaker and its own place reaches 0.75 (shown); one with only a carried
    # place and no named speaker 0.5 (just shown), and a no-development marker still puts it under 0.5.
    event_implied_date: float = 0.1
    # No date expression, a past action told as the news of a dated text ("police detained 20 people"):
    # dated to the publication month so that it can be placed, but the dateline says nothing about
    # whether it is a development, so it adds no confidence (it is shown exactly when it was before).
    event_news_time_date: float = 0.0
    event_named_actor: float = 0.15
    event_weak_actor: float = 0.05
    event_own_location: float = 0.15
    event_carried_location_named: float = 0.1
    event_carried_location: float = 0.05
    # Commentary paragraphs ("Analysts note...") are opinion, not events: 0.4 puts even a fully
    # anchored, dated sentence (0.85) under the 0.5 threshold (0.45), an undated one (0.65) at 0.25,
    # under event_min_confidence (not kept at all).
    event_commentary_penalty: float = 0.4
    # A sentence marked as no development (an opinion "analysts say", "it is important that"; a
    # generic stance "continues to support", "remains committed to"; a habit "has repeatedly
    # threatened"; a bare quotation): the same 0.4, for the same reason.  Applied once however many
    # markers; generic/habit/quotation markers are forgiven when a date is resolved.
    event_no_development_penalty: float = 0.4
    # "could", "might" without a date: a possibility, not a development.
    event_hedged_penalty: float = 0.1
    event_confidence_max: float = 0.95  # machine-coded: never shown as certain
    event_min_confidence: float = 0.3  # below this not even kept as a hidden guess


SCORING = Scoring()
