"""Command line: a thin wrapper over the library. ``python -m dashboard --help``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from dashboard import settings

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (use YYYY-MM-DD)") from None


def _codes(value: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty() or total > 1:
        print(f"\r[{done}/{total}] {label[:60]:<60}", end="" if done < total else "\n", file=sys.stderr)


def _filter_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--countries", type=_codes, default=(), help="ISO alpha-2 codes, comma-separated (XK for Kosovo)")
    p.add_argument("--places", type=_codes, default=(), help="sub-national place codes, e.g. BA-SRP,XK-NORTH")
    p.add_argument("--topics", default="", help="topics, comma-separated, e.g. energy,security")
    p.add_argument("--from", dest="date_from", type=_date, help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="last date, YYYY-MM-DD")
    p.add_argument("--text", default="", help="words that must appear")
    p.add_argument("--dated-only", action="store_true", help="leave out undated items")


def _filters(args):
    from dashboard.filters import Filters

    return Filters(
        countries=args.countries,
        places=args.places,
        topics=tuple(t.strip() for t in args.topics.split(",") if t.strip()),
        date_from=args.date_from,
        date_to=args.date_to,
        text=args.text,
        include_undated=not args.dated_only,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Balkan Watch: load, tag, query and export Western Balkans news and events.",
    )
    parser.add_argument("--db", help="SQLAlchemy database URL (default: $DASHBOARD_DB_URL, secrets, or data/balkan_watch.db)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build-sample", help="build the database from the bundled sample data when it is missing or stale")
    p.add_argument("--force", action="store_true",
                   help="delete the SQLite file and rebuild it from scratch (analysts' edits are replayed on it)")

    p = sub.add_parser("ingest", help="ingest article/event files, folders or globs (txt, md, html, rss/atom, json, "
                       "jsonl; ACLED csv, GDELT export csv or zip)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched recursively) or glob patterns")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="processes that tag articles (default: one per core); writes stay in one process")
    p.add_argument("--region", choices=["covered", "all"], default="covered",
                   help="GDELT rows to keep: those located in or with an actor from the countries the dashboard "
                   "covers (default), or all")
    p.add_argument("--min-sources", type=int, default=None, metavar="N",
                   help="GDELT: drop rows reported by fewer than N sources")
    p.add_argument("--vouch", metavar="ACCOUNT",
                   help="an analyst account (its password is asked) under which records that say "
                   "\"verification\": \"analyst\" are stored as verified; without it they are stored as imports, "
                   "the claim kept in their attributes")

    p = sub.add_parser("export", help="export the filtered events, articles, developments or the stability month "
                       "table, every row, as CSV, XLSX or JSONL")
    p.add_argument("kind", choices=["events", "articles", "developments", "stability"],
                   help="what to export (developments: one row each, with every report's id and source; "
                   "stability: the CrisisWatch-style month table, a row per unit and month)")
    p.add_argument("--format", choices=["csv", "jsonl", "xlsx"], default="csv", help="file format (default csv)")
    _filter_arguments(p)
    p.add_argument("-o", "--output", default="-", help="output file, or - for standard output (default)")

    p = sub.add_parser("brief", help="write a briefing of the filter as PDF or self-contained HTML (for scheduled runs)")
    _filter_arguments(p)
    p.add_argument("--title", help="title of the briefing (default: made from the filter)")
    p.add_argument("--kosovo-star", action="store_true", help='label Kosovo "Kosovo*" with the EU footnote')
    p.add_argument("--no-machine", action="store_true",
                   help="leave out machine-extracted items (our articles' machine events, GDELT)")
    p.add_argument("-o", "--output", required=True, help="output file ending in .pdf or .html")

    p = sub.add_parser("stability", help="the stability indicator per unit and month: every component, the "
                       "score, the arrow and the sentence why (docs/indicator.md)")
    _filter_arguments(p)
    p.add_argument("--level", choices=["country", "place"], default="country",
                   help="countries, or sub-national units (Republika Srpska, North Kosovo, ...)")
    p.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default json)")

    p = sub.add_parser("watch", help="poll the configured RSS/Atom feeds (or the URLs given) and ingest new items")
    p.add_argument("urls", nargs="*", help="feed URLs; default: DASHBOARD_FEEDS or [feeds] urls in secrets.toml")
    p.add_argument("--every", type=float, default=30.0, help="minutes between polls (default 30)")
    p.add_argument("--once", action="store_true", help="poll each feed once and stop")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a server (default 20)")
    p.add_argument("--host-delay", type=float, default=2.0,
                   help="seconds between two requests to the same host (default 2)")

    sub.add_parser("migrate", help="bring the database's schema up to date in place, keeping every row "
                   "(the dashboard and every command also do it when they open an older database)")

    p = sub.add_parser("rollups", help="check the developments counted ahead (per country, month and map cell, and "
                       "the stability indicator's inputs per unit and month) "
                       "against the developments, or write them again from the developments")
    p.add_argument("--rebuild", action="store_true", help="write them again (else only compare and report)")

    p = sub.add_parser("copy-to", help="copy every record of the database (--db) into an empty one, e.g. a team's "
                       "PostgreSQL server: articles, events, developments, edits and accounts, ids kept")
    p.add_argument("target", metavar="URL", help="the empty database to fill, e.g. "
                   "postgresql+psycopg://balkan_watch@db.example.org/balkan_watch")

    from dashboard import cli_users

    cli_users.add_parser(sub)

    p = sub.add_parser("evaluate", help="score the tagger on a folder of texts with labels.json")
    p.add_argument("folder", type=Path, help="folder holding the texts and labels.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stderr, "reconfigure"):  # a message quoting a Cyrillic value never fails on a Latin-1 terminal
        sys.stderr.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    url = args.db or settings.database_url()
    try:
        return COMMANDS[args.command](args, url)
    except BrokenPipeError:  # `... export | head`: the reader went away; say so once, quietly
        _silence_stdout()
        print("The output was closed before everything was written (a pipe into head?); the rest is left "
              "out.", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a library error is one sentence, never a traceback
        message = _error_sentence(exc, url)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_USAGE


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so flushing it at exit cannot raise a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (captured in a test)
        pass


def _where(url: str) -> str:
    """The database URL as it may be shown: its password hidden; a URL that does not parse, quoted."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return repr(url.split("@")[-1][:200])


def _error_sentence(exc: Exception, url: str) -> str | None:
    """What to tell the person at the terminal about an error of the store, or ``None`` for a bug."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from dashboard.store import DatabaseBusy, SchemaMismatch

    where = _where(url)
    check = ("Check the path or server in --db or DASHBOARD_DB_URL (or .streamlit/secrets.toml), that it is "
             "reachable, and that you may write to it.")
    if isinstance(exc, (SchemaMismatch, DatabaseBusy)):
        return " ".join(str(exc).split())
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return (f"The database URL {where} is not one we can use ({_first_line(exc)}); give an SQLAlchemy URL such "
                "as sqlite:///data/balkan_watch.db or postgresql+psycopg://user@host/dbname.")
    if isinstance(exc, SQLAlchemyError):
        return f"The database {where} cannot be used: {_first_line(getattr(exc, 'orig', None) or exc)}. {check}"
    if isinstance(exc, ModuleNotFoundError):
        return (f"The database {where} needs the Python package '{exc.name}', which is not installed "
                "(PostgreSQL: pip install 'balkan-watch[postgres]').")
    if isinstance(exc, OSError) and exc.filename:
        if _is_database_folder(str(exc.filename), url):
            return f"The database {where} cannot be made: {exc.filename}: {exc.strerror or exc}. {check}"
        return f"{exc.filename}: {exc.strerror or exc}."
    if isinstance(exc, OSError):
        return f"The database {where} cannot be used: {exc.strerror or exc}. {check}"
    return None


def _is_database_folder(filename: str, url: str) -> bool:
    """Whether ``filename`` is the SQLite file of ``url`` or one of the folders above it."""
    if not url.startswith("sqlite:///"):
        return False
    database = Path(url.removeprefix("sqlite:///").split("?")[0])
    return Path(filename) == database or Path(filename) in database.parents


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else exc.__class__.__name__).rstrip(".")


def cmd_build_sample(args, url: str) -> int:
    from dashboard.ingest.sample import load_sample, sample_is_stale, sqlite_path
    from dashboard.store import open_engine
    from dashboard.store.accounts import read_accounts, restore_accounts
    from dashboard.store.editlog import read_edit_log, replay

    db_file = sqlite_path(url)
    kept_edits: list[dict] = []  # analysts' edits of a file that is rebuilt: replayed on the new one
    kept_accounts: list[dict] = []  # and its accounts, put back after the replay
    if db_file is not None and db_file.exists() and not args.force:
        from dashboard.store.engine import stored_schema_version
        from dashboard.store.migrate import BASELINE_SCHEMA_VERSION

        probe = open_engine(url, create=False)
        version = stored_schema_version(probe)
        too_old = (version or 0) < BASELINE_SCHEMA_VERSION  # newer ones are migrated in place
        stale = too_old or sample_is_stale(probe)
        probe.dispose()
        if too_old:
            backup = db_file.with_name(f"{db_file.name}.schema{version or 0}.bak")
            kept_edits, kept_accounts = read_edit_log(db_file), read_accounts(db_file)
            print(f"{db_file} was made by an older version (schema {version or 'none'}); it is kept as {backup} "
                  f"and a new database is built with its {len(kept_edits)} analysts' edit(s).", file=sys.stderr)
            for suffix in ("-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
            db_file.rename(backup)
        elif not stale:
            print(f"{db_file} is up to date with data/sample.")
            return EXIT_OK
    if db_file is not None and args.force and db_file.exists():
        kept_edits, kept_accounts = read_edit_log(db_file), read_accounts(db_file)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    # Loading is idempotent and never overwrites an analyst's corrections, so an existing database
    # is brought up to date in place rather than rebuilt.
    engine = open_engine(url)
    report = load_sample(engine, progress=_progress)
    if kept_edits:  # replayed under their logged editors' names, before the accounts are back
        print(replay(engine, kept_edits).summary() + ".", file=sys.stderr)
    if kept_accounts:
        print(f"{restore_accounts(engine, kept_accounts)} account(s) kept.", file=sys.stderr)
    engine.dispose()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    from sqlalchemy.engine import make_url

    where = db_file or make_url(url).render_as_string(hide_password=True)  # never print a password
    print(f"Sample data loaded into {where}: {report.summary()}.")
    return report.exit_code


def cmd_ingest(args, url: str) -> int:
    from dashboard.ingest.pipeline import ingest_paths
    from dashboard.ingest.readers import ReadOptions
    from dashboard.store import open_engine

    engine = open_engine(url)
    vouched_by = None
    if args.vouch:
        from dashboard import cli_users
        from dashboard.store import accounts

        try:
            actor = accounts.sign_in(engine, args.vouch, cli_users.read_password(args.vouch)).actor
            accounts.require(actor, "curate")
        except (accounts.SignInRefused, accounts.NotAllowed, ValueError) as exc:
            print(f"--vouch {args.vouch}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        vouched_by = actor.name
    report = ingest_paths(engine, args.paths, progress=_progress, workers=args.workers,
                          options=ReadOptions(region=args.region, min_sources=args.min_sources, hold_claims=True,
                                              vouched_by=vouched_by))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(report.summary() + ".")
    if report.files == 0 and report.problems:
        return EXIT_USAGE
    return report.exit_code


def cmd_export(args, url: str) -> int:
    from dashboard import export
    from dashboard.store import open_engine

    filters = _filters(args)
    engine = open_engine(url)
    if args.output == "-":
        if args.format == "xlsx" and sys.stdout.isatty():
            print("XLSX is binary: give a file with -o events.xlsx.", file=sys.stderr)
            return EXIT_USAGE
        count = export.write(engine, args.kind, args.format, filters, sys.stdout)
        sys.stdout.flush()  # here, where a closed pipe is told in a sentence, not at exit
    else:
        mode = "wb" if args.format == "xlsx" else "w"
        with open(args.output, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            count = export.write(engine, args.kind, args.format, filters, fh)
    print(f"Exported {count} {args.kind} ({filters.describe()}).", file=sys.stderr)
    return EXIT_OK


def cmd_brief(args, url: str) -> int:
    from dashboard.briefing import BriefingError, build_briefing_html, build_briefing_pdf
    from dashboard.filters import Display
    from dashboard.store import open_engine

    out = Path(args.output)
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        print(f"{out}: the output must end in .pdf or .html.", file=sys.stderr)
        return EXIT_USAGE
    filters = _filters(args)
    if args.no_machine:
        filters = filters.without_machine()
    engine = open_engine(url)

    def progress(fraction: float, message: str) -> None:
        print(f"\r[{fraction:4.0%}] {message[:60]:<60}", end="\n" if fraction >= 1 else "", file=sys.stderr)

    display = Display(kosovo_star=args.kosovo_star)
    try:
        if out.suffix.lower() == ".pdf":
            out.write_bytes(build_briefing_pdf(engine, filters, title=args.title, display=display, progress=progress))
        else:
            out.write_text(build_briefing_html(engine, filters, title=args.title, display=display, progress=progress),
                           encoding="utf-8")
    except BriefingError as exc:
        print(f"The briefing could not be made: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Briefing written to {out} ({filters.describe()}).", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args, url: str) -> int:
    from dashboard.tagging.evaluate import evaluate, format_report

    if not (args.folder / "labels.json").is_file():
        print(f"{args.folder}: no labels.json in this folder.", file=sys.stderr)
        return EXIT_USAGE
    print(format_report(evaluate(args.folder)))
    return EXIT_OK


def cmd_stability(args, url: str) -> int:
    import csv
    import json

    from dashboard.export import csv_cell
    from dashboard.indicator import row, series
    from dashboard.store import open_engine
    from dashboard.store.judgements import judgements
    from dashboard.store.stability import monthly

    filters = _filters(args)
    engine = open_engine(url)
    counts = monthly(engine, filters, level=args.level)
    judged = judgements(engine)
    engine.dispose()
    months = sorted({m for _u, m in counts})
    first = filters.date_from.strftime("%Y-%m") if filters.date_from else (months[0] if months else None)
    last = filters.date_to.strftime("%Y-%m") if filters.date_to else (months[-1] if months else None)
    chosen = list(filters.countries if args.level == "country" else filters.places) or None
    rows = [row(m, v, judged.get((m.unit, m.month))) for m, v in series(counts, first, last, chosen)] \
        if first and last else []
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["unit", "month"])
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)  # reasons are typed text
    print(f"{len(rows)} unit-month(s) ({filters.describe()}).", file=sys.stderr)
    return EXIT_OK


def cmd_watch(args, url: str) -> int:
    from dashboard.ingest.feeds import watch
    from dashboard.store import open_engine

    feeds = args.urls or settings.feed_urls()
    if not feeds:
        print("No feeds configured: give feed URLs, or set DASHBOARD_FEEDS or [feeds] urls in "
              ".streamlit/secrets.toml. Nothing is fetched otherwise.", file=sys.stderr)
        return EXIT_USAGE
    engine = open_engine(url)
    failed = []

    def report(result) -> None:
        print(result.line(), file=sys.stderr if result.error else sys.stdout, flush=True)
        for problem in result.report.problems:
            print(f"  {problem}", file=sys.stderr)
        if result.error:
            failed.append(result.url)

    try:
        watch(engine, feeds, every_minutes=args.every, rounds=1 if args.once else None, timeout=args.timeout,
              host_delay=args.host_delay, on_result=report)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        engine.dispose()
    return EXIT_REJECTED if failed else EXIT_OK


def cmd_migrate(args, url: str) -> int:
    from dashboard.store import migrate, open_engine

    probe = open_engine(url, create=False)
    before = migrate.current(probe)
    probe.dispose()
    engine = open_engine(url)
    after = migrate.current(engine)
    engine.dispose()
    if before == after:
        print(f"The database is up to date (schema revision {after}).")
    else:
        print(f"The database was migrated from schema revision {before or 'release 5 or none'} to {after}.")
    return EXIT_OK


def cmd_rollups(args, url: str) -> int:
    from dashboard.store import open_engine, rollups

    engine = open_engine(url)
    if args.rebuild:
        with engine.begin() as conn:
            n = rollups.rebuild(conn)
        print(f"The rollups were written again from {n:,} developments.")
    with engine.connect() as conn:
        found = rollups.differences(conn)
    engine.dispose()
    if found:
        print(f"The rollups differ from the developments in {len(found)} place(s); "
              "`python -m dashboard rollups --rebuild` writes them again:")
        for line in found[:20]:
            print(f"  {line}")
        return EXIT_REJECTED
    print("The rollups equal what the developments give.")
    return EXIT_OK


def cmd_copy_to(args, url: str) -> int:
    from dashboard.store import open_engine
    from dashboard.store.transfer import TargetNotEmpty, copy_store

    source = open_engine(url, create=False)
    try:
        target = open_engine(args.target)
    except Exception as exc:  # a sentence about the target, not about --db
        source.dispose()
        message = _error_sentence(exc, args.target)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_USAGE
    try:
        counts = copy_store(source, target, progress=lambda table, n: print(f"  {table}: {n:,} rows", flush=True))
    except TargetNotEmpty as exc:
        print(f"Nothing was copied: {exc}.", file=sys.stderr)
        return EXIT_USAGE
    finally:
        source.dispose()
        target.dispose()
    print(f"Copied {counts.get('articles', 0):,} articles and {counts.get('events', 0):,} events "
          f"({sum(counts.values()):,} rows in all) into {_where(args.target)}.")
    return EXIT_OK


def cmd_users(args, url: str) -> int:
    from dashboard import cli_users

    return cli_users.run(args, url)


COMMANDS = {
    "migrate": cmd_migrate,
    "rollups": cmd_rollups,
    "copy-to": cmd_copy_to,
    "users": cmd_users,
    "build-sample": cmd_build_sample,
    "ingest": cmd_ingest,
    "export": cmd_export,
    "brief": cmd_brief,
    "evaluate": cmd_evaluate,
    "watch": cmd_watch,
    "stability": cmd_stability,
}

if __name__ == "__main__":
    sys.exit(main())
