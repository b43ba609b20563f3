"""Stage 2, disambiguation: which of the matches of :mod:`.matching` stand, and what they mean.

Context rules, by the entity's ``ambiguity``:

* ``georgia``: the country or the US state?  Counts cues of each (Atlanta, governor... against
  Tbilisi, Georgian Dream...): a US story makes "Georgia" the US; with no cue either way it counts less.
* ``turkey``: the country or the bird?  "turkey dinner", or a Thanksgiving story without Ankara, drop it.
* ``ethnicadj``: "Serbian"/"Albanian" before "protesters", "mayors", "community"... (or after
  "ethnic") is a people, not a state: the mention keeps its place but gives no country.
* ``not_inside_name`` (Jordan, Chad, Sofia...): not when a capitalised word beside it makes a
  personal name ("Michael Jordan", "Sofia Coppola").

Evidence rules: an entity that ``requires`` a country or organisation ("RS", "the alliance",
"Split", "Bar") stands only when that is named elsewhere; a surname alone stands only when the full
name occurs in the text, or the person is unambiguous (``surname_alone``).  Body and title vouch for
each other (:func:`find_mentions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer
from .matching import Mention, Scan, scan_text
from .scoring import SCORING

# Nouns that make a preceding "Serbian"/"Albanian" an ethnic adjective rather than the state.
ETHNIC_NOUNS = {
    "protesters", "protestors", "demonstrators", "residents", "community", "communities", "population", "minority",
    "majority", "mayors", "villagers", "people", "voters", "municipalities", "municipality", "areas", "enclaves",
    "enclave", "children", "families", "returnees", "refugees", "men", "women", "youths", "youth", "inhabitants",
    "villages", "village", "neighbourhoods", "neighborhoods", "parties", "lists", "list", "locals", "households",
    "settlements", "officials", "members", "member", "representatives", "crowds", "crowd",
    "nationalists", "populated", "speaking", "speakers", "language", "descent", "origin", "militants", "gunmen",
    "fighters", "paramilitaries", "rebels", "insurgents", "dominated", "minorities", "orthodox",
    "church", "churches", "monastery", "monasteries", "priests", "patriarch",
}
# Capitalised words that are not part of a personal name (titles, function words, months, days...).
NOT_NAME_WORDS = {
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

_GEORGIA_US_CUES = re.compile(r"\b(?:atlanta|savannah|augusta|macon|u ?s state|state of georgia|georgia state|governor|county|counties|peach|florida|alabama|tennessee|carolina|kemp|raffensperger|fulton|appalachian|hurricane)\b")
_GEORGIA_COUNTRY_CUES = re.compile(r"\b(?:tbilisi|georgian dream|caucasus|abkhazia|south ossetia|ossetia|kobakhidze|zourabichvili|saakashvili|kavelashvili|batumi|kutaisi|lari|black sea)\b")
_TURKEY_BIRD_CUES = re.compile(r"\b(?:thanksgiving|pardon(?:ed|s)?|roast(?:ed)?|feathers|poultry|gobble|flock|stuffing|drumsticks?|birds?|hens?|gobblers?|farmers?|turkeys)\b")
_TURKEY_COUNTRY_CUES = re.compile(r"\b(?:ankara|erdogan|istanbul|turkish|turkiye|bosphorus|anatolia|izmir|kurdish)\b")
# Words right after "turkey" that make it the bird.
_TURKEY_BIRD_NEXT = {"dinner", "breast", "sandwich", "sandwiches", "meat", "farm", "farms", "farmers", "legs", "pardon",
                     "day", "bacon", "burger", "burgers", "feathers", "roast", "vulture", "vultures", "trot", "shoot",
                     "hunting"}


def inside_personal_name(scan: Scan, m: Mention, covered: set[int]) -> bool:
    """True when the mention sits inside a personal name ("Michael Jordan", "Sofia Coppola")."""
    toks, norm = scan.tokens, scan.doc.norm
    for k, (a, b) in ((m.first_token - 1, (m.first_token - 1, m.first_token)),
                      (m.end_token, (m.end_token - 1, m.end_token))):
        if k < 0 or k >= len(toks) or k in covered:
            continue
        if norm[toks[a][2]:toks[b][1]] != " ":
            continue
        word = scan.original_token(k)
        if word[:1].isupper() and toks[k][0] not in NOT_NAME_WORDS and not toks[k][0].isdigit():
            return True
    return False


def _apply_context_rule(scan: Scan, m: Mention) -> bool:
    """Apply the entity's ambiguity rule to ``m`` (may set overrides); False when the mention is dropped."""
    entity = m.entity
    rule = entity.ambiguity
    norm = scan.doc.norm
    toks = scan.tokens
    if rule == "georgia":
        us_cues, country_cues = len(_GEORGIA_US_CUES.findall(norm)), len(_GEORGIA_COUNTRY_CUES.findall(norm))
        if us_cues > country_cues:
            if entity.kind == "demonym":
                return False
            m.country_override, m.weight_override = "US", SCORING.georgia_us_weight
        elif country_cues == 0:
            m.weight_override = (SCORING.georgia_unconfirmed_country_weight if entity.kind == "country"
                                 else SCORING.georgia_unconfirmed_demonym_weight)
    elif rule == "turkey":
        next_word = toks[m.end_token][0] if m.end_token < len(toks) else ""
        if next_word in _TURKEY_BIRD_NEXT or (_TURKEY_BIRD_CUES.search(norm) and not _TURKEY_COUNTRY_CUES.search(norm)):
            return False
    elif rule == "ethnicadj":
        next_word = toks[m.end_token][0] if m.end_token < len(toks) else ""
        previous_word = toks[m.first_token - 1][0] if m.first_token > 0 else ""
        if next_word in ETHNIC_NOUNS or previous_word == "ethnic":
            m.drop_country = True
    # "jordan": the not_inside_name flag does the work
    return True


def _evidence(kept: list[Mention], extra_evidence: set[str] | None) -> tuple[set[str], set[int]]:
    """Countries and entity values named outright (not by aliases needing evidence), and full-name people."""
    evidence: set[str] = set(extra_evidence or ())
    full_people: set[int] = set()
    for m in kept:
        if m.entity.requires or m.is_short:
            continue
        if m.country:
            evidence.add(m.country)
        evidence.add(m.entity.value)
        evidence.update(m.entity.also_organisations)
        if m.kind == "person":
            full_people.add(m.entity.index)
    return evidence, full_people


def validate_mentions(scan: Scan, extra_evidence: set[str] | None = None) -> list[Mention]:
    """The matches of ``scan`` that survive the context and evidence rules, frozen for aggregation.

    ``extra_evidence`` adds countries / entity values named elsewhere (the title for the body and back).
    """
    mentions = scan.mentions
    if not mentions:
        return []
    covered: set[int] = set()
    for m in mentions:
        covered.update(range(m.first_token, m.end_token))
    kept: list[Mention] = []
    for m in mentions:
        if m.entity.not_inside_name and inside_personal_name(
                scan, m, covered - set(range(m.first_token, m.end_token))):
            continue
        if _apply_context_rule(scan, m):
            kept.append(m)

    evidence, full_people = _evidence(kept, extra_evidence)
    out = []
    for m in kept:
        if m.entity.requires and m.entity.requires not in evidence:
            continue
        if m.is_short and not (m.entity.surname_alone or m.entity.index in full_people):
            continue
        m.needs_evidence = bool(m.entity.requires)
        m.freeze()
        out.append(m)
    return out


@dataclass
class ArticleMentions:
    """Scans of body and title and their validated mentions."""

    body_scan: Scan
    title_scan: Scan | None
    body: list[Mention]
    title: list[Mention]


def find_mentions(text: str, title: str | None, gazetteer: Gazetteer, topics: bool = True) -> ArticleMentions:
    """Scan body and title, then validate each against what the other names."""
    body_scan = scan_text(text, gazetteer, topics)
    title_scan = scan_text(title, gazetteer, topics) if title else None
    title_first_pass = validate_mentions(title_scan) if title_scan else []
    title_evidence = {m.country for m in title_first_pass if m.country} | {m.entity.value for m in title_first_pass}
    body = validate_mentions(body_scan, title_evidence)
    body_evidence = ({m.country for m in body if m.country} | {m.entity.value for m in body}
                     | {a for m in body for a in m.entity.also_organisations})
    title_mentions = validate_mentions(title_scan, body_evidence) if title_scan else []
    return ArticleMentions(body_scan, title_scan, body, title_mentions)
