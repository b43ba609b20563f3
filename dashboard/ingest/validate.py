"""Checking raw records field by field and turning them into store records."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import orjson

from dashboard.ingest.problems import RecordError
from dashboard.store.records import ArticleRecord, EventRecord
from dashboard.store.rules import InvalidField, check_event
from dashboard.urls import is_web_url
from dashboard.vocab import TOPICS

_ISO2 = re.compile(r"^[A-Z]{2}$")
_PLACE = re.compile(r"^[A-Z]{2}-[A-Z0-9-]{1,30}$")
_EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$")
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}


def parse_date(value, field: str) -> date | None:
    """Accept ``YYYY-MM-DD``, an ISO timestamp, or "16 May 2025"; ``None``/"" stays unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise RecordError(f"expected a date like 2023-10-05, got {value!r}", field)
    raw = value.strip()
    try:  # the whole value: "2023-01-01garbage" is no date
        return date.fromisoformat(raw)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+),? (\d{4})", raw)
    if m and m.group(2).lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            pass
    try:  # a timestamp: 2023-10-05T12:00:00Z, 2023-10-05 12:00+02:00
        if len(raw) > 10 and raw[10] in "T ":
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    raise RecordError(f"'{raw[:60]}' is not a date (use YYYY-MM-DD)", field)


_PARTIAL = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


def parse_partial_date(value) -> tuple[date, date, str] | None:
    """``"2023"`` -> the year, ``"2023-Q4"`` -> the quarter, ``"2023-10"`` -> the month, with precision.

    Returns ``None`` for anything else (a full date is parsed by :func:`parse_date`).
    """
    if not isinstance(value, str):
        return None
    m = _PARTIAL.match(value.strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(nxt.toordinal() - 1), "month"
    if m.group(3):
        q = int(m.group(3))
        first = date(year, 3 * q - 2, 1)
        nxt = date(year + (q == 4), (3 * q) % 12 + 1, 1)
        return first, date.fromordinal(nxt.toordinal() - 1), "quarter"
    return date(year, 1, 1), date(year, 12, 31), "year"


def _text(obj: dict, field: str, *, required: bool = False, max_len: int = 100_000) -> str | None:
    value = obj.get(field)
    if type(value) is str and len(value) <= max_len:  # the usual case, checked first (every row of a dataset)
        stripped = value.strip()
        if stripped:
            return stripped
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError("is missing or empty", field)
        return None
    if not isinstance(value, str):
        raise RecordError(f"must be text, got {type(value).__name__}", field)
    if len(value) > max_len:
        raise RecordError(f"is longer than {max_len} characters", field)
    return value.strip()


def _codes(obj: dict, field: str, pattern: re.Pattern, what: str) -> list[str]:
    value = obj.get(field) or []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise RecordError(f"must be a list of {what}", field)
    out = []
    for v in value:
        code = v.strip().upper() if isinstance(v, str) else None
        if code is None or not pattern.match(code):
            raise RecordError(f"{v!r} is not {what}", field)
        out.append(code)
    return out


def _strings(obj: dict, field: str) -> list[str]:
    value = obj.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError("must be a list of text values", field)
    return [v.strip() for v in value if v.strip()]


def _number(value, field: str, what: str) -> float | None:
    """A finite number from a JSON number or a text; ``None`` when absent. ``true`` is no number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"{str(value).lower()} is not {what}", field)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise RecordError(f"{str(value)[:40]!r} is not {what}", field) from None
    if not math.isfinite(number):
        raise RecordError(f"{str(value)[:40]!r} is not {what} (not finite)", field)
    return number


def _float(obj: dict, field: str) -> float | None:
    return _number(obj.get(field), field, "a number")


def _count(obj: dict, field: str) -> int | None:
    """A whole number (``"3"`` and ``3.0`` too), or ``None`` when absent."""
    value = obj.get(field)
    number = _number(value, field, "a whole number")
    if number is None:
        return None
    if number != int(number) or abs(number) > 2**63 - 1:
        raise RecordError(f"{str(value)[:40]!r} is not a whole number we can store", field)
    return int(number)


def _attributes(obj: dict) -> str | None:
    """The dataset's own fields: a JSON object of plain values, kept as JSON text."""
    value = obj.get("attributes")
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise RecordError("must be an object of the dataset's fields", "attributes")
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        raise RecordError("must hold only plain values (text, numbers, lists)", "attributes") from None


def _confidence(obj: dict) -> float | None:
    value = _float(obj, "confidence")
    if value is not None and not 0 <= value <= 1:
        raise RecordError(f"{value} is outside 0..1", "confidence")
    return value


def _checked(values: dict) -> None:
    """The event rules of the store (:mod:`dashboard.store.rules`), as a record error."""
    try:
        check_event(values)
    except InvalidField as exc:
        raise RecordError(str(exc), exc.field) from None


def article_from_raw(obj: dict, imported_from: str) -> ArticleRecord:
    """Check an article record (title, body required) and return an :class:`ArticleRecord`."""
    body = _text(obj, "body", required=True, max_len=2_000_000)
    title = _text(obj, "title", max_len=1000) or (body.strip().split("\n", 1)[0][:120])
    url = _text(obj, "url", max_len=4000)
    if url and not is_web_url(url):
        raise RecordError(f"'{url}' is not an http(s) URL", "url")
    return ArticleRecord(
        title=title,
        body=body,
        url=url,
        outlet=_text(obj, "outlet", max_len=300),
        published=parse_date(obj.get("published"), "published"),
        language=_text(obj, "language", max_len=8),
        imported_from=imported_from,
    )


def event_from_raw(obj: dict, imported_from: str) -> EventRecord:
    """Check an event record field by field and return an :class:`EventRecord`."""
    event_id = _text(obj, "id", required=True, max_len=120)
    if not _EVENT_ID.match(event_id):
        raise RecordError(f"'{event_id}' may hold only letters, digits, '.', '_', ':' and '-'", "id")
    status = _text(obj, "status", required=True)
    precision = _text(obj, "date_precision")
    partial = parse_partial_date(obj.get("date_start"))
    if partial is not None:  # "2024", "2024-Q3" or "2024-02": the period it names, at that precision
        start, implied_end, implied_precision = partial
        end = parse_date(obj.get("date_end"), "date_end") or implied_end
        precision = precision or implied_precision
    else:
        start = parse_date(obj.get("date_start"), "date_start")
        end = parse_date(obj.get("date_end"), "date_end") or start
    category = _text(obj, "category")
    topics = _strings(obj, "topics")
    verification = _text(obj, "verification") or "machine"
    # an event file says its dataset; without one, an analyst's event is curated, anything else an import
    dataset = _text(obj, "dataset") or ("curated" if verification == "analyst" else "import")
    lat = _float(obj, "lat")
    lon = _float(obj, "lon")
    fatalities, num_sources = _count(obj, "fatalities"), _count(obj, "num_sources")
    _checked({"status": status, "date_start": start, "date_end": end, "date_precision": precision,
              "category": category,
              "verification": verification, "lat": lat, "lon": lon, "dataset": dataset,
              "fatalities": fatalities, "num_sources": num_sources})
    for topic in topics:
        if topic not in TOPICS:
            raise RecordError(f"'{topic}' is not one of {', '.join(TOPICS)}", "topics")
    outcome, tracker_status, first = _expectation(obj, status, end)
    url = _text(obj, "source_url", max_len=4000)
    if url and not is_web_url(url):
        raise RecordError(f"'{url}' is not an http(s) URL", "source_url")
    return EventRecord(
        id=event_id,
        title=_text(obj, "title", required=True, max_len=500),
        summary=_text(obj, "summary", max_len=5000),
        status=status,
        date_start=start,
        date_end=end,
        date_precision=precision if start else None,
        date_text=_text(obj, "date_text", max_len=200),
        category=category or (topics[0] if topics else None),
        topics=topics,
        countries=_codes(obj, "countries", _ISO2, "an ISO alpha-2 country code (XK for Kosovo)"),
        places=_codes(obj, "places", _PLACE, "a place code such as BA-SRP"),
        actors=_strings(obj, "actors"),
        location=_text(obj, "location", max_len=300),
        lat=lat,
        lon=lon,
        geo_precision=_text(obj, "geo_precision", max_len=16),
        source_url=url,
        source_name=_text(obj, "source_name", max_len=300),
        evidence=_text(obj, "evidence", max_len=5000),
        verification=verification,
        confidence=_confidence(obj),
        imported_from=imported_from,
        dataset=dataset,
        source_id=_text(obj, "source_id", max_len=120),
        event_type=_text(obj, "event_type", max_len=200),
        sub_event_type=_text(obj, "sub_event_type", max_len=200),
        fatalities=fatalities,
        num_sources=num_sources,
        source_updated=_count(obj, "source_updated"),
        attributes=_attributes(obj),
        outcome_event_id=outcome,
        tracker_status=tracker_status,
        first_deadline=first,
    )


def _expectation(obj: dict, status: str, end) -> tuple[str | None, str | None, object]:
    """An expected development's outcome id, tracker status ("abandoned") and first deadline."""
    if "outcome_event_id" not in obj and "tracker_status" not in obj and "first_deadline" not in obj:
        return None, None, None  # the usual case (every row of a dataset): nothing to check
    outcome = _text(obj, "outcome_event_id", max_len=120)
    tracker_status = _text(obj, "tracker_status")
    first = parse_date(obj.get("first_deadline"), "first_deadline")
    for field, value in (("outcome_event_id", outcome), ("tracker_status", tracker_status),
                         ("first_deadline", first)):
        if value is not None and status != "expected":
            raise RecordError(f"is only for an expected development (status is '{status}')", field)
    if outcome is not None and not _EVENT_ID.match(outcome):
        raise RecordError(f"'{outcome}' may hold only letters, digits, '.', '_', ':' and '-'", "outcome_event_id")
    if tracker_status is not None:
        _checked({"tracker_status": tracker_status})
    if first is not None and end is not None and first > end:
        raise RecordError(f"{first} is after date_end {end}: a deadline that slips moves later", "first_deadline")
    return outcome, tracker_status, first
