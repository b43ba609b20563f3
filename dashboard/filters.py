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
    include_low_confidence: bool = False  # machine events under the shown confidence, hidden by default
    exclude_machine: bool = False  # no machine-made events at all (a briefing option, not in the URL)

    def with_(self, **changes) -> Filters:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    def without_machine(self) -> Filters:
        """The same filter without machine-extracted or machine-coded events (our articles' machine
        events, GDELT rows, any import a machine coded): a briefing for readers who want only what
        people curated or coded."""
        return replace(self, exclude_machine=True)

    def is_empty(self) -> bool:
        """True when nothing narrows the data."""
        return not (self.countries or self.places or self.topics or self.date_from or self.date_to or self.text.strip()
                    or self.datasets or self.event_types or self.min_fatalities or self.min_sources)

    def describe(self, country_names: dict[str, str] | None = None, place_names: dict[str, str] | None = None,
                 *, display: Display | None = None) -> str:
        """A one-line caption of the filter for charts and exports.

        Names come from ``country_names`` / ``place_names`` where given, else from ``dashboard.names``
        (with "Kosovo*" when ``display.kosovo_star``); an unknown code stands for itself.
        """
        from dashboard.names import country_name, place_name

        star = bool(display and display.kosovo_star)
        names = country_names or {}
        pnames = place_names or {}
        parts = []
        if self.countries:
            parts.append(", ".join(names.get(c) or country_name(c, star) for c in self.countries))
        if self.places:
            parts.append(", ".join(pnames.get(p) or place_name(p) for p in self.places))
        if self.date_from and self.date_to:
            parts.append(f"{self.date_from.isoformat()} to {self.date_to.isoformat()}")
        elif self.date_from:
            parts.append(f"from {self.date_from.isoformat()}")
        elif self.date_to:
            parts.append(f"until {self.date_to.isoformat()}")
        if self.topics:
            parts.append("topics: " + ", ".join(self.topics))
        if self.text.strip():
            parts.append(f'text "{self.text.strip()}"')
        if not self.include_undated:
            parts.append("dated items only")
        if self.datasets:
            from dashboard.vocab import DATASET_LABELS

            parts.append("datasets: " + ", ".join(DATASET_LABELS.get(d, d) for d in self.datasets))
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        if self.min_fatalities:
            parts.append(f"at least {self.min_fatalities} fatalit{'y' if self.min_fatalities == 1 else 'ies'}")
        if self.min_sources and self.min_sources > 1:
            parts.append(f"at least {self.min_sources} sources")
        if self.include_low_confidence:
            parts.append("low-confidence machine events included")
        if self.exclude_machine:
            parts.append("machine-extracted items left out")
        return "; ".join(parts) if parts else "All countries, all dates"
