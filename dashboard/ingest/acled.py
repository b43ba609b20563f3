"""ACLED CSV exports -> our raw event records (pure functions: bytes in, ``(line, item)`` out).

Layouts read (the header says which; names are matched case-insensitively, in any order):

- ``acled-2023``: the 31-column export since March 2023 (event_id_cnty, event_date, year,
  time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1,
  actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, admin1,
  admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, notes,
  fatalities, tags, timestamp);
- ``acled-2019``: the 2019-2022 layout (data_id, iso, event_id_cnty, event_id_no_cnty, ...,
  timestamp, iso3), and older files with gwno or ally_actor_1;
- trimmed exports: any header holding the required columns (event_id_cnty, event_date,
  event_type, latitude, longitude, and a country in iso, iso3 or country) reads, with the other
  columns optional (no actor2 / assoc_actor_2 / inter2, ...). Unknown columns go to attributes.

Cells: ``inter1``/``inter2``/``interaction`` as numeric codes or as text (kept as given, numbers
as int); ``event_date`` as 2023-02-16, "16 February 2023" / "01 November 2024", or spreadsheet
re-saves "9-May-20" / "5-Aug-24" / "16-May-2025" (two-digit years 90-99 are 19xx, the rest 20xx);
UTF-8 with or without BOM (Windows-1250/1251 too), CRLF or LF, quoted notes with commas, quotes
and line breaks. ``line`` is the physical line a row starts on.

Mapping to our raw event (validated by ``dashboard.ingest.validate.event_from_raw``):

================  ===========================================================================
ours              from ACLED
================  ===========================================================================
id / source_id    "acled:" + event_id_cnty / event_id_cnty
date              time_precision 1 -> that day ("day"); 2 -> the 7 days centred on event_date
                  (date-3 .. date+3, "week": ACLED gives one date inside the week it knows,
                  not always the same weekday, so the centred week covers it either way);
                  3 -> the whole calendar month ("month")
countries         iso (numeric; 0 = Kosovo) -> iso3 (XKX = Kosovo) -> country name, first found
places            from admin1..3 by :func:`dashboard.ingest.crosswalk.places_from_names`
                  (BiH entities, northern Kosovo municipalities + XK-NORTH, Serbian districts,
                  Moldova's regions); empty when no name matches (the pipeline then places the
                  point in its polygon)
lat / lon         latitude / longitude; geo_precision 1/2/3 -> "town" / "near-town" / "region"
category          by event_type, refined by sub_event_type (table below)
event_type, ...   event_type, sub_event_type kept as given; status "occurred"
title             sub_event_type + " in " + location + date, e.g. "Peaceful protest in Banja
                  Luka on 16 February 2023" ("in the week of ...", "in February 2023")
summary           notes
actors            actor1, assoc_actor_1, actor2, assoc_actor_2 (assoc split on ";"), no repeats
fatalities        fatalities (whole number)
source_name       "ACLED (" + source + ")"; no source_url (ACLED rows carry none)
source_updated    timestamp (Unix seconds): a newer timestamp is a newer version of the row
attributes        disorder_type, inter1, inter2, interaction, civilian_targeting, tags, source,
                  source_scale, admin1, admin2, admin3, iso, region, timestamp and any other
                  column of the file not mapped above (data_id, iso3, gwno, ...), empty ones left out
dataset           "acled"; verification "coded" (human-coded by ACLED, not checked by our analysts)
================  ===========================================================================

Categories (our vocabulary, :data:`dashboard.vocab.CATEGORIES`):

=================================  =========================================  ==========
event_type                         sub_event_type                             category
=================================  =========================================  ==========
Battles                            (any)                                      security
Explosions/Remote violence         (any)                                      security
Violence against civilians         (any)                                      security
Protests                           (any)                                      protest
Riots                              (any)                                      protest
Strategic developments             Agreement                                  diplomacy
Strategic developments             Arrests                                    crime
Strategic developments             Looting/property destruction               crime
Strategic developments             Disrupted weapons use                      security
Strategic developments             Headquarters or base established           military
Strategic developments             Change to group/activity, Non-violent      politics
                                   transfer of territory, Other
(an event_type not listed)                                                    politics
=================================  =========================================  ==========

ACLED's deleted-events file (event_id_cnty, deleted_timestamp) reads with
:func:`read_acled_deletions`. ACLED's terms forbid redistributing its rows: nothing read here
ships with the product; pages and exports attribute it ("Source: ACLED").
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta

from dashboard.ingest.clean import decode_bytes
from dashboard.ingest.crosswalk import (
    country_name_to_iso2,
    iso3_to_iso2,
    iso_numeric_to_iso2,
    places_from_names,
)
from dashboard.ingest.problems import RecordError

Item = tuple["int | None", "dict | RecordError"]

#: The 31 columns of the export since 2023, in ACLED's order.
COLUMNS_2023: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
#: The 2019-2022 layout, in ACLED's order.
COLUMNS_2019: tuple[str, ...] = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "timestamp", "iso3",
)
#: Columns every readable file has; a country comes from one of COUNTRY_COLUMNS.
REQUIRED: tuple[str, ...] = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude")
COUNTRY_COLUMNS: tuple[str, ...] = ("iso", "iso3", "country")
KNOWN_LAYOUTS = (
    "the ACLED export since 2023 (31 columns, event_id_cnty ... timestamp)",
    "the ACLED 2019-2022 export (31 columns, data_id, iso, event_id_cnty ... iso3)",
    "a trimmed, reordered or upper-case ACLED export with at least " + ", ".join(REQUIRED)
    + " and one of " + ", ".join(COUNTRY_COLUMNS),
)
DELETION_COLUMNS: tuple[str, ...] = ("event_id_cnty", "deleted_timestamp")

#: Attributes kept whenever the file has them (other unmapped columns are kept too).
ATTRIBUTE_COLUMNS: tuple[str, ...] = (
    "disorder_type", "inter1", "inter2", "interaction", "civilian_targeting", "tags", "source",
    "source_scale", "admin1", "admin2", "admin3", "iso", "region", "timestamp",
)
#: Columns mapped to our own fields (not repeated in attributes, unless listed above).
_MAPPED = {"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
           "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "location", "latitude",
           "longitude", "geo_precision", "notes", "fatalities"}

EVENT_TYPE_CATEGORY: dict[str, str] = {
    "battles": "security",
    "explosions/remote violence": "security",
    "violence against civilians": "security",
    "protests": "protest",
    "riots": "protest",
    "strategic developments": "politics",
}
SUB_EVENT_CATEGORY: dict[str, str] = {
    "agreement": "diplomacy",
    "arrests": "crime",
    "looting/property destruction": "crime",
    "disrupted weapons use": "security",
    "headquarters or base established": "military",
}
GEO_PRECISION = {1: "town", 2: "near-town", 3: "region"}
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_LONG_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?,?[ -](\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_FORMS = "2023-02-16, 16 February 2023, 16-Feb-23 or 16-Feb-2023"


_WHOLE = re.compile(r"-?\d+")
_ACLED_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")

def sniff(first_bytes: bytes) -> str | None:
    """``"acled"`` when the first line is an ACLED header (it names event_id_cnty and event_date)."""
    head = first_bytes[:4096].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    names = {n.strip().strip(b'"').strip() for n in head.split(b",")}
    return "acled" if {b"event_id_cnty", b"event_date"} <= names else None


def sniff_deletions(first_bytes: bytes) -> bool:
    """Whether the first line is the header of ACLED's deleted-events file."""
    head = first_bytes[:4096].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    names = {n.strip().strip(b'"').strip() for n in head.split(b",")}
    return set(n.encode() for n in DELETION_COLUMNS) <= names


def layout_of(header: list[str]) -> str:
    """``"acled-2023"``, ``"acled-2019"`` or ``"acled-trimmed"`` for a readable header (lower-cased)."""
    names = set(header)
    if names >= set(COLUMNS_2023):
        return "acled-2023"
    if names >= set(COLUMNS_2019):
        return "acled-2019"
    return "acled-trimmed"


def _rows(data: bytes) -> Iterator[tuple[int, list[str]] | RecordError]:
    """CSV rows with the physical line each starts on (quoted line breaks counted)."""
    try:
        text, _enc = decode_bytes(data)
    except RecordError as exc:
        yield exc
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if row and "".join(row).strip():  # a row of empty cells is skipped
                yield start, row
    except csv.Error as exc:
        yield RecordError(f"the CSV cannot be read after line {last}: {exc}")


def _table(data: bytes, header_problem) -> Iterator[tuple[int | None, list[str], list[str] | RecordError]]:
    """``(line, header, cells)`` per data row of a CSV, the header's names lower-cased (BOM dropped).

    A reading error, or a header that ``header_problem(header)`` finds wrong, is yielded as the
    ``cells`` of one last item.
    """
    header: list[str] | None = None
    for item in _rows(data):
        if isinstance(item, RecordError):
            yield None, header or [], item
            return
        line, cells = item
        if header is None:
            header = [c.strip().lstrip("\ufeff").strip().lower() for c in cells]
            problem = header_problem(header)
            if problem:
                yield line, header, RecordError(problem)
                return
            continue
        yield line, header, cells


def _deletions_header_problem(header: list[str]) -> str | None:
    missing = [c for c in DELETION_COLUMNS if c not in header]
    if not missing:
        return None
    return (f"the header is not ACLED's deleted-events layout ({', '.join(DELETION_COLUMNS)}); "
            f"it lacks {', '.join(missing)}")


def _header_problem(header: list[str]) -> str | None:
    names = set(header)
    missing = [c for c in REQUIRED if c not in names]
    if not missing and names & set(COUNTRY_COLUMNS):
        return None
    if len(missing) == len(REQUIRED):
        return ("the header matches no known ACLED layout; known layouts: " + "; ".join(KNOWN_LAYOUTS)
                + f". The file's header: {', '.join(header[:12])}{' ...' if len(header) > 12 else ''}")
    if missing:
        return (f"the ACLED header lacks the column(s) {', '.join(missing)}; known layouts: "
                + "; ".join(KNOWN_LAYOUTS))
    return f"the ACLED header has no country column ({', '.join(COUNTRY_COLUMNS)}); known layouts: " + "; ".join(
        KNOWN_LAYOUTS)


def parse_acled_date(value: str, field: str = "event_date") -> date:
    """2023-02-16, "16 February 2023", "01 November 2024", "9-May-20", "5-Aug-24", "16-May-2025"."""
    raw = value.strip()
    m = _ISO_DATE.fullmatch(raw)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _LONG_DATE.fullmatch(raw)
        if m and m.group(2)[:3].lower() in _MONTHS:
            month_word = m.group(2).lower()
            full = ("january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december")
            if len(month_word) > 3 and month_word not in full and month_word != "sept":
                raise ValueError(month_word)
            year = int(m.group(3))
            if len(m.group(3)) == 2:
                year += 1900 if year >= 90 else 2000
            return date(year, _MONTHS[month_word[:3]], int(m.group(1)))
    except ValueError:
        pass
    raise RecordError(f"{field} '{raw}' is not a date (use {DATE_FORMS})", field)


def _date_range(day: date, precision: int | None) -> tuple[date, date, str, str | None]:
    if precision == 2:
        start, end = day - timedelta(days=3), day + timedelta(days=3)
        return start, end, "week", f"the week around {day.day} {day:%B %Y} (ACLED: known to the week)"
    if precision == 3:
        first = day.replace(day=1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1), "month", f"{day:%B %Y} (ACLED: known to the month)"
    return day, day, "day", None


def _int(value: str, field: str, *, what: str = "a whole number") -> int | None:
    raw = value.strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        raise RecordError(f"{field} '{raw}' is not {what}", field) from None
    if number != int(number):
        raise RecordError(f"{field} '{raw}' is not {what}", field)
    return int(number)


def _coordinate(value: str, field: str, bound: int) -> float:
    raw = value.strip()
    if not raw:
        raise RecordError(f"{field} is empty", field)
    try:
        number = float(raw)
    except ValueError:
        raise RecordError(f"{field} '{raw}' is not a number", field) from None
    if not -bound <= number <= bound:
        raise RecordError(f"{field} '{raw}' is outside -{bound}..{bound}", field)
    return number


def _country(row: dict) -> str | None:
    iso = row.get("iso", "").strip()
    if iso:
        if iso.isdigit():
            code = iso_numeric_to_iso2(int(iso))
        elif len(iso) == 3:
            code = iso3_to_iso2(iso)
        else:
            raise RecordError(f"iso '{iso}' is not an ISO 3166-1 numeric code (0 for Kosovo)", "iso")
        if code:
            return code
    iso3 = row.get("iso3", "").strip()
    if iso3:
        code = iso3_to_iso2(iso3)
        if code:
            return code
    return country_name_to_iso2(row.get("country"))


def _actors(row: dict) -> list[str]:
    out: list[str] = []
    for field in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
        value = row.get(field) or ""
        parts = value.split(";") if field.startswith("assoc") else [value]
        for part in parts:
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _category(event_type: str, sub_event_type: str) -> str:
    sub = SUB_EVENT_CATEGORY.get(sub_event_type.strip().lower())
    if sub and event_type.strip().lower() == "strategic developments":
        return sub
    return EVENT_TYPE_CATEGORY.get(event_type.strip().lower(), "politics")


def _title(sub_event_type: str, event_type: str, location: str, day: date, precision: str) -> str:
    what = sub_event_type.strip() or event_type.strip() or "Event"
    if what.lower() == "other":  # "Other in Tiraspol" says nothing: "Strategic developments in Tiraspol"
        what = event_type.strip() or "Event"
    where = f" in {location.strip()}" if location.strip() else ""
    if precision == "week":
        when = f" in the week of {day.day} {day:%B %Y}"
    elif precision == "month":
        when = f" in {day:%B %Y}"
    else:
        when = f" on {day.day} {day:%B %Y}"
    return f"{what}{where}{when}"


_WHOLE_FIELDS = frozenset({"inter1", "inter2", "interaction", "iso", "timestamp", "data_id", "event_id_no_cnty",
                           "gwno", "year"})


@functools.lru_cache(maxsize=64)
def _kept_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of a header kept as the event's fields (those not mapped, and the attribute ones)."""
    return tuple(c for c in columns if c not in _MAPPED or c in ATTRIBUTE_COLUMNS)


def event_from_row(row: dict) -> dict:
    """One ACLED row (lower-cased column -> cell) -> our raw event dict; raises RecordError."""
    event_id = row.get("event_id_cnty", "").strip()
    if not event_id:
        raise RecordError("event_id_cnty is empty", "event_id_cnty")
    if not _ACLED_ID.fullmatch(event_id):
        raise RecordError(f"event_id_cnty '{event_id}' may hold only letters, digits, '.', '_' and '-'",
                          "event_id_cnty")
    raw_date = row.get("event_date", "")
    if not raw_date.strip():
        raise RecordError("event_date is empty", "event_date")
    day = parse_acled_date(raw_date)
    time_precision = _int(row.get("time_precision", ""), "time_precision")
    if time_precision is not None and time_precision not in TIME_PRECISION:
        raise RecordError(f"time_precision '{row['time_precision'].strip()}' is not 1, 2 or 3", "time_precision")
    start, end, precision, date_text = _date_range(day, time_precision)
    lat = _coordinate(row.get("latitude", ""), "latitude", 90)
    lon = _coordinate(row.get("longitude", ""), "longitude", 180)
    geo = _int(row.get("geo_precision", ""), "geo_precision")
    if geo is not None and geo not in GEO_PRECISION:
        raise RecordError(f"geo_precision '{row['geo_precision'].strip()}' is not 1, 2 or 3", "geo_precision")
    fatalities = _int(row.get("fatalities", ""), "fatalities")
    if fatalities is not None and fatalities < 0:
        raise RecordError(f"fatalities '{row['fatalities'].strip()}' is below 0", "fatalities")
    timestamp = _int(row.get("timestamp", ""), "timestamp", what="a Unix timestamp")
    country = _country(row)
    if country is None:
        given = row.get("iso") or row.get("iso3") or row.get("country") or ""
        field = "iso" if row.get("iso") else "iso3" if row.get("iso3") else "country"
        raise RecordError(f"{field} '{given.strip()}' is not a country we know", field)
    event_type = row.get("event_type", "").strip()
    if not event_type:
        raise RecordError("event_type is empty", "event_type")
    sub_event_type = row.get("sub_event_type", "").strip()
    location = row.get("location", "").strip()
    source = row.get("source", "").strip()
    source_name = f"ACLED ({source})" if source else "ACLED"
    if len(source_name) > 300:
        source_name = source_name[:298] + "…)"
    attributes = {}
    for field in _kept_columns(tuple(row)):
        value = row[field]
        if value is not None:
            value = value.strip()
            if value:
                attributes[field] = (int(value) if field in _WHOLE_FIELDS and _WHOLE.fullmatch(value)
                                     else value)  # whole numbers of the numeric columns as numbers
    notes = row.get("notes", "").replace("\r\n", "\n").replace("\r", "\n").strip() or None
    if notes and len(notes) > 5000:
        notes = notes[:4999] + "…"
    return {
        "type": "event",
        "id": f"acled:{event_id}",
        "source_id": event_id,
        "title": _title(sub_event_type, event_type, location, day, precision)[:500],
        "summary": notes,
        "status": "occurred",
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "date_precision": precision,
        "date_text": date_text,
        "category": _category(event_type, sub_event_type),
        "countries": [country],
        "places": places_from_names(country, row.get("admin1"), row.get("admin2"), row.get("admin3")),
        "actors": _actors(row),
        "location": location[:300] or None,
        "lat": lat,
        "lon": lon,
        "geo_precision": GEO_PRECISION.get(geo) if geo is not None else None,
        "source_name": source_name,
        "verification": "coded",
        "dataset": "acled",
        "event_type": event_type,
        "sub_event_type": sub_event_type or None,
        "fatalities": fatalities,
        "source_updated": timestamp,
        "attributes": attributes,
    }


def read_acled(data: bytes, name: str = "") -> Iterator[Item]:
    """An ACLED CSV export -> ``(line, raw event)`` or ``(line, RecordError)`` per row.

    A header that matches no known layout gives one error on line 1 that lists the known layouts.
    ``name`` (the file's name) is accepted for the readers' common signature; it is not needed.
    """
    header: list[str] | None = None
    for line, header, cells in _table(data, _header_problem):
        if isinstance(cells, RecordError):
            yield line, cells
            continue
        if len(cells) != len(header):
            yield line, RecordError(f"the row has {len(cells)} fields where the header has {len(header)} "
                                    "(a quote left open or a stray comma?)")
            continue
        row = dict(zip(header, cells, strict=True))
        try:
            yield line, event_from_row(row)
        except RecordError as exc:
            yield line, exc
    if header is None:
        yield None, RecordError("the file has no ACLED header (it is empty)")


def read_acled_deletions(data: bytes, name: str = "") -> Iterator[Item]:
    """ACLED's deleted-events file -> ``(line, {"id": "acled:...", "deleted_timestamp": int})`` per row."""
    header: list[str] | None = None
    for line, header, cells in _table(data, _deletions_header_problem):
        if isinstance(cells, RecordError):
            yield line, cells
            continue
        row = dict(zip(header, cells, strict=False))
        event_id = (row.get("event_id_cnty") or "").strip()
        try:
            if not _ACLED_ID.fullmatch(event_id):
                raise RecordError(f"event_id_cnty '{event_id}' is not an ACLED event id", "event_id_cnty")
            stamp = _int(row.get("deleted_timestamp") or "", "deleted_timestamp", what="a Unix timestamp")
            if stamp is None:
                raise RecordError("deleted_timestamp is empty", "deleted_timestamp")
        except RecordError as exc:
            yield line, exc
            continue
        yield line, {"id": f"acled:{event_id}", "deleted_timestamp": stamp}
