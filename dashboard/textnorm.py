"""Text normalisation shared by search and tagging: one form for Cyrillic, Latin and diacritics.

``normalise_for_search("Приштина") == normalise_for_search("Priština") == "pristina"``.
"""

from __future__ import annotations

import re
import unicodedata

# Serbian / Macedonian / Russian / Bulgarian / Ukrainian Cyrillic to Latin, lowercase only
# (input is lowercased first). Serbian-style digraphs keep "dj", "dz", "lj", "nj".
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "c", "џ": "dz", "ш": "s", "ѓ": "gj", "ѕ": "dz", "ќ": "kj", "й": "j", "ё": "e", "ы": "y",
    "э": "e", "ю": "ju", "я": "ja", "щ": "sc", "ъ": "", "ь": "", "є": "je", "і": "i", "ї": "ji",
    "ґ": "g",
}
_TABLE = str.maketrans(_CYR)
# Letters that NFKD does not decompose into base + accent.
_EXTRA = str.maketrans({"đ": "dj", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_SPACE = re.compile(r"\s+")


def fold_char_text(text: str) -> str:
    """Lowercase, transliterate Cyrillic and strip diacritics, keeping one output run per input char.

    The result is not length-preserving for digraphs; use it for matching, not for offsets.
    """
    lowered = text.lower().translate(_TABLE).translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_for_search(text: str) -> str:
    """Fold ``text`` to lowercase ASCII-like Latin for matching across scripts and diacritics."""
    return _SPACE.sub(" ", fold_char_text(text)).strip()


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(user_text: str) -> list[str]:
    """The normalised words of a query, for matching and highlighting."""
    return _WORD.findall(normalise_for_search(user_text))
