"""Store tests on a real SQLite file: schema, WAL, idempotent writes, push-down filters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from dashboard.filters import Filters
from dashboard.store import queries
from dashboard.store import schema as s
from dashboard.store.records import ArticleRecord, EventRecord, TagRecord
from dashboard.store.writes import insert_article, upsert_event


def _article(body="Kosovo police and KFOR met in Zvečan.", **kw) -> ArticleRecord:
    return ArticleRecord(title=kw.pop("title", "A test article"), body=body, imported_from="synthetic test", **kw)


def _event(event_id="ev-1", **kw) -> EventRecord:
    base = dict(id=event_id, title="Synthetic event", status="occurred", date_start=date(2023, 5, 29),
                date_end=date(2023, 5, 29), date_precision="day", countries=["XK"], category="security",
                verification="analyst", source_name="synthetic test data")
    base.update(kw)
    return EventRecord(**base)


def test_sqlite_file_uses_wal(engine, db_url):
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db_url.endswith("test.db")


def test_article_insert_is_idempotent_by_content_and_url(engine):
    tags = [TagRecord(kind="country", value="XK", label="Kosovo", span_start=0, span_end=6, is_primary=True)]
    with engine.begin() as conn:
        first, created = insert_article(conn, _article(tags=tags))
        assert created
        # Same text with other whitespace and case: the same article.
        again, created_again = insert_article(conn, _article(body="  kosovo police and KFOR   met in Zvečan. "))
        assert (again, created_again) == (first, False)
        # Same URL, other text: the same article.
        a2, c2 = insert_article(conn, _article(body="Other text", url="https://example.org/a"))
        a3, c3 = insert_article(conn, _article(body="Other text, edited", url="https://example.org/a"))
        assert c2 and not c3 and a2 == a3
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.articles)).scalar() == 2
        assert conn.execute(select(func.count()).select_from(s.article_tags)).scalar() == 1


def test_event_upsert_reports_created_unchanged_updated(engine):
    with engine.begin() as conn:
        assert upsert_event(conn, _event()) == "created"
        assert upsert_event(conn, _event()) == "unchanged"
        assert upsert_event(conn, _event(countries=["XK", "RS"])) == "updated"
        assert upsert_event(conn, _event(countries=["XK", "RS"])) == "unchanged"
    ev = queries.get_event(engine, "ev-1")
    assert ev["countries"] == ["RS", "XK"]


def test_filters_are_pushed_down(engine):
    with engine.begin() as conn:
        upsert_event(conn, _event("a", countries=["BA"], places=["BA-SRP"], category="energy",
                                  date_start=date(2023, 1, 1), date_end=date(2023, 12, 31), date_precision="year",
                                  status="expected"))
        upsert_event(conn, _event("b", countries=["XK"], date_start=date(2022, 7, 31), date_end=date(2022, 7, 31)))
        upsert_event(conn, _event("c", countries=["BA", "XK"], date_start=None, date_end=None, date_precision=None,
                                  status="statement"))
    assert queries.count_events(engine, Filters()) == 3
    assert queries.count_events(engine, Filters(countries=("BA",))) == 2
    assert queries.count_events(engine, Filters(countries=("BA",), include_undated=False)) == 1
    # A year-precision event overlaps any window inside its year.
    assert set(queries.load_events(engine, Filters(date_from=date(2023, 6, 1), date_to=date(2023, 6, 30),
                                                   include_undated=False))["id"]) == {"a"}
    assert set(queries.load_events(engine, Filters(places=("BA-SRP",)))["id"]) == {"a"}
    assert set(queries.load_events(engine, Filters(topics=("energy",)))["id"]) == {"a"}
    by_country = queries.event_counts_by(engine, Filters())
    assert dict(zip(by_country["code"], by_country["events"], strict=True)) == {"BA": 2, "XK": 2}
    expected = queries.event_counts_by(engine, Filters(), status="expected")
    assert dict(zip(expected["code"], expected["events"], strict=True)) == {"BA": 1}
    only_ba = queries.event_counts_by(engine, Filters(countries=("BA",), include_undated=False))
    assert dict(zip(only_ba["code"], only_ba["events"], strict=True)) == {"BA": 1}


def test_overdue_is_derived_from_the_deadline(engine):
    with engine.begin() as conn:
        upsert_event(conn, _event("gas", status="expected", date_start=date(2023, 1, 1), date_end=date(2023, 12, 31),
                                  date_precision="year"))
    df = queries.load_events(engine, Filters(), today=date(2024, 1, 1))
    assert df.loc[0, "display_status"] == "overdue"
    df = queries.load_events(engine, Filters(), today=date(2023, 12, 31))
    assert df.loc[0, "display_status"] == "expected"


def test_undated_articles_are_kept_unless_hidden(engine):
    with engine.begin() as conn:
        insert_article(conn, _article(body="Undated text about Sarajevo."))
        insert_article(conn, _article(body="Dated text about Skopje.", published=date(2023, 3, 1)))
    window = Filters(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    assert queries.count_articles(engine, window) == 2
    assert queries.count_articles(engine, window.with_(include_undated=False)) == 1
    assert queries.count_articles(engine, Filters(date_from=date(2024, 1, 1), include_undated=False)) == 0


def test_text_search_matches_across_scripts_and_survives_hostile_input(engine):
    with engine.begin() as conn:
        insert_article(conn, _article(body="Talks resumed in Priština on Monday."))
        insert_article(conn, _article(body="Nothing about it here."))
    for query in ("pristina", "Приштина", "PRIŠTINA"):
        assert queries.count_articles(engine, Filters(text=query)) == 1, query
    for hostile in ('"', "*", "NEAR(", "((", "a OR", "-", "title:x", "'; DROP TABLE articles; --"):
        queries.count_articles(engine, Filters(text=hostile))  # must not raise
    assert queries.fts_query('") OR *') == '"or"'  # a quoted word, not an operator
    assert queries.fts_query('"*()') is None
    assert queries.fts_query("NEAR(pristina") == '"near" "pristina"'


def test_revision_advances_with_every_write_and_only_then(engine):
    from dashboard.store import curation

    r0 = queries.revision(engine)
    with engine.begin() as conn:
        upsert_event(conn, _event("rev"))
    r1 = queries.revision(engine)
    with engine.begin() as conn:
        assert upsert_event(conn, _event("rev")) == "unchanged"
    assert queries.revision(engine) == r1 > r0
    queries.load_events(engine, Filters())
    assert queries.revision(engine) == r1
    curation.edit_event(engine, "rev", {"status": "ongoing"}, "Ana")
    assert queries.revision(engine) > r1


def test_full_exports_stream_every_row_in_order(engine):
    with engine.begin() as conn:
        for i in range(7):
            upsert_event(conn, _event(f"e{i}", date_start=date(2023, 1, i + 1), date_end=date(2023, 1, i + 1)))
        for i in range(5):
            insert_article(conn, _article(body=f"Synthetic text number {i} about Skopje.", published=date(2024, 1, i + 1)))
    events = list(queries.iter_events(engine, Filters(), batch=2))
    assert [e["id"] for e in events] == [f"e{i}" for i in range(6, -1, -1)]
    articles = list(queries.iter_articles(engine, Filters(), batch=2))
    assert [a["published"].day for a in articles] == [5, 4, 3, 2, 1]
    assert all("body" in a and "countries" in a for a in articles)


def test_relevance_search_ranks_and_combines_with_filters(engine):
    with engine.begin() as conn:
        insert_article(conn, _article(body="Gas gas gas: a synthetic text about gas in Sarajevo.", published=date(2024, 1, 1)))
        insert_article(conn, _article(body="A synthetic text that mentions gas once.", published=date(2022, 1, 1)))
    ranked = queries.load_articles(engine, Filters(text="gas"), sort="relevance")
    assert ranked["published"].tolist() == [date(2024, 1, 1), date(2022, 1, 1)]
    recent = queries.load_articles(engine, Filters(text="gas", date_from=date(2023, 1, 1)), sort="relevance")
    assert recent["published"].tolist() == [date(2024, 1, 1)]


def test_bulk_insert_writes_exactly_what_a_core_insert_writes(engine):
    """The driver-level executemany of ingest batches must store dates, times and flags as SQLAlchemy does."""
    from datetime import datetime

    from sqlalchemy import text

    from dashboard.store.bulk import bulk_insert

    event = {"id": "core", "title": "Synthetic", "status": "occurred", "date_start": date(2023, 5, 1),
             "date_end": None, "updated_at": datetime(2024, 1, 2, 3, 4, 5), "confidence": 0.5}
    with engine.begin() as conn:
        conn.execute(s.events.insert(), [event])
        bulk_insert(conn, s.events, [dict(event, id="bulk")])
        article_id, _ = insert_article(conn, _article(body="Synthetic text about Skopje."))
        tag = {"article_id": article_id, "kind": "country", "value": "MK", "is_primary": True, "confidence": 0.9}
        conn.execute(s.article_tags.insert(), [tag])
        bulk_insert(conn, s.article_tags, [dict(tag, value="AL")], ignore=True)
        bulk_insert(conn, s.article_tags, [dict(tag, value="AL", is_primary=False)], ignore=True)  # kept as is
        events = conn.execute(text("SELECT date_start, date_end, updated_at FROM events ORDER BY id")).all()
        tags = conn.execute(text("SELECT value, is_primary FROM article_tags WHERE article_id = :a ORDER BY value"),
                            {"a": article_id}).all()
    assert events[0] == events[1] == ("2023-05-01", None, "2024-01-02 03:04:05.000000")
    assert tags == [("AL", 1), ("MK", 1)]


def test_per_month_counts_only_items_dated_to_a_day_or_month(engine):
    with engine.begin() as conn:
        upsert_event(conn, _event("d1", date_start=date(2023, 1, 5), date_end=date(2023, 1, 5), date_precision="day"))
        upsert_event(conn, _event("d2", date_start=date(2023, 1, 28), date_end=date(2023, 1, 28), date_precision="day"))
        upsert_event(conn, _event("m1", date_start=date(2023, 3, 1), date_end=date(2023, 3, 31), date_precision="month"))
        upsert_event(conn, _event("y1", date_start=date(2023, 1, 1), date_end=date(2023, 12, 31), date_precision="year"))
        insert_article(conn, _article(body="Synthetic text about Skopje.", published=date(2024, 2, 29)))
    per_month = queries.events_per_month(engine, Filters())
    assert dict(zip(per_month["month"], per_month["events"], strict=True)) == {"2023-01": 2, "2023-03": 1}
    articles = queries.articles_per_month(engine, Filters())
    assert dict(zip(articles["month"], articles["articles"], strict=True)) == {"2024-02": 1}


def test_relevance_pages_through_the_ranked_matches(engine):
    with engine.begin() as conn:
        for n in range(5):  # more mentions of "gas" rank higher
            insert_article(conn, _article(body=f"Synthetic text {n}: " + "gas " * (n + 1) + "in Sarajevo.",
                                          published=date(2024, 1, n + 1)))
    pages = [queries.load_articles(engine, Filters(text="gas"), sort="relevance", limit=2, offset=k)["published"]
             for k in (0, 2, 4)]
    assert [d.day for page in pages for d in page] == [5, 4, 3, 2, 1]


def test_bulk_insert_refuses_bad_rows_and_converts_like_core(engine):
    """Only unique-key collisions are skipped; a NOT NULL breach fails loudly (the record is reported)."""
    from datetime import datetime

    import pytest
    from sqlalchemy.exc import IntegrityError

    from dashboard.store.bulk import bulk_insert

    with engine.begin() as conn:
        article_id, _ = insert_article(conn, _article(body="Synthetic text about Ohrid."))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        bulk_insert(conn, s.article_tags, [{"article_id": article_id, "kind": "country", "value": None}], ignore=True)
    event = {"id": "core", "title": "Synthetic", "status": "occurred", "date_start": datetime(2023, 5, 1, 12, 30),
             "updated_at": date(2024, 1, 2)}
    with engine.begin() as conn:
        conn.execute(s.events.insert(), [event])
        bulk_insert(conn, s.events, [dict(event, id="bulk")])
        rows = conn.execute(text("SELECT date_start, updated_at FROM events ORDER BY id")).all()
    assert rows[0] == rows[1]


def test_a_loaded_store_has_planner_statistics_for_the_covering_index(sample_db_url):
    """Without statistics SQLite answers filtered counts through the wide event rows; a first load
    samples them (the plan itself depends on the data's size: at 1M articles it reads
    ix_events_id_facts(_development), 1.4 s instead of 12-26 s for a BA + 2023 count)."""
    from dashboard.store import open_engine

    engine = open_engine(sample_db_url)
    with engine.connect() as conn:
        indexed = {row[0] for row in conn.exec_driver_sql("SELECT idx FROM sqlite_stat1 WHERE tbl = 'events'")}
    engine.dispose()
    assert "ix_events_id_facts_development" in indexed


def test_event_search_text_keeps_every_word_once_per_part():
    from dashboard.store.writes import event_search_text

    sentence = "Officials in Priština discussed the gas deal on 16 October 2024."
    text_ = event_search_text(sentence.rstrip("."), sentence, None, sentence)
    assert text_.count("pristina") == 1 and "gas" in text_  # title and summary are inside the evidence
    both = event_search_text("Synthetic title about Brčko", "A summary on energy", "Tuzla", None)
    assert all(w in both for w in ("brcko", "energy", "tuzla"))
