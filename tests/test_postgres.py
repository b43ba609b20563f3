"""The same store on a real PostgreSQL server: schema, sample load, filters and search agree with SQLite.

Uses the server named by PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)
when they are set; otherwise starts a throwaway cluster from the Debian ``postgresql`` binaries
(as the ``postgres`` user, since initdb refuses root; the fixtures are in tests/conftest.py). Skipped, with the reason, when neither exists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_paths
from dashboard.ingest.sample import load_sample
from dashboard.store import open_engine, queries
from tests.conftest import count_sample_developments, count_sample_events, sample_tracker_states

pytestmark = pytest.mark.postgres  # the server: pg_url and pg_engine in tests/conftest.py


@pytest.mark.parametrize("f", [
    Filters(),
    Filters(countries=("BA",)),
    Filters(countries=("BA",), date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)),
    Filters(places=("BA-SRP",)),
    Filters(topics=("energy",), include_undated=False),
    Filters(text="Kosovo"),
])
def test_postgres_counts_match_sqlite(pg_engine, sample_engine, f):
    assert queries.count_events(pg_engine, f) == queries.count_events(sample_engine, f)
    assert queries.count_articles(pg_engine, f) == queries.count_articles(sample_engine, f)
    pg = queries.event_counts_by(pg_engine, f).set_index("code")["events"].to_dict()
    lite = queries.event_counts_by(sample_engine, f).set_index("code")["events"].to_dict()
    assert pg == lite


def test_postgres_reload_changes_nothing(pg_engine):
    before = queries.totals(pg_engine)
    report = load_sample(pg_engine)
    assert report.articles_created == 0 and report.events_created == 0
    assert queries.totals(pg_engine) == before


def test_postgres_monthly_volume_and_bad_input(pg_engine, tmp_path):
    assert len(queries.events_per_month(pg_engine, Filters())) > 10
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "event", "id": "synthetic-pg", "title": "x", "status": "maybe"}\n', encoding="utf-8")
    report = ingest_paths(pg_engine, [str(bad)])
    assert "field 'status'" in str(report.problems[0])


def test_postgres_tracker_pages_like_sqlite(pg_engine, sample_engine):
    from dashboard.store import tracker

    today = date(2026, 12, 1)
    counts = tracker.expected_counts(pg_engine, Filters(), today=today)
    assert counts == tracker.expected_counts(sample_engine, Filters(), today=today)
    assert counts == sample_tracker_states()  # the seed's gas deal and its curated twin count once
    page = tracker.expected_items(pg_engine, Filters(), today=today, limit=1)
    assert len(page) == 1 and page["countries"].iloc[0]


def test_postgres_reads_stop_at_their_time_limit(pg_url):
    from sqlalchemy import text

    from dashboard.store import QueryTimeout

    engine = open_engine(pg_url, create=False, read_time_limit=0.2)
    with pytest.raises(QueryTimeout), engine.connect() as conn:
        conn.execute(text("SELECT pg_sleep(3)")).all()
    with engine.connect() as conn:  # the next read on the same pool works
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_postgres_takes_acled_and_gdelt_files_like_sqlite(pg_url, engine):
    """The bulk writes (events with their developments written first) on PostgreSQL: the fixture's
    five good ACLED rows and the GDELT file's region rows, then a re-import that changes nothing."""
    from pathlib import Path

    from sqlalchemy import func, select

    from dashboard.store import schema as s

    fixtures = Path(__file__).resolve().parent / "fixtures"
    files = [str(fixtures / "acled" / "acled_2023.csv"), str(fixtures / "gdelt" / "20240105120000.export.CSV")]
    pg = _fresh_database(pg_url, "datasets_test")
    try:
        first = ingest_paths(pg, files)
        lite = ingest_paths(engine, files)
        assert first.events_created == lite.events_created and first.events_created >= 5
        counts = []
        for eng in (pg, engine):
            with eng.connect() as conn:
                counts.append((conn.execute(select(func.count()).select_from(s.developments)).scalar(),
                               conn.execute(select(func.count()).select_from(s.events)
                                            .where(s.events.c.development_id.is_(None))).scalar()))
        assert counts[0] == counts[1] and counts[0][1] == 0  # every event in a development, the same ones
        again = ingest_paths(pg, files)
        assert again.events_created == 0 and again.events_updated == 0
    finally:
        pg.dispose()


def _fresh_database(pg_url: str, name: str):
    """An empty store in a new database ``name`` on the test server."""
    from bench.pgserver import create_database

    return open_engine(create_database(pg_url, name))


def test_postgres_reads_the_gdelt_media_signal_like_sqlite(pg_url, engine, tmp_path):
    """The media signal reads numbers out of the JSON fields: json_extract on SQLite, ->> on PostgreSQL."""
    from dashboard.store.stability import monthly
    from tests.test_indicator import _media_store

    pg = _fresh_database(pg_url, "media_test")
    try:
        for eng in (pg, engine):
            _media_store(eng, tmp_path)
        f = Filters(countries=("RS",))
        pg_month = monthly(pg, f, today=date(2026, 12, 1))[("RS", "2024-01")]
        lite_month = monthly(engine, f, today=date(2026, 12, 1))[("RS", "2024-01")]
        assert pg_month.media == lite_month.media == {"volume": 3, "conflict_share": 0.667, "goldstein": -4.0,
                                                      "tone": -2.0}
        assert pg_month.score == lite_month.score == 1.0
    finally:
        pg.dispose()


# Synthetic test text (not news): the same words in Latin with and without diacritics and in Cyrillic.
_SEARCH_ARTICLES = [
    ("Synthetic protest in Priština", "Synthetic test text (not news). Thousands gathered in Priština. "
     "The protest in Priština went on until the evening, and Priština stayed calm."),
    ("Синтетички текст", "Синтетички текст (није вест). Приштина је домаћин састанка. Милорад Додик није дошао."),
    ("Synthetic airport story", "Synthetic test text (not news). The Pristina airport reopened after repairs, "
     "a long report about runways, terminals, parking, buses, taxis and timetables for the winter season."),
    ("Synthetic Dodik statement", "Synthetic test text (not news). Milorad Dodik said Dodik would not resign. "
     "Dodik repeated it: Dodik stays."),
    ("Synthetic budget", "Synthetic test text (not news). Dodik Milorad, as the list had it, opened the budget "
     "debate in Banja Luka; the gas pipeline through Sarajevo was not discussed."),
    ("Synthetic pipeline", "Synthetic test text (not news). A pipeline for gas was planned, and the gas pipeline "
     "deal was signed in Sarajevo with a pro-Russian party present."),
    ("Synthetic Montenegro", "Synthetic test text (not news). Milo Đukanović met well_known officials in Podgorica; "
     "Djukanovic later spoke of the Đukanović years."),
    ("Synthetic quiet day", "Synthetic test text (not news). Nothing happened in Skopje; OR AND NOT were the words "
     "of a grammar lesson, and 1=1 was written on the board."),
]
_SEARCH_EVENTS = [
    {"id": "syn-search-1", "title": "Protest in Приштина", "summary": "Synthetic test event (not news).",
     "status": "occurred", "date_start": "2024-03-01", "date_precision": "day", "countries": ["XK"]},
    {"id": "syn-search-2", "title": "Pristina council meets", "summary": "Synthetic test event, Priština.",
     "status": "occurred", "date_start": "2024-03-02", "date_precision": "day", "countries": ["XK"]},
    {"id": "syn-search-3", "title": "Додик говори", "summary": "Синтетички догађај.", "status": "occurred",
     "date_start": "2024-03-03", "date_precision": "day", "countries": ["BA"]},
    {"id": "syn-search-4", "title": "Dodik on the gas pipeline", "summary": "Synthetic test event (not news).",
     "status": "occurred", "date_start": "2024-03-04", "date_precision": "day", "countries": ["BA"]},
    {"id": "syn-search-5", "title": "Đukanović in Podgorica", "summary": "Synthetic test event, pro-Russian.",
     "status": "occurred", "date_start": "2024-03-05", "date_precision": "day", "countries": ["ME"]},
]

#: query -> titles of the articles it must find (whatever their order), known from the texts above
_SEARCH_CASES = {
    "Приштина": {"Synthetic protest in Priština", "Синтетички текст", "Synthetic airport story"},
    "Pristina": {"Synthetic protest in Priština", "Синтетички текст", "Synthetic airport story"},
    "PRIŠTINA": {"Synthetic protest in Priština", "Синтетички текст", "Synthetic airport story"},
    "Додик": {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},
    "dodik": {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},
    "Milorad Dodik": {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},
    '"Milorad Dodik"': {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},  # every word required
    "Милорад Dodik": {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},
    "gas pipeline": {"Synthetic budget", "Synthetic pipeline"},
    "Djukanovic": {"Synthetic Montenegro"},
    "Đukanović": {"Synthetic Montenegro"},
    "Ђукановић": {"Synthetic Montenegro"},
    "pro-Russian": {"Synthetic pipeline"},
    "well_known": {"Synthetic Montenegro"},
    "Pristin": set(),  # whole words only: a prefix matches nothing on either store
    "Pristina*": {"Synthetic protest in Priština", "Синтетички текст", "Synthetic airport story"},
    "Dodik OR Sarajevo": set(),  # "or" is a word like any other, not an operator
    "OR AND NOT": {"Synthetic quiet day"},
    '" OR 1=1 --': {"Synthetic quiet day"},
    "'; DROP TABLE articles; --": set(),
    "NEAR(gas pipeline) title:gas": set(),
    "Dodik & !Pristina | x:* <-> ''": set(),
    "-Dodik": {"Синтетички текст", "Synthetic Dodik statement", "Synthetic budget"},
    "Pri\x00stina": set(),
    "___": set(),
    "()[]{}^$": set(),
    "pipeline " * 500: {"Synthetic budget", "Synthetic pipeline"},  # 4,500 characters
    "x" * 5000: set(),
    "Dodik " + "x" * 3000: set(),
}


def _search_store(engine, tmp_path):
    import json

    path = tmp_path / "search.jsonl"
    rows = [{"type": "article", "title": t, "body": b, "published": f"2024-02-{i + 1:02d}", "language": "en"}
            for i, (t, b) in enumerate(_SEARCH_ARTICLES)]
    rows += [{"type": "event", "verification": "analyst", **e} for e in _SEARCH_EVENTS]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    report = ingest_paths(engine, [str(path)])
    assert not report.problems, report.summary()


def _search_results(engine, query):
    f = Filters(text=query)
    ranked = queries.load_articles(engine, f, sort="relevance", limit=100)
    events = queries.load_events(engine, f, limit=1000)
    return (ranked["title"].tolist(), queries.count_articles(engine, f),
            sorted(events["id"].tolist()), queries.count_events(engine, f))


def test_postgres_search_answers_as_sqlite(pg_url, engine, tmp_path):
    """The same queries on both stores over the same texts: the same articles in the same BM25 order,
    the same events; across scripts and diacritics; hostile input is words, never syntax."""
    pg = _fresh_database(pg_url, "search_test")
    try:
        for eng in (pg, engine):
            _search_store(eng, tmp_path)
        for query, expected in _SEARCH_CASES.items():
            pg_titles, pg_count, pg_events, pg_n = _search_results(pg, query)
            lite_titles, lite_count, lite_events, lite_n = _search_results(engine, query)
            label = repr(query[:40])
            assert set(lite_titles) == expected, label
            assert pg_titles == lite_titles, label  # same articles, same rank order
            assert pg_count == lite_count == len(expected), label
            assert pg_events == lite_events and pg_n == lite_n == len(pg_events), label
        # relevance, known from the texts: four "Dodik"s in a short text before one in a longer one
        assert _search_results(pg, "Dodik")[0][0] == "Synthetic Dodik statement"
        assert _search_results(pg, "Priština")[0][0] == "Synthetic protest in Priština"  # three times, and in the title
        # events across scripts: the Cyrillic title found by the Latin word and back
        def curated(query):  # the events of the file above (the articles' machine readings aside)
            return [i for i in _search_results(pg, query)[2] if i.startswith("syn-search-")]

        assert curated("Pristina") == ["syn-search-1", "syn-search-2"]
        assert curated("Dodik") == ["syn-search-3", "syn-search-4"]
        assert curated("Ђукановић pro-Russian") == ["syn-search-5"]
        assert curated("Pristin") == []
        # the search narrows like any other filter: words and a country together
        both = Filters(text="Dodik", countries=("BA",), exclude_machine=True)
        assert queries.count_events(pg, both) == queries.count_events(engine, both) == 2
    finally:
        pg.dispose()


_PAGES = [None, "views/map.py", "views/timeline.py", "views/articles.py", "views/expected.py"]  # None: the overview


def _page_captions(url: str, page: str | None, monkeypatch, **params) -> list[str]:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.delenv("DASHBOARD_DB_READ_URL", raising=False)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return [c.value for c in at.caption] + [m.value for m in at.markdown if "**" in m.value]  # counts, snippets


@pytest.mark.parametrize("page", _PAGES, ids=lambda p: p or "overview")
@pytest.mark.parametrize("params", [{}, {"countries": "BA", "from": "2023-01-01", "to": "2023-12-31"},
                                    {"q": "Косово"}], ids=["all", "BA-2023", "search"])
def test_every_page_renders_on_postgres_like_sqlite(pg_engine, pg_url, sample_db_url, monkeypatch, page, params):
    """Each page under AppTest on the sample in PostgreSQL: no exception, the captions (the counts
    they state) and the highlighted snippets word for word as on the same sample in SQLite."""
    pg = _page_captions(pg_url, page, monkeypatch, **params)
    lite = _page_captions(sample_db_url, page, monkeypatch, **params)
    assert pg == lite
    if page in ("views/map.py", "views/timeline.py") and not params:
        shown = f"{count_sample_developments()} development(s) ({count_sample_events()} reports)"
        assert any(shown in c for c in pg)  # the sample's count, from its files
    if page == "views/articles.py":
        assert any("1 article(s)" in c for c in pg)  # the sample's one article (it speaks of Kosovo)
    if page == "views/articles.py" and params.get("q"):
        assert any("**Kosovo**" in c for c in pg)  # the snippet highlights the Latin word for the Cyrillic query


def test_postgres_search_index_is_built_for_a_store_made_before_it(pg_url, tmp_path):
    """A PostgreSQL store from before the search index: opening it indexes every stored article once,
    and the search then finds what it holds; searches use the GIN indexes."""
    from sqlalchemy import func, select, text

    from dashboard.store import schema as s
    from dashboard.store.conditions import article_conditions, event_conditions

    pg = _fresh_database(pg_url, "backfill_test")
    try:
        _search_store(pg, tmp_path)
        with pg.begin() as conn:
            conn.exec_driver_sql("DROP TABLE article_search")
            conn.exec_driver_sql("DROP INDEX ix_events_search")
        reopened = open_engine(pg.url.render_as_string(hide_password=False))
        assert queries.count_articles(reopened, Filters(text="Приштина")) == 3  # known from the texts above
        with reopened.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM article_search")).scalar() == len(_SEARCH_ARTICLES)
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask whether the index can answer
            for table, conditions, index in ((s.events, event_conditions, "ix_events_search"),
                                             (s.articles, article_conditions, "ix_article_search_doc")):
                stmt = select(func.count()).select_from(table).where(*conditions(reopened, Filters(text="Dodik")))
                sql = str(stmt.compile(reopened, compile_kwargs={"literal_binds": True}))
                plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
                assert index in plan, plan
        reopened.dispose()
    finally:
        pg.dispose()
