"""The same page and query measures on PostgreSQL, beside SQLite's, on a copy of the benchmark database.

A throwaway local server (:mod:`bench.pgserver`: initdb in a temporary folder, as the tests do; PG*
variables name an existing one instead), the benchmark's SQLite database copied into it by the
store's own ``copy_store`` (what ``python -m dashboard copy-to`` does), then:

* the page reruns of :mod:`bench.pages` (cold, after a filter change, warm; the three standard
  filters), with ``DASHBOARD_DB_URL`` pointing at the server;
* the facets, events per month, article list and search queries of :mod:`bench.sqlbench`, with
  PostgreSQL's own floor beside our search: a raw ``@@`` match on the GIN index ranked by
  ``ts_rank``, top 25 (what raw FTS5 is to SQLite's search).

The server runs with fsync off (a benchmark: durability is not measured) and 256 MB of shared
buffers; everything else is Debian's default.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench import pages as page_bench
from bench import pgserver, sqlbench
from bench.timing import times
from dashboard.filters import Filters

SETTINGS = ("shared_buffers=256MB", "work_mem=32MB", "max_connections=200")


def _sql(engine, repeat: int) -> dict:
    from sqlalchemy import text

    from dashboard.store import queries, textsearch

    stats = sqlbench._stats
    out = sqlbench.store_measures(engine, repeat)
    for facet in out["facets"].values():
        facet.pop("ours_counts", None)
    search: dict = {}
    raw_sql = text("SELECT article_id FROM article_search WHERE doc @@ to_tsquery('simple', :q) "
                   "ORDER BY ts_rank(doc, to_tsquery('simple', :q)) DESC LIMIT 25")
    with engine.connect() as conn:
        for q in sqlbench.SEARCHES:
            f = Filters(text=q)
            words = textsearch.tsquery_text(textsearch.query_words(q))
            raw = times(lambda words=words: conn.execute(raw_sql, {"q": words}).all(), repeat)
            listing = times(lambda f=f: queries.load_articles(engine, f, limit=25, sort="relevance"), repeat)
            both = times(lambda f=f: (queries.count_articles(engine, f),
                                      queries.load_articles(engine, f, limit=25, sort="relevance")), repeat)
            search[q] = {"raw_pg": stats(raw), "ours_list": stats(listing), "ours_count_and_list": stats(both),
                         "hits": queries.count_articles(engine, f)}
    out["search"] = search
    return out


def run(sqlite_path: Path, reruns: int = 7, timeout: float = 60.0, progress=None) -> dict:
    """Copy the database at ``sqlite_path`` into a PostgreSQL server and measure pages and queries there."""
    from dashboard.store import open_engine
    from dashboard.store.transfer import copy_store

    say = progress or (lambda _msg: None)
    reason = pgserver.available()
    if reason:
        return {"skipped": reason}
    with pgserver.server(SETTINGS) as server_url:
        url = pgserver.create_database(server_url, "balkan_bench")
        source = open_engine(f"sqlite:///{sqlite_path}", create=False)
        target = open_engine(url)
        try:
            say("  copying the benchmark database into PostgreSQL ...")
            t0 = time.perf_counter()
            rows = copy_store(source, target)
            copy_s = time.perf_counter() - t0
            with target.connect() as conn:
                size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
            say(f"  copied {sum(rows.values()):,} rows in {copy_s:.0f} s ({size / 2**20:,.0f} MB on the server)")
            out: dict = {"copy_s": round(copy_s, 1), "rows": rows, "db_bytes": int(size),
                         "server": target.dialect.server_version_info}
            out["sql"] = _sql(target, reruns)
        finally:
            source.dispose()
            target.dispose()
        before = os.environ.get("DASHBOARD_DB_URL")
        try:
            out["pages"] = page_bench.run(url, reruns=reruns, progress=say, timeout=timeout)
        finally:  # the server is gone after this: nothing later may be pointed at it
            if before is None:
                os.environ.pop("DASHBOARD_DB_URL", None)
            else:
                os.environ["DASHBOARD_DB_URL"] = before
    return out
