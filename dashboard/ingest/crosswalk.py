"""Country and place crosswalks for imported datasets: FIPS 10-4, CAMEO, ISO numeric/alpha-3 -> our codes.

Our country codes are ISO 3166-1 alpha-2 with XK for Kosovo; our place codes are those of
:func:`dashboard.names.place_names` (BA-SRP, XK-ZVECAN, RS-20, MD-SN, ...).

**FIPS 10-4** (GDELT's geo fields) is not ISO. The traps, each tested both ways:

=====  =======================  ======  ==================================
FIPS   country                  ISO2    the ISO reading of the FIPS code
=====  =======================  ======  ==================================
BK     Bosnia and Herzegovina   BA      (BK is unassigned in ISO)
BA     Bahrain                  BH      BA would be Bosnia
RI     Serbia                   RS      (RI is unassigned in ISO)
RS     Russia                   RU      RS would be Serbia
KV     Kosovo                   XK
MJ     Montenegro               ME      (MJ is unassigned in ISO)
BU     Bulgaria                 BG      BU is unassigned; FIPS BG is Bangladesh
AU     Austria                  AT      AU would be Australia (FIPS AS)
AS     Australia                AU      AS would be American Samoa
UP     Ukraine                  UA
TU     Turkey                   TR      TU is unassigned; FIPS TR does not exist
GM     Germany                  DE      GM would be Gambia (FIPS GA)
GB     Gabon                    GA      GB would be the United Kingdom (FIPS UK)
=====  =======================  ======  ==================================

:data:`FIPS_TO_ISO2` covers every country in ``COVERED_COUNTRIES``, the rest of Europe and the
countries that most often act in the region's news. A FIPS code not in the table maps to
``None``: a wrong country is worse than none.

**CAMEO** actor country codes (GDELT's Actor1CountryCode/Actor2CountryCode) are ISO alpha-3
for present-day states. Exceptions we map by hand: Kosovo appears as ``KSV`` (GDELT's CAMEO
country list) and ``KOS`` (older dictionaries) -> XK; Romania's pre-2002 ``ROM`` -> RO. Other
alpha-3 codes go through pycountry. Regional CAMEO codes (``BLK`` Balkans, ``EUR`` Europe,
``WST`` the West, ...) and defunct states (``YUG``, ``SCG``) map to ``None``: they name no one
present-day country.

**ACLED** ``iso`` is ISO 3166-1 numeric with Kosovo as 0; ``iso3`` is alpha-3 with Kosovo XKX.

**Places** from a dataset's names (ACLED admin1..3, GDELT's FullName): names are compared after
:func:`dashboard.textnorm.normalise_for_search` (case, diacritics and Cyrillic folded). Bosnia
and Herzegovina: the entity names (Republika Srpska -> BA-SRP; Federacija Bosne i Hercegovine,
Federation of Bosnia and Herzegovina -> BA-BIH; Brčko, Brčko District -> BA-BRC). Kosovo: the
four northern municipalities in their Serbian, diacritic-free and Albanian forms (Leposavić /
Leposaviq, Zvečan / Zveçan, Zubin Potok, North Mitrovica / Severna Mitrovica / Mitrovica e Veriut)
-> the municipality and XK-NORTH; other municipalities by their registry name. Serbia's districts
and Moldova's regions by their registry name, with or without "District" / "City of"
(Belgrade -> RS-00, Nišava -> RS-20), and Transnistria's names -> MD-SN. A plain "Mitrovica" is
never mapped: the town is split between North and South Mitrovica.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard.textnorm import normalise_for_search

#: FIPS 10-4 country code (GDELT geo fields) -> our ISO alpha-2 code.
FIPS_TO_ISO2: dict[str, str] = {
    # the region (COVERED_COUNTRIES)
    "AL": "AL", "BK": "BA", "KV": "XK", "MJ": "ME", "MK": "MK", "RI": "RS", "HR": "HR", "SI": "SI",
    "MD": "MD", "BU": "BG", "RO": "RO", "HU": "HU", "GR": "GR", "AU": "AT", "IT": "IT", "UP": "UA",
    # the rest of Europe
    "TU": "TR", "GM": "DE", "FR": "FR", "UK": "GB", "EI": "IE", "SP": "ES", "PO": "PT", "BE": "BE",
    "NL": "NL", "LU": "LU", "SZ": "CH", "LS": "LI", "EZ": "CZ", "LO": "SK", "PL": "PL", "BO": "BY",
    "RS": "RU", "LH": "LT", "LG": "LV", "EN": "EE", "FI": "FI", "SW": "SE", "NO": "NO", "DA": "DK",
    "IC": "IS", "CY": "CY", "MT": "MT", "MN": "MC", "SM": "SM", "VT": "VA", "AN": "AD",
    "GG": "GE", "AM": "AM", "AJ": "AZ",
    # frequent actors in the region's news, and the traps' other halves
    "US": "US", "CA": "CA", "CH": "CN", "JA": "JP", "IN": "IN", "AS": "AU", "NZ": "NZ",
    "BA": "BH", "BG": "BD", "GB": "GA", "IR": "IR", "IZ": "IQ", "SY": "SY", "IS": "IL", "LE": "LB",
    "JO": "JO", "EG": "EG", "SA": "SA", "AE": "AE", "QA": "QA", "KU": "KW", "MU": "OM", "YM": "YE",
    "AF": "AF", "PK": "PK", "KZ": "KZ", "UZ": "UZ", "KG": "KG", "TI": "TJ", "TX": "TM",
    "LY": "LY", "TS": "TN", "AG": "DZ", "MO": "MA", "SU": "SD", "SF": "ZA", "NI": "NG",
    "KS": "KR", "KN": "KP", "TW": "TW", "HK": "HK", "BR": "BR", "MX": "MX", "AR": "AR",
}
#: Our ISO alpha-2 code -> FIPS 10-4 (the inverse; one FIPS code per country).
ISO2_TO_FIPS: dict[str, str] = {iso: fips for fips, iso in FIPS_TO_ISO2.items()}

#: CAMEO country codes that are not (or no longer) the ISO alpha-3 code of the same country.
CAMEO_SPECIAL: dict[str, str | None] = {
    "KSV": "XK", "KOS": "XK", "ROM": "RO",
    # regions and defunct states: no single present-day country
    "YUG": None, "SCG": None, "BLK": None, "EUR": None, "WST": None, "AFR": None, "ASA": None,
    "MEA": None, "SAS": None, "SEA": None, "CAU": None, "NAF": None, "SAM": None, "LAM": None,
    "CRB": None, "SCN": None, "EEU": None, "WEU": None, "BAL": None, "PGS": None, "EAF": None,
    "WAF": None,
}


def fips_to_iso2(code: str | None) -> str | None:
    """FIPS 10-4 country code -> ISO alpha-2 (XK for Kosovo), or ``None`` when unknown or empty."""
    return FIPS_TO_ISO2.get(code.strip().upper()) if code else None


def iso2_to_fips(code: str) -> str | None:
    """ISO alpha-2 (XK for Kosovo) -> FIPS 10-4, or ``None`` when not in the table."""
    return ISO2_TO_FIPS.get(code.strip().upper())


def fips_codes(iso2_codes) -> frozenset[str]:
    """The FIPS codes of some ISO alpha-2 codes, for filtering GDELT rows before they are parsed."""
    return frozenset(f for f in (iso2_to_fips(c) for c in iso2_codes) if f)


@lru_cache(maxsize=1024)
def cameo_to_iso2(code: str | None) -> str | None:
    """CAMEO actor country code (3 letters) -> ISO alpha-2, or ``None`` (regions, defunct states, unknown)."""
    if not code:
        return None
    code = code.strip().upper()
    if code in CAMEO_SPECIAL:
        return CAMEO_SPECIAL[code]
    return iso3_to_iso2(code)


@lru_cache(maxsize=1024)
def iso3_to_iso2(code: str | None) -> str | None:
    """ISO alpha-3 -> alpha-2; XKX (and KOS) is Kosovo, XK."""
    if not code:
        return None
    code = code.strip().upper()
    if code in ("XKX", "KOS", "XKV"):
        return "XK"
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country else None


@lru_cache(maxsize=1024)
def iso_numeric_to_iso2(number: int) -> str | None:
    """ISO 3166-1 numeric (ACLED ``iso``) -> alpha-2; ACLED gives Kosovo 0 -> XK."""
    if number == 0:
        return "XK"
    import pycountry

    country = pycountry.countries.get(numeric=f"{number:03d}")
    return country.alpha_2 if country else None


#: Country names seen in datasets that the names registry does not spell that way.
_COUNTRY_ALIASES: dict[str, str] = {
    "kosovo": "XK", "macedonia": "MK", "fyrom": "MK", "former yugoslav republic of macedonia": "MK",
    "bosnia": "BA", "bosnia-herzegovina": "BA", "bosnia and herzegovina": "BA", "republic of moldova": "MD",
    "moldova, republic of": "MD", "turkey": "TR", "turkiye": "TR", "russian federation": "RU",
    "czech republic": "CZ", "united states of america": "US", "united kingdom": "GB",
}


@lru_cache(maxsize=1024)
def country_name_to_iso2(name: str | None) -> str | None:
    """A country's English name (as ACLED's ``country`` column has it) -> ISO alpha-2, or ``None``."""
    if not name or not name.strip():
        return None
    key = normalise_for_search(name.strip())
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    from dashboard.names import all_country_names

    for code, display in all_country_names().items():
        if normalise_for_search(display) == key:
            return code
    import pycountry

    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


# --- places --------------------------------------------------------------------------------------

#: Names of BiH's entities and Brčko District (ACLED admin1) -> our place code.
BIH_ENTITIES: dict[str, str] = {
    "republika srpska": "BA-SRP", "republic of srpska": "BA-SRP", "republika srpska entity": "BA-SRP",
    "federacija bosne i hercegovine": "BA-BIH", "federation of bosnia and herzegovina": "BA-BIH",
    "federation of bosnia-herzegovina": "BA-BIH", "federation of bih": "BA-BIH", "fbih": "BA-BIH",
    "federacija bih": "BA-BIH",
    "brcko": "BA-BRC", "brcko district": "BA-BRC", "brcko distrikt": "BA-BRC", "district of brcko": "BA-BRC",
    "brcko district of bosnia and herzegovina": "BA-BRC", "brcko distrikt bih": "BA-BRC",
}
#: The four northern Kosovo municipalities, Serbian and Albanian forms -> our municipality code.
NORTH_KOSOVO: dict[str, str] = {
    "leposavic": "XK-LEPOSAVIC", "leposaviq": "XK-LEPOSAVIC",
    "zvecan": "XK-ZVECAN", "zvecani": "XK-ZVECAN",
    "zubin potok": "XK-ZUBIN-POTOK",
    "north mitrovica": "XK-NORTH-MITROVICA", "mitrovica north": "XK-NORTH-MITROVICA",
    "northern mitrovica": "XK-NORTH-MITROVICA", "severna mitrovica": "XK-NORTH-MITROVICA",
    "kosovska mitrovica north": "XK-NORTH-MITROVICA", "mitrovica e veriut": "XK-NORTH-MITROVICA",
    "mitrovice e veriut": "XK-NORTH-MITROVICA", "north mitrovice": "XK-NORTH-MITROVICA",
}
NORTH_KOSOVO_REGION = "XK-NORTH"
#: Moldova's regions by the other names datasets use.
MOLDOVA_REGIONS: dict[str, str] = {
    "transnistria": "MD-SN", "pridnestrovie": "MD-SN", "stinga nistrului": "MD-SN",
    "left bank of the dniester": "MD-SN", "administrative-territorial units of the left bank of the dniester": "MD-SN",
    "gagauzia": "MD-GA", "gagauz yeri": "MD-GA", "uta gagauzia": "MD-GA",
}


@lru_cache(maxsize=1)
def _registry_index() -> dict[str, dict[str, str]]:
    """Country prefix -> normalised registry name (also without "District"/"City of") -> place code."""
    from dashboard.names import place_names

    index: dict[str, dict[str, str]] = {}
    for code, name in place_names().items():
        country, _, rest = code.partition("-")
        if rest in ("NORTH", "REST", "VO"):  # groupings, not units a dataset names
            continue
        key = normalise_for_search(name)
        names = index.setdefault(country, {})
        for variant in {key, key.removesuffix(" district"), key.removeprefix("city of ")}:
            names.setdefault(variant.strip(), code)
    return index


def places_from_names(country: str | None, admin1: str | None = None, admin2: str | None = None,
                      admin3: str | None = None) -> list[str]:
    """Our place codes for a dataset's administrative names; ``[]`` when none matches.

    BiH: admin1 against the entities. Kosovo: admin2 then admin3 against the municipalities
    (admin1 holds districts, which share names with municipalities: not used). Serbia and Moldova:
    admin1 against the districts / regions.
    """
    def norm(value):
        return normalise_for_search(value.strip()) if value and value.strip() else None

    if country == "BA":
        code = BIH_ENTITIES.get(norm(admin1) or "")
        return [code] if code else []
    if country == "XK":
        for name in (norm(admin2), norm(admin3)):
            if not name:
                continue
            if name in NORTH_KOSOVO:
                return [NORTH_KOSOVO[name], NORTH_KOSOVO_REGION]
            if name == "mitrovica":
                continue
            code = _registry_index().get("XK", {}).get(name)
            if code:
                return [code]
        return []
    if country in ("RS", "MD"):
        name = norm(admin1)
        if not name:
            return []
        if country == "MD" and name in MOLDOVA_REGIONS:
            return [MOLDOVA_REGIONS[name]]
        code = _registry_index().get(country, {}).get(name)
        return [code] if code else []
    return []
