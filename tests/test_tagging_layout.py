"""News layout and dating rules of the event extractor (issue 14), on hand-worked texts.

Each test isolates one rule of dashboard.tagging.layout / .event_dates / .event_cues / .dates; the
texts are written for these tests (invented sentences about plausible developments).
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.tagging import resolve_date, tag_article
from dashboard.tagging.dates import find_dates
from dashboard.tagging.event_cues import clause_tense, sentence_cues, sentence_markers
from dashboard.tagging.layout import find_dateline, paragraph_label

SAT = date(2024, 3, 16)  # a Saturday


def _events(text, published=None):
    return tag_article(text, published=published).confident_events()


# ------------------------------------------------------------------ datelines
@pytest.mark.parametrize(("text", "published", "rest"), [
    ("SKOPJE, 16 March 2024 — The parliament elected", date(2024, 3, 16), "The parliament"),
    ("MOSTAR/SARAJEVO, 3 May 2022 (wire) — Police", date(2022, 5, 3), "Police"),
    ("BUDVA, Montenegro, 1 June 2023 – Voters", date(2023, 6, 1), "Voters"),
    ("Tirana | Politics | 9 October 2024\n\nThe", date(2024, 10, 9), ""),
    ("12 February 2025\n\nA column", date(2025, 2, 12), ""),
    ("A standfirst without a full stop\n\nPODGORICA, 4 April 2024 — The", date(2024, 4, 4), "The"),
])
def test_datelines_are_found(text, published, rest):
    found = find_dateline(text)
    assert found is not None and found.published == published
    assert text[found.end:].lstrip().startswith(rest)


def test_a_dateline_without_a_date_is_cut_but_dates_nothing():
    for text, rest in (("BELGRADE — Observers said", "Observers"), ("DONJA JABLANICA, Bosnia and Herzegovina — Rescue",
                                                                   "Rescue")):
        found = find_dateline(text)
        assert found is not None and found.published is None and text[found.end:].startswith(rest)
    [ev] = _events("MOSTAR — Police in Mostar arrested two officials on Friday.", SAT)
    assert ev.title.startswith("Police in Mostar")
    assert find_dateline("NATO troops arrived in Pristina — and stayed.") is None


@pytest.mark.parametrize("text", [
    "Croatia adopted the euro on 1 January 2023, replacing the kuna.",
    "In a statement on 3 May 2024 — a Friday — the court ruled.",
    "The vote, 3 May 2024 — a Friday — was calm.",  # a head of lower-case words is no place
    "one\ntwo\nthree\nSKOPJE, 16 March 2024 — late dateline",
])
def test_sentences_are_no_datelines(text):
    assert find_dateline(text) is None


def test_dateline_sets_the_publication_date_and_is_no_event_date():
    text = "BANJA LUKA, 16 March 2024 — Police in Republika Srpska arrested two officials on Friday."
    [ev] = _events(text)  # no published given: the dateline's Saturday is the reference
    assert (ev.status, ev.date_start) == ("occurred", date(2024, 3, 15))
    assert ev.title.startswith("Police in Republika Srpska")


# ------------------------------------------------------------------ captions, teasers, labelled opinion
def test_captions_and_teasers_yield_no_events():
    assert paragraph_label("Photo caption: Riot police in Zvečan, 29 May.") == "skip"
    assert paragraph_label("Related: Kosovo police close four crossings") == "skip"
    assert paragraph_label("Comment: the vote was held too early.") == "commentary"
    text = "Photo caption: Kosovo police officers at the Jarinje crossing on 12 March 2024."
    assert tag_article(text, published=SAT).events == []


def test_a_labelled_opinion_paragraph_stays_commentary_with_its_dates():
    text = "Comment: Serbia has changed course before: the government resigned in Belgrade in March 2024."
    assert _events(text, SAT) == []


# ------------------------------------------------------------------ dates: clause tense, anchors, the year
def test_a_yearless_date_takes_the_tense_of_its_own_clause():
    assert clause_tense("took the step a week before he is due to leave office") is False
    assert clause_tense("the units are to withdraw") is False
    assert clause_tense("signed") is True
    [ev] = _events("The envoy in Sarajevo took the step days before he is due to leave office on 1 August.",
                   date(2021, 7, 24))
    assert ev.date_start == date(2021, 8, 1)  # not 1 August 2020


def test_a_bare_weekday_in_a_present_clause_is_the_coming_one():
    assert clause_tense("the bid is not on the agenda of the meeting", weekday=True) is False
    [ev] = _events("Kosovo's bid is not on the agenda of the meeting in Strasbourg on Friday.", date(2024, 5, 15))
    assert (ev.status, ev.date_start) == ("expected", date(2024, 5, 17))


def test_a_weekday_followed_by_its_date_is_that_date():
    assert [d.text for d, _m in find_dates("ministers meet on Friday, 17 May in Strasbourg")] == ["17 May"]


def test_a_tenseless_yearless_date_near_the_turn_of_the_year():
    assert resolve_date("on 10 December", date(2022, 1, 6)).start == date(2021, 12, 10)
    assert resolve_date("in January", date(2024, 12, 2)).start == date(2025, 1, 1)
    assert resolve_date("in October", date(2024, 3, 15)).start == date(2024, 10, 1)  # far apart: same year


def test_early_next_year():
    assert resolve_date("early next year", date(2025, 10, 25)).start == date(2026, 1, 1)


def test_anaphoric_times_take_the_last_date_of_the_text():
    text = ("Police in Pristina arrested two men on 12 March 2024. "
            "The Serbian foreign ministry condemned the arrests the same day.")
    statement = [e for e in _events(text, SAT) if e.status == "statement"]
    assert [(e.date_start, e.date_text) for e in statement] == [(date(2024, 3, 12), "the same day")]


def test_an_anaphoric_time_carries_to_the_next_sentence():
    text = ("The court in Tirana jailed the former minister on 12 March 2024. "
            "The opposition in Albania reacted within hours. It said the verdict was political.")
    events = _events(text, SAT)
    said = [e for e in events if e.status == "statement"]
    assert said and said[0].date_start == date(2024, 3, 12)
    assert any("carried from the previous sentence" in c for c in said[0].cues)
    # "reacted within hours" has no date of its own: it gives no status by itself
    assert not any("'within hours' without a verb cue" in c for e in events for c in e.cues)


def test_an_anaphoric_time_follows_a_date_already_past():
    text = ("Police in Sarajevo arrested the mayor on Friday. The envoy is due to leave office on 1 August. "
            "The mayor's party in Bosnia condemned the arrest within hours.")
    [said] = [e for e in _events(text, date(2021, 7, 24)) if e.status == "statement"]
    assert said.date_start == date(2021, 7, 23)  # the arrest's Friday, not the envoy's 1 August


def test_an_occurred_event_dated_after_publication_is_expected():
    [ev] = _events("Under the deal, Kosovo police units sent to Jarinje are to withdraw on 2 October.",
                   date(2021, 9, 30))
    assert (ev.status, ev.date_start) == ("expected", date(2021, 10, 2))


def test_a_deadline_ahead_without_a_verb_cue_is_expected():
    assert sentence_cues("Montenegro's target under Prime Minister Spajić: EU membership by 2028.").status is None
    [ev] = _events("Montenegro's target under Prime Minister Spajić: EU membership by 2028.", date(2024, 12, 18))
    assert (ev.status, ev.date_end) == ("expected", date(2028, 12, 31))


# ------------------------------------------------------------------ status: speech acts and formal acts
@pytest.mark.parametrize(("sentence", "status"), [
    ("Kurti called the blast a terrorist attack and police detained five men.", "statement"),
    ("The minister condemned the attack, which killed two officers.", "statement"),
    ("Kurti has refused, saying Kosovo has met every condition.", "statement"),
    ("At least 18 people were confirmed dead after the floods destroyed roads.", "occurred"),  # passive: no speech act
    ("Vučić dissolved parliament and called early elections.", "occurred"),  # calling a vote is an act
    ("The president called the referendum in 2006.", "occurred"),
    ("Rama gave a seat to a system called Diella and presented it.", "occurred"),  # a name, not a speech act
    ("NATO announced it would deploy 700 more troops.", "expected"),  # an announced action keeps its status
    ("The Commission recommended candidate status.", "occurred"),  # a formal act
    ("The Commission recommended in November that Georgia receive the status.", "statement"),
    ("The ambassador said no group should be ruled out.", "statement"),  # a reported hedged passive
    ("The agreement must still be ratified.", "expected"),
    ("The Assembly has been stuck since its session opened on 15 April.", "ongoing"),
    ("The bridge has been damaged since 2023.", "occurred"),  # a passive action, no state
    ("Rama aims for Albania to join the EU by 2030.", "expected"),
    ("Plenković said the public would soon learn the coalition partners.", "expected"),
    ("She said she hoped the talks would help.", "statement"),  # a conditional "would": no plan
])
def test_status_rules(sentence, status):
    assert sentence_cues(sentence).status == status


def test_markers_of_background_and_no_change():
    def markers(sentence):
        return sentence_markers(sentence_cues(sentence), False)

    assert any(m.startswith("long-standing") for m in markers(
        "Bosniak deputies had tried for years to pass such a law, but Serb deputies blocked it."))
    assert not markers("Rama welcomed the decision after the talks had been tied for years.")
    assert not markers("PAS has won Sunday's election, giving it a majority for another four years.")
    assert markers("Prime Minister Recean is expected to stay in office.") == ("status quo 'expected to stay'",)
    assert markers("The company would continue to guarantee supplies.") == ("status quo 'would continue'",)


def test_a_present_tense_statement_is_dated_to_the_publication_month():
    [ev] = _events("Kosovo's Prime Minister Albin Kurti refuses to send the draft statute to the court.",
                   date(2024, 5, 15))
    assert (ev.status, ev.date_start, ev.date_end, ev.date_precision) == (
        "statement", date(2024, 5, 1), date(2024, 5, 31), "month")
    assert "date implied by the tense (publication month)" in ev.cues
    # a past tense reported as the news was made by the dateline (data/eval/LABELLING.md): the same month;
    # a text without a publication date keeps its honest "no date"
    [past] = _events("Kosovo's Prime Minister Albin Kurti refused to send the draft statute to the court.",
                     date(2024, 5, 15))
    assert (past.date_start, past.date_end) == (date(2024, 5, 1), date(2024, 5, 31))
    [undated] = _events("Kosovo's Prime Minister Albin Kurti refuses to send the draft statute to the court.")
    assert undated.date_start is None


def test_coordinated_clauses_with_their_own_dates_are_two_developments():
    text = ("Croatia will call up the first recruits for medical examinations by the end of this year, "
            "and the first conscripts will begin their training early next year.")
    events = _events(text, date(2025, 10, 25))
    assert [(e.status, e.date_start.year) for e in events] == [("expected", 2025), ("expected", 2026)]
    # a clause dated only "afterwards" refers back: one development
    one = "The European Parliament approved the deal for Kosovo in April 2023, and the states adopted it shortly afterwards."
    assert len(_events(one, date(2024, 1, 1))) == 1
