"""Copying a whole store into an empty one (a team moving its SQLite file to PostgreSQL; the benchmark
putting its database on PostgreSQL): every row arrives, searches and pages answer the same, and the
copy takes new records afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bench import pgserver
from dashboard.filters import Filters
from dashboard.ingest.pipeline import ingest_text
from dashboard.ingest.sample import load_sample
from dashboard.store import open_engine, queries
from dashboard.store import schema as s
from dashboard.store.transfer import TargetNotEmpty, copy_store
from tests.conftest import count_sample_articles, count_sample_events

SEARCHES = ("Dodik", "Додик", "Pristina", "gas", "NATO Kosovo")


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in s.metadata.sorted_tables if t.name not in ("meta", "alembic_version")}


def _answers(engine) -> dict:
    out = {"events": queries.count_events(engine, Filters()),
           "articles": queries.count_articles(engine, Filters()),
           "xk_2023": queries.count_events(engine, Filters(countries=("XK",), date_from=None))}
    for text in SEARCHES:
        f = Filters(text=text)
        out[f"search {text}"] = (queries.count_articles(engine, f),
                                 sorted(queries.load_articles(engine, f, limit=50)["id"].tolist()),
                                 queries.count_events(engine, f))
    return out


@pytest.fixture(scope="module")
def sample_sqlite(tmp_path_factory):
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('src') / 'sample.db'}")
    assert not load_sample(engine).problems
    yield engine
    engine.dispose()


@pytest.fixture
def empty_pg(pg_url):
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"transfer_{os.getpid()}"
    engine = open_engine(pgserver.create_database(pg_url, name))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.mark.postgres
def test_a_sqlite_store_copied_to_postgres_answers_the_same_and_takes_new_records(sample_sqlite, empty_pg):
    before = _counts(sample_sqlite)
    copy_store(sample_sqlite, empty_pg)
    assert _counts(empty_pg) == before
    # answers known independently: the sample's files, counted by hand
    assert queries.count_events(empty_pg, Filters(include_low_confidence=True)) == count_sample_events()
    assert queries.count_articles(empty_pg, Filters()) == count_sample_articles()
    assert _answers(empty_pg) == _answers(sample_sqlite)
    # the id sequences moved past the copied ids: a new article gets a new id, none collides
    ingest_text(empty_pg, "Synthetic test text: the council met in Mostar on Monday.", url="https://synthetic.invalid/t1")
    assert queries.count_articles(empty_pg, Filters()) == count_sample_articles() + 1
    with pytest.raises(TargetNotEmpty):  # a second copy would mix two stores
        copy_store(sample_sqlite, empty_pg)


def test_a_sqlite_store_copied_to_another_file_searches_the_same(sample_sqlite, tmp_path: Path):
    target = open_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    copy_store(sample_sqlite, target)
    assert _counts(target) == _counts(sample_sqlite)
    assert _answers(target) == _answers(sample_sqlite)
    with target.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    target.dispose()


def test_the_copy_to_command_fills_an_empty_store_once_and_refuses_a_second_time(sample_sqlite, tmp_path: Path,
                                                                                 capsys):
    from dashboard.__main__ import main

    source = str(sample_sqlite.url)
    target = f"sqlite:///{tmp_path / 'team.db'}"
    assert main(["--db", source, "copy-to", target]) == 0
    assert f"Copied {count_sample_articles()} articles and {count_sample_events()} events" in capsys.readouterr().out
    assert main(["--db", source, "copy-to", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Nothing was copied: the target store already holds articles") and len(err.splitlines()) == 1
