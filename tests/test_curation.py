"""Curation on a real SQLite file and through AppTest: corrections are logged, survive re-imports
and restarts, and show as analyst-verified."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.ingest.sample import load_sample
from dashboard.store import curation, open_engine, queries
from tests.conftest import count_sample_events, sample_tracker_states

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
GAS = "seed-rs-russia-gas-agreement"
GAS_LEAD = "ev-2023-q4-rs-russia-long-term-gas-deal-expected"  # leads the gas development


MACHINE_ID = "synthetic-machine-reading"


def _add_machine_event(url: str, tmp_path) -> str:
    """A machine-extracted event (synthetic) to correct: the sample's machine readings are all curated."""
    path = tmp_path / "machine.jsonl"
    row = {"type": "event", "id": MACHINE_ID, "title": "Synthetic machine reading (test data)", "status": "statement",
           "countries": ["XK"], "verification": "machine", "confidence": 0.6, "source_name": "synthetic test data"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    engine = open_engine(url)
    assert ingest_paths(engine, [str(path)]).events_created == 1
    engine.dispose()
    return MACHINE_ID


def test_edit_is_logged_and_survives_reimport_and_restart(own_sample, tmp_path):
    machine_id = _add_machine_event(own_sample, tmp_path)
    engine = open_engine(own_sample)
    changed = curation.edit_event(engine, machine_id, {"status": "occurred", "date_start": date(2023, 11, 20),
                                                       "date_end": date(2023, 11, 20), "date_precision": "day",
                                                       "verification": "analyst"}, "Ana Analyst")
    assert set(changed) == {"status", "date_start", "date_end", "date_precision", "verification"}
    log = curation.history(engine, "event", machine_id)
    assert {e["editor"] for e in log} == {"Ana Analyst"} and len(log) == 5
    # A re-import of the sample does not undo the analyst's work.
    report = load_sample(engine)
    assert not report.problems
    engine.dispose()
    # "Restart": a new engine on the same file.
    engine = open_engine(own_sample)
    ev = queries.get_event(engine, machine_id)
    assert (ev["status"], ev["date_start"], ev["verification"]) == ("occurred", date(2023, 11, 20), "analyst")


def test_bad_corrections_are_refused_with_a_reason(own_sample):
    engine = open_engine(own_sample)
    with pytest.raises(curation.CurationError, match="before date_start"):
        curation.edit_event(engine, GAS, {"date_end": date(2022, 1, 1)}, "Ana")
    with pytest.raises(curation.CurationError, match="who"):
        curation.edit_event(engine, GAS, {"status": "occurred"}, "  ")
    with pytest.raises(curation.CurationError, match="cannot be edited"):
        curation.edit_event(engine, GAS, {"id": "x"}, "Ana")


def test_tracker_states(own_sample):
    """The gas agreement is tracked by its development's lead report, the curated item (a quarter)."""
    engine = open_engine(own_sample)
    today = date(2026, 11, 29)
    items = queries.expected_items(engine, Filters(countries=("BA",)), today=today)
    gas = items.set_index("id").loc[GAS_LEAD]
    assert gas["state"] == "overdue" and gas["date_end"] == date(2023, 12, 31)
    # Moving the deadline later marks it slipped (while the new deadline is ahead).
    curation.edit_event(engine, GAS_LEAD, {"date_end": date(2027, 6, 30)}, "Ana")
    gas = queries.expected_items(engine, Filters(), today=today).set_index("id").loc[GAS_LEAD]
    assert gas["state"] == "slipped" and gas["first_deadline"] == date(2023, 12, 31)
    outcome = queries.outcome_candidates(engine, GAS_LEAD)
    assert len(outcome)
    curation.link_outcome(engine, GAS_LEAD, outcome["id"].iloc[0], "Ana")
    gas = queries.expected_items(engine, Filters(), today=today).set_index("id").loc[GAS_LEAD]
    assert gas["state"] == "realised"
    curation.link_outcome(engine, GAS_LEAD, None, "Ana")
    curation.edit_event(engine, GAS_LEAD, {"tracker_status": "abandoned"}, "Ana")
    gas = queries.expected_items(engine, Filters(), today=today).set_index("id").loc[GAS_LEAD]
    assert gas["state"] == "abandoned"


def test_tag_add_and_remove(own_sample):
    engine = open_engine(own_sample)
    article_id = queries.load_articles(engine, Filters(countries=("BA",)))["id"].iloc[0]
    assert curation.add_tag(engine, int(article_id), "country", "rs", "Ana")
    assert queries.count_articles(engine, Filters(countries=("RS",))) >= 1
    tags = queries.get_article(engine, int(article_id))["tags"]
    added = next(t for t in tags if t["kind"] == "country" and t["value"] == "RS")
    assert added["verification"] == "analyst"
    assert curation.remove_tag(engine, int(article_id), "country", "RS", "Ana")
    assert not curation.remove_tag(engine, int(article_id), "country", "RS", "Ana")


def _app(url, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_tracker_page_lists_expected_items_by_deadline(own_sample, monkeypatch):
    at = _app(own_sample, monkeypatch, "views/expected.py")
    # the seed's expected gas agreement and the curated one report the same agreement: one
    # development, listed once, with both reports
    n = sum(sample_tracker_states().values())
    assert n == count_sample_events(status="expected") - 1
    captions = [c.value for c in at.caption]
    assert any(f"{n} expected development(s)" in c for c in captions), captions
    text = " ".join(m.value for m in at.markdown)
    assert "RS premier says long\\-term gas supply deal with Russia" in text and "overdue" in text  # Markdown-escaped
    assert "2 reports from 2 sources" in text
    # Filtering to a country with no expected item shows the empty state.
    at.multiselect(key="filter.countries").set_value(["GR"]).run()  # Greece: in the sample, nothing expected
    assert any("No expected developments match" in i.value for i in at.info)


def test_curation_form_in_the_app_marks_verified(own_sample, monkeypatch, tmp_path):
    machine_id = _add_machine_event(own_sample, tmp_path)
    engine = open_engine(own_sample)
    at, key = _event_on_the_map(own_sample, monkeypatch, machine_id)
    at.text_input(key=f"{key}.editor").set_value("Ana Analyst")
    at.checkbox(key=f"{key}.verified").check()
    at.selectbox(key=f"{key}.status").set_value("occurred")
    _save_form(at, key)
    ev = queries.get_event(engine, machine_id)
    assert (ev["verification"], ev["status"]) == ("analyst", "occurred"), ([e.value for e in at.error], [i.value for i in at.info])
    assert any("Saved" in s.value for s in at.success)
    assert curation.history(engine, "event", machine_id)[0]["editor"] == "Ana Analyst"


def _event_ids_matching(engine, text: str) -> set[str]:
    return set(queries.load_events(engine, Filters(text=text), limit=100)["id"])


def test_event_text_search_follows_edits_deletes_and_old_files(own_sample, tmp_path):
    """The events' full-text index is kept by triggers: edits and deletes show at once, and a file
    made before the index existed gets it built when opened."""
    from sqlalchemy import text

    machine_id = _add_machine_event(own_sample, tmp_path)
    engine = open_engine(own_sample)
    assert machine_id in _event_ids_matching(engine, "synthetic machine reading")
    curation.edit_event(engine, machine_id, {"title": "Synthetic retitled reading (test data)"}, "Ana Analyst")
    assert machine_id in _event_ids_matching(engine, "retitled")
    assert machine_id not in _event_ids_matching(engine, "machine reading")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")  # raises on drift
        conn.execute(text("DELETE FROM events WHERE id = :i"), {"i": machine_id})
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
    assert _event_ids_matching(engine, "retitled") == set()
    gas = _event_ids_matching(engine, "gas")
    assert GAS in gas
    with engine.begin() as conn:  # make the file look like one from before the index existed
        for trigger in ("ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER events_fts_{trigger}")
        # and the insert trigger of the first version of the index, which must go again
        conn.exec_driver_sql("CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN "
                             "INSERT INTO events_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END")
        conn.exec_driver_sql("DROP TABLE events_fts")
    engine.dispose()
    engine = open_engine(own_sample)
    assert _event_ids_matching(engine, "gas") == gas
    _add_machine_event(own_sample, tmp_path)  # indexed once (no trigger left to index it twice)
    with engine.begin() as conn:
        triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        conn.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
    assert triggers == {"events_fts_ad", "events_fts_au"}
    assert machine_id in _event_ids_matching(engine, "synthetic machine reading")
    engine.dispose()


def _event_on_the_map(url: str, monkeypatch, event_id: str):
    """The map page with ``event_id``'s panel open, as a click on its marker leaves it; and the form's key."""
    at = _app(url, monkeypatch, "views/map.py")
    at.session_state["map.event"] = (event_id, Filters())  # as a click on its marker leaves it
    at.run()
    return at, f"curation.map.{event_id}"


def _save_form(at, key: str) -> None:
    form_button = next(b for b in at.button if b.label == "Save correction" and key in b.form_id)
    form_button.click().run()
    assert not at.exception, [e.message for e in at.exception]


def test_a_verification_can_be_taken_back_and_a_title_edited(own_sample, monkeypatch, tmp_path):
    machine_id = _add_machine_event(own_sample, tmp_path)
    engine = open_engine(own_sample)
    curation.verify_event(engine, machine_id, "Ana Analyst")
    at, key = _event_on_the_map(own_sample, monkeypatch, machine_id)
    at.text_input(key=f"{key}.editor").set_value("Bo Reviewer")
    at.checkbox(key=f"{key}.verified").uncheck()
    _save_form(at, key)
    assert not any("Nothing changed" in i.value for i in at.info)
    # back to what it was before the analyst verified it: a machine reading
    assert queries.get_event(engine, machine_id)["verification"] == "machine"
    at.text_input(key=f"{key}.title").set_value("Synthetic machine reading, retitled (test data)")
    at.text_input(key=f"{key}.editor").set_value("Bo Reviewer")
    _save_form(at, key)
    assert queries.get_event(engine, machine_id)["title"] == "Synthetic machine reading, retitled (test data)"
    fields = [e["field"] for e in curation.history(engine, "event", machine_id)]
    assert fields.count("verification") == 2 and "title" in fields
