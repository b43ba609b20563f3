"""Building the benchmark databases through the real ingest path, and the single-core ingest rate.

The corpus is written as JSONL files (chunks of ``CHUNK`` records) and loaded with
``dashboard.ingest.pipeline.ingest_paths(..., workers=2)``, exactly what
``python -m dashboard ingest --workers 2`` does: articles are tagged in two worker processes while
this process writes, ``BATCH`` records per transaction. Articles are loaded first, then the events
(30 % of which name an article URL).

Built databases are cached under ``bench/.cache/`` (git-ignored) per size, seed, corpus version
and store schema version, with the load statistics in ``load.json`` beside them.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = ROOT / "bench" / ".cache"
CHUNK = 1000


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def schema_version() -> int:
    """The schema generation of the cached databases: 5 since migrations (an older cached store is
    migrated in place when opened, so the caches built at 5 stay good)."""
    from dashboard.store.migrate import BASELINE_SCHEMA_VERSION

    return BASELINE_SCHEMA_VERSION


def db_dir(cache: Path, n: int, seed: int) -> Path:
    """One folder per size, seed, corpus version and store schema version.

    Bump ``corpus.CORPUS_VERSION`` when the texts change; ``SCHEMA_VERSION`` is the store's own.
    """
    return cache / f"db-{n}-s{seed}-c{corpus.CORPUS_VERSION}-v{schema_version()}"


def add_missing_schema(db: Path) -> None:
    """Create tables and indexes the schema gained since the database was built."""
    from dashboard.store import open_engine
    from dashboard.store.schema import metadata

    engine = open_engine(f"sqlite:///{db}")  # creates missing tables
    for table in metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    engine.dispose()


def _write_chunks(folder: Path, n_articles: int, n_events: int, seed: int,
                  articles: bool = True) -> tuple[list[Path], list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    art_paths: list[Path] = []
    fh = None
    t0 = time.perf_counter()
    for i, art in enumerate(corpus.iter_articles(n_articles if articles else 0, seed)):
        if i % CHUNK == 0:
            if fh:
                fh.close()
            art_paths.append(folder / f"synthetic-articles-{i // CHUNK:05d}.jsonl")
            fh = art_paths[-1].open("w", encoding="utf-8")
        fh.write(json.dumps(art.record, ensure_ascii=False) + "\n")
        if (i + 1) % 20000 == 0:
            log(f"  corpus: {i + 1:,}/{n_articles:,} articles written ({time.perf_counter() - t0:.0f} s)")
    if fh:
        fh.close()
    ev_paths: list[Path] = []
    fh = None
    for i, ev in enumerate(corpus.iter_events(n_events, seed, n_articles)):
        if i % (CHUNK * 5) == 0:
            if fh:
                fh.close()
            ev_paths.append(folder / f"synthetic-events-{i // (CHUNK * 5):05d}.jsonl")
            fh = ev_paths[-1].open("w", encoding="utf-8")
        fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return art_paths, ev_paths


def _load(url: str, paths: list[Path], workers: int, what: str, total: int) -> tuple[float, dict]:
    """All ``paths`` through ``ingest_paths`` with ``workers`` tagging processes, with a progress log."""
    from dashboard.ingest.pipeline import IngestReport, ingest_paths
    from dashboard.store import open_engine

    engine = open_engine(url)
    t0 = time.perf_counter()
    state = {"last": 0.0}
    report = IngestReport()

    def progress(done: int, n_files: int, _label: str) -> None:
        elapsed = time.perf_counter() - t0
        if elapsed - state["last"] < 10 and done < n_files:
            return
        state["last"] = elapsed
        count = min(total, done * (CHUNK if what == "articles" else CHUNK * 5))
        rate = count / elapsed if elapsed else 0
        eta = (total - count) / rate if rate else 0
        log(f"  load {what}: about {count:,}/{total:,} ({rate:,.0f}/s, {elapsed:,.0f} s elapsed, "
            f"about {eta:,.0f} s left)")

    report = ingest_paths(engine, [str(p) for p in paths], progress=progress, workers=workers)
    engine.dispose()
    done = {
        "articles": report.articles_created,
        "events": report.events_created + report.events_updated + report.events_unchanged,
        "n_problems": len(report.problems),
        "problems": [str(p) for p in report.problems[:5]],
    }
    return time.perf_counter() - t0, done


def _finished_articles(db: Path, n: int, phase_path: Path) -> dict | None:
    """The article load's statistics when an interrupted build got every article in, else ``None``.

    A build stopped during the events (they come last) resumes there: the article phase left
    ``articles.json``, or, for a build from before that file existed, the database holds all ``n``
    synthetic articles (their time then is unknown and reported as such).
    """
    if phase_path.exists():
        return json.loads(phase_path.read_text())
    import sqlite3

    try:
        with sqlite3.connect(db) as con:
            count = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return None
    if count != n:
        return None
    return {"seconds": None, "articles": count, "events": 0, "n_problems": 0, "problems": []}


def build_db(n: int, seed: int, cache: Path, workers: int = 2, rebuild: bool = False,
             allow_build: bool = True) -> tuple[Path, dict]:
    """The benchmark database for ``n`` articles and ``n`` events: cached, or built now."""
    folder = db_dir(cache, n, seed)
    db = folder / "bench.db"
    meta_path = folder / "load.json"
    if db.exists() and meta_path.exists() and not rebuild:
        meta = json.loads(meta_path.read_text())
        log(f"Using the cached database {db} (built {meta['built']}; --rebuild to build it again).")
        add_missing_schema(db)
        return db, meta
    if not allow_build:
        raise SystemExit(f"--skip-load: no cached database for size {n} and seed {seed} in {cache}")
    from dashboard.store import open_engine

    url = f"sqlite:///{db}"
    phase_path = folder / "articles.json"  # written once every article is in
    articles_done = None
    if db.exists() and not rebuild:
        articles_done = _finished_articles(db, n, phase_path)
    if articles_done is None:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        open_engine(url).dispose()  # create the schema once, before the workers race to do it
        log(f"Building the benchmark database for {n:,} articles and {n:,} events (seed {seed}) in {folder}")
    else:
        log(f"Resuming the interrupted build in {folder}: all {n:,} articles are in, loading the events.")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        t0 = time.perf_counter()
        art_paths, ev_paths = _write_chunks(Path(tmp), n, n, seed, articles=articles_done is None)
        gen_s = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in art_paths + ev_paths)
        log(f"  corpus written: {len(art_paths)} article and {len(ev_paths)} event files, "
            f"{size / 1e6:,.0f} MB, {gen_s:.1f} s")
        if articles_done is None:
            art_s, art = _load(url, art_paths, workers, "articles", n)
            phase_path.write_text(json.dumps({"seconds": art_s, **art}))
        else:
            art_s, art = articles_done.pop("seconds"), articles_done
        ev_s, ev = _load(url, ev_paths, workers, "events", n)
    from sqlalchemy import text

    engine = open_engine(url)
    with engine.begin() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("articles", "article_tags", "events", "event_countries", "article_links")}
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        conn.execute(text("ANALYZE"))
    engine.dispose()
    meta = {
        "built": time.strftime("%Y-%m-%d %H:%M:%S"),
        "schema_version": schema_version(),
        "size": n,
        "seed": seed,
        "workers": workers,
        "corpus_seconds": round(gen_s, 2),
        "corpus_bytes": size,
        "articles_seconds": round(art_s, 2) if art_s else None,
        "events_seconds": round(ev_s, 2),
        "articles_per_s_wall": round(art["articles"] / art_s, 2) if art_s else None,
        "resumed": articles_done is not None,
        "events_per_s_wall": round(ev["events"] / ev_s, 2) if ev_s else None,
        "problems": art["n_problems"] + ev["n_problems"],
        "problem_examples": art["problems"] + ev["problems"],
        "rows": counts,
        "db_bytes": db.stat().st_size,
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    log(f"  built in {(art_s or 0) + ev_s + gen_s:,.0f} s: {counts}; {meta['problems']} rejected record(s)")
    return db, meta


def single_core_ingest(seed: int, n_articles: int = 500, n_events: int = 2000, runs: int = 3) -> dict:
    """Articles/s and events/s of ``ingest_paths`` in this one process, each run on a fresh SQLite file.

    The figures are the median of ``runs`` runs (this machine's timings vary by about 5 % from run
    to run); every run's rate is kept beside it.
    """
    from statistics import median

    from dashboard.geo import locate_many
    from dashboard.ingest.pipeline import detect_language, ingest_paths
    from dashboard.store import open_engine
    from dashboard.tagging import tag_article

    # steady state: the gazetteer, the language model and the boundaries (for events with
    # coordinates) are loaded once per process (about 1.2 s in all) before the clock starts,
    # as the tagging comparison does for both systems
    tag_article("Warm-up sentence about Sarajevo.")
    detect_language("A warm-up sentence for the language model.")
    locate_many([43.86], [18.41])
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        arts = [a.record for a in corpus.iter_articles(n_articles, seed)]
        articles_file, events_file = folder / "synthetic-articles.jsonl", folder / "synthetic-events.jsonl"
        articles_file.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in arts), encoding="utf-8")
        events_file.write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in corpus.iter_events(n_events, seed, n_articles)),
            encoding="utf-8")
        runs_out = [_ingest_run(folder / f"ingest-{k}.db", articles_file, events_file, ingest_paths, open_engine)
                    for k in range(max(1, runs))]
    words = sum(len(r["body"].split()) for r in arts) / max(1, len(arts))
    mid = sorted(runs_out, key=lambda x: x["articles_per_s"])[len(runs_out) // 2]
    return {
        **mid,
        "articles_per_s": median(x["articles_per_s"] for x in runs_out),
        "events_per_s": median(x["events_per_s"] for x in runs_out),
        "runs": len(runs_out),
        "articles_per_s_runs": [round(x["articles_per_s"], 1) for x in runs_out],
        "events_per_s_runs": [round(x["events_per_s"], 1) for x in runs_out],
        "mean_words": words,
    }


def _ingest_run(db: Path, articles_file: Path, events_file: Path, ingest_paths, open_engine) -> dict:
    from sqlalchemy import text

    engine = open_engine(f"sqlite:///{db}")
    try:
        t0 = time.perf_counter()
        rep_a = ingest_paths(engine, [str(articles_file)])
        art_s = time.perf_counter() - t0
        with engine.connect() as conn:
            machine_events = conn.execute(text("SELECT count(*) FROM events")).scalar()
        t0 = time.perf_counter()
        rep_e = ingest_paths(engine, [str(events_file)])
        ev_s = time.perf_counter() - t0
    finally:
        engine.dispose()
    return {
        "articles": rep_a.articles_created,
        "articles_seconds": art_s,
        "articles_per_s": rep_a.articles_created / art_s,
        "machine_events_per_article": machine_events / max(1, rep_a.articles_created),
        "events": rep_e.events_created,
        "events_seconds": ev_s,
        "events_per_s": rep_e.events_created / ev_s,
        "problems": len(rep_a.problems) + len(rep_e.problems),
    }
