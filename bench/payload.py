"""Figure payloads: the plotly JSON each page builds, and the map's at 1k, 100k and 1M events.

The map page's figure is rebuilt with the same ``dashboard.figures`` builders and queries
the page uses (no filter) and measured as ``len(fig.to_json())``; every page's figures under every
filter are measured inside the page runs (``bench.pages``).

For the map's scaling, an events-only SQLite file per count is filled by a bulk ``INSERT`` of
located events (town centres with a few km of jitter, plus a fifth spread over the whole
region): a quick way to a million points, used only for this measure. ``queries.event_points``
and ``build_map_figure`` then run on it exactly as the map page does; above 2,000 points the
query returns grid cells, so the payload must stop growing.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

from bench import corpus
from dashboard.filters import Filters

MAP_COUNTS = (1_000, 100_000, 1_000_000)


def page_figures(engine) -> dict:
    """JSON bytes of the map page's figure (country level, events, no filter) built with the builders.

    The figures of every page under every filter are also measured inside the page runs
    (``bench.pages``: the plotly JSON Streamlit sends), which follow the pages as they change.
    """
    from dashboard import geo
    from dashboard.figures import build_map_figure, date_label
    from dashboard.names import FOCUS_COUNTRIES, country_name
    from dashboard.store import queries

    f = Filters()
    geojson = geo.countries_geojson()
    names = {i: country_name(i, False) for i in (ft["id"] for ft in geojson["features"])}
    counts = queries.event_counts_by(engine, f, "country")
    values = dict(zip(counts["code"], counts["events"].astype(int), strict=True))
    points, aggregated = queries.event_points(engine, f)
    if not aggregated and len(points):
        points = points.assign(
            when=[date_label(s, e, p) for s, e, p in zip(points["date_start"], points["date_end"],
                                                         points["date_precision"], strict=True)],
            status=points["display_status"])
    fig = build_map_figure(values, points, geojson, names, focus=list(FOCUS_COUNTRIES), center=geo.BALKANS_CENTER,
                           zoom=geo.BALKANS_ZOOM, aggregated=aggregated)
    return {"map_bytes": len(fig.to_json()), "map_points": len(points), "map_aggregated": bool(aggregated)}


def _fill_points_db(path: Path, n: int, seed: int) -> None:
    from dashboard.store import open_engine

    open_engine(f"sqlite:///{path}").dispose()
    rng = random.Random(f"{seed}:points")
    towns = corpus.TOWNS[:-2] if len(corpus.TOWNS) > 2 else corpus.TOWNS  # the region, not Washington
    statuses = ["occurred", "ongoing", "statement", "expected"]
    cats = corpus.TOPIC_NAMES
    now = "2025-01-01 00:00:00"

    def rows():
        for i in range(n):
            if rng.random() < 0.8:
                _name, _cc, _pl, lat, lon = towns[rng.randrange(len(towns))]
                lat += rng.uniform(-0.03, 0.03)
                lon += rng.uniform(-0.03, 0.03)
            else:
                lat, lon = rng.uniform(39.6, 47.0), rng.uniform(13.5, 30.0)
            d = corpus.D0 + timedelta(days=rng.randrange(corpus.SPAN_DAYS))
            yield (f"pt-{i}", f"Synthetic point {i}", statuses[rng.randrange(4)], cats[rng.randrange(len(cats))],
                   d.isoformat(), d.isoformat(), "day", round(lat, 5), round(lon, 5), "synthetic benchmark data",
                   "machine", "import", now)

    con = sqlite3.connect(path)
    try:
        con.executemany(
            "INSERT INTO events (id, title, status, category, date_start, date_end, date_precision, lat, lon, "
            "source_name, verification, dataset, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows())
        con.commit()
    finally:
        con.close()


def map_scaling(cache: Path, seed: int, counts=MAP_COUNTS, progress=None) -> dict:
    from dashboard import geo
    from dashboard.figures import build_map_figure, date_label
    from dashboard.names import FOCUS_COUNTRIES, country_name
    from dashboard.store import open_engine, queries

    geojson = geo.countries_geojson()
    names = {i: country_name(i, False) for i in (ft["id"] for ft in geojson["features"])}
    out = {}
    for n in counts:
        path = cache / f"points-{n}-s{seed}.db"
        if not path.exists():
            t0 = time.perf_counter()
            tmp = path.with_suffix(".tmp")
            tmp.unlink(missing_ok=True)
            _fill_points_db(tmp, n, seed)
            tmp.rename(path)
            if progress:
                progress(f"  map points database with {n:,} events filled in {time.perf_counter() - t0:.1f} s")
        engine = open_engine(f"sqlite:///{path}", create=False)
        t0 = time.perf_counter()
        points, aggregated = queries.event_points(engine, Filters(), today=date(2025, 6, 1))
        query_s = time.perf_counter() - t0
        if not aggregated and len(points):
            points = points.assign(
                when=[date_label(s, e, p) for s, e, p in zip(points["date_start"], points["date_end"],
                                                             points["date_precision"], strict=True)],
                status=points["display_status"])
        t0 = time.perf_counter()
        fig = build_map_figure({}, points, geojson, names, focus=list(FOCUS_COUNTRIES), center=geo.BALKANS_CENTER,
                               zoom=geo.BALKANS_ZOOM, aggregated=aggregated)
        size = len(fig.to_json())
        build_s = time.perf_counter() - t0
        engine.dispose()
        warm_s, cold_s = _map_rerun(f"sqlite:///{path}")
        out[str(n)] = {"bytes": size, "rows": len(points), "aggregated": bool(aggregated), "query_s": query_s,
                       "figure_s": build_s, "rerun_warm_s": warm_s, "rerun_cold_s": cold_s}
        if progress:
            progress(f"  map page at {n:,} events: rerun warm {warm_s:.2f} s, cold {cold_s:.2f} s")
    return out


def _map_rerun(db_url: str, reruns: int = 3) -> tuple[float, float]:
    """Median warm and cold rerun of the real map page (AppTest) on ``db_url``."""
    import os
    import statistics

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
    previous = os.environ.get("DASHBOARD_DB_URL")
    os.environ["DASHBOARD_DB_URL"] = db_url
    try:
        at = AppTest.from_file(app, default_timeout=600)
        at.switch_page("views/map.py")
        at.run()
        warm, cold = [], []
        for _ in range(reruns):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        for _ in range(reruns):
            st.cache_data.clear()
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
    finally:
        if previous is None:
            os.environ.pop("DASHBOARD_DB_URL", None)
        else:
            os.environ["DASHBOARD_DB_URL"] = previous
    return statistics.median(warm), statistics.median(cold)
