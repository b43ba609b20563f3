"""The developments counted ahead (``store.rollups``): the pages' counts, band and grid from the
rollups equal the hand counts of a small file and what the developments themselves give; every write
and every analyst's edit keeps them equal to a rebuild from the developments, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, density, queries, rollups
from dashboard.store import schema as s
from tests.conftest import copy_sqlite, sample_events

# Synthetic test rows, not news: five developments whose counts are worked out by hand below.
ROWS = [
    {"id": "t-sarajevo", "countries": ["BA"], "date_start": "2023-03-10", "date_precision": "day",
     "category": "protest", "lat": 43.8563, "lon": 18.4131, "geo_precision": "town",
     "title": "Synthetic protest in Sarajevo (test data)"},
    {"id": "t-talks", "countries": ["BA", "RS"], "date_start": "2023-11-01", "date_end": "2023-11-30",
     "date_precision": "month", "category": "diplomacy", "title": "Synthetic border talks (test data)"},
    {"id": "t-belgrade", "countries": ["RS"], "date_start": "2022-11-15", "date_precision": "day",
     "category": "protest", "title": "Synthetic rally in Belgrade (test data)"},
    {"id": "t-undated", "countries": ["XK"], "category": "energy", "title": "Synthetic grid outage (test data)"},
    {"id": "t-banja-luka", "countries": ["BA"], "date_start": "2024-02-02", "date_precision": "day",
     "category": "security", "lat": 44.7722, "lon": 17.1910, "geo_precision": "town",
     "title": "Synthetic police raid in Banja Luka (test data)"},
]
YEAR_2023 = {"date_from": date(2023, 1, 1), "date_to": date(2023, 12, 31)}
#: (filter, developments in it), counted by hand from ROWS: a development is in a filter when one of
#: its countries is asked for and its period meets the dates (undated ones too unless hidden)
HAND = [
    (Filters(), 5),
    (Filters(countries=("BA",)), 3),  # Sarajevo, the talks, Banja Luka
    (Filters(countries=("BA",), **YEAR_2023), 2),  # Sarajevo, the talks
    (Filters(**YEAR_2023), 3),  # Sarajevo, the talks and the undated outage
    (Filters(include_undated=False, **YEAR_2023), 2),
    (Filters(include_undated=False), 4),  # all but the outage
    (Filters(countries=("RS",), **YEAR_2023), 1),  # the talks
    (Filters(countries=("BA", "RS")), 4),  # the talks once
    (Filters(date_from=date(2023, 12, 1)), 2),  # Banja Luka and the undated outage
]


def _write_rows(engine, tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", "status": "occurred", **r}) for r in ROWS) + "\n",
                    encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert report.events_created == len(ROWS) and not report.problems


def _exact(f: Filters) -> Filters:
    """The same rows asked so that the rollups cannot answer: a date range that is not whole months
    (no row lies on the days it leaves out)."""
    return Filters(**{**f.__dict__, "date_to": date(2030, 12, 30) if f.date_to is None else f.date_to.replace(day=30)})


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_counts_band_and_grid_are_the_hand_counts(store, engine, tmp_path, request):
    if store == "postgres":
        engine = request.getfixturevalue("empty_pg_engine")
    _write_rows(engine, tmp_path)
    for f, n in HAND:  # each development of ROWS has one report
        assert rollups.answers(f) and not rollups.answers(_exact(f))
        assert queries.development_totals(engine, f) == (n, n), f
        assert queries.development_totals(engine, _exact(f)) == (n, n), f
    # the band: each dated development in its lane (the filter's country first, else its first) and month
    band = density.development_months(engine, Filters(**YEAR_2023), "country")
    assert band.values.tolist() == [["BA", "2023-03", 1], ["BA", "2023-11", 1]]
    band = density.development_months(engine, Filters(countries=("RS",), **YEAR_2023), "country", prefer=("RS",))
    assert band.values.tolist() == [["RS", "2023-11", 1]]
    band = density.development_months(engine, Filters(), "category")
    assert sorted(band.values.tolist()) == [["diplomacy", "2023-11", 1], ["protest", "2022-11", 1],
                                            ["protest", "2023-03", 1], ["security", "2024-02", 1]]
    assert density.development_months(engine, _exact(Filters()), "category").values.tolist() == band.values.tolist()
    # the grid (asked for with a cap of one point): the two located developments, each its own cell
    for f in (Filters(), _exact(Filters())):
        cells, aggregated = queries.development_points(engine, f, max_points=1)
        assert aggregated
        got = sorted((round(r.lat, 4), round(r.lon, 4), r.developments) for r in cells.itertuples())
        assert got == [(43.8563, 18.4131, 1), (44.7722, 17.191, 1)]
    with engine.connect() as conn:
        assert rollups.differences(conn) == []


def test_edits_keep_the_rollups_equal_to_a_rebuild(sample_db_url, tmp_path):
    from dashboard.store import open_engine

    engine = open_engine(copy_sqlite(sample_db_url, tmp_path / "edits.db"))
    gas, talks = "seed-rs-russia-gas-agreement", "ev-2023-10-12-viskovic-novak-gas-talks-moscow"
    before = queries.count_developments(engine, Filters(countries=("BA",)))
    # an analyst merges two developments, splits a report out, moves one to other countries and dates
    keep, absorb = curation.development_of(engine, gas), curation.development_of(engine, talks)
    curation.merge_developments(engine, keep, absorb, "Ana")
    curation.split_report(engine, talks, "Ana")
    curation.edit_event(engine, talks, {"countries": ["ME"], "date_start": date(2021, 5, 3),
                                        "date_end": date(2021, 5, 3), "date_precision": "day"}, "Ana")
    curation.flag_development(engine, keep, True, "Ana")
    with engine.connect() as conn:
        assert rollups.differences(conn) == []
    assert queries.count_developments(engine, Filters(countries=("ME",), date_from=date(2021, 5, 1),
                                                      date_to=date(2021, 5, 31))) == 1
    talks_row = next(r for r in sample_events() if r["id"] == talks)  # the file says where the talks were
    assert queries.count_developments(engine, Filters(countries=("BA",))) == before - ("BA" in talks_row["countries"])
    with engine.begin() as conn:  # folding keeps the sums and leaves one row per key
        rollups.fold(conn)
        assert rollups.differences(conn) == []
        c = s.development_months.c
        keys = conn.execute(c.countries.table.select().with_only_columns(c.countries, c.month_start, c.month_end,
                                                                          c.shown, c.category)).all()
        assert len(keys) == len(set(keys))
    # the same counts as the developments themselves, for every filter the rollups answer
    for f in (Filters(), Filters(countries=("RS",)), Filters(countries=("BA", "XK"), **YEAR_2023),
              Filters(include_low_confidence=True), Filters(include_undated=False, date_from=date(2022, 1, 1))):
        assert queries.development_totals(engine, f) == queries.development_totals(engine, _exact(f)), f
    # the sample's reports are every event of it (each in one development): the file's count
    assert queries.development_totals(engine, Filters(include_low_confidence=True))[1] == len(sample_events())


def test_a_rebuild_writes_what_the_writes_wrote(sample_db_url, tmp_path):
    from dashboard.store import open_engine

    engine = open_engine(copy_sqlite(sample_db_url, tmp_path / "rebuild.db"))
    with engine.connect() as conn:
        summed = sorted(rollups._summed(conn, s.development_months, rollups._MONTH_KEY, rollups._MONTH_SUMS), key=repr)
    with engine.begin() as conn:
        assert rollups.rebuild(conn) == conn.execute(select(func.count()).select_from(s.developments)).scalar()
        assert sorted(rollups._summed(conn, s.development_months, rollups._MONTH_KEY, rollups._MONTH_SUMS), key=repr) == summed


def test_the_rollups_command_finds_a_lost_row_and_writes_them_again(sample_db_url, tmp_path, capsys):
    from sqlalchemy import create_engine, text

    from dashboard.__main__ import main

    url = copy_sqlite(sample_db_url, tmp_path / "cli.db")
    assert main(["--db", url, "rollups"]) == 0
    raw = create_engine(url)
    with raw.begin() as conn:  # a change row lost behind the store's back
        conn.execute(text("DELETE FROM development_months WHERE rowid = (SELECT min(rowid) FROM development_months)"))
    raw.dispose()
    capsys.readouterr()
    assert main(["--db", url, "rollups"]) == 1
    assert "differ from the developments in 1 place" in capsys.readouterr().out
    assert main(["--db", url, "rollups", "--rebuild"]) == 0
    assert main(["--db", url, "rollups"]) == 0
