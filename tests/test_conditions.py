"""The filter as SQL, on a store of six synthetic events whose answers are written by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import queries

EVENTS = [  # synthetic test data, not news
    {"id": "e-ba-2023", "title": "Synthetic budget vote in Banja Luka", "status": "occurred", "countries": ["BA"],
     "places": ["BA-SRP"], "category": "politics", "date_start": "2023-03-01", "date_precision": "day"},
    {"id": "e-ba-xk-2022", "title": "Synthetic joint statement on energy", "status": "statement",
     "countries": ["BA", "XK"], "category": "energy", "date_start": "2022-06-01", "date_end": "2022-06-30",
     "date_precision": "month"},
    {"id": "e-xk-undated", "title": "Synthetic talks in Priština", "status": "ongoing", "countries": ["XK"],
     "category": "diplomacy", "topics": ["security"]},
    {"id": "e-rs-2023-2024", "title": "Synthetic gas pipeline works", "status": "ongoing", "countries": ["RS"],
     "category": "energy", "date_start": "2023-11-01", "date_end": "2024-02-29", "date_precision": "month"},
    {"id": "e-me-2021", "title": "Synthetic election in Podgorica", "status": "occurred", "countries": ["ME"],
     "category": "elections", "date_start": "2021-08-30", "date_precision": "day"},
    {"id": "e-ba-expected", "title": "Synthetic gas deal expected by end-2024", "status": "expected",
     "countries": ["BA"], "places": ["BA-SRP"], "category": "energy", "date_start": "2024-01-01",
     "date_end": "2024-12-31", "date_precision": "year"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from dashboard.store import open_engine

    folder = tmp_path_factory.mktemp("conditions")
    path = folder / "events.jsonl"
    path.write_text("\n".join(json.dumps({"type": "event", **e}) for e in EVENTS) + "\n", encoding="utf-8")
    engine = open_engine(f"sqlite:///{folder / 'c.db'}")
    assert ingest_paths(engine, [str(path)]).events_created == len(EVENTS)
    yield engine
    engine.dispose()


Y2023 = dict(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))


@pytest.mark.parametrize("f, ids", [
    (Filters(), {"e-ba-2023", "e-ba-xk-2022", "e-xk-undated", "e-rs-2023-2024", "e-me-2021", "e-ba-expected"}),
    (Filters(countries=("BA",)), {"e-ba-2023", "e-ba-xk-2022", "e-ba-expected"}),
    (Filters(countries=("XK", "ME")), {"e-ba-xk-2022", "e-xk-undated", "e-me-2021"}),
    (Filters(places=("BA-SRP",)), {"e-ba-2023", "e-ba-expected"}),
    (Filters(topics=("energy",)), {"e-ba-xk-2022", "e-rs-2023-2024", "e-ba-expected"}),
    (Filters(topics=("security",)), {"e-xk-undated"}),  # by its topic link, not its category
    # a period overlapping 2023 counts: the RS works run from November 2023 into 2024; undated shown
    (Filters(**Y2023), {"e-ba-2023", "e-rs-2023-2024", "e-xk-undated"}),
    (Filters(**Y2023, include_undated=False), {"e-ba-2023", "e-rs-2023-2024"}),
    (Filters(countries=("BA",), **Y2023), {"e-ba-2023"}),
    (Filters(date_from=date(2024, 6, 1), include_undated=False), {"e-ba-expected"}),
    (Filters(date_to=date(2021, 12, 31), include_undated=False), {"e-me-2021"}),
    (Filters(text="pristina"), {"e-xk-undated"}),  # without the diacritic
    (Filters(text="gas"), {"e-rs-2023-2024", "e-ba-expected"}),
    (Filters(text="gas", countries=("BA",)), {"e-ba-expected"}),
    (Filters(text='"; DROP TABLE events; --'), set()),  # hostile text is words, nothing else
    (Filters(text="!!!"), set()),  # no word at all matches nothing
])
def test_filter_selects_exactly(store, f, ids):
    assert set(queries.load_events(store, f)["id"]) == ids
    assert queries.count_events(store, f) == len(ids)


DATASET_EVENTS = [  # synthetic rows as the ACLED and GDELT readers give them (test data, not news)
    {"id": "acled:SYN1", "title": "Synthetic protest (test data)", "status": "occurred", "countries": ["RS"],
     "dataset": "acled", "verification": "coded", "event_type": "Protests", "fatalities": 0,
     "date_start": "2024-03-01", "date_precision": "day"},
    {"id": "acled:SYN2", "title": "Synthetic armed clash (test data)", "status": "occurred", "countries": ["XK"],
     "dataset": "acled", "verification": "coded", "event_type": "Battles", "fatalities": 2,
     "date_start": "2024-03-02", "date_precision": "day"},
    {"id": "gdelt:1", "title": "Synthetic GDELT row, one source (test data)", "status": "occurred",
     "countries": ["RS"], "dataset": "gdelt", "event_type": "Protest", "num_sources": 1,
     "date_start": "2024-03-03", "date_precision": "day"},
    {"id": "gdelt:2", "title": "Synthetic GDELT row, three sources (test data)", "status": "occurred",
     "countries": ["RS"], "dataset": "gdelt", "event_type": "Protest", "num_sources": 3,
     "date_start": "2024-03-03", "date_precision": "day"},
]


@pytest.fixture(scope="module")
def dataset_store(tmp_path_factory):
    from dashboard.store import open_engine

    folder = tmp_path_factory.mktemp("datasets")
    path = folder / "events.jsonl"
    rows = [*EVENTS, *DATASET_EVENTS]
    path.write_text("\n".join(json.dumps({"type": "event", **e}) for e in rows) + "\n", encoding="utf-8")
    engine = open_engine(f"sqlite:///{folder / 'd.db'}")
    assert ingest_paths(engine, [str(path)]).events_created == len(rows)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("f, ids", [
    (Filters(datasets=("acled",)), {"acled:SYN1", "acled:SYN2"}),
    (Filters(datasets=("gdelt", "acled"), countries=("XK",)), {"acled:SYN2"}),
    # the six hand-made events above name no dataset and no analyst: other imports
    (Filters(datasets=("import",)), {e["id"] for e in EVENTS}),
    (Filters(event_types=("Battles", "Protest")), {"acled:SYN2", "gdelt:1", "gdelt:2"}),
    (Filters(min_fatalities=1), {"acled:SYN2"}),
    # at least 2 sources: only the GDELT row reported by three; events that count none have one
    (Filters(min_sources=2), {"gdelt:2"}),
    (Filters(min_sources=1, datasets=("gdelt",)), {"gdelt:1", "gdelt:2"}),
])
def test_dataset_filters_select_exactly(dataset_store, f, ids):
    assert set(queries.load_events(dataset_store, f)["id"]) == ids
    assert queries.count_events(dataset_store, f) == len(ids)


def test_dataset_facets(dataset_store):
    options = queries.facet_options(dataset_store)
    assert options["datasets"] == ["acled", "gdelt", "import"]
    assert options["event_types"] == ["Battles", "Protest", "Protests"]
