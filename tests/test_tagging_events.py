"""Event cues and event extraction (dashboard.tagging.event_cues, .events) on hand-worked texts.

Expected confidences are summed by hand from SCORING's documented values: status cue 0.35, a
resolved date 0.2, a named actor 0.15, the sentence's own country or place 0.15, commentary -0.35.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.tagging import tag_article
from dashboard.tagging.event_cues import sentence_cues, sentence_is_past
from dashboard.tagging.events import event_summary, event_title


@pytest.mark.parametrize(("sentence", "status"), [
    ("The government will adopt the law.", "expected"),
    ("Montenegro is set to join.", "expected"),
    ("The summit is to be held in Skopje.", "expected"),
    ("Police arrested two men.", "occurred"),
    ("Talks are continuing.", "ongoing"),
    ("The border crossing remains closed.", "ongoing"),
    ("He said the plan was good.", "statement"),
    ("The minister said the talks failed.", "occurred"),  # a statement cue counts only alone
    ("He won the vote, meaning he will need partners.", "occurred"),  # the earliest cue wins
    ("Serbia, which joined the agreement in 2013, said little.", "statement"),  # relative clause ignored
    ("The weather was fine.", None),
])
def test_status_of_a_sentence(sentence, status):
    assert sentence_cues(sentence).status == status


def test_hedges_and_relative_clauses():
    assert sentence_cues("The deal could collapse.").hedged
    assert not sentence_cues("In May the deal collapsed.").hedged  # May the month
    cues = sentence_cues("Serbia, which joined in 2013, said little.")
    assert cues.relative_clauses == [(6, 28)]  # ", which joined in 2013"
    assert cues.words == ["serbia", "said", "little"]


def test_tense_hint_for_yearless_dates():
    assert sentence_is_past(["they", "will", "go"]) is False
    assert sentence_is_past(["they", "met"]) is True
    assert sentence_is_past(["talks", "continue"]) is None


def test_one_occurred_event_with_its_date_actor_and_country():
    text = "NATO troops arrived in Pristina on 12 March 2024."
    [ev] = tag_article(text).events
    assert (ev.status, ev.date_start, ev.date_end, ev.date_precision) == (
        "occurred", date(2024, 3, 12), date(2024, 3, 12), "day")
    assert "12 March 2024" in ev.date_text
    assert (ev.countries, ev.places, ev.actors) == (("XK",), (), ("NATO",))
    assert ev.confidence == 0.85  # 0.35 + 0.2 + 0.15 + 0.15
    assert (ev.evidence, ev.evidence_start, ev.evidence_end) == (text, 0, len(text))
    assert ev.title == "NATO troops arrived in Pristina on 12 March 2024"
    assert ev.verification == "machine"


def test_an_expected_event_with_a_deadline():
    [ev] = tag_article("Montenegro plans to join the EU by the end of 2028.", published=date(2024, 1, 1)).events
    assert (ev.status, ev.date_start, ev.date_end, ev.date_precision) == (
        "expected", date(2028, 1, 1), date(2028, 12, 31), "year")
    assert ev.countries == ("ME",) and ev.actors == ("EU",)
    assert ev.confidence == 0.85


def test_commentary_is_pushed_under_the_threshold():
    [ev] = tag_article("Analysts say Serbia will join the EU in 2030.").events
    # 0.35 + 0.2 + 0.15 + 0.15 - 0.4 (commentary; "analysts say" is the same reason, not charged twice)
    assert ev.status == "expected" and ev.confidence == 0.45
    assert ev.cues[-2:] == ("commentary paragraph", "opinion 'analysts say': no development")


def test_a_sentence_that_only_says_they_borrows_and_merges():
    text = "NATO sent troops to Kosovo. They arrived on 5 June 2023."
    # the second sentence names nothing itself: it carries NATO and Kosovo over and continues the first
    [ev] = tag_article(text).events
    assert (ev.status, ev.date_start, ev.countries, ev.actors) == ("occurred", date(2023, 6, 5), ("XK",), ("NATO",))
    assert (ev.evidence_start, ev.evidence_end) == (0, len(text))
    assert ev.title == "NATO sent troops to Kosovo"
    assert ev.confidence == 0.85


def test_statements_by_different_speakers_stay_apart():
    events = tag_article("NATO said the situation was calm. The EU said it was worried.").events
    assert [(e.status, e.actors, e.title, e.confidence) for e in events] == [
        ("statement", ("NATO",), "NATO said the situation was calm", 0.5),  # 0.35 + 0.15, no date, no country
        ("statement", ("EU",), "The EU said it was worried", 0.5),
    ]


def test_no_event_without_a_cue_or_an_anchor():
    assert tag_article("The weather in Sarajevo was fine.").events == []  # no cue
    assert tag_article("Someone arrived yesterday.").events == []  # no actor, country or place


def test_event_title_and_summary():
    assert event_title("Meanwhile, the EU opened talks with Albania, which applied in 2009.") == (
        "The EU opened talks with Albania")
    long = " ".join(["word"] * 100)  # 499 characters
    summary = event_summary(long)
    assert summary.endswith("…") and len(summary) <= 318 and summary[:-1].split() == ["word"] * 63
    assert event_summary("  two\n lines ") == "two lines"
