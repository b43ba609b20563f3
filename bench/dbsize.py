"""Database size per article: the SQLite file, its pages in use, and where the bytes go (``dbstat``).

Per article means with everything the store keeps for it: its tags, its machine events with their
links and developments, the full-text indexes, every index. Pages on the freelist (left by a
migration that rebuilt an index: SQLite keeps them for later writes until ``VACUUM``) are counted
apart, so the figure is what a freshly built store of the same data holds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: dbstat names grouped by what they store (the rest: the table or index under its own name).
GROUPS = {
    "articles_fts": "articles' full-text index", "events_fts": "events' full-text index",
}


def _group(name: str) -> str:
    for prefix, label in GROUPS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return label
    return name


def run(path: Path) -> dict:
    """Bytes of the file and of its pages in use, per article and per event; bytes per table and
    index (largest first, full-text shadow tables summed per index), and the share of indexes."""
    path = Path(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        free = con.execute("PRAGMA freelist_count").fetchone()[0]
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        kinds = dict(con.execute("SELECT name, type FROM sqlite_master"))
        by_name: dict[str, int] = {}
        indexes = 0
        for name, size in con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            label = _group(name)
            by_name[label] = by_name.get(label, 0) + int(size)
            if kinds.get(name) == "index" or name.startswith("sqlite_autoindex"):
                indexes += int(size)
    finally:
        con.close()
    in_use = (pages - free) * page_size
    return {
        "file_bytes": path.stat().st_size, "in_use_bytes": in_use, "free_bytes": free * page_size,
        "articles": articles, "events": events,
        "bytes_per_article": in_use / articles if articles else None,
        "file_bytes_per_article": path.stat().st_size / articles if articles else None,
        "index_bytes": indexes,
        "by_name": dict(sorted(by_name.items(), key=lambda kv: -kv[1])),
    }
