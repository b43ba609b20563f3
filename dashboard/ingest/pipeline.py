"""The ingest pipeline: files or pasted text -> clean -> tag -> store.

The CLI (``python -m dashboard ingest``) and the "Add articles" page both call these functions,
passing a ``progress`` callback ``(done, total, label)``.

Three steps per file: check and clean every record (no database); analyse the articles not stored
yet (language, tags, events, near-copy keys: pure CPU work, in worker processes when the caller
asks for them); write ``BATCH`` records per transaction from this one process, so there is a
single writer however many cores analyse.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.ingest import claims
from dashboard.ingest.children import without_parent_main
from dashboard.ingest.clean import clean_body
from dashboard.ingest.geocode import enrich_places
from dashboard.ingest.neardup import MIN_SHARED_BANDS, band_keys
from dashboard.ingest.paths import expand_paths
from dashboard.ingest.problems import Problem, RecordError, shown
from dashboard.ingest.readers import ReadOptions, read_path
from dashboard.ingest.validate import article_from_raw, event_from_raw
from dashboard.store import rollups
from dashboard.store.accounts import Actor, authorize
from dashboard.store.engine import DatabaseBusy, is_busy, refresh_statistics
from dashboard.store.records import ArticleRecord, EventRecord, TagRecord
from dashboard.store.writes import (
    article_ids_by_url,
    delete_dataset_events,
    find_article,
    find_articles,
    insert_articles,
    insert_new_events,
    stored_event_stamps,
    supersede_machine_readings,
    upsert_event,
)
from dashboard.vocab import KEPT_CONFIDENCE

Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    """What an ingest run did, and every problem it met."""

    files: int = 0
    articles_created: int = 0
    articles_existing: int = 0
    events_created: int = 0
    events_updated: int = 0
    events_unchanged: int = 0
    events_superseded: int = 0
    events_flagged: int = 0  # a dataset's newer version of an analyst-corrected event, held for review
    events_deleted: int = 0
    problems: list[Problem] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when everything went in, 1 when some records were rejected."""
        return 1 if self.problems else 0

    def merge(self, other: IngestReport) -> None:
        for name in ("files", "articles_created", "articles_existing", "events_created", "events_updated",
                     "events_unchanged", "events_superseded", "events_flagged", "events_deleted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems)
        self.article_ids.extend(other.article_ids)

    def summary(self) -> str:
        """One line for the terminal or the page."""
        parts = [
            f"{self.files} file(s)",
            f"{self.articles_created} new article(s)",
            f"{self.articles_existing} already stored",
            f"{self.events_created} new event(s)",
            f"{self.events_updated} updated",
        ]
        if self.events_unchanged:
            parts.append(f"{self.events_unchanged} unchanged")
        if self.events_superseded:
            parts.append(f"{self.events_superseded} machine reading(s) replaced by an analyst's version")
        if self.events_deleted:
            parts.append(f"{self.events_deleted} deleted as the dataset withdrew them")
        if self.events_flagged:
            parts.append(f"{self.events_flagged} analyst-corrected event(s) flagged: the dataset changed them")
        parts.append(f"{len(self.problems)} rejected record(s)" if self.problems else "no problems")
        return ", ".join(parts)


def _may(engine: Engine, actor: Actor | str | None, action: str) -> None:
    """Who writes: ``None`` is the command line (whoever runs it holds the database); an account or a
    typed name is checked as the curation writes are (:class:`~dashboard.store.accounts.NotAllowed`
    for a viewer, or for a typed name at a store with accounts), before anything is read or written."""
    if actor is not None:
        authorize(engine, actor, action)


def ingest_paths(engine: Engine, patterns: Iterable[str], progress: Progress | None = None,
                 workers: int = 1, options: ReadOptions | None = None, *,
                 actor: Actor | str | None = None) -> IngestReport:
    """Ingest every file named by ``patterns``; problems are collected, never raised (a viewer's
    ``actor`` is refused with :class:`~dashboard.store.accounts.NotAllowed`, see :func:`_may`).

    ``options`` chooses which rows of a worldwide dataset (GDELT) are kept.

    ``workers`` > 1 analyses articles in that many worker processes (started only for a file with
    at least ``PARALLEL_MIN`` new articles); the writes stay in this process.
    """
    _may(engine, actor, "import")
    files, problems, roots = expand_paths(patterns)
    report = IngestReport(problems=problems)
    with Analyser(workers) as analyser:
        for i, path in enumerate(files, start=1):
            if progress:
                progress(i - 1, len(files), shown(path.name))

            def records(done: int, total: int, i: int = i, path: Path = path) -> None:
                if progress and done < total:
                    progress(i - 1, len(files), f"{shown(path.name)}: {done:,} of {total:,} records")

            try:
                one = ingest_file(engine, path, analyser=analyser, on_batch=records, options=options, roots=roots)
            except (SQLAlchemyError, DatabaseBusy):
                raise  # the database itself failed or stayed busy: the command says so in one sentence
            except Exception as exc:  # a bug met by one file costs that file, never the run
                one = IngestReport(files=1, problems=[Problem(shown(str(path)), _unexpected(exc))])
            report.merge(one)
    if report.articles_created or report.events_created or report.events_updated or report.events_deleted:
        refresh_statistics(engine)
    if progress:
        progress(len(files), len(files), "done")
    return report


BATCH = 200  # records written per transaction
EVENT_BATCH = 10_000  # per transaction in a file of events only (ACLED, GDELT): about a second of work each
PARALLEL_MIN = 64  # fewer new articles than this in a file are analysed here: starting workers costs more


@dataclass
class Analysed:
    """An article with everything the tagger found: tags (on the record), events, near-copy keys."""

    article: ArticleRecord
    events: list[EventRecord]
    bands: list[int]


def analyse_article(article: ArticleRecord) -> Analysed:
    """Language, tags, machine events and MinHash band keys of a cleaned article (no database)."""
    if not article.language:
        article.language = detect_language(article.body)
    tags, events = tag(article)
    article.tags = tags
    unique: dict[str, EventRecord] = {}
    for ev in events:
        ev.id = f"m-{article.content_hash[:16]}-{ev.evidence_start or 0}"
        unique.setdefault(ev.id, ev)
    return Analysed(article, list(unique.values()), band_keys(article.body, article.search_body))


def analyse_safely(article: ArticleRecord) -> Analysed | None:
    """:func:`analyse_article`, or ``None`` should it fail (the article is then analysed again as it
    is written, where its error costs that article only)."""
    try:
        return analyse_article(article)
    except Exception:  # noqa: BLE001
        return None


#: Seconds between a worker's looks at whether its parent still lives.
PARENT_POLL_SECONDS = 0.5


def _watch_parent(parent: int) -> None:
    """A worker's initializer: end this process once the ingest that started it is gone (killed with
    SIGKILL, it cannot shut its pool down, and the worker, adopted by another process, would run on).
    A thread looks at the parent's pid (not ``PR_SET_PDEATHSIG``: that fires when the *thread* that
    started the worker ends, which a pool made in a server's script thread would outlive)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Analyser:
    """Runs :func:`analyse_article` over a list of articles, in order: here, or in worker processes."""

    def __init__(self, workers: int = 1):
        self.workers = max(1, int(workers))
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, articles: list[ArticleRecord]) -> Iterator[Analysed]:
        if self.workers > 1 and len(articles) >= PARALLEL_MIN:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                                 initializer=_watch_parent, initargs=(os.getpid(),))
            return self._guarded(articles)
        return map(analyse_safely, articles)

    def _guarded(self, articles: list[ArticleRecord]) -> Iterator[Analysed]:
        """Yield the workers' results in order; should the pool break (a worker killed), finish here."""
        done = 0
        try:
            chunk = max(1, min(32, len(articles) // (self.workers * 4)))
            with without_parent_main():  # the workers start on the first submit
                results = self._pool.map(analyse_safely, articles, chunksize=chunk)
            for result in results:
                done += 1
                yield result
        except BrokenProcessPool:
            self.close()
            self.workers = 1
            yield from map(analyse_safely, articles[done:])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_PAUSES = {"count": 0, "was_enabled": True}
_PAUSE_LOCK = threading.Lock()


@contextmanager
def cycle_collection_paused():
    """Pause Python's cycle collector while a file is read and written (restored after, also when
    two threads ingest at once). A file of 20,000 rows holds some 400,000 live objects without
    cycles; collecting them again and again cost a quarter of an ACLED import's time."""
    with _PAUSE_LOCK:
        if _PAUSES["count"] == 0:
            _PAUSES["was_enabled"] = gc.isenabled()
            gc.disable()
        _PAUSES["count"] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSES["count"] -= 1
            if _PAUSES["count"] == 0 and _PAUSES["was_enabled"]:
                gc.enable()


def _unexpected(exc: BaseException) -> str:
    """The sentence for an error no check foresaw (a bug): what it was, so it can be reported."""
    return f"could not be read: an unexpected {exc.__class__.__name__} ({str(exc)[:200] or 'no detail'})"


def ingest_file(engine: Engine, path: Path, data: bytes | None = None, name: str | None = None,
                analyser: Analyser | None = None,
                on_batch: Callable[[int, int], None] | None = None,
                options: ReadOptions | None = None, roots: Iterable[Path] | None = None, *,
                actor: Actor | str | None = None) -> IngestReport:
    """Ingest one file (or the bytes of an upload named ``name``) on behalf of ``actor`` (see :func:`_may`).

    Records are checked one by one (a bad one is reported by line and field and skipped), the new
    articles analysed, then everything written ``BATCH`` to a transaction. Should the database
    refuse a batch, its records are written again one per transaction, so one record can never
    cost the others. ``on_batch(records done, records in the file)`` follows a long file.

    An event's ``article_file`` is read only under ``roots`` (the folders the command line gave;
    by default the file's own folder) and never for an upload (``data`` given): an uploaded record
    cannot make the server read, or say whether there is, a file of its own.
    """
    _may(engine, actor, "import")
    label = shown(name or str(path))
    unit = "record" if path.suffix.lower() == ".json" else "line"
    if data is None:  # an event's article_file is relative to the file that names it, wherever we run from
        roots = [path.resolve().parent] if roots is None else list(roots)
    else:
        roots = []
    report = IngestReport(files=1)
    stored = 0
    for window in _windows(path, data, options):
        if options is not None and (options.hold_claims or options.vouched_by):
            for _line, item in window:  # "verification": "analyst" stands only if an analyst account vouches
                if isinstance(item, dict):
                    claims.settle(item, options.vouched_by)
        if data is None:
            for _line, item in window:
                if isinstance(item, dict) and item.get("article_file") and \
                        not Path(str(item["article_file"])).is_absolute():
                    item["article_file"] = str(path.resolve().parent / str(item["article_file"]))
        before = stored  # good records of the earlier windows: progress counts on from them

        def progress(done: int, total: int, before: int = before) -> None:
            nonlocal stored
            stored = before + total
            on_batch(before + done, before + total)  # the records read so far: a later window adds to both

        part = ingest_items(engine, window, label, unit, analyser=analyser, on_batch=progress if on_batch else None,
                            roots=roots)
        part.files = 0
        report.merge(part)
    return report


#: Records read, checked and written at a time: a large file is never held in memory whole (its
#: records as Python objects take several times the file's size).
WINDOW = 50_000


def _windows(path: Path, data: bytes | None, options: ReadOptions | None) -> Iterator[list]:
    """The file's ``(line, record or RecordError)`` items, ``WINDOW`` at a time (at least one window)."""
    items = iter(read_path(path, data, options))
    finished = False
    while not finished:
        window: list = []
        finished = True
        try:
            with cycle_collection_paused():  # reading makes rows, dicts and strings: no cycles
                for item in items:
                    window.append(item)
                    if len(window) >= WINDOW:
                        finished = False
                        break
        except OSError as exc:
            window.append((None, RecordError(f"cannot be read ({exc.strerror or exc})")))
        except Exception as exc:  # a reader's bug: what was read stays, the rest is reported
            window.append((None, RecordError(_unexpected(exc))))
        yield window


def ingest_items(engine: Engine, items: list, label: str, unit: str = "line", *, analyser: Analyser | None = None,
                 on_batch: Callable[[int, int], None] | None = None, roots: Iterable[Path] = (),
                 actor: Actor | str | None = None) -> IngestReport:
    """Ingest records already read (``(line, raw record or RecordError)`` pairs) as one file named ``label``,
    on behalf of ``actor`` (see :func:`_may`).

    An event's ``article_file`` is read only under ``roots`` (none: it is refused)."""
    _may(engine, actor, "import")
    # a file of events (ACLED, GDELT, our JSONL) is checked and written with the cycle collector
    # paused; articles are not (their cleaning and tagging build parse trees that can hold cycles)
    events_only = not any(isinstance(item, dict) and (item.get("type") == "article" or "body" in item)
                          for _line, item in items)
    with cycle_collection_paused() if events_only else nullcontext():
        return _ingest_items(engine, items, label, unit, analyser=analyser, on_batch=on_batch,
                             roots=tuple(Path(r).resolve() for r in roots))


def _ingest_items(engine: Engine, items: list, label: str, unit: str, *, analyser: Analyser | None,
                  on_batch: Callable[[int, int], None] | None, roots: tuple[Path, ...]) -> IngestReport:
    report = IngestReport(files=1)
    prepared: list[tuple[int | None, tuple]] = []
    for line, item in items:
        if isinstance(item, RecordError):
            report.problems.append(Problem(label, str(item), line, item.field, unit))
            continue
        try:
            prepared.append((line, prepare_record(item, label)))
        except RecordError as exc:
            report.problems.append(Problem(label, str(exc), line, exc.field, unit))
        except Exception as exc:  # a check's bug costs this record only
            report.problems.append(Problem(label, _unexpected(exc), line, None, unit))
    enrich_places([rec for _line, (kind, rec, _raw) in prepared if kind == "event"])

    # analyse only the articles not stored yet: re-ingesting a file costs two lookups per batch
    positions = [k for k, (_line, (kind, _rec, _raw)) in enumerate(prepared) if kind == "article"]
    with engine.connect() as conn:
        stored = find_articles(conn, [prepared[k][1][1] for k in positions])
    todo = [k for k, hit in zip(positions, stored, strict=True) if hit is None]
    analysed_iter = (analyser or Analyser())([prepared[k][1][1] for k in todo])
    todo_set = set(todo)
    size = BATCH if positions else EVENT_BATCH  # a file of events alone: fewer, larger transactions
    for start in range(0, len(prepared), size):
        batch = []
        for k in range(start, min(start + size, len(prepared))):
            line, record = prepared[k]
            batch.append((line, record, next(analysed_iter) if k in todo_set else None))
        _write_batch(engine, batch, label, unit, report, roots)
        if on_batch:
            on_batch(min(start + size, len(prepared)), len(prepared))
    report.problems.sort(key=lambda p: p.line or 0)  # in file order, whichever step found them
    return report


#: Tries of a batch that meets a busy database (each waits the busy timeout, 30 s by default, for the
#: other writer) before the ingest gives up with :class:`~dashboard.store.DatabaseBusy`.
BUSY_TRIES = 5


def _write_batch(engine: Engine, batch: list[tuple[int | None, tuple, Analysed | None]], label: str,
                 unit: str, report: IngestReport, roots: tuple[Path, ...] = ()) -> None:
    """Write a batch in one transaction; a busy database is waited for and the batch tried again
    (:data:`BUSY_TRIES`), any other failure retries the records one by one."""
    try:
        attempt = _busy_retried(lambda: _write_together(engine, batch, label, unit, roots), label, batch, unit)
    except DatabaseBusy:
        raise
    except Exception:  # noqa: BLE001 - one record must never cost the others: retried one by one
        for item in batch:
            line = item[0]
            try:
                single = _busy_retried(lambda item=item: _write_together(engine, [item], label, unit, roots),
                                       label, [item], unit)
            except DatabaseBusy:
                raise
            except SQLAlchemyError as exc:
                single = IngestReport(problems=[Problem(label, f"the database refused it ({exc.__class__.__name__})",
                                                        line, None, unit)])
            except Exception as exc:  # a value the driver cannot take, or a tagger's bug
                single = IngestReport(problems=[Problem(label, _unexpected(exc), line, None, unit)])
            report.merge(single)
        return
    report.merge(attempt)
    rollups.fold_if_grown(engine)


def _write_together(engine: Engine, batch: list[tuple[int | None, tuple, Analysed | None]], label: str,
                    unit: str, roots: tuple[Path, ...]) -> IngestReport:
    """Write ``batch`` in one transaction: runs of consecutive records of one kind together, in file order."""
    attempt = IngestReport()
    with engine.begin() as conn:
        run: list[tuple[int | None, tuple, Analysed | None]] = []
        for item in batch:
            if run and item[1][0] != run[0][1][0]:
                _write_run(conn, run, label, unit, attempt, roots)
                run = []
            run.append(item)
        _write_run(conn, run, label, unit, attempt, roots)
    return attempt


def _busy_retried(write: Callable[[], IngestReport], label: str, batch: list, unit: str) -> IngestReport:
    """``write()``, tried again while the database answers that another writer holds it (its transaction
    rolled back each time); after :data:`BUSY_TRIES`, :class:`DatabaseBusy` with the sentence."""
    for tries in range(1, BUSY_TRIES + 1):
        try:
            return write()
        except SQLAlchemyError as exc:
            if not is_busy(exc):
                raise
            if tries == BUSY_TRIES:
                lines = [line for line, *_rest in batch if line is not None]
                where = f"{shown(label)}, {unit}s {lines[0]}–{lines[-1]}" if lines else shown(label)
                raise DatabaseBusy(
                    f"{where}: the database stayed busy (another process held its write lock) through {tries} "
                    f"tries, so the ingest stopped; nothing of these {unit}s was stored and everything stored "
                    "before is kept: run the ingest again once the other writer is done.") from exc
            time.sleep(random.uniform(0.05, 0.25) * tries)
    raise AssertionError("unreachable")


def _write_run(conn, run: list[tuple[int | None, tuple, Analysed | None]], label: str, unit: str,
               report: IngestReport, roots: tuple[Path, ...] = ()) -> None:
    """Write consecutive records of one kind: articles, events or a dataset's deletions."""
    if not run:
        return
    kind = run[0][1][0]
    if kind == "article":
        _write_articles(conn, [(record, analysed) for _line, record, analysed in run], report)
    elif kind == "event":
        _write_events(conn, [(line, record) for line, record, _a in run], label, unit, report, roots)
    else:
        counts = delete_dataset_events(conn, [record[1] for _line, record, _a in run])
        report.events_deleted += counts["deleted"]
        report.events_flagged += counts["flagged"]
        report.events_unchanged += counts["missing"]


def _write_articles(conn, group: list[tuple[tuple, Analysed | None]], report: IngestReport) -> None:
    """Store a run of consecutive article records; those analysed beforehand in a few bulk statements."""
    if not group:
        return
    ready = [analysed for _rec, analysed in group if analysed is not None]
    results = iter(store_analysed(conn, ready))
    for (_kind, article, _raw), analysed in group:
        article_id, created, n_events = next(results) if analysed is not None else store_article(conn, article)
        report.article_ids.append(article_id)
        report.events_created += n_events
        if created:
            report.articles_created += 1
        else:
            report.articles_existing += 1


def ingest_text(engine: Engine, text: str, *, title: str | None = None, url: str | None = None,
                outlet: str | None = None, published: str | None = None, name: str = "pasted text",
                actor: Actor | str | None = None) -> IngestReport:
    """Ingest one pasted article on behalf of ``actor`` (who may add articles, see :func:`_may`)."""
    _may(engine, actor, "add")
    report = IngestReport(files=1)
    raw = {"type": "article", "title": title, "url": url, "outlet": outlet, "published": published, "body": text}
    try:
        ingest_record(engine, raw, name, report)
    except RecordError as exc:
        report.problems.append(Problem(name, str(exc), None, exc.field))
    return report


def ingest_record(engine: Engine, raw: dict, source: str, report: IngestReport) -> None:
    """Validate, clean, tag and store one raw record in its own transaction."""
    record = prepare_record(raw, source)
    if record[0] == "event":
        enrich_places([record[1]])
    with engine.begin() as conn:
        write_record(conn, record, source, report)


def prepare_record(raw: dict, source: str) -> tuple[str, ArticleRecord | EventRecord, dict]:
    """Check and clean a raw record (no database): ``(kind, record, raw)``; raises :class:`RecordError`."""
    kind = raw.get("type") or ("article" if "body" in raw else "event")
    if kind == "article":
        article = article_from_raw(raw, source)
        article.body = clean_body(article.body)
        if not article.body:
            raise RecordError("is empty once page furniture is removed", "body")
        return kind, article, raw
    if kind == "event":
        return kind, event_from_raw(raw, source), raw
    if kind == "deletion":  # a dataset withdrew this event (ACLED's deleted-events list)
        return kind, (str(raw["id"]), raw.get("deleted_timestamp")), raw
    raise RecordError(f"'{kind}' is not 'article' or 'event'", "type")


def _write_events(conn, group: list[tuple[int | None, tuple]], label: str, unit: str,
                  report: IngestReport, roots: tuple[Path, ...] = ()) -> None:
    """Store a run of consecutive event records: new ones in a few bulk statements, the rest one by one.

    An event whose id is stored already (an update, or unchanged), or an analyst's reading that may
    replace the machine's, goes through :func:`store_event`, exactly as a single record would.
    """
    if not group:
        return
    by_url = article_ids_by_url(conn, {raw["article_url"] for _line, (_k, _e, raw) in group
                                       if raw.get("article_url") and not raw.get("article_file")})
    resolved: list[EventRecord] = []
    for line, (_kind, event, raw) in group:
        try:
            if raw.get("article_file"):
                event.article_id = _article_id_for_file(conn, _article_path(label, str(raw["article_file"])), roots)
            elif raw.get("article_url"):
                event.article_id = by_url.get(raw["article_url"])
                if event.article_id is None:
                    raise RecordError(f"no stored article has the URL '{raw['article_url']}'", "article_url")
        except RecordError as exc:
            report.problems.append(Problem(label, str(exc), line, exc.field, unit))
            continue
        resolved.append(event)
    stamps = stored_event_stamps(conn, (e.id for e in resolved))
    stored = set(stamps)
    fresh: list[EventRecord] = []  # new events waiting for one bulk insert; flushed to keep file order
    for event in resolved:
        if event.id in stamps and event.source_updated is not None and stamps[event.id] is not None \
                and event.source_updated <= stamps[event.id]:
            report.events_unchanged += 1  # a dataset row no newer than the stored one: nothing to do
            continue
        replaces_machine = event.verification == "analyst" and event.article_id is not None
        if event.id not in stored and not replaces_machine:
            fresh.append(event)
            stored.add(event.id)  # a repeat later in the run is an update of this one
            continue
        report.events_created += insert_new_events(conn, fresh)
        fresh = []
        outcome, superseded = store_event(conn, event)
        stored.add(event.id)  # stored now: a repeat later in the run must not be bulk-inserted again
        setattr(report, f"events_{outcome}", getattr(report, f"events_{outcome}") + 1)
        report.events_superseded += superseded
    report.events_created += insert_new_events(conn, fresh)


def write_record(conn, prepared: tuple[str, ArticleRecord | EventRecord, dict], source: str,
                 report: IngestReport) -> None:
    """Tag and store one prepared record on ``conn`` (the caller owns the transaction).

    The batch writers with a batch of one; a record's problem is added to ``report``.
    """
    if prepared[0] == "article":
        _write_articles(conn, [(prepared, None)], report)
    else:
        _write_events(conn, [(None, prepared)], source, "line", report)


def _article_path(label: str, article_file: str) -> Path:
    """Where an event's ``article_file`` is: as given when absolute, else beside the file naming it."""
    given = Path(article_file)
    return given if given.is_absolute() else Path(label).parent / given


def _article_id_for_file(conn, path: Path, roots: tuple[Path, ...] = ()) -> int:
    """Id of the stored article read from ``path`` (an event's ``article_file``), which must lie
    under one of ``roots``; where it does not, nothing is read or even looked for."""
    if not roots:
        raise RecordError("cannot be read from an upload or a feed: name the article by its article_url",
                          "article_file")
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise RecordError(f"'{shown(str(path))}' is outside the folders given to the ingest, so it is not read",
                          "article_file")
    if not resolved.is_file():
        raise RecordError(f"'{shown(str(path))}' does not exist", "article_file")
    for _line, item in read_path(resolved):
        if isinstance(item, RecordError):
            raise RecordError(f"'{shown(str(path))}' cannot be read: {item}", "article_file")
        probe = article_from_raw(item, str(path))
        probe.body = clean_body(probe.body)
        found = find_article(conn, probe)
        if found is not None:
            return found
    raise RecordError(f"the article in '{path}' has not been ingested yet", "article_file")


def store_event(conn, event: EventRecord) -> tuple[str, int]:
    """Upsert an event; an analyst's version replaces the machine's reading of the same development.

    Returns the upsert outcome and how many machine readings it replaced.
    """
    superseded = supersede_machine_readings(conn, event)
    return upsert_event(conn, event), superseded


def store_article(conn, article: ArticleRecord) -> tuple[int, bool, int]:
    """Tag and store an article with its machine-extracted events on ``conn``; idempotent.

    Returns ``(article id, created, number of machine events stored)``.
    """
    existing = find_article(conn, article)
    if existing is not None:
        return existing, False, 0
    return store_analysed(conn, [analyse_article(article)])[0]


def store_analysed(conn, items: list[Analysed]) -> list[tuple[int, bool, int]]:
    """Store analysed articles, their tags, near-copy links and events in a few bulk statements.

    ``(article id, created, number of machine events stored)`` for each, in order; an article
    already stored (or repeated in ``items``) keeps what it had.
    """
    if not items:
        return []
    results = insert_articles(conn, [it.article for it in items], [it.bands for it in items],
                              min_shared_bands=MIN_SHARED_BANDS)
    events: list[EventRecord] = []
    out = []
    for it, (article_id, created) in zip(items, results, strict=True):
        if not created:
            out.append((article_id, False, 0))
            continue
        for ev in it.events:
            ev.article_id = article_id
        events += it.events
        out.append((article_id, True, len(it.events)))
    insert_new_events(conn, events)
    return out


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the body's language (py3langid, offline), or ``None`` for very short text."""
    if len(text.strip()) < 20:
        return None
    import py3langid

    # the opening is enough: 400 characters (~65 words) classify every labelled, sample and fixture
    # text as 1,500 do, at a quarter of the cost
    lang, _score = py3langid.classify(text[:400])
    return lang


def tag(article: ArticleRecord) -> tuple[list[TagRecord], list[EventRecord]]:
    """Run the tagger on an article and convert its output into store records."""
    from dashboard.tagging import TAG_CONFIDENCE_THRESHOLD, tag_article

    result = tag_article(article.body, title=article.title, published=article.published)
    tags = [
        TagRecord(
            kind=t.kind,
            value=t.value,
            label=t.label,
            span_start=t.start,
            span_end=t.end,
            confidence=round(float(t.confidence), 3),
            is_primary=bool(t.primary),
            role=t.role,
            mentions=int(t.mentions),
        )
        for t in result.tags
        if t.confidence >= TAG_CONFIDENCE_THRESHOLD
    ]
    events = [
        EventRecord(
            id="",
            title=e.title,
            summary=e.summary,
            status=e.status,
            date_start=e.date_start,
            date_end=e.date_end,
            date_precision=e.date_precision,
            date_text=e.date_text,
            category=e.category,
            countries=list(e.countries),
            places=list(e.places),
            topics=[e.category] if e.category else [],
            actors=list(e.actors),
            source_url=article.url,
            source_name=article.outlet,
            evidence=e.evidence,
            evidence_start=e.evidence_start,
            verification="machine",
            confidence=round(float(e.confidence), 3),
            imported_from=article.imported_from,
            dataset="machine",
            cues="; ".join(e.cues) or None,
        )
        for e in result.events
        if e.confidence >= KEPT_CONFIDENCE  # those under SHOWN_CONFIDENCE are kept, hidden by default
    ]
    return tags, events


def content_fingerprint(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of ``paths``: tells whether bundled data changed."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
