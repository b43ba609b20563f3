"""Cleaning raw text: decoding, Unicode normalisation and removal of site boilerplate."""

from __future__ import annotations

import re
import unicodedata

from dashboard.ingest.problems import RecordError

# Lines that start the trailing furniture of a news page (teasers, comment boxes, share bars).
_TRAILER_MARKERS = re.compile(
    r"^\s*(previous article|next article|previous post|next post|write a comment|leave a comment|"
    r"leave a reply|post a comment|related articles?|related posts?|read more|read next|you may also like|"
    r"more from this author|recommended for you|share this( article)?:?|comments?\s*\(\d+\)|"
    r"most popular|tags?:)\s*$",
    re.IGNORECASE,
)
# Single share / social lines that can appear anywhere.
_SHARE_LINE = re.compile(
    r"^\s*((share|tweet|pin|email|print)( (on|this|via) \w+)?|share on (facebook|twitter|x|linkedin|whatsapp)"
    r"|follow us on \w+|click to share.*|subscribe to our newsletter\.?)\s*$",
    re.IGNORECASE,
)
_BLANK_RUNS = re.compile(r"\n{3,}")


#: The code pages of the region, tried when a file is not UTF-8 (charset-normalizer measures each one's mess).
CODE_PAGES = ("cp1250", "cp1251", "cp1252", "iso8859_2", "latin_1")
_MAX_MESS = 0.2  # charset-normalizer's own threshold: a decoding messier than this is not text
# Letters the languages of the region (and the Latin-1 languages of its press: German, French) write.
_REGIONAL = set("čćžšđČĆŽŠĐëçËÇäöüßÄÖÜéèàâêîôûùïœÉÈÀÂÊÎÔÛÙÏŒ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LATIN_IN_CYRILLIC = re.compile(r"[a-zA-Z][\u0400-\u04ff]|[\u0400-\u04ff][a-zA-Z]")


def _plausibility(text: str) -> int:
    """How much ``text`` looks like the region's writing: letters of its alphabets count for,
    other non-ASCII letters (``ŕ``, ``æ``: a byte read in the wrong code page) and Latin letters
    glued to Cyrillic ones inside a word count against."""
    score = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        if ch in _REGIONAL or "\u0400" <= ch <= "\u04ff":
            score += 1
        elif ch.isalpha():
            score -= 3
    return score - 5 * len(_LATIN_IN_CYRILLIC.findall(text))


def _control_problem(text: str) -> RecordError | None:
    found = _CONTROL.search(text)
    if found is None:
        return None
    return RecordError(f"the file is binary or garbled, not text (it holds the control character "
                       f"U+{ord(found.group()):04X} at character {found.start() + 1})")


def decode_bytes(data: bytes, *, hint: str | None = None) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with its BOM, or one of the region's code pages
    (Windows-1250/1251/1252, ISO-8859-2, Latin-1); return ``(text, encoding)``.

    A file that is not UTF-8 goes to charset-normalizer, limited to :data:`CODE_PAGES`; of the
    decodings it finds clean, the one whose letters are the region's wins; between equals, ``hint``
    (an encoding found for the rest of the file), then the order of :data:`CODE_PAGES`. What cannot
    be told with confidence (no clean decoding, or none that reads as the region's writing) raises
    :class:`RecordError`, as do empty, binary and garbled input: a text is never stored garbled.
    """
    if not data.strip():
        raise RecordError("the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RecordError("the file says it is UTF-16 but is not valid UTF-16 (truncated?)") from None
        problem = _control_problem(text)
        if problem:
            raise problem
        return text, "utf-16"
    if b"\x00" in data[:4096]:
        raise RecordError("the file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        problem = _control_problem(text)
        if problem:
            raise problem
        return text, "utf-8"
    import charset_normalizer  # imported here: most files are UTF-8

    found = charset_normalizer.from_bytes(data, cp_isolation=list(CODE_PAGES), threshold=_MAX_MESS)
    decodings: dict[str, str] = {}
    for match in found:
        if match.chaos <= _MAX_MESS and match.encoding in CODE_PAGES:
            text = data.decode(match.encoding)
            if _CONTROL.search(text) is None:
                decodings[match.encoding] = text
    if hint and hint not in decodings and hint in CODE_PAGES:
        try:
            text = data.decode(hint)
        except UnicodeDecodeError:
            pass
        else:
            if _CONTROL.search(text) is None:
                decodings[hint] = text
    if not decodings:
        raise RecordError("the file is not UTF-8 and reads as no known code page (Windows-1250/1251/1252, "
                          "ISO-8859-2, Latin-1): it is binary or garbled, not text")
    ranked = sorted(((_plausibility(text), enc == hint, -CODE_PAGES.index(enc), enc, text)
                     for enc, text in decodings.items()), reverse=True)
    score, _h, _p, enc, text = ranked[0]
    if score < 0:  # even the best reading holds more foreign letters than the region's: garbled
        names = ", ".join(r[3] for r in ranked[:3])
        raise RecordError(f"the file is not UTF-8 and its encoding cannot be told with confidence (it reads "
                          f"as {names}, none of them as the region's writing); save it as UTF-8")
    return text, enc


def normalise_text(text: str) -> str:
    """NFC-normalise, unify line endings and quotes' odd spaces, trim trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def strip_boilerplate(text: str) -> str:
    """Remove trailing page furniture (prev/next teasers, comment boxes) and share lines.

    A trailer marker only cuts the text when it sits in the last half of the article, so a
    story that genuinely discusses "related articles" early on is not truncated.
    """
    lines = text.split("\n")
    cut = len(lines)
    half = len(text) // 2
    offset = 0
    for i, line in enumerate(lines):
        if offset >= half and _TRAILER_MARKERS.match(line):
            cut = i
            break
        offset += len(line) + 1
    kept = [line for line in lines[:cut] if not _SHARE_LINE.match(line)]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def clean_body(text: str) -> str:
    """Normalise and strip boilerplate: the body that is stored and tagged."""
    return strip_boilerplate(normalise_text(text))
