"""Exports through ``dashboard.export.write`` (the CLI's and the pages' path), every format it offers.

About ``target`` (100,000) events are exported: when the database holds more, the newest ones,
through a "from" date found by bisection (an ordinary filter, so the export path is the one a
user takes); when it holds fewer, all of them. The time per 100,000 events is also given, scaled
linearly from the run.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from dashboard.filters import Filters


def filter_for(engine, target: int) -> tuple[Filters, int]:
    """A filter keeping about ``target`` of the newest events (or all of them), and its count."""
    from dashboard.store import queries

    total = queries.count_events(engine, Filters())
    if total <= target:
        return Filters(), total
    lo, hi = queries.date_bounds(engine)
    if lo is None or hi is None:
        return Filters(), total
    best = (Filters(), total)
    while lo < hi:  # the latest "from" date that still keeps at least ``target`` events
        mid = lo + timedelta(days=((hi - lo).days + 1) // 2)
        f = Filters(date_from=mid, include_undated=False)
        n = queries.count_events(engine, f)
        if n >= target:
            best, lo = (f, n), mid
        else:
            hi = mid - timedelta(days=1)
    return best


def run(db_path: Path, progress=None, target: int = 100_000) -> dict:
    from dashboard import export
    from dashboard.store import open_engine

    engine = open_engine(f"sqlite:///{db_path}", create=False)
    f, n = filter_for(engine, target)
    out: dict = {"filter": f.describe(), "events_in_filter": n}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        if progress:
            progress(f"  export filter: {f.describe()} ({n:,} events)")
        for fmt in export.FORMATS:
            target = Path(tmp) / f"events.{fmt}"
            t0 = time.perf_counter()
            try:
                binary = fmt in ("xlsx", "parquet")  # zip / binary containers want a byte stream
                mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
                with open(target, **mode) as fh:
                    rows = export.write(engine, "events", fmt, f, fh)
            except Exception as exc:  # a format added later may need another call: report, do not stop
                out[fmt] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                continue
            secs = time.perf_counter() - t0
            out[fmt] = {"seconds": secs, "rows": int(rows or 0), "bytes": target.stat().st_size,
                        "seconds_per_100k": secs * 100_000 / rows if rows else None}
            if progress:
                progress(f"  export events as {fmt}: {rows:,} rows in {secs:.1f} s")
    engine.dispose()
    return out
