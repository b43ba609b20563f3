#!/usr/bin/env python
"""Rebuild the shipped boundary files in ``data/geo/`` from registry packages.

Sources (both public, both fetched with ordinary package clients):

* countries: npm ``world-atlas@2.0.2`` (ISC licence; Natural Earth 1:10m admin-0),
  file ``countries-10m.json``. Fetched with ``npm pack`` when not cached, or pass
  ``--world-atlas`` (the .tgz, the extracted folder or the .json itself).
* sub-national units: Debian ``qgis-common`` ships ``world_map.gpkg`` whose layer
  ``states_provinces`` is Natural Earth 1:10m admin-1 (public domain). Install it
  with ``apt-get install -y qgis-common`` (or pass ``--apt-install``), or point
  ``--world-map`` at the .gpkg.

Corrections made on top of Natural Earth (all recorded in the files' metadata and
in ``data/geo/SOURCES.md``):

* Brčko District: NE's polygon is ~150 km^2 and misplaced (Brčko town falls in the
  Federation). It is replaced by a hand-drawn approximation of the real district
  (~493 km^2) around Brčko town, bounded by the Sava (the state border) to the
  north, calibrated to the official area and carved out of the entity polygons.
* North Mitrovica: NE has the pre-2013 single Mitrovica municipality; its part
  north of the Ibar in the town is cut out (approximation) as North Mitrovica.
* Every admin-1 unit is clipped to its world-atlas country, gaps are given to the
  neighbouring unit, and all pieces are noded into one polygon coverage before a
  coverage-preserving simplification, so places nest exactly in their country and
  neighbours share borders exactly.

Rebuild::

    .venv/bin/python scripts/build_geo.py            # fetches world-atlas with npm
    .venv/bin/python scripts/build_geo.py --world-atlas /tmp/world-atlas-2.0.2.tgz
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon, box

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "geo"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "balkan-watch"
DEFAULT_WORLD_MAP = Path("/usr/share/qgis/resources/data/world_map.gpkg")

WORLD_ATLAS_VERSION = "2.0.2"
BBOX = (12.5, 38.5, 30.5, 49.0)  # lon_min, lat_min, lon_max, lat_max
GRID = 1e-4  # output coordinates rounded to 4 decimals (snap-rounded, stays valid)
SIMPLIFY_TOLERANCE = 0.005  # degrees (Visvalingam-Whyatt coverage simplification)
EQUAL_AREA = "EPSG:3035"

FOCUS = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "SI", "MD"]

# ISO 3166-1 numeric (world-atlas feature id) -> alpha-2, for everything near the bbox.
NUMERIC_TO_ISO2 = {
    "008": "AL",
    "040": "AT",
    "070": "BA",
    "100": "BG",
    "191": "HR",
    "203": "CZ",
    "276": "DE",
    "300": "GR",
    "348": "HU",
    "380": "IT",
    "498": "MD",
    "499": "ME",
    "616": "PL",
    "642": "RO",
    "688": "RS",
    "703": "SK",
    "705": "SI",
    "792": "TR",
    "804": "UA",
    "807": "MK",
    "674": "SM",
    "336": "VA",
}
COUNTRY_NAMES = {
    "AL": "Albania",
    "AT": "Austria",
    "BA": "Bosnia and Herzegovina",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CZ": "Czechia",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IT": "Italy",
    "MD": "Moldova",
    "ME": "Montenegro",
    "PL": "Poland",
    "RO": "Romania",
    "RS": "Serbia",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "TR": "Türkiye",
    "UA": "Ukraine",
    "MK": "North Macedonia",
    "XK": "Kosovo",
    "SM": "San Marino",
    "VA": "Vatican City",
}

# Serbia: NE gn_name -> (ISO 3166-2, English name, Serbian name). NE's gpkg copy has no iso_3166_2.
SERBIA_DISTRICTS = {
    "Belgrade": ("RS-00", "City of Belgrade", "Grad Beograd"),
    "Severno Backi Okrug": ("RS-01", "North Bačka District", "Severnobački okrug"),
    "Srednje Banatski Okrug": ("RS-02", "Central Banat District", "Srednjobanatski okrug"),
    "Severno Banatski Okrug": ("RS-03", "North Banat District", "Severnobanatski okrug"),
    "Juzhno Banatski Okrug": ("RS-04", "South Banat District", "Južnobanatski okrug"),
    "Zapadno Backi Okrug": ("RS-05", "West Bačka District", "Zapadnobački okrug"),
    "Juzhno Backi Okrug": ("RS-06", "South Bačka District", "Južnobački okrug"),
    "Sremski Okrug": ("RS-07", "Srem District", "Sremski okrug"),
    "Macvanski Okrug": ("RS-08", "Mačva District", "Mačvanski okrug"),
    "Kolubarski Okrug": ("RS-09", "Kolubara District", "Kolubarski okrug"),
    "Podunavski Okrug": ("RS-10", "Podunavlje District", "Podunavski okrug"),
    "Branicevski Okrug": ("RS-11", "Braničevo District", "Braničevski okrug"),
    "Sumadijski Okrug": ("RS-12", "Šumadija District", "Šumadijski okrug"),
    "Pomoravski Okrug": ("RS-13", "Pomoravlje District", "Pomoravski okrug"),
    "Borski Okrug": ("RS-14", "Bor District", "Borski okrug"),
    "Zajecarski Okrug": ("RS-15", "Zaječar District", "Zaječarski okrug"),
    "Zlatiborski Okrug": ("RS-16", "Zlatibor District", "Zlatiborski okrug"),
    "Moravicki Okrug": ("RS-17", "Moravica District", "Moravički okrug"),
    "Raski Okrug": ("RS-18", "Raška District", "Raški okrug"),
    "Rasinski Okrug": ("RS-19", "Rasina District", "Rasinski okrug"),
    "Nisavski Okrug": ("RS-20", "Nišava District", "Nišavski okrug"),
    "Toplicki Okrug": ("RS-21", "Toplica District", "Toplički okrug"),
    "Pirotski Okrug": ("RS-22", "Pirot District", "Pirotski okrug"),
    "Jablanicki Okrug": ("RS-23", "Jablanica District", "Jablanički okrug"),
    "Pcinjski Okrug": ("RS-24", "Pčinja District", "Pčinjski okrug"),
}
VOJVODINA = {"RS-01", "RS-02", "RS-03", "RS-04", "RS-05", "RS-06", "RS-07"}

# Kosovo: NE name (pre-2008 set of 30 municipalities) -> (place_id, name, "Albanian / Serbian").
KOSOVO_MUNICIPALITIES = {
    "Priština": ("XK-PRISTINA", "Pristina", "Prishtinë / Priština"),
    "Prizren": ("XK-PRIZREN", "Prizren", "Prizren / Prizren"),
    "Peć": ("XK-PEJA", "Peja", "Pejë / Peć"),
    "Đakovica": ("XK-GJAKOVA", "Gjakova", "Gjakovë / Đakovica"),
    "Uroševac": ("XK-FERIZAJ", "Ferizaj", "Ferizaj / Uroševac"),
    "Gnjilane": ("XK-GJILAN", "Gjilan", "Gjilan / Gnjilane"),
    "Kosovska Mitrovica": ("XK-SOUTH-MITROVICA", "South Mitrovica", "Mitrovicë e Jugut / Južna Mitrovica"),
    "Vučitrn": ("XK-VUSHTRRI", "Vushtrri", "Vushtrri / Vučitrn"),
    "Podujevo": ("XK-PODUJEVA", "Podujeva", "Podujevë / Podujevo"),
    "Srbica": ("XK-SKENDERAJ", "Skenderaj", "Skenderaj / Srbica"),
    "Glogovac": ("XK-DRENAS", "Drenas", "Drenas / Glogovac"),
    "Obilić": ("XK-OBILIQ", "Obiliq", "Obiliq / Obilić"),
    "Kosovo Polje": ("XK-FUSHE-KOSOVA", "Fushë Kosova", "Fushë Kosovë / Kosovo Polje"),
    "Lipljan": ("XK-LIPJAN", "Lipjan", "Lipjan / Lipljan"),
    "Štimlje": ("XK-SHTIME", "Shtime", "Shtime / Štimlje"),
    "Kačanik": ("XK-KACANIK", "Kaçanik", "Kaçanik / Kačanik"),
    "Štrpce": ("XK-SHTERPCE", "Štrpce", "Shtërpcë / Štrpce"),
    "Dragaš": ("XK-DRAGASH", "Dragash", "Dragash / Dragaš"),
    "Suva Reka": ("XK-SUHAREKA", "Suhareka", "Suharekë / Suva Reka"),
    "Orahovac": ("XK-RAHOVEC", "Rahovec", "Rahovec / Orahovac"),
    "Mališevo": ("XK-MALISHEVA", "Malisheva", "Malishevë / Mališevo"),
    "Klina": ("XK-KLINA", "Klina", "Klinë / Klina"),
    "Istok": ("XK-ISTOG", "Istog", "Istog / Istok"),
    "Dečani": ("XK-DECAN", "Deçan", "Deçan / Dečani"),
    "Vitina": ("XK-VITI", "Viti", "Viti / Vitina"),
    "Kosovska Kamenica": ("XK-KAMENICA", "Kamenica", "Kamenicë / Kamenica"),
    "Novo Brdo": ("XK-NOVO-BRDO", "Novo Brdo", "Novobërdë / Novo Brdo"),
    "Zvečan": ("XK-ZVECAN", "Zvečan", "Zveçan / Zvečan"),
    "Zubin Potok": ("XK-ZUBIN-POTOK", "Zubin Potok", "Zubin Potok / Zubin Potok"),
    "Leposavić": ("XK-LEPOSAVIC", "Leposavić", "Leposaviq / Leposavić"),
}
NORTH_MITROVICA = ("XK-NORTH-MITROVICA", "North Mitrovica", "Mitrovicë e Veriut / Severna Mitrovica")
XK_NORTH_MEMBERS = ["XK-NORTH-MITROVICA", "XK-ZVECAN", "XK-ZUBIN-POTOK", "XK-LEPOSAVIC"]
# North Mitrovica (approximation): the part of NE's Mitrovica north of the Ibar in town,
# i.e. lat > ~42.888 (the river at the main bridge, 42.8895 N 20.8665 E), lon 20.85-20.895.
NORTH_MITROVICA_CUT = Polygon(
    [(20.850, 42.8885), (20.870, 42.8890), (20.895, 42.8875), (20.895, 42.925), (20.850, 42.925)]
)

# Moldova: NE units on the left bank of the Dniester plus Bender (NE merges Bender,
# Tiraspol and Slobozia into one unit); Comrat = Gagauzia.
MOLDOVA_LEFT_BANK = {"Camenca", "Stîngă Nistrului", "Grigoriopol", "Transnistria", "Bender"}

# Brčko District (approximation): outline drawn around the real district (Brčko town on
# the Sava, Brezovo Polje to the east, Brka/Maoča lobe to the south-west), with its
# northern edge beyond the Sava so that the state border clips it. Scaled about
# BRCKO_ANCHOR so that the clipped area equals BRCKO_AREA_KM2.
BRCKO_OUTLINE = [
    (18.73, 44.975),
    (18.80, 44.95),
    (18.86, 44.92),
    (18.93, 44.90),
    (18.985, 44.885),
    (18.985, 44.845),
    (18.93, 44.81),
    (18.87, 44.79),
    (18.83, 44.755),
    (18.77, 44.72),
    (18.70, 44.70),
    (18.63, 44.715),
    (18.59, 44.76),
    (18.58, 44.81),
    (18.61, 44.86),
    (18.66, 44.905),
    (18.70, 44.94),
]
BRCKO_ANCHOR = (18.79, 44.86)
BRCKO_AREA_KM2 = 493.0

CHECK_POINTS = {  # name: (lat, lon, expected country, expected place id or None)
    "Brčko": (44.873, 18.811, "BA", "BA-BRC"),
    "Banja Luka": (44.772, 17.191, "BA", "BA-SRP"),
    "Sarajevo": (43.856, 18.413, "BA", "BA-BIH"),
    "Mostar": (43.343, 17.808, "BA", "BA-BIH"),
    "Bijeljina": (44.757, 19.214, "BA", "BA-SRP"),
    "Tuzla": (44.538, 18.667, "BA", "BA-BIH"),
    "North Mitrovica": (42.893, 20.866, "XK", "XK-NORTH"),
    "Zvečan": (42.907, 20.840, "XK", "XK-NORTH"),
    "Tiraspol": (46.840, 29.643, "MD", "MD-SN"),
    "Belgrade": (44.817, 20.457, "RS", "RS-00"),
    "Pristina": (42.663, 21.166, "XK", "XK-PRISTINA"),
    "Comrat": (46.300, 28.657, "MD", "MD-GA"),
    "Novi Sad": (45.255, 19.845, "RS", "RS-VO"),
}


# --------------------------------------------------------------------------- inputs
def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def world_atlas_json(arg: str | None, cache: Path) -> Path:
    """Return the path of countries-10m.json, running ``npm pack`` if needed."""
    if arg:
        p = Path(arg)
        if p.is_dir():
            for cand in (p / "countries-10m.json", p / "package" / "countries-10m.json"):
                if cand.exists():
                    return cand
            raise SystemExit(f"no countries-10m.json under {p}")
        if p.suffix == ".json":
            return p
        tgz = p
    else:
        tgz = cache / f"world-atlas-{WORLD_ATLAS_VERSION}.tgz"
        if not tgz.exists():
            if not shutil.which("npm"):
                raise SystemExit("npm not found: install it or pass --world-atlas")
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp:
                run(["npm", "pack", f"world-atlas@{WORLD_ATLAS_VERSION}", "--silent"], cwd=tmp)
                shutil.move(str(Path(tmp) / tgz.name), tgz)
    dest = cache / f"world-atlas-{WORLD_ATLAS_VERSION}"
    out = dest / "package" / "countries-10m.json"
    if not out.exists():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz) as tf:
            members = [
                m for m in tf.getmembers() if m.name in ("package/countries-10m.json", "package/package.json")
            ]
            tf.extractall(dest, members=members, filter="data")
    version = (
        json.loads((out.parent / "package.json").read_text())["version"]
        if (out.parent / "package.json").exists()
        else "?"
    )
    if version != WORLD_ATLAS_VERSION:
        print(f"warning: world-atlas version {version}, expected {WORLD_ATLAS_VERSION}", file=sys.stderr)
    return out


def world_map_gpkg(arg: str | None, apt_install: bool) -> tuple[Path, str]:
    """Return (path of world_map.gpkg, qgis-common version)."""
    p = Path(arg) if arg else DEFAULT_WORLD_MAP
    if not p.exists() and not arg and apt_install:
        run(["apt-get", "install", "-y", "qgis-common"])
    if not p.exists():
        raise SystemExit(
            f"{p} not found: run `apt-get update && apt-get install -y qgis-common` "
            "(or pass --apt-install / --world-map PATH)"
        )
    version = "unknown"
    try:
        version = run(["dpkg-query", "-W", "-f=${Version}", "qgis-common"]).stdout.strip() or version
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    return p, version


# --------------------------------------------------------------------------- geometry helpers
def polygonal(g):
    """Keep only the polygonal part of ``g`` (after make_valid) as a (Multi)Polygon or None."""
    if g is None or g.is_empty:
        return None
    g = shapely.make_valid(g)
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    if not parts:
        # GeometryCollection nested case
        parts = [q for p in shapely.get_parts(g) for q in shapely.get_parts(p) if q.geom_type == "Polygon"]
    if not parts:
        return None
    return shapely.union_all(parts)


def km2(geoms) -> np.ndarray:
    return gpd.GeoSeries(list(geoms), crs=4326).to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def assign_parts(parts, pieces: dict[str, object]) -> None:
    """Give each polygon in ``parts`` to the piece sharing the longest border (else nearest)."""
    for part in parts:
        if part.is_empty or part.area == 0:
            continue
        best, best_len = None, 0.0
        ring = part.boundary
        for pid, g in pieces.items():
            if g is None:
                continue
            shared = ring.intersection(g.buffer(1e-7)).length
            if shared > best_len:
                best, best_len = pid, shared
        if best is None:
            best = min(
                (pid for pid, g in pieces.items() if g is not None), key=lambda k: pieces[k].distance(part)
            )
        pieces[best] = shapely.union(pieces[best], part)


def tile(country, units: list[tuple[str, object]]) -> dict[str, object]:
    """Clip units to ``country``, make them disjoint, give the gaps to neighbours."""
    pieces: dict[str, object] = {}
    taken = None
    for uid, g in units:
        g = polygonal(shapely.intersection(shapely.make_valid(g), country))
        if g is None:
            continue
        if taken is not None:
            g = polygonal(shapely.difference(g, taken))
            if g is None:
                continue
        pieces[uid] = g if uid not in pieces else shapely.union(pieces[uid], g)
        taken = g if taken is None else shapely.union(taken, g)
    gap = polygonal(shapely.difference(country, taken))
    if gap is not None:
        assign_parts(shapely.get_parts(gap), pieces)
    return pieces


def node_and_simplify(ids: list[str], geoms: list, tolerance: float) -> dict[str, object]:
    """Snap-round all pieces onto the output grid as one noded coverage, then simplify it.

    The linework of every piece is unioned at ``GRID`` precision (fully noded, every vertex
    on the 4-decimal grid), polygonized into faces, and each face goes to the piece that
    overlaps it most. Coverage simplification only drops vertices, so the result stays
    on the grid, non-overlapping and edge-matched.
    """
    geoms = np.array(geoms, dtype=object)
    lines = shapely.union_all(shapely.boundary(geoms), grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree(geoms)
    fi, pi = tree.query(faces, predicate="intersects")
    inter = shapely.area(shapely.intersection(faces[fi], geoms[pi]))
    best: dict[int, tuple[float, int]] = {}
    for f, p, a in zip(fi, pi, inter, strict=True):
        if a > best.get(f, (0.0, -1))[0]:
            best[f] = (a, p)
    groups: dict[int, list] = {}
    dropped = 0.0
    for f, face in enumerate(faces):
        a, p = best.get(f, (0.0, -1))
        if p < 0 or a < 0.5 * face.area:  # sea or outside the coverage
            dropped += face.area if p >= 0 else 0
            continue
        groups.setdefault(p, []).append(face)
    noded = [shapely.coverage_union_all(groups[i]) if i in groups else None for i in range(len(ids))]
    missing = [ids[i] for i, g in enumerate(noded) if g is None]
    if missing:
        raise SystemExit(f"pieces lost while noding: {missing}")
    noded = np.array(noded, dtype=object)
    if not shapely.coverage_is_valid(noded):
        bad = shapely.coverage_invalid_edges(noded)
        print(
            f"warning: noded coverage has {int((~shapely.is_empty(bad)).sum())} invalid edges",
            file=sys.stderr,
        )
    simplified = shapely.coverage_simplify(noded, tolerance)
    simplified = shapely.set_precision(simplified, GRID)  # no-op on grid coordinates; guards rounding
    out = {}
    for pid, g in zip(ids, simplified, strict=True):
        g = polygonal(g) if not g.is_valid else g
        out[pid] = shapely.normalize(g)
    return out


# --------------------------------------------------------------------------- build
def build(args) -> None:
    cache = Path(args.cache_dir)
    wa_path = world_atlas_json(args.world_atlas, cache)
    gpkg, qgis_version = world_map_gpkg(args.world_map, args.apt_install)
    region = box(*BBOX)

    # ---- countries (world-atlas admin-0)
    wa = gpd.read_file(wa_path, layer="countries")
    wa = wa[wa.intersects(region)].copy()
    iso = []
    for fid, name in zip(wa["id"], wa["name"], strict=True):
        if name == "Kosovo":
            iso.append("XK")
        elif isinstance(fid, str) and fid in NUMERIC_TO_ISO2:
            iso.append(NUMERIC_TO_ISO2[fid])
        else:
            raise SystemExit(f"unmapped world-atlas feature id={fid!r} name={name!r}")
    wa["iso2"] = iso
    countries = {}
    for code, g in zip(wa["iso2"], wa.geometry, strict=True):
        g = polygonal(shapely.intersection(shapely.make_valid(g), region))
        if g is not None and code in COUNTRY_NAMES:
            countries[code] = g
    for code in FOCUS:
        if code not in countries:
            raise SystemExit(f"focus country {code} missing from world-atlas")

    # ---- admin-1 (Natural Earth via qgis-common)
    a1 = gpd.read_file(gpkg, layer="states_provinces", where="adm0_a3 IN ('BIH','KOS','SRB','MDA')")
    a1["geometry"] = a1.geometry.make_valid()
    pieces: dict[str, object] = {}  # piece_id -> geometry (finest units; they tile each country)
    piece_country: dict[str, str] = {}
    meta: dict[str, dict] = {}  # place_id -> properties
    notes: list[str] = []

    # Bosnia and Herzegovina: three entities, Brčko corrected.
    bih = a1[a1.adm0_a3 == "BIH"]
    ne_brc = bih[bih.name.str.startswith("Brčko")]
    if len(ne_brc) != 1:
        raise SystemExit("Natural Earth Brčko District not found")
    units = [
        ("BA-BIH", shapely.union_all(bih[bih.gu_a3 == "BHF"].geometry.values)),
        (
            "BA-SRP",
            shapely.union_all(bih[(bih.gu_a3 == "BIS") & ~bih.index.isin(ne_brc.index)].geometry.values),
        ),
        ("NE-BRC", ne_brc.geometry.iloc[0]),
    ]
    ba = tile(countries["BA"], units)
    ne_brc_km2 = float(km2([ne_brc.geometry.iloc[0]])[0])
    outline = Polygon(BRCKO_OUTLINE)

    def brcko(scale: float):
        return polygonal(
            shapely.intersection(affinity.scale(outline, scale, scale, origin=BRCKO_ANCHOR), countries["BA"])
        )

    lo, hi = 0.5, 1.5
    for _ in range(40):  # calibrate the outline to the official area
        mid = (lo + hi) / 2
        if km2([brcko(mid)])[0] < BRCKO_AREA_KM2:
            lo = mid
        else:
            hi = mid
    brc = brcko((lo + hi) / 2)
    fed = polygonal(shapely.difference(ba["BA-BIH"], brc))
    srp = polygonal(shapely.difference(ba["BA-SRP"], brc))
    rest = polygonal(shapely.difference(ba["NE-BRC"], brc))
    ba_pieces = {"BA-BIH": fed, "BA-SRP": srp}
    if rest is not None:
        assign_parts(shapely.get_parts(rest), ba_pieces)
    ba_pieces["BA-BRC"] = brc
    for pid, g in ba_pieces.items():
        pieces[pid] = g
        piece_country[pid] = "BA"
    meta["BA-SRP"] = dict(name="Republika Srpska", level="entity", name_alt="Република Српска")
    meta["BA-BIH"] = dict(
        name="Federation of Bosnia and Herzegovina", level="entity", name_alt="Federacija Bosne i Hercegovine"
    )
    meta["BA-BRC"] = dict(name="Brčko District", level="entity", name_alt="Brčko distrikt")
    notes.append(
        f"Brčko District (BA-BRC) is an approximation: Natural Earth's polygon ({ne_brc_km2:.0f} km²) is far too "
        "small and misplaced (Brčko town fell in the Federation), so it was replaced by a hand-drawn outline around "
        f"the real district, bounded by the Sava (state border) to the north and scaled to {BRCKO_AREA_KM2:.0f} km²; "
        "the area was carved from the neighbouring entities and NE's old polygon given back to them."
    )
    notes.append(
        "The inter-entity boundary line (Republika Srpska / Federation) follows Natural Earth's coarse "
        "admin-1 drawing and is approximate: do not use it for precise attribution near the line."
    )

    # Kosovo: 30 NE municipalities, Mitrovica split into North/South.
    kos = a1[a1.adm0_a3 == "KOS"]
    missing = set(kos.name) - set(KOSOVO_MUNICIPALITIES)
    if missing:
        raise SystemExit(f"unknown Kosovo units in Natural Earth: {sorted(missing)}")
    xk = tile(
        countries["XK"],
        [(KOSOVO_MUNICIPALITIES[n][0], g) for n, g in zip(kos.name, kos.geometry, strict=True)],
    )
    mitro = xk.pop("XK-SOUTH-MITROVICA")
    north = polygonal(shapely.intersection(mitro, NORTH_MITROVICA_CUT))
    south = polygonal(shapely.difference(mitro, NORTH_MITROVICA_CUT))
    xk["XK-NORTH-MITROVICA"], xk["XK-SOUTH-MITROVICA"] = north, south
    for pid, g in xk.items():
        pieces[pid] = g
        piece_country[pid] = "XK"
    for pid, nm, alt in [*KOSOVO_MUNICIPALITIES.values(), NORTH_MITROVICA]:
        meta[pid] = dict(
            name=nm, level="municipality", name_alt=alt, group="XK-NORTH" if pid in XK_NORTH_MEMBERS else None
        )
    notes.append(
        "Kosovo municipalities are Natural Earth's pre-2008 set of 30; the municipalities created since "
        "(Gračanica, Junik, Hani i Elezit, Klokot, Mamuša, Parteš, Ranilug) lie inside their parent "
        "municipality. North Mitrovica (XK-NORTH-MITROVICA) is an approximation cut from NE's single "
        "Mitrovica municipality along the Ibar in town; the rest is labelled South Mitrovica."
    )

    # Serbia: 25 districts (without Kosovo).
    srb = a1[a1.adm0_a3 == "SRB"]
    missing = set(srb.gn_name) - set(SERBIA_DISTRICTS)
    if missing or len(srb) != 25:
        raise SystemExit(
            f"unexpected Serbian units in Natural Earth: {sorted(map(str, missing))} (n={len(srb)})"
        )
    rs = tile(
        countries["RS"], [(SERBIA_DISTRICTS[n][0], g) for n, g in zip(srb.gn_name, srb.geometry, strict=True)]
    )
    for pid, g in rs.items():
        pieces[pid] = g
        piece_country[pid] = "RS"
    for pid, nm, alt in SERBIA_DISTRICTS.values():
        meta[pid] = dict(name=nm, level="district", name_alt=alt)

    # Moldova: Transnistria (left bank + Bender), Gagauzia, rest.
    mda = a1[a1.adm0_a3 == "MDA"]
    left = mda.name.isin(MOLDOVA_LEFT_BANK) | (
        (mda.name == "Rezina") & mda.gn_name.isna()
    )  # NE's left-bank Rezina = Rîbnița
    gag = mda.name == "Comrat"
    md = tile(
        countries["MD"],
        [
            ("MD-SN", shapely.union_all(mda[left].geometry.values)),
            ("MD-GA", shapely.union_all(mda[gag].geometry.values)),
            ("MD-REST", shapely.union_all(mda[~left & ~gag].geometry.values)),
        ],
    )
    for pid, g in md.items():
        pieces[pid] = g
        piece_country[pid] = "MD"
    meta["MD-SN"] = dict(name="Transnistria", level="region", name_alt="Stînga Nistrului / Приднестровье")
    meta["MD-GA"] = dict(name="Gagauzia", level="region", name_alt="Găgăuzia / Gagauz Yeri")
    meta["MD-REST"] = dict(name="Moldova (rest)", level="region", name_alt=None)
    notes.append(
        "Transnistria (MD-SN) is the Natural Earth left-bank units plus its 'Bender' unit (Bender, Tiraspol, "
        "Slobozia), i.e. roughly the area controlled by the Tiraspol authorities; boundaries are approximate. "
        "MD-REST is Moldova without Transnistria and Gagauzia."
    )

    # Countries that are not subdivided are one piece each.
    for code, g in countries.items():
        if code not in ("BA", "XK", "RS", "MD"):
            pieces[code] = g
            piece_country[code] = code

    ids = list(pieces)
    final = node_and_simplify(ids, [pieces[i] for i in ids], args.tolerance)

    # ---- assemble outputs
    def union(pids):
        return shapely.normalize(shapely.coverage_union_all([final[p] for p in pids]))

    country_feats = []
    for code in sorted(countries, key=lambda c: (c not in FOCUS, COUNTRY_NAMES[c])):
        g = union([p for p in ids if piece_country[p] == code])
        country_feats.append((dict(iso2=code, name=COUNTRY_NAMES[code], focus=code in FOCUS), g))

    place_feats = []
    order = ["BA-SRP", "BA-BIH", "BA-BRC"]
    for pid in order:
        place_feats.append((pid, final[pid]))
    place_feats.append(("XK-NORTH", union(XK_NORTH_MEMBERS)))
    meta["XK-NORTH"] = dict(name="North Kosovo", level="region", name_alt="Veriu i Kosovës / Sever Kosova")
    for pid in sorted(xk):
        place_feats.append((pid, final[pid]))
    place_feats.append(("RS-VO", union(sorted(VOJVODINA))))
    meta["RS-VO"] = dict(name="Vojvodina", level="region", name_alt="Vojvodina / Војводина")
    for pid in sorted(rs):
        place_feats.append((pid, final[pid]))
    for pid in ["MD-SN", "MD-GA", "MD-REST"]:
        place_feats.append((pid, final[pid]))
    country_of = {**piece_country, "XK-NORTH": "XK", "RS-VO": "RS"}
    a_srp, a_fed = km2([final["BA-SRP"], final["BA-BIH"]])
    notes.append(
        f"Because of that line, areas are off: Republika Srpska {a_srp:,.0f} km² and the Federation "
        f"{a_fed:,.0f} km² here, against about 24,600 and 26,100 km² officially."
    )
    notes.append(
        "North Kosovo (XK-NORTH) is the union of Leposavić, Zvečan, Zubin Potok and the approximate "
        "North Mitrovica. Vojvodina (RS-VO) is the union of its seven districts."
    )

    now = dt.date.today().isoformat()
    common_meta = {
        "generated": now,
        "generator": "scripts/build_geo.py",
        "rebuild": ".venv/bin/python scripts/build_geo.py",
        "crs": "EPSG:4326 (lon/lat)",
        "bbox": list(BBOX),
        "coordinate_precision": "4 decimals (snap-rounded to a 1e-4 degree grid)",
        "simplification": f"shapely.coverage_simplify (Visvalingam-Whyatt, tolerance {args.tolerance} deg) on one "
        "noded coverage of all units, so shared borders stay identical",
    }
    wa_src = {
        "package": f"npm world-atlas@{WORLD_ATLAS_VERSION}",
        "file": "countries-10m.json",
        "licence": "ISC (world-atlas); data Natural Earth 1:10m admin-0 v4.1, public domain",
    }
    ne_src = {
        "package": f"Debian qgis-common {qgis_version}",
        "file": "resources/data/world_map.gpkg, layer states_provinces",
        "licence": "Natural Earth 1:10m admin-1, public domain",
    }
    countries_doc = feature_collection(
        [(p["iso2"], p, g) for p, g in country_feats],
        {
            **common_meta,
            "title": "Countries of the Western Balkans and neighbours (clipped to bbox)",
            "sources": [wa_src],
            "notes": [
                "Kosovo (XK, user-assigned code) is its own polygon, cut out of Serbia as in world-atlas. "
                "Neighbour countries are clipped to the bbox and are context only (focus=false).",
                "Country outlines were noded together with the sub-national units so every place nests "
                "exactly inside its country.",
            ],
        },
    )
    places_doc = feature_collection(
        [
            (
                pid,
                dict(
                    place_id=pid,
                    name=meta[pid]["name"],
                    country=country_of[pid],
                    level=meta[pid]["level"],
                    group=meta[pid].get("group"),
                    name_alt=meta[pid].get("name_alt"),
                ),
                g,
            )
            for pid, g in place_feats
        ],
        {
            **common_meta,
            "title": "Sub-national places: BiH entities, Kosovo municipalities, Serbian districts, Moldova",
            "sources": [ne_src, wa_src],
            "approximate": True,
            "notes": notes,
        },
    )

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, doc in (("countries.geojson", countries_doc), ("places.geojson", places_doc)):
        (out / name).write_text(
            json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
    write_sources(out, qgis_version, ne_brc_km2, notes, args.tolerance)
    report(out)


def feature_collection(items, metadata) -> dict:
    feats = []
    for fid, props, geom in items:
        gj = shapely.geometry.mapping(geom)
        feats.append({"type": "Feature", "id": fid, "properties": props, "geometry": round_coords(gj)})
    return {"type": "FeatureCollection", "metadata": metadata, "features": feats}


def round_coords(gj: dict) -> dict:
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), 4), round(float(c[1]), 4)]
        return [r(x) for x in c]

    return {"type": gj["type"], "coordinates": r(gj["coordinates"])}


def write_sources(
    out: Path, qgis_version: str, ne_brc_km2: float, notes: list[str], tolerance: float
) -> None:
    text = f"""# Boundary data in `data/geo/`

Generated by `scripts/build_geo.py`; do not edit the GeoJSON by hand. Each GeoJSON also carries a
top-level `"metadata"` member with the same source, licence and approximation notes.

| file | content | source | licence |
|---|---|---|---|
| `countries.geojson` | 9 focus countries (AL, BA, XK, ME, MK, RS, HR, SI, MD) + neighbours as grey context, clipped to lon {BBOX[0]}–{BBOX[2]}, lat {BBOX[1]}–{BBOX[3]}; properties `iso2`, `name`, `focus`; feature `id` = iso2 | npm `world-atlas@{WORLD_ATLAS_VERSION}`, `countries-10m.json` (Natural Earth 1:10m admin-0 v4.1) | world-atlas: ISC; Natural Earth: public domain |
| `places.geojson` | BiH entities, Kosovo municipalities + North Kosovo, Serbian districts + Vojvodina, Transnistria / Gagauzia / rest of Moldova; properties `place_id`, `name`, `country`, `level`, `group`, `name_alt`; feature `id` = place_id | Debian `qgis-common` {qgis_version}, `/usr/share/qgis/resources/data/world_map.gpkg`, layer `states_provinces` (Natural Earth 1:10m admin-1) | Natural Earth: public domain |

Levels: `entity` (BA-SRP, BA-BIH, BA-BRC), `region` (XK-NORTH, RS-VO, MD-SN, MD-GA, MD-REST),
`district` (Serbia, RS-00 … RS-24 = ISO 3166-2), `municipality` (Kosovo, `XK-<NAME>`; the four
northern ones have `group: "XK-NORTH"`). Regions overlap the units they contain.

## Processing
- Kosovo is matched in world-atlas by `properties.name == "Kosovo"` (it has no id) and given the
  user-assigned code XK; "Bosnia and Herz." / "Macedonia" / "Turkey" are renamed to
  Bosnia and Herzegovina / North Macedonia / Türkiye.
- Every admin-1 unit is clipped to its world-atlas country; overlaps are removed and gaps given to
  the unit sharing the longest border, so the units tile their country.
- All units and countries are noded into one polygon coverage on a 1e-4° grid (4 decimals) and
  simplified together with `shapely.coverage_simplify` (tolerance {tolerance}°), so shared borders
  stay identical, nothing overlaps and every geometry is valid.

## Corrections and approximations (why)
{chr(10).join("- " + n for n in notes)}
- Known-town checks run by the build (and by `tests/test_geo.py`): Brčko → BA-BRC, Banja Luka and
  Bijeljina → BA-SRP, Sarajevo, Mostar and Tuzla → BA-BIH, North Mitrovica and Zvečan → XK-NORTH,
  Tiraspol → MD-SN, Belgrade → RS. Natural Earth's own Brčko polygon measured {ne_brc_km2:.0f} km².

## Rebuild
```
apt-get update && apt-get install -y qgis-common      # Natural Earth admin-1 (world_map.gpkg)
.venv/bin/python scripts/build_geo.py                 # runs `npm pack world-atlas@{WORLD_ATLAS_VERSION}` if not cached
# or: .venv/bin/python scripts/build_geo.py --world-atlas path/to/world-atlas-{WORLD_ATLAS_VERSION}.tgz --world-map path/to/world_map.gpkg
```
The npm tarball is cached in `~/.cache/balkan-watch/`.
"""
    (out / "SOURCES.md").write_text(text, encoding="utf-8")


def report(out: Path) -> None:
    c = gpd.read_file(out / "countries.geojson")
    p = gpd.read_file(out / "places.geojson")
    ok = True
    for name, (lat, lon, cc, pid) in CHECK_POINTS.items():
        pt = Point(lon, lat)
        got_c = c[c.contains(pt)].iso2.tolist()
        got_p = p[p.contains(pt)].place_id.tolist()
        good = got_c == [cc] and (pid in got_p)
        ok &= good
        print(f"{'ok ' if good else 'BAD'} {name:16s} -> {got_c} {got_p}")
    bad = (~c.is_valid).sum() + (~p.is_valid).sum()
    print(f"invalid geometries: {bad}")
    sel = p[
        p.place_id.isin(["BA-SRP", "BA-BIH", "BA-BRC", "XK-NORTH", "XK-NORTH-MITROVICA", "MD-SN", "MD-GA"])
    ]
    for pid, a in zip(sel.place_id, km2(sel.geometry), strict=True):
        print(f"area {pid:20s} {a:9.1f} km²")
    total = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(
        f"data/geo total: {total / 1024:.1f} KiB; vertices countries={shapely.get_num_coordinates(c.geometry.values).sum()} "
        f"places={shapely.get_num_coordinates(p.geometry.values).sum()}"
    )
    if not ok or bad:
        raise SystemExit("checks failed")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--world-atlas", help="world-atlas .tgz, extracted folder or countries-10m.json")
    ap.add_argument("--world-map", help="path of qgis-common's world_map.gpkg")
    ap.add_argument("--apt-install", action="store_true", help="apt-get install qgis-common if missing")
    ap.add_argument("--cache-dir", default=str(DEFAULT_CACHE))
    ap.add_argument("--out-dir", default=str(DEFAULT_OUT))
    ap.add_argument("--tolerance", type=float, default=SIMPLIFY_TOLERANCE)
    build(ap.parse_args(argv))


if __name__ == "__main__":
    main()
