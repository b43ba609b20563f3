"""Developments found from short candidate lists (prefix words, same day at a town) decide exactly
as comparing every new report with every development would: the reference below compares all
pairs with ``grouping.same_development`` and must give the very same grouping.

Synthetic test data, not news: made-up words, so that word overlaps fall on both sides of the
thresholds."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from sqlalchemy import select

from dashboard.grouping import Reading, prefix_length, same_development
from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import developments
from dashboard.store import schema as s

_VOCAB = ["zorvan", "kelmit", "dravok", "pelsin", "murato", "vaskel", "tornik", "lubrav", "gesnor", "hamvit",
          "quelor", "brisna", "fendok", "jorvik", "salmet", "wiknor"]
_TOWNS = [(44.8176, 20.4633), (44.8300, 20.4500), (43.8563, 18.4131)]  # two within 15 km, one far
_CATEGORIES = ["protest", "energy", "security"]


def _event(rng: random.Random, k: int) -> dict:
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 500))
    precision = rng.choice(["day", "day", "month", "quarter", "year"])
    end = {"day": start, "month": start + timedelta(days=30), "quarter": start + timedelta(days=91),
           "year": start + timedelta(days=365)}[precision]
    n = rng.randint(2, 7)
    title = " ".join(rng.sample(_VOCAB[:10] if rng.random() < 0.6 else _VOCAB[10:], min(n, 6)))
    row = {"type": "event", "id": f"syn-{k}", "title": title,  # synthetic: made-up words
           "status": rng.choice(["occurred", "occurred", "expected"]), "category": rng.choice(_CATEGORIES),
           "countries": rng.sample(["BA", "RS", "XK"], rng.choice([1, 1, 2])),
           "date_start": start.isoformat(), "date_end": end.isoformat(), "date_precision": precision,
           "dataset": rng.choice([None, None, "gdelt", "acled"]), "source_name": "synthetic test rows"}
    if rng.random() < 0.1:
        del row["date_start"], row["date_end"], row["date_precision"]
    if rng.random() < 0.5:
        row["lat"], row["lon"] = rng.choice(_TOWNS)
        row["geo_precision"] = "town"
    if rng.random() < 0.25:  # a row of a busy day: same day, town and category, words of either half
        day = (date(2024, 1, 1) + timedelta(days=rng.randrange(0, 3))).isoformat()
        row.update(date_start=day, date_end=day, date_precision="day", category="protest", countries=["RS"],
                   status="occurred", geo_precision="town")
        row["lat"], row["lon"] = rng.choice(_TOWNS[:2])
    if row["dataset"] == "acled":
        row["verification"] = "coded"
    return {k: v for k, v in row.items() if v is not None}


def _readings(engine, ids: list[str]) -> list[Reading]:
    e = s.events.c
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(s.events).where(e.id.in_(ids)))}
        countries: dict[str, set] = {}
        for eid, c in conn.execute(select(s.event_countries.c.event_id, s.event_countries.c.country)
                                   .where(s.event_countries.c.event_id.in_(ids))):
            countries.setdefault(eid, set()).add(c)
    return [Reading(id=i, title=rows[i].title, summary=rows[i].summary, date_start=rows[i].date_start,
                    date_end=rows[i].date_end, date_precision=rows[i].date_precision, status=rows[i].status,
                    category=rows[i].category, countries=frozenset(countries.get(i, ())), lat=rows[i].lat,
                    lon=rows[i].lon, geo_precision=rows[i].geo_precision, dataset=rows[i].dataset) for i in ids]


def _stored_leads(engine) -> list[tuple[int, str]]:
    d = s.developments.c
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(d.id, d.lead_event_id).order_by(d.id))]


def _reference(leads: list[tuple[int, Reading]], batch: list[Reading]) -> list[tuple[str, object]]:
    """Every new report against every stored lead and every group opened earlier in the batch (its
    first report): the strongest match, the earliest of equals; ("stored", id) or ("new", group)."""
    entries = [(r, ("stored", dev)) for dev, r in leads]
    out = []
    for r in batch:
        best = None
        for other, target in entries:
            same, strength, _ = same_development(r, other)
            if same and (best is None or strength > best[0]):
                best = (strength, target)
        if best is None:
            target = ("new", len(out))
            if r.date_start is not None and r.countries:
                entries.append((r, target))
        else:
            target = best[1]
        out.append((r.id, target))
    return out


def _joined_without_common_words(leads, batch, expected) -> int:
    """How many reports the reference joins to a development with whose lead they share no word."""
    from dashboard.grouping import reading_words

    lead = {("stored", dev): r for dev, r in leads}
    lead.update({("new", k): r for k, r in enumerate(batch)})
    return sum(1 for r, (_i, target) in zip(batch, expected, strict=True)
               if target != ("new", batch.index(r)) and not reading_words(r) & reading_words(lead[target]))


def test_candidate_lists_decide_as_comparing_every_pair(engine, tmp_path):
    rng = random.Random(7)
    k = 0
    joined_stored = grouped_new = by_day_only = 0
    for batch in range(6):
        rows = [_event(rng, k + j) for j in range(40)]
        k += len(rows)
        path = tmp_path / f"batch-{batch}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        before = _stored_leads(engine)
        lead_readings = dict(zip([e for _, e in before], _readings(engine, [e for _, e in before]), strict=True))
        leads = [(dev, lead_readings[e]) for dev, e in before]
        assert ingest_paths(engine, [str(path)]).events_created == 40
        batch_readings = _readings(engine, [r["id"] for r in rows])
        expected = _reference(leads, batch_readings)
        by_day_only += _joined_without_common_words(leads, batch_readings, expected)
        with engine.connect() as conn:
            got = dict(conn.execute(select(s.events.c.id, s.events.c.development_id)
                                    .where(s.events.c.id.in_([r["id"] for r in rows]))).all())
        new_dev_of_group: dict[int, int] = {}
        stored_ids = {dev for dev, _ in before}
        for event_id, (kind, target) in expected:
            if kind == "stored":
                joined_stored += 1
                assert got[event_id] == target, f"{event_id} should join stored development {target}"
            else:
                assert got[event_id] not in stored_ids, f"{event_id} should open a new development"
                assert new_dev_of_group.setdefault(target, got[event_id]) == got[event_id]
        grouped_new += len(expected) - len(set(new_dev_of_group))
        assert len(set(new_dev_of_group.values())) == len(new_dev_of_group)  # distinct groups stay apart
    # the data exercised both paths: joins of stored developments and groups within a batch
    assert joined_stored >= 10 and grouped_new >= 10 and by_day_only >= 5
    with engine.connect() as conn:
        assert developments.words_missing(conn) == []


def test_the_prefix_is_long_enough_for_the_lowest_word_threshold():
    # hand-computed: 10 words at 0.3 need 3 in common, so any 10 - 3 + 1 = 8 of them meet the other set
    assert [prefix_length(n) for n in (0, 1, 2, 3, 10, 11)] == [0, 1, 2, 3, 8, 8]


def test_a_later_row_of_the_same_day_town_and_category_joins_without_a_common_word(engine, tmp_path):
    """The stored side of the one rule that needs no common words (synthetic rows)."""
    def write(name, event_id, title):
        path = tmp_path / name
        path.write_text(json.dumps({"type": "event", "id": event_id, "title": title, "status": "occurred",
                                    "category": "protest", "countries": ["RS"], "date_start": "2024-02-03",
                                    "date_precision": "day", "lat": 44.8176, "lon": 20.4633,
                                    "geo_precision": "town", "dataset": "gdelt"}) + "\n", encoding="utf-8")
        return [str(path)]

    ingest_paths(engine, write("first.jsonl", "syn-a", "zorvan kelmit dravok"))
    ingest_paths(engine, write("second.jsonl", "syn-b", "quelor brisna fendok"))
    with engine.connect() as conn:
        devs = dict(conn.execute(select(s.events.c.id, s.events.c.development_id)).all())
    assert devs["syn-a"] == devs["syn-b"]


def test_only_a_rare_word_finds_a_stored_development(engine, tmp_path, monkeypatch):
    """Across writes a report finds the stored developments that share a word fewer than RARE_BELOW
    of them have (here 2): "kelmit" is in two leads, so a later report sharing only it opens its
    own development, while one sharing the rare "dravok" joins. Within one write every report is
    compared with every other (synthetic rows)."""
    monkeypatch.setattr(developments, "RARE_BELOW", 2)

    def write(name, rows):
        path = tmp_path / name
        path.write_text("\n".join(json.dumps({"type": "event", "status": "occurred", "category": "energy",
                                              "countries": ["BA"], "date_start": "2024-05", "date_precision":
                                              "month", **r}) for r in rows) + "\n", encoding="utf-8")
        return [str(path)]

    ingest_paths(engine, write("first.jsonl", [{"id": "syn-a", "title": "kelmit dravok"}]))
    ingest_paths(engine, write("second.jsonl", [{"id": "syn-b", "title": "kelmit zorvan pelsin"}]))
    # by the rules alone both would join syn-a (words overlap 1/2 and 2/2 with "kelmit dravok")
    ingest_paths(engine, write("third.jsonl", [{"id": "syn-c", "title": "kelmit"}]))
    ingest_paths(engine, write("fourth.jsonl", [{"id": "syn-d", "title": "kelmit dravok"}]))
    with engine.connect() as conn:
        devs = dict(conn.execute(select(s.events.c.id, s.events.c.development_id)).all())
        assert developments.words_missing(conn) == []
    assert devs["syn-d"] == devs["syn-a"]  # "dravok" is in one lead only: rare, found
    assert devs["syn-c"] not in {devs["syn-a"], devs["syn-b"]}  # "kelmit" is in two: common, not searched
    # in one write, the same reports are compared directly
    ingest_paths(engine, write("fifth.jsonl", [{"id": "syn-e", "title": "kelmit vaskel", "date_start": "2025-02"},
                                               {"id": "syn-f", "title": "kelmit", "date_start": "2025-02"}]))
    with engine.connect() as conn:
        devs = dict(conn.execute(select(s.events.c.id, s.events.c.development_id)).all())
    assert devs["syn-e"] == devs["syn-f"]
