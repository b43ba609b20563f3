"""The tagger's evaluation sets are well formed (every set, held-out ones included): a check of the
labels' form only. It never runs the tagger on a held-out set (see each set's README)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard.tagging.evaluate import _gold_range
from dashboard.vocab import STATUSES, TOPICS

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted(p.parent for p in (ROOT / "data").glob("eval*/labels.json"))
ORGS = {line.split("\t")[1] for line in (ROOT / "data" / "gazetteer" / "regional.tsv").read_text("utf-8").splitlines()
        if line.startswith("org\t")}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ISO2 = re.compile(r"[A-Z]{2}")


def test_every_set_is_found():
    assert {p.name for p in SETS} >= {"eval", "eval_unseen", "eval_holdout", "eval_holdout2"}


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_labels_are_well_formed(folder: Path):
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in folder.glob("*.txt"))
    assert sorted(item["file"] for item in labels) == files, "every text labelled once, every label a text"
    problems = []
    for item in labels:
        where = item["file"]
        if item.get("published") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["published"]):
            problems.append(f"{where}: published {item['published']!r}")
        for field in ("countries", "primary_countries"):
            problems += [f"{where}: {field} {c!r}" for c in item[field] if not _ISO2.fullmatch(c)]
        problems += [f"{where}: topic {t!r}" for t in item["topics"] if t not in TOPICS]
        problems += [f"{where}: organisation {o!r}" for o in item["organisations"] if o not in ORGS]
        for event in item["events"]:
            d = event.get("date")
            if d is not None and not (_DATE.fullmatch(d) and _gold_range(d)):
                problems.append(f"{where}: event date {d!r}")
            if event["status"] not in STATUSES:
                problems.append(f"{where}: status {event['status']!r}")
            problems += [f"{where}: event country {c!r}" for c in event.get("countries") or () if not _ISO2.fullmatch(c)]
            if not (event.get("summary") or "").strip():
                problems.append(f"{where}: an event without a summary")
        if folder.name != "eval" and not re.match(r"https?://", str(item.get("source_url", ""))):
            problems.append(f"{where}: no source_url")
    assert not problems, "\n".join(problems)
