"""Stage 4a, news layout: the parts of a news text that are not its sentences of news.

Conventions of news writing, not of any one outlet:

* A **dateline** opens wire copy: "SARAJEVO, 24 July 2021 — ...", "WASHINGTON/BANJA LUKA, 6 January
  2022 (wire) — ...", "CETINJE, Montenegro, 5 September 2021 — ...", or a line of its own
  ("Podgorica, 18 December 2024", "Belgrade | Energy | 28 August 2025", "2 September 2024").  Its date
  is the day the text was filed (the publication date), never the date of the first development:
  "on Friday" in the sentence after it resolves against it.  :func:`find_dateline` finds it in the
  first line only: a head of capitalised place words (or nothing), a full date with its year, an
  optional "(wire)"-style note, then a dash or the end of the line.
* **Labelled lines** are not news claims: a photo caption ("Photo caption: ...", "Photo: ..."), a
  teaser of another article ("Related: ...", "Read more: ...") are skipped; a paragraph labelled as
  opinion ("Analysis: ...", "Comment: ...", "Opinion: ...") is commentary, as are the paragraphs
  "Analysts note..." (:data:`COMMENTARY_RE`).  :func:`paragraph_label` tells them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import resolve_date

# Paragraphs that open like this are commentary, not news ("Analysts note...", "In summary...").
# Commentators comment when they say, think or expect something ("Analysts note", "Experts warn",
# "Observers have long argued"), not when they count or find ("Observers counted 190 complaints").
COMMENTARY_RE = re.compile(
    r"^\s*(?:(?:some\s+|many\s+|most\s+|western\s+|local\s+)?(?:analysts?|experts?|commentators?|critics?|observers|pundits)"
    r"(?:\s+\w+){0,3}?\s+(?:say|says|said|note|notes|noted|believe|believes|believed|think|thinks|thought|argue|argues"
    r"|argued|suggest|suggests|suggested|warn|warns|warned|expect|expects|expected|see|sees|saw|agree|agrees|point|points"
    r"|pointed|predict|predicts|predicted|caution|cautions|cautioned|contend|contends|fear|fears|feared|view|views"
    r"|consider|considers|describe|describes|described|remain|remains|question|questions|doubt|doubts|wonder)"
    r"|in\s+summary|in\s+conclusion|to\s+sum\s+up|overall|all\s+in\s+all|from\s+a\s+strategic\s+standpoint|strategically"
    r"|the\s+discussions?\s+highlights?|taken\s+together|ultimately|in\s+the\s+long\s+run|looking\s+ahead|broadly"
    r"|in\s+general|generally|the\s+(?:broader|wider)\s+(?:picture|context))\b", re.I)

_DATE = (r"(?:[12][0-9]|3[01]|0?[1-9])\s+(?:January|February|March|April|May|June|July|August|September|October"
         r"|November|December)\s+(?:19|20)[0-9]{2}"
         r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+"
         r"(?:[12][0-9]|3[01]|0?[1-9]),\s+(?:19|20)[0-9]{2}")
# head (place words separated by , / |), the date, an optional note in brackets, then a dash or the line end
_DATELINE_RE = re.compile(
    rf"[ \t]*(?:(?P<head>[^\n\d—–]{{2,80}}?)\s*[,|]\s*)?(?P<date>{_DATE})[ \t]*(?:\([^)\n]{{1,30}}\)[ \t]*)?"
    rf"(?P<tail>[—–]|--|-(?=\s)|(?=\n|$))")
# A dateline without a date: the town in capitals, maybe its country, then a dash ("BELGRADE — ...",
# "JABLANICA, Bosnia and Herzegovina — ...").  It is cut the same way; it gives no publication date.
_UNDATED_DATELINE_RE = re.compile(
    r"[ \t]*(?P<head>[A-ZČĆŠŽĐ]{3,}(?:[ /-][A-ZČĆŠŽĐ]{2,})*(?:,[ \t]*[A-Z][^\n\d—–,]{1,40}?)?)[ \t]*(?:—|–|--)[ \t]+")
# words a dateline head may hold besides capitalised ones ("Bosnia and Herzegovina", "|")
_DATELINE_LINES = 3
_HEAD_SMALL_WORDS = {"and", "of", "the", "i", "|", "/", "-", "de", "la", "du", "el", "al"}


@dataclass(frozen=True)
class Dateline:
    start: int  # offsets into the text: the whole dateline, dash included
    end: int
    date_start: int | None  # the date inside it (None: a dateline without a date)
    date_end: int | None
    published: date | None


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text`` (on one of its first three lines: a standfirst or a byline may come
    first), dated or not, else None."""
    m = None
    offset = 0
    for _ in range(_DATELINE_LINES):
        offset += len(text) - offset - len(text[offset:].lstrip("\n\r\ufeff \t"))
        m = _DATELINE_RE.match(text, offset)
        if m is None:
            undated = _UNDATED_DATELINE_RE.match(text, offset)
            if undated is not None:
                return Dateline(undated.start(), undated.end(), None, None, None)
        if m is not None or offset >= len(text):
            break
        offset = text.find("\n", offset)
        if offset < 0:
            return None
    if m is None:
        return None
    head = m.group("head")
    if head is not None:
        words = head.replace("/", " / ").replace("|", " | ").replace(",", " ").split()
        if not words or not all(w[0].isupper() or w.lower() in _HEAD_SMALL_WORDS for w in words):
            return None  # "In a statement on 3 May 2024 - ..." is a sentence, not a dateline
    rng = resolve_date(m.group("date"))
    if rng is None or rng.precision != "day":
        return None
    end = m.end()
    return Dateline(m.start(), end, m.start("date"), m.end("date"), rng.start)


_LABEL_RE = re.compile(
    r"[ \t]*(?:(?P<skip>photo(?:\s+caption)?|caption|picture|image|video|graphic|related|read\s+more|see\s+also"
    r"|also\s+read|watch|listen)|(?P<comment>analysis|comment|commentary|opinion|editorial|viewpoint))\s*:", re.I)


def paragraph_label(first_sentence: str) -> str | None:
    """"skip" for a caption or a teaser, "commentary" for an opinion label, else None."""
    m = _LABEL_RE.match(first_sentence)
    if m is None:
        return None
    return "skip" if m.group("skip") else "commentary"


# A title labelled as the writer's view: "Analysis: ...", "OPINION | ...", "Comment - ...".
_OPINION_TITLE_RE = re.compile(
    r"[ \t]*(?:analysis|comment|commentary|opinion|editorial|viewpoint|column)\s*[:|—–-]\s", re.I)


def opinion_title(title: str | None) -> bool:
    """Whether the title labels the text as analysis or opinion (its remarks are the writer's story,
    not news: a statement in it needs an occasion the text states)."""
    return bool(title and _OPINION_TITLE_RE.match(title))

