"""Two analysts editing one event: the second save, made on the version before the first, is refused
with both versions shown, and nothing of the first is lost (store and app, a real SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from test_migrations import pg_database  # noqa: F401  (a database of its own on the throwaway server)

from dashboard.filters import Filters
from dashboard.store import curation, open_engine, queries
from dashboard.store import schema as s

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
GAS = "seed-rs-russia-gas-agreement"


def _edits(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.edits)).scalar_one()


def test_the_second_save_on_a_stale_version_is_refused(own_sample):
    engine = open_engine(own_sample)
    before = queries.get_event(engine, GAS)
    assert before["status"] != "occurred"
    seen_by_ana = seen_by_bo = curation.event_version(engine, GAS)
    assert curation.edit_event(engine, GAS, {"title": "Gas agreement (Ana's title)"}, "Ana", seen=seen_by_ana)
    edits = _edits(engine)
    with pytest.raises(curation.StaleEdit, match="changed by Ana at .* nothing was saved") as refused:
        curation.edit_event(engine, GAS, {"status": "occurred", "title": before["title"]}, "Bo", seen=seen_by_bo)
    assert refused.value.differences == [("status", before["status"], "occurred"),
                                         ("title", "Gas agreement (Ana's title)", before["title"])]
    after = queries.get_event(engine, GAS)
    assert (after["title"], after["status"]) == ("Gas agreement (Ana's title)", before["status"])
    assert _edits(engine) == edits  # nothing of Bo's was logged
    # Bo looks again and saves on the version now stored
    assert curation.edit_event(engine, GAS, {"status": "occurred"}, "Bo",
                               seen=curation.event_version(engine, GAS)) == ["status"]
    engine.dispose()


def test_a_stale_save_that_changes_nothing_is_no_conflict(own_sample):
    engine = open_engine(own_sample)
    seen = curation.event_version(engine, GAS)
    curation.edit_event(engine, GAS, {"status": "occurred"}, "Ana", seen=seen)
    assert curation.edit_event(engine, GAS, {"status": "occurred"}, "Bo", seen=seen) == []
    engine.dispose()


def _panel(url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/map.py")
    at.run()
    at.session_state["map.event"] = (GAS, Filters())  # as a click on its marker leaves it
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _save(at, key):
    next(b for b in at.button if b.label == "Save correction" and key in b.form_id).click().run()
    assert not at.exception, [e.message for e in at.exception]


def test_two_analysts_in_the_app(own_sample, monkeypatch):
    key = f"curation.map.{GAS}"
    ana, bo = _panel(own_sample, monkeypatch), _panel(own_sample, monkeypatch)  # both open the event
    ana.text_input(key=f"{key}.editor").set_value("Ana")
    ana.text_input(key=f"{key}.title").set_value("Gas agreement (Ana's title)")
    _save(ana, key)
    assert any("Saved" in m.value for m in ana.success)
    bo.text_input(key=f"{key}.editor").set_value("Bo")
    bo.selectbox(key=f"{key}.status").set_value("occurred")
    _save(bo, key)
    assert any("changed by Ana" in e.value and "nothing was saved" in e.value for e in bo.error)
    shown = next(d.value for d in bo.dataframe if "stored now" in d.value.columns)
    assert set(shown["field"]) >= {"title", "status"}
    assert "Gas agreement (Ana's title)" in set(shown["stored now"])
    engine = open_engine(own_sample)
    ev = queries.get_event(engine, GAS)
    assert ev["title"] == "Gas agreement (Ana's title)" and ev["status"] != "occurred"
    # Bo saves again, now on the stored version: his status goes in, Ana's title stays
    bo.text_input(key=f"{key}.title").set_value("Gas agreement (Ana's title)")
    _save(bo, key)
    ev = queries.get_event(engine, GAS)
    assert (ev["title"], ev["status"]) == ("Gas agreement (Ana's title)", "occurred")
    engine.dispose()


@pytest.mark.postgres
def test_the_second_save_is_refused_on_postgres(pg_database):  # noqa: F811
    from dashboard.ingest.sample import load_sample

    engine = open_engine(pg_database)
    assert not load_sample(engine).problems
    seen = curation.event_version(engine, GAS)
    curation.edit_event(engine, GAS, {"title": "Gas agreement (Ana's title)"}, "Ana", seen=seen)
    with pytest.raises(curation.StaleEdit, match="changed by Ana"):
        curation.edit_event(engine, GAS, {"status": "occurred"}, "Bo", seen=seen)
    assert queries.get_event(engine, GAS)["title"] == "Gas agreement (Ana's title)"
    assert curation.edit_event(engine, GAS, {"status": "occurred"}, "Bo",
                               seen=curation.event_version(engine, GAS)) == ["status"]
    engine.dispose()
