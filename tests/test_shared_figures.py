"""Page figures are built once and shared by every session (dashboard/ui/shared_figures.py), yet each
session sees the figure of its own state and of the data as it stands now.

Real SQLite file, real AppTest sessions of the app; the counts are the events this test wrote.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.store.records import EventRecord
from dashboard.store.writes import upsert_event

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def _event(event_id: str, country: str) -> EventRecord:
    return EventRecord(id=event_id, title=f"Synthetic event {event_id}", status="occurred",
                       date_start=date(2023, 5, 29), date_end=date(2023, 5, 29), date_precision="day",
                       countries=[country], category="security", verification="analyst",
                       source_name="synthetic test data")


def _regions(at: AppTest) -> dict:
    """The map's coloured layer as ``{region: (count, name shown)}``."""
    assert not at.exception, [e.message for e in at.exception]
    chart = next(el for el in at.get("plotly_chart") if el.proto.id and "map.chart" in el.proto.id)
    layer = next(t for t in json.loads(chart.proto.spec)["data"] if t.get("name") == "regions")
    return {loc: (z, custom[0]) for loc, z, custom in zip(layer["locations"], layer["z"], layer["customdata"],
                                                          strict=True)}


def _map_session(**params) -> AppTest:
    """A map session coloured by reports (events): the counts are the events written here (the two
    BA events of one day and title are one development)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"measure": "events", **params}.items():
        at.query_params[key] = value
    at.switch_page("views/map.py")
    at.run()
    return at


def test_a_shared_figure_follows_the_data_and_each_sessions_display(engine, db_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    with engine.begin() as conn:
        for i in range(2):
            upsert_event(conn, _event(f"ba-{i}", "BA"))
        upsert_event(conn, _event("xk-0", "XK"))

    first, second = _map_session(), _map_session()
    assert _regions(first)["BA"] == _regions(second)["BA"] == (2, "Bosnia and Herzegovina")
    assert _regions(first)["XK"] == (1, "Kosovo")
    # the same filter with Kosovo* labels is another figure, not the one already shared
    assert _regions(_map_session(kosovo="star"))["XK"] == (1, "Kosovo*")

    with engine.begin() as conn:  # a write: the next run of any session draws it
        upsert_event(conn, _event("ba-2", "BA"))
    second.run()
    assert _regions(second)["BA"][0] == 3
    assert _regions(_map_session())["BA"][0] == 3
