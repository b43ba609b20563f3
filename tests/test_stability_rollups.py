"""The stability indicator counted ahead (``stability_months``, ``stability_values``): its components
equal hand counts of a small file and what the reports themselves give, with and without the
low-confidence readings, after an analyst's merge and on the bundled sample, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, rollups, stability
from dashboard.store import schema as s
from dashboard.store.stability import monthly
from dashboard.vocab import DATASETS

TODAY = date(2026, 12, 1)
CIVILIANS = {"civilian_targeting": "Civilian targeting"}
# Synthetic test rows, not news: their components are counted by hand in the tests below.
ROWS = [
    {"id": "t-raid", "title": "Synthetic raid on a village (test data)", "category": "security", "countries": ["BA"],
     "places": ["BA-SRP"], "date_start": "2024-03-03", "date_precision": "day", "location": "Bijeljina",
     "actors": ["Synthetic Unit X", "Synthetic Unit Y"], "fatalities": 2, "dataset": "acled",
     "verification": "coded", "attributes": CIVILIANS},
    {"id": "t-guess", "title": "Synthetic machine reading of a march (test data)", "category": "protest",
     "countries": ["BA", "RS"], "date_start": "2024-03-10", "date_precision": "day", "location": "Brcko",
     "verification": "machine", "confidence": 0.3},
    {"id": "t-vote", "title": "Synthetic assembly vote (test data)", "category": "politics", "countries": ["RS"],
     "date_start": "2024-04-02", "date_precision": "day", "location": "Novi Sad", "verification": "machine",
     "confidence": 0.9},
    {"id": "gdelt:1", "title": "Synthetic GDELT row (test data)", "category": "diplomacy", "countries": ["RS"],
     "date_start": "2024-03-05", "date_precision": "day", "dataset": "gdelt", "location": "Belgrade",
     "attributes": {"QuadClass": 3, "GoldsteinScale": -10.0, "AvgTone": -5.0}},
    {"id": "t-quarter", "title": "Synthetic programme for the quarter (test data)", "category": "politics",
     "countries": ["BA"], "date_start": "2024-01-01", "date_end": "2024-03-31", "date_precision": "quarter"},
    {"id": "gdelt:2", "title": "Synthetic low-confidence GDELT row (test data)", "category": "diplomacy",
     "countries": ["RS"], "date_start": "2024-03-06", "date_precision": "day", "dataset": "gdelt",
     "verification": "machine", "confidence": 0.2, "attributes": {"QuadClass": 1, "GoldsteinScale": 3.0}},
    # expected developments: due at the end of March (passed), hidden and due in April, due after TODAY
    {"id": "t-deal", "title": "Synthetic deal due by March (test data)", "status": "expected", "category": "energy",
     "countries": ["BA"], "places": ["BA-SRP"], "date_start": "2024-01-15", "date_end": "2024-03-31",
     "date_precision": "quarter"},
    {"id": "t-hidden-deal", "title": "Synthetic machine reading of a deadline (test data)", "status": "expected",
     "category": "energy", "countries": ["RS"], "date_start": "2024-04-30", "date_end": "2024-04-30",
     "date_precision": "day", "verification": "machine", "confidence": 0.3},
    {"id": "t-later", "title": "Synthetic vote due next year (test data)", "status": "expected",
     "category": "politics", "countries": ["RS"], "date_start": "2027-01-31", "date_end": "2027-01-31",
     "date_precision": "day"},
]


def _store(engine, tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", "status": "occurred", **r}) for r in ROWS) + "\n",
                    encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert report.events_created == len(ROWS) and not report.problems


def _exact(f: Filters) -> Filters:
    """The same filter asked so that the rollups cannot answer: every dataset named (a facet only the
    reports carry, that leaves none out)."""
    return f.with_(datasets=DATASETS)


def _components(counts: dict, unit: str, m: str) -> tuple:
    mo = counts[(unit, m)]
    return (mo.developments, mo.security, mo.political, mo.protest, mo.other, mo.fatalities, mo.civilians,
            mo.places, mo.actors)


def _same_both_ways(engine, f: Filters) -> dict:
    assert stability.answers(f) and not stability.answers(_exact(f))
    for level in ("country", "place"):
        ahead, exact = monthly(engine, f, level, TODAY), monthly(engine, _exact(f), level, TODAY)
        assert ahead == exact, (f, level)
        assert ahead == monthly(engine, f, level, TODAY, titles=tuple(sorted({m for _u, m in ahead})))
    return monthly(engine, f, "country", TODAY)


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_the_components_are_the_hand_counts(store, engine, tmp_path, request):
    if store == "postgres":
        engine = request.getfixturevalue("empty_pg_engine")
    _store(engine, tmp_path)
    shown = _same_both_ways(engine, Filters())
    # (developments, security, political, protest, other, fatalities, civilians, places, actors)
    assert _components(shown, "BA", "2024-03") == (1, 1, 0, 0, 0, 2, 1, 1, 2)  # the raid; the quarter has no month
    assert _components(shown, "RS", "2024-04") == (1, 0, 1, 0, 0, 0, 0, 1, 0)  # the vote (0.9: shown)
    # March in Serbia: only GDELT's rows (the media signal: one shown) and the hidden guess
    assert _components(shown, "RS", "2024-03")[0] == 0
    assert shown[("RS", "2024-03")].media == {"volume": 1, "conflict_share": 1.0, "goldstein": -10.0, "tone": -5.0}
    # the deal due by March fell overdue in March (the quarter has no month of its own to count in)
    assert (shown[("BA", "2024-03")].overdue, shown[("BA", "2024-03")].overdue_titles) == (
        1, ["Synthetic deal due by March (test data)"])
    assert shown.get(("RS", "2024-04")) is None or shown[("RS", "2024-04")].overdue == 0
    later = shown[("RS", "2027-01")]  # the vote due next year counts in its month, not overdue yet
    assert (later.developments, later.political, later.overdue) == (1, 1, 0)
    low = _same_both_ways(engine, Filters(include_low_confidence=True))
    assert _components(low, "BA", "2024-03") == (2, 1, 0, 1, 0, 2, 1, 2, 2)  # and the guess in Brcko
    assert _components(low, "RS", "2024-03") == (1, 0, 0, 1, 0, 0, 0, 1, 0)
    # both GDELT rows: one of two in conflict; the Goldstein mean of both, the tone of the one that has it
    assert low[("RS", "2024-03")].media == {"volume": 2, "conflict_share": 0.5, "goldstein": -3.5, "tone": -5.0}
    assert low[("RS", "2024-04")].overdue == 1
    # the latest month with a development, not after today's month (the vote due next year is after it)
    for f, latest in ((Filters(), "2024-04"), (Filters(countries=("BA",)), "2024-03"),
                      (Filters(countries=("ME",)), None), (Filters(date_to=date(2024, 3, 31)), "2024-03")):
        assert stability.latest_month(engine, f, TODAY) == stability.latest_month(engine, _exact(f), TODAY) == latest, f
    assert stability.latest_month(engine, Filters(), date(2024, 3, 20)) == "2024-03"
    # the Overview's list of what fell overdue in a month, from the developments
    assert stability.overdue_in(engine, Filters(), "2024-03", TODAY) == (1, ["Synthetic deal due by March (test data)"])
    assert stability.overdue_in(engine, Filters(countries=("RS",)), "2024-03", TODAY) == (0, [])
    assert stability.overdue_in(engine, Filters(), "2024-04", TODAY) == (0, [])
    assert stability.overdue_in(engine, Filters(include_low_confidence=True), "2024-04", TODAY) == (
        1, ["Synthetic machine reading of a deadline (test data)"])
    assert stability.overdue_in(engine, Filters(), "2024-03", date(2024, 3, 20)) == (0, [])
    # what is due in the next 30 days: on the 20th of March, the deal due on the 31st; not on the 1st of April
    assert stability.deadlines_within(engine, Filters(), 30, date(2024, 3, 20)) == (
        1, [(date(2024, 3, 31), "Synthetic deal due by March (test data)")])
    assert stability.deadlines_within(engine, Filters(countries=("RS",)), 30, date(2024, 3, 20)) == (0, [])
    assert stability.deadlines_within(engine, Filters(), 30, date(2024, 4, 1)) == (0, [])
    assert stability.deadlines_within(engine, Filters(include_low_confidence=True), 30, date(2024, 4, 1)) == (
        1, [(date(2024, 4, 30), "Synthetic machine reading of a deadline (test data)")])
    # on the 20th of March, the deal due on the 31st is not overdue yet
    assert monthly(engine, Filters(), "country", date(2024, 3, 20))[("BA", "2024-03")].overdue == 0
    assert monthly(engine, Filters(), "place", TODAY)[("BA-SRP", "2024-03")].overdue == 1
    # the sub-national units: the raid under Republika Srpska; none asked for under Serbia
    places = monthly(engine, Filters(), "place", TODAY)
    assert _components(places, "BA-SRP", "2024-03") == (1, 1, 0, 0, 0, 2, 1, 1, 2)
    assert monthly(engine, Filters(countries=("RS",)), "place", TODAY) == {}
    # the titles are read for the months asked for only
    assert monthly(engine, Filters(), "country", TODAY, titles=("2024-02",))[("BA", "2024-03")].overdue_titles == []
    # the dates choose whole months, by the development's start
    april = _same_both_ways(engine, Filters(date_from=date(2024, 4, 20), date_to=date(2024, 12, 5),
                                            include_low_confidence=True))
    assert {k for k, mo in april.items() if mo.developments} == {("RS", "2024-04")}
    assert set(_same_both_ways(engine, Filters(countries=("BA",), date_to=date(2024, 3, 5)))) == {("BA", "2024-03")}
    with engine.connect() as conn:
        assert rollups.differences(conn) == []


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_an_analysts_merge_moves_the_counts(store, engine, tmp_path, request):
    """The hidden guess joins the raid: shown, the raid alone counts (under Bosnia and Herzegovina);
    with the low-confidence readings, the merged development counts in Serbia too, as a security
    incident (its lead's category), with the guess's place but no actors."""
    if store == "postgres":
        engine = request.getfixturevalue("empty_pg_engine")
    _store(engine, tmp_path)
    curation.merge_developments(engine, curation.development_of(engine, "t-raid"),
                                curation.development_of(engine, "t-guess"), "Ana")
    shown = _same_both_ways(engine, Filters())
    assert _components(shown, "BA", "2024-03") == (1, 1, 0, 0, 0, 2, 1, 1, 2)
    low = _same_both_ways(engine, Filters(include_low_confidence=True))
    assert _components(low, "BA", "2024-03") == (1, 1, 0, 0, 0, 2, 1, 2, 2)
    assert _components(low, "RS", "2024-03") == (1, 1, 0, 0, 0, 2, 0, 1, 0)
    with engine.connect() as conn:
        assert rollups.differences(conn) == []
        facts = json.loads(conn.execute(select(s.developments.c.indicator).where(
            s.developments.c.lead_event_id == "t-raid")).scalar())
    assert set(facts) == {"shown", "all"}  # the guess is in "all" only


def test_the_sample_gives_the_same_months_both_ways(sample_engine):
    for f in (Filters(), Filters(countries=("BA",)), Filters(countries=("XK", "RS"), date_from=date(2023, 1, 1)),
              Filters(include_low_confidence=True), Filters(date_from=date(2023, 5, 1), date_to=date(2023, 10, 31))):
        counts = _same_both_ways(sample_engine, f)
        assert sum(mo.developments for mo in counts.values()) > 0, f


def test_a_month_keeps_its_three_most_significant_overdue_titles(engine, tmp_path):
    words = ["Harbour", "Tunnel", "Bridge", "Railway"]  # synthetic, one development each
    rows = [{"type": "event", "id": f"t-due-{n}", "title": f"Synthetic {w} tender due in May (test data)",
             "status": "expected", "category": "economy", "countries": ["BA"], "date_start": f"2024-05-0{n + 1}",
             "date_end": f"2024-05-0{n + 1}", "date_precision": "day", "num_sources": n + 1}
            for n, w in enumerate(words)]
    path = tmp_path / "due.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == 4
    may = monthly(engine, Filters(), "country", TODAY)[("BA", "2024-05")]
    # more sources, more significant: Railway (4), Bridge (3), Tunnel (2); the Harbour (1) is counted only
    assert may.overdue == 4
    assert may.overdue_titles == [f"Synthetic {w} tender due in May (test data)" for w in ("Railway", "Bridge", "Tunnel")]
    assert stability.overdue_in(engine, Filters(), "2024-05", TODAY, limit=2) == (4, may.overdue_titles[:2])
