"""Developments: reports of one development grouped across sources, never over-merged; significance;
the analyst's merge, split and key flag. Answers come from the files (read by hand) or the rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.filters import Filters
from dashboard.grouping import Reading, same_development
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, open_engine, queries, tracker
from dashboard.store import schema as s
from dashboard.store.developments import significance
from tests.conftest import count_sample_developments, count_sample_events, sample_tracker_states

GAS_SEED = "seed-rs-russia-gas-agreement"
GAS_CURATED = "ev-2023-q4-rs-russia-long-term-gas-deal-expected"
GAS_TALKS = "ev-2023-10-12-viskovic-novak-gas-talks-moscow"


def _development(engine, event_id: str) -> dict:
    with engine.connect() as conn:
        dev = conn.execute(select(s.events.c.development_id).where(s.events.c.id == event_id)).scalar()
        return dict(conn.execute(select(s.developments).where(s.developments.c.id == dev)).mappings().one())


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_the_gas_agreement_is_one_development_with_two_sources(sample_engine):
    seed, curated = _development(sample_engine, GAS_SEED), _development(sample_engine, GAS_CURATED)
    assert seed["id"] == curated["id"]
    assert (seed["n_events"], seed["n_sources"], seed["status"]) == (2, 2, "expected")
    # the talks in Moscow on 12 October 2023 happened: another development, not the announced deal
    assert _development(sample_engine, GAS_TALKS)["id"] != seed["id"]
    # the two gas reports are the only pair of the sample's events that joins
    assert _count(sample_engine, s.developments) == count_sample_developments() == count_sample_events() - 1


def test_the_expected_page_shows_the_gas_agreement_once(sample_engine):
    items = tracker.expected_items(sample_engine, Filters(), today=date(2026, 12, 1))
    gas = items[items["id"].isin([GAS_SEED, GAS_CURATED])]  # the development, shown by its lead report
    assert len(gas) == 1 and gas.iloc[0]["n_sources"] == 2 and gas.iloc[0]["state"] == "overdue"
    assert tracker.expected_counts(sample_engine, Filters(), today=date(2026, 12, 1)) == sample_tracker_states()


def _dataset_row(event_id, day, lat, lon, dataset, title, **extra):
    return {"type": "event", "id": event_id, "title": title, "status": "occurred", "category": "protest",
            "countries": ["RS"], "date_start": day, "date_precision": "day", "lat": lat, "lon": lon,
            "geo_precision": "town", "dataset": dataset, "source_name": f"synthetic {dataset}", **extra}


def test_acled_and_gdelt_rows_of_one_protest_join_and_others_do_not(engine, tmp_path):
    rows = [  # synthetic test data, not news
        _dataset_row("acled:SYN1", "2024-01-05", 44.8176, 20.4633, "acled", "Peaceful protest in Belgrade (test data)",
                     verification="coded"),
        _dataset_row("gdelt:1", "2024-01-05", 44.82, 20.46, "gdelt", "Demonstrate or rally: students, Belgrade",
                     num_sources=3),
        _dataset_row("gdelt:2", "2024-01-06", 44.82, 20.46, "gdelt", "Demonstrate or rally: students, Belgrade"),
        _dataset_row("gdelt:3", "2024-01-05", 45.2671, 19.8335, "gdelt", "Demonstrate or rally: students, Novi Sad"),
        # a second ACLED protest that day in Belgrade: ACLED coded it as another event
        _dataset_row("acled:SYN2", "2024-01-05", 44.8180, 20.4640, "acled", "Peaceful protest in Belgrade (test data)",
                     verification="coded"),
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == 5
    one = _development(engine, "acled:SYN1")
    assert one["id"] == _development(engine, "gdelt:1")["id"]  # same day, same town, same category
    assert one["n_events"] == 2 and one["n_sources"] == 3  # GDELT counts three sources for its row
    assert one["verification"] == "coded" and one["lead_event_id"] == "acled:SYN1"  # ACLED's human coding leads
    assert _development(engine, "gdelt:2")["id"] != one["id"]  # the next day: never across days
    assert _development(engine, "gdelt:3")["id"] != one["id"]  # Novi Sad is 70 km away: never across places
    assert _development(engine, "acled:SYN2")["id"] != one["id"]  # two ACLED rows are two ACLED events
    assert _count(engine, s.developments) == 4


def test_a_later_file_joins_a_stored_development_of_a_longer_period(engine, tmp_path):
    """The stored development is found by its period, whichever file or batch brought it: a
    year-long expectation stored first, then a quarter of that year and a day of the next."""
    def write(name, rows):
        path = tmp_path / name
        path.write_text("\n".join(json.dumps({"type": "event", "status": "expected", "category": "energy",
                                              "countries": ["BA"], "title": "Synthetic gas supply agreement "
                                              "with Russia expected (test data)", **r}) for r in rows) + "\n",
                        encoding="utf-8")
        return str(path)

    ingest_paths(engine, [write("first.jsonl", [{"id": "t-year", "date_start": "2024", "date_precision": "year"}])])
    ingest_paths(engine, [write("second.jsonl", [
        {"id": "t-quarter", "date_start": "2024-10-01", "date_end": "2024-12-31", "date_precision": "quarter"},
        {"id": "t-next-year", "date_start": "2025-01-15", "date_precision": "day"},
    ])])
    year = _development(engine, "t-year")
    assert _development(engine, "t-quarter")["id"] == year["id"] and year["n_events"] == 2
    assert _development(engine, "t-next-year")["id"] != year["id"]  # 2025 is not within 2024


@pytest.mark.parametrize("a, b, same", [
    # (dates, precision, status) pairs and the rule that decides; words and countries shared
    (("2024-03-01", "2024-03-01", "day", "occurred"), ("2024-03-01", "2024-03-01", "day", "occurred"), True),
    (("2024-03-01", "2024-03-01", "day", "occurred"), ("2024-03-02", "2024-03-02", "day", "occurred"), False),
    (("2024-03-01", "2024-03-31", "month", "occurred"), ("2024-03-15", "2024-03-15", "day", "occurred"), True),
    (("2024-01-01", "2024-12-31", "year", "expected"), ("2024-10-01", "2024-12-31", "quarter", "expected"), True),
    (("2024-01-01", "2024-12-31", "year", "expected"), ("2024-10-01", "2024-10-01", "day", "occurred"), False),
    (("2024-03-01", "2024-03-31", "month", "occurred"), ("2024-05-01", "2024-05-31", "month", "occurred"), False),
])
def test_the_date_and_status_rules(a, b, same):
    def reading(i, when):
        start, end, precision, status = when
        return Reading(id=i, title="Synthetic gas supply agreement signed with Russia", summary=None,
                       date_start=date.fromisoformat(start), date_end=date.fromisoformat(end),
                       date_precision=precision, status=status, category="energy", countries=frozenset({"BA"}))

    assert same_development(reading("a", a), reading("b", b))[0] is same


def test_significance_follows_the_written_formula():
    # 0 (machine) + 2*log2(1+1) + 0 + 0 = 2; analyst +3; three sources: 2*log2(4) = 4; 3 dead: 1.5*log2(4) = 3
    assert significance(is_key=False, verification="machine", n_sources=1, fatalities=None, expected=False) == 2.0
    assert significance(is_key=False, verification="analyst", n_sources=3, fatalities=3, expected=True) == 11.5
    assert significance(is_key=True, verification="machine", n_sources=1, fatalities=0, expected=False) == 102.0


def test_merge_split_and_key_survive_a_restart(own_sample):
    engine = open_engine(own_sample)
    talks, gas = _development(engine, GAS_TALKS)["id"], _development(engine, GAS_SEED)["id"]
    curation.merge_developments(engine, gas, talks, "Ana")
    curation.flag_development(engine, gas, True, "Ana")
    engine.dispose()
    engine = open_engine(own_sample)  # "restart"
    merged = _development(engine, GAS_TALKS)
    assert merged["id"] == gas and merged["n_events"] == 3 and merged["grouping"] == "analyst"
    assert merged["is_key"] and merged["significance"] >= 100
    new = curation.split_report(engine, GAS_TALKS, "Bo")
    assert _development(engine, GAS_TALKS)["id"] == new != gas
    assert _development(engine, GAS_SEED)["n_events"] == 2
    moves = [(e["field"], e["new_value"]) for e in curation.history(engine, "event", GAS_TALKS)
             if e["field"] == "grouped_with"]
    assert moves == [("grouped_with", _development(engine, GAS_SEED)["lead_event_id"]), ("grouped_with", None)]
    engine.dispose()


def test_a_rebuild_replays_the_grouping(own_sample, tmp_path, capsys):
    from sqlalchemy import text

    from dashboard.__main__ import main

    engine = open_engine(own_sample)
    talks, gas = _development(engine, GAS_TALKS)["id"], _development(engine, GAS_SEED)["id"]
    curation.merge_developments(engine, gas, talks, "Ana")
    curation.flag_development(engine, gas, True, "Ana")
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()
    assert main(["--db", own_sample, "build-sample"]) == 0
    assert "2 analysts' edit(s) reapplied" in capsys.readouterr().err
    engine = open_engine(own_sample)
    rebuilt = _development(engine, GAS_TALKS)
    assert rebuilt["n_events"] == 3 and rebuilt["is_key"]
    engine.dispose()


def test_every_stored_event_has_a_development(sample_engine):
    with sample_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.events)
                            .where(s.events.c.development_id.is_(None))).scalar() == 0
    assert queries.count_events(sample_engine, Filters()) == count_sample_events()


def test_the_seed_gives_its_four_developments_each_saying_why(engine):
    seed = Path(__file__).resolve().parent.parent / "data" / "sample" / "articles"
    assert ingest_paths(engine, [str(seed)]).events_created == 4  # NATO review, warning, gas deal, Transnistria
    events = queries.load_events(engine, Filters())
    assert len(events) == 4 and all(events["cues"].str.len() > 0)
    assert set(events["status"]) == {"ongoing", "statement", "expected"}
    assert queries.count_developments(engine, Filters()) == 4


def test_export_developments_one_row_each_with_its_sources(sample_db_url, tmp_path):
    import csv

    from dashboard.__main__ import main

    out = tmp_path / "developments.csv"
    assert main(["--db", sample_db_url, "export", "developments", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == count_sample_developments()  # the gas agreement's two reports in one development
    gas = next(r for r in rows if GAS_SEED in r["report_ids"])
    assert sorted(gas["report_ids"].split(";")) == sorted([GAS_CURATED, GAS_SEED])
    assert gas["n_sources"] == "2" and len(gas["sources"].split(";")) == 2
    assert gas["country_names"] == "Bosnia and Herzegovina;Russia"
    events = tmp_path / "events.csv"
    assert main(["--db", sample_db_url, "export", "events", "--format", "csv", "-o", str(events)]) == 0
    by_id = {r["id"]: r for r in csv.DictReader(events.open(encoding="utf-8"))}
    assert by_id[GAS_SEED]["development_id"] == by_id[GAS_CURATED]["development_id"] == gas["development_id"]


def test_an_outcome_before_the_announcement_gets_a_warning(own_sample, monkeypatch):
    from streamlit.testing.v1 import AppTest

    engine = open_engine(own_sample)
    # the gas deal was announced for October-December 2023; the 2022 Vučić-Putin call is earlier
    curation.link_outcome(engine, GAS_CURATED, "ev-2022-05-29-vucic-putin-gas-contract", "Ana")
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", own_sample)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/expected.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("predates the announcement" in w.value and "2022-05-29" in w.value for w in at.warning)


LOW_CONFIDENCE_TEXT = """Synthetic test text (not news) about Montenegro.

The government of Montenegro signed a synthetic energy agreement with Croatia on 3 May 2024 in Podgorica.

Analysts in Podgorica believe the coalition will collapse before the end of 2024, an opinion widely shared in Cetinje.
"""


def test_low_confidence_machine_events_are_kept_but_hidden_unless_asked(engine, tmp_path):
    path = tmp_path / "synthetic.md"
    path.write_text("---\ntitle: Synthetic low-confidence test (not news)\npublished: 2024-05-05\n---\n"
                    + LOW_CONFIDENCE_TEXT, encoding="utf-8")
    # the signing is a development (0.7); the analysts' belief is an opinion (0.3): kept, hidden
    assert ingest_paths(engine, [str(path)]).events_created == 2
    shown = queries.load_events(engine, Filters())
    assert list(shown["status"]) == ["occurred"]
    everything = queries.load_events(engine, Filters(include_low_confidence=True))
    hidden = everything[everything["status"] == "expected"].iloc[0]
    assert hidden["confidence"] < 0.5 and "opinion 'believe'" in hidden["cues"]
    assert queries.count_events(engine, Filters(include_low_confidence=True)) == 2
    assert queries.totals(engine)["events"] == 1 and queries.totals(engine)["events_stored"] == 2


def _map_fixture(engine, tmp_path):
    """Ten ACLED rows (ACLED codes each event once: ten developments), counted by hand: in Bosnia and
    Herzegovina in 2023, six placed (two pairs within one 0.25° cell) and one without a position; one
    placed there in 2022; two placed in Serbia in 2023."""
    def row(n, country, day, lat, lon, fatalities=0):
        return {"type": "event", "id": f"acled:MAP{n}", "title": f"Protest {n} (test data)", "status": "occurred",
                "category": "protest", "countries": [country], "date_start": day, "date_precision": "day",
                "lat": lat, "lon": lon, "geo_precision": "town" if lat is not None else None, "dataset": "acled",
                "verification": "coded", "source_name": "synthetic acled", "fatalities": fatalities}
    rows = [
        row(1, "BA", "2023-03-01", 43.85, 18.40, fatalities=7),  # Sarajevo: one cell with 2
        row(2, "BA", "2023-03-02", 43.86, 18.41),
        row(3, "BA", "2023-04-01", 44.77, 17.19, fatalities=1),  # Banja Luka: one cell with 2
        row(4, "BA", "2023-04-02", 44.78, 17.20),
        row(5, "BA", "2023-05-01", 43.34, 17.81),  # Mostar
        row(6, "BA", "2023-06-01", 44.54, 18.67, fatalities=3),  # Tuzla
        row(7, "BA", "2023-07-01", None, None),  # not placed: not on the map
        row(8, "BA", "2022-07-01", 43.85, 18.40),  # another year
        row(9, "RS", "2023-07-01", 44.82, 20.46),  # another country
        row(10, "RS", "2023-08-01", 45.26, 19.83),
    ]
    path = tmp_path / "map.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == 10


def test_map_points_are_the_located_developments_of_the_filter_up_to_the_cap(engine, tmp_path):
    _map_fixture(engine, tmp_path)
    ba_2023 = Filters(countries=("BA",), date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    points, aggregated = queries.development_points(engine, ba_2023, max_points=6)
    assert not aggregated
    assert sorted(points["id"]) == [f"acled:MAP{n}" for n in range(1, 7)]
    # drawn least significant first: the most significant (7 fatalities, then 3, then 1) on top
    assert list(points["id"])[-3:] == ["acled:MAP3", "acled:MAP6", "acled:MAP1"]
    assert points["development_id"].is_unique
    # one more than the cap: cells, counting every located development of the filter once
    cells, aggregated = queries.development_points(engine, ba_2023, max_points=5)
    assert aggregated
    assert sorted(cells["developments"]) == [1, 1, 2, 2]  # Mostar, Tuzla, Sarajevo's two, Banja Luka's two
    assert int(cells["fatalities"].sum()) == 7 + 1 + 3
    # no filter: the nine placed developments of both countries and years
    everything, aggregated = queries.development_points(engine, Filters(), max_points=9)
    assert not aggregated and len(everything) == 9
    assert queries.development_points(engine, Filters(), max_points=8)[1]
