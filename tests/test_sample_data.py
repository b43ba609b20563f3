"""The bundled sample as data: real, sourced, consistent. These read the files only."""

from __future__ import annotations

import re
from collections import Counter

from dashboard.urls import is_web_url
from tests.conftest import ROOT, sample_events

SOURCES = (ROOT / "data" / "sample" / "EVENTS_SOURCES.md").read_text(encoding="utf-8")
CURATED = [r for r in sample_events() if not r["id"].startswith("seed-")]


def test_the_sample_is_large_enough_for_a_trend():
    assert len(CURATED) >= 200
    assert sum(r["status"] == "expected" for r in CURATED) >= 25
    # BiH, Kosovo and Serbia: developments in most months of 2022-2025 (for the overview's trend)
    for country in ("BA", "XK", "RS"):
        months = {r["date_start"][:7] for r in CURATED if country in r["countries"] and r.get("date_start")
                  and "2022" <= r["date_start"][:4] <= "2025" and r["date_precision"] in ("day", "week", "month")}
        assert len(months) >= 24, (country, len(months))


def test_every_curated_item_has_a_source_and_a_provenance_line():
    ids = Counter(r["id"] for r in CURATED)
    assert max(ids.values()) == 1
    for r in CURATED:
        assert is_web_url(r["source_url"]) and r["source_name"], r["id"]
        assert re.search(rf"^- {re.escape(r['id'])} — ", SOURCES, re.M), f"{r['id']} has no provenance line"
        assert r["verification"] == "analyst"


def test_expected_items_name_outcomes_that_are_in_the_sample():
    known = {r["id"] for r in sample_events()}
    for r in CURATED:
        if r.get("outcome_event_id"):
            assert r["status"] == "expected" and r["outcome_event_id"] in known, r["id"]
        if r.get("first_deadline"):
            assert r["status"] == "expected" and r["first_deadline"] <= r["date_end"], r["id"]
