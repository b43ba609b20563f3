"""Finding and resolving date expressions in news text.

Conventions (honest, never guessed):

* Absolute expressions resolve without a publication date: "2023-05-29", "on 12 March 2024"
  (day), "October 2023" (month), "Q3 2024" / "third quarter of 2024" (quarter), "in 2022" (year).
* Deadlines name the period they refer to and carry ``deadline`` = its last day:
  "by the end of 2023" / "by end-2023" -> 2023-01-01..2023-12-31, precision "year",
  deadline 2023-12-31 ("end of 2023" without "by" gives the same range, no deadline).
  "by the end of October 2023" -> the month, deadline 2023-10-31.
* Relative expressions need ``published`` and return ``None`` without it:
  "yesterday"/"today"/"tomorrow" (day); "last/this/next week" (Monday..Sunday, precision "week");
  "last/this/next month" (month); "last/this/next year", "earlier this year" (Jan 1..published),
  "later this year" (published..Dec 31), "early next year" / "late last year" (the whole year) (year); "in the coming years" -> the day after publication
  to Dec 31 three years on, precision "year"; "in the coming months" -> six months, precision
  "month"; "in the coming weeks" -> eight weeks, precision "week"; a weekday ("on Monday") -> the
  latest such day on or before publication (the next one on or after it when ``past`` is False).
* A month or day without a year ("during October", "12 March") takes the publication year; when
  ``past`` is True and the month lies after the publication month it takes the previous year,
  when ``past`` is False and it lies before, the next year; with no tense (``past`` None) the
  neighbouring year when that puts it within three months of the publication month across the turn
  of the year ("10 December" in a January text is last December).  Without ``published`` -> None.
* Vague expressions ("earlier", "recently", "previously", "in recent weeks") are found (so an event
  can show its date text) but always resolve to None.
* Time limits ("within 24 hours", "within 30 days", "has 15 days to form a cabinet", "gave them 24
  hours to leave") are deadlines counted from the previous development's day: like "the next day"
  they resolve to None here and carry ``day_offset`` (hours round up to days, a month is 30 days);
  the events stage anchors them and dates them to the day they are due.

Precisions: "day" | "week" | "month" | "quarter" | "year".  ("week" exists for "last week" etc.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateRange", "DateMention", "resolve_date", "find_dates", "month_range", "PRECISION_ORDER"]

PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: str  # day | week | month | quarter | year
    deadline: date | None = None  # set for "by ..." expressions: the last day of the named period


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    deadline: bool
    vague: bool
    # "the same day" (0), "the next day" (1), "afterwards", "within hours" (0): a time told by the
    # previous dated development, not by the publication date; vague until the events stage anchors it.
    day_offset: int | None = None
    # no date expression: the publication month a present-tense report implies (see events)
    implied: bool = False
    # no date expression: a past action told as the news of a dated text, dated by the dateline (see events)
    news_time: bool = False


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)")
# ASCII digits only ([0-9], not \d, which takes any script's digits): the trigger filter below
# reads numbers the same way
_YEAR = r"(?:19|20)[0-9][0-9]"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                     "final": 4, "last": 4}

# (kind, pattern), tried as one alternation in this order: the first kind that matches wins.
# Group names start with their kind's name.
_PATTERNS = [
    # 2023-05-29
    ("iso", rf"\b(?P<iso_year>{_YEAR})-(?P<iso_month>0[1-9]|1[0-2])-(?P<iso_day>0[1-9]|[12][0-9]|3[01])\b"),
    # (on) 12 March 2024, 3rd of May 2023
    ("day_month_year", rf"(?:(?i:on|from|since|until|by)\s+)?\b(?P<day_month_year_day>{_DAY})\s+(?:(?i:of)\s+)?"
                       rf"(?P<day_month_year_month>{_MONTH}),?\s+(?P<day_month_year_year>{_YEAR})\b"),
    # (on) March 12, 2024
    ("month_day_year", rf"(?:(?i:on|from|since|until|by)\s+)?\b(?P<month_day_year_month>{_MONTH})\s+"
                       rf"(?P<month_day_year_day>{_DAY}),?\s+(?P<month_day_year_year>{_YEAR})\b"),
    # Q3 2024, (by) the third quarter of 2024
    ("quarter", rf"\b(?i:(?:in\s+|by\s+|during\s+)?(?:the\s+)?)(?:Q(?P<quarter_number>[1-4])\s*(?P<quarter_year>{_YEAR})"
                rf"|(?P<quarter_ordinal>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last))\s+(?i:quarter\s+of)\s+"
                rf"(?P<quarter_year2>{_YEAR}))\b"),
    # (from / in) the first weeks of 2025, the last days of 2024: the year's first or last month
    ("edge_of_year", rf"\b(?i:(?:in\s+|from\s+|during\s+|by\s+|until\s+|over\s+)?the\s+)"
                     rf"(?P<edge_of_year_edge>(?i:first|opening|early|last|final|closing))\s+(?i:days|weeks)\s+(?i:of)\s+"
                     rf"(?P<edge_of_year_year>{_YEAR})\b"),
    # by the end of 2023, by end-2023 (a deadline)
    ("by_end_of_year", rf"\b(?i:(?:by|before|until|till|through)\s+(?:the\s+)?end[- ]of[- ](?:the\s+year\s+)?|by\s+end-"
                       rf"|by\s+end\s+)(?P<by_end_of_year_year>{_YEAR})\b"),
    # by the end of this year (a deadline)
    ("by_end_of_this_year", r"\b(?i:(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year)\b"),
    # by the end of October (2023) (a deadline)
    ("by_end_of_month", rf"\b(?i:(?:by|before|until)\s+(?:the\s+)?end\s+of\s+)(?P<by_end_of_month_month>{_MONTH})"
                        rf"(?:\s+(?P<by_end_of_month_year>{_YEAR}))?\b"),
    # (at) the end of 2023
    ("end_of_year", rf"\b(?i:(?:at\s+|in\s+)?(?:the\s+)?end[- ]of[- ])(?P<end_of_year_year>{_YEAR})\b"),
    # (at) the end of this year
    ("end_of_this_year", r"\b(?i:(?:at\s+|in\s+|by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+year)\b"),
    # early / mid / late 2023
    ("part_of_year", rf"\b(?i:(?:in\s+|by\s+|until\s+)?(?P<part_of_year_part>early|mid|late)[- ](?:in\s+)?)"
                     rf"(?P<part_of_year_year>{_YEAR})\b"),
    # early / mid / late / the end of / the beginning of October (2023)
    ("part_of_month", rf"\b(?i:(?:in\s+|by\s+|until\s+)?(?:the\s+)?(?P<part_of_month_part>early|mid|late|end\s+of"
                      rf"|beginning\s+of|start\s+of)[- ])(?P<part_of_month_month>{_MONTH})"
                      rf"(?:\s+(?P<part_of_month_year>{_YEAR}))?\b"),
    # (in) October 2023
    ("month_year", rf"(?:\b(?P<month_year_preposition>(?i:in|during|since|until|by|from|of|throughout|through|before"
                   rf"|after))\s+)?\b(?P<month_year_month>{_MONTH}),?\s+(?P<month_year_year>{_YEAR})\b"),
    # (on) 12 March
    ("day_month", rf"(?:\b(?i:on|from|since|until|by)\s+)?\b(?P<day_month_day>{_DAY})\s+(?:(?i:of)\s+)?"
                  rf"(?P<day_month_month>{_MONTH})\b"),
    # (on) March 12
    ("month_day", rf"(?:\b(?i:on|from|since|until|by)\s+)?\b(?P<month_day_month>{_MONTH})\s+(?P<month_day_day>{_DAY})\b"
                  rf"(?!,?\s*\d)"),
    # within 24 hours, within 30 days, within six months: a deadline counted from the previous date (the
    # events stage anchors it; the date is the day it is due)
    ("within_period", r"\b(?i:within)\s+(?P<within_n>\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine"
                      r"|ten|eleven|twelve|fifteen|thirty))\s+(?P<within_unit>(?i:hours?|days?|weeks?|months?))\b"),
    # "gave the diplomats 24 hours to leave", "has 15 days to form a cabinet": a time limit, like "within"
    ("time_limit", r"\b(?P<limit_n>\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                   r"|fifteen|thirty))\s+(?P<limit_unit>(?i:hours?|days?|weeks?|months?))(?=\s+to\s+[a-z])"),
    # the same day, the next day, afterwards, within hours (anchored to the previous date by the events stage)
    ("anaphoric", r"\b(?P<anaphoric>(?i:(?:on\s+)?the\s+(?:same|next|following)\s+day|within\s+hours|hours\s+later"
                  r"|afterwards|(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:days?|weeks?)\s+later))\b"),
    # yesterday, last week, in the coming months, earlier...
    ("relative", r"\b(?P<relative>(?i:yesterday|today|tomorrow"
                 r"|(?:last|this|next|past|previous|coming)\s+(?:week|month|year)"
                 r"|earlier\s+this\s+(?:week|month|year)|later\s+this\s+(?:week|month|year)"
                 r"|(?:early|late)\s+(?:next|this|last)\s+year"
                 r"|(?:in|over|during)\s+the\s+(?:coming|next|next\s+few|following)\s+(?:days|weeks|months|years)"
                 r"|(?:in|over|during)\s+(?:the\s+)?(?:past|last|recent)\s+(?:few\s+|several\s+)?(?:days|weeks|months|years)"
                 r"|in\s+recent\s+(?:days|weeks|months|years)|earlier|recently|previously|at\s+the\s+time"
                 r"|(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this|next|last)\s+year))\b"),
    # (on / last / next) Monday
    ("weekday", rf"(?:\b(?P<weekday_preposition>(?i:on|last|next|this))\s+)?\b(?P<weekday_name>{_WEEKDAY})\b"),
    # in / by / last / next October
    ("preposition_month", rf"\b(?P<preposition_month_preposition>(?i:in|during|since|until|by|from|on|throughout"
                          rf"|through|last|this|next|before|after))\s+(?P<preposition_month_month>{_MONTH})\b(?!\s+\d)"),
    # in / by / since 2022
    ("preposition_year", rf"\b(?P<preposition_year_preposition>(?i:in|since|by|until|during|from|before|after|through"
                         rf"|throughout|for))\s+(?:(?i:the\s+year\s+))?(?P<preposition_year_year>{_YEAR})\b(?![-/]\d)"),
]
_DATE_RE = re.compile("|".join(f"(?P<K_{name}>{pat})" for name, pat in _PATTERNS))
_BARE_MONTH_RE = re.compile(rf"^\s*(?P<m>{_MONTH}|(?i:january|february|march|april|may|june|july|august|september|october|november|december))\s*$")
_BARE_YEAR_RE = re.compile(rf"^\s*(?P<y>{_YEAR})\s*$")
_BARE_YM_RE = re.compile(rf"^\s*(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])\s*$")
_VAGUE = {"earlier", "recently", "previously", "at the time"}
# Kinds that always name a deadline ("by the end of ..."); others do when they open with "by"/"until"/"before".
_DEADLINE_KINDS = ("by_end_of_year", "by_end_of_this_year", "by_end_of_month")


def _month_num(s: str) -> int:
    return _MONTHS[s.lower().rstrip(".")]


def _day_num(s: str) -> int:
    return int(re.match(r"\d+", s).group())


def month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _year_range(y: int, deadline: date | None = None) -> DateRange:
    return DateRange(date(y, 1, 1), date(y, 12, 31), "year", deadline)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# A yearless month with no tense to go by takes the neighbouring year when that puts it within this many
# months of the publication month, across the turn of the year: "a vote on 10 December" in a text of
# 6 January was last December, not next; "in January" in a December text is next January.  Further
# apart ("October" in a March text) it keeps the publication year.
_TURN_OF_YEAR_MONTHS = 3


def _year_for_month(m: int, published: date, past: bool | None) -> int:
    y = published.year
    if past is True and m > published.month:
        return y - 1
    if past is False and m < published.month:
        return y + 1
    if past is None and abs(m - published.month) > 12 - _TURN_OF_YEAR_MONTHS - 1:
        return y - 1 if m > published.month else y + 1
    return y


def _safe_day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _kind(m: re.Match) -> str:
    return m.lastgroup[2:]


def _opens_with(m: re.Match, *words: str) -> bool:
    return m.group().lower().lstrip().startswith(words)


def _one_day(d: date | None) -> DateRange | None:
    return DateRange(d, d, "day") if d else None


def _month_in_year(month: int, year_text: str | None, published: date | None, past: bool | None) -> int | None:
    """The year of a month: written, else from the publication date and the tense, else unknown."""
    if year_text:
        return int(year_text)
    if published:
        return _year_for_month(month, published, past)
    return None


# One resolver per pattern kind: (match, its groups, published, past) -> DateRange | None.
def _iso(m, groups, published, past):
    return _one_day(_safe_day(int(groups["iso_year"]), int(groups["iso_month"]), int(groups["iso_day"])))


def _day_month_year(m, groups, published, past):
    return _one_day(_safe_day(int(groups["day_month_year_year"]), _month_num(groups["day_month_year_month"]),
                              _day_num(groups["day_month_year_day"])))


def _month_day_year(m, groups, published, past):
    return _one_day(_safe_day(int(groups["month_day_year_year"]), _month_num(groups["month_day_year_month"]),
                              _day_num(groups["month_day_year_day"])))


def _quarter(m, groups, published, past):
    q = int(groups["quarter_number"]) if groups["quarter_number"] else _QUARTER_ORDINALS[groups["quarter_ordinal"].lower()]
    y = int(groups["quarter_year"] or groups["quarter_year2"])
    end = month_range(y, 3 * q)[1]
    return DateRange(date(y, 3 * q - 2, 1), end, "quarter", end if _opens_with(m, "by") else None)


def _by_end_of_year(m, groups, published, past):
    y = int(groups["by_end_of_year_year"])
    return _year_range(y, date(y, 12, 31))


def _this_year_end(m, groups, published, past):
    if not published:
        return None
    y = published.year
    deadline = date(y, 12, 31) if _kind(m) == "by_end_of_this_year" or _opens_with(m, "by") else None
    return _year_range(y, deadline)


def _named_month(groups, kind: str, published, past) -> tuple[date, date] | None:
    """First and last day of the month a ``kind`` pattern names (its year, or the one it implies)."""
    month = _month_num(groups[f"{kind}_month"])
    y = _month_in_year(month, groups[f"{kind}_year"], published, past)
    return None if y is None else month_range(y, month)


def _by_end_of_month(m, groups, published, past):
    found = _named_month(groups, "by_end_of_month", published, past)
    return None if found is None else DateRange(found[0], found[1], "month", found[1])


def _end_of_year(m, groups, published, past):
    return _year_range(int(groups["end_of_year_year"]))


def _part_of_year(m, groups, published, past):
    y = int(groups["part_of_year_year"])
    return _year_range(y, date(y, 12, 31) if _opens_with(m, "by", "until") else None)


def _part_of_month(m, groups, published, past):
    found = _named_month(groups, "part_of_month", published, past)
    if found is None:
        return None
    return DateRange(found[0], found[1], "month", found[1] if _opens_with(m, "by", "until") else None)


def _edge_of_year(m, groups, published, past):
    year = int(groups["edge_of_year_year"])
    month = 1 if groups["edge_of_year_edge"].lower() in ("first", "opening", "early") else 12
    s, e = month_range(year, month)
    return DateRange(s, e, "month", e if _opens_with(m, "by", "until") else None)


def _month_year(m, groups, published, past):
    s, e = month_range(int(groups["month_year_year"]), _month_num(groups["month_year_month"]))
    preposition = (groups["month_year_preposition"] or "").lower()
    return DateRange(s, e, "month", e if preposition in ("by", "until", "before") else None)


def _day_month(m, groups, published, past):
    if not published:
        return None
    month = _month_num(groups["day_month_month"])
    return _one_day(_safe_day(_year_for_month(month, published, past), month, _day_num(groups["day_month_day"])))


def _month_day(m, groups, published, past):
    if not published:
        return None
    month = _month_num(groups["month_day_month"])
    return _one_day(_safe_day(_year_for_month(month, published, past), month, _day_num(groups["month_day_day"])))


def _preposition_month(m, groups, published, past):
    if not published:
        return None
    month = _month_num(groups["preposition_month_month"])
    preposition = groups["preposition_month_preposition"].lower()
    if preposition == "last":
        y = published.year if month < published.month else published.year - 1
    elif preposition == "next":
        y = published.year if month > published.month else published.year + 1
    elif preposition == "this":
        y = published.year
    else:
        y = _year_for_month(month, published, past)
    s, e = month_range(y, month)
    return DateRange(s, e, "month", e if preposition in ("by", "until", "before") else None)


def _preposition_year(m, groups, published, past):
    y = int(groups["preposition_year_year"])
    preposition = groups["preposition_year_preposition"].lower()
    return _year_range(y, date(y, 12, 31) if preposition in ("by", "until", "before") else None)


def _weekday(m, groups, published, past):
    if not published:
        return None
    target = _WEEKDAYS[groups["weekday_name"].lower()]
    preposition = (groups["weekday_preposition"] or "").lower()
    back = (published.weekday() - target) % 7
    if preposition == "next" or (past is False and preposition != "last"):
        d = published + timedelta(days=(target - published.weekday()) % 7 or (7 if preposition == "next" else 0))
    elif preposition == "last":
        d = published - timedelta(days=back or 7)
    else:
        d = published - timedelta(days=back)
    return DateRange(d, d, "day")


def _within_period(m, groups, published, past):
    return None  # counted from the previous development's date (see DateMention.day_offset)


_time_limit = _within_period


def _anaphoric(m, groups, published, past):
    return None  # only the previous development's date can tell (see DateMention.day_offset)


def _relative(m, groups, published, past):
    return _resolve_relative(" ".join(groups["relative"].lower().split()), published)


_RESOLVERS = {
    "iso": _iso, "edge_of_year": _edge_of_year, "day_month_year": _day_month_year, "month_day_year": _month_day_year, "quarter": _quarter,
    "by_end_of_year": _by_end_of_year, "by_end_of_this_year": _this_year_end, "by_end_of_month": _by_end_of_month,
    "end_of_year": _end_of_year, "end_of_this_year": _this_year_end, "part_of_year": _part_of_year,
    "part_of_month": _part_of_month, "month_year": _month_year, "day_month": _day_month, "month_day": _month_day,
    "anaphoric": _anaphoric, "within_period": _within_period, "time_limit": _time_limit, "relative": _relative, "weekday": _weekday, "preposition_month": _preposition_month,
    "preposition_year": _preposition_year,
}
assert set(_RESOLVERS) == {kind for kind, _ in _PATTERNS}


def _resolve_match(m: re.Match, published: date | None, past: bool | None) -> DateRange | None:
    return _RESOLVERS[_kind(m)](m, m.groupdict(), published, past)


def _week(d: date) -> tuple[date, date]:
    s = d - timedelta(days=d.weekday())
    return s, s + timedelta(days=6)


_DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_PERIOD_OFFSETS = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}


def _last_this_next(offset: int, unit: str, p: date) -> DateRange | None:
    """"last week", "this month", "next year": the whole period."""
    if unit == "week":
        s, e = _week(p + timedelta(weeks=offset))
        return DateRange(s, e, "week")
    if unit == "month":
        shifted = _add_months(p.replace(day=1), offset)
        s, e = month_range(shifted.year, shifted.month)
        return DateRange(s, e, "month")
    if unit == "year":
        return _year_range(p.year + offset)
    return None


def _earlier_this(unit: str, p: date) -> DateRange | None:
    """"earlier this year": from the start of the period to the publication date."""
    if unit == "year":
        return DateRange(date(p.year, 1, 1), p, "year")
    if unit == "month":
        return DateRange(p.replace(day=1), p, "month")
    if unit == "week":
        return DateRange(_week(p)[0], p, "week")
    return None


def _later_this(unit: str, p: date) -> DateRange | None:
    """"later this month": from the publication date to the end of the period."""
    if unit == "year":
        return DateRange(p, date(p.year, 12, 31), "year")
    if unit == "month":
        return DateRange(p, month_range(p.year, p.month)[1], "month")
    if unit == "week":
        return DateRange(p, _week(p)[1], "week")
    return None


def _coming(unit: str, p: date) -> DateRange | None:
    """"in the coming years / months / weeks / days": from the day after publication, a fixed horizon."""
    start = p + timedelta(days=1)
    if unit == "year":
        return DateRange(start, date(p.year + 3, 12, 31), "year")
    if unit == "month":
        return DateRange(start, _add_months(p, 6), "month")
    if unit == "week":
        return DateRange(start, p + timedelta(weeks=8), "week")
    if unit == "day":
        return DateRange(start, p + timedelta(days=10), "week")
    return None


def _is_unresolvable(rel: str) -> bool:
    """Vague ("earlier", "recently") or looking back over an open period ("in the past weeks")."""
    return (rel in _VAGUE or "recent" in rel or "past" in rel
            or rel.startswith(("in the last", "over the last", "during the last")))


def _resolve_relative(rel: str, p: date | None) -> DateRange | None:
    """A relative expression (lower case, single spaces) against the publication date ``p``."""
    if p is None or _is_unresolvable(rel):
        return None
    if rel in _DAY_OFFSETS:
        d = p + timedelta(days=_DAY_OFFSETS[rel])
        return DateRange(d, d, "day")
    words = rel.split()
    unit = words[-1].rstrip("s")
    if words[0] in _PERIOD_OFFSETS and len(words) == 2:
        found = _last_this_next(_PERIOD_OFFSETS[words[0]], unit, p)
        if found:
            return found
    if words[0] in ("early", "late") and len(words) == 3:  # "early next year": that year (no finer)
        return _last_this_next(_PERIOD_OFFSETS[words[1]], unit, p)
    if words[-1] == "year" and ("start" in words or "beginning" in words):  # "from the start of the year": January
        year = p.year + _PERIOD_OFFSETS.get(words[-2], 0)
        start, end = month_range(year, 1)
        return DateRange(start, end, "month")
    if words[0] == "earlier":
        found = _earlier_this(unit, p)
        if found:
            return found
    if words[0] == "later":
        found = _later_this(unit, p)
        if found:
            return found
    if words[-1] in ("years", "months", "weeks", "days") and any(w in words for w in ("coming", "next", "following")):
        return _coming(unit, p)
    return None


def resolve_date(expr: str, published: date | None = None, *, past: bool | None = None) -> DateRange | None:
    """Resolve one date expression; ``None`` when it cannot be resolved honestly.

    ``past`` is an optional tense hint for month/day expressions without a year (see module doc).
    """
    if not expr or not expr.strip():
        return None
    ym = _BARE_YM_RE.match(expr)
    if ym:
        s, e = month_range(int(ym.group("y")), int(ym.group("m")))
        return DateRange(s, e, "month")
    m = _DATE_RE.search(expr)
    if m is None:
        bm = _BARE_MONTH_RE.match(expr)
        if bm:
            if not published:
                return None
            mo = _month_num(bm.group("m"))
            s, e = month_range(_year_for_month(mo, published, past), mo)
            return DateRange(s, e, "month")
        by = _BARE_YEAR_RE.match(expr)
        if by:
            y = int(by.group("y"))
            return DateRange(date(y, 1, 1), date(y, 12, 31), "year")
        return None
    return _resolve_match(m, published, past)


_COUNT_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10}
_WITHIN_COUNTS = {**_COUNT_WORDS, "an": 1, "eleven": 11, "twelve": 12, "fifteen": 15, "thirty": 30}
_UNIT_DAYS = {"hour": 0, "day": 1, "week": 7, "month": 30}
_PREFIX_WORDS = {
    *_COUNT_WORDS,  # "three days later", "a week later"
    "on", "from", "since", "until", "till", "by", "of", "in", "during", "the", "end", "early", "mid", "late",
    "beginning", "start", "before", "after", "through", "throughout", "at", "last", "this", "next", "past",
    "previous", "coming", "over", "recent", "few", "several", "following", "earlier", "later", "for", "year",
    "quarter", "first", "second", "third", "fourth", "final", "st", "nd", "rd", "th", "same", "within",
}


_TRIGGER_TOKENS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow "
    "week weeks month months year years days earlier recently previously time q1 q2 q3 q4 day hours afterwards within".split())


# Trigger words that no pattern starts with: they anchor a match only after a prefix word
# ("last year", "in the coming weeks"), so without one there is nothing to try.
_CANNOT_BEGIN = frozenset("week weeks month months year years days time day".split())
_DAY_TOKEN_RE = re.compile(r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_DAY_FOLLOW_RE = re.compile(rf"\s+(?:(?i:of)\s+)?{_MONTH}")
_LIMIT_FOLLOW_RE = re.compile(r"\s+(?i:hours?|days?|weeks?|months?)\s+to\s+[a-z]")  # "24 hours to leave"
# a time limit is given or held: "gave its diplomats 24 hours to leave", "has 15 days to form a cabinet"
_LIMIT_LEAD_RE = re.compile(r"\b(?i:has|have|had|gave|given|giving|gives|give|granted|grants|allowed|allows)\b")


def _triggers(text: str, doc=None):
    """(start, end, normalised token) in ``text`` of the tokens that can anchor a date expression.

    A number anchors one only as a year (19xx/20xx) or as a day followed by a month name ("12
    March", "3rd of May"): the only patterns with digits. A day after its month ("March 12") is
    found from the month. Other numbers are skipped before any pattern is tried.
    """
    if doc is None:
        from dashboard.textnorm import NormText

        doc = NormText(text)
    strs, starts, ends, _gaps = doc.token_arrays()
    trig = _TRIGGER_TOKENS
    for k in [k for k, t in enumerate(strs) if t < ":" or t in trig]:
        t = strs[k]
        ts, te = doc.orig_span(starts[k], ends[k])
        if t[0].isdigit():  # tokens are ASCII [a-z0-9]+ (other scripts' digits never become one)
            if len(t) == 4 and t.isdigit():
                if t[:2] not in ("19", "20"):
                    continue
            elif not (_DAY_TOKEN_RE.fullmatch(t) and _DAY_FOLLOW_RE.match(text, te)) and not _LIMIT_FOLLOW_RE.match(text, te):
                continue
        yield ts, te, t


def find_dates(text: str, doc=None) -> list[tuple[DateMention, re.Match]]:
    """All date expressions in ``text`` with their spans (vague ones included, flagged).

    Every pattern contains a trigger token (a number, a month or weekday name, "week"/"month"/
    "year"...).  From each trigger we walk back over up to five words that can open a date
    expression ("by the end of 2023", "in the coming years") and try the full pattern there,
    earliest start first: the big pattern never scans the whole text, so long articles stay fast.
    ``doc`` is an optional ``NormText`` of ``text`` (saves re-tokenising).
    """
    out = []
    last_end = 0
    for ts, te, tok in _triggers(text, doc):
        if te <= last_end:
            continue
        starts = [ts]
        pos = ts
        for _ in range(5):
            seg = text[max(last_end, pos - 16):pos]
            stripped = seg.rstrip(" \t,-")
            j = k = len(stripped)
            while j > 0 and stripped[j - 1].isalpha():
                j -= 1
            if j == k or stripped[j:k].lower() not in _PREFIX_WORDS:
                break
            pos = pos - len(seg) + j
            starts.append(pos)
        if len(starts) == 1 and tok in _CANNOT_BEGIN:
            continue
        for pos in reversed(starts):
            m = _DATE_RE.match(text, pos)
            if m is None or m.end() < te or m.start() > ts:
                continue
            s, e = m.span()
            kind = _kind(m)
            tx = m.group()
            low = tx.lower().lstrip()
            deadline = kind in _DEADLINE_KINDS or low.startswith(("by ", "until ", "before "))
            vague = kind == "relative" and (" ".join(low.split()) in _VAGUE or "recent" in low or "past" in low)
            offset = None
            if kind == "anaphoric":
                vague, offset = True, 1 if ("next" in low or "following" in low) else 0
                if low.endswith(" later") and not low.startswith("hours"):  # "three days later", "a week later"
                    n, unit = low.split()[:2]
                    offset = _COUNT_WORDS[n] * (7 if unit.startswith("week") else 1)
            if kind == "time_limit" and not _LIMIT_LEAD_RE.search(text, max(0, s - 60), s):
                continue  # "it took two weeks to count the votes": a duration, no time limit
            if kind in ("within_period", "time_limit"):  # "within 24 hours" of the decision: due the next day
                g = "within" if kind == "within_period" else "limit"
                n_text, unit = m.group(f"{g}_n").lower(), m.group(f"{g}_unit").lower().rstrip("s")
                n = int(n_text) if n_text.isdigit() else _WITHIN_COUNTS[n_text]
                vague, deadline = True, True
                offset = -(-n // 24) if unit == "hour" else n * _UNIT_DAYS[unit]
            if out and kind != "weekday" and _kind(out[-1][1]) == "weekday" and not text[out[-1][0].end:s].strip(" ,"):
                out.pop()  # "on Friday, 17 May": the date names the day, the weekday only repeats it
            out.append((DateMention(s, e, tx, deadline, vague, offset), m))
            last_end = e
            break
    return out


def resolve_mention(m: re.Match, published: date | None, past: bool | None = None) -> DateRange | None:
    return _resolve_match(m, published, past)
