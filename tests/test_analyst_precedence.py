"""Analysts' work wins: an edit survives a re-import of its own file, an analyst's reading replaces
the machine's. Both answers are known from the files themselves (read by hand, see each test)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import curation, queries

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SEED_ARTICLE = SAMPLE / "articles" / "nato-reassesses-western-balkans-presence.txt"


def test_an_edit_survives_a_reimport_of_the_file_that_holds_the_event(engine, tmp_path: Path):
    path = tmp_path / "events.jsonl"
    row = {"type": "event", "id": "synthetic-border-talks", "title": "Synthetic border talks (test data)",
           "status": "expected", "date_start": "2024-01-01", "date_end": "2024-12-31", "date_precision": "year",
           "countries": ["XK", "RS"], "verification": "machine", "source_name": "synthetic test data"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert ingest_paths(engine, [str(path)]).events_created == 1
    curation.edit_event(engine, "synthetic-border-talks", {"status": "occurred", "date_start": date(2024, 5, 6),
                                                           "date_end": date(2024, 5, 6), "date_precision": "day",
                                                           "countries": ["XK"]}, "Ana")
    again = ingest_paths(engine, [str(path)])  # the very file, still saying "expected", 2024, XK and RS
    assert (again.events_created, again.events_updated, again.events_unchanged) == (0, 0, 1)
    ev = queries.get_event(engine, "synthetic-border-talks")
    assert (ev["status"], ev["date_start"], ev["date_precision"], ev["countries"]) == (
        "occurred", date(2024, 5, 6), "day", ["XK"])


def test_an_analysts_reading_replaces_the_machines(engine, tmp_path: Path):
    """The seed article yields four machine readings; the sample's seed_events.jsonl holds four
    analyst readings of the same article, each quoting a sentence found in one machine reading's
    evidence. After both are in: four events, all the analyst's."""
    (tmp_path / "articles").mkdir()
    shutil.copy(SEED_ARTICLE, tmp_path / "articles" / SEED_ARTICLE.name)
    shutil.copy(SAMPLE / "seed_events.jsonl", tmp_path / "seed_events.jsonl")
    first = ingest_paths(engine, [str(tmp_path / "articles")])
    assert first.events_created == 4
    machine = queries.load_events(engine, Filters())
    assert set(machine["verification"]) == {"machine"} and set(machine["dataset"]) == {"machine"}
    second = ingest_paths(engine, [str(tmp_path / "seed_events.jsonl")])
    assert (second.events_created, second.events_superseded) == (4, 4)
    events = queries.load_events(engine, Filters())
    assert len(events) == 4 and set(events["verification"]) == {"analyst"}
    assert set(events["dataset"]) == {"curated"}  # an analyst's event file names no dataset: curated
