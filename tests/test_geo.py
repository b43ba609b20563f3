"""Checks of the shipped boundary files (data/geo) and the dashboard.geo API: real files, no mocks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from dashboard import geo  # noqa: E402

GEO_DIR = REPO / "data" / "geo"
EQUAL_AREA = "EPSG:3035"
FOCUS = {"AL", "BA", "XK", "ME", "MK", "RS", "HR", "SI", "MD"}
REQUIRED_IDS = {"BA-SRP", "BA-BIH", "BA-BRC", "XK-NORTH", "MD-SN"}


@pytest.fixture(scope="module")
def countries():
    return geo.load_countries()


@pytest.fixture(scope="module")
def places():
    return geo.load_places()


def test_files_small_and_documented():
    files = [f for f in GEO_DIR.iterdir() if f.is_file()]
    assert sum(f.stat().st_size for f in files) < 1_000_000
    assert (GEO_DIR / "SOURCES.md").exists()
    for name in ("countries.geojson", "places.geojson"):
        meta = json.loads((GEO_DIR / name).read_text(encoding="utf-8"))["metadata"]
        text = json.dumps(meta, ensure_ascii=False)
        assert "world-atlas" in text and "licence" in text
    places_meta = geo.geo_metadata("places")
    assert places_meta["approximate"] is True
    assert any("Brčko" in n for n in places_meta["notes"])


def test_schema(countries, places):
    assert list(countries.columns[:3]) == ["iso2", "name", "focus"]
    assert list(places.columns[:5]) == ["place_id", "name", "country", "level", "group"]
    assert countries.crs.to_epsg() == 4326 and places.crs.to_epsg() == 4326
    assert countries.iso2.is_unique and places.place_id.is_unique
    assert set(countries[countries.focus].iso2) == FOCUS
    assert REQUIRED_IDS <= set(places.place_id)
    assert set(places.level) <= set(geo.LEVELS)
    assert set(places.country) <= set(countries.iso2)
    names = dict(zip(countries.iso2, countries.name, strict=True))
    assert (
        names["BA"] == "Bosnia and Herzegovina"
        and names["MK"] == "North Macedonia"
        and names["XK"] == "Kosovo"
    )
    north = places[places.group == "XK-NORTH"]
    assert len(north) == 4 and set(north.country) == {"XK"}
    assert places[places.place_id == "XK-NORTH"].level.item() == "region"


def test_geometries_valid(countries, places):
    for gdf in (countries, places):
        assert gdf.is_valid.all()
        assert not gdf.is_empty.any()
        assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
        coords = shapely.get_coordinates(gdf.geometry.values)
        assert (abs(coords * 1e4 - (coords * 1e4).round()) < 1e-6).all(), (
            "coordinates not rounded to 4 decimals"
        )


def test_kosovo_is_its_own_polygon(countries):
    xk = countries[countries.iso2 == "XK"].geometry.item()
    rs = countries[countries.iso2 == "RS"].geometry.item()
    assert xk.area > 0.9  # ~10,900 km² in square degrees at 42.5 N
    assert xk.intersection(rs).area < 1e-6


def _area(gdf):
    return gdf.to_crs(EQUAL_AREA).area


def test_bih_entities_tile_bih(countries, places):
    bih = countries[countries.iso2 == "BA"].to_crs(EQUAL_AREA).geometry.item()
    ents = places[places.level == "entity"].to_crs(EQUAL_AREA)
    assert set(ents.place_id) == {"BA-SRP", "BA-BIH", "BA-BRC"}
    g = list(ents.geometry)
    overlap = sum(g[i].intersection(g[j]).area for i in range(3) for j in range(i + 1, 3))
    gap = bih.difference(shapely.union_all(g)).area
    assert overlap < 0.005 * bih.area
    assert gap < 0.005 * bih.area
    km2 = dict(zip(ents.place_id, ents.area / 1e6, strict=True))
    assert 400 < km2["BA-BRC"] < 600  # real district ~493 km²
    assert 20_000 < km2["BA-SRP"] < 30_000 and 20_000 < km2["BA-BIH"] < 30_000


def test_places_inside_their_country(countries, places):
    cgeom = dict(zip(countries.iso2, countries.to_crs(EQUAL_AREA).geometry, strict=True))
    for pid, cc, g in zip(places.place_id, places.country, places.to_crs(EQUAL_AREA).geometry, strict=True):
        assert g.intersection(cgeom[cc]).area >= 0.98 * g.area, pid


@pytest.mark.parametrize(
    ("name", "lat", "lon", "country", "place"),
    [
        ("Brčko", 44.873, 18.811, "BA", "BA-BRC"),
        ("Banja Luka", 44.772, 17.191, "BA", "BA-SRP"),
        ("Sarajevo", 43.856, 18.413, "BA", "BA-BIH"),
        ("Mostar", 43.343, 17.808, "BA", "BA-BIH"),
        ("Bijeljina", 44.757, 19.214, "BA", "BA-SRP"),
        ("Tuzla", 44.538, 18.667, "BA", "BA-BIH"),
        ("Tiraspol", 46.840, 29.643, "MD", "MD-SN"),
        ("Chișinău", 47.011, 28.863, "MD", "MD-REST"),
        ("North Mitrovica", 42.893, 20.866, "XK", "XK-NORTH"),
        ("Zvečan", 42.907, 20.840, "XK", "XK-NORTH"),
        ("Pristina", 42.663, 21.166, "XK", "XK-PRISTINA"),
        ("Belgrade", 44.817, 20.457, "RS", "RS-00"),
        ("Novi Sad", 45.255, 19.845, "RS", "RS-VO"),
        ("Podgorica", 42.441, 19.263, "ME", None),
        ("Skopje", 41.997, 21.428, "MK", None),
        ("Tirana", 41.328, 19.819, "AL", None),
        ("Zagreb", 45.815, 15.982, "HR", None),
        ("Ljubljana", 46.056, 14.506, "SI", None),
        ("Budapest", 47.498, 19.040, "HU", None),
    ],
)
def test_locate_known_towns(name, lat, lon, country, place):
    got_country, got_places = geo.locate(lat, lon)
    assert got_country == country, name
    if place is None:
        assert got_places == []
    else:
        assert place in got_places, (name, got_places)


def test_locate_order_and_outside():
    assert geo.locate(42.893, 20.866) == ("XK", ["XK-NORTH", "XK-NORTH-MITROVICA"])
    assert geo.locate(42.5, 16.0) == (None, [])  # Adriatic
    assert geo.locate(float("nan"), 20.0) == (None, [])


def test_locate_many_matches_locate():
    lats = [44.873, 44.772, 46.840, 42.5, 42.893, 44.817]
    lons = [18.811, 17.191, 29.643, 16.0, 20.866, 20.457]
    assert geo.locate_many(lats, lons) == [geo.locate(a, b) for a, b in zip(lats, lons, strict=True)]
    assert geo.locate_many([], []) == []
    with pytest.raises(ValueError):
        geo.locate_many([1.0, 2.0], [1.0])


def test_geojson_for_plotly():
    c = geo.countries_geojson()
    f = geo.countries_geojson(focus_only=True)
    assert c["type"] == "FeatureCollection"
    assert {x["id"] for x in f["features"]} == FOCUS
    assert len(c["features"]) > len(f["features"])
    ents = geo.places_geojson("entity")
    assert {x["id"] for x in ents["features"]} == {"BA-SRP", "BA-BIH", "BA-BRC"}
    assert {x["id"] for x in geo.places_geojson()["features"]} == set(geo.PLACE_NAMES)
    with pytest.raises(ValueError):
        geo.places_geojson("canton")
    ents["features"].clear()  # callers get fresh copies
    assert len(geo.places_geojson("entity")["features"]) == 3

    import plotly.express as px

    fig = px.choropleth_map(
        {"id": ["BA-SRP", "BA-BIH", "BA-BRC"], "v": [1, 2, 3]},
        geojson=geo.places_geojson("entity"),
        locations="id",
        featureidkey="id",
        color="v",
        map_style="white-bg",
        center=geo.BALKANS_CENTER,
        zoom=geo.BALKANS_ZOOM,
    )
    assert fig.data[0].featureidkey == "id"


def test_names_and_view(countries):
    assert geo.PLACE_NAMES["BA-SRP"] == "Republika Srpska"
    assert geo.PLACE_NAMES["XK-NORTH"] == "North Kosovo"
    assert geo.PLACE_NAMES["MD-SN"] == "Transnistria"
    assert geo.COUNTRY_NAMES == dict(zip(countries.iso2, countries.name, strict=True))
    x0, y0, x1, y1 = countries[countries.focus].total_bounds
    bx0, by0, bx1, by1 = geo.BALKANS_BOUNDS
    assert bx0 <= x0 and by0 <= y0 and bx1 >= x1 and by1 >= y1
    assert 4 <= geo.BALKANS_ZOOM <= 6
    assert by0 < geo.BALKANS_CENTER["lat"] < by1 and bx0 < geo.BALKANS_CENTER["lon"] < bx1


def test_geo_package_does_not_import_streamlit():
    pattern = re.compile(r"^\s*(import|from)\s+streamlit\b|import_module\(.streamlit", re.M)
    for path in (REPO / "dashboard" / "geo").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
    code = (
        "import sys; from dashboard import geo; geo.load_places(); geo.locate(44.8, 20.4); "
        "geo.places_geojson(); geo.PLACE_NAMES; assert 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
