"""Every page under AppTest on the sample database: right counts for the filter, no exception."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from dashboard.store import queries
from tests.conftest import count_sample_articles, count_sample_developments, count_sample_events

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture
def app(sample_db_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", sample_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    return at


def _caption_text(at) -> str:
    return " ".join(c.value for c in at.caption)


def _run(at, page: str | None = None, **params):
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["views/map.py", "views/timeline.py", "views/articles.py"])
def test_each_page_renders_on_the_sample_data(app, page, sample_engine):
    at = _run(app, page)
    total_events, total_articles = count_sample_events(), count_sample_articles()
    assert total_events >= 236 and total_articles == 1  # 232 curated developments + the seed's 4; one article
    developments = count_sample_developments()  # the seed's gas deal joins its curated twin
    assert queries.count_developments(sample_engine, Filters()) == developments
    # the map and the timeline count developments and the reports they group
    expected = (f"{total_articles} article(s)" if "articles" in page
                else f"{developments} development(s) ({total_events} reports)")
    assert expected in _caption_text(at)


def test_url_filter_sets_widgets_and_counts(app, sample_engine):
    at = _run(app, "views/timeline.py", countries="BA", **{"from": "2023-01-01", "to": "2023-12-31"})
    n = count_sample_events("BA", 2023)  # BA events overlapping 2023, undated ones included
    assert 0 < n < count_sample_events()
    n_dev = queries.count_developments(sample_engine, Filters(countries=("BA",), date_from=date(2023, 1, 1),
                                                              date_to=date(2023, 12, 31)))
    assert f"{n_dev} development(s) ({n} reports)" in _caption_text(at)
    assert at.multiselect(key="filter.countries").value == ["BA"]
    assert at.date_input(key="filter.from").value == date(2023, 1, 1)
    assert at.query_params["countries"] in ("BA", ["BA"])


def test_changing_the_country_widget_changes_counts_and_url(app, sample_engine):
    at = _run(app, "views/map.py")
    at.multiselect(key="filter.countries").set_value(["XK"]).run()
    assert not at.exception
    n = count_sample_events("XK")
    assert f"({n} report" in _caption_text(at)
    assert at.query_params["countries"] in ("XK", ["XK"])


def test_articles_page_shows_the_seed_article_in_full(app):
    at = _run(app, "views/articles.py", countries="BA")
    body = "\n".join(t.value for t in at.text)
    assert "formal review is underway by NATO’s military authorities" in body
    assert "Previous Article" not in body and "San Vicente" not in body
    assert any("undated" in c.value for c in at.caption)


def test_empty_filter_shows_an_empty_state(app):
    at = _run(app, "views/timeline.py", countries="SI", **{"from": "1991-01-01", "to": "1991-12-31"}, undated="0")
    assert any("No events match this filter" in i.value for i in at.info)


def test_add_articles_page_ingests_pasted_text(db_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/add.py").run()
    assert not at.exception
    text = ("Synthetic test text (not news). Officials in Sarajevo and Banja Luka discussed the budget of "
            "Republika Srpska.\n\nPrevious Article\n\nSomething else entirely")
    at.text_input(key="add.title").set_value("Synthetic paste test")
    at.text_area(key="add.body").set_value(text)
    at.text_input(key="add.published").set_value("2024-05-06")
    submit = next(b for b in at.button if b.label == "Ingest text")
    submit.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("1 new article(s)" in s.value for s in at.success)
    from dashboard.store import open_engine

    article = queries.load_articles(open_engine(db_url), Filters())
    assert article["title"].tolist() == ["Synthetic paste test"]
    # Pasting it again stores nothing new.
    submit = next(b for b in at.button if b.label == "Ingest text")
    submit.click().run()
    assert any("1 already stored" in s.value for s in at.success)


def test_add_articles_page_reports_bad_date(db_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/add.py").run()
    at.text_area(key="add.body").set_value("Synthetic test text (not news) about Skopje.")
    at.text_input(key="add.published").set_value("yesterday")
    next(b for b in at.button if b.label == "Ingest text").click().run()
    assert any("1 rejected record(s)" in w.value for w in at.warning), [w.value for w in at.warning]
    assert any("pasted text: field 'published': 'yesterday' is not a date" in t.value for t in at.text)


def test_tag_chip_opens_the_timeline_filtered_to_it(app, sample_engine):
    at = _run(app, "views/articles.py", countries="BA")
    chip = next(b for b in at.button if b.key == "articles.chip.place.BA-SRP")
    chip.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="filter.places").value == ["BA-SRP"]
    n = queries.count_events(sample_engine, Filters(countries=("BA",), places=("BA-SRP",)))
    assert any(f"({n} report" in c.value for c in at.caption)
    assert at.title[0].value == "Timeline"


def test_empty_store_says_how_to_fill_it(db_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("The store is empty" in i.value for i in at.info)


def test_overview_lists_the_first_deadlines_and_counts_the_rest(engine, db_url, monkeypatch):
    """Twelve expected developments due within 30 days: the Overview names the 10 soonest in one list
    and counts the other 2 (it sent one element per line, 1,554 of them on the benchmark data)."""
    from datetime import timedelta

    from dashboard.store.records import EventRecord
    from dashboard.store.writes import upsert_event

    today = date.today()
    with engine.begin() as conn:
        for i in range(12):
            due = today + timedelta(days=2 + i)
            upsert_event(conn, EventRecord(
                # announced on days of their own, so no two are taken for reports of one development
                id=f"due-{i}", title=f"Synthetic deadline {i:02d}", status="expected",
                date_start=today - timedelta(days=30 + 3 * i),
                date_end=due, date_precision="day", countries=["BA"], category="political",
                verification="analyst", source_name="synthetic test data"))
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [m.value for m in at.markdown]
    assert "**Deadlines in the next 30 days** (12)" in texts
    listed = [t for t in texts if re.match(r"- \d{4}-\d{2}-\d{2} · Synthetic deadline", t)]
    assert len(listed) == 2  # one list for 30 days, one for 90: one element each
    assert listed[0].splitlines() == [f"- {(today + timedelta(days=2 + i)).isoformat()} · Synthetic deadline {i:02d}"
                                      for i in range(10)]  # the soonest first
    assert sum("… and 2 more, soonest first" in c.value for c in at.caption) == 2


def _downloads(at) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def test_prepared_data_file_is_not_offered_after_the_filter_changes(app, sample_engine):
    at = _run(app, "views/brief.py", countries="XK")
    next(b for b in at.button if b.key == "export.prepare").click().run()
    n = queries.count_events(sample_engine, Filters(countries=("XK",)))
    assert any(f"({n} rows)" in label for label in _downloads(at)), _downloads(at)
    at.multiselect(key="filter.countries").set_value(["BA"]).run()
    assert not at.exception
    assert not any("rows)" in label for label in _downloads(at)), _downloads(at)
    assert any("prepare it again" in i.value for i in at.info), [i.value for i in at.info]


def test_prepared_briefing_is_not_offered_after_the_filter_changes(app):
    at = _run(app, "views/brief.py", countries="XK")
    next(b for b in at.button if b.key == "briefing.make").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(label.endswith(".pdf") for label in _downloads(at)), _downloads(at)
    at.toggle(key="filter.kosovo_star").set_value(True).run()
    assert not any(label.endswith((".pdf", ".html")) for label in _downloads(at)), _downloads(at)
    assert any("briefing was made: prepare it again" in i.value for i in at.info), [i.value for i in at.info]


def test_url_display_and_view_choices_fill_the_page_and_are_written_back(app):
    at = _run(app, "views/map.py", countries="XK", kosovo="star", level="place", measure="articles", lane="category")
    assert at.toggle(key="filter.kosovo_star").value is True
    assert at.selectbox(key="map.measure").value == "articles"
    assert r"Kosovo\* · " in _caption_text(at)  # markdown-escaped star
    assert any("UNSCR 1244" in c.value for c in at.caption)
    for key, value in {"countries": "XK", "kosovo": "star", "level": "place", "measure": "articles",
                       "lane": "category"}.items():
        assert at.query_params[key] in (value, [value]), key
    # The timeline is drawn with the lane from the link, and the map's choices stay in its URL.
    at.switch_page("views/timeline.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["level"] in ("place", ["place"])
    assert at.query_params["lane"] in ("category", ["category"])


def test_malformed_url_values_are_ignored(app, sample_engine):
    at = _run(app, "views/timeline.py", countries="BA,Kosovo (XK)", **{"from": "1900-01-01"}, level="x",
              lane="nonsense", kosovo="yes")
    assert at.multiselect(key="filter.countries").value == ["BA"]
    assert at.date_input(key="filter.from").value is None
    n = queries.count_events(sample_engine, Filters(countries=("BA",)))
    assert f"({n} report" in _caption_text(at)
    assert at.query_params["countries"] in ("BA", ["BA"])
    assert "lane" not in at.query_params and "level" not in at.query_params and "kosovo" not in at.query_params


def test_briefing_page_says_which_map_and_lanes_it_draws(app):
    at = _run(app, "views/brief.py", level="place", measure="expected", lane="category")
    assert ("The map shows entities, districts and municipalities coloured by expected and overdue developments, "
            "and the timeline has one lane per category") in _caption_text(at)
