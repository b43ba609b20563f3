"""Readers per format. Each turns one file into raw records; none of them touches the store.

A reader yields ``(line, record)`` pairs, where ``record`` is a dict with ``type`` "article",
"event" or "deletion" (a dataset withdrew an event) and ``line`` is the 1-based line (or item number for feeds) the record came from. A
record that cannot be read is yielded as a :class:`RecordError` in place of the dict.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.ingest import limits
from dashboard.ingest.children import without_parent_main
from dashboard.ingest.clean import decode_bytes
from dashboard.ingest.problems import RecordError
from dashboard.urls import is_web_url

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


def kind_of(path: Path) -> str | None:
    """"text", "html", "feed", "json" or "dataset" by the file's suffix; ``None`` for one we do not read."""
    suffix = path.suffix.lower()
    for kind, suffixes in (("dataset", DATASET_SUFFIXES), ("json", JSON_SUFFIXES), ("html", HTML_SUFFIXES),
                           ("feed", FEED_SUFFIXES), ("text", TEXT_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return None


def unknown_suffix(path: Path) -> str:
    """The sentence for a file whose suffix we do not read."""
    what = f"'{path.suffix}'" if path.suffix else "no suffix"
    return (f"the file has {what}, not one we read ({', '.join(sorted(SUPPORTED))}); rename it if it is one "
            "of these")


def read_path(path: Path, data: bytes | None = None, options: ReadOptions | None = None) -> Iterator[Item]:
    """Read one file by its suffix (datasets by their content); ``data`` may carry the bytes of an upload.

    A file of a suffix we do not read, or larger than its kind may be (:mod:`limits`), is refused
    before it is read.
    """
    kind = kind_of(path)
    if kind is None:
        yield None, RecordError(unknown_suffix(path))
        return
    too_large = limits.size_problem(path.stat().st_size if data is None else len(data), kind)
    if too_large:
        yield None, RecordError(too_large)
        return
    if data is None and kind == "json" and path.suffix.lower() != ".json":
        yield from read_jsonl_file(path)  # streamed: never held whole
        return
    data = path.read_bytes() if data is None else data
    if kind == "dataset":
        yield from read_dataset(data, path.name, options or ReadOptions())
    elif kind == "json":
        yield from read_json(data, jsonl=path.suffix.lower() != ".json")
    elif kind == "html":
        yield from read_html(data)
    elif kind == "feed":
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line endings
    meta: dict = {}
    body_line = 1
    match = _FRONT.match(text)
    if match is None and re.match(r"---[ \t]*\n", text):
        yield 1, RecordError("the front matter opened by '---' on line 1 is never closed by a '---' line")
        return
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
    """A saved HTML page; navigation, comments and footers are removed by trafilatura.

    Extraction time grows faster than the page's size, so it is bounded: a page over
    ``limits.HTML_FAST_BYTES`` is extracted by trafilatura's fast path in a child process that is
    stopped after ``limits.HTML_SECONDS`` or past ``limits.HTML_CHILD_BYTES`` of memory (the page
    is then refused, never read here instead); larger than
    ``limits.MAX_FILE_BYTES["html"]`` it is refused unread.
    """
    too_large = limits.size_problem(len(data), "html")  # a page fetched for a feed comes here directly
    if too_large:
        yield None, RecordError(too_large)
        return
    try:
        html, _enc = decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    if "<" not in html:
        yield None, RecordError("the file has no HTML markup")
        return
    if len(data) > limits.HTML_FAST_BYTES:
        try:
            doc = _extract_in_child(html, limits.HTML_SECONDS)
        except TimeoutError:
            yield None, RecordError(f"extracting the article took longer than {limits.HTML_SECONDS:g} s, so the "
                                    "page is refused; save the article's text as .txt instead")
            return
        except ChildProcessError:
            yield None, RecordError("extracting the article needed more memory than a page may use, so the page "
                                    "is refused; save the article's text as .txt instead")
            return
    else:
        doc = extract_html(html)
    body = doc.get("text") if doc else None
    if not body or not body.strip():
        yield None, RecordError("no article text could be extracted from the HTML")
        return
    yield 1, {"type": "article", **{k: doc.get(k) for k in ("title", "url", "outlet", "published", "language")},
              "body": body}


def extract_html(html: str, fast: bool = False) -> dict | None:
    """trafilatura's reading of a page as plain values (so it can come back from a child process)."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True, fast=fast)
    if doc is None:
        return None
    return {"text": getattr(doc, "text", None), "title": getattr(doc, "title", None), "url": getattr(doc, "url", None),
            "outlet": getattr(doc, "sitename", None), "published": getattr(doc, "date", None),
            "language": getattr(doc, "language", None)}


_HTML_POOL: list = []  # one child process, started on the first large page and kept for the next


def _limit_memory() -> None:
    """In the extraction's child: at most ``limits.HTML_CHILD_BYTES`` of address space (POSIX)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.HTML_CHILD_BYTES, limits.HTML_CHILD_BYTES))
    except (ImportError, ValueError, OSError):  # not POSIX, or a lower limit already set
        pass


def _extract_in_child(html: str, seconds: float) -> dict | None:
    """:func:`extract_html` (fast path) in a child process; killed and :class:`TimeoutError` past ``seconds``."""
    import concurrent.futures
    import multiprocessing as mp

    if not _HTML_POOL:
        _HTML_POOL.append(concurrent.futures.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"),
                                                                 initializer=_limit_memory))
    pool = _HTML_POOL[0]
    with without_parent_main():  # the child process starts here (on the first submit)
        future = pool.submit(extract_html, html, True)
    try:
        return future.result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        _HTML_POOL.clear()
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise TimeoutError from None
    except concurrent.futures.process.BrokenProcessPool:  # the child died (out of memory, killed)
        _HTML_POOL.clear()
        raise ChildProcessError from None


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
        if n > limits.MAX_RECORDS:
            yield None, RecordError(_too_many())
            return
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
            "url": _entry_url(entry),
            "outlet": outlet,
            "published": published,
            "body": body,
        }


def _entry_url(entry) -> str | None:
    """The entry's web address: its link, else an http(s) alternate link; an Atom id that is a
    ``urn:`` or ``tag:`` (which feedparser may give as the link) is no address."""
    candidates = [entry.get("link")] + [link.get("href") for link in entry.get("links") or []
                                        if link.get("rel", "alternate") == "alternate"]
    return next((c for c in candidates if isinstance(c, str) and is_web_url(c)), None)


def _too_many() -> str:
    return f"the file holds more than {limits.MAX_RECORDS:,} records; the rest is not read (split the file)"


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


class LongNumber(str):
    """A number written with more than ``limits.MAX_DIGITS`` digits: kept as its text, refused by the checks."""


def _parse_int(text: str):
    return LongNumber(text) if len(text) > limits.MAX_DIGITS else int(text)


def _parse_float(text: str):
    if len(text) > limits.MAX_DIGITS + 10:
        return LongNumber(text)
    value = float(text)
    return value if math.isfinite(value) else LongNumber(text)


def _parse_constant(text: str):
    return LongNumber(text)  # NaN, Infinity, -Infinity: not numbers we can store


def _loads(text: str):
    """``json.loads`` with numbers too long to be real kept as :class:`LongNumber` (never a huge int)."""
    return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)


_BAD_CHAR = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_record(obj) -> RecordError | None:
    """A record's nesting and text: no deeper than ``limits.MAX_DEPTH``, no lone surrogate
    (``\\ud800``) and no control character in any string; the problem names the field."""
    stack = [(obj, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if depth > limits.MAX_DEPTH:
            return RecordError(f"is nested more than {limits.MAX_DEPTH} levels deep", field)
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, depth, field or key))
                stack.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, LongNumber):
            return RecordError(f"the number {value[:20]}{'...' if len(value) > 20 else ''} is not one we can store "
                               f"(more than {limits.MAX_DIGITS} digits, or not finite)", field)
        elif isinstance(value, str):
            bad = _BAD_CHAR.search(value)
            if bad:
                ch = bad.group()
                what = "a lone surrogate" if "\ud800" <= ch <= "\udfff" else "the control character"
                return RecordError(f"holds {what} \\u{ord(ch):04x}, which is not text", field)
    return None


def _record(obj, what: str) -> Record | RecordError:
    if not isinstance(obj, dict):
        return RecordError(what)
    return check_record(obj) or obj


def _load_error(exc: Exception, text: str, with_line: bool = False) -> RecordError:
    if isinstance(exc, json.JSONDecodeError):
        return RecordError(_json_error(exc, text, with_line))
    if isinstance(exc, RecursionError):
        return RecordError(f"not valid JSON we can read: it is nested more than {limits.MAX_DEPTH} levels deep")
    return RecordError(f"not valid JSON we can read ({exc})")


def read_json(data: bytes, *, jsonl: bool) -> Iterator[Item]:
    """JSON (an object or a list of objects) or JSON Lines; see docs/import-formats.md.

    JSON Lines is decoded line by line (a file may mix UTF-8 lines and lines of a code page); each
    line is checked on its own, so one bad line costs that line only.
    """
    if jsonl:
        yield from _read_jsonl(data)
        return
    try:
        text, _enc = decode_bytes(data)
    except RecordError as exc:
        yield None, exc
        return
    try:
        obj = _loads(text)
    except (ValueError, RecursionError) as exc:
        yield None, _load_error(exc, text, with_line=True)
        return
    items = obj if isinstance(obj, list) else [obj]
    if len(items) > limits.MAX_RECORDS:
        yield None, RecordError(_too_many())
        return
    for n, item in enumerate(items, start=1):
        # For a JSON array the "line" is the item number; the problem text says so.
        yield n, _record(item, "each item must be a JSON object")


_TOO_LONG = object()  # stands for a line longer than limits.MAX_LINE_BYTES, never read whole


def _read_jsonl(data: bytes) -> Iterator[Item]:
    if not data.strip():
        yield None, RecordError("the file is empty")
        return
    raw_lines: list
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        try:  # UTF-16, or binary: the whole file is decoded (and refused) at once
            text, _enc = decode_bytes(data)
        except RecordError as exc:
            yield None, exc
            return
        raw_lines = text.split("\n")
    else:
        data = data.removeprefix(b"\xef\xbb\xbf")
        try:
            raw_lines = data.decode("utf-8").split("\n")  # the usual case: all of it UTF-8
        except UnicodeDecodeError:
            raw_lines = data.split(b"\n")
    yield from _jsonl_items(raw_lines, _hint(line for line in raw_lines if isinstance(line, bytes)))


def read_jsonl_file(path: Path) -> Iterator[Item]:
    """JSON Lines streamed from disk, a line at a time: the file is never held in memory whole, and a
    line longer than ``limits.MAX_LINE_BYTES`` is skipped unread. Two passes when some lines are not
    UTF-8 (the first one gathers them to tell their code page)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip() or head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        yield from _read_jsonl(path.read_bytes())  # empty, UTF-16 or binary: read (and mostly refused) whole
        return
    yield from _jsonl_items(_file_lines(path), _hint(_file_lines(path)))


def _file_lines(path: Path) -> Iterator:
    with path.open("rb") as fh:
        first = True
        while True:
            raw = fh.readline(limits.MAX_LINE_BYTES + 1)
            if not raw:
                return
            if len(raw) > limits.MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while True:  # the rest of a line too long: skipped a megabyte at a time
                    rest = fh.readline(limits.MB)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield _TOO_LONG
                continue
            if first:
                raw, first = raw.removeprefix(b"\xef\xbb\xbf"), False
            yield raw.removesuffix(b"\n")


def _hint(lines: Iterable) -> str | None:
    """The code page of the lines that are not UTF-8, read together (up to a megabyte of them): they
    tell it better than one line alone."""
    foreign, size = [], 0
    for line in lines:
        if isinstance(line, bytes) and not _is_utf8(line):
            foreign.append(line)
            size += len(line)
            if size > limits.MB:
                break
    if not foreign:
        return None
    try:
        return decode_bytes(b"\n".join(foreign))[1]
    except RecordError:
        return None


def _jsonl_items(raw_lines: Iterable, hint: str | None) -> Iterator[Item]:
    count = 0
    for n, raw in enumerate(raw_lines, start=1):
        if raw is not _TOO_LONG and not raw.strip():
            continue
        count += 1
        if count > limits.MAX_RECORDS:
            yield n, RecordError(_too_many())
            return
        if raw is _TOO_LONG or len(raw) > limits.MAX_LINE_BYTES:
            yield n, RecordError(f"the line is longer than {limits.MAX_LINE_BYTES // limits.MB} MB; it is not read")
            continue
        if isinstance(raw, str):
            line = raw
        elif _is_utf8(raw):
            line = raw.decode("utf-8")
        else:
            try:
                line = decode_bytes(raw, hint=hint)[0]
            except RecordError as exc:
                yield n, RecordError(str(exc).replace("the file", "the line"))
                continue
        try:
            obj = _loads(line)
        except (ValueError, RecursionError) as exc:
            yield n, _load_error(exc, line)
            continue
        yield n, _record(obj, "a line must hold one JSON object")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
