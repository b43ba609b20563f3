"""Exports of the filtered data (CSV, JSONL), shared by the CLI and the pages. No row cap."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import IO

from sqlalchemy import Engine

from dashboard.filters import Filters
from dashboard.store import queries

EVENT_FIELDS = [
    "id", "title", "summary", "date_start", "date_end", "date_precision", "date_text", "status",
    "display_status", "category", "topics", "countries", "places", "actors", "location", "lat", "lon",
    "geo_precision", "source_url", "source_name", "article_id", "evidence", "verification", "confidence",
    "imported_from",
]
ARTICLE_FIELDS = [
    "id", "url", "title", "outlet", "published", "language", "word_count", "countries", "primary_countries",
    "places", "organisations", "people", "topics", "body", "imported_from",
]
FORMATS = ("csv", "jsonl")
KINDS = ("events", "articles")


def rows(engine: Engine, kind: str, filters: Filters) -> tuple[list[str], Iterator[dict]]:
    """Field names and the row iterator for ``kind`` ("events" or "articles")."""
    if kind == "events":
        return EVENT_FIELDS, queries.iter_events(engine, filters)
    if kind == "articles":
        return ARTICLE_FIELDS, queries.iter_articles(engine, filters)
    raise ValueError(f"unknown export kind {kind!r}; use one of {', '.join(KINDS)}")


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def write(engine: Engine, kind: str, fmt: str, filters: Filters, out: IO[str],
          progress: Callable[[int], None] | None = None) -> int:
    """Write every matching row to ``out`` as CSV or JSONL; return the row count."""
    fields, iterator = rows(engine, kind, filters)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in iterator:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else _plain(v) for k, v in row.items()})
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
    elif fmt == "jsonl":
        for row in iterator:
            out.write(json.dumps({k: _plain(row.get(k)) for k in fields}, ensure_ascii=False) + "\n")
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return count
