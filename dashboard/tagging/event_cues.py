"""Stage 5a, event cues: the status of one sentence (expected / ongoing / occurred / statement) from its words.

Cues: expected (will, plans to, expected to, to be held...), ongoing (is reviewing, underway,
continues to...), occurred (past action verbs), statement (said, warned...).  Relative clauses
(", which joined in 2013") are ignored.  When a sentence has cues of several of the first three
kinds the earliest cue wins ("won the vote, meaning he will need partners" -> occurred); statement
cues only count when no other cue is present ("warned that ... is drawing" -> statement,
"explained that a review is underway" -> ongoing).  Word sets, not regular expressions: this runs
on every sentence that names something.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD_RE = re.compile(r"[a-z]+(?:[-'][a-z]+)*")

# ---------------------------------------------------------------- expected: "will", "plans to", "is set to", "to be held"
_EXPECTED_WORDS = {"will", "shall", "upcoming", "forthcoming", "planned", "deadline", "won't"}
_EXPECTED_PAIRS = {
    ("expected", "to"), ("plans", "to"), ("plan", "to"), ("plans", "for"), ("plan", "for"), ("intends", "to"),
    ("intend", "to"), ("aims", "to"), ("aim", "to"), ("promised", "to"), ("pledged", "to"), ("vowed", "to"),
    ("scheduled", "for"), ("scheduled", "to"), ("slated", "to"), ("slated", "for"), ("planning", "to"),
    ("poised", "to"), ("intention", "to"), ("set", "to"), ("due", "to"), ("likely", "to"),
}
# "set to", "due to", "likely to" look forward only after a form of "be" ("is set to", not "set to work")
_EXPECTED_PAIRS_AFTER_BE = {("set", "to"), ("due", "to"), ("likely", "to")}
_FORMS_OF_BE = {"is", "are", "was", "were", "be", "been"}
# "to be held", "would be signed"
_EXPECTED_PARTICIPLES = {"held", "signed", "finalized", "finalised", "completed", "adopted", "opened", "launched",
                         "introduced", "deployed", "concluded", "implemented", "built", "formed", "elected", "ratified"}
# "would start", "would join"
_WOULD_VERBS = _EXPECTED_PARTICIPLES | {
    "sent", "allowed", "start", "begin", "take", "enter", "hold", "sign", "open", "join", "deploy", "apply", "remain",
    "halt", "cut", "send", "impose", "withdraw", "introduce", "continue", "resume", "block", "veto", "launch",
    "return", "visit",
}
_EXPECTED_PAIRS_PLAIN = (_EXPECTED_PAIRS - _EXPECTED_PAIRS_AFTER_BE) | {("would", w) for w in _WOULD_VERBS}
_EXPECTED_TRIPLES = ({(b, w0, w1) for b in _FORMS_OF_BE for (w0, w1) in _EXPECTED_PAIRS_AFTER_BE}
                     | {("to", "be", w) for w in _EXPECTED_PARTICIPLES} | {("would", "be", w) for w in _EXPECTED_PARTICIPLES})
_EXPECTED_TRIPLE_STARTS = {(a, b) for a, b, _c in _EXPECTED_TRIPLES}

# ---------------------------------------------------------------- ongoing: "is reviewing", "underway", "remains closed"
_ONGOING_WORDS = {"underway", "ongoing", "continuing", "evaluates", "assesses"}
_ONGOING_ING_VERBS = {"reviewing", "assessing", "evaluating", "negotiating", "considering", "discussing", "preparing",
                      "investigating", "examining", "conducting", "continuing", "drafting", "debating", "facing",
                      "experiencing", "struggling", "weighing", "holding", "working", "pushing", "seeking"}
_ONGOING_ADVERBS = {"currently", "still", "now", "closely", "actively", "also"}
_REMAIN_STATES = {"closed", "suspended", "blocked", "detained", "shut", "unresolved", "stalled", "frozen", "missing"}
_ONGOING_PAIRS = ({(b, w) for b in ("is", "are") for w in _ONGOING_ING_VERBS}
                  | {(a, w) for a in _ONGOING_ADVERBS for w in _ONGOING_ING_VERBS}
                  | {("under", "way")} | {(c, "to") for c in ("continues", "continue", "continued")}
                  | {(r, w) for r in ("remains", "remain") for w in _REMAIN_STATES})

# ---------------------------------------------------------------- occurred: past action verbs
# ("attended" and "raised" are left out: "attended by", "raised concerns" are no events)
OCCURRED_WORDS = {
    "killed", "injured", "wounded", "arrested", "detained", "clashed", "attacked", "adopted", "signed", "approved",
    "granted", "opened", "launched", "elected", "re-elected", "voted", "passed", "resigned", "imposed", "annulled",
    "sentenced", "deployed", "withdrew", "halted", "stopped", "suspended", "banned", "joined", "won", "lost",
    "protested", "rallied", "marched", "blocked", "stormed", "seized", "exploded", "collapsed", "ended", "began",
    "started", "introduced", "ratified", "agreed", "accepted", "rejected", "recognised", "recognized", "dismissed",
    "appointed", "abolished", "became", "entered", "switched", "raided", "fired", "shot", "died", "struck",
    "gathered", "occupied", "surrounded", "captured", "expelled", "vetoed", "endorsed", "unveiled", "closed",
    "reopened", "held", "hosted", "convened", "barricaded", "erected", "torched", "detonated", "defeated",
    "secured", "received", "completed", "overturned", "upheld", "revoked", "reinstated", "invoked", "cut",
    "crossed", "visited", "took", "came", "met", "sent", "tightened", "lifted", "dropped",
    "fell", "rose", "surged", "plunged", "allowed", "formed", "published", "presented", "submitted", "filed",
    "demanded", "boycotted", "remained", "failed", "opposed", "moved", "replaced", "shut", "freed",
    "released", "confiscated", "burned", "destroyed", "damaged", "evacuated", "stripped", "sanctioned",
    "ordered", "applied", "conceded", "congratulated", "amended", "acquitted", "charged", "indicted", "pardoned",
    "ruled", "arrived", "transferred", "delayed", "declared", "postponed", "cancelled", "canceled", "convicted",
    "handed", "kidnapped", "murdered", "assassinated", "bombed", "shelled", "deported", "extradited",
}
_RESIGN_VERBS = {"announced", "submitted", "offered", "tendered", "handed"}  # with "resignation": occurred

# ---------------------------------------------------------------- statement: "said", "warned", "according to"
# ("states" is left out: "the United States", "member states")
_STATEMENT_WORDS = {
    "said", "says", "stated", "warned", "warns", "signaled", "signalled", "signals", "noted", "notes",
    "told", "claimed", "claims", "insisted", "stressed", "stresses", "emphasized", "emphasised", "emphasizes",
    "emphasises", "argued", "accused", "denied", "confirmed", "reiterated", "announced", "declared", "urged",
    "condemned", "criticised", "criticized", "welcomed", "statement", "statements", "remarks", "explained",
    "added", "threatened", "suggested", "suggesting", "indicated", "described", "labelled", "labeled", "wrote",
    "tweeted", "posted", "announces", "warning", "insists", "argues", "recommended", "repeated", "called",
    "reaffirmed", "acknowledged", "admitted", "pledged", "promised", "proposed", "demanded", "asked",
}
_STATEMENT_PAIRS = {("according", "to"), ("called", "on"), ("called", "for")}
_STATEMENT_PAST = {w for w in _STATEMENT_WORDS if w.endswith("ed")}

_HEDGES = {"could", "might", "may", "should"}
_HEDGES_NOT_MAY = _HEDGES - {"may"}
# tense hints for dates without a year
_FUTURE_WORDS = {"will", "shall", "next", "upcoming", "forthcoming", "planned", "plans"}
_PAST_WORDS = {"was", "were", "had", "did", "said", "told", "took", "came", "met", "won", "lost", "held", "began"}
_RELATIVE_CLAUSE_RE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,;]*(?=[,;]|$)")

def _first_cue_position(words: list[str], singles: set, pairs: set, triples: set = frozenset()) -> int:
    """Index of the first word that starts a cue (a single word, a pair or a triple), else len(words)."""
    n = len(words)
    for k in range(n):
        w = words[k]
        if w in singles:
            return k
        if k + 1 < n:
            if (w, words[k + 1]) in pairs:
                return k
            if k + 2 < n and (w, words[k + 1], words[k + 2]) in triples:
                return k
    return n


class SentenceCues(NamedTuple):
    status: str | None  # expected | ongoing | occurred | statement | None
    hedged: bool  # could / might / should / may (not the month)
    words: list[str]  # lower-case words, relative clauses removed
    relative_clauses: list[tuple[int, int]]  # spans in the sentence


def _split_relative_clauses(sentence: str) -> tuple[list[tuple[int, int]], str]:
    if ", wh" not in sentence:
        return [], sentence
    spans = [m.span() for m in _RELATIVE_CLAUSE_RE.finditer(sentence)]
    return spans, (_RELATIVE_CLAUSE_RE.sub(",", sentence) if spans else sentence)


def _occurred_cues(word_set: set[str], pairs: set[tuple[str, str]]) -> set[str]:
    found = word_set & OCCURRED_WORDS
    if "declared" in found and ("declared", "that") in pairs:
        found = found - {"declared"}  # "declared that ...": a statement
    if "resignation" in word_set and word_set & _RESIGN_VERBS:
        found = found | {"resignation"} | (word_set & _RESIGN_VERBS)  # "announced his resignation"
    return found


def sentence_cues(sentence: str) -> SentenceCues:
    """Status, hedging, words and relative-clause spans of one sentence (see the module docstring)."""
    relative, core = _split_relative_clauses(sentence)
    words = _WORD_RE.findall(core.lower())
    word_set = set(words)
    hedged = bool(word_set & _HEDGES) and (bool(word_set & _HEDGES_NOT_MAY) or " may " in core)  # "May" the month is no hedge
    pairs = set(zip(words, words[1:], strict=False))
    expected = bool(word_set & _EXPECTED_WORDS or pairs & _EXPECTED_PAIRS_PLAIN or (
        pairs & _EXPECTED_TRIPLE_STARTS and set(zip(words, words[1:], words[2:], strict=False)) & _EXPECTED_TRIPLES))
    ongoing = bool(word_set & _ONGOING_WORDS or pairs & _ONGOING_PAIRS or ("still" in word_set and any(
        w0 == "still" and w1.endswith("ing") for w0, w1 in pairs)))
    occurred_words = _occurred_cues(word_set, pairs)
    occurred = bool(occurred_words)
    kinds = expected + ongoing + occurred
    if kinds == 0:
        if word_set & _STATEMENT_WORDS or pairs & _STATEMENT_PAIRS:
            return SentenceCues("statement", hedged, words, relative)
        return SentenceCues(None, hedged, words, relative)
    if kinds == 1:
        return SentenceCues("expected" if expected else "ongoing" if ongoing else "occurred", hedged, words, relative)
    never = 1 << 20
    position = {
        "expected": _first_cue_position(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)
        if expected else never,
        "ongoing": _first_cue_position(words, _ONGOING_WORDS, _ONGOING_PAIRS) if ongoing else never,
        "occurred": _first_cue_position(words, occurred_words, set()) if occurred else never,
    }
    order = ("expected", "ongoing", "occurred")
    return SentenceCues(min(order, key=lambda k: (position[k], order.index(k))), hedged, words, relative)


def sentence_is_past(words: list[str]) -> bool | None:
    """Tense hint for yearless dates: False (future), True (past) or None."""
    word_set = set(words)
    if word_set & _FUTURE_WORDS or ("expected", "to") in zip(words, words[1:], strict=False):
        return False
    if word_set & _PAST_WORDS or word_set & OCCURRED_WORDS or word_set & _STATEMENT_PAST:
        return True
    return None
