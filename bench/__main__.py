"""``python -m bench --size N``: build (or reuse) the benchmark database, measure, print, save.

See docs/performance.md. Progress goes to stderr, the table to stdout, everything measured to
``bench/results.json`` (or ``--results``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from bench import corpus, load, report
from bench.load import log

ROOT = Path(__file__).resolve().parent.parent


def _sizes(args) -> list[int]:
    if args.sizes:
        return [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()]
    return [args.size]


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("streamlit", "plotly", "pandas", "sqlalchemy", "datasette", "flashgeotext", "playwright"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    import sqlite3

    out["sqlite"] = sqlite3.sqlite_version
    return out


def _commit() -> str | None:
    """The code measured: HEAD, marked "+dirty" when the working tree differs (read-only git calls)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+dirty" if dirty else "")) or None


def measure_size(n: int, args, cache: Path) -> dict:
    t_size = time.perf_counter()
    db, meta = load.build_db(n, args.seed, cache, workers=args.workers, rebuild=args.rebuild,
                             allow_build=not args.skip_load)
    url = f"sqlite:///{db}"
    r: dict = {"load": meta, "db": str(db)}
    timings: dict[str, float] = {}

    def step(name: str, fn):
        log(f"- {name}")
        t0 = time.perf_counter()
        try:
            r[name] = fn()
        except Exception as exc:  # one broken measure must not lose the others
            import traceback

            traceback.print_exc()
            r[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        timings[name] = round(time.perf_counter() - t0, 1)

    from bench import concurrent, datasets, dbsize, exports, pages, payload, rss, sqlbench, tagcompare

    step("ingest", lambda: load.single_core_ingest(args.seed, args.ingest_sample, args.ingest_sample * 4))
    step("tagging", lambda: tagcompare.run(args.seed, args.tag_sample))
    step("datasets", lambda: datasets.run(progress=log))
    step("size", lambda: dbsize.run(db))
    step("sql", lambda: sqlbench.run(db, repeat=args.reruns))
    step("pages", lambda: pages.run(url, reruns=args.reruns, progress=log, timeout=args.page_timeout))
    if args.postgres == "on" or (args.postgres == "auto" and n <= 100_000):
        from bench import postgres

        step("postgres", lambda: postgres.run(db, reruns=args.reruns, timeout=args.page_timeout, progress=log))

    def _payload():
        from dashboard.store import open_engine

        engine = open_engine(url, create=False)
        try:
            figures = payload.page_figures(engine)
        finally:
            engine.dispose()
        counts = tuple(int(c) for c in args.map_counts.split(","))
        return {"figures": figures, "map_scaling": payload.map_scaling(cache, args.seed, counts, progress=log)}

    step("payload", _payload)

    def _rss():
        if args.rss == "browser":
            out = rss.browser_peak(url, pages.SCENARIO_PARAMS, cache / "streamlit.log", progress=log,
                                   timeout=args.page_timeout)
            if out.get("peak_mb") is not None:
                return out
            reason = out.get("reason", "")
        else:
            reason = "--rss apptest"
        return {"method": f"AppTest process (ru_maxrss of the benchmark process; {reason})",
                "peak_mb": rss.self_peak_mb()}

    step("rss", _rss)
    step("export", lambda: exports.run(db, progress=log))
    if args.concurrent_sessions > 0:
        step("concurrent", lambda: concurrent.run(db, n, args.seed, sessions=args.concurrent_sessions,
                                                  rounds=args.concurrent_rounds,
                                                  import_articles=args.concurrent_import,
                                                  timeout=args.page_timeout, log_path=cache / "streamlit-concurrent.log",
                                                  progress=log))
    r["step_seconds"] = timings
    log(f"  step seconds: {timings}")
    r["seconds"] = round(time.perf_counter() - t_size, 1)
    return r


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=10_000, help="articles (and as many events); default 10000")
    p.add_argument("--sizes", help="several sizes, comma-separated, e.g. 10000,100000")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-load", action="store_true",
                   help="never build a database: use the cached one for each size, or stop")
    p.add_argument("--rebuild", action="store_true", help="build the databases again even when cached")
    p.add_argument("--workers", type=int, default=2, help="tagging worker processes for the bulk load, as ingest --workers (default 2)")
    p.add_argument("--reruns", type=int, default=7, help="timed reruns per page and query (default 7)")
    p.add_argument("--page-timeout", type=float, default=60.0,
                   help="a page run longer than this is stopped and reported as a lower bound (default 60 s)")
    p.add_argument("--ingest-sample", type=int, default=500, help="articles in the single-core ingest sample")
    p.add_argument("--tag-sample", type=int, default=500, help="synthetic texts for tagging vs flashgeotext")
    p.add_argument("--map-counts", default="1000,100000,1000000", help="event counts for the map payload scaling")
    p.add_argument("--rss", choices=("browser", "apptest"), default="browser",
                   help="peak memory of a real streamlit run driven by Chromium (default), or of this process")
    p.add_argument("--concurrent-sessions", type=int, default=10,
                   help="browser sessions loading pages at once, quiet and during an import (0: skip; default 10)")
    p.add_argument("--concurrent-rounds", type=int, default=1,
                   help="times each concurrent session loads the five pages, per phase (default 1)")
    p.add_argument("--concurrent-import", type=int, default=300,
                   help="new synthetic articles the import writes while the sessions load (default 300)")
    p.add_argument("--postgres", choices=("auto", "on", "off"), default="auto",
                   help="the page and query measures again on a throwaway PostgreSQL server, beside SQLite's "
                        "(auto: up to 100,000 articles; make bench DB=postgres: on)")
    p.add_argument("--cache-dir", type=Path, default=load.DEFAULT_CACHE, help="where built databases are kept")
    p.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: print the tables of an existing --results file again")
    args = p.parse_args(argv)

    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    if args.report_only:
        saved = json.loads(args.results.read_text())
        for n, r in saved["sizes"].items():
            table, _targets = report.rows(r)
            print(report.format_table(int(n), table), flush=True)
            print(flush=True)
        return 0
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    t0 = time.perf_counter()
    results: dict = {
        "meta": {
            "started": started,
            "seed": args.seed,
            "corpus_version": corpus.CORPUS_VERSION,
            "cpus": os.cpu_count(),
            "machine": platform.platform(),
            "versions": _versions(),
            "commit": _commit(),
            "reruns": args.reruns,
            "note": report.TARGET_NOTE,
        },
        "sizes": {},
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    for n in _sizes(args):
        r = measure_size(n, args, args.cache_dir)
        results["sizes"][str(n)] = r
        r["measures"], r["unavailable"] = report.flatten(r)
        results["meta"]["seconds"] = round(time.perf_counter() - t0, 1)
        args.results.write_text(json.dumps(results, indent=2, default=str))  # saved before anything can fail
        table, r["targets"] = report.rows(r)
        args.results.write_text(json.dumps(results, indent=2, default=str))
        print(report.format_table(n, table), flush=True)
        print(flush=True)
    log(f"Results written to {args.results} ({results['meta']['seconds']:.0f} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
