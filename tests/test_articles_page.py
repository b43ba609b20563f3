"""The Articles page under AppTest: the reader shows an article of the listing on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.pipeline import ingest_paths
from dashboard.store import open_engine

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
MIXED = ROOT / "tests" / "fixtures" / "mixed"
MOSTAR = "Synthetic test page about Mostar (not news)"  # the one fixture article that names Mostar


@pytest.fixture
def mixed_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'mixed.db'}"
    engine = open_engine(url)
    report = ingest_paths(engine, [str(MIXED)])
    engine.dispose()
    assert report.articles_created == 5  # the five good articles of the fixture folder
    return url


def _reader_title(at) -> str:
    return at.header[-1].value.replace("\\", "")  # the title is Markdown-escaped


def test_search_opens_the_result_not_the_article_read_before(mixed_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", mixed_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/articles.py")
    at.run()
    assert not at.exception
    before = _reader_title(at)
    assert before != MOSTAR  # the newest article is open first, not the undated Mostar page
    at.text_input(key="filter.text").set_value("Mostar").run()
    assert not at.exception
    assert any("1 article(s)" in c.value for c in at.caption), [c.value for c in at.caption]
    assert _reader_title(at) == MOSTAR


def test_a_link_naming_an_article_opens_it(mixed_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", mixed_url)
    engine = open_engine(mixed_url)
    from dashboard.filters import Filters
    from dashboard.store import queries

    mostar_id = int(queries.load_articles(engine, Filters(text="Mostar"))["id"].iloc[0])
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["article"] = str(mostar_id)
    at.switch_page("views/articles.py")
    at.run()
    assert _reader_title(at) == MOSTAR
