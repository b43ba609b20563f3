"""Text normalisation shared by the gazetteer builder, the tagger and search.

``normalise_for_search(text)`` lower-cases, transliterates Cyrillic (Serbian,
Macedonian, Russian, Bulgarian, Ukrainian letters) to Latin and strips
diacritics, so that "Приштина", "Priština" and "Pristina" all become
"pristina" ("Prishtinë" -> "prishtine").

Transliteration follows Serbian Latin and then drops the diacritics
(ш -> š -> s, ж -> ž -> z, ч/ћ -> c, ђ/đ -> dj, љ -> lj, њ -> nj, џ -> dz),
with Russian/Bulgarian/Ukrainian extras (щ -> sht, я -> ya, ю -> yu,
й -> y, ъ -> a, ь -> "") so that one alias spelling serves every script.

``NormText`` keeps an offset map from the normalised string back to the
original text, so matches found on the normalised text carry spans into the
text the caller passed in.  The common cases (ASCII text, or text whose
characters each map to exactly one character) need no per-character loop.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

__all__ = ["normalise_for_search", "search_terms", "NormText", "TOKEN_RE"]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
    # Macedonian
    "ѓ": "gj", "ѕ": "dz", "ќ": "kj",
    # Russian / Bulgarian / Belarusian / Ukrainian
    "щ": "sht", "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "й": "y",
    "ё": "e", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}

_SPECIAL_LATIN = {
    "đ": "dj", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "ı": "i",
    "þ": "th", "ð": "d", "ŧ": "t", "ħ": "h", "ŀ": "l", "ŋ": "n", "ĸ": "k",
    "ſ": "s", "ə": "e", "ɨ": "i",
}

_PUNCT = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            continue
        if low in _SPECIAL_LATIN:
            table[cp] = _SPECIAL_LATIN[low]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
        if base != ch:
            table[cp] = base
    for cp in range(0x0300, 0x0370):  # combining diacritics (text in NFD)
        table[cp] = ""
    for k, v in _CYRILLIC.items():
        table[ord(k)] = v
        up = k.upper()
        if len(up) == 1:
            table[ord(up)] = v
    for k, v in _PUNCT.items():
        table[ord(k)] = v
    # Latin Extended Additional (Vietnamese etc.) and a few others, via NFKD
    for cp in range(0x1E00, 0x1F00):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c))
        if base and base != ch:
            table[cp] = base
    return table


_TABLE = _build_table()
TOKEN_RE = re.compile(r"[a-z0-9]+")
_SPLIT_RE = re.compile(r"([a-z0-9]+)")


def _char_norm(ch: str) -> str:
    low = ch.lower()
    return "".join(c.translate(_TABLE) for c in low)


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def _translate_runs(low: str) -> str:
    # str.translate is slow per character; mostly-ASCII text only needs its non-ASCII runs translated
    return _NON_ASCII_RE.sub(lambda m: m.group().translate(_TABLE), low)


def normalise_for_search(text: str) -> str:
    """Lower-case, transliterate Cyrillic to Latin and strip diacritics."""
    if not text:
        return ""
    low = text.lower()
    return low if low.isascii() else _translate_runs(low)


class NormText:
    """A normalised view of ``text`` with offsets back into the original.

    ``norm`` is ``normalise_for_search(text)``; ``orig_span(ns, ne)`` maps a
    span of ``norm`` to the span of ``text`` it came from.
    """

    __slots__ = ("text", "norm", "_offs", "_parts")

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        norm = low if low.isascii() else _translate_runs(low)
        if len(low) == len(text) and len(norm) == len(text):
            self.norm = norm
            self._offs = None
            self._parts = None
            return
        offs: list[int] = []
        parts: list[str] = []
        for i, ch in enumerate(text):
            out = _char_norm(ch)
            parts.append(out)
            offs.extend([i] * len(out))
        offs.append(len(text))
        self.norm = "".join(parts)
        self._offs = offs
        self._parts = None

    def orig_span(self, ns: int, ne: int) -> tuple[int, int]:
        if self._offs is None:
            return ns, ne
        offs = self._offs
        start = offs[ns] if ns < len(offs) else len(self.text)
        end = offs[ne - 1] + 1 if ne > 0 else 0
        return start, max(start, end)

    def tokens(self) -> list[tuple[str, int, int]]:
        strs, starts, ends, _gaps = self.token_arrays()
        return list(zip(strs, starts, ends, strict=True))

    def token_arrays(self) -> tuple[list[str], list[int], list[int], list[str]]:
        """(token strings, starts, ends, gaps) with gaps[k] = the text between token k and k+1.

        Built from one C-level ``re.split`` and ``accumulate``: no per-token Python loop.
        """
        if self._parts is None:
            parts = _SPLIT_RE.split(self.norm)  # [gap0, tok0, gap1, tok1, ..., gapN]
            offs = list(accumulate(map(len, parts)))
            strs = parts[1::2]
            starts = offs[0::2][: len(strs)]
            ends = offs[1::2]
            gaps = parts[2::2][: max(0, len(strs) - 1)]
            self._parts = (strs, starts, ends, gaps)
        return self._parts


@lru_cache(maxsize=4096)
def norm_key(alias: str) -> str:
    """The lookup key of an alias: normalised tokens joined by one space."""
    return " ".join(TOKEN_RE.findall(normalise_for_search(alias)))


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(user_text: str) -> list[str]:
    """The normalised words of a query, for full-text matching and highlighting."""
    return _WORD.findall(normalise_for_search(user_text))
