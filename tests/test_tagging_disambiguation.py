"""Disambiguation (dashboard.tagging.disambiguation): which matches stand, on hand-made texts.

Each text is built so that one rule decides; the expected outcome is the rule's, read off the
module docstring (Georgia the US state, Turkey the bird, "Serbian protesters", "RS" without Bosnia...).
"""

from __future__ import annotations

import pytest

from dashboard.tagging.disambiguation import find_mentions, validate_mentions
from dashboard.tagging.gazetteer import load_gazetteer
from dashboard.tagging.matching import scan_text


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _kept(text: str, g, title: str | None = None) -> list[tuple[str, str | None, float]]:
    """(entity value, country, country weight) of each mention that stands in the body."""
    return [(m.entity.value, m.country_code, m.country_weight) for m in find_mentions(text, title, g).body]


def test_georgia_the_us_state_the_country_and_undecided(g):
    assert _kept("Kemp said Georgia and Atlanta were ready.", g) == [("GE", "US", 0.8)]
    assert _kept("Georgia and its capital Tbilisi.", g) == [("GE", "GE", 1.0), ("Tbilisi", "GE", 0.8)]
    assert _kept("Georgia applied.", g) == [("GE", "GE", 0.8)]  # no cue either way: counts less


def test_turkey_the_bird_and_the_country(g):
    assert _kept("Turkey dinner sales rose.", g) == []
    assert _kept("Turkey sent troops.", g) == [("TR", "TR", 1.0)]


def test_ethnic_adjectives_keep_no_country(g):
    assert _kept("Serbian protesters gathered in Mitrovica.", g) == [("RS", None, 0.5), ("Mitrovica", "XK", 0.8)]
    assert _kept("The Serbian government objected.", g) == [("RS", "RS", 0.5)]
    assert _kept("Albanian villagers protested.", g) == [("AL", None, 0.5)]


def test_names_inside_a_personal_name_do_not_count(g):
    assert _kept("Michael Jordan visited.", g) == []
    assert _kept("Jordan closed its border.", g) == [("JO", "JO", 1.0)]


def test_aliases_that_need_their_country_named_elsewhere(g):
    assert _kept("RS leaders met.", g) == []
    assert _kept("RS leaders met in Bosnia.", g) == [("BA-SRP", "BA", 1.0), ("BA", "BA", 1.0)]
    assert _kept("Fans in Split cheered.", g) == []
    # the title vouches for the body
    assert _kept("RS leaders met.", g, title="Talks in Bosnia") == [("BA-SRP", "BA", 1.0)]


def test_surnames_need_the_full_name_unless_the_person_is_unambiguous(g):
    assert [v for v, _, _ in _kept("Schmidt said no.", g)] == []
    assert [v for v, _, _ in _kept("Christian Schmidt arrived. Schmidt said no.", g)] == [
        "Christian Schmidt", "Christian Schmidt"]
    assert [v for v, _, _ in _kept("Stoltenberg said no.", g)] == ["Jens Stoltenberg"]  # marked unambiguous


def test_the_alliance_counts_only_with_nato_named(g):
    assert _kept("The alliance agreed.", g) == []
    kept = find_mentions("NATO met. The alliance agreed.", None, g).body
    assert [(m.entity.value, m.needs_evidence) for m in kept] == [("NATO", False), ("NATO", True)]


def test_validate_on_an_empty_scan(g):
    assert validate_mentions(scan_text("Nothing to see here.", g)) == []
