"""Stage 4, sentence splitting: (start, end, paragraph) of each sentence of a text.

A line break always ends a sentence and a paragraph (blank lines are skipped and do not count as
paragraphs).  Inside a line a sentence ends at ``.``, ``!`` or ``?`` (with closing quotes or brackets)
followed by white space and a capital, digit, quote or opening bracket, except after a known
abbreviation ("Mr.", "Gen.", "Jan.", "U.S.") or a single letter (an initial: "J. Smith").
"""

from __future__ import annotations

import bisect
import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "prof", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "approx", "inc", "ltd", "co", "corp", "jr", "sr",
    "u.s", "u.k", "e.u", "u.n", "e.g", "i.e", "rep", "sen", "gov", "ret", "fig", "pp", "vol",
}
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")

Sentence = tuple[int, int, int]  # start, end (offsets into the text), paragraph index


def _word_before(line: str, pos: int) -> str:
    """The word ending at ``pos``, lower case, without leading quotes/brackets or its final dot."""
    before = line[max(0, pos - 12):pos]
    return before.rsplit(None, 1)[-1].lower().lstrip("(\"“'‘").rstrip(".") if before.strip() else ""


def _ends_sentence(line: str, end_match: re.Match, nxt: int) -> bool:
    """Whether the punctuation matched inside ``line`` ends a sentence; ``nxt`` is the index of the
    first non-blank character after it."""
    word = _word_before(line, end_match.start())
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    first = line[nxt]
    return first.isupper() or first.isdigit() or first in "\"“‘'("


def _next_non_blank(line: str, pos: int) -> int:
    """Index of the first non-blank character of ``line`` at or after ``pos`` (len(line) if none)."""
    n = len(line)
    while pos < n and line[pos].isspace():
        pos += 1
    return pos


def split_sentences(text: str) -> list[Sentence]:
    """(start, end, paragraph index) of each sentence; a line break always ends a paragraph."""
    out = []
    para = 0
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = line_start + (len(line) - len(line.lstrip()))
        for m in _SENTENCE_END_RE.finditer(line):
            end = line_start + m.end()
            nxt = _next_non_blank(line, m.end())
            if nxt >= len(line):
                break  # the punctuation ends the line: the line end closes the sentence below
            if not _ends_sentence(line, m, nxt):
                continue
            out.append((start, end, para))
            start = line_start + nxt
        end = line_start + len(line.rstrip())
        if end > start:
            out.append((start, end, para))
        para += 1
    return out


# ", and the first conscripts will ..." / "; the government ...": a coordinated clause with its own subject
_CLAUSE_JOIN_RE = re.compile(r",\s+and\s+(?=(?:the|a|an|its|his|her|their)\s|[A-Z])|;\s+")
# An announcement told after what it announces: "The ban will start on 1 March, the minister announced on
# Friday" holds two developments, the plan (expected, its own date) and the announcement (a statement, dated
# by its own clause).  Cut before the attribution when the clause before it looks ahead; a mere reporting
# verb ("..., the ministry said on Monday") only names the source of the plan.
_ATTRIBUTION_RE = re.compile(
    r",\s+(?=(?:(?:the|[A-Z][\w'.-]*)\s+){1,6}(?:announced|declared|confirmed|pledged|promised)\s+"
    r"(?:on|in|last|late|early|this|earlier|yesterday|today)\b)")
_LOOKS_AHEAD_RE = re.compile(r"\b(?:will|shall|would|(?:is|are)\s+(?:to|due\s+to|set\s+to)|plans?\s+to)\s", re.I)


def split_dated_clauses(text: str, sentences: list[Sentence], date_starts: list[int]) -> tuple[list[Sentence], set[int]]:
    """Sentences cut where coordinated clauses each carry their own date: "men will be examined by the end
    of this year, and the first conscripts will begin training early next year" holds two developments.

    ``date_starts`` are the sorted offsets of the text's date expressions.  Returns the pieces (same
    paragraphs) and the indices of the pieces that continue a cut sentence.
    """
    out: list[Sentence] = []
    pieces: set[int] = set()
    for s, e, para in sentences:
        lo, hi = bisect.bisect_left(date_starts, s), bisect.bisect_left(date_starts, e)
        if hi - lo < 2 or (", and " not in text[s:e] and ";" not in text[s:e] and "," not in text[s:e]):
            out.append((s, e, para))
            continue
        dates = date_starts[lo:hi]
        piece = s
        cuts = sorted([*_CLAUSE_JOIN_RE.finditer(text, s, e),
                       *(m for m in _ATTRIBUTION_RE.finditer(text, s, e) if _LOOKS_AHEAD_RE.search(text, s, m.start()))],
                      key=lambda m: m.start())
        for m in cuts:
            if m.start() < piece:
                continue
            if any(piece <= d < m.start() for d in dates) and any(d >= m.end() for d in dates):
                out.append((piece, m.start(), para))
                pieces.add(len(out))
                piece = m.end()
        out.append((piece, e, para))
    return out, pieces
