"""The bench's database size: bytes per article from the pages in use, and where they go (dbstat)."""

from __future__ import annotations

import sqlite3

from bench import dbsize
from dashboard.store import open_engine
from dashboard.store.records import ArticleRecord
from dashboard.store.writes import insert_article


def test_size_per_article_counts_pages_in_use_and_names_the_tables(tmp_path):
    path = tmp_path / "store.db"
    engine = open_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for n in range(3):
            insert_article(conn, ArticleRecord(url=f"https://example.invalid/{n}", title=f"Article {n}",
                                               body=f"Words of article number {n}. " * 200, outlet="Test"))
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size, pages = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count"))
    con.close()
    r = dbsize.run(path)
    assert r["articles"] == 3 and r["events"] == 0
    assert r["free_bytes"] == 0 and r["in_use_bytes"] == pages * page_size  # a new file: every page in use
    assert r["bytes_per_article"] == pages * page_size / 3
    assert {"articles", "articles' full-text index", "article_tags"} <= set(r["by_name"])
    assert "articles_fts_data" not in r["by_name"]  # summed under its index
