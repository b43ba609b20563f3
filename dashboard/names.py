"""The names registry: the display name of every country and sub-national place code in the product.

One registry, built from the shipped files: the boundaries (``data/geo``: countries, BiH's
entities, Serbia's districts, Kosovo's municipalities, Moldova's regions) and the gazetteer
(``data/gazetteer``: every country, and the places the tagger knows), with our own wording first
where a source's differs. Pages, exports and briefings ask here; none shows a raw code in place of
a name (a code may follow a name in brackets, see :func:`country_label`).

Kosovo's code is XK (user-assigned, not official ISO 3166). ``KOSOVO_STAR`` is the status-neutral
label with the EU footnote, for audiences that need it. Serbia's code RS is also the first half of
Republika Srpska's place code (BA-SRP is ours, but "RS" is read that way in the region): labels
always say "Serbia".
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GAZETTEER_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "gazetteer.json"

#: Our wording, first over every source (short, current names; "Türkiye", "North Macedonia").
OWN_COUNTRY_NAMES: dict[str, str] = {
    "AL": "Albania",
    "BA": "Bosnia and Herzegovina",
    "XK": "Kosovo",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "HR": "Croatia",
    "SI": "Slovenia",
    "MD": "Moldova",
    "BG": "Bulgaria",
    "RO": "Romania",
    "HU": "Hungary",
    "GR": "Greece",
    "IT": "Italy",
    "AT": "Austria",
    "UA": "Ukraine",
    "TR": "Türkiye",
    "RU": "Russia",
    "US": "United States",
    "DE": "Germany",
    "FR": "France",
    "GB": "United Kingdom",
    "AZ": "Azerbaijan",
    "CN": "China",
    "BE": "Belgium",
    "ES": "Spain",
}
#: Kept under its old name for the callers that list the product's usual countries.
COUNTRY_NAMES = OWN_COUNTRY_NAMES

#: The focus region, in the order the filter offers it.
FOCUS_COUNTRIES: tuple[str, ...] = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "SI", "MD")
#: The countries the dashboard covers: the focus region and its neighbours (what an import of a
#: worldwide dataset such as GDELT keeps by default).
COVERED_COUNTRIES: tuple[str, ...] = (*FOCUS_COUNTRIES, "BG", "RO", "HU", "GR", "AT", "IT", "UA")

OWN_PLACE_NAMES: dict[str, str] = {
    "BA-SRP": "Republika Srpska",
    "BA-BIH": "Federation of Bosnia and Herzegovina",
    "BA-BRC": "Brčko District",
    "XK-NORTH": "North Kosovo",
    "MD-SN": "Transnistria",
}

KOSOVO_STAR = "Kosovo*"
KOSOVO_FOOTNOTE = (
    "*This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 "
    "and the ICJ Opinion on the Kosovo declaration of independence."
)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))
    return dict(data.get("countries", {})), {pid: p["name"] for pid, p in data.get("places", {}).items()}


@lru_cache(maxsize=1)
def all_country_names() -> dict[str, str]:
    """Every country code the product knows -> its display name (ours over the boundaries' over the gazetteer's)."""
    from dashboard import geo

    return {**_gazetteer()[0], **geo.COUNTRY_NAMES, **OWN_COUNTRY_NAMES}


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Every sub-national place code -> its display name (ours over the boundaries' over the gazetteer's)."""
    from dashboard import geo

    return {**_gazetteer()[1], **geo.PLACE_NAMES, **OWN_PLACE_NAMES}


def country_name(code: str, kosovo_star: bool = False) -> str:
    """English name of an ISO alpha-2 code (XK = Kosovo), or the code itself when nothing knows it."""
    if code == "XK" and kosovo_star:
        return KOSOVO_STAR
    name = all_country_names().get(code)
    return name if name is not None else _pycountry_name(code)


@lru_cache(maxsize=512)
def _pycountry_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def country_label(code: str, kosovo_star: bool = False) -> str:
    """Name with the code in brackets, for choosers and tables: "Serbia (RS)"."""
    name = country_name(code, kosovo_star)
    return name if name == code else f"{name} ({code})"


def place_name(code: str) -> str:
    """Display name of a sub-national place code ("XK-ZVECAN" -> "Zvečan"), or the code when unknown."""
    return place_names().get(code, code)


def country_names(kosovo_star: bool = False) -> dict[str, str]:
    """The product's usual countries, code -> name, honouring the Kosovo* option."""
    return {code: country_name(code, kosovo_star) for code in OWN_COUNTRY_NAMES}


def __getattr__(name: str):
    # PEP 562: PLACE_NAMES is the whole registry, read from the shipped files on first use.
    if name == "PLACE_NAMES":
        return place_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
