"""Implementation of :mod:`dashboard.geo` (no Streamlit here: plain, cacheable functions)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # geopandas is imported lazily: importing the package stays cheap
    import geopandas

GEO_DIR_ENV = "BALKAN_WATCH_GEO_DIR"
COUNTRIES_FILE = "countries.geojson"
PLACES_FILE = "places.geojson"

LEVELS = ("entity", "region", "district", "municipality")
# Order of place ids returned by locate(): broad units first, most specific last.
_LEVEL_RANK = {"entity": 0, "region": 0, "district": 1, "municipality": 2}

FOCUS_COUNTRIES = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "SI", "MD")
# lon_min, lat_min, lon_max, lat_max of the nine focus countries (checked by tests/test_geo.py).
BALKANS_BOUNDS = (13.36, 39.63, 30.14, 48.49)


def zoom_to_fit(
    bounds: Sequence[float], width_px: int = 700, height_px: int = 450, padding: float = 0.05
) -> float:
    """Web-Mercator zoom at which ``bounds`` fit a MapLibre map of the given size.

    Parameters
    ----------
    bounds : sequence of float
        ``(lon_min, lat_min, lon_max, lat_max)`` in degrees.
    width_px, height_px : int
        Size of the map in CSS pixels.
    padding : float
        Fraction of the map left free on each side.

    Returns
    -------
    float
        Zoom level (MapLibre: 512-pixel world at zoom 0), rounded down to 0.1.
    """
    lon0, lat0, lon1, lat1 = bounds

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    usable = 1 - 2 * padding
    zx = math.log2(width_px * usable * 360 / (512 * max(lon1 - lon0, 1e-9)))
    zy = math.log2(height_px * usable * 2 * math.pi / (512 * max(merc_y(lat1) - merc_y(lat0), 1e-9)))
    return math.floor(min(zx, zy) * 10) / 10


def center_of(bounds: Sequence[float]) -> dict[str, float]:
    """Centre (in Web-Mercator) of ``(lon_min, lat_min, lon_max, lat_max)`` as ``{"lat", "lon"}``."""
    lon0, lat0, lon1, lat1 = bounds
    y0 = math.log(math.tan(math.pi / 4 + math.radians(lat0) / 2))
    y1 = math.log(math.tan(math.pi / 4 + math.radians(lat1) / 2))
    lat = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    return {"lat": round(lat, 3), "lon": round((lon0 + lon1) / 2, 3)}


BALKANS_CENTER = center_of(BALKANS_BOUNDS)
BALKANS_ZOOM = zoom_to_fit(BALKANS_BOUNDS)


def geo_dir() -> Path:
    """Folder holding the shipped GeoJSON (``$BALKAN_WATCH_GEO_DIR`` or ``<repo>/data/geo``)."""
    env = os.environ.get(GEO_DIR_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data" / "geo"


@lru_cache(maxsize=4)
def _document(name: str) -> str:
    return (geo_dir() / name).read_text(encoding="utf-8")


def _collection(name: str) -> dict:
    return json.loads(_document(name))


def geo_metadata(kind: str = "places") -> dict:
    """Source, licence and approximation notes embedded in a shipped file.

    Parameters
    ----------
    kind : {"places", "countries"}

    Returns
    -------
    dict
        The file's top-level ``metadata`` member (a fresh copy).
    """
    name = {"places": PLACES_FILE, "countries": COUNTRIES_FILE}[kind]
    return _collection(name).get("metadata", {})


def _read(name: str, columns: list[str]) -> geopandas.GeoDataFrame:
    import geopandas as gpd

    gdf = gpd.read_file(geo_dir() / name)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    else:
        gdf = gdf.to_crs(4326)
    extra = [c for c in gdf.columns if c not in columns and c not in ("id", "geometry")]
    gdf = gdf[columns + extra + ["geometry"]]
    for col in gdf.columns:
        if col != "geometry" and gdf[col].dtype != bool:
            gdf[col] = gdf[col].astype(object).where(gdf[col].notna(), None)
    gdf.sindex  # noqa: B018 - build the spatial index once, inside the cache
    return gdf


@lru_cache(maxsize=1)
def load_countries() -> geopandas.GeoDataFrame:
    """Countries of the region (focus countries and grey neighbours), clipped to the map bbox.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso2``, ``name``, ``focus`` (bool), ``geometry``; CRS EPSG:4326.
        Cached in-process: treat as read-only (``.copy()`` before changing it).
    """
    return _read(COUNTRIES_FILE, ["iso2", "name", "focus"])


@lru_cache(maxsize=1)
def load_places() -> geopandas.GeoDataFrame:
    """Sub-national places: BiH entities, Kosovo municipalities, Serbian districts, Moldovan regions.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``place_id``, ``name``, ``country``, ``level``, ``group`` (None or e.g.
        ``"XK-NORTH"``), ``name_alt``, ``geometry``; CRS EPSG:4326. Regions (``XK-NORTH``,
        ``RS-VO``) overlap the units they contain. Cached in-process: treat as read-only.
    """
    return _read(PLACES_FILE, ["place_id", "name", "country", "level", "group"])


def _containing(frame, pts, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(point index, polygon index)`` of each polygon of ``frame`` that contains (or touches) a point.

    The spatial index gives the candidates by bounding box; the test of each candidate runs on
    prepared polygons (``intersects_xy``), ten times faster than the index's own predicate query
    and with the same pairs (a point on a boundary counts for both sides, as "intersects" says).
    """
    import shapely

    src, tree = frame.sindex.query(pts)
    if not src.size:
        return src, tree
    geoms = frame.geometry.values
    shapely.prepare(geoms)  # once per process: the frames are cached
    hit = shapely.intersects_xy(geoms[tree], lon[src], lat[src])
    return src[hit], tree[hit]


def locate_many(lats: Iterable[float], lons: Iterable[float]) -> list[tuple[str | None, list[str]]]:
    """Country and places containing each point (vectorised point-in-polygon).

    Parameters
    ----------
    lats, lons : iterable of float
        Latitudes and longitudes in degrees (WGS84), same length. NaN gives ``(None, [])``.

    Returns
    -------
    list of (str or None, list of str)
        For each point: ISO2 code of the country (None outside the shipped countries) and
        the ids of the places of that country containing it, broad units first
        (entity / region, then district, then municipality).
    """
    import shapely

    lat = np.asarray(list(lats) if not hasattr(lats, "__len__") else lats, dtype=float).ravel()
    lon = np.asarray(list(lons) if not hasattr(lons, "__len__") else lons, dtype=float).ravel()
    if lat.shape != lon.shape:
        raise ValueError(f"lats and lons differ in length ({lat.size} != {lon.size})")
    n = lat.size
    result_c: list[str | None] = [None] * n
    result_p: list[list[str]] = [[] for _ in range(n)]
    if n == 0:
        return []
    pts = shapely.points(lon, lat)

    countries = load_countries()
    src, tree = _containing(countries, pts, lon, lat)
    iso = countries["iso2"].to_numpy()
    if src.size:
        order = np.lexsort((tree, src))
        src, tree = src[order], tree[order]
        first = np.unique(src, return_index=True)[1]
        for i, t in zip(src[first], tree[first], strict=True):
            result_c[i] = iso[t]

    places = load_places()
    src, tree = _containing(places, pts, lon, lat)
    if src.size:
        pid = places["place_id"].to_numpy()
        pcountry = places["country"].to_numpy()
        rank = places["level"].map(_LEVEL_RANK).fillna(9).to_numpy()
        order = np.lexsort((tree, rank[tree], src))
        for i, t in zip(src[order], tree[order], strict=True):
            if pcountry[t] == result_c[i]:
                result_p[i].append(pid[t])
    return list(zip(result_c, result_p, strict=True))


def locate(lat: float, lon: float) -> tuple[str | None, list[str]]:
    """Country and places containing one point.

    Parameters
    ----------
    lat, lon : float
        Latitude and longitude in degrees (WGS84).

    Returns
    -------
    (str or None, list of str)
        ISO2 of the country (None if outside all shipped countries) and the place ids
        containing the point, most specific last, e.g. ``("XK", ["XK-NORTH", "XK-ZVECAN"])``.
    """
    return locate_many([lat], [lon])[0]


def countries_geojson(focus_only: bool = False) -> dict[str, Any]:
    """Countries as a GeoJSON FeatureCollection for ``plotly.express.choropleth_map``.

    Parameters
    ----------
    focus_only : bool
        Keep only the nine focus countries.

    Returns
    -------
    dict
        A fresh FeatureCollection; each feature's ``id`` is the ISO2 code
        (use ``featureidkey="id"``); properties ``iso2``, ``name``, ``focus``.
    """
    doc = _collection(COUNTRIES_FILE)
    feats = [f for f in doc["features"] if not focus_only or f["properties"].get("focus")]
    return {"type": "FeatureCollection", "features": feats}


def places_geojson(level: str | None = None) -> dict[str, Any]:
    """Places as a GeoJSON FeatureCollection for ``plotly.express.choropleth_map``.

    Parameters
    ----------
    level : {None, "entity", "region", "district", "municipality"}
        Keep only places of this level (None keeps all; regions overlap their units).

    Returns
    -------
    dict
        A fresh FeatureCollection; each feature's ``id`` is the place_id.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    doc = _collection(PLACES_FILE)
    feats = [f for f in doc["features"] if level is None or f["properties"].get("level") == level]
    return {"type": "FeatureCollection", "features": feats}


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """place_id -> display name, read from the shipped file (no geopandas needed)."""
    return {
        f["properties"]["place_id"]: f["properties"]["name"] for f in _collection(PLACES_FILE)["features"]
    }


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO2 -> display name for every shipped country."""
    return {f["properties"]["iso2"]: f["properties"]["name"] for f in _collection(COUNTRIES_FILE)["features"]}


#: Countries drawn by their sub-national units in the sub-national view.
SUBDIVIDED = ("BA", "RS", "XK", "MD")
_TILING_REGIONS = ("MD-SN", "MD-GA", "MD-REST")


@lru_cache(maxsize=1)
def subnational_geojson() -> dict[str, Any]:
    """One non-overlapping layer for the sub-national map view.

    BiH's entities, Serbia's districts, Kosovo's municipalities and Moldova split into
    Transnistria, Gagauzia and the rest; every other country (focus or context) as a whole.
    Feature ``id`` is the place id or the ISO2 code; ``properties.kind`` says which.
    """
    places = [
        {**f, "properties": {**f["properties"], "kind": "place"}}
        for f in _collection(PLACES_FILE)["features"]
        if f["properties"]["level"] in ("entity", "district", "municipality") or f["id"] in _TILING_REGIONS
    ]
    countries = [
        {**f, "properties": {**f["properties"], "kind": "country"}}
        for f in _collection(COUNTRIES_FILE)["features"]
        if f["id"] not in SUBDIVIDED
    ]
    return {"type": "FeatureCollection", "features": countries + places}
