"""The stability indicator on a fixture with known events: every component against a hand count,
the score by the written formula, the arrow and its sentence, and the same numbers from the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.filters import Filters
from dashboard.indicator import Month, judge, latest_judged_month, series
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store.stability import monthly

CIVILIANS = {"civilian_targeting": "Civilian targeting"}
EVENTS = [  # synthetic test data, not news: Bosnia and Herzegovina, February and March 2024
    {"id": "t-feb-crisis", "title": "Synthetic assembly walk-out (test data)", "status": "occurred",
     "category": "politics", "countries": ["BA"], "date_start": "2024-02-10", "date_precision": "day",
     "location": "Banja Luka"},
    {"id": "t-mar-attack", "title": "Synthetic attack on villagers (test data)", "status": "occurred",
     "category": "security", "countries": ["BA"], "date_start": "2024-03-03", "date_precision": "day",
     "location": "Sarajevo", "actors": ["Synthetic Group A", "Synthetic Group B"], "fatalities": 3,
     "dataset": "acled", "verification": "coded", "attributes": CIVILIANS},
    {"id": "t-mar-clash", "title": "Synthetic clash at a checkpoint (test data)", "status": "occurred",
     "category": "security", "countries": ["BA"], "date_start": "2024-03-15", "date_precision": "day",
     "location": "Mostar", "actors": ["Synthetic Group B", "Synthetic Group C"]},
    {"id": "t-mar-protest", "title": "Synthetic teachers' protest (test data)", "status": "occurred",
     "category": "protest", "countries": ["BA"], "date_start": "2024-03-20", "date_precision": "day",
     "location": "Tuzla"},
    {"id": "t-mar-year", "title": "Synthetic reform programme for the year (test data)", "status": "occurred",
     "category": "politics", "countries": ["BA"], "date_start": "2024", "date_precision": "year"},
    {"id": "t-deal-due", "title": "Synthetic deal expected by March 2024 (test data)", "status": "expected",
     "category": "energy", "countries": ["BA"], "date_start": "2024-01-01", "date_end": "2024-03-31",
     "date_precision": "quarter"},
]


@pytest.fixture
def store(engine, tmp_path: Path):
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", **e}) for e in EVENTS) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == len(EVENTS)
    return engine


def test_every_component_against_a_hand_count(store):
    counts = monthly(store, Filters(countries=("BA",)), today=date(2026, 12, 1))
    feb, mar = counts[("BA", "2024-02")], counts[("BA", "2024-03")]
    assert (feb.developments, feb.political, feb.security, feb.places) == (1, 1, 0, 1)
    # March: two security incidents, one protest; the year-long programme has no month; the deal
    # expected by the end of March (quarter) fell overdue in March
    assert (mar.developments, mar.security, mar.protest, mar.political) == (3, 2, 1, 0)
    assert (mar.fatalities, mar.civilians, mar.places, mar.actors, mar.overdue) == (3, 1, 3, 3, 1)
    assert mar.overdue_titles == ["Synthetic deal expected by March 2024 (test data)"]
    # score by the formula: 3*2 + 1*1 + 2*log2(1+3) + 2*1 + 1*1 + 0.5*(3-1) + 0.5*(3-1) = 16
    assert mar.score == 16.0 and feb.score == 2.0


def test_the_arrow_and_the_sentence(store):
    counts = monthly(store, Filters(countries=("BA",)), today=date(2026, 12, 1))
    verdict = judge(counts[("BA", "2024-03")], counts[("BA", "2024-02")])
    assert verdict.arrow == "deteriorated"
    assert verdict.rule == "score 16 against 2: up 14, at least the margin 2"
    assert verdict.sentence == ("Deteriorated: 2 security incidents against 0 in February 2024, 3 fatalities, "
                                "1 event targeting civilians against 0 in February 2024.")


@pytest.mark.parametrize("before, after, arrow", [
    (dict(security=2), dict(security=2), "unchanged"),
    (dict(security=3, protest=2), dict(protest=1), "improved"),  # 11 -> 1: down 10, margin 2.75
    (dict(security=4), dict(security=4, protest=2), "unchanged"),  # 12 -> 14: up 2, under the margin 3
    (dict(security=4), dict(security=5), "deteriorated"),  # 12 -> 15: up 3, at least the margin 3
    (dict(), dict(protest=1), "too little data"),  # one development in the two months
])
def test_the_margin_rule(before, after, arrow):
    def month(m, counts):
        return Month(unit="BA", month=m, developments=sum(counts.values()) or 0, **counts)

    assert judge(month("2024-03", after), month("2024-02", before)).arrow == arrow


def test_empty_months_count_as_zero_in_a_series(store):
    counts = monthly(store, Filters(countries=("BA",)), today=date(2026, 12, 1))
    months = [m.month for m, _v in series(counts, "2024-01", "2024-04", ["BA"])]
    assert months == ["2024-01", "2024-02", "2024-03", "2024-04"]


def test_the_cli_gives_the_same_numbers(db_url, store, capsys):
    assert main(["--db", db_url, "stability", "--countries", "BA", "--from", "2024-02-01", "--to", "2024-03-31"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["month"], r["score"], r["arrow"]) for r in rows] == [("2024-02", 2.0, "too little data"),
                                                                   ("2024-03", 16.0, "deteriorated")]
    assert rows[1]["fatalities"] == 3 and rows[1]["overdue"] == 1


def test_a_sentence_can_name_the_spread(store):
    counts = monthly(store, Filters(countries=("BA",)), today=date(2026, 12, 1))
    # March against January (nothing): the spread (3 places) is among the components that moved
    verdict = judge(counts[("BA", "2024-03")], Month(unit="BA", month="2024-01"))
    assert verdict.arrow == "deteriorated" and verdict.sentence.startswith("Deteriorated: 2 security incidents")


def _values(array) -> list:
    """A plotly array as sent to the browser: a list, or typed binary (``{"dtype", "bdata"}``)."""
    if isinstance(array, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_the_overview_page(db_url, store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.query_params["to"] = "2024-03-31"
    at.run()  # the default page, at "/"
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Stability overview"
    table = at.dataframe[0].value
    bosnia = table[table["unit"] == "Bosnia and Herzegovina"].iloc[0]
    assert (bosnia["arrow"], bosnia["score"], bosnia["previous"]) == ("▲ deteriorated", 16.0, 2.0)
    assert bosnia["why"].startswith("Deteriorated: 2 security incidents against 0 in February 2024")
    assert "Republika Srpska" in " ".join(table["unit"])  # the entities under Bosnia
    text = " ".join(m.value for m in at.markdown)
    # the small multiples: a panel per country on one scale; Bosnia's March holds the fixture's two
    # security incidents and one protest, its February one political crisis (the year-long item has no month)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bosnia_traces = {d["name"]: _values(d["y"]) for d in spec["data"] if d["hovertemplate"].startswith("Bosnia")}
    assert bosnia_traces["security incidents"][-1] == 2 and bosnia_traces["protests"][-1] == 1
    assert bosnia_traces["political crises"][-2] == 1
    axes = {k.replace("axis", ""): v for k, v in spec["layout"].items() if k.startswith("yaxis")}
    assert len(axes) == 9 and len({v.get("matches", k) for k, v in axes.items()}) == 1  # one scale for all
    assert "Synthetic attack on villagers" in text  # the month's most significant development
    assert "Synthetic deal expected by March 2024" in text  # fell overdue in March


def test_an_analysts_judgement_stands_beside_the_arrow_and_survives_a_reimport(db_url, store, tmp_path, capsys):
    from dashboard.store.curation import CurationError
    from dashboard.store.judgements import judgements, set_judgement

    with pytest.raises(CurationError, match="reason"):
        set_judgement(store, "BA", "2024-03", "unchanged", "  ", "Ana")
    with pytest.raises(CurationError, match="not one of"):
        set_judgement(store, "BA", "2024-03", "worse", "x", "Ana")
    with pytest.raises(CurationError, match="month"):
        set_judgement(store, "BA", "2024-13", "unchanged", "x", "Ana")
    assert set_judgement(store, "BA", "2024-03", "unchanged", "Incidents were local and contained.", "Ana")
    assert not set_judgement(store, "BA", "2024-03", "unchanged", "Incidents were local and contained.", "Ana")
    assert set_judgement(store, "BA-SRP", "2024-03", "improved", "Talks resumed.", "Bo")
    assert set_judgement(store, "BA-SRP", "2024-03", None, None, "Bo")  # withdrawn
    # the same events again: nothing of the judgement is lost
    path = tmp_path / "again.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", **e}) for e in EVENTS) + "\n", encoding="utf-8")
    assert ingest_paths(store, [str(path)]).events_created == 0
    assert {k: (v["arrow"], v["editor"]) for k, v in judgements(store).items()} == {
        ("BA", "2024-03"): ("unchanged", "Ana")}
    assert main(["--db", db_url, "stability", "--countries", "BA", "--from", "2024-03-01", "--to", "2024-03-31"]) == 0
    [march] = json.loads(capsys.readouterr().out)
    assert (march["arrow"], march["analyst_arrow"], march["analyst"]) == ("deteriorated", "unchanged", "Ana")
    assert march["analyst_reason"] == "Incidents were local and contained."


def test_a_rebuild_replays_the_judgements(own_sample, capsys):
    from sqlalchemy import text

    from dashboard.store import open_engine
    from dashboard.store.judgements import judgements, set_judgement

    engine = open_engine(own_sample)
    set_judgement(engine, "XK", "2023-05", "deteriorated", "Clashes with KFOR in Zvečan.", "Ana")
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()
    assert main(["--db", own_sample, "build-sample"]) == 0
    assert "1 analysts' edit(s) reapplied" in capsys.readouterr().err
    engine = open_engine(own_sample)
    assert judgements(engine)[("XK", "2023-05")]["reason"] == "Clashes with KFOR in Zvečan."
    engine.dispose()


def test_the_overview_takes_an_analysts_judgement(db_url, store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.query_params["to"] = "2024-03-31"
    at.run()
    at.selectbox(key="judgement.2024-03.unit").set_value("BA")
    at.radio(key="judgement.2024-03.arrow").set_value("unchanged")
    at.text_area(key="judgement.2024-03.reason").input("Incidents were local and contained.")
    at.text_input(key="judgement.2024-03.editor").input("Ana")
    next(b for b in at.button if b.label == "Save judgement").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[0].value
    bosnia = table[table["unit"] == "Bosnia and Herzegovina"].iloc[0]
    assert bosnia["arrow"] == "▲ deteriorated"  # the computed arrow stays
    assert bosnia["analyst"] == "► unchanged (Ana): Incidents were local and contained."


def _media_store(engine, tmp_path):
    rows = [  # synthetic test data, not news: one curated protest and three GDELT rows in Serbia
        {"id": "t-rs-protest", "title": "Synthetic students' march (test data)", "status": "occurred",
         "category": "protest", "countries": ["RS"], "date_start": "2024-01-20", "date_precision": "day",
         "verification": "analyst"},
        *({"id": f"gdelt:{n}", "title": f"Synthetic GDELT row {n} (test data)", "status": "occurred",
           "category": "diplomacy", "countries": ["RS"], "date_start": f"2024-01-0{n}", "date_precision": "day",
           "dataset": "gdelt", "attributes": {"QuadClass": q, "GoldsteinScale": g, "AvgTone": t}}
          for n, q, g, t in ((1, 4, -10.0, -5.0), (2, 1, 2.0, 1.0), (3, 3, -4.0, -2.0))),
    ]
    path = tmp_path / "media.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", **r}) for r in rows) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == 4


def test_the_gdelt_media_signal_is_kept_apart_from_the_score(engine, tmp_path):
    _media_store(engine, tmp_path)
    january = monthly(engine, Filters(countries=("RS",)), today=date(2026, 12, 1))[("RS", "2024-01")]
    assert (january.developments, january.protest, january.political, january.score) == (1, 1, 0, 1.0)
    # by hand: 3 rows; QuadClass 4 and 3 are conflict: 2/3; Goldstein (-10 + 2 - 4)/3; tone (-5 + 1 - 2)/3
    assert january.media == {"volume": 3, "conflict_share": 0.667, "goldstein": -4.0, "tone": -2.0}
    # asked for curated data only, there is no media signal
    assert monthly(engine, Filters(countries=("RS",), datasets=("curated",)),
                   today=date(2026, 12, 1))[("RS", "2024-01")].media == {}


def test_the_month_table_export_in_csv_and_xlsx(db_url, store, tmp_path):
    """CrisisWatch's month table: a row per unit and month, the arrow and the sentence first."""
    import csv

    from openpyxl import load_workbook

    from dashboard.store.judgements import set_judgement

    set_judgement(store, "BA", "2024-03", "unchanged", "Incidents were local.", "Ana")
    out = tmp_path / "months.csv"
    assert main(["--db", db_url, "export", "stability", "--countries", "BA", "--from", "2024-02-01",
                 "--to", "2024-03-31", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # two months x (Bosnia and its three units), month by month
    assert [(r["month"], r["unit"]) for r in rows] == [
        (m, u) for m in ("2024-02", "2024-03") for u in ("BA", "BA-SRP", "BA-BIH", "BA-BRC")]
    march = rows[4]
    assert (march["unit_name"], march["arrow"], march["score"]) == ("Bosnia and Herzegovina", "deteriorated", "16.0")
    assert (march["analyst_arrow"], march["analyst_reason"]) == ("unchanged", "Incidents were local.")
    assert list(rows[0])[:5] == ["month", "unit", "unit_name", "arrow", "sentence"]
    xlsx = tmp_path / "months.xlsx"
    assert main(["--db", db_url, "export", "stability", "--countries", "BA", "--from", "2024-02-01",
                 "--to", "2024-03-31", "--format", "xlsx", "-o", str(xlsx)]) == 0
    sheet = load_workbook(xlsx)["stability"]
    assert sheet.max_row == 1 + 8 and sheet["D6"].value == "deteriorated"


def test_the_cli_csv_keeps_a_typed_reason_from_becoming_a_formula(db_url, store, capsys):
    from dashboard.store.judgements import set_judgement

    set_judgement(store, "BA", "2024-03", "unchanged", "=HYPERLINK(\"http://x\")", "Ana")
    assert main(["--db", db_url, "stability", "--countries", "BA", "--from", "2024-03-01", "--to", "2024-03-31",
                 "--format", "csv"]) == 0
    import csv
    import io

    [march] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert march["analyst_reason"] == "'=HYPERLINK(\"http://x\")"


def test_a_thin_month_points_to_the_latest_month_with_a_trend(db_url, store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.query_params["to"] = "2024-05-31"  # nothing in April or May: too little data everywhere
    at.run()
    assert any("The latest month with one is March 2024" in i.value for i in at.info), [i.value for i in at.info]
    at.button(key="overview.jump").click().run()
    table = at.dataframe[0].value
    assert table[table["unit"] == "Bosnia and Herzegovina"].iloc[0]["arrow"] == "▲ deteriorated"  # March's arrow
    assert not at.info or not any("The latest month" in i.value for i in at.info)


def test_latest_judged_month_by_hand():
    counts = {("BA", "2024-02"): Month(unit="BA", month="2024-02", developments=1, political=1),
              ("BA", "2024-03"): Month(unit="BA", month="2024-03", developments=3, security=3)}
    assert latest_judged_month(counts, ["BA"], "2024-06") == "2024-03"  # 1 + 3 developments in Feb-Mar
    assert latest_judged_month(counts, ["BA"], "2024-02") is None  # Jan-Feb: one development
    assert latest_judged_month(counts, ["XK"], "2024-06") is None
