"""Stage 1, matching names in text: every gazetteer alias and topic cue found in one text.

The text is normalised once (``NormText``: lower case, Cyrillic -> Latin, no diacritics, offsets
kept) and split into ``[a-z0-9]+`` tokens.  At each token the longest alias starting there is looked
up through a first-token index (a token trie in two dicts: ``Gazetteer.alias_first``); one-word case
forms ("Srbiju") go through ``Gazetteer.inflected``.  An alias only matches when its case rule holds
in the original text ("US" vs "us", "NIS" vs "Niš") and the tokens are joined by a plain gap (a
space, hyphen, apostrophe...: not a comma or a line break).  Topic cues use a second index over the
same tokens.  Nothing is judged here: :mod:`.disambiguation` decides which matches stand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dashboard.textnorm import NormText

from .gazetteer import Entity, Gazetteer
from .scoring import SCORING

# Case rules of an alias (from how the curated alias is written), strictest first: when several
# entities share an alias, only those with the strictest rule that holds are kept.
#   U: all capitals ("US", "NIS")    T: every word capitalised ("New York")
#   C: first letter a capital         A: any case
CASE_RULE_RANK = {"U": 3, "T": 2, "C": 1, "A": 0}
# Characters that may not sit between two tokens of one name.
_GAP_BREAKERS = set(",;:!?()[]{}\"\n\r\t/|")


class Mention:
    """One gazetteer match: entity, token range [first_token, end_token), character span in the original text."""

    __slots__ = ("entity", "first_token", "end_token", "start", "end", "is_short", "needs_evidence",
                 "weight_override", "country_override", "drop_country", "kind", "place", "country_code",
                 "country_weight")

    def __init__(self, entity: Entity, first_token: int, end_token: int, start: int, end: int, is_short: bool):
        self.entity = entity
        self.first_token, self.end_token = first_token, end_token
        self.start, self.end = start, end
        self.is_short = is_short  # a short alias (a surname) that needs the full name or a unique person
        self.needs_evidence = False  # set by disambiguation: the entity requires evidence elsewhere
        self.weight_override: float | None = None
        self.country_override: str | None = None
        self.drop_country = False
        self.kind = entity.kind
        self.place = entity.place
        self.country_code: str | None = None  # frozen ``country`` (see freeze)
        self.country_weight = 0.0  # frozen ``weight``

    @property
    def country(self) -> str | None:
        if self.drop_country:
            return None
        return self.country_override or self.entity.country

    @property
    def weight(self) -> float:
        if self.weight_override is not None:
            return self.weight_override
        if self.entity.weight is not None:
            return self.entity.weight
        return SCORING.country_weight.get(self.entity.kind, 0.0)

    def freeze(self) -> None:
        """Cache the derived values once disambiguation has set the overrides (hot loops read them)."""
        self.country_code = self.country
        self.country_weight = self.weight


TopicHit = tuple[str, float, str, int, int]  # topic, weight, cue key, start, end


@dataclass
class Scan:
    """What matching found in one text: its normalised form, tokens, alias matches, topic cue hits."""

    doc: NormText
    tokens: list[tuple[str, int, int]]  # (normalised token, start, end in doc.norm)
    mentions: list[Mention]
    topic_hits: list[TopicHit]

    def original_token(self, k: int) -> str:
        """Token ``k`` as written in the original text."""
        s, e = self.doc.orig_span(self.tokens[k][1], self.tokens[k][2])
        return self.doc.text[s:e]


def gap_joins_name(gap: str) -> bool:
    """Whether the characters between two tokens can sit inside one name ("Bosnia and Herzegovina")."""
    if gap in (" ", "-", "'", ".", "&"):
        return True
    if len(gap) > 3 or "." in gap:
        return False
    return not any(c in _GAP_BREAKERS for c in gap)


def case_rule_holds(rule: str, written: str) -> bool:
    """Whether ``written`` (the original text of a match) obeys the alias's case rule."""
    if rule == "A":
        return True
    if rule == "U":
        return all(c.isupper() for c in written if c.isalpha())
    if rule == "C":
        for c in written:
            if c.isalpha():
                return c.isupper()
        return False
    if rule == "T":
        return all(w[0].isupper() for w in written.split() if w[0].isalpha())
    return True


class _TokenMatcher:
    """Longest-key lookup over the tokens of one text for a table keyed by space-joined tokens."""

    def __init__(self, strs: list[str], gaps: list[str]):
        self.strs, self.gaps, self.n = strs, gaps, len(strs)

    def can_join(self, k: int) -> bool:
        gap = self.gaps[k]
        return gap == " " or gap_joins_name(gap)

    def multi_possible(self, i: int, first_info: tuple) -> bool:
        """A key of two or more tokens can start at ``i`` (the next token is a known second token)."""
        return first_info[0] > 1 and i + 1 < self.n and self.strs[i + 1] in first_info[1]

    def candidates(self, i: int, first_info: tuple, table: dict) -> Iterator[tuple[int, tuple]]:
        """(length in tokens, table entry) of the keys starting at token ``i``, longest first."""
        strs, n = self.strs, self.n
        longest, seconds = first_info
        if longest > 1 and i + 1 < n and strs[i + 1] in seconds and self.can_join(i):
            limit = 2
            while limit < longest and i + limit < n and self.can_join(i + limit - 1):
                limit += 1
            for length in range(limit, 1, -1):
                entry = table.get(" ".join(strs[i:i + length]))
                if entry:
                    yield length, entry
        entry = table.get(strs[i])
        if entry:
            yield 1, entry


def _alias_mentions(text: str, doc: NormText, strs, starts, ends, matcher: _TokenMatcher,
                    gazetteer: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    aliases, alias_first, inflected = gazetteer.aliases, gazetteer.alias_first, gazetteer.inflected
    next_free = 0  # first token not consumed by an earlier match
    for i in [k for k, t in enumerate(strs) if t in alias_first or t in inflected]:
        if i < next_free:
            continue
        token = strs[i]
        first_info = alias_first.get(token)
        if first_info is None:
            found = ((1, inflected[token]),)
        elif not matcher.multi_possible(i, first_info):
            entry = aliases.get(token)
            if entry is None:
                continue
            found = ((1, entry),)
        else:
            found = matcher.candidates(i, first_info, aliases)
        for length, entry in found:
            s, e = doc.orig_span(starts[i], ends[i + length - 1])
            written = text[s:e]
            holding = [c for c in entry if case_rule_holds(c[1], written)]
            if holding:
                if len(holding) > 1:
                    strictest = max(CASE_RULE_RANK[c[1]] for c in holding)
                else:
                    strictest = CASE_RULE_RANK[holding[0][1]]
                for entity, rule, is_short in holding:
                    if CASE_RULE_RANK[rule] == strictest:
                        mentions.append(Mention(entity, i, i + length, s, e, is_short))
                next_free = i + length
                break
    return mentions


def _topic_hits(doc: NormText, strs, starts, ends, matcher: _TokenMatcher, gazetteer: Gazetteer) -> list[TopicHit]:
    hits: list[TopicHit] = []
    cues, cue_first = gazetteer.topics, gazetteer.topic_first
    next_free = 0
    for i in [k for k, t in enumerate(strs) if t in cue_first]:
        if i < next_free:
            continue
        first_info = cue_first[strs[i]]
        if not matcher.multi_possible(i, first_info):
            entry = cues.get(strs[i])
            if not entry:
                continue
            length = 1
        else:
            found = next(matcher.candidates(i, first_info, cues), None)
            if not found:
                continue
            length, entry = found
        key = strs[i] if length == 1 else " ".join(strs[i:i + length])
        s, e = doc.orig_span(starts[i], ends[i + length - 1])
        for topic, weight in entry:
            hits.append((topic, weight, key, s, e))
        next_free = i + length
    return hits


def scan_text(text: str, gazetteer: Gazetteer, topics: bool = True) -> Scan:
    """All alias matches (longest first, no overlaps) and, unless ``topics`` is False, topic cue hits."""
    doc = NormText(text)
    strs, starts, ends, gaps = doc.token_arrays()
    tokens = list(zip(strs, starts, ends, strict=True))
    matcher = _TokenMatcher(strs, gaps)
    mentions = _alias_mentions(text, doc, strs, starts, ends, matcher, gazetteer)
    hits = _topic_hits(doc, strs, starts, ends, matcher, gazetteer) if topics else []
    return Scan(doc, tokens, mentions, hits)
