"""The stability indicator: from a unit's monthly counts to a score, an arrow and the sentence why.

Pure functions (no database, no Streamlit); the counts come from ``dashboard.store.stability``.
Every component, weight and threshold is here and in ``docs/indicator.md``; the Overview page and
``python -m dashboard stability`` show them.

A unit is a country or a sub-national unit (Republika Srpska, the Federation, Brčko District,
North Kosovo, Transnistria, Serbia's districts). For each unit and month:

    score = 3 · security incidents        (developments in the categories security, military)
          + 2 · political-crisis items    (politics, elections, separatism, ethnic-relations)
          + 1 · protests                  (protest)
          + 2 · log2(1 + fatalities)      (reported by the data, ACLED)
          + 2 · events targeting civilians (ACLED's civilian_targeting)
          + 1 · expected items that fell overdue that month
          + 0.5 · (distinct places − 1)   (spread)
          + 0.5 · (distinct actors in security incidents − 1)   (fragmentation)

The media signal from GDELT (volume, share of conflict events, mean Goldstein score, mean tone)
is kept beside the score, labelled machine-coded, and never enters it: GDELT rows count in none of
the components above.

Month on month: with ``change = score − previous score`` and ``margin = max(2, 25 % of the
previous score)``, the arrow is *deteriorated* when ``change ≥ margin``, *improved* when
``change ≤ −margin``, else *unchanged*; *too little data* when the two months together hold fewer
than ``MIN_DEVELOPMENTS`` developments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WEIGHTS: dict[str, float] = {
    "security": 3.0, "political": 2.0, "protest": 1.0, "fatalities": 2.0, "civilians": 2.0, "overdue": 1.0,
    "spread": 0.5, "actors": 0.5,
}
CATEGORY_GROUPS: dict[str, tuple[str, ...]] = {
    "security": ("security", "military"),
    "political": ("politics", "elections", "separatism", "ethnic-relations"),
    "protest": ("protest",),
}
MARGIN_MIN = 2.0
MARGIN_SHARE = 0.25
MIN_DEVELOPMENTS = 3
ARROWS = ("deteriorated", "improved", "unchanged", "too little data")
COMPONENT_WORDS = {
    "security": ("security incident", "security incidents"),
    "political": ("political-crisis item", "political-crisis items"),
    "protest": ("protest", "protests"),
    "fatalities": ("fatality", "fatalities"),
    "civilians": ("event targeting civilians", "events targeting civilians"),
    "overdue": ("expected item fell overdue", "expected items fell overdue"),
    "spread": ("place", "places"),
    "actors": ("armed or political actor", "armed or political actors"),
}


@dataclass
class Month:
    """What the data say of one unit in one month (the components), and what the rules make of it."""

    unit: str
    month: str  # YYYY-MM
    developments: int = 0
    security: int = 0
    political: int = 0
    protest: int = 0
    other: int = 0
    fatalities: int = 0
    civilians: int = 0
    overdue: int = 0
    places: int = 0
    actors: int = 0
    overdue_titles: list[str] = field(default_factory=list)
    media: dict = field(default_factory=dict)  # GDELT: volume, conflict_share, goldstein, tone (machine-coded)

    def contributions(self) -> dict[str, float]:
        """Each component's share of the score (the formula in the module docstring)."""
        return {
            "security": WEIGHTS["security"] * self.security,
            "political": WEIGHTS["political"] * self.political,
            "protest": WEIGHTS["protest"] * self.protest,
            "fatalities": WEIGHTS["fatalities"] * math.log2(1 + self.fatalities),
            "civilians": WEIGHTS["civilians"] * self.civilians,
            "overdue": WEIGHTS["overdue"] * self.overdue,
            "spread": WEIGHTS["spread"] * max(0, self.places - 1),
            "actors": WEIGHTS["actors"] * max(0, self.actors - 1),
        }

    @property
    def score(self) -> float:
        return round(sum(self.contributions().values()), 2)

    def count_of(self, component: str) -> int:
        return self.places if component == "spread" else getattr(self, component)


@dataclass(frozen=True)
class Verdict:
    """The arrow for a unit's month, the rule that decided it, and the sentence that says why."""

    unit: str
    month: str
    score: float
    previous: float | None
    arrow: str
    rule: str
    sentence: str


def month_name(month: str) -> str:
    import calendar

    year, m = month.split("-")
    return f"{calendar.month_name[int(m)]} {year}"


def _count(n: int, component: str) -> str:
    one, many = COMPONENT_WORDS[component]
    return f"{n} {one if n == 1 else many}"


def judge(current: Month, previous: Month | None) -> Verdict:
    """The arrow of ``current`` against ``previous`` (the month before; ``None`` when there is none)."""
    before = previous.score if previous else 0.0
    total = current.developments + (previous.developments if previous else 0)
    change = current.score - before
    margin = max(MARGIN_MIN, MARGIN_SHARE * before)
    if total < MIN_DEVELOPMENTS:
        arrow = "too little data"
        rule = f"{total} development(s) in the two months, fewer than {MIN_DEVELOPMENTS}: no trend is stated"
    elif change >= margin:
        arrow = "deteriorated"
        rule = f"score {current.score:g} against {before:g}: up {change:g}, at least the margin {margin:g}"
    elif change <= -margin:
        arrow = "improved"
        rule = f"score {current.score:g} against {before:g}: down {-change:g}, at least the margin {margin:g}"
    else:
        arrow = "unchanged"
        rule = f"score {current.score:g} against {before:g}: a change of {change:+g}, within the margin {margin:g}"
    return Verdict(current.unit, current.month, current.score, previous.score if previous else None, arrow, rule,
                   _sentence(arrow, current, previous))


def _sentence(arrow: str, current: Month, previous: Month | None) -> str:
    """One sentence a stakeholder understands: the arrow and the components that moved most."""
    if arrow == "too little data":
        return (f"Too little data: {current.developments} development(s) recorded in "
                f"{month_name(current.month)}, too few for a trend.")
    mine = current.contributions()
    theirs = previous.contributions() if previous else dict.fromkeys(mine, 0.0)
    moved = sorted(mine, key=lambda k: (mine[k] - theirs[k]) * (1 if arrow != "improved" else -1), reverse=True)
    prev_name = month_name(previous.month) if previous else "the month before"
    parts = []
    for component in moved[:3]:
        now, then = current.count_of(component), previous.count_of(component) if previous else 0
        if now == then or (arrow == "deteriorated" and now < then) or (arrow == "improved" and now > then):
            continue
        if component == "overdue" and current.overdue_titles:
            parts.append(f"{'; '.join(current.overdue_titles[:2])} fell overdue")
        elif component in ("fatalities", "overdue"):
            parts.append(_count(now, component))
        else:
            parts.append(f"{_count(now, component)} against {then} in {prev_name}")
    label = arrow.capitalize()
    if not parts:
        return f"{label}: {current.developments} development(s) in {month_name(current.month)}, " \
               f"about as many and as grave as in {prev_name}."
    return f"{label}: " + ", ".join(parts) + "."


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, both included."""
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def series(counts: dict[tuple[str, str], Month], first: str, last: str,
           units: list[str] | None = None) -> list[tuple[Month, Verdict]]:
    """Each unit's months from ``first`` to ``last`` (a month with nothing recorded counts as zero),
    each judged against the month before."""
    wanted = sorted(units or {unit for unit, _m in counts})
    out = []
    for unit in wanted:
        months = months_between(first, last)
        before = months_between(*(2 * [_previous(first)]))[0]
        previous = counts.get((unit, before), Month(unit=unit, month=before))
        for m in months:
            current = counts.get((unit, m), Month(unit=unit, month=m))
            out.append((current, judge(current, previous)))
            previous = current
    return out


#: The sub-national units judged under each country (the Overview's indented rows, the briefing's summary).
UNITS_UNDER: dict[str, tuple[str, ...]] = {"BA": ("BA-SRP", "BA-BIH", "BA-BRC"), "XK": ("XK-NORTH",), "MD": ("MD-SN",)}


def judged_units(by_country: dict[tuple[str, str], Month], by_place: dict[tuple[str, str], Month], first: str,
                 last: str, countries: list[str] | tuple[str, ...]) -> list[tuple[str, list[tuple[Month, Verdict]]]]:
    """Each country, then the units under it, with its months ``first``..``last`` judged:
    ``[(code, [(month, verdict), ...]), ...]`` in that order (the last pair is ``last``'s)."""
    out = []
    for country in countries:
        out.append((country, series(by_country, first, last, [country])))
        for place in UNITS_UNDER.get(country, ()):
            out.append((place, series(by_place, first, last, [place])))
    return out


def latest_judged_month(counts: dict[tuple[str, str], Month], units: list[str] | tuple[str, ...],
                        last: str) -> str | None:
    """The latest month up to ``last`` in which at least one of ``units`` has enough developments for
    an arrow (see ``MIN_DEVELOPMENTS``), or ``None``."""
    months = sorted({m for _u, m in counts if m <= last}, reverse=True)
    for m in months:
        for unit in units:
            previous = counts.get((unit, _previous(m)))
            if judge(counts.get((unit, m), Month(unit=unit, month=m)), previous).arrow != "too little data":
                return m
    return None


def _previous(month: str) -> str:
    year, m = map(int, month.split("-"))
    return f"{year - 1:04d}-12" if m == 1 else f"{year:04d}-{m - 1:02d}"


def media_line(media: dict) -> str:
    """GDELT's media signal of a month in words ("" when there is none)."""
    if not media.get("volume"):
        return ""
    parts = [f"{media['volume']:,} row{'s' if media['volume'] != 1 else ''}"]
    if media.get("conflict_share") is not None:
        parts.append(f"{media['conflict_share']:.0%} conflict")
    if media.get("goldstein") is not None:
        parts.append(f"Goldstein {media['goldstein']:+.1f}")
    if media.get("tone") is not None:
        parts.append(f"tone {media['tone']:+.1f}")
    return " · ".join(parts)


def row(month: Month, verdict: Verdict, judgement: dict | None = None) -> dict:
    """Everything about one unit-month, for the CLI and the exports: components, score, arrow, why,
    and an analyst's judgement of the month when there is one (shown beside the computed arrow)."""
    judgement = judgement or {}
    return {
        "unit": month.unit, "month": month.month, "developments": month.developments,
        "security": month.security, "political": month.political, "protest": month.protest,
        "other": month.other, "fatalities": month.fatalities, "civilians": month.civilians,
        "overdue": month.overdue, "places": month.places, "actors": month.actors,
        "score": verdict.score, "previous_score": verdict.previous, "arrow": verdict.arrow,
        "rule": verdict.rule, "sentence": verdict.sentence,
        "analyst_arrow": judgement.get("arrow"), "analyst_reason": judgement.get("reason"),
        "analyst": judgement.get("editor"),
        # GDELT's media signal: machine-coded, beside the score and never in it
        "media_volume_gdelt": month.media.get("volume"), "media_conflict_share_gdelt": month.media.get("conflict_share"),
        "media_goldstein_gdelt": month.media.get("goldstein"), "media_tone_gdelt": month.media.get("tone"),
    }
