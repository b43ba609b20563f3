"""Tag aggregation (dashboard.tagging.aggregation, .people): tags worked out by hand from the rules.

Scores follow SCORING's documented values: a country name or a sub-national place counts 1, a
town 0.8, a demonym 0.5, an organisation bound to a country 0.3; a country named in the first 500
characters gets +1 towards primary; primary needs 3 and 55 % of the top, or a clear lead.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from dashboard.tagging import Tag
from dashboard.tagging.aggregation import (
    country_tags,
    organisation_tags,
    place_tags,
    topic_scores,
    topic_tags,
)
from dashboard.tagging.disambiguation import find_mentions
from dashboard.tagging.gazetteer import load_gazetteer
from dashboard.tagging.people import find_people, name_after
from dashboard.tagging.scoring import SCORING
from dashboard.tagging.sentences import split_sentences


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _countries(text: str, g, title: str | None = None) -> list[Tag]:
    found = find_mentions(text, title, g)
    return country_tags(found.body, found.title, max(len(text), 1), g)


def test_country_scores_confidence_and_primary(g):
    text = "Kosovo sent police to Zvečan. Serbia protested. Russian diplomats watched."
    # XK: Kosovo 1 + Zvečan (a place in North Kosovo) 1 = 2, +1 early = 3 -> primary (3 >= 3, top)
    #     confidence 0.45 + 0.2 * 2 = 0.85
    # RS: 1, +1 early = 2 -> not primary; 0.45 + 0.2 = 0.65
    # RU: a demonym 0.5 -> 0.55, just above the display threshold
    assert _countries(text, g) == [
        Tag("country", "XK", "Kosovo", 0, 6, 0.85, True, None, 2),
        Tag("country", "RS", "Serbia", 30, 36, 0.65, False, None, 1),
        Tag("country", "RU", "Russia", 48, 55, 0.55, False, None, 1),
    ]


def test_two_primaries_when_both_reach_the_minimum_and_the_share(g):
    text = "Kosovo sent police to Zvečan. Serbia and Kosovo argued. Serbia protested."
    # XK: 1 + 1 + 1 = 3, +1 early = 4; confidence 0.45 + 0.6 capped at 0.99
    # RS: 1 + 1 = 2, +1 early = 3 >= 3 and >= 0.55 * 4 -> primary as well; 0.45 + 0.4 = 0.85
    assert [(t.value, t.primary, t.confidence, t.mentions) for t in _countries(text, g)] == [
        ("XK", True, 0.99, 3), ("RS", True, 0.85, 2)]


def test_scoring_is_one_frozen_value():
    with pytest.raises(FrozenInstanceError):
        SCORING.primary_min_score = 1.0
    with pytest.raises(TypeError):
        SCORING.country_weight["org"] = 1.0


def test_no_primary_without_a_clear_lead_and_a_lone_country_leads(g):
    # XK 1 + 0.8 (Mitrovica) + 1 = 2.8 against RS 2: under 3, and 2.8 < 1.5 * 2
    tags = _countries("Kosovo sent police to Mitrovica. Serbia protested.", g)
    assert [(t.value, t.primary) for t in tags] == [("XK", False), ("RS", False)]
    # alone, 2.8 >= 2 is a clear lead
    assert [(t.value, t.primary) for t in _countries("Kosovo sent police to Mitrovica.", g)] == [("XK", True)]


def test_a_country_named_in_the_title_is_primary(g):
    tags = _countries("Serbia protested.", g, title="Kosovo tensions")
    # XK: title mention 1, title bonus 3 -> first; a title mention has no span; 0.45 + 0.2 + 0.2 = 0.85
    assert tags[0] == Tag("country", "XK", "Kosovo", None, None, 0.85, True, None, 1)
    assert (tags[1].value, tags[1].primary) == ("RS", False)


def test_organisation_hints_alone_stay_under_the_threshold(g):
    # NIS (the Serbian oil company) counts 0.3 for Serbia: twice is 0.6 >= 0.5, so a tag, capped at 0.45
    assert [(t.value, t.confidence) for t in _countries("NIS raised prices. NIS cut jobs.", g)] == [("RS", 0.45)]
    assert _countries("NIS raised prices.", g) == []  # 0.3: no tag at all


def test_place_tags(g):
    text = "Republika Srpska and its capital Banja Luka; the RS government"
    found = find_mentions(text, None, g)
    # three mentions of BA-SRP: the name (0.9), a town in it (0.85), "RS" (0.9 - 0.15: needs Bosnia evidenced,
    # here by Republika Srpska itself); confidence is the best of them, the span the first
    assert place_tags(found.body, found.title, g) == [Tag("place", "BA-SRP", "Republika Srpska", 0, 16, 0.9, False, None, 3)]


def test_organisation_tags(g):
    text = "The European Commission and NATO met. The alliance agreed."
    found = find_mentions(text, None, g)
    # NATO twice (named 0.9, "the alliance" 0.7); the Commission once and the EU it implies (0.7)
    assert organisation_tags(found.body, found.title, g) == [
        Tag("organisation", "NATO", "NATO", 28, 32, 0.9, False, None, 2),
        Tag("organisation", "European Commission", "European Commission", 4, 23, 0.9, False, None, 1),
        Tag("organisation", "EU", "European Union", 4, 23, 0.7, False, None, 1),
    ]


def test_people_from_names_and_role_phrases(g):
    text = ("NATO Secretary General Jens Stoltenberg visited Pristina. Foreign Minister Marko Petrović "
            "objected. The Prime Minister of Kosovo said nothing.")
    found = find_mentions(text, None, g)
    people, actor_spans = find_people(found.body, found.body_scan, g)
    got = {v: (p.role, round(p.confidence, 2), p.start, p.end) for v, p in people.items()}
    s_jens = text.index("Jens")
    s_marko = text.index("Marko")
    s_pm = text.index("Prime")
    assert got == {
        "Jens Stoltenberg": ("NATO Secretary General", 0.95, s_jens, s_jens + len("Jens Stoltenberg")),
        "Marko Petrović": ("Foreign Minister", 0.6, s_marko, s_marko + len("Marko Petrović")),
        # no name: the role itself, spanning the role and its qualifier
        "Prime Minister of Kosovo": ("Prime Minister of Kosovo", 0.5, s_pm, s_pm + len("Prime Minister of Kosovo")),
    }
    assert [a[2] for a in actor_spans] == ["Jens Stoltenberg", "Marko Petrović", "Prime Minister of Kosovo"]


def test_name_after_a_role_word():
    assert name_after("Minister Marko Petrović said", 8, []) == ("Marko Petrović", 9, 23)
    assert name_after("Minister Marko said", 8, []) is None  # one word is no name
    assert name_after("Minister Marko Petrović said", 8, [(15, 23)]) is None  # "Petrović" already matched
    assert name_after("Minister Marko Petrović Jovanović Ilić said", 8, []) == ("Marko Petrović Jovanović", 9, 33)


def test_topic_scores_by_hand():
    hits = [("eu-integration", 3.0, "accession talks", 10, 25), ("eu-integration", 3.0, "accession talks", 50, 65),
            ("eu-integration", 1.5, "accession", 80, 89), ("eu-integration", 1.5, "accession", 90, 99),
            ("eu-integration", 1.5, "accession", 100, 109)]
    st = topic_scores(hits, [])["eu-integration"]
    # strong: 3 + 3 * 0.5 = 4.5; weak: 1.5 + 0.75 + 0.375 = 2.625, capped at 1.5 -> 6.0
    assert (st.score, st.strong, st.strong_keys, st.first, st.hits, st.span) == (
        6.0, True, {"accession talks"}, 10, 5, (10, 25))
    # a title cue counts 1.5 times
    assert topic_scores([], [("diplomacy", 2.0, "accord", 0, 6)])["diplomacy"].score == 3.0


def test_topic_tags_need_a_strong_cue_the_minimum_and_spread():
    text = "x" * 1000 + ". Sanctions were imposed."
    sentences = split_sentences(text)
    deep = [("diplomacy", 2.0, "sanctions", 1002, 1011), ("diplomacy", 2.0, "sanctions", 1002, 1011)]
    # 2 + 1 = 3 >= 2.5, but one cue in one sentence deep in the text: not what the article is about
    assert topic_tags(topic_scores(deep, []), deep, [], sentences, len(text)) == []
    early = [("diplomacy", 2.0, "sanctions", 10, 19), ("diplomacy", 2.0, "sanctions", 30, 39)]
    tags = topic_tags(topic_scores(early, []), early, [], sentences, len(text))
    assert tags == [Tag("topic", "diplomacy", "diplomacy", 10, 19, 0.66, False, None, 2)]  # 0.3 + 0.12 * 3
    weak_only = [("diplomacy", 1.5, "talks", 10, 15)] * 3
    assert topic_tags(topic_scores(weak_only, []), weak_only, [], sentences, len(text)) == []
