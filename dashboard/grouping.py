"""When two events report the same development: the rules, as pure functions (no database).

Reports of one development arrive from several articles, from an article and a curated event,
from ACLED and GDELT rows of the same day and place. Two events are the same development when
all of these hold:

1. both are dated (an undated event is its own development: nothing to align it with), and they
   are not two rows of one dataset that codes each event once (``CODED_ONCE``: ACLED's rows are
   distinct events by its own coding, so two of them never merge);
2. both announce something expected, or neither does (an announcement and its outcome are two
   developments, linked by the tracker, never merged);
3. their dates agree: at day precision on both sides the very same day (never across different
   dates); otherwise their periods overlap;
4. they share a country;
5. when both are placed at a town, the towns are within ``SAME_PLACE_KM`` (never across places);
6. and the evidence is strong enough: the same day and the same town in the same category (ACLED
   and GDELT rows of one protest), or their words overlap by ``SAME_WORDS`` (Jaccard of the title
   and summary words), or by ``RELATED_WORDS`` with the same category or a shared actor.

The thresholds were set on the bundled sample (79 curated events): the seed's gas agreement joins
the curated item about the same expected agreement (words 0.34, same category), while the
Višković–Novak talks of 12 October 2023 (occurred, a day) stay apart from it, and no two other
curated events join.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dashboard.textnorm import normalise_for_search

SAME_PLACE_KM = 15.0
CODED_ONCE = frozenset({"acled"})  # datasets whose rows are already one event each
SAME_WORDS = 0.5
RELATED_WORDS = 0.3
_TOWN = {"point", "town"}
_WORD = re.compile(r"[a-z0-9]+")
# words that say nothing about which development it is
_STOP = frozenset("""
a an the of in on at to for from by with and or but as is are was were be been being it its this that these
those has have had will would could should may might can said says say after before over under into about
than then there their they them he she his her we our you your not no new also more most one two three
first last year month week day today yesterday end
""".split())


@dataclass(frozen=True)
class Reading:
    """What the grouping rules read of one event."""

    id: str
    title: str
    summary: str | None
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    status: str
    category: str | None
    countries: frozenset[str]
    actors: frozenset[str] = frozenset()
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    dataset: str | None = None
    #: the words of title and summary when already known (``reading_words`` computes them otherwise)
    word_set: frozenset[str] | None = field(default=None, compare=False, repr=False)


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The telling words of a text: folded (Cyrillic, diacritics), stop words out, cut to 6 letters
    so that "agreement"/"agreed" or "Russia"/"Russian" meet."""
    return frozenset(w[:6] for w in _WORD.findall(normalise_for_search(text)) if w not in _STOP and len(w) > 1)


def reading_words(r: Reading) -> frozenset[str]:
    """The words of an event that the word rules compare: its title's and summary's."""
    return r.word_set if r.word_set is not None else words(f"{r.title} {r.summary or ''}")


def word_overlap(a: Reading, b: Reading) -> float:
    """Jaccard overlap of the title and summary words of two events (0..1)."""
    wa, wb = reading_words(a), reading_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _at_town(r: Reading) -> bool:
    return r.geo_precision in _TOWN and r.lat is not None and r.lon is not None


def same_development(a: Reading, b: Reading) -> tuple[bool, float, str]:
    """Whether ``a`` and ``b`` report one development: ``(decision, strength 0..1, the reason)``."""
    if a.date_start is None or b.date_start is None:
        return False, 0.0, "undated"
    if a.dataset == b.dataset and a.dataset in CODED_ONCE:
        return False, 0.0, "two rows of a dataset that codes each event once"
    if (a.status == "expected") != (b.status == "expected"):
        return False, 0.0, "an announcement and an outcome are two developments"
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    same_day = a.date_precision == "day" and b.date_precision == "day"
    if same_day and a.date_start != b.date_start:  # also when a day-precision event gives an end
        return False, 0.0, "different days"
    if a.date_start > b_end or b.date_start > a_end:
        return False, 0.0, "periods do not overlap"
    if not a.countries & b.countries:
        return False, 0.0, "no country in common"
    both_towns = _at_town(a) and _at_town(b)
    if both_towns and distance_km(a.lat, a.lon, b.lat, b.lon) > SAME_PLACE_KM:
        return False, 0.0, "different places"
    same_category = bool(a.category) and a.category == b.category
    overlap = word_overlap(a, b)
    if same_day and both_towns and same_category:
        return True, max(overlap, 0.5), "same day, same place, same category"
    if overlap >= SAME_WORDS:
        return True, overlap, f"same words ({overlap:.2f})"
    if overlap >= RELATED_WORDS and (same_category or a.actors & b.actors):
        why = "same category" if same_category else "a shared actor"
        return True, overlap, f"related words ({overlap:.2f}) and {why}"
    return False, overlap, f"words too different ({overlap:.2f})"


# --- finding candidates without comparing every pair ----------------------------------------------
#
# Two events can be one development only on the same day at the same town (rule 6, first part) or
# when their words overlap by at least ``RELATED_WORDS``. For the second, *prefix filtering* finds
# every such pair among many without comparing all of them: if the Jaccard overlap of word sets A
# and B is at least t, they share at least ceil(t * |B|) words, so ANY ``prefix_length(|B|)`` words
# of B (|B| - ceil(t * |B|) + 1 of them) include one of A's. An index of each event's prefix words
# (the rarest ones, for short lists) is therefore complete: an event is looked up by all its words
# (or by its own prefix, when both sides take their prefixes in the same order).


def prefix_length(n: int, threshold: float = RELATED_WORDS) -> int:
    """How many of a set's ``n`` words an index must hold so that no pair overlapping by at least
    ``threshold`` is missed (0 for an empty set)."""
    if n <= 0:
        return 0
    return min(n, n - math.ceil(threshold * n - 1e-9) + 1)


def prefix(ws: Iterable[str], rank: Callable[[str], object]) -> list[str]:
    """The ``prefix_length`` words of ``ws`` that come first in ``rank`` (rarest first, for short lists)."""
    ordered = sorted(ws, key=rank)
    return ordered[:prefix_length(len(ordered))]


@lru_cache(maxsize=1 << 17)  # a vocabulary's worth: the same words come back in every report
def word_key(word: str, expected: bool) -> int:
    """A word of an expected or of an other event as a stable 32-bit integer (the same in every
    process; a clash only adds a candidate): the two kinds never join (rule 2), so never meet."""
    return zlib.crc32(f"{word}|{'e' if expected else 'o'}".encode()) - 2**31


def period_years(r: Reading) -> range:
    """The calendar years a dated event's period touches."""
    return range(r.date_start.year, (r.date_end or r.date_start).year + 1)


def period_months(r: Reading) -> list[int]:
    """The calendar months a dated event's period touches, as year * 12 + month - 1."""
    first = r.date_start.year * 12 + r.date_start.month - 1
    end = r.date_end or r.date_start
    return list(range(first, max(first, end.year * 12 + end.month - 1) + 1))
