"""Tests of the tagging package (pure functions: no Streamlit, no network)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard.tagging import (
    COUNTRY_NAMES,
    PLACE_NAMES,
    TOPICS,
    DateRange,
    Tag,
    normalise_for_search,
    resolve_date,
    tag_article,
    tag_countries,
)
from dashboard.tagging.evaluate import evaluate, format_report, strip_boilerplate

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "eval" / "01_seed_nato_balkans.txt"
EVAL_DIR = ROOT / "data" / "eval"


def _seed(cut: bool = True) -> tuple[str, str]:
    raw = SEED.read_text(encoding="utf-8")
    title, _, body = raw.partition("\n")
    body = body.strip("\n")
    if cut:
        body = body[: body.index("Previous Article")].rstrip()
    return title, body


def _values(res, kind: str, min_conf: float = 0.5) -> set[str]:
    return {t.value for t in res.tags if t.kind == kind and t.confidence >= min_conf}


def _countries(text: str, title: str | None = None) -> set[str]:
    return _values(tag_article(text, title=title), "country")


# ------------------------------------------------------------------ seed article
@pytest.fixture(scope="module")
def seed():
    title, body = _seed()
    return body, tag_article(body, title=title)


def test_seed_countries_exact(seed):
    _, res = seed
    assert _values(res, "country") == {"BA", "XK", "MD", "RU"}
    assert "RS" not in {t.value for t in res.tags if t.kind == "country"}  # no Serbia, not even weakly


def test_seed_primary_countries(seed):
    _, res = seed
    primary = {t.value for t in res.tags if t.kind == "country" and t.primary}
    assert "BA" in primary
    assert primary <= {"BA", "XK"}
    assert not {"MD", "RU"} & primary


def test_seed_places_and_organisations(seed):
    body, res = seed
    assert _values(res, "place") == {"BA-SRP", "MD-SN"}
    assert _values(res, "organisation") == {"NATO"}
    nato = next(t for t in res.tags if t.kind == "organisation" and t.value == "NATO")
    assert nato.mentions >= 5  # "North Atlantic Alliance", "NATO", "the alliance"...
    assert body[nato.start:nato.end] == "North Atlantic Alliance"


def test_seed_people_and_roles(seed):
    body, res = seed
    people = {t.value: t for t in res.tags if t.kind == "person"}
    js = people["Jens Stoltenberg"]
    assert js.role == "NATO Secretary General"
    assert js.mentions >= 3  # full name once, "Stoltenberg" twice
    assert body[js.start:js.end] == "Jens Stoltenberg"
    pm = people["Prime Minister of Republika Srpska"]
    assert pm.role == "Prime Minister of Republika Srpska"
    assert 0.3 <= pm.confidence < js.confidence
    # no name is guessed for the role
    assert "Radovan Višković" not in people


def test_seed_topics(seed):
    _, res = seed
    topics = _values(res, "topic")
    assert {"security", "separatism", "energy", "military", "diplomacy"} <= topics
    assert topics <= set(TOPICS)


def test_tags_have_spans_and_confidence(seed):
    body, res = seed
    for t in res.tags:
        assert isinstance(t, Tag)
        assert 0.0 <= t.confidence <= 1.0
        if t.start is not None:
            assert 0 <= t.start < t.end <= len(body)
    for kind in ("country", "place", "organisation", "person"):
        assert all(t.start is not None for t in res.tags if t.kind == kind)


def test_seed_events(seed):
    body, res = seed
    events = [e for e in res.events if e.confidence >= 0.5]
    assert len(events) == 4
    assert len(res.events) == 4  # the commentary sentence ("NATO's review signals...") is not even a hidden guess
    for e in events:
        assert body[e.evidence_start:e.evidence_end] == e.evidence
        assert e.verification == "machine"
        assert e.category in TOPICS
    review, warning, gas, withdrawal = events
    assert review.status == "ongoing" and {"BA", "XK"} <= set(review.countries)
    assert "NATO" in review.actors and review.date_start is None  # undated article: "in the coming years" unresolved
    assert "review" in review.evidence
    assert warning.status == "statement" and warning.countries == ("BA",)
    assert warning.date_text == "Earlier" and warning.date_start is None and warning.category == "separatism"
    assert gas.status == "expected" and set(gas.countries) == {"BA", "RU"} and gas.places == ("BA-SRP",)
    assert gas.date_text == "by the end of 2023"
    assert (gas.date_start, gas.date_end, gas.date_precision) == (date(2023, 1, 1), date(2023, 12, 31), "year")
    assert gas.category == "energy" and "Prime Minister of Republika Srpska" in gas.actors
    assert withdrawal.status == "statement" and set(withdrawal.countries) == {"RU", "MD"}
    assert withdrawal.places == ("MD-SN",) and "Transnistria" in withdrawal.evidence
    # undated statements that are the news: kept, with their date null and the reason in the cues
    assert warning.cues[:2] == ("speech act that is news 'warned'", "vague date 'Earlier' (no date stated)")
    assert withdrawal.cues == ("reporting verb 'noted'", "no date in the text", "own country or place")
    assert "date 'by the end of 2023' resolved" in gas.cues and review.cues[0] == "ongoing cue 'is reviewing'"


def test_seed_commentary_is_low_confidence(seed):
    _, res = seed
    for e in res.events:
        if e.evidence.startswith(("Analysts note", "In summary", "NATO’s review signals", "From a strategic")):
            assert e.confidence < 0.5


def test_seed_with_published_resolves_relative_dates():
    title, body = _seed()
    res = tag_article(body, title=title, published=date(2023, 11, 2))
    review = next(e for e in res.events if e.status == "ongoing")
    assert review.date_precision == "year" and review.date_start > date(2023, 11, 2)
    gas = next(e for e in res.events if e.status == "expected")
    assert gas.date_end == date(2023, 12, 31)


def test_boilerplate_does_not_crash():
    title, body = _seed(cut=False)
    res = tag_article(body, title=title)
    assert "BA" in _values(res, "country")
    assert strip_boilerplate(body).rstrip().endswith("all communities involved.")
    for text in ("", " ", "\n\n", "Previous Article\n\nNext Article", "2023", "—", "Приштина"):
        tag_article(text)
        tag_article(text, title=text, published=date(2024, 1, 1))


# ------------------------------------------------------------------ normalisation and scripts
@pytest.mark.parametrize("raw, expected", [
    ("Приштина", "pristina"), ("Priština", "pristina"), ("Pristina", "pristina"), ("Prishtinë", "prishtine"),
    ("Србија", "srbija"), ("Република Српска", "republika srpska"), ("Vučić", "vucic"), ("Вучић", "vucic"),
    ("Đukanović", "djukanovic"), ("Ђукановић", "djukanovic"), ("Брчко", "brcko"), ("Chișinău", "chisinau"),
])
def test_normalise_for_search(raw, expected):
    assert normalise_for_search(raw) == expected


@pytest.mark.parametrize("text, cc", [
    ("Talks were held in Приштина.", "XK"), ("Talks were held in Priština.", "XK"),
    ("Talks were held in Pristina.", "XK"), ("Talks were held in Prishtinë.", "XK"),
    ("Србија је одговорила.", "RS"), ("Srbija je odgovorila.", "RS"),
    ("Влада у Бањој Луци и Република Српска.", "BA"), ("Sastanak u Republici Srpskoj.", "BA"),
    ("Вучић је посетио Србију.", "RS"), ("Полиција у Звечану.", "XK"), ("Tiraspol authorities said.", "MD"),
])
def test_scripts_and_diacritics(text, cc):
    assert cc in _countries(text)


def test_subnational_places_map_to_countries():
    res = tag_article("Officials in Banja Luka, Mostar, Brčko, North Mitrovica and Tiraspol met.")
    assert _values(res, "country") == {"BA", "XK", "MD"}
    assert _values(res, "place") == {"BA-SRP", "BA-BIH", "BA-BRC", "XK-NORTH", "MD-SN"}
    res = tag_article("Република Српска и Звечан, Лепосавић, Зубин Поток.")
    assert {"BA-SRP", "XK-NORTH"} <= _values(res, "place")


# ------------------------------------------------------------------ traps
def test_trap_serb_contexts_are_not_serbia():
    assert _countries("Bosnian Serb leader Milorad Dodik spoke in Banja Luka. Serbs in Republika Srpska protested.") == {"BA"}
    assert _countries("Kosovo Serbs blocked roads in the Serb-majority north. Serbian protesters threw stones.") == {"XK"}


def test_trap_georgia_jordan_turkey_macedonia():
    assert _countries("Georgia's governor Brian Kemp said Atlanta was spared by the hurricane.") == {"US"}
    assert "GE" in _countries("Protesters gathered in Tbilisi as Georgia seeks EU membership.")
    assert _countries("Michael Jordan and Jordan Peterson met in Chicago.") == set()
    assert "JO" in _countries("King Abdullah of Jordan met refugees in Amman.")
    assert _countries("The President pardoned a turkey before Thanksgiving. Turkey farmers cheered.") == set()
    assert "TR" in _countries("Turkey and Greece held talks in Ankara.")
    assert _countries("Thessaloniki lies in Greek Macedonia.") == {"GR"}
    assert _countries("Macedonia changed its name under the Prespa deal.") == {"MK"}
    assert _countries("The Western Balkans and Southeast Europe.") == set()
    assert _countries("Let us wait and see.") == set()
    assert "US" in _countries("The US and the UN urged calm.")


def test_trap_acronyms_case():
    res = tag_article("NIS raised fuel prices in Niš.")
    assert "NIS" in _values(res, "organisation") and "RS" in _values(res, "country")
    assert _values(tag_article("The nis of the text."), "organisation") == set()


# ------------------------------------------------------------------ people and roles
def test_roles_without_names_and_with_names():
    res = tag_article("The Prime Minister of Republika Srpska said the deal would be signed.")
    people = {t.value: t for t in res.tags if t.kind == "person"}
    assert list(people) == ["Prime Minister of Republika Srpska"]
    assert people["Prime Minister of Republika Srpska"].role == "Prime Minister of Republika Srpska"
    res = tag_article("Serbian President Aleksandar Vučić met the High Representative Christian Schmidt. Vučić left.")
    people = {t.value: t for t in res.tags if t.kind == "person"}
    assert people["Aleksandar Vučić"].role == "President of Serbia" and people["Aleksandar Vučić"].mentions == 2
    assert people["Christian Schmidt"].role == "High Representative for Bosnia and Herzegovina"
    assert "OHR" in _values(res, "organisation")
    # a surname alone counts only once the full name is known, unless it is unambiguous
    assert "Christian Schmidt" not in _values(tag_article("Schmidt said so."), "person")
    assert "Milorad Dodik" in _values(tag_article("Dodik said so."), "person")


def test_organisation_aliases():
    res = tag_article("The North Atlantic Alliance and EUFOR, the European Union, the OSCE, the United Nations "
                      "and the Office of the High Representative met. Gazprom and Srbijagas signed.")
    assert {"NATO", "EUFOR Althea", "EU", "OSCE", "UN", "OHR", "Gazprom", "Srbijagas"} <= _values(res, "organisation")


# ------------------------------------------------------------------ dates
P = date(2024, 3, 15)


@pytest.mark.parametrize("expr, published, expected", [
    ("October 2023", None, (date(2023, 10, 1), date(2023, 10, 31), "month")),
    ("on 12 March 2024", None, (date(2024, 3, 12), date(2024, 3, 12), "day")),
    ("2023-05-29", None, (date(2023, 5, 29), date(2023, 5, 29), "day")),
    ("by the end of 2023", None, (date(2023, 1, 1), date(2023, 12, 31), "year")),
    ("by end-2023", None, (date(2023, 1, 1), date(2023, 12, 31), "year")),
    ("Q3 2024", None, (date(2024, 7, 1), date(2024, 9, 30), "quarter")),
    ("in 2022", None, (date(2022, 1, 1), date(2022, 12, 31), "year")),
    ("during October", P, (date(2024, 10, 1), date(2024, 10, 31), "month")),
    ("in October", P, (date(2024, 10, 1), date(2024, 10, 31), "month")),
    ("end of the year", P, (date(2024, 1, 1), date(2024, 12, 31), "year")),
    ("last week", P, (date(2024, 3, 4), date(2024, 3, 10), "week")),
    ("last month", P, (date(2024, 2, 1), date(2024, 2, 29), "month")),
    ("this month", P, (date(2024, 3, 1), date(2024, 3, 31), "month")),
    ("earlier this year", P, (date(2024, 1, 1), P, "year")),
    ("next year", P, (date(2025, 1, 1), date(2025, 12, 31), "year")),
    ("yesterday", P, (date(2024, 3, 14), date(2024, 3, 14), "day")),
    ("in the coming years", P, (date(2024, 3, 16), date(2027, 12, 31), "year")),
])
def test_resolve_date(expr, published, expected):
    rng = resolve_date(expr, published)
    assert isinstance(rng, DateRange)
    assert (rng.start, rng.end, rng.precision) == expected


@pytest.mark.parametrize("expr", [
    "during October", "in October", "last week", "last month", "earlier this year", "next year",
    "in the coming years", "this month", "yesterday", "end of the year", "Earlier", "recently", "", "soon",
])
def test_resolve_date_never_guesses_without_published(expr):
    assert resolve_date(expr) is None


def test_resolve_date_deadline_and_tense():
    assert resolve_date("by the end of 2023").deadline == date(2023, 12, 31)
    assert resolve_date("in 2023").deadline is None
    assert resolve_date("in October", P, past=True).start == date(2023, 10, 1)  # October after March, past tense
    assert resolve_date("in February", P).start == date(2024, 2, 1)
    assert resolve_date("Earlier", P) is None


# ------------------------------------------------------------------ public constants
def test_public_constants():
    assert COUNTRY_NAMES["XK"] == "Kosovo" and COUNTRY_NAMES["BA"] == "Bosnia and Herzegovina"
    assert COUNTRY_NAMES["MK"] == "North Macedonia" and COUNTRY_NAMES["MD"] == "Moldova"
    assert set(PLACE_NAMES) == {"BA-SRP", "BA-BIH", "BA-BRC", "XK-NORTH", "MD-SN"}
    assert PLACE_NAMES["BA-BRC"] == "Brčko District"
    assert len(TOPICS) == 12


def test_no_streamlit_import():
    code = "import sys, dashboard.tagging, dashboard.tagging.evaluate; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    for py in (ROOT / "dashboard" / "tagging").glob("*.py"):
        assert "streamlit" not in py.read_text(encoding="utf-8"), py


# ------------------------------------------------------------------ evaluation and speed
def test_evaluation_scores():
    result = evaluate(EVAL_DIR)
    assert result["files"] >= 25
    scores = result["scores"]
    assert scores["countries"]["macro_f1"] >= 0.85
    assert scores["organisations"]["macro_f1"] >= 0.8
    assert scores["primary_countries"]["f1"] >= 0.8
    assert scores["topics"]["f1"] >= 0.7
    assert scores["events"]["f1"] >= 0.7
    report = format_report(result)
    assert "countries" in report and "events" in report


def test_tag_countries_gives_exactly_the_country_tags_of_tag_article():
    """The countries-only pass (the one compared with flashgeotext) must not drift from the full tagger."""
    texts = sorted(EVAL_DIR.glob("*.txt"))
    assert len(texts) >= 25
    for path in texts:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        full = [t for t in tag_article(body, title=title).tags if t.kind == "country"]
        assert tag_countries(body, title=title) == full, path.name
    seed = tag_countries(_seed()[1], title=_seed()[0])
    assert {t.value for t in seed} == {"BA", "XK", "MD", "RU"} and seed[0].value == "BA" and seed[0].primary
