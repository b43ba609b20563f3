"""Import rates of event datasets on generated files in their layouts (synthetic, never real data).

ACLED: a 31-column export (the layout since 2023) of ``acled_rows`` rows across the region's
countries and entities; parsing alone, then the whole ingest into a fresh SQLite file (checks,
places from coordinates, writes), on one core.
GDELT: a 2.0 events file of 200,000 rows (about a day of 15-minute exports) where one row in 25 is
in the region; reading and filtering it, then importing only the region's rows.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
import time
from pathlib import Path

from bench.timing import median

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# (iso, country, admin1, admin2, location, lat, lon)
PLACES = [
    (70, "Bosnia and Herzegovina", "Republika Srpska", "Banja Luka", "Banja Luka", 44.7722, 17.1910),
    (70, "Bosnia and Herzegovina", "Federacija Bosne i Hercegovine", "Sarajevo", "Sarajevo", 43.8563, 18.4131),
    (70, "Bosnia and Herzegovina", "Brcko", "Brcko", "Brcko", 44.8727, 18.8106),
    (0, "Kosovo", "Mitrovica", "Zvecan", "Zvecan", 42.9075, 20.8404),
    (0, "Kosovo", "Prishtina", "Prishtine", "Pristina", 42.6629, 21.1655),
    (688, "Serbia", "Belgrade", "Stari Grad", "Belgrade", 44.8176, 20.4633),
    (688, "Serbia", "South Backa", "Novi Sad", "Novi Sad", 45.2671, 19.8335),
    (499, "Montenegro", "Podgorica", "Podgorica", "Podgorica", 42.4304, 19.2594),
    (807, "North Macedonia", "Skopje", "Centar", "Skopje", 41.9981, 21.4254),
    (8, "Albania", "Tirane", "Tirane", "Tirana", 41.3275, 19.8187),
]
TYPES = [
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Political violence", "Riots", "Violent demonstration"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Strategic developments", "Strategic developments", "Arrests"),
]


def acled_export(rows: int, seed: int = 7) -> bytes:
    """A synthetic ACLED export (31 columns) of ``rows`` rows; notes say "Synthetic benchmark row"."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ACLED_COLUMNS)
    for i in range(rows):
        iso, country, admin1, admin2, location, lat, lon = PLACES[i % len(PLACES)]
        disorder, event_type, sub = TYPES[rng.randrange(len(TYPES))]
        day = f"{2019 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        writer.writerow([
            f"SYN{i}", day, day[:4], rng.choice("1112"), disorder, event_type, sub, f"Protesters ({country})", "",
            "Protesters", "", "", "", "Protesters only", "", iso, "Europe", country, admin1, admin2, "", location,
            f"{lat + rng.uniform(-0.01, 0.01):.4f}", f"{lon + rng.uniform(-0.01, 0.01):.4f}", "1",
            "Synthetic Outlet", "National", f"Synthetic benchmark row {i}, not news, with a note, a comma.",
            rng.choice("0001"), "", 1_700_000_000 + i,
        ])
    return out.getvalue().encode("utf-8")


def gdelt_export(rows: int, every: int = 25, seed: int = 7) -> bytes:
    """A synthetic GDELT 2.0 events file: one row in ``every`` in the region, the rest elsewhere
    (Moscow, Bahrain, Dhaka: the FIPS traps RS, BA, BG)."""
    from dashboard.ingest.gdelt import COLUMNS_V2

    rng = random.Random(seed)
    index = {name: k for k, name in enumerate(COLUMNS_V2)}
    region = [("RI", "Belgrade, Central Serbia, Serbia", 44.8176, 20.4633, "SRB"),
              ("BK", "Sarajevo, Federation of Bosnia and Herzegovina, Bosnia and Herzegovina", 43.8563, 18.4131, "BIH"),
              ("KV", "Pristina, Kosovo", 42.6629, 21.1655, "KSV"),
              ("MJ", "Podgorica, Podgorica, Montenegro", 42.4304, 19.2594, "MNE")]
    elsewhere = [("RS", "Moscow, Moskva, Russia", 55.75, 37.62, "RUS"), ("BA", "Bahrain", 26.03, 50.55, "BHR"),
                 ("BG", "Dhaka, Dhaka, Bangladesh", 23.72, 90.41, "BGD")]
    lines = []
    for i in range(rows):
        fips, name, lat, lon, cameo = (region[i // every % 4] if i % every == 0 else elsewhere[i % 3])
        f = [""] * len(COLUMNS_V2)
        code = rng.choice(["141", "042", "190", "0311", "112"])
        values = {
            "GLOBALEVENTID": str(3_000_000_000 + i), "SQLDATE": "20240105", "MonthYear": "202401", "Year": "2024",
            "FractionDate": "2024.0110", "Actor1Code": cameo, "Actor1Name": "SYNTHETIC ACTOR",
            "Actor1CountryCode": cameo, "IsRootEvent": "1", "EventCode": code, "EventBaseCode": code[:3],
            "EventRootCode": code[:2], "QuadClass": "3", "GoldsteinScale": "-6.5", "NumMentions": "4",
            "NumSources": str(1 + i % 3), "NumArticles": "4", "AvgTone": "-3.2", "Actor1Geo_Type": "4",
            "Actor1Geo_FullName": name, "Actor1Geo_CountryCode": fips, "ActionGeo_Type": "4",
            "ActionGeo_FullName": name, "ActionGeo_CountryCode": fips, "ActionGeo_ADM1Code": fips + "00",
            "ActionGeo_Lat": f"{lat:.4f}", "ActionGeo_Long": f"{lon:.4f}", "ActionGeo_FeatureID": "-1",
            "DATEADDED": "20240105120000", "SOURCEURL": f"https://example.org/synthetic/{i}",
        }
        for name_, value in values.items():
            f[index[name_]] = value
        lines.append("\t".join(f))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _ingest_seconds(data: bytes, name: str) -> tuple[float, int]:
    from dashboard.ingest.pipeline import ingest_file
    from dashboard.store import open_engine

    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'datasets.db'}")
        t0 = time.perf_counter()
        report = ingest_file(engine, Path(name), data=data, name=name)
        seconds = time.perf_counter() - t0
        engine.dispose()
    return seconds, report.events_created


def run(acled_rows: int = 20_000, gdelt_rows: int = 200_000, repeat: int = 3, progress=None) -> dict:
    """Rows per second (medians of ``repeat`` runs) for parsing and importing both datasets."""
    from dashboard.ingest.acled import read_acled
    from dashboard.ingest.gdelt import read_gdelt

    acled = acled_export(acled_rows)
    parse, imports, stored = [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(1 for _line, item in read_acled(acled) if isinstance(item, dict))
        parse.append(n / (time.perf_counter() - t0))
        seconds, stored = _ingest_seconds(acled, "acled_synthetic.csv")
        imports.append(stored / seconds)
    if progress:
        progress(f"  ACLED {acled_rows:,} rows: parse {median(parse):,.0f}/s, import {median(imports):,.0f}/s")
    gdelt = gdelt_export(gdelt_rows)
    reads, kept = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        kept = sum(1 for _line, item in read_gdelt(gdelt) if isinstance(item, dict))
        reads.append(time.perf_counter() - t0)
    region_only = gdelt_export(20_000, every=1)
    g_imports = []
    for _ in range(repeat):
        seconds, g_stored = _ingest_seconds(region_only, "20240105120000.export.CSV")
        g_imports.append(g_stored / seconds)
    if progress:
        progress(f"  GDELT {gdelt_rows:,} rows: read and filter {median(reads):.2f} s ({kept:,} kept), "
                 f"import {median(g_imports):,.0f}/s")
    return {
        "acled": {"rows": acled_rows, "stored": stored, "parse_rows_per_s": median(parse),
                  "import_rows_per_s": median(imports), "import_range": [min(imports), max(imports)]},
        "gdelt": {"rows": gdelt_rows, "kept": kept, "read_filter_s": median(reads),
                  "import_rows_per_s": median(g_imports), "import_range": [min(g_imports), max(g_imports)]},
        "note": "generated files in the ACLED 2023 and GDELT 2.0 layouts (synthetic), one core",
    }
