"""Gazetteer tagging, topic cues and event extraction (pure functions, no I/O after the gazetteer load).

Pipeline for one article
  1. Normalise once (``NormText``: lower-case, Cyrillic -> Latin, no diacritics, offsets kept), split
     into ``[a-z0-9]+`` tokens, and look up the longest gazetteer alias starting at each token through
     a first-token index (a token trie in two dicts).  Topic cues use a second index over the same tokens.
  2. Check case rules against the original text ("US" vs "us", "NIS" vs "Niš") and context rules:
     Georgia (country vs US state), Turkey (country vs bird), Jordan/Chad/Sofia (not inside a personal
     name), "Serbian"/"Albanian" before "protesters", "mayors", "community"... are ethnic, not states;
     "RS", "the alliance", "Split", "Bar" count only when their country/organisation is evidenced
     elsewhere; surname-only aliases only when the full name occurs (or the person is unambiguous).
  3. Aggregate: countries (with a score: names 1, towns 0.8, sub-national places 1, demonyms 0.5,
     people 0.5, country-bound organisations 0.3; primary = in the title, or a score of at least 2.5
     that is at least 45 % of the top score, counting +1 for a first mention early in the text),
     places, organisations, people (role words combined with an adjacent country/place/organisation:
     "NATO Secretary General Jens Stoltenberg", "the Prime Minister of Republika Srpska" without a name
     becomes a person tag whose value is the role, confidence 0.5), topics.
  4. Events: sentences with a status cue (expected > ongoing > occurred > statement) and an actor,
     country or place (or one carried from the previous sentence); adjacent sentences about the same
     development are merged.  Confidence 0.35 (status cue) + date 0.2 (0.05 for vague dates such as
     "Earlier") + named actor 0.15 (0.05 when only "the alliance"-style or carried) + country/place
     0.15, minus 0.1 for hedged sentences without a date, minus 0.35 inside commentary paragraphs
     ("Analysts note...", "In summary...", "From a strategic standpoint...").  Events under 0.3 are
     dropped; callers should show only ``confidence >= EVENT_CONFIDENCE_THRESHOLD`` (0.5) by default.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from dashboard.textnorm import NormText
from dashboard.vocab import DEFAULT_CATEGORY, TOPICS

from .dates import PRECISION_ORDER, DateMention, DateRange, find_dates, resolve_mention
from .gazetteer import Entity, Gazetteer, load_gazetteer
from .types import ArticleTags, ExtractedEvent, Tag

_RULE_RANK = {"U": 3, "T": 2, "C": 1, "A": 0}
_GAP_BAD = set(",;:!?()[]{}\"\n\r\t/|")
_QUALIFIER_KINDS = ("country", "demonym", "place", "org", "city")
_COUNTRY_WEIGHT = {"country": 1.0, "demonym": 0.5, "city": 0.8, "place": 1.0, "person": 0.5, "org": 0.3, "role": 0.5}

_ETHNIC_NOUNS = {
    "protesters", "protestors", "demonstrators", "residents", "community", "communities", "population", "minority",
    "majority", "mayors", "villagers", "people", "voters", "municipalities", "municipality", "areas", "enclaves",
    "enclave", "children", "families", "returnees", "refugees", "men", "women", "youths", "youth", "inhabitants",
    "villages", "village", "neighbourhoods", "neighborhoods", "parties", "lists", "list", "locals", "households", "settlements", "officials", "members", "member", "representatives", "crowds", "crowd",
    "nationalists", "populated", "speaking", "speakers", "language", "descent", "origin", "militants", "gunmen",
    "fighters", "paramilitaries", "rebels", "insurgents", "dominated", "minorities", "orthodox",
    "church", "churches", "monastery", "monasteries", "priests", "patriarch",
}
_NAME_STOP = {
    "the", "in", "on", "at", "of", "and", "from", "to", "with", "for", "by", "as", "after", "before", "during",
    "when", "while", "but", "if", "a", "an", "this", "that", "these", "those", "president", "minister", "prime",
    "king", "queen", "mr", "mrs", "ms", "dr", "said", "says", "north", "south", "east", "west", "central", "new",
    "former", "capital", "city", "state", "republic", "government", "northern", "southern", "eastern", "western",
    "both", "all", "some", "under", "over", "into", "across", "between", "about", "than", "like", "near", "it",
    "he", "she", "they", "we", "his", "her", "their", "its", "our", "my", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "since", "until", "outside", "inside", "neighbouring",
    "neighboring", "officials", "police", "forces", "troops", "leaders", "authorities", "parliament", "ministry",
}

_GEORGIA_US = re.compile(r"\b(?:atlanta|savannah|augusta|macon|u ?s state|state of georgia|georgia state|governor|county|counties|peach|florida|alabama|tennessee|carolina|kemp|raffensperger|fulton|appalachian|hurricane)\b")
_GEORGIA_GE = re.compile(r"\b(?:tbilisi|georgian dream|caucasus|abkhazia|south ossetia|ossetia|kobakhidze|zourabichvili|saakashvili|kavelashvili|batumi|kutaisi|lari|black sea)\b")
_TURKEY_BIRD = re.compile(r"\b(?:thanksgiving|pardon(?:ed|s)?|roast(?:ed)?|feathers|poultry|gobble|flock|stuffing|drumsticks?|birds?|hens?|gobblers?|farmers?|turkeys)\b")
_TURKEY_TR = re.compile(r"\b(?:ankara|erdogan|istanbul|turkish|turkiye|bosphorus|anatolia|izmir|kurdish)\b")
_TURKEY_NEXT = {"dinner", "breast", "sandwich", "sandwiches", "meat", "farm", "farms", "farmers", "legs", "pardon",
                "day", "bacon", "burger", "burgers", "feathers", "roast", "vulture", "vultures", "trot", "shoot", "hunting"}

# ---------------------------------------------------------------- status cues for events (word sets: fast)
_WORD_RE = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
_EXP_WORDS = {"will", "shall", "upcoming", "forthcoming", "planned", "deadline", "won't"}
_EXP_BI = {("expected", "to"), ("plans", "to"), ("plan", "to"), ("plans", "for"), ("plan", "for"), ("intends", "to"),
           ("intend", "to"), ("aims", "to"), ("aim", "to"), ("promised", "to"), ("pledged", "to"), ("vowed", "to"),
           ("scheduled", "for"), ("scheduled", "to"), ("slated", "to"), ("slated", "for"), ("planning", "to"),
           ("poised", "to"), ("intention", "to"), ("set", "to"), ("due", "to"), ("likely", "to")}
_EXP_BI_NEEDS_BE = {("set", "to"), ("due", "to"), ("likely", "to")}
_BE = {"is", "are", "was", "were", "be", "been"}
_EXP_TO_BE = {"held", "signed", "finalized", "finalised", "completed", "adopted", "opened", "launched", "introduced",
              "deployed", "concluded", "implemented", "built", "formed", "elected", "ratified"}
_EXP_WOULD = _EXP_TO_BE | {"sent", "allowed", "start", "begin", "take", "enter", "hold", "sign", "open", "join", "deploy",
                          "apply", "remain", "halt", "cut", "send", "impose", "withdraw", "introduce", "continue",
                          "resume", "block", "veto", "launch", "return", "visit"}
_ONG_WORDS = {"underway", "ongoing", "continuing", "evaluates", "assesses"}
_ONG_ING = {"reviewing", "assessing", "evaluating", "negotiating", "considering", "discussing", "preparing",
            "investigating", "examining", "conducting", "continuing", "drafting", "debating", "facing",
            "experiencing", "struggling", "weighing", "holding", "working", "pushing", "seeking"}
_ONG_ADV = {"currently", "still", "now", "closely", "actively", "also"}
_ONG_REMAIN = {"closed", "suspended", "blocked", "detained", "shut", "unresolved", "stalled", "frozen", "missing"}
_OCC_WORDS = {
    "killed", "injured", "wounded", "arrested", "detained", "clashed", "attacked", "adopted", "signed", "approved",
    "granted", "opened", "launched", "elected", "re-elected", "voted", "passed", "resigned", "imposed", "annulled",
    "sentenced", "deployed", "withdrew", "halted", "stopped", "suspended", "banned", "joined", "won", "lost",
    "protested", "rallied", "marched", "blocked", "stormed", "seized", "exploded", "collapsed", "ended", "began",
    "started", "introduced", "ratified", "agreed", "accepted", "rejected", "recognised", "recognized", "dismissed",
    "appointed", "abolished", "became", "entered", "switched", "raided", "fired", "shot", "died", "struck",
    "gathered", "occupied", "surrounded", "captured", "expelled", "vetoed", "endorsed", "unveiled", "closed",
    "reopened", "held", "hosted", "convened", "barricaded", "erected", "torched", "detonated", "defeated",
    "secured", "received", "completed", "overturned", "upheld", "revoked", "reinstated", "invoked", "cut",
    "crossed", "attended", "visited", "took", "came", "met", "sent", "tightened", "lifted", "dropped",
    "fell", "rose", "surged", "plunged", "allowed", "formed", "published", "presented", "submitted", "filed",
    "demanded", "boycotted", "remained", "failed", "opposed", "moved", "replaced", "shut", "freed",
    "released", "confiscated", "burned", "destroyed", "damaged", "evacuated", "stripped", "sanctioned",
    "ordered", "applied", "conceded", "congratulated", "amended", "acquitted", "charged", "indicted", "pardoned",
    "ruled", "arrived", "transferred", "delayed", "declared", "postponed", "cancelled", "canceled", "convicted",
    "raised", "handed", "kidnapped", "murdered", "assassinated", "bombed", "shelled", "deported", "extradited",
}
_OCC_WORDS.discard("attended")
_OCC_WORDS.discard("raised")
_PRONOUN_START_RE = re.compile(r"^\W*(?:he|she|they|it|his|her|their|its|this|these|the\s+(?:alliance|bloc|minister|president|leader|government|party|mission|court|ministry|organisation|organization|company))\b", re.I)
_RESIGN_VERBS = {"announced", "submitted", "offered", "tendered", "handed"}
_STM_WORDS = {
    "said", "says", "stated", "states", "warned", "warns", "signaled", "signalled", "signals", "noted", "notes",
    "told", "claimed", "claims", "insisted", "stressed", "stresses", "emphasized", "emphasised", "emphasizes",
    "emphasises", "argued", "accused", "denied", "confirmed", "reiterated", "announced", "declared", "urged",
    "condemned", "criticised", "criticized", "welcomed", "statement", "statements", "remarks", "explained",
    "added", "threatened", "suggested", "suggesting", "indicated", "described", "labelled", "labeled", "wrote",
    "tweeted", "posted", "announces", "warning", "insists", "argues", "recommended", "repeated", "called",
    "reaffirmed", "acknowledged", "admitted", "pledged", "promised", "proposed", "demanded", "asked",
}
_STM_WORDS.discard("states")
_HEDGES = {"could", "might", "may", "should"}
_HEDGES_NOT_MAY = _HEDGES - {"may"}
_STM_PAST = {w for w in _STM_WORDS if w.endswith("ed")}
_FUTURE_WORDS = {"will", "shall", "next", "upcoming", "forthcoming", "planned", "plans"}
_PAST_WORDS = {"was", "were", "had", "did", "said", "told", "took", "came", "met", "won", "lost", "held", "began"}
_REL_CLAUSE_RE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,;]*(?=[,;]|$)")


_EXP_BI_PLAIN = _EXP_BI - _EXP_BI_NEEDS_BE
_EXP_TRI = {(b, w0, w1) for b in _BE for (w0, w1) in _EXP_BI_NEEDS_BE} | {("to", "be", w) for w in _EXP_TO_BE} | {
    ("would", "be", w) for w in _EXP_TO_BE}
_EXP_BI_PLAIN |= {("would", w) for w in _EXP_WOULD}
_EXP_TRI_PREFIX = {(a, b) for a, b, _c in _EXP_TRI}
_ONG_BI = ({(b, w) for b in ("is", "are") for w in _ONG_ING} | {(a, w) for a in _ONG_ADV for w in _ONG_ING}
           | {("under", "way")} | {(c, "to") for c in ("continues", "continue", "continued")}
           | {(r, w) for r in ("remains", "remain") for w in _ONG_REMAIN})
_STM_BI = {("according", "to"), ("called", "on"), ("called", "for")}


def _first_pos(words: list[str], singles: set, pairs: set, triples: set = frozenset()) -> int:
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


def _sentence_cues(sentence: str) -> tuple[str | None, bool, list[str], list[tuple[int, int]]]:
    """(status, hedged, lower-case words, relative-clause spans) of one sentence.

    Cues: expected (will, plans to, expected to, to be held...), ongoing (is reviewing, underway,
    continues to...), occurred (past action verbs), statement (said, warned...).  Relative clauses
    (", which joined in 2013") are ignored.  When a sentence has cues of several of the first
    three kinds the earliest cue wins ("won the vote, meaning he will need partners" -> occurred);
    statement cues only count when no other cue is present ("warned that ... is drawing" ->
    statement, "explained that a review is underway" -> ongoing).
    """
    if ", wh" in sentence:
        rel = [m.span() for m in _REL_CLAUSE_RE.finditer(sentence)]
        core = _REL_CLAUSE_RE.sub(",", sentence) if rel else sentence
    else:
        rel, core = [], sentence
    words = _WORD_RE.findall(core.lower())
    ws = set(words)
    hedged = bool(ws & _HEDGES) and (bool(ws & _HEDGES_NOT_MAY) or " may " in core)  # "May" the month is no hedge
    bi = set(zip(words, words[1:], strict=False))
    exp = bool(ws & _EXP_WORDS or bi & _EXP_BI_PLAIN or (
        bi & _EXP_TRI_PREFIX and set(zip(words, words[1:], words[2:], strict=False)) & _EXP_TRI))
    ong = bool(ws & _ONG_WORDS or bi & _ONG_BI or ("still" in ws and any(
        w0 == "still" and w1.endswith("ing") for w0, w1 in bi)))
    occ_set = ws & _OCC_WORDS
    if "declared" in occ_set and ("declared", "that") in bi:
        occ_set = occ_set - {"declared"}
    if "resignation" in ws and ws & _RESIGN_VERBS:
        occ_set = occ_set | {"resignation"} | (ws & _RESIGN_VERBS)
    occ = bool(occ_set)
    kinds = exp + ong + occ
    if kinds == 0:
        if ws & _STM_WORDS or bi & _STM_BI:
            return "statement", hedged, words, rel
        return None, hedged, words, rel
    if kinds == 1:
        return ("expected" if exp else "ongoing" if ong else "occurred"), hedged, words, rel
    big = 1 << 20
    pos = {
        "expected": _first_pos(words, _EXP_WORDS, _EXP_BI_PLAIN, _EXP_TRI) if exp else big,
        "ongoing": _first_pos(words, _ONG_WORDS, _ONG_BI) if ong else big,
        "occurred": _first_pos(words, occ_set, set()) if occ else big,
    }
    order = ("expected", "ongoing", "occurred")
    return min(order, key=lambda k: (pos[k], order.index(k))), hedged, words, rel


def _sentence_past(words: list[str]) -> bool | None:
    """Tense hint for yearless dates: False (future), True (past) or None."""
    ws = set(words)
    if ws & _FUTURE_WORDS or ("expected", "to") in zip(words, words[1:], strict=False):
        return False
    if ws & _PAST_WORDS or ws & _OCC_WORDS or ws & _STM_PAST:
        return True
    return None


_COMMENTARY_RE = re.compile(
    r"^\s*(?:(?:some\s+|many\s+|most\s+|western\s+|local\s+)?(?:analysts?|experts?|commentators?|critics?|observers|pundits)\b"
    r"|in\s+summary|in\s+conclusion|to\s+sum\s+up|overall|all\s+in\s+all|from\s+a\s+strategic\s+standpoint|strategically"
    r"|the\s+discussions?\s+highlights?|taken\s+together|ultimately|in\s+the\s+long\s+run|looking\s+ahead|broadly"
    r"|in\s+general|generally|the\s+(?:broader|wider)\s+(?:picture|context))\b", re.I)
_LEAD_IN_RE = re.compile(
    r"^\s*(?:(?:in\s+)?(?:related|other|separate)\s+(?:regional\s+)?(?:developments?|news)|additionally|meanwhile|however"
    r"|moreover|furthermore|separately|also|earlier|later|in\s+addition|at\s+the\s+same\s+time|in\s+a\s+statement"
    r"|on\s+\w+|last\s+\w+|yesterday|today|according\s+to\s+[^,]+)\s*,\s*", re.I)
_ABBREV = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "prof", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "approx", "inc", "ltd", "co", "corp", "jr", "sr",
           "u.s", "u.k", "e.u", "u.n", "e.g", "i.e", "rep", "sen", "gov", "ret", "fig", "pp", "vol"}
_SENT_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")


class _Mention:
    """One gazetteer match: entity, token range [ti, tj), character span in the original text."""

    __slots__ = ("ent", "ti", "tj", "start", "end", "short", "req", "weight_override", "country_override",
                 "drop_country", "kind", "place", "cc", "w")

    def __init__(self, ent: Entity, ti: int, tj: int, start: int, end: int, short: bool):
        self.ent, self.ti, self.tj, self.start, self.end, self.short = ent, ti, tj, start, end, short
        self.req = False
        self.weight_override: float | None = None
        self.country_override: str | None = None
        self.drop_country = False
        self.kind = ent.kind
        self.place = ent.place
        self.cc: str | None = None
        self.w = 0.0

    @property
    def country(self) -> str | None:
        if self.drop_country:
            return None
        return self.country_override or self.ent.country

    @property
    def weight(self) -> float:
        if self.weight_override is not None:
            return self.weight_override
        if self.ent.weight is not None:
            return self.ent.weight
        return _COUNTRY_WEIGHT.get(self.ent.kind, 0.0)

    def freeze(self) -> None:
        """Cache the derived values once validation has set the overrides (hot loops read them)."""
        self.cc = self.country
        self.w = self.weight


@dataclass
class _Scan:
    doc: NormText
    tokens: list[tuple[str, int, int]]
    mentions: list[_Mention]
    topic_hits: list[tuple[str, float, str, int, int]]  # topic, weight, key, start, end


@dataclass
class _PersonAcc:
    value: str
    label: str
    role: str | None = None
    role_from_text: bool = False
    confidence: float = 0.0
    mentions: int = 0
    start: int | None = None
    end: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, start: int | None, end: int | None, conf: float) -> None:
        self.mentions += 1
        self.confidence = max(self.confidence, conf)
        if start is not None:
            self.spans.append((start, end))
            if self.start is None or start < self.start:
                self.start, self.end = start, end


# ====================================================================== scanning
def _gap_ok(gap: str) -> bool:
    if gap in (" ", "-", "'", ".", "-", "&"):
        return True
    if len(gap) > 3 or "." in gap:
        return False
    return not any(c in _GAP_BAD for c in gap)


def _case_ok(rule: str, orig: str) -> bool:
    if rule == "A":
        return True
    if rule == "U":
        return all(c.isupper() for c in orig if c.isalpha())
    if rule == "C":
        for c in orig:
            if c.isalpha():
                return c.isupper()
        return False
    if rule == "T":
        return all(w[0].isupper() for w in orig.split() if w[0].isalpha())
    return True


def _scan(text: str, g: Gazetteer, topics: bool = True) -> _Scan:
    doc = NormText(text)
    strs, starts, ends, gaps = doc.token_arrays()
    tokens = list(zip(strs, starts, ends, strict=True))
    n = len(tokens)
    mentions: list[_Mention] = []
    topic_hits: list[tuple[str, float, str, int, int]] = []

    def can_join(k: int) -> bool:
        gap = gaps[k]
        return gap == " " or _gap_ok(gap)

    def candidates(i: int, info: tuple, table: dict):
        maxn, seconds = info
        if maxn > 1 and i + 1 < n and strs[i + 1] in seconds and can_join(i):
            lim = 2
            while lim < maxn and i + lim < n and can_join(i + lim - 1):
                lim += 1
            for L in range(lim, 1, -1):
                cands = table.get(" ".join(strs[i:i + L]))
                if cands:
                    yield L, cands
        cands = table.get(strs[i])
        if cands:
            yield 1, cands

    def multi_possible(i: int, info: tuple) -> bool:
        return info[0] > 1 and i + 1 < n and strs[i + 1] in info[1]

    aliases, afirst, infl = g.aliases, g.alias_first, g.inflected
    nxt = 0  # first token not consumed by an earlier match
    for i in [k for k, t in enumerate(strs) if t in afirst or t in infl]:
        if i < nxt:
            continue
        t = strs[i]
        info = afirst.get(t)
        if info is None:
            found = ((1, infl[t]),)
        elif not multi_possible(i, info):
            c1 = aliases.get(t)
            if c1 is None:
                continue
            found = ((1, c1),)
        else:
            found = candidates(i, info, aliases)
        for L, cands in found:
            s, e = doc.orig_span(starts[i], ends[i + L - 1])
            orig = text[s:e]
            ok = [c for c in cands if _case_ok(c[1], orig)]
            if ok:
                best = max(_RULE_RANK[c[1]] for c in ok) if len(ok) > 1 else _RULE_RANK[ok[0][1]]
                for ent, rule, short in ok:
                    if _RULE_RANK[rule] == best:
                        mentions.append(_Mention(ent, i, i + L, s, e, short))
                nxt = i + L
                break

    if topics:
        tmap, tfirst = g.topics, g.topic_first
        nxt = 0
        for i in [k for k, t in enumerate(strs) if t in tfirst]:
            if i < nxt:
                continue
            info = tfirst[strs[i]]
            if not multi_possible(i, info):
                cands = tmap.get(strs[i])
                if not cands:
                    continue
                L = 1
            else:
                found = next(candidates(i, info, tmap), None)
                if not found:
                    continue
                L, cands = found
            key = strs[i] if L == 1 else " ".join(strs[i:i + L])
            s, e = doc.orig_span(starts[i], ends[i + L - 1])
            for topic, w in cands:
                topic_hits.append((topic, w, key, s, e))
            nxt = i + L
    return _Scan(doc, tokens, mentions, topic_hits)


# ====================================================================== validation
def _orig_token(scan: _Scan, k: int) -> str:
    s, e = scan.doc.orig_span(scan.tokens[k][1], scan.tokens[k][2])
    return scan.doc.text[s:e]


def _adjacent_name(scan: _Scan, m: _Mention, covered: set[int]) -> bool:
    """True when the mention sits inside a personal name ("Michael Jordan", "Sofia Coppola")."""
    toks, norm = scan.tokens, scan.doc.norm
    for k, gap in ((m.ti - 1, (m.ti - 1, m.ti)), (m.tj, (m.tj - 1, m.tj))):
        if k < 0 or k >= len(toks) or k in covered:
            continue
        a, b = gap
        if norm[toks[a][2]:toks[b][1]] != " ":
            continue
        word = _orig_token(scan, k)
        if word[:1].isupper() and toks[k][0] not in _NAME_STOP and not toks[k][0].isdigit():
            return True
    return False


def _validate(scan: _Scan, extra_evidence: set[str] | None = None) -> list[_Mention]:
    ms = scan.mentions
    if not ms:
        return []
    covered: set[int] = set()
    for m in ms:
        covered.update(range(m.ti, m.tj))
    norm = scan.doc.norm
    strs = scan.tokens
    kept: list[_Mention] = []
    for m in ms:
        ent = m.ent
        if ent.nn and _adjacent_name(scan, m, covered - set(range(m.ti, m.tj))):
            continue
        amb = ent.amb
        if amb == "georgia":
            us, ge = len(_GEORGIA_US.findall(norm)), len(_GEORGIA_GE.findall(norm))
            if us > ge:
                if ent.kind == "demonym":
                    continue
                m.country_override, m.weight_override = "US", 0.8
            elif ge == 0:
                m.weight_override = 0.8 if ent.kind == "country" else 0.4
        elif amb == "turkey":
            nxt = strs[m.tj][0] if m.tj < len(strs) else ""
            if nxt in _TURKEY_NEXT or (_TURKEY_BIRD.search(norm) and not _TURKEY_TR.search(norm)):
                continue
        elif amb == "jordan":
            pass  # the "nn" flag does the work
        elif amb == "ethnicadj":
            nxt = strs[m.tj][0] if m.tj < len(strs) else ""
            prv = strs[m.ti - 1][0] if m.ti > 0 else ""
            if nxt in _ETHNIC_NOUNS or prv == "ethnic":
                m.drop_country = True
        kept.append(m)

    evidence: set[str] = set(extra_evidence or ())
    full_people: set[int] = set()
    for m in kept:
        if m.ent.req or m.short:
            continue
        if m.country:
            evidence.add(m.country)
        evidence.add(m.ent.value)
        evidence.update(m.ent.also)
        if m.kind == "person":
            full_people.add(m.ent.idx)
    out = []
    for m in kept:
        if m.ent.req and m.ent.req not in evidence:
            continue
        if m.short and not (m.ent.solo or m.ent.idx in full_people):
            continue
        m.req = bool(m.ent.req)
        m.freeze()
        out.append(m)
    return out


# ====================================================================== aggregation helpers
def _country_evidence(ms: list[_Mention]):
    for m in ms:
        if m.kind in ("roleword", "region", "ethnic"):
            continue
        cc = m.cc
        if cc:
            yield m, cc, m.w


def _name_after(text: str, pos: int, covered_spans: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """A capitalised 2-3 word name right after ``pos`` ("... Foreign Minister Ivica Dačić said")."""
    m = re.match(r"[ \t]*,?[ \t]*", text[pos:pos + 4])
    p = pos + (m.end() if m else 0)
    words = []
    for wm in re.finditer(r"[^\s,;:()\"“”]+", text[p:p + 80]):
        if wm.start() > 0 and text[p + wm.start() - 1] not in " \t":
            break
        if words and text[p + words[-1][2]:p + wm.start()].strip():
            break
        w = wm.group()
        core = w.rstrip(".’'s") if w.endswith(("’s", "'s")) else w.rstrip(".")
        if not core or not core[0].isupper() or not any(c.islower() for c in core) or core.lower() in _NAME_STOP:
            break
        ws, we = p + wm.start(), p + wm.start() + len(core)
        if any(a < we and ws < b for a, b in covered_spans):
            break
        words.append((core, wm.start(), wm.start() + len(core)))
        if len(words) == 3 or w != core:
            break
    if len(words) < 2:
        return None
    return " ".join(w for w, _, _ in words), p + words[0][1], p + words[-1][2]


def _role_label(R: _Mention, Q: _Mention | None, g: Gazetteer) -> str | None:
    if Q is None:
        return None
    rv = R.ent.value
    if Q.kind == "org":
        return f"{Q.ent.value} {rv}"
    if Q.kind == "demonym":
        if Q.ent.place or not Q.country:
            return f"{Q.ent.label} {rv.lower()}"
        return f"{rv} of {g.countries.get(Q.country, Q.ent.label)}"
    if Q.kind == "place":
        return f"{rv} of {g.places.get(Q.ent.value, {}).get('name', Q.ent.label)}"
    if Q.kind == "country":
        return f"{rv} of {g.countries.get(Q.ent.value, Q.ent.label)}"
    if Q.kind == "city":
        return f"{rv} of {Q.ent.label}"
    return None


def _people(ms: list[_Mention], scan: _Scan, g: Gazetteer) -> tuple[dict[str, _PersonAcc], list[tuple[_Mention, str]]]:
    """Persons from gazetteer names and role phrases; also returns (mention, actor value) pairs for events."""
    text, toks, norm = scan.doc.text, scan.tokens, scan.doc.norm
    by_start = {m.ti: m for m in ms}
    by_end = {m.tj: m for m in ms}
    people: dict[str, _PersonAcc] = {}
    actor_spans: list[tuple[int, int, str]] = []
    role_of: dict[str, str] = {}  # text role -> named person value
    pending_roles: list[tuple[str, int, int]] = []

    def gap(a: int, b: int) -> str:
        return norm[toks[a - 1][2]:toks[b][1]] if 0 < b < len(toks) and a > 0 else ""

    for m in ms:
        if m.kind == "person":
            acc = people.get(m.ent.value)
            if acc is None:
                acc = people[m.ent.value] = _PersonAcc(m.ent.value, m.ent.label, m.ent.role)
            acc.add(m.start, m.end, 0.8 if m.short else 0.95)
            actor_spans.append((m.start, m.end, m.ent.value))

    covered = [(m.start, m.end) for m in ms]
    for R in ms:
        if R.kind not in ("roleword", "role"):
            continue
        Q = None
        first_tok, last_tok = R.ti, R.tj
        if R.kind == "roleword":
            q = by_end.get(R.ti)
            if q is None and R.ti >= 2 and toks[R.ti - 1][0] == "s":
                q = by_end.get(R.ti - 1)
            if q is not None and q.kind in _QUALIFIER_KINDS and gap(q.tj, q.tj) in (" ", "'", "-") or (
                    q is not None and q.kind in _QUALIFIER_KINDS and q.tj == R.ti - 1):
                Q = q
                first_tok = q.ti
            elif R.tj < len(toks) and toks[R.tj][0] == "of":
                k = R.tj + 1
                if k < len(toks) and toks[k][0] == "the":
                    k += 1
                q = by_start.get(k)
                if q is not None and q.kind in _QUALIFIER_KINDS:
                    Q = q
                    last_tok = q.tj
            label = _role_label(R, Q, g)
        else:
            label = R.ent.value
            Q = R
        # the person named next to the role
        P = by_start.get(last_tok)
        if P is not None and P.kind != "person":
            P = None
        if P is not None and norm[toks[last_tok - 1][2]:toks[last_tok][1]] not in (" ", ", "):
            P = None
        if P is None:
            k = first_tok
            if k > 0 and toks[k - 1][0] == "the":
                k -= 1
            p = by_end.get(k)
            if p is not None and p.kind == "person" and norm[toks[k - 1][2]:toks[k][1]] == ", ":
                P = p
        span_s = min(R.start, Q.start if Q else R.start)
        span_e = max(R.end, Q.end if Q else R.end)
        if P is not None:
            acc = people[P.ent.value]
            if label:
                acc.role, acc.role_from_text = label, True
                role_of[label] = P.ent.value
            elif not acc.role_from_text and not (acc.role and R.ent.value.lower() in acc.role.lower()):
                acc.role = R.ent.value
            continue
        if label is None:
            if R.kind == "roleword" and text[R.start:R.end][:1].isupper():
                nm = _name_after(text, span_e, covered)
                if nm:
                    name, ns, ne = nm
                    acc = people.get(name)
                    if acc is None:
                        acc = people[name] = _PersonAcc(name, name, R.ent.value, True)
                    acc.add(ns, ne, 0.6)
                    actor_spans.append((span_s, ne, name))
            continue
        nm = _name_after(text, span_e, covered)
        if nm:
            name, ns, ne = nm
            acc = people.get(name)
            if acc is None:
                acc = people[name] = _PersonAcc(name, name, label, True)
            acc.add(ns, ne, 0.6)
            role_of[label] = name
            actor_spans.append((span_s, ne, name))
            continue
        pending_roles.append((label, span_s, span_e))

    for label, s, e in pending_roles:
        named = role_of.get(label)
        if named:
            people[named].add(s, e, people[named].confidence)
            actor_spans.append((s, e, named))
            continue
        acc = people.get(label)
        if acc is None:
            acc = people[label] = _PersonAcc(label, label, label, True)
        acc.add(s, e, 0.5)
        actor_spans.append((s, e, label))
    return people, actor_spans


TOPIC_MIN_SCORE = 2.5  # and a cue of weight >= 2; see tag_article for the spread rule
_WEAK_CAP = 1.5


@dataclass
class _TopicStat:
    score: float = 0.0
    span: tuple[int, int] | None = None
    strong: bool = False
    strong_keys: set[str] = field(default_factory=set)
    first: int = 1 << 30
    hits: int = 0


def _topic_scores(hits, title_hits) -> dict[str, _TopicStat]:
    """Per topic: score (strong cues summed, a repeated cue counting half then a quarter...; weak cues
    add at most _WEAK_CAP), the span of the strongest cue, the distinct strong cues, the first hit."""
    per: dict[tuple[str, str], int] = {}
    strong: dict[str, float] = {}
    weak: dict[str, float] = {}
    best: dict[str, tuple[float, int, int]] = {}
    stats: dict[str, _TopicStat] = {}
    for topic, w, key, s, e in hits:
        st = stats.get(topic)
        if st is None:
            st = stats[topic] = _TopicStat()
        st.hits += 1
        if s < st.first:
            st.first = s
        c = per.get((topic, key), 0)
        per[(topic, key)] = c + 1
        if w >= 2:
            strong[topic] = strong.get(topic, 0.0) + w * (0.5 ** c)
            st.strong_keys.add(key)
        else:
            weak[topic] = weak.get(topic, 0.0) + w * (0.5 ** c)
        b = best.get(topic)
        if b is None or w > b[0]:
            best[topic] = (w, s, e)
    for topic, w, _key, _s, _e in title_hits:
        stats.setdefault(topic, _TopicStat())
        if w >= 2:
            strong[topic] = strong.get(topic, 0.0) + 1.5 * w
        else:
            weak[topic] = weak.get(topic, 0.0) + 1.5 * w
    for t, st in stats.items():
        st.score = strong.get(t, 0.0) + min(_WEAK_CAP, weak.get(t, 0.0))
        st.strong = t in strong
        b = best.get(t)
        st.span = (b[1], b[2]) if b else None
    return stats


# ====================================================================== sentences and events
def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of each sentence; a line break always ends a paragraph."""
    out = []
    para = 0
    pos = 0
    for line in text.split("\n"):
        ls = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = ls + (len(line) - len(line.lstrip()))
        for m in _SENT_END_RE.finditer(line):
            end = ls + m.end()
            before = line[max(0, m.start() - 12):m.start()]
            word = before.rsplit(None, 1)[-1].lower().lstrip("(\"“'‘").rstrip(".") if before.strip() else ""
            rest = line[m.end():].lstrip()
            if not rest:
                break
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'("):
                continue
            out.append((start, end, para))
            start = end + (len(text[end:ls + len(line)]) - len(text[end:ls + len(line)].lstrip()))
        end = ls + len(line.rstrip())
        if end > start:
            out.append((start, end, para))
        para += 1
    return out


def _title_from(sentence: str) -> str:
    s = " ".join(sentence[:400].split())
    for _ in range(2):
        m = _LEAD_IN_RE.match(s) if s.find(",", 0, 60) > 0 else None
        if not m:
            break
        s = s[m.end():]
    for sep in (", according to", "; ", " - ", " — ", ", which ", ", while ", ", amid ", ", signaling ", ", signalling "):
        k = s.find(sep)
        if k > 25:
            s = s[:k]
    s = s.rstrip(" .;:,")
    words = s.split()
    if len(words) > 16:
        s = " ".join(words[:16]).rstrip(",;:") + "…"
    return s[:1].upper() + s[1:]


def _summary_from(evidence: str) -> str:
    s = " ".join(evidence.split())
    if len(s) > 320:
        cut = s.rfind(" ", 0, 317)
        s = s[: cut if cut > 0 else 317].rstrip(",;:") + "…"
    return s


@dataclass(eq=False)
class _Cand:
    sents: list[int]
    start: int
    end: int
    para: int
    status: str
    actors: list[str]
    persons: set[str]
    named: bool
    countries: list[str]
    places: list[str]
    topic: dict[str, float]
    dates: list[tuple[DateMention, DateRange | None]]
    commentary: bool
    carried: bool  # actors/countries taken from an earlier sentence
    carried_loc: bool  # only the countries/places were taken from an earlier sentence
    hedged: bool
    contig: bool = True


def _bucket(items: list, sent_starts: list[int], sents, span) -> list[list]:
    """Items (sorted by start) grouped by the sentence that contains them entirely."""
    out: list[list] = [[] for _ in sents]
    for it in items:
        s, e = span(it)
        k = bisect.bisect_right(sent_starts, s) - 1
        if k >= 0 and e <= sents[k][1]:
            out[k].append(it)
    return out


def _primary_range(c: _Cand) -> DateRange | None:
    for d, rng in c.dates:
        if rng is not None and not d.vague and not d.deadline:
            return rng
    return None


def _dates_conflict(a: _Cand, b: _Cand) -> bool:
    ra, rb = _primary_range(a), _primary_range(b)
    return ra is not None and rb is not None and (ra.end < rb.start or rb.end < ra.start)


def _choose_date(c: _Cand, published: date | None) -> tuple[DateMention, DateRange | None] | None:
    best = None
    best_key = None
    for order, (d, rng) in enumerate(c.dates):
        if c.status == "expected":
            key = (0 if rng else 1, 0 if d.deadline else 1, 1 if d.vague else 0,
                   0 if (rng and published and rng.end >= published) else 1, order)
        elif c.status == "statement":
            key = (0 if rng else 1, 1 if d.vague else 0, order)
        else:
            key = (0 if rng else 1, 1 if d.vague else 0, PRECISION_ORDER.get(rng.precision, 9) if rng else 9, order)
        if best_key is None or key < best_key:
            best_key, best = key, (d, rng)
    return best


def _events(text: str, published: date | None, ms: list[_Mention], actor_spans, topic_hits,
            article_topics: dict[str, float], g: Gazetteer, doc: NormText | None = None,
            sents: list[tuple[int, int, int]] | None = None,
            primary: tuple[str, ...] = ()) -> list[ExtractedEvent]:
    if sents is None:
        sents = split_sentences(text)
    if not sents:
        return []
    date_list = find_dates(text, doc)
    sent_starts = [x[0] for x in sents]
    m_by_sent = _bucket(sorted(ms, key=lambda m: m.start), sent_starts, sents, lambda m: (m.start, m.end))
    a_by_sent = _bucket(sorted(actor_spans), sent_starts, sents, lambda a: (a[0], a[1]))
    th_by_sent = _bucket(sorted(topic_hits, key=lambda h: h[3]), sent_starts, sents, lambda h: (h[3], h[4]))
    d_by_sent = _bucket(date_list, sent_starts, sents, lambda dm: (dm[0].start, dm[0].end))
    para_first: dict[int, int] = {}

    para_commentary: dict[int, bool] = {}
    cands: list[_Cand] = []
    prev_actors: list[str] = []
    prev_persons: set[str] = set()
    prev_loc: tuple[list[str], list[str]] = ([], [])
    prev_para = -1
    for si, (s, e, para) in enumerate(sents):
        para_first.setdefault(para, si)
        inside = m_by_sent[si]
        if not inside and not a_by_sent[si] and not d_by_sent[si] and para in para_commentary:
            continue  # nothing to anchor an event (no name, no date): not worth the cue analysis
        sentence = text[s:e]
        if para not in para_commentary:
            para_commentary[para] = bool(_COMMENTARY_RE.match(sentence))
        commentary = para_commentary[para] or bool(_COMMENTARY_RE.match(sentence))
        countries, places, actors = [], [], []
        persons: set[str] = set()
        named = False
        for m in inside:
            cc = m.cc if m.kind not in ("roleword", "region", "ethnic") else None
            if cc and cc not in countries and m.w >= 0.3:
                countries.append(cc)
            if m.place and m.place not in places:
                places.append(m.place)
            if m.kind == "org":
                named = named or not m.req
                for v in (m.ent.value, *m.ent.also):
                    if v not in actors:
                        actors.append(v)
        for _a_s, _a_e, val in a_by_sent[si]:
            named = True
            persons.add(val)
            if val not in actors:
                actors.append(val)
        status, hedged, words, rel = _sentence_cues(sentence)
        dmatches = d_by_sent[si]
        if rel and dmatches:
            dmatches = [(d, m) for d, m in dmatches if not any(rs <= d.start - s < re_ for rs, re_ in rel)]
        dates: list[tuple[DateMention, DateRange | None]] = []
        if dmatches:
            past = _sentence_past(words)
            for d, m in dmatches:
                # a deadline ("by March") looks forward even in a past-tense sentence
                dates.append((d, resolve_mention(m, published, False if d.deadline else past)))
        if status is None and dates and (actors or countries or places or prev_loc[0] or prev_loc[1]):
            # no verb cue, but a precise date: "Citizens can travel visa-free from 1 January 2024"
            for d, rng in dates:
                if rng is not None and not d.vague and rng.precision in ("day", "month"):
                    status = "occurred" if published is None or rng.start <= published else "expected"
                    break
        if status == "statement" and published is not None:
            if any(d.deadline and rng is not None and rng.end > published for d, rng in dates):
                status = "expected"  # "said the mine could start production by 2028"
        has_own = bool(actors or countries or places)
        carried = carried_loc = False
        if status and not has_own:
            same_para = prev_para == para
            if same_para and (prev_actors or prev_loc[0] or prev_loc[1]):
                # "Officials indicated that a deal was expected...": the previous sentence's context
                actors, persons = list(prev_actors), set(prev_persons)
                countries, places = list(prev_loc[0]), list(prev_loc[1])
                carried = True
            elif primary:
                countries = list(primary)
                carried_loc = True
        elif status and not (countries or places):
            if prev_para == para and _PRONOUN_START_RE.match(sentence) and (prev_loc[0] or prev_loc[1]):
                countries, places = list(prev_loc[0]), list(prev_loc[1])
            elif primary:
                countries = list(primary)
            elif prev_loc[0] or prev_loc[1]:
                countries, places = list(prev_loc[0]), list(prev_loc[1])
            carried_loc = bool(countries or places)
        elif status and not actors and prev_para == para and _PRONOUN_START_RE.match(sentence) and prev_actors:
            actors, persons = list(prev_actors), set(prev_persons)
        if has_own:
            if actors and not carried:
                prev_actors, prev_persons = actors, persons
            if (countries or places) and not (carried or carried_loc):
                prev_loc = (countries, places)
            prev_para = para
        if not status or not (actors or countries or places):
            continue
        tscore: dict[str, float] = {}
        for topic, w, _k, _hs, _he in th_by_sent[si]:
            tscore[topic] = tscore.get(topic, 0.0) + w
        cands.append(_Cand([si], s, e, para, status, actors, persons, named, countries, places, tscore, dates,
                           commentary, carried, carried_loc, hedged))

    # merge adjacent sentences about the same development
    merged: list[_Cand] = []
    for c in cands:
        if merged:
            p = merged[-1]
            ok = (c.sents[0] == p.sents[-1] + 1 and c.status == p.status and not c.commentary
                  and not p.commentary and not _dates_conflict(p, c))
            if ok:
                if c.para == p.para:
                    shares_actor = bool(set(c.actors) & set(p.actors))
                    shares = shares_actor or bool(set(c.countries) & set(p.countries))
                    # statements by different named speakers stay apart
                    ok = c.carried or not c.named or (shares_actor if c.status == "statement" else shares)
                else:
                    rc, rp = _primary_range(c), _primary_range(p)
                    ok = (c.para == p.para + 1 and para_first.get(c.para) == c.sents[0] and (
                        (not c.carried and bool(c.persons & p.persons) and rc is None)
                        or (rc is not None and rp is not None and (rc.start, rc.end) == (rp.start, rp.end))))
            if ok:
                p.sents += c.sents
                p.para = c.para
                p.end = max(p.end, c.end)
                p.start = min(p.start, c.start)
                p.contig = p.contig and c.para == p.para
                for lst_name in ("actors", "countries", "places"):
                    lst = getattr(p, lst_name)
                    for v in getattr(c, lst_name):
                        if v not in lst:
                            lst.append(v)
                p.persons |= c.persons
                p.named = p.named or c.named
                for t, w in c.topic.items():
                    p.topic[t] = p.topic.get(t, 0.0) + w
                p.dates += c.dates
                p.carried = p.carried and c.carried
                p.carried_loc = p.carried_loc and c.carried_loc
                p.hedged = p.hedged and c.hedged
                continue
        merged.append(c)

    events: list[ExtractedEvent] = []
    for c in merged:
        # evidence: the contiguous text when the merge stayed inside a paragraph, else the first paragraph's part
        if c.contig:
            ev_s, ev_e = c.start, c.end
        else:
            ss = [sents[i] for i in c.sents if sents[i][2] == sents[c.sents[0]][2]]
            ev_s, ev_e = ss[0][0], ss[-1][1]
        evidence = text[ev_s:ev_e]
        chosen = _choose_date(c, published)
        date_text = chosen[0].text.strip() if chosen else None
        rng = chosen[1] if chosen else None
        conf = 0.35
        if chosen:
            conf += 0.05 if chosen[0].vague else 0.2
        if c.named and not c.carried:
            conf += 0.15
        elif c.actors:
            conf += 0.05  # only "the alliance"-style references or carried actors
        if c.countries or c.places:
            if c.carried or c.carried_loc:
                conf += 0.1 if c.named else 0.05
            else:
                conf += 0.15
        if c.commentary:
            conf -= 0.35
        if c.hedged and not chosen and c.status != "statement":
            conf -= 0.1
        conf = round(max(0.0, min(0.95, conf)), 2)
        if conf < 0.3:
            continue
        if c.topic:
            top = max(c.topic.items(), key=lambda kv: (kv[1], article_topics.get(kv[0], 0.0)))[0]
        elif article_topics:
            top = max(article_topics.items(), key=lambda kv: kv[1])[0]
        else:
            top = "politics"
        first_sentence = text[sents[c.sents[0]][0]:sents[c.sents[0]][1]]
        events.append(ExtractedEvent(
            title=_title_from(first_sentence),
            summary=_summary_from(evidence),
            evidence=evidence,
            evidence_start=ev_s,
            evidence_end=ev_e,
            date_text=date_text,
            date_start=rng.start if rng else None,
            date_end=rng.end if rng else None,
            date_precision=rng.precision if rng else None,
            status=c.status,
            category=top if top in TOPICS else DEFAULT_CATEGORY,
            countries=tuple(c.countries),
            places=tuple(c.places),
            actors=tuple(c.actors),
            confidence=conf,
        ))
    return events


# ====================================================================== public entry
PRIMARY_MIN_SCORE = 3.0
PRIMARY_SHARE = 0.55


def _mentions(text: str, title: str | None, g: Gazetteer, topics: bool = True):
    """Scan body and title, then validate each against what the other names."""
    scan = _scan(text, g, topics)
    tscan = _scan(title, g, topics) if title else None
    title_pre = _validate(tscan) if tscan else []
    title_ev = {m.country for m in title_pre if m.country} | {m.ent.value for m in title_pre}
    ms = _validate(scan, title_ev)
    body_ev = {m.country for m in ms if m.country} | {m.ent.value for m in ms} | {a for m in ms for a in m.ent.also}
    tms = _validate(tscan, body_ev) if tscan else []
    return scan, tscan, ms, tms


def _country_tags(ms: list[_Mention], tms: list[_Mention], n: int, g: Gazetteer) -> tuple[list[Tag], dict]:
    """Country tags (primary first) from validated body and title mentions, and each country's score."""
    cstat: dict[str, dict] = {}
    for m, cc, w in _country_evidence(ms):
        st = cstat.setdefault(cc, {"score": 0.0, "mentions": 0, "start": None, "end": None, "title": False, "max_w": 0.0})
        st["score"] += w
        st["mentions"] += 1
        st["max_w"] = max(st["max_w"], w)
        if st["start"] is None or m.start < st["start"]:
            st["start"], st["end"] = m.start, m.end
    for m, cc, w in _country_evidence(tms):
        st = cstat.setdefault(cc, {"score": 0.0, "mentions": 0, "start": None, "end": None, "title": False,
                                   "title_bonus": 0.0, "max_w": 0.0})
        # a country, entity or person named in the title makes the country primary; a demonym or a
        # town in the title ("Russian gas", "talks in Ohrid") only adds weight
        if w >= 0.8 and m.kind in ("country", "place", "person"):
            st["title"] = True
            st["title_bonus"] = max(st.get("title_bonus", 0.0), 3.0)
        else:
            st["title_bonus"] = max(st.get("title_bonus", 0.0), 1.0)
        st["score"] += w
        st["mentions"] += 1
        st["max_w"] = max(st["max_w"], w)
    pscore = {}
    for cc, st in cstat.items():
        p = st["score"] + st.get("title_bonus", 0.0)
        if st["start"] is not None and st["score"] >= 1.0 and (st["start"] < 500 or st["start"] < 0.2 * n):
            p += 1.0
        pscore[cc] = p
    maxp = max(pscore.values(), default=0.0)
    primary = {cc for cc, p in pscore.items() if cstat[cc]["title"] or (p >= PRIMARY_MIN_SCORE and p >= PRIMARY_SHARE * maxp)}
    if not primary and pscore:
        ranked = sorted(pscore.values(), reverse=True)
        top = max(pscore, key=pscore.get)
        if ranked[0] >= 2.0 and (len(ranked) == 1 or ranked[0] >= 1.5 * ranked[1]):
            primary.add(top)
    country_tags = []
    for cc, st in cstat.items():
        if st["score"] < 0.5 and not st["title"]:
            continue
        conf = min(0.99, 0.45 + 0.2 * st["score"] + (0.2 if st["title"] else 0.0))
        if st["max_w"] < 0.5:
            conf = min(conf, 0.45)
        country_tags.append(Tag("country", cc, g.countries.get(cc, cc), st["start"], st["end"], round(conf, 2),
                                cc in primary, None, st["mentions"]))
    country_tags.sort(key=lambda t: (-t.primary, -pscore[t.value], t.start if t.start is not None else 1 << 30))
    return country_tags, pscore


def tag_countries(text: str, title: str | None = None) -> list[Tag]:
    """Only the country tags of :func:`tag_article` (the same tags, primary first), without the rest.

    For triage of many texts where only the countries matter: it skips topics, people, dates and
    events, which are most of :func:`tag_article`'s work.
    """
    text = text or ""
    g = load_gazetteer()
    _scan_, _tscan, ms, tms = _mentions(text, title, g, topics=False)
    return _country_tags(ms, tms, max(len(text), 1), g)[0]


def tag_article(text: str, title: str | None = None, published: date | None = None) -> ArticleTags:
    """Tag one article; spans are offsets into ``text`` (title mentions have no span)."""
    text = text or ""
    g = load_gazetteer()
    scan, tscan, ms, tms = _mentions(text, title, g)
    n = max(len(text), 1)

    # ---- countries
    tags: list[Tag] = []
    country_tags, pscore = _country_tags(ms, tms, n, g)
    tags += country_tags

    # ---- places
    pstat: dict[str, dict] = {}
    n_body = len(ms)
    for k, m in enumerate(list(ms) + list(tms)):
        if not m.place or m.kind in ("roleword", "region", "ethnic"):
            continue
        in_title = k >= n_body
        st = pstat.setdefault(m.place, {"mentions": 0, "start": None, "end": None, "conf": 0.0})
        st["mentions"] += 1
        conf = {"place": 0.9, "city": 0.85, "demonym": 0.7, "person": 0.6, "org": 0.6, "role": 0.6}.get(m.kind, 0.6)
        if m.req:
            conf -= 0.15
        st["conf"] = max(st["conf"], conf)
        if not in_title and (st["start"] is None or m.start < st["start"]):
            st["start"], st["end"] = m.start, m.end
    for pid, st in sorted(pstat.items(), key=lambda kv: -kv[1]["mentions"]):
        tags.append(Tag("place", pid, g.places.get(pid, {}).get("name", pid), st["start"], st["end"],
                        round(st["conf"], 2), False, None, st["mentions"]))

    # ---- organisations
    ostat: dict[str, dict] = {}
    for k, m in enumerate(list(ms) + list(tms)):
        in_title = k >= n_body
        vals = []
        if m.kind == "org":
            vals.append((m.ent.value, 0.7 if m.req else 0.9))
        vals += [(a, 0.7) for a in m.ent.also]
        for v, conf in vals:
            st = ostat.setdefault(v, {"mentions": 0, "start": None, "end": None, "conf": 0.0})
            st["mentions"] += 1
            st["conf"] = max(st["conf"], conf)
            if not in_title and (st["start"] is None or m.start < st["start"]):
                st["start"], st["end"] = m.start, m.end
    for v, st in sorted(ostat.items(), key=lambda kv: (-kv[1]["mentions"], kv[1]["start"] or 0)):
        tags.append(Tag("organisation", v, g.org_labels.get(v, v), st["start"], st["end"], st["conf"], False,
                        None, st["mentions"]))

    # ---- people
    people, actor_spans = _people(ms, scan, g)
    for tm in tms:
        if tm.kind == "person" and tm.ent.value in people:
            people[tm.ent.value].mentions += 1
        elif tm.kind == "person" and not tm.short:
            acc = people[tm.ent.value] = _PersonAcc(tm.ent.value, tm.ent.label, tm.ent.role)
            acc.add(None, None, 0.9)
    for acc in sorted(people.values(), key=lambda a: (-a.mentions, a.start or 0)):
        tags.append(Tag("person", acc.value, acc.label, acc.start, acc.end, round(acc.confidence, 2), False,
                        acc.role, acc.mentions))

    # ---- topics
    tstats = _topic_scores(scan.topic_hits, tscan.topic_hits if tscan else [])
    article_topics = {t: st.score for t, st in tstats.items()}
    sents = split_sentences(text)
    title_topics = {h[0] for h in tscan.topic_hits} if tscan else set()
    early_limit = max(300, 0.25 * n)
    topic_tags = []
    for t, st in tstats.items():
        if st.score < TOPIC_MIN_SCORE or not st.strong or t not in TOPICS:
            continue
        # cues in one sentence deep in the text ("the fight against corruption" in a list of reforms)
        # are not what the article is about: need two sentences, two strong cues, the title or an early cue
        if len(st.strong_keys) < 2 and t not in title_topics and st.first > early_limit:
            sent_starts = [x[0] for x in sents]
            if len({bisect.bisect_right(sent_starts, h[3]) for h in scan.topic_hits if h[0] == t}) < 2:
                continue
        conf = min(0.95, 0.3 + 0.12 * st.score)
        span = st.span
        topic_tags.append(Tag("topic", t, t, span[0] if span else None, span[1] if span else None, round(conf, 2),
                              False, None, st.hits))
    topic_tags.sort(key=lambda t: -article_topics[t.value])
    tags += topic_tags

    primary_cc = tuple(t.value for t in country_tags if t.primary)
    events = _events(text, published, ms, actor_spans, scan.topic_hits, article_topics, g, scan.doc, sents, primary_cc)
    return ArticleTags(tags, events)
