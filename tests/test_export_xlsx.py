"""XLSX export: every row of the filter, lists joined, dates as dates, text never a formula."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from dashboard import export
from dashboard.filters import Filters
from dashboard.store import open_engine, queries
from dashboard.store import schema as s

FILTERS = [
    Filters(),
    Filters(countries=("BA", "XK"), date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)),
    Filters(topics=("energy",), include_undated=False),
]


def _sheet(data: bytes, kind: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == [kind]
    return list(wb[kind].iter_rows(values_only=True))


@pytest.mark.parametrize("f", FILTERS, ids=["all", "BA-XK-2023", "energy-dated"])
def test_events_xlsx_has_every_row(sample_engine, f):
    buf = io.BytesIO()
    n = export.write(sample_engine, "events", "xlsx", f, buf)
    rows = _sheet(buf.getvalue(), "events")
    assert rows[0] == tuple(export.EVENT_FIELDS)
    assert n == len(rows) - 1 == queries.count_events(sample_engine, f)
    assert n > 0
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    # Same rows as the JSONL export, in the same order.
    expected = list(queries.iter_events(sample_engine, f))
    assert [r["id"] for r in body] == [e["id"] for e in expected]
    by_id = {e["id"]: e for e in expected}
    for r in body:
        e = by_id[r["id"]]
        assert r["countries"] == (";".join(e["countries"]) or None)
        if e["date_start"] is not None:  # a date cell, read back as midnight
            assert isinstance(r["date_start"], datetime) and r["date_start"].date() == e["date_start"]
        else:
            assert r["date_start"] is None
        assert r["display_status"] == e["display_status"]


@pytest.mark.parametrize("f", FILTERS[:2], ids=["all", "BA-XK-2023"])
def test_articles_xlsx_has_every_row(sample_engine, f, tmp_path):
    path = tmp_path / "articles.xlsx"
    n = export.write_xlsx(sample_engine, "articles", f, path)
    rows = _sheet(path.read_bytes(), "articles")
    assert rows[0] == tuple(export.ARTICLE_FIELDS)
    assert n == len(rows) - 1 == queries.count_articles(sample_engine, f)
    seed = dict(zip(rows[0], rows[1], strict=True))
    assert seed["published"] is None  # the seed article is undated, and stays so
    assert seed["body"] and len(seed["body"]) > 200


def test_text_file_with_buffer_is_accepted_and_stringio_refused(sample_engine, tmp_path):
    path = tmp_path / "events.xlsx"
    with open(path, "w", encoding="utf-8", newline="") as fh:  # what the CLI opens today
        n = export.write(sample_engine, "events", "xlsx", Filters(), fh)
    assert n == len(_sheet(path.read_bytes(), "events")) - 1
    with pytest.raises(TypeError):
        export.write(sample_engine, "events", "xlsx", Filters(), io.StringIO())


def test_csv_and_jsonl_unchanged(sample_engine):
    for fmt in ("csv", "jsonl"):
        out = io.StringIO()
        n = export.write(sample_engine, "events", fmt, Filters(), out)
        assert n == queries.count_events(sample_engine, Filters())
    assert "xlsx" in export.FORMATS


def test_hostile_text_stays_text(tmp_path):
    eng = open_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with eng.begin() as conn:
        conn.execute(insert(s.events).values(
            id="ev-formula", title='=HYPERLINK("http://evil.example","click")', summary="ok\x00\x07 control chars",
            status="occurred", category="security", verification="machine", date_start=date(2024, 5, 1),
            date_end=date(2024, 5, 1), date_precision="day", evidence="x" * 40_000, search_text="",
            imported_from="synthetic test", updated_at=datetime(2024, 5, 2, 12, 0),
        ))
    buf = io.BytesIO()
    assert export.write(eng, "events", "xlsx", Filters(), buf) == 1
    ws = load_workbook(io.BytesIO(buf.getvalue()))["events"]
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["title"].data_type == "s" and row["title"].value.startswith("=HYPERLINK")
    assert row["summary"].value == "ok control chars"
    assert len(row["evidence"].value) <= export.XLSX_MAX_CELL and "40000 characters" in row["evidence"].value
    assert row["date_start"].is_date
    eng.dispose()
