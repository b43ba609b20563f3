"""Verification is earned, not declared: an imported record that says "analyst" is stored as an import
with its claim kept, unless an analyst account vouches for it; tags and editor names are plain text."""

from __future__ import annotations

import io
import json

import pytest

from dashboard.__main__ import main
from dashboard.ingest.sample import load_sample
from dashboard.settings import SAMPLE_DIR
from dashboard.store import accounts, curation, open_engine, queries

PASSWORD = "correct horse battery"
CLAIMING = {"type": "event", "id": "synthetic-claims-analyst", "title": "Synthetic claimed reading (test data)",
            "status": "occurred", "countries": ["BA"], "date_start": "2024-02-01", "date_precision": "day",
            "verification": "analyst", "source_name": "synthetic test data"}


def _file(tmp_path, row=CLAIMING):
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return str(path)


def _ingest(db_url, monkeypatch, *args, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", db_url, "ingest", "--workers", "1", *args])


def _stored(db_url):
    engine = open_engine(db_url)
    ev = queries.get_event(engine, CLAIMING["id"])
    engine.dispose()
    return ev


def test_a_claimed_analyst_verification_is_stored_as_an_import(db_url, tmp_path, monkeypatch):
    assert _ingest(db_url, monkeypatch, _file(tmp_path)) == 0
    ev = _stored(db_url)
    assert (ev["verification"], ev["dataset"]) == ("coded", "import")
    assert json.loads(ev["attributes"])["claimed_verification"] == "analyst"


def test_a_file_calling_itself_curated_is_an_import_too(db_url, tmp_path, monkeypatch):
    assert _ingest(db_url, monkeypatch, _file(tmp_path, {**CLAIMING, "dataset": "curated"})) == 0
    assert _stored(db_url)["dataset"] == "import"


def test_an_analyst_account_vouches_for_it(db_url, tmp_path, monkeypatch):
    engine = open_engine(db_url)
    accounts.add_account(engine, "ana", "analyst", PASSWORD)
    accounts.add_account(engine, "vic", "viewer", "viewer password 1")
    engine.dispose()
    assert _ingest(db_url, monkeypatch, "--vouch", "vic", _file(tmp_path), stdin="viewer password 1\n") == 2
    assert _stored(db_url) is None  # nothing stored under a viewer
    assert _ingest(db_url, monkeypatch, "--vouch", "ana", _file(tmp_path), stdin="wrong password\n") == 2
    assert _stored(db_url) is None
    assert _ingest(db_url, monkeypatch, "--vouch", "ana", _file(tmp_path), stdin=PASSWORD + "\n") == 0
    ev = _stored(db_url)
    assert (ev["verification"], ev["dataset"]) == ("analyst", "curated")
    assert json.loads(ev["attributes"]) == {"vouched_by": "ana"}


def test_the_bundled_sample_keeps_its_curation(engine):
    lines = [json.loads(line) for line in (SAMPLE_DIR / "events.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    curated = {r["id"] for r in lines if r.get("verification") == "analyst"}
    assert len(curated) > 50
    load_sample(engine)
    assert {i for i in curated if queries.get_event(engine, i)["verification"] == "analyst"} == curated


@pytest.mark.parametrize("kind,value,reason", [
    ("country", "<SCRIPT>", "not a country code"),
    ("country", "ZZ", "not a country code"),
    ("place", "BA SRP<b>", "not a place code"),
    ("topic", "weather", "not one of"),
    ("person", "<img src=x onerror=alert(1)>", "cannot be a tag"),
])
def test_tags_with_markup_or_unknown_codes_are_refused(own_sample, kind, value, reason):
    engine = open_engine(own_sample)
    with pytest.raises(curation.CurationError, match=reason):
        curation.add_tag(engine, 1, kind, value, "Ana Analyst")
    engine.dispose()


def test_good_tags_are_taken(own_sample):
    engine = open_engine(own_sample)
    assert curation.add_tag(engine, 1, "country", "me", "Ana Analyst")
    assert curation.add_tag(engine, 1, "place", "BA-SRP", "Ana Analyst") in (True, False)
    assert curation.add_tag(engine, 1, "person", "Milorad Dodik", "Ana Analyst") in (True, False)
    engine.dispose()
