"""The event rules, once for ingest and curation: each case with its answer written by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, open_engine
from dashboard.store.rules import InvalidField, check_event

D1, D2 = date(2023, 1, 1), date(2023, 12, 31)


@pytest.mark.parametrize("values, field", [
    ({"status": "occurred"}, None),
    ({"status": "rumoured"}, "status"),
    ({"status": None}, "status"),
    ({"date_precision": "decade"}, "date_precision"),
    ({"category": "weather"}, "category"),
    ({"category": None}, None),
    ({"verification": "crowd"}, "verification"),
    ({"tracker_status": "paused"}, "tracker_status"),
    ({"date_start": D1, "date_end": D2, "date_precision": "year"}, None),
    ({"date_start": None, "date_end": D2, "date_precision": "year"}, "date_start"),
    ({"date_start": D1, "date_end": D2, "date_precision": None}, "date_precision"),
    ({"date_start": D2, "date_end": D1, "date_precision": "day"}, "date_end"),
    ({"date_start": None, "date_end": None, "date_precision": None}, None),
    ({"lat": 44.87, "lon": 18.81}, None),
    ({"lat": 91.0, "lon": 18.81}, "lat"),
    ({"lat": 44.87, "lon": -181.0}, "lon"),
    ({"lat": 44.87, "lon": None}, "lon"),
])
def test_check_event(values, field):
    if field is None:
        check_event(values)
        return
    with pytest.raises(InvalidField) as err:
        check_event(values)
    assert err.value.field == field


def test_ingest_and_curation_apply_the_same_rules(tmp_path):
    """The same broken end date is refused by the ingest (naming file, line, field) and by curation."""
    path = tmp_path / "events.jsonl"
    rows = [
        {"type": "event", "id": "synthetic-ok", "title": "Synthetic event (test data)", "status": "occurred",
         "date_start": "2023-05-01", "date_precision": "day", "countries": ["BA"]},
        {"type": "event", "id": "synthetic-bad", "title": "Synthetic event (test data)", "status": "occurred",
         "date_start": "2023-05-01", "date_end": "2023-04-01", "date_precision": "day", "countries": ["BA"]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'rules.db'}")
    report = ingest_paths(engine, [str(path)])
    assert report.events_created == 1
    [problem] = report.problems
    assert (problem.line, problem.field) == (2, "date_end") and "before date_start" in str(problem)
    with pytest.raises(curation.CurationError, match="date_end 2023-04-01 is before date_start 2023-05-01"):
        curation.edit_event(engine, "synthetic-ok", {"date_end": date(2023, 4, 1)}, "Ana")
    with pytest.raises(curation.CurationError, match="lat"):
        curation.edit_event(engine, "synthetic-ok", {"lat": 95.0, "lon": 18.0}, "Ana")
    engine.dispose()
