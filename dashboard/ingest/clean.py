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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), Windows-1250 or Windows-1251; return ``(text, encoding)``.

    Raises :class:`RecordError` for empty or binary input.
    """
    if not data.strip():
        raise RecordError("the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise RecordError("the file says it is UTF-16 but is not valid UTF-16 (truncated?)") from None
    if b"\x00" in data[:4096]:
        raise RecordError("the file is binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("cp1251", "cp1250"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c.isalpha()]
        cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
        share = cyr / len(letters) if letters else 0.0
        candidates.append((enc, text, share))
    if not candidates:
        raise RecordError("the file is neither UTF-8 nor Windows-1250/1251 text")
    # Windows-1251 text is mostly Cyrillic letters; Latin text read as 1251 gives few or scattered ones.
    for enc, text, share in candidates:
        if enc == "cp1251" and share > 0.5:
            return text, enc
    enc, text, _ = next((c for c in candidates if c[0] == "cp1250"), candidates[0])
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
