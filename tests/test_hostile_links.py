"""Hostile links: every URL parameter value a stranger can type gives a gentle message or an empty
result on every page, never an exception (issue 18, "Links that break pages")."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import filter_state

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")

#: Every page of dashboard/app.py (None = the Overview at "/").
PAGES = [None, "views/map.py", "views/timeline.py", "views/articles.py", "views/expected.py", "views/brief.py",
         "views/add.py"]

LONG = "x" * 5000
HOSTILE_LINKS: dict[str, dict[str, str]] = {
    "from-1980": {"from": "1980-01-01"},
    "to-2040": {"to": "2040-01-01"},
    "from-9999": {"from": "9999-12-31"},
    "from-0001": {"from": "0001-01-01"},
    "to-0001": {"to": "0001-01-01"},
    "from-notadate": {"from": "notadate", "to": "31/12/2023"},
    "from-after-to": {"from": "2035-12-31", "to": "1990-01-01"},
    "article-huge": {"article": "99999999999999999999999"},
    "article-negative": {"article": "-1"},
    "article-zero": {"article": "0"},
    "article-text": {"article": "1 OR 1=1"},
    "article-missing": {"article": "424242"},
    "article-superscript": {"article": "²"},
    "page-negative": {"page": "-5", "articles.page": "-5"},
    "page-huge": {"page": "99999999999999999999", "articles.page": "1e308"},
    "countries-ZZ": {"countries": "ZZ"},
    "countries-huge-list": {"countries": ",".join(["BA", "ZZ", "XK", "RS"] * 2500)},
    "places-huge-list": {"places": ",".join(f"BA-X{i}" for i in range(5000))},
    "topics-huge-list": {"topics": ",".join(f"t{i}" for i in range(5000))},
    "types-huge-list": {"types": "|".join(f"type {i}" for i in range(5000))},
    "datasets-bogus": {"datasets": "acled,<b>x</b>,../../etc"},
    "fatalities-negative": {"fatalities": "-3", "sources": "-1"},
    "fatalities-huge": {"fatalities": "9" * 400, "sources": "9" * 400},
    "views-bogus": {"level": "<b>", "measure": "'; DROP", "lane": LONG, "kosovo": "\x00", "present": "2"},
    "q-long": {"q": LONG},
    "q-null": {"q": "Sarajevo\x00\x00 gas"},
    "q-rtl": {"q": "\u202eأخبار سراييفو\u202c"},
    "q-emoji": {"q": "🇧🇦💣🔥"},
    "q-fts": {"q": '"NEAR( a OR * ( ^title: -x'},
    "q-fts-column": {"q": "title:gas body:*"},
    "q-sql": {"q": "'; DROP TABLE articles; --"},
    "q-percent": {"q": "%_\\%"},
    "everything-null": {k: "\x00" for k in ("countries", "places", "topics", "from", "to", "q", "undated",
                                              "datasets", "types", "fatalities", "sources", "lowconf", "article")},
    "everything-long": {k: LONG for k in ("countries", "places", "topics", "from", "to", "q", "undated",
                                          "datasets", "types", "fatalities", "sources", "lowconf", "article")},
}


#: The gentle message each case must give (a toast naming what was left out), where one is due.
NOTES = {
    "from-1980": "“From” date “1980-01-01” is not a date from 1990-01-01 to 2035-12-31",
    "to-2040": "“To” date “2040-01-01” is not a date",
    "from-9999": "“From” date “9999-12-31” is not a date",
    "from-0001": "“From” date “0001-01-01” is not a date",
    "from-notadate": "“From” date “notadate” is not a date",
    "article-huge": "article “99999999999999999999999” is not an article number",
    "article-superscript": "article “²” is not an article number",
    "article-text": "article “1 OR 1=1” is not an article number",
    "q-long": "search text was cut to its first 200 characters",
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: (p or "overview").removeprefix("views/").removesuffix(".py"))
@pytest.mark.parametrize("case", list(HOSTILE_LINKS))
def test_hostile_link_breaks_no_page(sample_db_url, monkeypatch, page, case):
    monkeypatch.setenv("DASHBOARD_DB_URL", sample_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in HOSTILE_LINKS[case].items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page drew nothing"
    if case in NOTES:
        toasts = [t.value for t in at.toast]
        assert any(NOTES[case] in t for t in toasts), toasts


def test_the_codec_drops_hostile_values():
    """The pure decoder, against answers written by hand."""
    f = filter_state.filters_from_params({"from": "9999-12-31", "to": "0001-01-01", "q": "a\x00b\u202ec ",
                                          "countries": ",".join(f"C{chr(65 + i % 26)}" for i in range(500))})
    assert f.date_from is None and f.date_to is None
    assert f.text == "abc"
    assert len(f.countries) == 26  # CA..CZ, repeats dropped
    assert len(filter_state.filters_from_params({"places": ",".join(f"BA-X{i}" for i in range(999))}).places) == 50
    assert filter_state.filters_from_params({"q": LONG}).text == "x" * 200
    for value, wanted in (("12", 12), (" 7 ", 7), ("0", None), ("-1", None), ("²", None), ("1e3", None),
                          ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None),
                          ("99999999999999999999999", None), ("", None), ("\x00", None)):
        assert filter_state.article_from_params({"article": value}) == wanted, value
