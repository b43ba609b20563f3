"""Places from coordinates: events that arrive with lat/lon get their country and sub-national
places by point-in-polygon, and a review flag when the text and the coordinates disagree."""

from __future__ import annotations

from dashboard.names import country_name, place_name
from dashboard.store.records import EventRecord

# Place codes that name a whole entity or region; a coordinate inside a different one of the same
# country contradicts the record.
_EXCLUSIVE = {"BA-SRP", "BA-BIH", "BA-BRC", "MD-SN", "MD-GA", "MD-REST"}


def enrich_places(events: list[EventRecord]) -> None:
    """Add located countries/places to events with coordinates; flag contradictions in place."""
    located = [e for e in events if e.lat is not None and e.lon is not None]
    if not located:
        return
    from dashboard.geo import locate_many

    for event, (country, places) in zip(
        located, locate_many([e.lat for e in located], [e.lon for e in located]), strict=True
    ):
        flags = []
        if country:
            if not event.countries:
                event.countries = [country]
            elif country not in event.countries:
                flags.append(
                    f"coordinates fall in {country_name(country)}, but the record names "
                    f"{', '.join(country_name(c) for c in event.countries)}"
                )
        stated = [p for p in event.places if p in _EXCLUSIVE]
        found = [p for p in places if p in _EXCLUSIVE]
        conflict = bool(stated and found and not set(stated) & set(found))
        if conflict:
            flags.append(
                f"coordinates fall in {place_name(found[0])}, but the record names "
                f"{', '.join(place_name(p) for p in stated)}"
            )
        elif country and country in event.countries:
            event.places = list(dict.fromkeys([*event.places, *places]))
        # An analyst's record is deliberate (a Sarajevo court ruling about Republika Srpska, say):
        # only machine readings are flagged for review.
        if flags and event.verification != "analyst":
            event.review_flag = "; ".join(flags)
