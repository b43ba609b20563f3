"""Matching names in text (dashboard.tagging.matching), on texts whose matches are known by hand.

The gazetteer is the real one (data/gazetteer/gazetteer.json): the expected entities are the ones it
lists for these names (checked with ``Gazetteer.aliases``).
"""

from __future__ import annotations

import pytest

from dashboard.tagging.gazetteer import load_gazetteer
from dashboard.tagging.matching import case_rule_holds, gap_joins_name, scan_text


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _found(text: str, g) -> list[tuple[str, str, str]]:
    """(kind, value, text as written) of each match."""
    return [(m.kind, m.entity.value, text[m.start:m.end]) for m in scan_text(text, g).mentions]


def test_the_longest_alias_wins(g):
    text = "Talks in Bosnia and Herzegovina resumed."
    scan = scan_text(text, g)
    assert len(scan.mentions) == 1
    m = scan.mentions[0]
    assert (m.kind, m.entity.value) == ("country", "BA")
    assert (m.start, m.end) == (9, 31)  # "Bosnia and Herzegovina"
    assert (m.first_token, m.end_token) == (2, 5)  # tokens: talks in bosnia and herzegovina resumed


def test_a_comma_breaks_a_name(g):
    assert _found("Bosnia, and Herzegovina", g) == [("country", "BA", "Bosnia"), ("country", "BA", "Herzegovina")]


def test_case_rules_of_aliases(g):
    assert _found("US troops left.", g) == [("country", "US", "US")]
    assert _found("Let us know.", g) == []  # "US" must be written in capitals
    # "NIS" (the oil company, all capitals) and "Niš" (the town, capitalised) share a key:
    # the strictest rule that holds decides
    assert _found("NIS raised prices in Niš.", g) == [("org", "NIS", "NIS"), ("city", "Niš", "Niš")]


def test_cyrillic_diacritics_and_case_forms(g):
    assert _found("Приштина and Priština and Pristina", g) == [
        ("city", "Pristina", "Приштина"), ("city", "Pristina", "Priština"), ("city", "Pristina", "Pristina")]
    assert _found("Putovanje u Srbiju", g) == [("country", "RS", "Srbiju")]


def test_topic_cues_take_the_longest_cue(g):
    text = "The accession talks began."
    hits = scan_text(text, g).topic_hits
    assert hits == [("eu-integration", 3.0, "accession talks", 4, 19)]
    assert scan_text(text, g, topics=False).topic_hits == []


def test_gap_and_case_rule_helpers():
    assert gap_joins_name(" ") and gap_joins_name("-") and gap_joins_name(" & ")
    assert not gap_joins_name(", ") and not gap_joins_name("\n") and not gap_joins_name(" .. ")
    assert case_rule_holds("U", "NATO") and not case_rule_holds("U", "Nato")
    assert case_rule_holds("C", "Bar") and not case_rule_holds("C", "bar")
    assert case_rule_holds("T", "Banja Luka") and not case_rule_holds("T", "Banja luka")
    assert case_rule_holds("A", "the alliance")
