"""Stage 5b, dating a candidate event: its dates resolved, and the status changes its dates imply.

* Yearless dates ("on Sunday", "12 March", "in October") take the tense of their own clause
  (:func:`.event_cues.clause_tense`: "took the step a week before he is due to hand over on 1 August"
  -> the coming 1 August), else the tense of the sentence's status, else of its words.
* Anaphoric times ("the same day", "afterwards", "within hours", "the next day") take the date the
  text gave last (:func:`anchored`).
* A precise date can give a status to a sentence without a verb cue (:func:`status_from_date`), and
  dates revise a status (:func:`revise_status`): a statement with a deadline ahead is expected, an
  expectation dated only in the past is the statement announcing it, and something that "occurred"
  on dates all after the publication has not happened yet.
* "The decision comes a month after ...": what the clause after "after" tells happened that long
  before the time of writing (:func:`offset_before_publication`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from .dates import DateMention, DateRange, month_range, resolve_mention
from .event_cues import clause_tense, sentence_is_past, speech_cue

DatedMention = tuple[DateMention, DateRange | None]


# The tense a status implies for yearless dates ("on Sunday", "12 March"): a past action or a speech
# act already happened, even when the sentence also says what will follow ("signed on Sunday an
# agreement under which the country will be renamed").  An expectation is left to the sentence's
# tense words: its date may be the announcement's ("had announced in late December that it would").
_STATUS_TENSE = {"occurred": True, "statement": True}


# Date kinds whose year (or week) depends on the tense: "12 March", "March 12", "on Friday", "in October".
_YEARLESS_KINDS = {f"K_{k}" for k in ("day_month", "month_day", "weekday", "preposition_month", "part_of_month",
                                      "by_end_of_month")}


def resolved_dates(text: str, date_matches: list[tuple], relative_clauses: list[tuple[int, int]], sentence_start: int,
                    words: list[str], published: date | None, status: str | None = None) -> list[DatedMention]:
    """The sentence's dates outside relative clauses, resolved with the tense of their clause (else of the
    sentence's status, else of its words)."""
    if relative_clauses and date_matches:
        date_matches = [(d, m) for d, m in date_matches
                        if not any(rs <= d.start - sentence_start < re_ for rs, re_ in relative_clauses)]
    dates: list[DatedMention] = []
    if date_matches:
        past = _STATUS_TENSE[status] if status in _STATUS_TENSE else sentence_is_past(words)
        for d, m in date_matches:
            # a deadline ("by March") looks forward even in a past-tense sentence; otherwise the tense
            # of the date's own clause ("took the step before he is due to hand over on 1 August")
            local = (clause_tense(text[sentence_start:d.start], m.lastgroup == "K_weekday")
                     if m.lastgroup in _YEARLESS_KINDS and not d.deadline and published is not None else None)
            dates.append((d, resolve_mention(m, published, False if d.deadline else past if local is None else local)))
    return dates


def anchored(d: DateMention, rng: DateRange | None, last_day: DateRange | None,
             last_date: DateRange | None) -> DatedMention:
    """ "the same day", "within hours", "the next day": the last day the text named (+ offset);
    "afterwards": the last date of any precision ("approved it in April 2023, adopted shortly afterwards")."""
    if d.day_offset is None:
        return d, rng
    anchor = last_date if d.text.strip().lower() == "afterwards" else last_day
    if anchor is None:
        return d, rng
    if anchor.precision != "day":
        return replace(d, vague=False), DateRange(anchor.start, anchor.end, anchor.precision)
    day = anchor.start + timedelta(days=d.day_offset)
    return replace(d, vague=False), DateRange(day, day, "day")


def status_from_date(dates: list[DatedMention], published: date | None) -> tuple[str, str] | None:
    """No verb cue, but a precise date: "Citizens can travel visa-free from 1 January 2024"; (status, why).
    An anaphoric time ("reacted within hours") is no date of its own: it only carries one on."""
    for d, rng in dates:
        if rng is not None and not d.vague and d.day_offset is None and rng.precision in ("day", "month"):
            status = "occurred" if published is None or rng.start <= published else "expected"
            return status, f"precise date '{d.text.strip()}' without a verb cue: {status}"
    for d, rng in dates:  # "a timetable: close all chapters by 2026": a deadline still ahead is a target
        if d.deadline and rng is not None and published is not None and rng.end > published:
            return "expected", f"deadline ahead '{d.text.strip()}' without a verb cue: expected"
    return None


def revise_status(status: str, words: list[str], dates: list[DatedMention], published: date | None) -> tuple[str, str]:
    """A statement with a deadline still ahead is expected; an expectation dated only in the past is a
    statement; something that "occurred" on dates all after the publication has not happened yet."""
    if published is None:
        return status, ""
    if status == "occurred" and dates:
        resolved = [(d, rng) for d, rng in dates if rng is not None and not d.vague]
        if resolved and all(rng.start > published for d, rng in resolved):
            # "the special police units sent to the crossings are to withdraw on Saturday"
            return "expected", f"every date after publication '{resolved[0][0].text.strip()}': expected"
    if status == "statement":
        for d, rng in dates:
            if d.deadline and rng is not None and rng.end > published:
                return "expected", f"deadline ahead '{d.text.strip()}': expected"  # "said the mine could start by 2028"
    elif status == "expected" and dates:
        resolved = [(d, rng) for d, rng in dates if rng is not None and not d.vague]
        if resolved and all(not d.deadline and rng.end < published for d, rng in resolved):
            speech = speech_cue(words)
            if speech is not None:  # "had announced in late December that it would halt supplies"
                return "statement", f"{speech[0]} dated in the past: the statement is the news"
    return status, ""


def publication_month(published: date, cue: str, at: int) -> DatedMention:
    """A present-tense report without a date of its own ("Kurti refuses ...", "has condemned"): around
    the publication, stated at the precision that is honest, the month."""
    start, end = month_range(published.year, published.month)
    return DateMention(at, at, f"present tense '{cue}'", False, False, None, True), DateRange(start, end, "month")


def by_the_dateline(published: date, told: str, at: int) -> DatedMention:
    """No date of its own, told as the news of a dated text: a statement in the simple past ("the
    ministry said ...") was made, a past action ("police detained 20 people") took place, by the time
    of writing.  The labelling guide dates such a statement to the dateline; we cannot tell whether it
    was made that day or a day or two before, so it is stated at the honest precision, the
    publication month (as a present-tense report, :func:`publication_month`)."""
    start, end = month_range(published.year, published.month)
    return DateMention(at, at, told, False, False, None, False, True), DateRange(start, end, "month")


# "The decision comes a month after a pupil was stabbed", "the move comes two weeks after the vote":
# the present "comes" is the time of writing, so what follows "after" happened that long before it.
_COMES_AFTER_RE = re.compile(
    r"\bcomes?\s+(?:just\s+|only\s+|barely\s+|nearly\s+|almost\s+|about\s+|some\s+|less\s+than\s+|more\s+than\s+)?"
    r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[1-9][0-9]?)\s+"
    r"(?P<unit>day|week|month|year)s?\s+after\b", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def offset_before_publication(sentence: str, at: int, published: date | None) -> DatedMention | None:
    """ "comes a month after ...": the date that long before ``published``, at the precision of the unit
    (a week: the seven days around it)."""
    if published is None or "after" not in sentence:
        return None
    m = _COMES_AFTER_RE.search(sentence)
    if m is None:
        return None
    n_text, unit = m.group("n").lower(), m.group("unit").lower()
    n = _NUMBER_WORDS.get(n_text) or int(n_text)
    mention = DateMention(at + m.start(), at + m.end(), m.group(), False, False)
    if unit == "day":
        d = published - timedelta(days=n)
        return mention, DateRange(d, d, "day")
    if unit == "week":
        d = published - timedelta(days=7 * n)
        return mention, DateRange(d - timedelta(days=3), d + timedelta(days=3), "week")
    if unit == "month":
        y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
        start, end = month_range(y, mo + 1)
        return mention, DateRange(start, end, "month")
    y = published.year - n
    return mention, DateRange(date(y, 1, 1), date(y, 12, 31), "year")
