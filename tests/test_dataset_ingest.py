"""ACLED and GDELT files through the real ingest into SQLite: what is stored, re-imports, updates,
deletions. The fixtures are our own synthetic rows in those layouts; the answers come from
reading them by hand (line numbers, places, precisions are noted beside each assertion)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.ingest.readers import ReadOptions
from dashboard.store import queries
from tests.conftest import count_sample_developments, count_sample_events

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACLED_2023 = FIXTURES / "acled" / "acled_2023.csv"
DELETED = FIXTURES / "acled" / "acled_deleted.csv"
GDELT_V2 = FIXTURES / "gdelt" / "20240105120000.export.CSV"


def _ids(engine, **f) -> set[str]:
    return set(queries.load_events(engine, Filters(**f))["id"])


def test_an_acled_export_comes_in_with_countries_places_dates_and_types(engine):
    report = ingest_paths(engine, [str(ACLED_2023)])
    # six rows; SRB9005 (starting on line 8: BIH9001's note spans lines 2-4) has latitude 'abc'
    assert report.events_created == 5
    [problem] = report.problems
    assert (problem.line, problem.field) == (8, "latitude") and "'abc'" in str(problem)
    assert _ids(engine) == {"acled:BIH9001", "acled:XKX9002", "acled:XKX9003", "acled:BIH9004", "acled:BIH9006"}
    protest = queries.get_event(engine, "acled:BIH9001")  # 16 February 2023, time_precision 2: a week
    assert (protest["date_precision"], protest["date_start"], protest["date_end"]) == (
        "week", date(2023, 2, 13), date(2023, 2, 19))
    assert (protest["countries"], protest["places"], protest["category"]) == (["BA"], ["BA-SRP"], "protest")
    assert (protest["dataset"], protest["verification"], protest["source_id"]) == ("acled", "coded", "BIH9001")
    riot = queries.get_event(engine, "acled:XKX9002")  # Kosovo is iso 0; Zvecan is a northern municipality
    assert riot["countries"] == ["XK"] and set(riot["places"]) == {"XK-ZVECAN", "XK-NORTH"}
    assert (riot["event_type"], riot["date_precision"]) == ("Riots", "day")
    arrest = queries.get_event(engine, "acled:XKX9003")  # 01 November 2024, time_precision 3: the month
    assert (arrest["date_start"], arrest["date_end"]) == (date(2024, 11, 1), date(2024, 11, 30))
    assert set(arrest["places"]) == {"XK-NORTH-MITROVICA", "XK-NORTH"}
    assert queries.get_event(engine, "acled:BIH9004")["places"] == ["BA-BRC"]
    attack = queries.get_event(engine, "acled:BIH9006")
    assert (attack["fatalities"], attack["places"], attack["category"]) == (2, ["BA-BIH"], "security")
    assert _ids(engine, countries=("XK",)) == {"acled:XKX9002", "acled:XKX9003"}
    assert _ids(engine, min_fatalities=1) == {"acled:BIH9006"}


def test_importing_it_again_changes_nothing(engine):
    ingest_paths(engine, [str(ACLED_2023)])
    before = queries.totals(engine)
    again = ingest_paths(engine, [str(ACLED_2023)])
    assert (again.events_created, again.events_updated, again.events_unchanged) == (0, 0, 5)
    assert queries.totals(engine) == before


def test_a_newer_export_and_the_deleted_list_change_exactly_those_rows(engine, tmp_path: Path):
    ingest_paths(engine, [str(ACLED_2023)])
    newer = ACLED_2023.read_text(encoding="utf-8-sig").replace(
        "Synthetic test data: an attack.,2,,1712800000", "Synthetic test data: an attack (revised).,3,,1712900000")
    assert newer != ACLED_2023.read_text(encoding="utf-8-sig")
    path = tmp_path / "acled_newer.csv"
    path.write_text(newer, encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert (report.events_created, report.events_updated, report.events_unchanged) == (0, 1, 4)
    assert queries.get_event(engine, "acled:BIH9006")["fatalities"] == 3
    # the list withdraws BIH9001 (line 2) and SRB9005 (line 5, never stored); line 3's stamp is 'soon'
    deleted = ingest_paths(engine, [str(DELETED)])
    assert deleted.events_deleted == 1
    assert [(p.line, p.field) for p in deleted.problems] == [(3, "deleted_timestamp")]
    assert _ids(engine) == {"acled:XKX9002", "acled:XKX9003", "acled:BIH9004", "acled:BIH9006"}


def test_a_gdelt_export_keeps_the_region_and_never_misreads_fips(engine):
    report = ingest_paths(engine, [str(GDELT_V2)])
    # twelve rows: Moscow (FIPS RS), Bahrain (FIPS BA), Dhaka (FIPS BG) and Australia (FIPS AS) are
    # outside the region; the Zagreb row (line 8) has latitude 'north'
    assert report.events_created == 7 and [(p.line, p.field) for p in report.problems] == [(8, "ActionGeo_Lat")]
    stored = queries.load_events(engine, Filters())
    assert not ({"RU", "BH", "BD", "AU"} & {c for cs in stored["countries"] for c in cs})
    assert _ids(engine, countries=("RS",)) == {"gdelt:1100000001", "gdelt:1100000005", "gdelt:1100000006"}
    assert _ids(engine, countries=("BA",)) == {"gdelt:1100000004"}
    assert set(stored["dataset"]) == {"gdelt"} and set(stored["verification"]) == {"machine"}


def test_region_all_keeps_russia_as_russia(engine):
    ingest_paths(engine, [str(GDELT_V2)], options=ReadOptions(region="all"))
    assert queries.get_event(engine, "gdelt:1100000002")["countries"] == ["RU"]
    assert queries.get_event(engine, "gdelt:1100000003")["countries"] == ["BH"]
    assert _ids(engine, countries=("BA",)) == {"gdelt:1100000004"}


# NumSources per row (column 33): 3 5 2 2 4 2 1 2 2 2 2 2; the region keeps rows 1, 4-8, 10, 12
@pytest.mark.parametrize("args, created, code", [
    ([], 7, 1),  # the region's eight rows less the bad latitude on line 8
    (["--min-sources", "4"], 1, 0),  # Zvecan (4 sources); Moscow (5) is outside the region
    (["--region", "all"], 11, 1),  # all twelve less line 8
])
def test_the_ingest_command_takes_the_gdelt_options(db_url, args, created, code, capsys):
    assert main(["--db", db_url, "ingest", *args, str(GDELT_V2)]) == code
    assert f" {created} new event(s)" in capsys.readouterr().out


def test_an_unknown_csv_lists_the_known_layouts(engine, tmp_path: Path):
    path = tmp_path / "budget.csv"
    path.write_text("year,amount\n2024,12\n", encoding="utf-8")
    [problem] = ingest_paths(engine, [str(path)]).problems
    assert "known layouts" in str(problem) and "ACLED" in str(problem) and "GDELT 2.0" in str(problem)


@pytest.fixture
def sample_with_acled(sample_db_url, tmp_path: Path) -> str:
    """A copy of the sample store with the ACLED fixture's five good rows added."""
    from dashboard.store import open_engine
    from tests.conftest import copy_sqlite

    url = copy_sqlite(sample_db_url, tmp_path / "with-acled.db")
    engine = open_engine(url)
    assert ingest_paths(engine, [str(ACLED_2023)]).events_created == 5
    engine.dispose()
    return url


@pytest.mark.parametrize("page", ["views/map.py", "views/timeline.py"])
@pytest.mark.parametrize("params, shown", [
    # the fixture's five good rows: five days and places, five developments
    ({"datasets": "acled"}, "5 development(s) (5 reports)"),
    # the sample: its curated events + the seed's 4, the gas agreement's two reports in one development
    ({"datasets": "curated"}, f"{count_sample_developments()} development(s) ({count_sample_events()} reports)"),
    ({"fatalities": "1"}, "1 development(s) (1 report)"),  # BIH9006, two fatalities
    ({"types": "Riots|Protests"}, "2 development(s) (2 reports)"),  # XKX9002 and BIH9001
])
def test_dataset_filters_from_the_url_on_each_page(sample_with_acled, monkeypatch, page, params, shown):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", sample_with_acled)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert shown in captions, captions


def test_the_dataset_widget_narrows_and_writes_the_url(sample_with_acled, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", sample_with_acled)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/timeline.py")
    at.run()
    at.multiselect(key="filter.datasets").set_value(["acled"]).run()
    at.number_input(key="filter.fatalities").set_value(1).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "1 development(s) (1 report)" in " ".join(c.value for c in at.caption)
    assert at.query_params["datasets"] in ("acled", ["acled"]) and at.query_params["fatalities"] in ("1", ["1"])


def test_acled_rows_carry_their_attribution_in_pages_exports_and_briefings(sample_with_acled, monkeypatch, tmp_path):
    import csv

    from streamlit.testing.v1 import AppTest

    from dashboard.briefing import build_briefing_html
    from dashboard.store import open_engine

    monkeypatch.setenv("DASHBOARD_DB_URL", sample_with_acled)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/timeline.py")
    at.run()
    # the newest ACLED timestamp among the stored rows is XKX9003's 1730500000: 2024-11-01 (UTC)
    assert any(c.value == "Source: ACLED (data as of 2024-11-01)" for c in at.caption)
    at2 = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at2.query_params["datasets"] = "curated"
    at2.switch_page("views/timeline.py")
    at2.run()
    assert not any("Source: ACLED" in c.value for c in at2.caption)  # no ACLED row shown: no credit
    out = tmp_path / "events.csv"
    assert main(["--db", sample_with_acled, "export", "events", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    acled = [r for r in rows if r["dataset"] == "acled"]
    assert len(acled) == 5 and all(r["attribution"].startswith("Source: ACLED (exported ") for r in acled)
    assert all(r["attribution"] == "" for r in rows if r["dataset"] != "acled")
    zvecan = next(r for r in acled if r["id"] == "acled:XKX9002")
    assert zvecan["country_names"] == "Kosovo" and "Zvečan" in zvecan["place_names"]
    engine = open_engine(sample_with_acled)
    html = build_briefing_html(engine, Filters(countries=("XK",)))
    assert "Source: ACLED (data as of 2024-11-01; exported " in html
    assert "Source: ACLED" not in build_briefing_html(engine, Filters(countries=("SI",)))
    engine.dispose()


def test_the_map_colours_by_fatalities(engine):
    from dashboard import charts

    ingest_paths(engine, [str(ACLED_2023)])
    # BIH9006 in the Federation counts 2; every other stored row counts 0
    assert charts.map_values(engine, Filters(), "country", "fatalities") == {"BA": 2}
    assert charts.map_values(engine, Filters(), "place", "fatalities") == {"BA": 2, "BA-BIH": 2}
