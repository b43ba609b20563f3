"""Full exports through ``dashboard.export.write`` (the CLI's and the pages' path), every format it offers.

All events of the benchmark database are exported (no filter, no row cap): about 100,000 at
``--size 100000``. The time per 100,000 events is also given, scaled linearly from the run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from dashboard.filters import Filters


def run(db_path: Path, progress=None) -> dict:
    from dashboard import export
    from dashboard.store import open_engine

    engine = open_engine(f"sqlite:///{db_path}", create=False)
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        for fmt in export.FORMATS:
            target = Path(tmp) / f"events.{fmt}"
            t0 = time.perf_counter()
            try:
                binary = fmt in ("xlsx", "parquet")  # zip / binary containers want a byte stream
                mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
                with open(target, **mode) as fh:
                    rows = export.write(engine, "events", fmt, Filters(), fh)
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
