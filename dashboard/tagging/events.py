"""Stage 5, event extraction: dated developments (not sentences) from one article.

What an event is: a development - something that happened (occurred), is happening (ongoing) or is
expected, or a statement that is itself the news (a warning, a threat, an announcement, an
accusation, a recognition, a reaction) - anchored to its actors and place, with a date we can state
when the text gives one (resolved against ``published`` when relative).  Not events: background
(habits: "has repeatedly threatened"; states over years: "has blocked ... for two decades"),
opinion ("analysts say", "it is important that", "believe", "argued"), generic stances
("continues to support", "remains committed to"), quotations without a reported development, and
commentary paragraphs ("Analysts note...", "In summary...").  Those get
``SCORING.event_no_development_penalty`` / ``event_commentary_penalty``: an undated one is not
returned at all, a dated one only as a hidden guess under the threshold.  Every event carries
``cues``: the short reasons for its status and confidence, for the analyst.  In a dated text an ongoing
state with no date of its own ("talks are continuing") is background too; a career step ("became prime
minister in 2020") counts only when told to the day or month.

Undated statements that are the news: when the text gives no date (an undated article such as the
seed, or a date only "earlier"), the statement is kept with ``date_start`` None and the cue "no date
in the text" / "vague date 'Earlier' (no date stated)"; it is shown when a named speaker and its own
place support it (0.35 + 0.15 + 0.15 = 0.65, or 0.7 with the vague date).  In a dated text the
tense gives a date: a statement in the present or present perfect ("Kurti refuses", "Israel has
condemned") reports what holds when the text is written, so in a dated text it takes the publication
month (precision "month", cue "present tense ...: around publication", ``SCORING.event_implied_date``).
Since issue 14 (the labelling guide ``data/eval/LABELLING.md``), a dated text is read as news: a
statement in the simple past with no day of its own ("the ministry said", "Kurti accused Belgrade") is
the current news, made by the dateline, and a past action with no date of its own ("police detained 20
people") took place by it: both take the publication month (the guide labels the statement with the
dateline day; whether it was made that day or the day before the text does not say).  Neither adds
confidence (``SCORING.event_news_time_date``: the dateline says nothing about whether it is a
development), a stated date outranks them, and a perfect ("had urged", "have charged": some time
before, no time of its own) or a commentary paragraph gets neither.

News layout (:mod:`.layout`): a dateline ("SARAJEVO, 24 July 2021 —") is cut from its sentence: its
date is the filing date (``tag_article`` takes it as ``published`` when none is given), never an
event's.  Captions and teasers ("Photo caption: ...", "Related: ...") yield no events; a paragraph
labelled "Analysis:" or "Comment:" is commentary throughout, dated facts included.

Steps, one function each:

1. :func:`_per_sentence`: mentions, actors, topic hits and dates grouped by the sentence holding them.
2. :func:`_candidates`: a sentence with a status cue (:mod:`.event_cues`) and an actor, country or
   place becomes a candidate.  A sentence without its own actor or place borrows them from the
   previous sentence of its paragraph ("Officials indicated that a deal was expected..."), or takes
   the article's primary countries; its dates and the status changes they imply come from
   :mod:`.event_dates` (a yearless date takes the tense of its own clause, "the same day" the date
   the text gave last; a precise date alone can give a status: "visa-free from 1 January 2024").
   A relative clause is no part of its sentence's development, but a dated fact it tells ("the EU,
   which Croatia joined in 2013") is background the labelling guide counts: :func:`_background_facts`
   makes it an ``occurred`` candidate of its own, one per date.
3. :func:`_merge_adjacent`: neighbouring sentences about the same development become one candidate
   (a background fact from a relative clause stays apart).
4. :func:`_event_from`: confidence and cues (``SCORING.event_*``), the best date, the category,
   title and summary.  Events under ``event_min_confidence`` are dropped; callers should show only
   ``confidence >= EVENT_CONFIDENCE_THRESHOLD`` by default.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dashboard.textnorm import NormText
from dashboard.vocab import DEFAULT_CATEGORY, TOPICS

from .aggregation import NO_COUNTRY_KINDS
from .dates import PRECISION_ORDER, DateRange, find_dates, resolve_mention
from .event_cues import (
    present_tense_cue,
    reported_speech_cue,
    sentence_cues,
    sentence_is_past,
    sentence_markers,
    simple_past_action,
    status_cue,
    words_of,
)
from .event_dates import (
    DatedMention,
    anchored,
    by_the_dateline,
    offset_before_publication,
    publication_month,
    resolved_dates,
    revise_status,
    status_from_date,
)
from .layout import COMMENTARY_RE, Dateline, paragraph_label
from .matching import Mention, TopicHit
from .people import ActorSpan
from .scoring import SCORING
from .sentences import Sentence, split_dated_clauses, split_sentences
from .types import ExtractedEvent

# A sentence that opens with a pronoun or "the alliance"-style reference continues the previous one.
PRONOUN_START_RE = re.compile(
    r"^\W*(?:he|she|they|it|his|her|their|its|this|these|the\s+(?:alliance|bloc|minister|president|leader"
    r"|government|party|mission|court|ministry|organisation|organization|company))\b", re.I)
# "He later added that ...", "She said ...": the subject is the previous sentence's speaker.
_SPEAKER_PRONOUN_RE = re.compile(r"^\W*(?:he|she|they)\s+(?:\w+\s+){0,2}?(?:said|added|told|wrote|stressed|noted"
                                 r"|warned|insisted|repeated|explained|argued|claimed|accused|called)\b", re.I)
# Openings cut from event titles ("Meanwhile, ...", "On Monday, ...", "According to the ministry, ...").
_LEAD_IN_RE = re.compile(
    r"^\s*(?:(?:in\s+)?(?:related|other|separate)\s+(?:regional\s+)?(?:developments?|news)|additionally|meanwhile|however"
    r"|moreover|furthermore|separately|also|earlier|later|in\s+addition|at\s+the\s+same\s+time|in\s+a\s+statement"
    r"|on\s+\w+|last\s+\w+|yesterday|today|according\s+to\s+[^,]+)\s*,\s*", re.I)
_TITLE_CUTS = (", according to", "; ", " - ", " — ", ", which ", ", while ", ", amid ", ", signaling ", ", signalling ")
_TITLE_MAX_WORDS = 16
_SUMMARY_MAX_CHARS = 320



def event_title(sentence: str) -> str:
    """A headline from the first sentence: lead-ins and trailing clauses cut, at most 16 words."""
    s = " ".join(sentence[:400].split())
    for _ in range(2):
        m = _LEAD_IN_RE.match(s) if s.find(",", 0, 60) > 0 else None
        if not m:
            break
        s = s[m.end():]
    for sep in _TITLE_CUTS:
        k = s.find(sep)
        if k > 25:
            s = s[:k]
    s = s.rstrip(" .;:,")
    words = s.split()
    if len(words) > _TITLE_MAX_WORDS:
        s = " ".join(words[:_TITLE_MAX_WORDS]).rstrip(",;:") + "…"
    return s[:1].upper() + s[1:]


def event_summary(evidence: str) -> str:
    """The evidence on one line, cut at a word before 320 characters."""
    s = " ".join(evidence.split())
    if len(s) > _SUMMARY_MAX_CHARS:
        cut = s.rfind(" ", 0, _SUMMARY_MAX_CHARS - 3)
        s = s[: cut if cut > 0 else _SUMMARY_MAX_CHARS - 3].rstrip(",;:") + "…"
    return s


@dataclass(eq=False, slots=True)
class _Candidate:
    sentences: list[int]
    start: int
    end: int
    para: int
    status: str
    actors: list[str]
    persons: set[str]
    named: bool  # a named actor (organisation or person), not only "the alliance"
    countries: list[str]
    places: list[str]
    topic: dict[str, float]
    dates: list[DatedMention]
    commentary: bool
    carried: bool  # actors/countries taken from an earlier sentence
    carried_loc: bool  # only the countries/places were taken from an earlier sentence (or the primaries)
    hedged: bool
    cues: list[str]  # why it is an event: the status cue, status changes from dates
    markers: list[str]  # why it may be no development (opinion, generic stance, habit, bare quotation)
    contig: bool = True
    pronoun: bool = False  # opens with "he", "she", "they": the previous sentence's actor speaks on
    background: bool = False  # a dated fact told in a relative clause ("which joined NATO in 2017")

    def primary_range(self) -> DateRange | None:
        """The first precise date (not vague, not a deadline) of the candidate."""
        for d, rng in self.dates:
            if rng is not None and not d.vague and not d.deadline and not d.implied and not d.news_time:
                return rng
        return None


def _dates_conflict(a: _Candidate, b: _Candidate) -> bool:
    ra, rb = a.primary_range(), b.primary_range()
    return ra is not None and rb is not None and (ra.end < rb.start or rb.end < ra.start)


def _choose_date(c: _Candidate, published: date | None) -> DatedMention | None:
    """The date the event is about: resolved before unresolved, precise before vague; an expected
    event prefers a deadline still ahead, an occurred one the most precise date."""
    best = None
    best_key = None
    for order, (d, rng) in enumerate(c.dates):
        told = 1 if (d.news_time or d.implied) else 0  # a date the text states before one we infer
        if c.status == "expected":
            # of several deadlines ahead, the last is the goal ("close the chapters by 2026 and join by 2028")
            key = (0 if rng else 1, told, 0 if d.deadline else 1, 1 if d.vague else 0,
                   0 if (rng and published and rng.end >= published) else 1,
                   -rng.end.toordinal() if (rng and d.deadline) else 0, order)
        elif c.status == "statement":
            key = (0 if rng else 1, told, 1 if d.vague else 0, order)
        else:
            key = (0 if rng else 1, told, 1 if d.vague else 0, PRECISION_ORDER.get(rng.precision, 9) if rng else 9, order)
        if best_key is None or key < best_key:
            best_key, best = key, (d, rng)
    return best


# ---------------------------------------------------------------------------------------------- step 1
def _bucket(items: list, sentence_starts: list[int], sentences: list[Sentence], span: Callable) -> list[list]:
    """Items (sorted by start) grouped by the sentence that contains them entirely."""
    out: list[list] = [[] for _ in sentences]
    for it in items:
        s, e = span(it)
        k = bisect.bisect_right(sentence_starts, s) - 1
        if k >= 0 and e <= sentences[k][1]:
            out[k].append(it)
    return out


@dataclass(slots=True)
class _PerSentence:
    mentions: list[list[Mention]]
    actors: list[list[ActorSpan]]
    topic_hits: list[list[TopicHit]]
    dates: list[list[tuple]]  # (DateMention, re.Match)


def _per_sentence(sentences: list[Sentence], mentions: list[Mention], actor_spans: list[ActorSpan],
                  topic_hits: list[TopicHit], found_dates: list[tuple]) -> _PerSentence:
    starts = [x[0] for x in sentences]
    return _PerSentence(
        _bucket(sorted(mentions, key=lambda m: m.start), starts, sentences, lambda m: (m.start, m.end)),
        _bucket(sorted(actor_spans), starts, sentences, lambda a: (a[0], a[1])),
        _bucket(sorted(topic_hits, key=lambda h: h[3]), starts, sentences, lambda h: (h[3], h[4])),
        _bucket(found_dates, starts, sentences, lambda dm: (dm[0].start, dm[0].end)),
    )


# ---------------------------------------------------------------------------------------------- step 2
@dataclass(slots=True)
class _Names:
    """Countries, places, actors and persons named in some stretch of text."""

    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Named(_Names):
    """What one sentence names itself."""

    named: bool = False


def _named_in(mentions: list[Mention], actor_spans: list[ActorSpan]) -> _Named:
    countries: list[str] = []
    places: list[str] = []
    actors: list[str] = []
    persons: set[str] = set()
    named = False
    min_weight = SCORING.event_country_min_weight
    for m in mentions:
        cc = m.country_code if m.kind not in NO_COUNTRY_KINDS else None
        if cc and cc not in countries and m.country_weight >= min_weight:
            countries.append(cc)
        if m.place and m.place not in places:
            places.append(m.place)
        if m.kind == "org":
            named = named or not m.needs_evidence
            for v in (m.entity.value, *m.entity.also_organisations):
                if v not in actors:
                    actors.append(v)
    for _start, _end, value in actor_spans:
        named = True
        persons.add(value)
        if value not in actors:
            actors.append(value)
    return _Named(countries, places, actors, persons, named)


@dataclass(slots=True)
class _Context(_Names):
    """What the previous sentences named, for sentences that only say "they" or name nothing."""

    para: int = -1

    def has_location(self) -> bool:
        return bool(self.countries or self.places)

    def remember(self, found: _Named, para: int, carried: bool, carried_loc: bool) -> None:
        """Called for a sentence that names something itself: its actors, and its places unless borrowed."""
        if found.actors and not carried:
            self.actors, self.persons = found.actors, found.persons
        if (found.countries or found.places) and not (carried or carried_loc):
            self.countries, self.places = found.countries, found.places
        self.para = para


def _borrow_context(found: _Named, sentence: str, para: int, context: _Context,
                    primary: tuple[str, ...]) -> tuple[bool, bool]:
    """Fill in what the sentence lacks from the context or the primary countries; (carried, carried_loc)."""
    has_own = bool(found.actors or found.countries or found.places)
    if not has_own:
        if context.para == para and (context.actors or context.has_location()):
            # "Officials indicated that a deal was expected...": the previous sentence's context; but a
            # sentence that names nothing is about the article's own country, not a neighbour the previous
            # sentence named in passing ("talks with Serbia wait. Municipal elections are due on ...")
            found.actors, found.persons = list(context.actors), set(context.persons)
            found.countries, found.places = list(context.countries), list(context.places)
            if (primary and found.countries and not set(found.countries) & set(primary) and not found.places
                    and not PRONOUN_START_RE.match(sentence)):
                found.countries = list(primary)
            return True, False
        if primary:
            found.countries = list(primary)
            return False, True
        return False, False
    if not (found.countries or found.places):
        if context.para == para and PRONOUN_START_RE.match(sentence) and context.has_location():
            found.countries, found.places = list(context.countries), list(context.places)
        elif primary:
            found.countries = list(primary)
        elif context.has_location():
            found.countries, found.places = list(context.countries), list(context.places)
        return False, bool(found.countries or found.places)
    if not found.actors and context.para == para and PRONOUN_START_RE.match(sentence) and context.actors:
        found.actors, found.persons = list(context.actors), set(context.persons)
    return False, False


def _background_facts(text: str, s: int, si: int, para: int, cues, per: _PerSentence, published: date,
                      found: _Named) -> list[_Candidate]:
    """Dated facts told in a relative clause ("the EU, which Croatia joined in 2013", "an order signed by
    the president in June 2021"): background the labelling guide counts as ``occurred``, one per date
    (the clause's action in the simple past, before the publication; not a perfect "which had blocked the
    talks since 2020").  A clause with no past form and a date ahead ("the deadline, which runs out on
    26 July", "the EU, which Rama wants the country to join by 2030") is an ``expected`` development."""
    out = []
    for rs, re_ in cues.relative_clauses:
        clause = text[s + rs:s + re_]
        inside = [(d, m) for d, m in per.dates[si] if s + rs <= d.start and d.end <= s + re_]
        words = words_of(clause)
        action = simple_past_action(words)
        # a clause ahead says so without a past form ("who turned 71 on Saturday" is past, whatever the day)
        told_ahead = not action and sentence_is_past(words) is not True and not any(w.endswith("ed") for w in words)
        ahead = [(d, m, rng) for d, m in inside if told_ahead and d.day_offset is None and not d.vague
                 and (rng := resolve_mention(m, published, False)) is not None and rng.start > published]
        if ahead:  # "the deadline, which runs out on 26 July", "the EU, which it wants to join by 2030"
            inside = []
        elif not action:
            continue
        own = _named_in([m for m in per.mentions[si] if s + rs <= m.start and m.end <= s + re_], [])
        countries = own.countries + [c for c in found.countries if c not in own.countries]
        places = own.places + [p for p in found.places if p not in own.places]
        if not (countries or places):
            continue
        for d, _m, rng in ahead:
            out.append(_Candidate([si], s + rs, s + re_, para, "expected", list(own.actors), set(own.persons),
                                  own.named, list(countries), list(places), {}, [(d, rng)], False, False,
                                  not own.countries, False,
                                  [f"date ahead in a relative clause: {d.text.strip()}"], [], background=True))
        for d, m in inside:
            rng = resolve_mention(m, published, True)
            if rng is None or d.vague or d.deadline or d.day_offset is not None or rng.end >= published:
                continue
            out.append(_Candidate([si], s + rs, s + re_, para, "occurred", list(own.actors), set(own.persons),
                                  own.named, list(countries), list(places), {}, [(d, rng)], False, False,
                                  not own.countries, False,
                                  [f"background fact in a relative clause: '{action}' {d.text.strip()}"], [],
                                  background=True))
    return out


def _candidates(text: str, published: date | None, sentences: list[Sentence], per: _PerSentence,
                primary: tuple[str, ...], opinion: bool = False) -> tuple[list[_Candidate], dict[int, int]]:
    """One candidate per sentence that has a status and something to anchor it; also each paragraph's first sentence."""
    para_first: dict[int, int] = {}
    para_commentary: dict[int, bool] = {}
    context = _Context()
    candidates: list[_Candidate] = []
    last_day: DateRange | None = None  # the last day the text named ("the same day" is that day)
    last_date: DateRange | None = None  # the last date of any precision ("afterwards")
    carry: tuple[int, list[DatedMention]] | None = None  # an anchored time of a sentence without a status
    skipped: set[int] = set()  # paragraphs that are captions or teasers
    labelled: set[int] = set()  # paragraphs labelled as opinion ("Analysis:", "Comment:")
    for si, (s, e, para) in enumerate(sentences):
        para_first.setdefault(para, si)
        if para in skipped or (not per.mentions[si] and not per.actors[si] and not per.dates[si]
                               and para in para_commentary and not (carry and carry[0] == para and carry[1])):
            continue  # a caption, or nothing to anchor an event (no name, no date): not worth the cue analysis
        sentence = text[s:e]
        opens_commentary = bool(COMMENTARY_RE.match(sentence))
        if para not in para_commentary:
            label = paragraph_label(sentence)
            if label == "skip":
                skipped.add(para)
                continue
            if label == "commentary":  # "Comment: ...": all of it is the writer's view, dated facts included
                labelled.add(para)
            para_commentary[para] = label == "commentary" or opens_commentary
        commentary = para_commentary[para] or opens_commentary
        found = _named_in(per.mentions[si], per.actors[si])
        cues = sentence_cues(sentence)
        status = cues.status
        why: list[str] = []
        dates = (resolved_dates(text, per.dates[si], cues.relative_clauses, s, cues.words, published, status)
                 if per.dates[si] else [])
        if dates:
            for k, (d, rng) in enumerate(dates):  # in order: "approved it in April 2023, adopted shortly afterwards"
                if d.day_offset is not None:
                    # "will meet on 21 October and report within six months of that meeting": a deadline
                    # counts from the day named just before it in its sentence, even one still ahead
                    before = dates[k - 1][1] if k and d.deadline else None
                    day = before if before is not None and before.precision == "day" else last_day
                    d, rng = dates[k] = anchored(d, rng, day, last_date)
                # a reaction "within hours" follows something that happened: a date still ahead is no anchor
                if rng is not None and not d.vague and not d.deadline and (published is None or rng.start <= published):
                    last_date = rng
                    last_day = rng if rng.precision == "day" else last_day
            carry = (para, [dm for dm in dates if dm[0].day_offset is not None and dm[1] is not None]
                     ) if not status else None
        else:
            if carry and carry[0] == para and carry[1]:  # "Dodik reacted within hours. He said ...": carried on
                dates = carry[1]
                why.append(f"time '{dates[0][0].text.strip()}' carried from the previous sentence")
            carry = None
        if not dates and published is not None:
            offset = offset_before_publication(sentence, s, published)
            if offset:  # "The decision comes a month after ...": that long before the time of writing
                dates = [offset]
                why.append(f"'{offset[0].text.strip()}' counted back from the publication date")
        if status is None and dates and (found.actors or found.countries or found.places or context.has_location()):
            from_date = status_from_date(dates, published)
            if from_date:
                status = from_date[0]
                why.append(from_date[1])
        if status == "statement" and not dates and published is not None:
            present = present_tense_cue(cues.words)
            if present:  # "Kurti has refused": a statement in the present tense holds at the time of writing
                dates = [publication_month(published, present, s)]
                why.append(f"present tense '{present}': around publication")
            elif not commentary and not opinion:
                reported = reported_speech_cue(cues.words)
                if reported:  # "the ministry said ...": the statement is the news, made by the dateline
                    dates = [by_the_dateline(published, f"reported '{reported}' as the news", s)]
                    why.append(f"'{reported}' with no day of its own: made by the dateline (publication month)")
        if status:
            status, change = revise_status(status, cues.words, dates, published)
            if change:
                why.append(change)
        if status == "occurred" and not dates and published is not None and not commentary and not opinion:
            action = simple_past_action(cues.words)
            if action:  # "police detained 20 people": the news of a dated text happened by its dateline
                dates = [by_the_dateline(published, f"past action '{action}' in the news", s)]
                why.append(f"'{action}' with no date of its own: by the dateline (publication month)")
        if commentary and not opens_commentary and para not in labelled and status in ("occurred", "statement") and any(
                rng is not None and not d.vague and (published is None or rng.start <= published) for d, rng in dates):
            commentary = False  # a dated past fact inside a commentary paragraph is a development, not the comment
        has_own = bool(found.actors or found.countries or found.places)
        carried, carried_loc = _borrow_context(found, sentence, para, context, primary) if status else (False, False)
        if has_own:
            context.remember(found, para, carried, carried_loc)
        if published is not None and not commentary and cues.relative_clauses and per.dates[si]:
            candidates += _background_facts(text, s, si, para, cues, per, published, found)
        if not status or not (found.actors or found.countries or found.places):
            continue
        topic_score: dict[str, float] = {}
        for topic, w, _key, _start, _end in per.topic_hits[si]:
            topic_score[topic] = topic_score.get(topic, 0.0) + w
        candidates.append(_Candidate([si], s, e, para, status, found.actors, found.persons, found.named,
                                     found.countries, found.places, topic_score, dates, commentary, carried,
                                     carried_loc, cues.hedged, why, []))
        cue, news_speech = status_cue(cues)
        if cue:
            why.insert(0, cue)
        candidates[-1].markers = list(sentence_markers(cues, news_speech))
        candidates[-1].pronoun = bool(_SPEAKER_PRONOUN_RE.match(sentence))
        if status == "ongoing" and not dates and published is not None:
            # "talks are continuing", "several members are considering": in a dated text, a state of
            # things with no time of its own is background, not a development (one that started on a
            # stated date is: "has been stuck since 15 April")
            candidates[-1].markers.append("ongoing state without a date")
        elif not dates and published is not None:
            # a dated text whose sentence yields no date at all, not even the dateline (a perfect "had
            # urged", "have charged"; an expectation with no time, "will not host other centres"): told
            # as background, or an undated expectation - no development an analyst can place
            candidates[-1].markers.append(f"{status} without a date in a dated text")
    return candidates, para_first


# ---------------------------------------------------------------------------------------------- step 3
def _same_development(previous: _Candidate, c: _Candidate, para_first: dict[int, int]) -> bool:
    """Whether candidate ``c`` continues ``previous`` (the sentence right before it)."""
    if not (c.sentences[0] == previous.sentences[-1] + 1 and c.status == previous.status and not c.commentary
            and not previous.commentary and not _dates_conflict(previous, c)):
        return False
    if c.para == previous.para:
        shares_actor = bool(set(c.actors) & set(previous.actors))
        shares = shares_actor or bool(set(c.countries) & set(previous.countries))
        # statements by different named speakers stay apart
        # statements by different named speakers stay apart: the speaker is the first actor named
        same_speaker = c.pronoun or bool(c.actors and previous.actors and c.actors[0] in previous.actors)
        return c.carried or not c.named or (same_speaker if c.status == "statement" else shares)
    # the first sentence of the next paragraph: the same people without a new date, or the same date
    own_range, previous_range = c.primary_range(), previous.primary_range()
    return c.para == previous.para + 1 and para_first.get(c.para) == c.sentences[0] and (
        (not c.carried and bool(c.persons & previous.persons) and own_range is None)
        or (own_range is not None and previous_range is not None
            and (own_range.start, own_range.end) == (previous_range.start, previous_range.end)))


def _absorb(target: _Candidate, c: _Candidate) -> None:
    target.sentences += c.sentences
    target.para = c.para
    target.end = max(target.end, c.end)
    target.start = min(target.start, c.start)
    # NOTE: compares after ``para`` was updated, so ``contig`` never turns False and the evidence of a
    # merge across paragraphs spans both; kept as is so that the output does not change.
    target.contig = target.contig and c.para == target.para
    for name in ("actors", "countries", "places"):
        values = getattr(target, name)
        for v in getattr(c, name):
            if v not in values:
                values.append(v)
    target.persons |= c.persons
    target.named = target.named or c.named
    for t, w in c.topic.items():
        target.topic[t] = target.topic.get(t, 0.0) + w
    target.dates += c.dates
    target.carried = target.carried and c.carried
    target.carried_loc = target.carried_loc and c.carried_loc
    target.hedged = target.hedged and c.hedged
    target.cues += [w for w in c.cues if w not in target.cues]
    if not c.markers:  # one sentence that is a development makes the whole a development
        target.markers = []


def _merge_adjacent(candidates: list[_Candidate], para_first: dict[int, int], pieces: set[int]) -> list[_Candidate]:
    """Adjacent sentences about the same development become one candidate (not the dated clauses a
    sentence was cut into: those are separate developments)."""
    merged: list[_Candidate] = []
    apart: list[_Candidate] = []
    for c in candidates:
        if c.background:  # a fact from a relative clause is its own development, and no neighbour's
            apart.append(c)
            continue
        if merged and c.sentences[0] not in pieces and _same_development(merged[-1], c, para_first):
            _absorb(merged[-1], c)
        else:
            merged.append(c)
    return sorted(merged + apart, key=lambda c: c.start)  # in the order of the text


# ---------------------------------------------------------------------------------------------- step 4
def _confidence(c: _Candidate, chosen: DatedMention | None) -> tuple[float, tuple[str, ...]]:
    """The event's confidence and the cues that set it (see ``SCORING.event_*``)."""
    conf = SCORING.event_base
    why = list(c.cues)
    precise = False
    if chosen:
        d, rng = chosen
        if d.news_time:
            conf += SCORING.event_news_time_date
            why.append("date from the dateline (no date of its own)")
        elif d.implied:
            conf += SCORING.event_implied_date
            why.append("date implied by the tense (publication month)")
        elif d.vague:
            conf += SCORING.event_vague_date
            why.append(f"vague date '{d.text.strip()}' (no date stated)")
        elif rng is None:
            conf += SCORING.event_unresolved_date
            why.append(f"date '{d.text.strip()}' unresolved (no publication date)")
        else:
            precise = True
            conf += SCORING.event_date
            why.append(f"date '{d.text.strip()}' resolved")
    else:
        why.append("no date in the text")
    if c.named and not c.carried:
        conf += SCORING.event_named_actor
        why.append(f"named actor '{c.actors[0]}'" if c.actors else "named actor")
    elif c.actors:
        conf += SCORING.event_weak_actor  # only "the alliance"-style references or carried actors
        why.append("actor carried from context" if c.carried else "actor only by reference")
    if c.countries or c.places:
        if c.carried or c.carried_loc:
            conf += SCORING.event_carried_location_named if c.named else SCORING.event_carried_location
            why.append("place carried from context")
        else:
            conf += SCORING.event_own_location
            why.append("own country or place")
    if c.commentary:
        conf -= SCORING.event_commentary_penalty
        why.append("commentary paragraph")
    if c.hedged and not chosen and c.status != "statement":
        conf -= SCORING.event_hedged_penalty
        why.append("hedged without a date")
    # An opinion stays an opinion with a date, a state for decades stays background; a generic
    # stance, a habit or a quotation with a resolved date of its own is tied to a day or month:
    # something was done or said then ("on 3 May Dodik again threatened...").
    # A career step ("became prime minister in 2020") is background unless told to the day or month.
    day_or_month = precise and chosen[1].precision in ("day", "month")
    markers = [m for m in c.markers if not precise or m.startswith(("opinion", "long-standing"))
               or (m.startswith("career") and not day_or_month)]
    if markers:
        if not c.commentary:  # commentary already paid for being no development
            conf -= SCORING.event_no_development_penalty
        why.extend(f"{m}: no development" for m in markers)
    return round(max(0.0, min(SCORING.event_confidence_max, conf)), 2), tuple(why)


def _category(c: _Candidate, article_topics: dict[str, float]) -> str:
    """The candidate's strongest topic (ties: the article's stronger one), else the article's top topic."""
    if c.topic:
        top = max(c.topic.items(), key=lambda kv: (kv[1], article_topics.get(kv[0], 0.0)))[0]
    elif article_topics:
        top = max(article_topics.items(), key=lambda kv: kv[1])[0]
    else:
        top = DEFAULT_CATEGORY  # no topic cue anywhere in the article
    return top if top in TOPICS else DEFAULT_CATEGORY


def _evidence_span(c: _Candidate, sentences: list[Sentence]) -> tuple[int, int]:
    """The contiguous text when the merge stayed inside a paragraph, else the first paragraph's part."""
    if c.contig:
        return c.start, c.end
    first_para = [sentences[i] for i in c.sentences if sentences[i][2] == sentences[c.sentences[0]][2]]
    return first_para[0][0], first_para[-1][1]


def _event_from(c: _Candidate, text: str, sentences: list[Sentence], published: date | None,
                article_topics: dict[str, float]) -> ExtractedEvent | None:
    ev_s, ev_e = _evidence_span(c, sentences)
    evidence = text[ev_s:ev_e]
    chosen = _choose_date(c, published)
    conf, why = _confidence(c, chosen)
    if conf < SCORING.event_min_confidence:
        return None
    rng = chosen[1] if chosen else None
    first = sentences[c.sentences[0]]
    return ExtractedEvent(
        title=event_title(text[first[0]:first[1]]),
        summary=event_summary(evidence),
        evidence=evidence,
        evidence_start=ev_s,
        evidence_end=ev_e,
        date_text=chosen[0].text.strip() if chosen else None,
        date_start=rng.start if rng else None,
        date_end=rng.end if rng else None,
        date_precision=rng.precision if rng else None,
        status=c.status,
        category=_category(c, article_topics),
        countries=tuple(c.countries),
        places=tuple(c.places),
        actors=tuple(c.actors),
        confidence=conf,
        cues=why,
    )


def extract_events(text: str, published: date | None, mentions: list[Mention], actor_spans: list[ActorSpan],
                   topic_hits: list[TopicHit], article_topics: dict[str, float], doc: NormText | None = None,
                   sentences: list[Sentence] | None = None, primary: tuple[str, ...] = (),
                   dateline: Dateline | None = None, opinion: bool = False) -> list[ExtractedEvent]:
    """Dated events of one article (see the module docstring for the steps).

    ``mentions`` are the validated body mentions, ``actor_spans`` the people found next to them,
    ``article_topics`` the article's topic scores (for the category), ``primary`` its primary countries,
    ``dateline`` the text's dateline (:func:`.layout.find_dateline`): it is cut from the first sentence
    (its date is the filing date, not an event's; its town is where the text was filed).  ``opinion``:
    the title labels the text as analysis or opinion (:func:`.layout.opinion_title`), so its remarks
    and undated facts are not told as news: they get no date from the dateline.
    """
    if sentences is None:
        sentences = split_sentences(text)
    if dateline is not None:
        k = next((i for i, (s, e, _p) in enumerate(sentences) if s <= dateline.start < e), None)
        if k is not None:
            s0, e0, p0 = sentences[k]
            rest = dateline.end + len(text[dateline.end:e0]) - len(text[dateline.end:e0].lstrip())
            sentences = sentences[:k] + ([(rest, e0, p0)] if rest < e0 else []) + sentences[k + 1:]
    if not sentences:
        return []
    found_dates = find_dates(text, doc)
    # a clause dated only "afterwards" refers back: no date of its own to cut at
    sentences, pieces = split_dated_clauses(text, sentences, [d.start for d, _m in found_dates if d.day_offset is None])
    per = _per_sentence(sentences, mentions, actor_spans, topic_hits, found_dates)
    candidates, para_first = _candidates(text, published, sentences, per, primary, opinion)
    events = []
    for c in _merge_adjacent(candidates, para_first, pieces):
        event = _event_from(c, text, sentences, published, article_topics)
        if event is not None:
            events.append(event)
    return events
