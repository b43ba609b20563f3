"""The shared filter: one immutable value that every page, query and export receives.

It knows nothing of Streamlit or SQL. ``dashboard.ui.filter_state`` maps it to and from the URL;
``dashboard.store.queries`` turns it into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Display:
    """How the filtered data is shown, not which data: options that travel beside :class:`Filters`.

    ``kosovo_star`` labels Kosovo "Kosovo*" with the EU footnote; ``present`` is presentation mode
    (controls hidden, larger type). ``dashboard.ui.filter_state`` maps it to and from the URL.
    """

    kosovo_star: bool = False
    present: bool = False


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see. Empty tuples and ``None`` mean "no restriction"."""

    countries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    include_undated: bool = True
    # which events, by where they come from and what their dataset says (articles are not narrowed)
    datasets: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    min_fatalities: int | None = None
    min_sources: int | None = None

    def with_(self, **changes) -> Filters:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    def is_empty(self) -> bool:
        """True when nothing narrows the data."""
        return not (self.countries or self.places or self.topics or self.date_from or self.date_to or self.text.strip()
                    or self.datasets or self.event_types or self.min_fatalities or self.min_sources)

    def describe(self, country_names: dict[str, str] | None = None, place_names: dict[str, str] | None = None) -> str:
        """A one-line caption of the filter for charts and exports."""
        from dashboard.names import country_name, place_name

        names = country_names or {c: country_name(c) for c in self.countries}
        pnames = place_names or {p: place_name(p) for p in self.places}
        parts = []
        if self.countries:
            parts.append(", ".join(names.get(c, c) for c in self.countries))
        if self.places:
            parts.append(", ".join(pnames.get(p, p) for p in self.places))
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"{start} to {end}")
        if self.topics:
            parts.append("topics: " + ", ".join(self.topics))
        if self.text.strip():
            parts.append(f'text "{self.text.strip()}"')
        if not self.include_undated:
            parts.append("dated items only")
        return "; ".join(parts) if parts else "All countries, all dates"
