"""Events with coordinates get their country and sub-national places by point-in-polygon at ingest."""

from __future__ import annotations

import json

import pytest

from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import queries

TOWNS = [
    ("banja-luka", 44.772, 17.191, "BA", "BA-SRP"),
    ("sarajevo", 43.856, 18.413, "BA", "BA-BIH"),
    ("brcko", 44.873, 18.811, "BA", "BA-BRC"),
    ("north-mitrovica", 42.893, 20.866, "XK", "XK-NORTH"),
    ("tiraspol", 46.840, 29.643, "MD", "MD-SN"),
]


@pytest.fixture
def located(engine, tmp_path):
    path = tmp_path / "located.jsonl"
    rows = [{"type": "event", "id": f"synthetic-{slug}", "title": f"Synthetic event in {slug}", "status": "occurred",
             "lat": lat, "lon": lon, "source_name": "synthetic test data"} for slug, lat, lon, _c, _p in TOWNS]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert report.exit_code == 0, report.problems
    return engine


@pytest.mark.parametrize("slug, lat, lon, country, place", TOWNS)
def test_point_in_polygon_fills_country_and_place(located, slug, lat, lon, country, place):
    ev = queries.get_event(located, f"synthetic-{slug}")
    assert ev["countries"] == [country]
    assert place in ev["places"]
    assert ev["review_flag"] is None


def test_machine_event_whose_text_and_coordinates_disagree_is_flagged(engine, tmp_path):
    path = tmp_path / "disagree.jsonl"
    row = {"type": "event", "id": "synthetic-disagree", "title": "Synthetic event", "status": "occurred",
           "countries": ["BA"], "places": ["BA-SRP"], "lat": 43.856, "lon": 18.413,  # Sarajevo: the Federation
           "verification": "machine", "source_name": "synthetic test data"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    ingest_paths(engine, [str(path)])
    ev = queries.get_event(engine, "synthetic-disagree")
    assert "Federation of Bosnia and Herzegovina" in ev["review_flag"]
    assert "Republika Srpska" in ev["review_flag"]
    assert "BA-BIH" not in ev["places"]  # a contradiction is flagged, not silently merged


def test_export_carries_places(located, tmp_path):
    from dashboard import export
    from dashboard.filters import Filters

    out = tmp_path / "events.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        export.write(located, "events", "jsonl", Filters(places=("XK-NORTH",)), fh)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["synthetic-north-mitrovica"]
    assert "XK-NORTH" in rows[0]["places"]
