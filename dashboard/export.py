"""Exports of the filtered data (CSV, JSONL, XLSX), shared by the CLI and the pages. No row cap.

CSV and JSONL are written to a text file object (a CSV cell that would start a formula is quoted,
see :func:`csv_cell`); XLSX (openpyxl, write-only mode, so memory stays
flat however many rows) to a binary file object or a path: ``write(engine, kind, "xlsx", filters,
binary_fh)`` or ``write_xlsx(engine, kind, filters, path_or_binary_fh)``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from os import PathLike
from typing import IO, BinaryIO

from sqlalchemy import Engine

from dashboard.filters import Filters
from dashboard.names import country_name, place_name
from dashboard.store import queries, stability
from dashboard.vocab import DATASET_ATTRIBUTION

EVENT_FIELDS = [
    "id", "title", "summary", "date_start", "date_end", "date_precision", "date_text", "status",
    "display_status", "category", "topics", "countries", "country_names", "places", "place_names", "actors",
    "location", "lat", "lon", "geo_precision", "source_url", "source_name", "article_id", "evidence",
    "verification", "confidence", "dataset", "source_id", "event_type", "sub_event_type", "fatalities",
    "num_sources", "development_id", "attribution", "imported_from",
]
DEVELOPMENT_FIELDS = [
    "development_id", "title", "summary", "date_start", "date_end", "date_precision", "status", "display_status",
    "category", "countries", "country_names", "places", "place_names", "n_events", "n_sources", "fatalities",
    "verification", "significance", "is_key", "grouping", "lead_event_id", "report_ids", "sources", "datasets",
    "attribution",
]
ARTICLE_FIELDS = [
    "id", "url", "title", "outlet", "published", "language", "word_count", "countries", "primary_countries",
    "places", "organisations", "people", "topics", "body", "imported_from",
]
FORMATS = ("csv", "jsonl", "xlsx")
#: The media type of every file the product writes (data exports, briefings, charts), for downloads.
MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html",
    "png": "image/png",
}
BINARY_FORMATS = ("xlsx",)
XLSX_MAX_CELL = 32_767  # Excel's limit on characters in one cell
KINDS = ("events", "articles", "developments", "stability")
KIND_LABELS = {"events": "events", "articles": "articles", "developments": "developments",
               "stability": "stability month table (CrisisWatch style)"}


def _named_events(events: Iterator[dict], exported: date) -> Iterator[dict]:
    """Event rows with their countries' and places' names, and the attribution a dataset's terms ask for."""
    for row in events:
        row["country_names"] = [country_name(c) for c in row.get("countries") or []]
        row["place_names"] = [place_name(p) for p in row.get("places") or []]
        credit = DATASET_ATTRIBUTION.get(row.get("dataset") or "")
        row["attribution"] = f"{credit} (exported {exported.isoformat()})" if credit else None
        yield row


def _credited(developments: Iterator[dict], exported: date) -> Iterator[dict]:
    """Development rows with names for codes and the credit its datasets' terms ask for."""
    for row in developments:
        row["country_names"] = [country_name(c) for c in row.get("countries") or []]
        row["place_names"] = [place_name(p) for p in row.get("places") or []]
        credits = [DATASET_ATTRIBUTION[d] for d in row.get("datasets") or [] if d in DATASET_ATTRIBUTION]
        row["attribution"] = f"{'; '.join(credits)} (exported {exported.isoformat()})" if credits else None
        yield row


def rows(engine: Engine, kind: str, filters: Filters) -> tuple[list[str], Iterator[dict]]:
    """Field names and the row iterator for ``kind`` ("events", "articles" or "developments")."""
    if kind == "events":
        return EVENT_FIELDS, _named_events(queries.iter_events(engine, filters), date.today())
    if kind == "articles":
        return ARTICLE_FIELDS, queries.iter_articles(engine, filters)
    if kind == "developments":
        return DEVELOPMENT_FIELDS, _credited(queries.iter_developments(engine, filters), date.today())
    if kind == "stability":  # the CrisisWatch-style month table: a row per unit and month
        return stability.TABLE_FIELDS, iter(stability.table(engine, filters))
    raise ValueError(f"unknown export kind {kind!r}; use one of {', '.join(KINDS)}")


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"), with the full-width
#: forms some locales accept too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value):
    """A CSV cell: lists joined with ";", dates in ISO form, and text that a spreadsheet would take
    for a formula behind a single quote (OWASP's advice), so it opens as the text it is. Numbers
    are left alone (a longitude of -1.5 stays a number)."""
    value = ";".join(str(v) for v in value) if isinstance(value, list) else _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(engine: Engine, kind: str, fmt: str, filters: Filters, out: IO,
          progress: Callable[[int], None] | None = None) -> int:
    """Write every matching row to ``out``; return the row count.

    ``out`` is a text file object for "csv" and "jsonl" and a binary one for "xlsx" (a text file
    object that has a binary ``buffer``, like ``sys.stdout`` or ``open(path, "w")``, is accepted too).
    """
    if fmt == "xlsx":
        if isinstance(out, io.TextIOBase):
            if not hasattr(out, "buffer"):
                raise TypeError("xlsx is binary: pass a binary file object (open(path, 'wb'), io.BytesIO)")
            out.flush()
            out = out.buffer
        return write_xlsx(engine, kind, filters, out, progress)
    fields, iterator = rows(engine, kind, filters)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in iterator:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
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


def _xlsx_value(value):
    """A cell value: lists joined with ";", dates kept as dates, text cleaned of characters XLSX forbids."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > XLSX_MAX_CELL:
            note = f" … [cut at Excel's cell limit; {len(value)} characters in all: use CSV or JSONL for the full text]"
            value = value[: XLSX_MAX_CELL - len(note)] + note
    return value


def write_xlsx(engine: Engine, kind: str, filters: Filters, out: str | PathLike | BinaryIO,
               progress: Callable[[int], None] | None = None) -> int:
    """Write every matching row as an XLSX workbook (one sheet named ``kind``) to a path or binary file.

    Streams with openpyxl's write-only mode. Dates are Excel dates, lists are joined with ";", and
    text is always stored as text (a title starting with "=" never becomes a formula). Returns the
    row count.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    fields, iterator = rows(engine, kind, filters)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in fields:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in iterator:
        cells = []
        for name in fields:
            value = _xlsx_value(row.get(name))
            if isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    wb.save(out)
    return count
