"""Stage 5a, event cues: the status of one sentence (expected / ongoing / occurred / statement) from its words.

Cues: expected (will, plans to, expected to, to be held...), ongoing (is reviewing, underway,
continues to...), occurred (past action verbs), statement (said, warned...).  Relative clauses
(", which joined in 2013") are ignored.  When a sentence has cues of several of the first three
kinds the earliest cue wins ("won the vote, meaning he will need partners" -> occurred); statement
cues only count when no other cue is present ("warned that ... is drawing" -> statement,
"explained that a review is underway" -> ongoing).  Word sets, not regular expressions: this runs
on every sentence that names something.

For candidate sentences only: :func:`status_cue` names the cue that decided the status and tells a
speech act that is news (warned, threatened, announced, accused...) from a mere reporting verb
(said, noted, added); :func:`sentence_markers` finds the signs of no development (opinion, generic
stance, habit, a long-standing state, a quotation without a reported development) and, since issue 14,
background and parts of a development already told: a trend over a recent period ("over the past
decade"), the run-up ("in the months before the vote"), the state before the news ("Before the vote,
only seven had recognised"), a career step dated only to a year, a feeling or a wish reported, a claim
attributed only by "according to", a line of results ("came second with 42", "won eight seats") and an
undated addition with "also".  A participle with its agent after a noun ("an order signed by the
president in 2021") is a reduced relative clause, treated like a "which" clause.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD_RE = re.compile(r"[a-z]+(?:[-'][a-z]+)*")

# ---------------------------------------------------------------- expected: "will", "plans to", "is set to", "to be held"
_EXPECTED_WORDS = {"will", "shall", "upcoming", "forthcoming", "planned", "deadline", "won't"}
_EXPECTED_PAIRS = {
    ("expected", "to"), ("plans", "to"), ("plan", "to"), ("plans", "for"), ("plan", "for"), ("intends", "to"),
    ("intend", "to"), ("aims", "to"), ("aim", "to"), ("aims", "for"), ("aim", "for"), ("promised", "to"), ("pledged", "to"), ("vowed", "to"),
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
# "would soon learn": "soon" makes any verb after "would" look ahead (not a conditional "would help")
_EXPECTED_PAIRS_PLAIN = ((_EXPECTED_PAIRS - _EXPECTED_PAIRS_AFTER_BE) | {("would", w) for w in _WOULD_VERBS}
                         | {("would", "soon")})
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
# A past progressive of work in progress ("rescue teams were digging through the rubble on Monday",
# "firefighters were battling the blaze"): under way on the day the text names.
_UNDER_WAY_ON_THE_DAY = {"digging", "searching", "battling", "fighting", "clearing", "rescuing", "evacuating",
                         "negotiating", "investigating", "blocking", "besieging", "shelling", "burning"}
_ONGOING_PAIRS = ({(b, w) for b in ("is", "are") for w in _ONGOING_ING_VERBS}
                  | {(a, w) for a in _ONGOING_ADVERBS for w in _ONGOING_ING_VERBS}
                  | {("under", "way")} | {(c, "to") for c in ("continues", "continue", "continued")}
                  | {(r, w) for r in ("remains", "remain") for w in _REMAIN_STATES}
                  | {(b, w) for b in ("was", "were") for w in _UNDER_WAY_ON_THE_DAY})

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
    "ordered", "applied", "conceded", "amended", "acquitted", "charged", "indicted", "pardoned",
    "ruled", "arrived", "transferred", "delayed", "declared", "postponed", "cancelled", "canceled", "convicted",
    "handed", "kidnapped", "murdered", "assassinated", "bombed", "shelled", "deported", "extradited", "recommended",
    "dissolved", "severed", "nominated", "inaugurated", "proclaimed", "abducted", "resumed", "restored", "erupted",
    "outlawed", "expired", "terminated", "broke",
}
_RESIGN_VERBS = {"announced", "submitted", "offered", "tendered", "handed"}  # with "resignation": occurred
# A passive after a modal or "to" looks ahead: "must still be ratified", "is to be signed", "could be
# delayed" (the participle is then no past action).
# ("can be", "cannot be" are left out: "cannot be held responsible" is a rule that holds, not a plan)
_PASSIVE_LEADS = {"must", "will", "would", "shall", "should", "could", "might", "may", "to", "still"}
_EXPECTED_TRIPLES |= {(m, "be", w) for m in _PASSIVE_LEADS for w in OCCURRED_WORDS | _EXPECTED_PARTICIPLES}
_EXPECTED_TRIPLE_STARTS |= {(m, "be") for m in _PASSIVE_LEADS}

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
    "refused", "refuses", "condemns", "accuses", "urges", "calls", "rejects", "alleges", "alleged", "blamed", "blames",
    "congratulated", "congratulates",
}
_STATEMENT_PAIRS = {("according", "to"), ("called", "on"), ("called", "for")}
_STATEMENT_PAST = {w for w in _STATEMENT_WORDS if w.endswith("ed")}
# Speech acts that are news in themselves (a warning, a threat, an announcement, a recognition, an
# accusation, a reaction): the rest ("said", "noted", "added"...) only report what someone said.
_NEWS_SPEECH_WORDS = {
    "warned", "warns", "warning", "threatened", "announced", "announces", "declared", "accused", "denied",
    "condemned", "criticised", "criticized", "welcomed", "urged", "demanded", "pledged", "promised", "confirmed",
    "insisted", "insists", "reaffirmed", "acknowledged", "admitted", "proposed", "asked", "claimed", "recommended",
    "called", "refused", "refuses", "condemns", "accuses", "urges", "calls", "rejects", "alleges", "alleged", "blamed",
    "blames", "congratulated", "congratulates",
}
# A speech act that opens the sentence's action is its news, whatever the reported clause says
# ("Kurti called the blast a terrorist attack", "Ahmeti warned that pressure could postpone the vote",
# "Kurti has refused, saying ..."): statement.  Not when passive ("were confirmed dead"), not
# "declared"/"recommended" with an object (formal acts: "declared a state of emergency"), not
# "called" an election or a session (an act: "called early elections").
# Nor a promise or an announcement of an action (it takes the action's status: "promised to fight
# corruption", "announced it would deploy 700 troops" -> expected), nor a past perfect ("had criticised
# the proposal, and thousands protested": background to the news).
_SPEECH_FIRST = _NEWS_SPEECH_WORDS - {"declared", "recommended", "warning", "announced", "announces", "promised",
                                      "pledged"}
# "called the blast a terrorist attack", "called on", "called for", "called it": speech; else a name.
_CALLED_SPEECH_NEXT = {"the", "a", "an", "it", "him", "her", "them", "this", "that", "on", "for", "his", "their", "its"}
_CALLED_ACTS = {"election", "elections", "vote", "referendum", "session", "meeting", "strike", "poll", "polls", "snap"}
# "repeated" reports speech with what was said: "repeated that ...", "repeated his call for ..."
_REPEATED_SPEECH_NEXT = {"that", "his", "her", "its", "their", "calls", "call", "demand", "demands", "warning",
                         "warnings", "claim", "claims", "position", "view", "pledge", "accusation", "accusations"}
_ANNOUNCEMENT_WORDS = {"announced", "announces", "declared", "confirmed", "proposed", "recommended"}

# ---------------------------------------------------------------- markers of sentences that are no development
# Generic stance: "continues to support", "aims to promote", "remains committed to" - what an actor
# always does or wants, not something that happened.
_STANCE_VERBS = {
    "support", "back", "promote", "encourage", "foster", "ensure", "uphold", "stand", "engage", "consult",
    "cooperate", "help", "assist", "maintain", "pursue", "advocate", "value", "respect", "contribute", "strengthen",
    "work", "monitor", "follow", "play", "prioritise", "prioritize", "favour", "favor", "champion", "defend",
    "safeguard", "preserve", "protect", "reinforce",
}
_STANCE_LEADS = {"continue", "continues", "aims", "aim", "seeks", "seek", "strives", "strive", "wants", "want",
                 "remains", "remain", "stands", "stand"}
_STANCE_STATES = {"committed", "dedicated", "determined", "focused", "engaged", "steadfast", "devoted", "united"}
_GENERIC_TRIPLES = {(a, "to", v) for a in _STANCE_LEADS for v in _STANCE_VERBS} | {
    (a, "ready", "to") for a in ("remains", "remain", "stands", "stand")}
_GENERIC_PAIRS = {(b, w) for b in ("remains", "remain", "is", "are", "stays", "stay") for w in _STANCE_STATES}
# Habitual or long-standing background: "has repeatedly threatened", "have long opposed".
_HABITUAL_WORDS = {"repeatedly", "often", "regularly", "frequently", "usually", "traditionally", "historically",
                   "routinely", "typically", "customarily", "habitually"}
_HABITUAL_PAIRS = {(h, "long") for h in ("has", "have", "had")}
# A perfect over years ("has blocked ... for two decades", "have been tense for years", "had tried for
# years to pass such a law"): a long-standing situation, background to the news.
_PERFECT = {"has", "have", "had"}
_LONG_UNITS = {"years", "decades", "centuries"}
_AHEAD_WORDS = {"another", "a", "the", "next", "further", "coming", "up"}
# A trend over a recent period ("over the past decade", "in recent years", "during the last two decades"):
# a state of things described, not a development, whatever the tense.
_PERIOD_LEADS = {"over", "in", "during", "throughout", "for"}
_PERIOD_UNITS = {"decade", "decades", "years", "centuries"}
# Opinion: a view held ("believe", "think"), an impersonal judgement ("it is important that"), a view
# attributed to commentators (", analysts said").
_OPINION_WORDS = {"believe", "believes", "think", "thinks", "opinion", "argue", "argues", "argued"}
_JUDGEMENTS = {"important", "essential", "crucial", "vital", "necessary", "imperative", "clear", "unclear",
               "likely", "unlikely", "doubtful", "regrettable", "worrying", "encouraging", "obvious", "evident"}
_OPINION_TRIPLES = ({("it", b, j) for b in ("is", "was", "remains", "seems") for j in _JUDGEMENTS}
                    | {("in", p, "view") for p in ("my", "our", "his", "her", "their", "its")})
_OPINION_SPEAKERS = {"analysts", "analyst", "experts", "expert", "observers", "commentators", "critics", "pundits",
                     "scholars"}
_OPINION_SPEAKER_VERBS = {"say", "says", "said", "believe", "think", "note", "notes", "noted", "argue",
                          "argued", "suggest", "suggested", "warn", "contend", "predict", "predicted"}
_OPINION_PAIRS = ({(n, v) for n in _OPINION_SPEAKERS for v in _OPINION_SPEAKER_VERBS}
                  | {(v, n) for n in _OPINION_SPEAKERS for v in _OPINION_SPEAKER_VERBS})
# Direct quotations (at least a few words between quotation marks).
_QUOTE_RE = re.compile(r"[“\"«„][^“”\"«»„]{12,}[”\"»“]")

_HEDGES = {"could", "might", "may", "should"}
_HEDGES_NOT_MAY = _HEDGES - {"may"}
_HEDGES_PASSIVE = _HEDGES | {"can", "cannot"}  # "should be ruled out", "could be delayed" (not "must", "will")
# tense hints for dates without a year
_FUTURE_WORDS = {"will", "shall", "next", "upcoming", "forthcoming", "planned", "plans"}
_PAST_WORDS = {"was", "were", "had", "did", "said", "told", "took", "came", "met", "won", "lost", "held", "began"}
_RELATIVE_CLAUSE_RE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,;]*(?=[,;]|$)")


def _first_cue(words: list[str], singles: set, pairs: set, triples: set = frozenset()) -> tuple[int, str]:
    """Index and words of the first cue (a single word, a pair or a triple), else (len(words), "")."""
    n = len(words)
    for k in range(n):
        w = words[k]
        if w in singles:
            return k, w
        if k + 1 < n:
            if (w, words[k + 1]) in pairs:
                return k, f"{w} {words[k + 1]}"
            if k + 2 < n and (w, words[k + 1], words[k + 2]) in triples:
                return k, " ".join(words[k:k + 3])
    return n, ""


class SentenceCues(NamedTuple):
    status: str | None  # expected | ongoing | occurred | statement | None
    hedged: bool  # could / might / should / may (not the month)
    words: list[str]  # lower-case words, relative clauses removed
    relative_clauses: list[tuple[int, int]]  # spans in the sentence
    core: str = ""  # the sentence without its relative clauses


# A participle with its agent right after a noun is a reduced relative clause ("an executive order signed
# by the president in June 2021 that allows ...", "the resolution, adopted by several hundred officials,
# pointed to ..."): it describes the noun, like a "which" clause, and is not the sentence's action.  Not
# after a form of "be" or "have" ("was signed by"), a pronoun or a conjunction ("and approved by"), nor a
# count ("approved by 84 votes", "voted by a large majority").
_REDUCED_RELATIVE_RE = re.compile(
    r"(?<=[\w,] )(?P<participle>[a-z]+(?:-[a-z]+)?) by (?P<agent>[A-Za-z][\w'-]*)[^,;]*?(?=\s*[,;]|\s+(?:that|which|who)\b|\s*$)")
_NOT_PARTICIPLE_LEAD = _FORMS_OF_BE | {"being", "has", "have", "had", "got", "get", "gets", "he", "she", "they", "it",
                                       "we", "i", "you", "who", "which", "that", "and", "or", "but", "then", "also",
                                       "later", "not", "jointly", "unanimously", "formally", "officially"}
_NOT_AN_AGENT = {"a", "an", "votes", "vote", "majority", "per", "percent", "about", "around", "more", "less", "far",
                 "over", "almost", "nearly", "just", "only", "some", "acclamation", "default", "mistake", "chance",
                 "hand", "force", "decree", "now", "then", "mid", "early", "late", "next", "this", "last"}
_NOT_AN_AGENT_AFTER_THE = {"end", "time", "beginning", "start", "middle", "deadline", "close", "weekend"}


def _reduced_relatives(sentence: str) -> list[tuple[int, int]]:
    spans = []
    for m in _REDUCED_RELATIVE_RE.finditer(sentence):
        agent = _WORD_RE.findall(sentence[m.start("agent"):m.start("agent") + 30].lower())
        if m.group("participle") not in OCCURRED_WORDS or not agent or agent[0] in _NOT_AN_AGENT or (
                agent[0] == "the" and len(agent) > 1 and agent[1] in _NOT_AN_AGENT_AFTER_THE):
            continue  # "approved by 84 votes", "signed by the end of March": no agent
        before = _WORD_RE.findall(sentence[max(0, m.start() - 40):m.start()].lower())
        if before and before[-1] not in _NOT_PARTICIPLE_LEAD:
            spans.append(m.span())
    return spans


def _split_relative_clauses(sentence: str) -> tuple[list[tuple[int, int]], str]:
    spans = [m.span() for m in _RELATIVE_CLAUSE_RE.finditer(sentence)] if ", wh" in sentence else []
    if " by " in sentence:
        reduced = [r for r in _reduced_relatives(sentence) if not any(s <= r[0] < e for s, e in spans)]
        spans = sorted(spans + reduced)
    if not spans:
        return [], sentence
    parts, at = [], 0
    for s, e in spans:
        parts.append(sentence[at:s])
        parts.append("," if sentence[s] == "," else "")
        at = e
    parts.append(sentence[at:])
    return spans, "".join(parts)


_BARELY = {"barely", "hardly", "scarcely", "never"}
_NOUN_AFTER_THE = {"injured", "wounded", "detained", "arrested", "killed", "accused", "displaced", "missing"}
_FORMALLY = {"formally", "officially"}


def _occurred_cues(word_set: set[str], pairs: set[tuple[str, str]], words: list[str]) -> set[str]:
    found = word_set & OCCURRED_WORDS
    if "called" in word_set:  # "called early elections", "called the referendum": an act
        k = words.index("called")
        if _CALLED_ACTS & set(words[k + 1:k + 4]):
            found = found | {"called"}
    for verb in found & {"declared", "recommended"}:
        k = words.index(verb)
        if "that" in words[k + 1:k + 5]:
            found = found - {verb}  # "declared that ...", "recommended that ...": a statement
    if "be" in word_set:
        found = {w for w in found if ("be", w) not in pairs}  # "be signed" is no past action
    if "the" in word_set and found & _NOUN_AFTER_THE:  # "evacuate the injured", "among the dead": a noun
        found = {w for w in found if not (w in _NOUN_AFTER_THE and all(
            words[k - 1] in ("the", "of") for k in range(1, len(words)) if words[k] == w))}
    if word_set & _BARELY:  # "talks have barely moved", "the court has never ruled": nothing happened
        found = {w for w in found if not any(words[k] == w and k > 0 and words[k - 1] in _BARELY
                                             for k in range(len(words)))}
    if word_set & _FORMALLY:  # "formally asked OFAC to", "officially requested": a formal act, not a remark
        found = found | {words[k] for k in range(1, len(words))
                         if words[k - 1] in _FORMALLY and words[k] in _STATEMENT_WORDS and words[k].endswith("ed")}
    if "resignation" in word_set and word_set & _RESIGN_VERBS:
        found = found | {"resignation"} | (word_set & _RESIGN_VERBS)  # "announced his resignation"
    return found


def _statement_cue(words: list[str]) -> tuple[str, bool]:
    """Description of the first statement cue, and whether it is a speech act that is news itself."""
    _k, phrase = _first_cue(words, _STATEMENT_WORDS, _STATEMENT_PAIRS)
    verb = phrase.split()[0] if phrase else ""
    if verb in _ANNOUNCEMENT_WORDS:
        return f"announcement verb '{phrase}'", True
    if verb in _NEWS_SPEECH_WORDS:
        return f"speech act that is news '{phrase}'", True
    return f"reporting verb '{phrase}'", False


_CUE_LABELS = {"expected": "expectation cue", "ongoing": "ongoing cue", "occurred": "past-tense action verb"}


# "will" the noun ("political will", "the will of the people") is no future.
_WILL_NOUN_BEFORE = {"political", "good", "ill", "free", "the", "own", "popular", "his", "her", "their", "its", "our",
                     "my", "a", "strong", "collective"}


_FORMS_OF_BE_OR_HAD = _FORMS_OF_BE | {"had"}


# Ongoing by its form: "still ...ing" ("were still missing"), or a present perfect of a state since a
# date ("has been stuck since its session opened on 15 April"; not a passive action: "has been
# criticised since 2023").
_ONGOING_FORM_WORDS = {"still", "since"}


def _ongoing_pairs(word_set: set[str], pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The ongoing pairs of one sentence: the fixed ones and those its form makes (see above)."""
    out = _ONGOING_PAIRS
    if "still" in word_set:
        out = out | {(a, b) for a, b in pairs if a == "still" and b.endswith("ing")}
    if "since" in word_set and "been" in word_set and any(a == "been" and not b.endswith("ed") for a, b in pairs):
        out = out | ({("has", "been"), ("have", "been")} & pairs)
    return out


def _speech_first(words: list[str]) -> int | None:
    """Index of the first speech act that is news (see ``_SPEECH_FIRST``), else None."""
    for k, w in enumerate(words):
        if w in _SPEECH_FIRST and not (k > 0 and words[k - 1] in _FORMS_OF_BE_OR_HAD | _FORMALLY):
            if w in ("called", "calls") and (_CALLED_ACTS & set(words[k + 1:k + 4])
                                             or (k + 1 < len(words) and words[k + 1] not in _CALLED_SPEECH_NEXT)):
                continue  # "called early elections" (an act), "a system called Diella" (a name)
            return k
    return None


# "planned" looks ahead as an adjective ("the planned referendum", "is planned", "as planned") or with
# what is planned ("planned to hold", "planned for May"); after its subject it is a past verb.
_PLANNED_ADJECTIVE_BEFORE = _FORMS_OF_BE | {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these",
                                            "those", "being", "as", "long", "newly", "originally", "already",
                                            "first", "any", "all", "new"}


def _status(words: list[str]) -> str | None:
    word_set = set(words)
    if "will" in word_set and all(k > 0 and words[k - 1] in _WILL_NOUN_BEFORE
                                  for k, w in enumerate(words) if w == "will"):
        word_set.discard("will")
    if "planned" in word_set and all(k > 0 and words[k - 1] not in _PLANNED_ADJECTIVE_BEFORE
                                     and words[k + 1:k + 2] not in (["to"], ["for"])
                                     for k, w in enumerate(words) if w == "planned"):
        word_set.discard("planned")  # "Minsk planned and paid for the attack": a past verb, no plan ahead
    pairs = set(zip(words, words[1:], strict=False))
    expected = bool(word_set & _EXPECTED_WORDS or pairs & _EXPECTED_PAIRS_PLAIN or (
        pairs & _EXPECTED_TRIPLE_STARTS and set(zip(words, words[1:], words[2:], strict=False)) & _EXPECTED_TRIPLES))
    ongoing_pairs = _ongoing_pairs(word_set, pairs) if word_set & _ONGOING_FORM_WORDS else _ONGOING_PAIRS
    ongoing = bool(word_set & _ONGOING_WORDS or pairs & ongoing_pairs)
    occurred_words = _occurred_cues(word_set, pairs, words)
    speech_at = _speech_first(words) if word_set & _SPEECH_FIRST and "resignation" not in word_set else None
    kinds = expected + ongoing + bool(occurred_words)
    if speech_at is not None and kinds:
        first_other = min(_first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)[0],
                          _first_cue(words, _ONGOING_WORDS, ongoing_pairs)[0], _first_cue(words, occurred_words, set())[0])
        if speech_at <= first_other:
            return "statement"
    if kinds == 0:
        if "repeated" in word_set and not (word_set - {"repeated"}) & _STATEMENT_WORDS and not pairs & _STATEMENT_PAIRS:
            k = words.index("repeated")
            if not set(words[k + 1:k + 5]) & _REPEATED_SPEECH_NEXT:
                return None  # "when she repeated it", "repeated the oath": an act, no speech reported
        return "statement" if word_set & _STATEMENT_WORDS or pairs & _STATEMENT_PAIRS else None
    if kinds == 1:
        if expected and word_set & _STATEMENT_WORDS:
            k, phrase = _first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)
            if phrase.split()[0] in _HEDGES_PASSIVE and _first_cue(words[:k], _STATEMENT_WORDS, set())[1]:
                return "statement"  # "said no group should be ruled out": a view reported, not a plan
        return "expected" if expected else "ongoing" if ongoing else "occurred"
    never = 1 << 20
    position = {
        "expected": _first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)[0]
        if expected else never,
        "ongoing": _first_cue(words, _ONGOING_WORDS, ongoing_pairs)[0] if ongoing else never,
        "occurred": _first_cue(words, occurred_words, set())[0] if occurred_words else never,
    }
    order = ("expected", "ongoing", "occurred")
    first = min(order, key=lambda k: (position[k], order.index(k)))  # the earliest cue wins
    if first == "expected" and word_set & _STATEMENT_WORDS:
        k, phrase = _first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)
        if phrase.split()[0] in _HEDGES_PASSIVE and _first_cue(words[:k], _STATEMENT_WORDS, set())[1]:
            return "statement"  # "said that no group should be ruled out, as both sides continued to ...": a view
    return first


def status_cue(cues: SentenceCues) -> tuple[str, bool]:
    """Why the sentence has its status ("past-tense action verb 'signed'"), and whether a statement is
    a speech act that is news itself (a warning, a threat, an announcement).  Only for candidates."""
    words, status = cues.words, cues.status
    if status == "statement":
        return _statement_cue(words)
    if status == "expected":
        phrase = _first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)[1]
    elif status == "ongoing":
        phrase = _first_cue(words, _ONGOING_WORDS, _ongoing_pairs(set(words), set(zip(words, words[1:], strict=False))))[1]
    elif status == "occurred":
        word_set = set(words)
        phrase = _first_cue(words, _occurred_cues(word_set, set(zip(words, words[1:], strict=False)), words), set())[1]
    else:
        return "", False
    return f"{_CUE_LABELS[status]} '{phrase}'", False


# An expectation that nothing changes ("is expected to stay in office", "would continue to guarantee
# supplies") is no development: the README's "undated expectations" that are not events.
_STATUS_QUO_VERBS = {"stay", "remain", "continue", "keep", "retain", "persist"}
# A placing in a vote's results ("came second with 42 seats", "finished third").
_PLACES_IN_RESULTS = {"second", "third", "fourth", "fifth", "sixth", "last"}
_PLACING_PAIRS = {(v, p) for v in ("came", "finished", "placed", "ended", "come", "comes", "finishes")
                  for p in _PLACES_IN_RESULTS}
_SHARE_WON_RE = re.compile(
    r"\bwon\s+(?:about\s+|around\s+|almost\s+|nearly\s+|roughly\s+|just\s+(?:over|under)\s+|more\s+than\s+)?"
    r"(?:[0-9][0-9.,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:per\s*cent|percent|%|seats)",
    re.I)
_RUN_UP_TRIPLES = {("the", u, w) for u in ("months", "weeks") for w in ("before", "leading", "preceding", "ahead")}
_PAST_PARTICIPLES = OCCURRED_WORDS | _STATEMENT_PAST | {"been", "done", "made", "taken", "given", "become", "seen"}
_OFFICES = {"president", "minister", "premier", "chancellor", "mayor", "speaker", "leader", "governor", "chairman",
            "chairwoman", "head", "secretary", "ambassador", "envoy", "representative", "patriarch", "commissioner"}
_FEELINGS = {"proud", "pleased", "happy", "glad", "delighted", "disappointed", "satisfied", "optimistic",
             "confident", "grateful", "sad", "thrilled"}
_FEELING_PAIRS = {(b, f) for b in ("is", "was", "were", "are", "am", "felt", "feels", "feel", "remained", "remains")
                  for f in _FEELINGS}
_WISH_WORDS = {"hoped", "hopes", "hoping", "wished", "wishes"}
# "also" before the action ("also adopted", "would also launch"): more of what the text already told.
_ALSO_AUX = {"will", "would", "has", "have", "had", "could", "should", "must", "was", "were", "is", "are"}
_ALSO_ACTS = OCCURRED_WORDS | _STATEMENT_WORDS | {"will", "would"}
_MARKER_WORDS = (_OPINION_WORDS | _OPINION_SPEAKERS | _JUDGEMENTS | {"view"} | _STANCE_VERBS | _STANCE_STATES
                 | {"ready"} | _HABITUAL_WORDS | {"long"} | _LONG_UNITS | _STATUS_QUO_VERBS | _PERIOD_UNITS
                 | {"according", "also", "won", "months", "weeks", "before", "until", "became"}
                 | _WISH_WORDS | _FEELINGS | _PLACES_IN_RESULTS)
_QUOTE_CHARS = ('"', "“", "«", "„")


def sentence_markers(cues: SentenceCues, news_speech: bool) -> tuple[str, ...]:
    """Signs that a candidate sentence is no development: opinion, generic stance, habit, a bare quotation."""
    words, core = cues.words, cues.core
    word_set = set(words)
    quoted = any(q in core for q in _QUOTE_CHARS)
    if not (word_set & _MARKER_WORDS or quoted):
        return ()
    out = []
    pairs = set(zip(words, words[1:], strict=False))
    _k, phrase = _first_cue(words, _OPINION_WORDS, _OPINION_PAIRS, _OPINION_TRIPLES)
    if phrase:
        out.append(f"opinion '{phrase}'")
    _k, phrase = _first_cue(words, set(), _GENERIC_PAIRS, _GENERIC_TRIPLES)
    if phrase:
        out.append(f"generic stance '{phrase}'")
    if "for" in word_set and word_set & _PERFECT and word_set & _LONG_UNITS:
        k = words.index("for")
        span = words[k:k + 6]
        # "has blocked its path for more than two decades"; a past perfect only as the main verb ("had
        # tried for years"), not after it ("welcomed the decision after the talks had been tied for years")
        aux = next(i for i, w in enumerate(words) if w in _PERFECT)
        main = words[aux] != "had" or aux <= _first_cue(words, OCCURRED_WORDS | _STATEMENT_WORDS, set())[0]
        ahead = len(span) > 1 and span[1] in _AHEAD_WORDS  # "a majority for another four years" looks forward
        if main and not ahead and any(u in span for u in _LONG_UNITS):
            out.append(f"long-standing '{' '.join(span[:next(i for i, w in enumerate(span) if w in _LONG_UNITS) + 1])}'")
    period = _recent_period(words) if word_set & _PERIOD_UNITS else ""
    if period:
        out.append(f"long-standing '{period}'")
    run_up = _first_cue(words, set(), set(), _RUN_UP_TRIPLES)[1] if word_set & {"months", "weeks"} else ""
    if run_up:  # "joined regular protests in the months before the vote": the run-up, told as background
        out.append(f"background period '{run_up}'")
    if words and words[0] in ("before", "until") and "had" in word_set:
        k = words.index("had")
        if k + 1 < len(words) and words[k + 1] in _PAST_PARTICIPLES:
            # "Before the vote, only seven members had recognised ...": the state before the news
            out.append(f"state before the news '{words[0]} ... had {words[k + 1]}'")
    if "became" in word_set:
        k = words.index("became")
        office = next((w for w in words[k + 1:k + 6] if w in _OFFICES), None)
        if office:  # "became prime minister for the third time in 2020": a career told as background
            out.append(f"career background 'became ... {office}'")
    feeling = _first_cue(words, set(), _FEELING_PAIRS)[1] if word_set & _FEELINGS else ""
    if feeling:  # "said he was proud of his foreign policy": a feeling, no development unless dated
        out.append(f"feeling '{feeling}'")
    wish = _first_cue(words, _WISH_WORDS, set())[1] if word_set & _WISH_WORDS else ""
    if wish:  # "said she hoped the talks would help": a wish, no development unless dated
        out.append(f"wish '{wish}'")
    if word_set & _HABITUAL_WORDS or pairs & _HABITUAL_PAIRS:
        out.append(f"habitual '{_first_cue(words, _HABITUAL_WORDS, _HABITUAL_PAIRS)[1]}'")
    placing = _first_cue(words, set(), _PLACING_PAIRS)[1] if word_set & _PLACES_IN_RESULTS else ""
    if placing:  # "came second with 42 seats": a line of the results, part of the vote already reported
        out.append(f"placing in the results '{placing}'")
    elif "won" in word_set and ("seats" in word_set or "per" in word_set or "%" in core):
        share = _SHARE_WON_RE.search(core)
        if share:  # "won about 34.5 per cent of the vote", "won eight seats": the count of a vote already told
            out.append(f"share of the vote '{' '.join(share.group().split())}'")
    if "also" in word_set:
        k = words.index("also")
        if (k + 1 < len(words) and words[k + 1] in _ALSO_ACTS) or (k > 0 and words[k - 1] in _ALSO_AUX):
            # "the deputies also adopted appeals", "the government would also launch": one more part of
            # the development the text already told (it is no development of its own unless dated)
            out.append(f"addition 'also {words[k + 1] if k + 1 < len(words) else ''}'")
    if cues.status == "statement" and "according" in word_set and not (word_set & _STATEMENT_WORDS):
        # "According to the ministry, the company controls ...": a source named for a claim, no speech act
        out.append("attribution only 'according to'")
    if cues.status == "expected":
        k, phrase = _first_cue(words, _EXPECTED_WORDS, _EXPECTED_PAIRS_PLAIN, _EXPECTED_TRIPLES)
        verb = phrase.split()[-1:] + words[k + len(phrase.split()):k + len(phrase.split()) + 1]
        quo = next((v for v in verb if v in _STATUS_QUO_VERBS), None)
        if quo:  # "is expected to stay in office", "would continue to guarantee": nothing changes
            out.append(f"status quo '{phrase}{'' if phrase.endswith(quo) else ' ' + quo}'")
    if quoted and cues.status and not news_speech:
        outside = _QUOTE_RE.sub(" ", core)
        if outside != core:
            outside_words = _WORD_RE.findall(outside.lower())
            if _status(outside_words) in (None, "statement") and not (set(outside_words) & _NEWS_SPEECH_WORDS):
                out.append("direct quotation without a reported development")
    return tuple(out)


def _recent_period(words: list[str]) -> str:
    """ "over the past decade", "in recent years", "for most of the last two decades": the phrase, else ""."""
    for k, w in enumerate(words):
        if w not in _PERIOD_LEADS:
            continue
        span = words[k + 1:k + 7]
        for i, u in enumerate(span):
            if u in _PERIOD_UNITS:
                head = span[:i]
                if ("recent" in head and len(head) == 1) or (
                        "the" in head and ("past" in head or "last" in head)):
                    return " ".join(words[k:k + i + 2])
                break
    return ""


def speech_cue(words: list[str]) -> tuple[str, bool] | None:
    """The statement cue of some words even when an action cue decided the status ("announced that it would halt")."""
    if set(words) & _STATEMENT_WORDS or set(zip(words, words[1:], strict=False)) & _STATEMENT_PAIRS:
        return _statement_cue(words)
    return None


def sentence_cues(sentence: str) -> SentenceCues:
    """Status, hedging, words and relative-clause spans of one sentence (see the module docstring)."""
    relative, core = _split_relative_clauses(sentence)
    words = _WORD_RE.findall(core.lower())
    word_set = set(words)
    hedged = bool(word_set & _HEDGES) and (bool(word_set & _HEDGES_NOT_MAY) or " may " in core)  # "May" the month is no hedge
    status = None
    if ", saying" in core or ", adding" in core or ", citing" in core:
        # "announced the date on Friday, saying both sides had completed ...": what follows is what was
        # said, the grounds of the act; the part before it tells the development
        k = min(i for i in (core.find(", saying"), core.find(", adding"), core.find(", citing")) if i >= 0)
        status = _status(_WORD_RE.findall(core[:k].lower()))
    return SentenceCues(status or _status(words), hedged, words, relative, core)


def sentence_is_past(words: list[str]) -> bool | None:
    """Tense hint for yearless dates: False (future), True (past) or None."""
    word_set = set(words)
    if word_set & _FUTURE_WORDS or ("expected", "to") in zip(words, words[1:], strict=False):
        return False
    if word_set & _PAST_WORDS or word_set & OCCURRED_WORDS or word_set & _STATEMENT_PAST:
        return True
    return None


# Tense of the clause a yearless date sits in, read backwards from the date to the nearest tense
# word: "took the step a week before he is due to hand over ... on 1 August" -> future (the date
# belongs to "is due to", not to "took"); "signed on Sunday an agreement under which ... will" ->
# past.  A participle after "be" is no past action ("will be held on Sunday"): the word before decides.
_CLAUSE_FUTURE_WORDS = {"will", "shall", "would", "next", "upcoming", "forthcoming", "planned", "scheduled", "slated",
                        "due", "expected", "plans", "intends", "aims", "tomorrow"}
_CLAUSE_PAST_WORDS = OCCURRED_WORDS | _PAST_WORDS | _STATEMENT_PAST | {"did", "ago", "yesterday"}
_CLAUSE_SCAN_WORDS = 15


def clause_tense(before: str, weekday: bool = False) -> bool | None:
    """Tense hint for a yearless date from the words just before it: False (future), True (past) or None.

    A bare weekday in a present-tense clause is the coming one ("is not on the agenda of the meeting on
    Friday"): news tells what happened in the past tense, so a present with a weekday is a schedule."""
    words = _WORD_RE.findall(before[-160:].lower())
    for k in range(len(words) - 1, max(-1, len(words) - 1 - _CLAUSE_SCAN_WORDS), -1):
        w = words[k]
        if w in _CLAUSE_FUTURE_WORDS or (w == "to" and k > 0 and words[k - 1] in ("is", "are")) or (
                weekday and w in ("is", "are")):
            return False  # "will", "is due to", "are to withdraw", "is on the agenda ... on Friday"
        if w in _CLAUSE_PAST_WORDS and not (k > 0 and words[k - 1] in ("be", "being")):
            return True
    return None


# News tells what happened in the past tense; the present ("Kurti refuses", "the opposition says") and
# the present perfect ("has refused", "have condemned") report what holds at the time of writing.
_PRESENT_SPEECH = {"says", "warns", "refuses", "denies", "calls", "alleges", "insists", "argues", "accuses", "claims",
                   "condemns", "urges", "rejects", "blames", "welcomes", "demands", "announces", "insist", "say"}
_PERFECT_PARTICIPLES = (OCCURRED_WORDS | _STATEMENT_PAST | {"refused", "given", "taken", "made", "said", "won", "lost",
                                                            "become", "begun", "done", "told", "sent"}) - {"been"}


def present_tense_cue(words: list[str]) -> str | None:
    """The present-tense speech verb or present perfect that opens the sentence's action, else None."""
    for k, w in enumerate(words):
        if w in _PRESENT_SPEECH:
            return w
        if w in ("has", "have") and k + 1 < len(words) and words[k + 1] in _PERFECT_PARTICIPLES:
            return f"{w} {words[k + 1]}"
        if w in OCCURRED_WORDS or w in _STATEMENT_PAST:
            return None  # a past tense comes first: "said the party has won"
    return None


# A speech act in the simple past ("the ministry said", "Kurti accused Belgrade") in a dated news text
# is the current news: it was made by the time of the dateline.  Not a past perfect ("had urged ...":
# told as background to the news), nor "would"/"could" + verb (reported plans), nor "had said".
_SPEECH_PAST = _STATEMENT_PAST | {"said", "told", "wrote", "called"}
_BACKGROUND_AUX = {"had", "has", "have", "would", "could", "might", "should", "may", "must", "will"}


def reported_speech_cue(words: list[str]) -> str | None:
    """The simple-past speech verb that opens the sentence's statement ("said", "warned"), else None."""
    for k, w in enumerate(words):
        if w in _SPEECH_PAST:
            lead = words[max(0, k - 2):k]
            return None if set(lead) & _BACKGROUND_AUX else w
        if w in OCCURRED_WORDS:
            return None  # an action comes first: the statement is not what the sentence reports
    return None


def simple_past_action(words: list[str]) -> str | None:
    """The simple-past action verb that opens the sentence ("the authorities cut heating", "police
    detained 20 people"), else None: not a perfect ("had delayed", "have charged": some time before,
    no time of its own), not after a modal, not a passive after "be"."""
    for k, w in enumerate(words):
        if w in OCCURRED_WORDS:
            lead = words[max(0, k - 2):k]
            return None if set(lead) & (_BACKGROUND_AUX | {"be", "been", "being"}) else w
        if w in _SPEECH_PAST:
            return None
    return None


def words_of(text: str) -> list[str]:
    """The lower-case words of some text, as the cues read them."""
    return _WORD_RE.findall(text.lower())
