"""Country and place crosswalks: the FIPS/ISO traps both ways, CAMEO, ACLED's numeric codes, place names."""

from __future__ import annotations

import pytest

from dashboard.ingest import crosswalk as cw
from dashboard.names import COVERED_COUNTRIES

# (FIPS, ISO2): the pairs a naive reading gets wrong, written out by hand.
TRAPS = [
    ("BK", "BA"),  # Bosnia and Herzegovina
    ("BA", "BH"),  # Bahrain, not Bosnia
    ("RI", "RS"),  # Serbia
    ("RS", "RU"),  # Russia, not Serbia
    ("KV", "XK"),  # Kosovo
    ("MJ", "ME"),  # Montenegro
    ("BU", "BG"),  # Bulgaria
    ("BG", "BD"),  # Bangladesh, not Bulgaria
    ("AU", "AT"),  # Austria, not Australia
    ("AS", "AU"),  # Australia
    ("UP", "UA"),  # Ukraine
    ("TU", "TR"),  # Turkey
    ("GM", "DE"),  # Germany
    ("GB", "GA"),  # Gabon, not the United Kingdom
    ("UK", "GB"),  # United Kingdom
    ("MK", "MK"), ("AL", "AL"), ("HR", "HR"), ("SI", "SI"), ("MD", "MD"), ("RO", "RO"), ("HU", "HU"),
    ("GR", "GR"), ("IT", "IT"), ("US", "US"),
]


@pytest.mark.parametrize(("fips", "iso2"), TRAPS)
def test_fips_traps_both_ways(fips, iso2):
    assert cw.fips_to_iso2(fips) == iso2
    assert cw.iso2_to_fips(iso2) == fips


def test_every_covered_country_has_a_fips_code():
    expected = {"AL": "AL", "BA": "BK", "XK": "KV", "ME": "MJ", "MK": "MK", "RS": "RI", "HR": "HR", "SI": "SI",
                "MD": "MD", "BG": "BU", "RO": "RO", "HU": "HU", "GR": "GR", "AT": "AU", "IT": "IT", "UA": "UP"}
    assert set(expected) == set(COVERED_COUNTRIES)
    assert {c: cw.iso2_to_fips(c) for c in COVERED_COUNTRIES} == expected
    assert "RS" not in cw.fips_codes(COVERED_COUNTRIES)  # Russia's FIPS code must not pass a Balkan filter
    assert "BA" not in cw.fips_codes(COVERED_COUNTRIES)  # nor Bahrain's


def test_unknown_or_empty_fips_is_none():
    assert cw.fips_to_iso2("") is None
    assert cw.fips_to_iso2(None) is None
    assert cw.fips_to_iso2("QQ") is None


@pytest.mark.parametrize(("cameo", "iso2"), [
    ("BIH", "BA"), ("SRB", "RS"), ("RUS", "RU"), ("BHR", "BH"), ("KSV", "XK"), ("KOS", "XK"), ("MNE", "ME"),
    ("MKD", "MK"), ("ALB", "AL"), ("HRV", "HR"), ("SVN", "SI"), ("MDA", "MD"), ("BGR", "BG"), ("ROM", "RO"),
    ("ROU", "RO"), ("AUT", "AT"), ("AUS", "AU"), ("UKR", "UA"), ("TUR", "TR"), ("DEU", "DE"), ("USA", "US"),
])
def test_cameo_country_codes(cameo, iso2):
    assert cw.cameo_to_iso2(cameo) == iso2


@pytest.mark.parametrize("cameo", ["BLK", "EUR", "WST", "YUG", "SCG", "", None, "ZZZ"])
def test_cameo_regions_and_defunct_states_are_no_country(cameo):
    assert cw.cameo_to_iso2(cameo) is None


def test_acled_numeric_and_alpha3_codes():
    assert cw.iso_numeric_to_iso2(0) == "XK"
    assert cw.iso_numeric_to_iso2(70) == "BA"
    assert cw.iso_numeric_to_iso2(688) == "RS"
    assert cw.iso_numeric_to_iso2(499) == "ME"
    assert cw.iso_numeric_to_iso2(807) == "MK"
    assert cw.iso_numeric_to_iso2(643) == "RU"
    assert cw.iso3_to_iso2("XKX") == "XK"
    assert cw.iso3_to_iso2("BIH") == "BA"
    assert cw.country_name_to_iso2("Kosovo") == "XK"
    assert cw.country_name_to_iso2("Macedonia") == "MK"
    assert cw.country_name_to_iso2("Bosnia and Herzegovina") == "BA"
    assert cw.country_name_to_iso2("Synthetic Land") is None


@pytest.mark.parametrize(("country", "admin1", "admin2", "places"), [
    ("BA", "Republika Srpska", "Banja Luka", ["BA-SRP"]),
    ("BA", "Federacija Bosne i Hercegovine", "Sarajevo", ["BA-BIH"]),
    ("BA", "Federation of Bosnia and Herzegovina", None, ["BA-BIH"]),
    ("BA", "Brcko", "Brcko", ["BA-BRC"]),
    ("BA", "Brčko", None, ["BA-BRC"]),
    ("BA", "Synthetic Canton", None, []),
    ("XK", "Mitrovica", "Leposavić", ["XK-LEPOSAVIC", "XK-NORTH"]),
    ("XK", "Mitrovica", "Leposavic", ["XK-LEPOSAVIC", "XK-NORTH"]),
    ("XK", "Mitrovica", "Leposaviq", ["XK-LEPOSAVIC", "XK-NORTH"]),
    ("XK", "Mitrovica", "Zvečan", ["XK-ZVECAN", "XK-NORTH"]),
    ("XK", "Mitrovica", "Zveçan", ["XK-ZVECAN", "XK-NORTH"]),
    ("XK", "Mitrovica", "Zubin Potok", ["XK-ZUBIN-POTOK", "XK-NORTH"]),
    ("XK", "Mitrovica", "North Mitrovica", ["XK-NORTH-MITROVICA", "XK-NORTH"]),
    ("XK", "Mitrovica", "Mitrovicë e Veriut", ["XK-NORTH-MITROVICA", "XK-NORTH"]),
    ("XK", "Mitrovica", "Severna Mitrovica", ["XK-NORTH-MITROVICA", "XK-NORTH"]),
    ("XK", "Mitrovica", "Mitrovica", []),  # the split town: neither half
    ("XK", "Mitrovica", None, []),  # a district name is not a municipality
    ("XK", "Prizren", "Prizren", ["XK-PRIZREN"]),
    ("RS", "Belgrade", "Stari Grad", ["RS-00"]),
    ("RS", "Nišava", None, ["RS-20"]),
    ("MD", "Transnistria", None, ["MD-SN"]),
    ("RS", "Republika Srpska", None, []),  # the entity's name means nothing in Serbia
])
def test_places_from_names(country, admin1, admin2, places):
    assert cw.places_from_names(country, admin1, admin2) == places
