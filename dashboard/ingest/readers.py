"""Readers per format. Each turns one file into raw records; none of them touches the store.

A reader yields ``(line, record)`` pairs, where ``record`` is a dict with ``type`` "article",
"event" or "deletion" (a dataset withdrew an event) and ``line`` is the 1-based line (or item number for feeds) the record came from. A
record that cannot be read is yielded as a :class:`RecordError` in place of the dict.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.ingest.clean import decode_bytes
from dashboard.ingest.problems import RecordError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
#: Event datasets, told apart by their content: ACLED CSV (its header), GDELT (tab-separated field count, or zipped)
DATASET_SUFFIXES = {".csv", ".tsv", ".zip"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSON_SUFFIXES | DATASET_SUFFIXES


@dataclass(frozen=True)
class ReadOptions:
    """Choices for worldwide datasets: GDELT rows kept by ``region`` ("covered": the countries the
    dashboard covers; "all") and by their number of sources (``min_sources``)."""

    region: str = "covered"
    min_sources: int | None = None
    #: Records claiming ``"verification": "analyst"`` (``ingest/claims.py``): ``hold_claims`` stores
    #: them as imports with the claim kept, unless ``vouched_by`` names the analyst account importing.
    hold_claims: bool = False
    vouched_by: str | None = None

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_KEYS = {"title", "url", "outlet", "published", "language"}

Record = dict
Item = tuple[int | None, "Record | RecordError"]


def read_path(path: Path, data: bytes | None = None, options: ReadOptions | None = None) -> Iterator[Item]:
    """Read one file by its suffix (datasets by their content); ``data`` may carry the bytes of an upload."""
    data = path.read_bytes() if data is None else data
    suffix = path.suffix.lower()
    if suffix in DATASET_SUFFIXES:
        yield from read_dataset(data, path.name, options or ReadOptions())
    elif suffix in JSON_SUFFIXES:
        yield from read_json(data, jsonl=suffix != ".json")
    elif suffix in HTML_SUFFIXES:
        yield from read_html(data)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(data)
    else:
        yield from read_text(data)


def read_dataset(data: bytes, name: str, options: ReadOptions) -> Iterator[Item]:
    """An ACLED export, ACLED's deleted-events list or a GDELT events file (zipped or not), by its content."""
    from dashboard.ingest import acled, gdelt

    head = data[:65536]
    if gdelt.sniff(head):
        yield from gdelt.read_gdelt(data, name, region=options.region, min_sources=options.min_sources)
    elif acled.sniff_deletions(head):
        for line, item in acled.read_acled_deletions(data, name):
            yield line, item if isinstance(item, RecordError) else {"type": "deletion", **item}
    elif acled.sniff(head):
        yield from acled.read_acled(data, name)
    else:
        known = [*acled.KNOWN_LAYOUTS, "ACLED's deleted-events list (event_id_cnty, deleted_timestamp)",
                 *(f"{gdelt.LAYOUT_NAMES[w]} ({w} tab-separated fields, no header, or its .zip)" for w in gdelt.LAYOUTS)]
        yield None, RecordError("the file's layout is not one we know; known layouts: " + "; ".join(known))


def read_text(data: bytes) -> Iterator[Item]:
    """Plain text or Markdown with optional front matter (title, url, outlet, published, language)."""
    try:
        text, _enc = decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    meta: dict = {}
    body_line = 1
    match = _FRONT.match(text)
    if match:
        for n, raw in enumerate(match.group(1).split("\n"), start=2):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            key, sep, value = raw.partition(":")
            key = key.strip().lower()
            if not sep:
                yield n, RecordError(f"front matter line '{raw.strip()}' is not 'key: value'")
                return
            if key in _FRONT_KEYS:
                meta[key] = value.strip().strip("\"'") or None
        body_line = match.group(0).count("\n") + 1
        text = text[match.end() :]
    if not meta.get("title"):
        lines = text.lstrip("\n").split("\n", 1)
        first = lines[0].strip().lstrip("#").strip()
        if first and len(first) <= 200:
            meta["title"] = first
            text = lines[1] if len(lines) > 1 else ""
    yield body_line, {"type": "article", **meta, "body": text}


def read_html(data: bytes) -> Iterator[Item]:
    """A saved HTML page; navigation, comments and footers are removed by trafilatura."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    try:
        html, _enc = decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    if "<" not in html:
        yield None, RecordError("the file has no HTML markup")
        return
    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        yield None, RecordError("no article text could be extracted from the HTML")
        return
    yield 1, {
        "type": "article",
        "title": getattr(doc, "title", None),
        "url": getattr(doc, "url", None),
        "outlet": getattr(doc, "sitename", None),
        "published": getattr(doc, "date", None),
        "language": getattr(doc, "language", None),
        "body": body,
    }


def read_feed(data: bytes) -> Iterator[Item]:
    """An RSS or Atom feed file: one article per entry (the entry's content or summary as body)."""
    import feedparser

    try:
        decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield None, RecordError(f"the feed is malformed ({feed.bozo_exception})")
        return
    outlet = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, start=1):
        content = entry.get("content")
        body = content[0].get("value") if content else entry.get("summary", "")
        body = _strip_tags(body or "")
        published = None
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:
            published = f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
        yield n, {
            "type": "article",
            "title": entry.get("title"),
            "url": entry.get("link"),
            "outlet": outlet,
            "published": published,
            "body": body,
        }


_TAG = re.compile(r"<[^>]+>")


def _strip_tags(html: str) -> str:
    import html as htmlmod

    text = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?>", "\n", html)
    return htmlmod.unescape(_TAG.sub("", text))


def _json_error(exc: json.JSONDecodeError, text: str, with_line: bool = False) -> str:
    """One readable sentence for a JSON syntax error, saying when the text looks cut off."""
    where = f"line {exc.lineno}, column {exc.colno}" if with_line else f"column {exc.colno}"
    message = f"not valid JSON: {exc.msg.removesuffix(' at')} at {where}"
    if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated"):
        message += " (the text ends early: is the file truncated?)"
    return message


def read_json(data: bytes, *, jsonl: bool) -> Iterator[Item]:
    """JSON (an object or a list of objects) or JSON Lines; see docs/import-formats.md."""
    try:
        text, _enc = decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    if jsonl:
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, RecordError(_json_error(exc, line))
                continue
            yield n, obj if isinstance(obj, dict) else RecordError("a line must hold one JSON object")
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield None, RecordError(_json_error(exc, text, with_line=True))
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items, start=1):
        # For a JSON array the "line" is the item number; the problem text says so.
        yield n, item if isinstance(item, dict) else RecordError("each item must be a JSON object")
