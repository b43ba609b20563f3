"""Display names of countries and sub-national places: one home for every label in the product.

Kosovo's code is XK (user-assigned, not official ISO 3166). ``KOSOVO_STAR`` is the status-neutral
label with the EU footnote, for audiences that need it.
"""

from __future__ import annotations

from functools import lru_cache

COUNTRY_NAMES: dict[str, str] = {
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

#: The focus region, in the order the filter offers it.
FOCUS_COUNTRIES: tuple[str, ...] = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "SI", "MD")

PLACE_NAMES: dict[str, str] = {
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


def country_name(code: str, kosovo_star: bool = False) -> str:
    """English name of an ISO alpha-2 code (XK = Kosovo), or the code itself when unknown."""
    if code == "XK" and kosovo_star:
        return KOSOVO_STAR
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    return _pycountry_name(code)


@lru_cache(maxsize=512)
def _pycountry_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def place_name(code: str) -> str:
    """Display name of a sub-national place code, or the code itself when unknown."""
    if code in PLACE_NAMES:
        return PLACE_NAMES[code]
    from dashboard.geo import PLACE_NAMES as GEO_PLACE_NAMES

    return GEO_PLACE_NAMES.get(code, code)


def country_names(kosovo_star: bool = False) -> dict[str, str]:
    """The whole code -> name mapping, honouring the Kosovo* option."""
    return {code: country_name(code, kosovo_star) for code in COUNTRY_NAMES}
