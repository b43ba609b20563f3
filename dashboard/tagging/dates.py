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
  "later this year" (published..Dec 31) (year); "in the coming years" -> the day after publication
  to Dec 31 three years on, precision "year"; "in the coming months" -> six months, precision
  "month"; "in the coming weeks" -> eight weeks, precision "week"; a weekday ("on Monday") -> the
  latest such day on or before publication (the next one on or after it when ``past`` is False).
* A month or day without a year ("during October", "12 March") takes the publication year; when
  ``past`` is True and the month lies after the publication month it takes the previous year,
  when ``past`` is False and it lies before, the next year.  Without ``published`` -> None.
* Vague expressions ("earlier", "recently", "previously", "in recent weeks") are found (so an event
  can show its date text) but always resolve to None.

Precisions: "day" | "week" | "month" | "quarter" | "year".  ("week" exists for "last week" etc.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateRange", "DateMention", "resolve_date", "find_dates", "PRECISION_ORDER"]

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


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_M = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
      r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)")
# ASCII digits only ([0-9], not \d, which takes any script's digits): the trigger filter below
# reads numbers the same way
_Y = r"(?:19|20)[0-9][0-9]"
_D = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}

_PATTERNS = [
    ("iso", rf"\b(?P<iso_y>{_Y})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12][0-9]|3[01])\b"),
    ("dmy", rf"(?:(?i:on|from|since|until|by)\s+)?\b(?P<dmy_d>{_D})\s+(?:(?i:of)\s+)?(?P<dmy_m>{_M}),?\s+(?P<dmy_y>{_Y})\b"),
    ("mdy", rf"(?:(?i:on|from|since|until|by)\s+)?\b(?P<mdy_m>{_M})\s+(?P<mdy_d>{_D}),?\s+(?P<mdy_y>{_Y})\b"),
    ("qtr", rf"\b(?i:(?:in\s+|by\s+|during\s+)?(?:the\s+)?)(?:Q(?P<q_n>[1-4])\s*(?P<q_y>{_Y})|(?P<q_w>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last))\s+(?i:quarter\s+of)\s+(?P<q_y2>{_Y}))\b"),
    ("dly", rf"\b(?i:(?:by|before|until|till|through)\s+(?:the\s+)?end[- ]of[- ](?:the\s+year\s+)?|by\s+end-|by\s+end\s+)(?P<dl_y>{_Y})\b"),
    ("dlthis", r"\b(?i:(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year)\b"),
    ("dlm", rf"\b(?i:(?:by|before|until)\s+(?:the\s+)?end\s+of\s+)(?P<dlm_m>{_M})(?:\s+(?P<dlm_y>{_Y}))?\b"),
    ("eoy", rf"\b(?i:(?:at\s+|in\s+)?(?:the\s+)?end[- ]of[- ])(?P<eo_y>{_Y})\b"),
    ("eothis", r"\b(?i:(?:at\s+|in\s+|by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+year)\b"),
    ("eml", rf"\b(?i:(?:in\s+|by\s+|until\s+)?(?P<eml>early|mid|late)[- ](?:in\s+)?)(?P<eml_y>{_Y})\b"),
    ("emlm", rf"\b(?i:(?:in\s+|by\s+|until\s+)?(?:the\s+)?(?P<emlm>early|mid|late|end\s+of|beginning\s+of|start\s+of)[- ])(?P<emlm_m>{_M})(?:\s+(?P<emlm_y>{_Y}))?\b"),
    ("my", rf"(?:\b(?P<my_p>(?i:in|during|since|until|by|from|of|throughout|through|before|after))\s+)?\b(?P<my_m>{_M}),?\s+(?P<my_y>{_Y})\b"),
    ("dm", rf"(?:\b(?i:on|from|since|until|by)\s+)?\b(?P<dm_d>{_D})\s+(?:(?i:of)\s+)?(?P<dm_m>{_M})\b"),
    ("md", rf"(?:\b(?i:on|from|since|until|by)\s+)?\b(?P<md_m>{_M})\s+(?P<md_d>{_D})\b(?!,?\s*\d)"),
    ("rel", r"\b(?P<rel>(?i:yesterday|today|tomorrow"
            r"|(?:last|this|next|past|previous|coming)\s+(?:week|month|year)"
            r"|earlier\s+this\s+(?:week|month|year)|later\s+this\s+(?:week|month|year)"
            r"|(?:in|over|during)\s+the\s+(?:coming|next|next\s+few|following)\s+(?:days|weeks|months|years)"
            r"|(?:in|over|during)\s+(?:the\s+)?(?:past|last|recent)\s+(?:few\s+|several\s+)?(?:days|weeks|months|years)"
            r"|in\s+recent\s+(?:days|weeks|months|years)|earlier|recently|previously|at\s+the\s+time))\b"),
    ("wd", rf"(?:\b(?P<wd_p>(?i:on|last|next|this))\s+)?\b(?P<wd>{_WD})\b"),
    ("mp", rf"\b(?P<mp>(?i:in|during|since|until|by|from|on|throughout|through|last|this|next|before|after))\s+(?P<mp_m>{_M})\b(?!\s+\d)"),
    ("yp", rf"\b(?P<yp>(?i:in|since|by|until|during|from|before|after|through|throughout|for))\s+(?:(?i:the\s+year\s+))?(?P<yp_y>{_Y})\b(?![-/]\d)"),
]
_DATE_RE = re.compile("|".join(f"(?P<K_{name}>{pat})" for name, pat in _PATTERNS))
_BARE_MONTH_RE = re.compile(rf"^\s*(?P<m>{_M}|(?i:january|february|march|april|may|june|july|august|september|october|november|december))\s*$")
_BARE_YEAR_RE = re.compile(rf"^\s*(?P<y>{_Y})\s*$")
_BARE_YM_RE = re.compile(rf"^\s*(?P<y>{_Y})-(?P<m>0[1-9]|1[0-2])\s*$")
_VAGUE = {"earlier", "recently", "previously", "at the time"}


def _month_num(s: str) -> int:
    return _MONTHS[s.lower().rstrip(".")]


def _day_num(s: str) -> int:
    return int(re.match(r"\d+", s).group())


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _year_for_month(m: int, published: date, past: bool | None) -> int:
    y = published.year
    if past is True and m > published.month:
        return y - 1
    if past is False and m < published.month:
        return y + 1
    return y


def _safe_day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _kind(m: re.Match) -> str:
    return m.lastgroup[2:]


def _resolve_match(m: re.Match, published: date | None, past: bool | None) -> DateRange | None:
    kind = _kind(m)
    g = m.groupdict()
    if kind == "iso":
        d = _safe_day(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
        return DateRange(d, d, "day") if d else None
    if kind in ("dmy", "mdy"):
        p = kind[:3] + "_"
        d = _safe_day(int(g[p + "y"]), _month_num(g[p + "m"]), _day_num(g[p + "d"]))
        return DateRange(d, d, "day") if d else None
    if kind == "qtr":
        q = int(g["q_n"]) if g["q_n"] else _ORD[g["q_w"].lower()]
        y = int(g["q_y"] or g["q_y2"])
        s = date(y, 3 * q - 2, 1)
        e = _month_range(y, 3 * q)[1]
        dl = e if m.group().lower().lstrip().startswith("by") else None
        return DateRange(s, e, "quarter", dl)
    if kind == "dly":
        y = int(g["dl_y"])
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year", date(y, 12, 31))
    if kind in ("dlthis", "eothis"):
        if not published:
            return None
        y = published.year
        dl = date(y, 12, 31) if kind == "dlthis" or m.group().lower().lstrip().startswith("by") else None
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year", dl)
    if kind == "dlm":
        mo = _month_num(g["dlm_m"])
        if g["dlm_y"]:
            y = int(g["dlm_y"])
        elif published:
            y = _year_for_month(mo, published, past)
        else:
            return None
        s, e = _month_range(y, mo)
        return DateRange(s, e, "month", e)
    if kind == "eoy":
        y = int(g["eo_y"])
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year")
    if kind == "eml":
        y = int(g["eml_y"])
        dl = date(y, 12, 31) if m.group().lower().lstrip().startswith(("by", "until")) else None
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year", dl)
    if kind == "emlm":
        mo = _month_num(g["emlm_m"])
        if g["emlm_y"]:
            y = int(g["emlm_y"])
        elif published:
            y = _year_for_month(mo, published, past)
        else:
            return None
        s, e = _month_range(y, mo)
        dl = e if m.group().lower().lstrip().startswith(("by", "until")) else None
        return DateRange(s, e, "month", dl)
    if kind == "my":
        y = int(g["my_y"])
        s, e = _month_range(y, _month_num(g["my_m"]))
        dl = e if (g["my_p"] or "").lower() in ("by", "until", "before") else None
        return DateRange(s, e, "month", dl)
    if kind in ("dm", "md"):
        if not published:
            return None
        p = kind + "_"
        mo = _month_num(g[p + "m"])
        d = _safe_day(_year_for_month(mo, published, past), mo, _day_num(g[p + "d"]))
        return DateRange(d, d, "day") if d else None
    if kind == "mp":
        if not published:
            return None
        mo = _month_num(g["mp_m"])
        prep = g["mp"].lower()
        if prep == "last":
            y = published.year if mo < published.month else published.year - 1
        elif prep == "next":
            y = published.year if mo > published.month else published.year + 1
        elif prep == "this":
            y = published.year
        else:
            y = _year_for_month(mo, published, past)
        s, e = _month_range(y, mo)
        dl = e if prep in ("by", "until", "before") else None
        return DateRange(s, e, "month", dl)
    if kind == "yp":
        y = int(g["yp_y"])
        dl = date(y, 12, 31) if g["yp"].lower() in ("by", "until", "before") else None
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year", dl)
    if kind == "wd":
        if not published:
            return None
        target = _WEEKDAYS[g["wd"].lower()]
        prep = (g["wd_p"] or "").lower()
        delta = (published.weekday() - target) % 7
        if prep == "next" or (past is False and prep != "last"):
            d = published + timedelta(days=(target - published.weekday()) % 7 or (7 if prep == "next" else 0))
        elif prep == "last":
            d = published - timedelta(days=delta or 7)
        else:
            d = published - timedelta(days=delta)
        return DateRange(d, d, "day")
    if kind == "rel":
        return _resolve_relative(" ".join(g["rel"].lower().split()), published)
    return None


def _week(d: date) -> tuple[date, date]:
    s = d - timedelta(days=d.weekday())
    return s, s + timedelta(days=6)


def _resolve_relative(rel: str, p: date | None) -> DateRange | None:
    if p is None or rel in _VAGUE or "recent" in rel or "past" in rel or rel.startswith(("in the last", "over the last", "during the last")):
        return None
    if rel == "yesterday":
        d = p - timedelta(days=1)
        return DateRange(d, d, "day")
    if rel == "today":
        return DateRange(p, p, "day")
    if rel == "tomorrow":
        d = p + timedelta(days=1)
        return DateRange(d, d, "day")
    words = rel.split()
    unit = words[-1].rstrip("s")
    if words[0] in ("last", "previous", "this", "next", "coming") and len(words) == 2:
        off = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[words[0]]
        if unit == "week":
            s, e = _week(p + timedelta(weeks=off))
            return DateRange(s, e, "week")
        if unit == "month":
            s, e = _month_range(*(lambda d: (d.year, d.month))(_add_months(p.replace(day=1), off)))
            return DateRange(s, e, "month")
        if unit == "year":
            y = p.year + off
            return DateRange(date(y, 1, 1), date(y, 12, 31), "year")
    if words[0] == "earlier":
        if unit == "year":
            return DateRange(date(p.year, 1, 1), p, "year")
        if unit == "month":
            return DateRange(p.replace(day=1), p, "month")
        if unit == "week":
            return DateRange(_week(p)[0], p, "week")
    if words[0] == "later":
        if unit == "year":
            return DateRange(p, date(p.year, 12, 31), "year")
        if unit == "month":
            return DateRange(p, _month_range(p.year, p.month)[1], "month")
        if unit == "week":
            return DateRange(p, _week(p)[1], "week")
    if words[-1] in ("years", "months", "weeks", "days") and any(w in words for w in ("coming", "next", "following")):
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


def resolve_date(expr: str, published: date | None = None, *, past: bool | None = None) -> DateRange | None:
    """Resolve one date expression; ``None`` when it cannot be resolved honestly.

    ``past`` is an optional tense hint for month/day expressions without a year (see module doc).
    """
    if not expr or not expr.strip():
        return None
    ym = _BARE_YM_RE.match(expr)
    if ym:
        s, e = _month_range(int(ym.group("y")), int(ym.group("m")))
        return DateRange(s, e, "month")
    m = _DATE_RE.search(expr)
    if m is None:
        bm = _BARE_MONTH_RE.match(expr)
        if bm:
            if not published:
                return None
            mo = _month_num(bm.group("m"))
            s, e = _month_range(_year_for_month(mo, published, past), mo)
            return DateRange(s, e, "month")
        by = _BARE_YEAR_RE.match(expr)
        if by:
            y = int(by.group("y"))
            return DateRange(date(y, 1, 1), date(y, 12, 31), "year")
        return None
    return _resolve_match(m, published, past)


_PREFIX_WORDS = {
    "on", "from", "since", "until", "till", "by", "of", "in", "during", "the", "end", "early", "mid", "late",
    "beginning", "start", "before", "after", "through", "throughout", "at", "last", "this", "next", "past",
    "previous", "coming", "over", "recent", "few", "several", "following", "earlier", "later", "for", "year",
    "quarter", "first", "second", "third", "fourth", "final", "st", "nd", "rd", "th",
}


_TRIGGER_TOKENS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow "
    "week weeks month months year years days earlier recently previously time q1 q2 q3 q4".split())


# Trigger words that no pattern starts with: they anchor a match only after a prefix word
# ("last year", "in the coming weeks"), so without one there is nothing to try.
_CANNOT_BEGIN = frozenset("week weeks month months year years days time".split())
_DAY_TOKEN_RE = re.compile(r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_DAY_FOLLOW_RE = re.compile(rf"\s+(?:(?i:of)\s+)?{_M}")


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
            elif not (_DAY_TOKEN_RE.fullmatch(t) and _DAY_FOLLOW_RE.match(text, te)):
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
            deadline = kind in ("dly", "dlthis", "dlm") or low.startswith(("by ", "until ", "before "))
            vague = kind == "rel" and (" ".join(low.split()) in _VAGUE or "recent" in low or "past" in low)
            out.append((DateMention(s, e, tx, deadline, vague), m))
            last_end = e
            break
    return out


def resolve_mention(m: re.Match, published: date | None, past: bool | None = None) -> DateRange | None:
    return _resolve_match(m, published, past)
