"""Offline boundaries of the Western Balkans: countries, BiH entities, Kosovo municipalities, ...

Data: ``data/geo/countries.geojson`` and ``data/geo/places.geojson`` (built by
``scripts/build_geo.py`` from npm ``world-atlas`` and Natural Earth admin-1; see
``data/geo/SOURCES.md``). The inter-entity line in BiH, Brčko District, North Mitrovica and
Transnistria are approximate: show :func:`geo_metadata` notes next to maps that use them.

Nothing here imports Streamlit; wrap calls in ``st.cache_data`` / ``st.cache_resource`` in
the app if needed (the loaders are already cached in-process).

Examples
--------
>>> from dashboard.geo import locate
>>> locate(42.893, 20.866)
('XK', ['XK-NORTH', 'XK-NORTH-MITROVICA'])

Map (no network with ``map_style="white-bg"``)::

    px.choropleth_map(df, geojson=places_geojson("entity"), locations="place_id",
                      featureidkey="id", color="events", map_style="white-bg",
                      center=BALKANS_CENTER, zoom=BALKANS_ZOOM)
"""

from __future__ import annotations

from ._core import (
    BALKANS_BOUNDS,
    BALKANS_CENTER,
    BALKANS_ZOOM,
    FOCUS_COUNTRIES,
    LEVELS,
    center_of,
    countries_geojson,
    geo_dir,
    geo_metadata,
    load_countries,
    load_places,
    locate,
    locate_many,
    places_geojson,
    subnational_geojson,
    zoom_to_fit,
)

__all__ = [
    "BALKANS_BOUNDS",
    "BALKANS_CENTER",
    "BALKANS_ZOOM",
    "COUNTRY_NAMES",
    "FOCUS_COUNTRIES",
    "LEVELS",
    "PLACE_NAMES",
    "center_of",
    "countries_geojson",
    "geo_dir",
    "geo_metadata",
    "load_countries",
    "load_places",
    "locate",
    "locate_many",
    "places_geojson",
    "subnational_geojson",
    "zoom_to_fit",
]

PLACE_NAMES: dict[str, str]
"""place_id -> display name (e.g. ``"BA-SRP" -> "Republika Srpska"``), loaded on first use."""
COUNTRY_NAMES: dict[str, str]
"""ISO2 -> display name for every shipped country (``"XK" -> "Kosovo"``), loaded on first use."""


def __getattr__(name: str):
    # PEP 562: read the names from the shipped files on first access, not at import.
    from . import _core

    if name == "PLACE_NAMES":
        return _core.place_names()
    if name == "COUNTRY_NAMES":
        return _core.country_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
