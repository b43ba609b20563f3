"""What makes an event's fields valid, written once for the ingest and for analysts' corrections.

Each rule raises :class:`InvalidField` naming the field and saying what is wrong with it; the
ingest turns that into a line naming the file and the line, curation into a sentence for the
analyst.
"""

from __future__ import annotations

from datetime import date

from dashboard.vocab import CATEGORIES, DATASETS, PRECISIONS, STATUSES, TRACKER_STATUSES, VERIFICATIONS

DATE_FIELDS = ("date_start", "date_end", "date_precision")
COORDINATE_FIELDS = ("lat", "lon")


class InvalidField(ValueError):
    """A field of an event breaks a rule; ``field`` names it, the message says why."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _one_of(values: dict, field: str, allowed: tuple[str, ...], *, optional: bool = True) -> None:
    if field not in values:
        return
    value = values[field]
    if value is None and optional:
        return
    if value not in allowed:
        raise InvalidField(f"'{value}' is not one of {', '.join(allowed)}", field)


def check_event(values: dict) -> None:
    """Check the event fields present in ``values`` (a whole record, or a record with its changes).

    Vocabulary: status, date precision, category, verification and tracker status take only their
    listed values. Dates: an end needs a start, a dated event needs a precision, the end is not
    before the start. Coordinates: latitude within -90..90, longitude within -180..180, both or
    neither.
    """
    _one_of(values, "status", STATUSES, optional=False)
    _one_of(values, "date_precision", PRECISIONS)
    _one_of(values, "category", CATEGORIES)
    _one_of(values, "verification", VERIFICATIONS, optional=False)
    _one_of(values, "tracker_status", TRACKER_STATUSES)
    _one_of(values, "dataset", DATASETS, optional=False)
    for counted in ("fatalities", "num_sources"):
        if values.get(counted) is not None and values[counted] < 0:
            raise InvalidField(f"{values[counted]} is below 0", counted)
    if not values.keys().isdisjoint(DATE_FIELDS):
        check_dates(values.get("date_start"), values.get("date_end"), values.get("date_precision"))
    if not values.keys().isdisjoint(COORDINATE_FIELDS):
        check_coordinates(values.get("lat"), values.get("lon"))


def check_dates(start: date | None, end: date | None, precision: str | None) -> None:
    """An end needs a start; a dated event needs a precision; the end is not before the start."""
    if start is None and end is not None:
        raise InvalidField("is missing while date_end is given", "date_start")
    if start is not None and precision is None:
        raise InvalidField("is required when the event has a date", "date_precision")
    if start and end and end < start:
        raise InvalidField(f"{end} is before date_start {start}", "date_end")


def check_coordinates(lat: float | None, lon: float | None) -> None:
    """Latitude and longitude in range, and given together."""
    for field, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
        if value is not None and not -bound <= value <= bound:
            raise InvalidField(f"{value} is outside {-bound}..{bound}", field)
    if (lat is None) != (lon is None):
        raise InvalidField("lat and lon must be given together", "lat" if lat is None else "lon")
