"""A living dataset (ACLED) re-imported: newer rows update, equal ones stay, withdrawn ones go, and
an analyst's correction is never overwritten but flagged with the dataset's version beside it."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, queries
from dashboard.store.writes import delete_dataset_events


def _row(event_id: str, stamp: int, fatalities: int, notes: str) -> dict:
    return {"type": "event", "id": event_id, "title": f"Synthetic {event_id} (test data)", "status": "occurred",
            "summary": notes, "countries": ["BA"], "dataset": "acled", "verification": "coded",
            "date_start": "2024-04-01", "date_precision": "day", "fatalities": fatalities, "source_updated": stamp}


def _write(path: Path, rows: list[dict]) -> str:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def test_newer_rows_update_equal_rows_stay(engine, tmp_path: Path):
    v1 = [_row("acled:A", 100, 0, "first"), _row("acled:B", 100, 0, "first"), _row("acled:C", 100, 0, "first")]
    assert ingest_paths(engine, [_write(tmp_path / "v1.jsonl", v1)]).events_created == 3
    again = ingest_paths(engine, [_write(tmp_path / "v1.jsonl", v1)])
    assert (again.events_created, again.events_updated, again.events_unchanged) == (0, 0, 3)
    # A is edited by the dataset (newer stamp); B's text differs under the same stamp: not a new version
    v2 = [_row("acled:A", 200, 3, "second"), _row("acled:B", 100, 0, "different, same stamp"), v1[2]]
    report = ingest_paths(engine, [_write(tmp_path / "v2.jsonl", v2)])
    assert (report.events_created, report.events_updated, report.events_unchanged) == (0, 1, 2)
    assert queries.get_event(engine, "acled:A")["fatalities"] == 3
    assert queries.get_event(engine, "acled:B")["summary"] == "first"


def test_a_corrected_event_is_flagged_not_overwritten(engine, tmp_path: Path):
    v1 = [_row("acled:C", 100, 0, "first")]
    ingest_paths(engine, [_write(tmp_path / "v1.jsonl", v1)])
    curation.edit_event(engine, "acled:C", {"summary": "Corrected by an analyst"}, "Ana")
    v3 = [_row("acled:C", 300, 5, "the dataset's new reading")]
    report = ingest_paths(engine, [_write(tmp_path / "v3.jsonl", v3)])
    assert report.events_flagged == 1 and report.events_updated == 0
    ev = queries.get_event(engine, "acled:C")
    assert (ev["summary"], ev["fatalities"]) == ("Corrected by an analyst", 0)
    assert "ACLED changed this event" in ev["review_flag"]
    pending = json.loads(ev["pending_version"])
    assert (pending["summary"], pending["fatalities"], pending["countries"]) == ("the dataset's new reading", 5, ["BA"])
    again = ingest_paths(engine, [_write(tmp_path / "v3.jsonl", v3)])  # the same newer version: flagged once
    assert again.events_flagged == 0 and again.events_unchanged == 1


def test_withdrawn_events_go_and_corrected_ones_are_flagged(engine, tmp_path: Path):
    rows = [_row("acled:A", 100, 0, "first"), _row("acled:C", 100, 0, "first")]
    ingest_paths(engine, [_write(tmp_path / "v1.jsonl", rows)])
    curation.edit_event(engine, "acled:C", {"summary": "Kept by an analyst"}, "Ana")
    with engine.begin() as conn:
        counts = delete_dataset_events(conn, [("acled:A", 400), ("acled:C", 400), ("acled:NOT-STORED", 400)])
    assert counts == {"deleted": 1, "flagged": 1, "missing": 1}
    assert queries.get_event(engine, "acled:A") is None
    kept = queries.get_event(engine, "acled:C")
    assert kept["summary"] == "Kept by an analyst" and "ACLED deleted this event" in kept["review_flag"]


def test_the_analyst_compares_and_settles_in_the_app(db_url, engine, tmp_path: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    ingest_paths(engine, [_write(tmp_path / "v1.jsonl", [_row("acled:C", 100, 0, "first")])])
    curation.edit_event(engine, "acled:C", {"summary": "Corrected by an analyst"}, "Ana")
    ingest_paths(engine, [_write(tmp_path / "v3.jsonl", [_row("acled:C", 300, 5, "the dataset's new reading")])])
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/map.py")
    at.session_state["map.event"] = ("acled:C", Filters())  # as a click on its marker leaves it
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("**Dataset:** ACLED" in m.value and "**Fatalities:** 0" in m.value for m in at.markdown)
    assert any(c.value == "Source: ACLED" for c in at.caption)
    [table] = [d for d in at.dataframe if "the dataset's" in d.value.columns]
    assert set(table.value["field"]) == {"fatalities", "summary"}
    key = "curation.pending.map.acled:C"
    at.text_input(key=f"{key}.editor").set_value("Bo")
    next(b for b in at.button if b.label == "Take the dataset's version" and key in b.form_id).click().run()
    assert not at.exception, [e.message for e in at.exception]
    ev = queries.get_event(engine, "acled:C")
    assert (ev["summary"], ev["fatalities"], ev["review_flag"], ev["pending_version"]) == (
        "the dataset's new reading", 5, None, None)
