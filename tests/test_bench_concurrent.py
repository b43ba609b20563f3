"""The bench's latency-under-load section (bench/concurrent.py) end to end at a tiny size.

As tests/test_bench_smoke.py does for the whole benchmark, but for this one section and small
enough to run in seconds of page loads: a 40-article benchmark database built by the bench's own
loader, 3 browser sessions (and 3 websocket sessions) loading the five pages once, then 3 browser
sessions moving through them in the sidebar, quiet and while an import of 20 new articles runs.
Numbers are printed and must exist, never compared with the targets; the rows must all be drawn
without an error, the import must have stored its articles in the copy, and the cached database must
be left as built.
"""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bench import concurrent, load, report
from dashboard import devserver

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZE, SEED, SESSIONS, IMPORTED = 40, 3, 3, 20


def test_concurrent_section_at_a_tiny_size(tmp_path: Path):
    db, _meta = load.build_db(SIZE, SEED, tmp_path / "cache", workers=1)
    r = concurrent.run(db, SIZE, SEED, sessions=SESSIONS, rounds=1, import_articles=IMPORTED, timeout=60,
                       log_path=tmp_path / "streamlit.log", progress=print)
    assert r.get("method") != "unavailable", r
    for phase in ("quiet", "import"):
        for how in ("browser", "websocket", "switch"):
            v = r[f"{phase}_{how}"]
            assert v["n"] == SESSIONS * len(concurrent.PAGES), (phase, how, v)
            assert v["n_errors"] == 0 and v["timeouts"] == 0, (phase, how, v)
            assert set(v["pages"]) == set(concurrent.PAGES)
    assert r["import"]["exit"] == 0, r["import"]["output"]
    # the import's own time: 20 articles take seconds, far less than its phase's three rounds of sessions
    phase = sum(r[f"import_{how}"]["seconds"] for how in ("browser", "websocket", "switch"))
    assert 0 < r["import"]["seconds"] < phase, (r["import"]["seconds"], phase)

    assert r["single_browser"]["n"] == len(concurrent.PAGES) and r["single_browser"]["n_errors"] == 0
    # one session alone moving between the pages in the sidebar: every page once, none an opening load
    assert r["single_switch"]["n"] == len(concurrent.PAGES) and r["single_switch"]["n_errors"] == 0
    assert r["single_switch"]["timeouts"] == 0 and set(r["single_switch"]["pages"]) == set(concurrent.PAGES)
    for phase in ("quiet", "import"):  # CPU seconds a load cost the server and Chromium: some, and not all of it
        for how in ("browser", "switch"):
            cpu = r[f"{phase}_{how}"]["cpu_per_load"]
            wall = r[f"{phase}_{how}"]["seconds"] / r[f"{phase}_{how}"]["n"]  # the phase's wall time per load
            assert 0 < cpu["server_s"] and 0 < cpu["chromium_s"], (how, cpu)
            assert cpu["server_s"] + cpu["chromium_s"] <= (os.cpu_count() or 1) * wall, (how, cpu, wall)  # no more than the cores

    measures, unavailable = report.flatten({"concurrent": r})
    names = [k for k in measures if k.startswith("concurrent.")]
    # per phase: browser and websocket median and p95, server and Chromium CPU per load; the same four and two
    # for the page switches; and one session alone, loading and switching: 2 x (4 + 2 + 2 + 2) + 2 + 2
    assert len(names) == 24 and not [k for k in unavailable if k.startswith("concurrent.")], unavailable
    assert all(isinstance(measures[k], float) and math.isfinite(measures[k]) for k in names), measures
    table, targets = report.rows({"concurrent": r})
    text = report.format_table(SIZE, table)
    print(text)
    assert "[Latency under load: 3 concurrent sessions" in text
    assert "3 browsers, nothing else running" in text and "3 browsers, during an import" in text
    assert "1 browser alone" in text and "CPU per load, nothing else running" in text
    assert "1 browser alone, page switch" in text and "page switch, nothing else running" in text
    assert "page switch, during an import" in text and "CPU per switch, nothing else running" in text
    conc = [t for t in targets if "concurrent sessions" in t["target"]]
    # the targets judge the full loads, as before: the page switches have no verdict of their own
    assert len(conc) == 2 and all(t["met"] in (True, False) for t in conc)
    assert not [t for t in targets if "switch" in t["target"]]

    con = sqlite3.connect(db)  # the import wrote to a copy: the cached database is as built
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (SIZE,)
    finally:
        con.close()


#: each page's heading as the dashboard shows it
HEADINGS = {"overview": "Stability overview", "map": "Map", "timeline": "Timeline", "articles": "Articles",
            "expected": "Expected developments"}


def test_a_page_switch_is_timed_to_the_page_it_went_to(tmp_path: Path):
    """Once a switch counts as drawn, the page shown is the one clicked, never the one before it."""
    db, _meta = load.build_db(SIZE, SEED, tmp_path / "cache", workers=1)
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with devserver.serve(f"sqlite:///{copy}", tmp_path / "streamlit.log", timeout=90) as (base, _proc):
        rows = concurrent.drive(base, 2, rounds=1, switch=True, timeout=60)
    assert len(rows) == 2 * len(concurrent.PAGES) and not [r for r in rows if r["status"] != "drawn"], rows
    assert [(r["page"], r["heading"]) for r in rows] == [(r["page"], HEADINGS[r["page"]]) for r in rows]
    # session 0 opened the Overview, session 1 the Map: each starts with the page after its own
    assert [r["page"] for r in rows if r["session"] == 0] == ["map", "timeline", "articles", "expected", "overview"]
    assert [r["page"] for r in rows if r["session"] == 1][0] == "timeline"
