"""Limits on what one input file may ask of us; past one, the file (or line) is refused with a sentence.

Each is far above what a real article, feed or dataset needs, and low enough that one hostile file
cannot exhaust the memory or the time of the machine (the server reads uploads with them too).
"""

from __future__ import annotations

MB = 1024 * 1024
#: Largest file read, by kind. An article body is at most 2,000,000 characters (validate.py).
MAX_FILE_BYTES = {"text": 8 * MB, "html": 5 * MB, "feed": 50 * MB, "json": 512 * MB, "dataset": 2048 * MB}
#: HTML above this many bytes is extracted by trafilatura's fast path only (no fallback extractors);
#: HTML extraction time grows faster than size, so this and the time limit below bound it.
HTML_FAST_BYTES = 256 * 1024
#: Seconds one HTML file may take in trafilatura before it is refused (checked between its steps).
HTML_SECONDS = 20.0
#: Address space the HTML extraction's child process may use (a 5 MB page of tiny elements needs ~1 GB).
HTML_CHILD_BYTES = 3 * 1024 * MB
#: Longest line of JSON Lines (a 2,000,000-character body in Cyrillic, escaped, fits).
MAX_LINE_BYTES = 8 * MB
#: Deepest nesting of objects and lists in one JSON record (ours need 3).
MAX_DEPTH = 32
#: Most records read from one JSON, JSON Lines or feed file; the rest is refused (split the file).
MAX_RECORDS = 1_000_000
#: Longest number written in a JSON record, in digits (a float holds 17 significant ones).
MAX_DIGITS = 40


def size_problem(size: int, kind: str) -> str | None:
    """The sentence for a file of ``size`` bytes too large for its ``kind``, or ``None``."""
    limit = MAX_FILE_BYTES[kind]
    if size <= limit:
        return None
    return f"the file is {size / MB:,.1f} MB, more than the {limit // MB:,} MB a {kind} file may have"
