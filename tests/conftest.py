"""Shared fixtures: real SQLite files in a temporary folder, the sample database built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import devserver
from dashboard.ingest.sample import load_sample
from dashboard.store import open_engine

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sample" / "articles" / "nato-reassesses-western-balkans-presence.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of an empty SQLite file of this test's own."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str):
    eng = open_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory) -> str:
    """An SQLite file built from the bundled sample data through the real ingest path (once per run)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    url = f"sqlite:///{path}"
    eng = open_engine(url)
    report = load_sample(eng)
    eng.dispose()
    assert not report.problems, "\n".join(map(str, report.problems))
    return url


def copy_sqlite(url: str, dst: Path) -> str:
    """A copy of the SQLite file behind ``url`` (with its WAL) at ``dst``; the copy's URL."""

    src = Path(url.removeprefix("sqlite:///"))
    shutil.copy(src, dst)
    for suffix in ("-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")
    return f"sqlite:///{dst}"


@pytest.fixture
def own_sample(sample_db_url, tmp_path) -> str:
    """A private copy of the sample database, so corrections do not leak into other tests."""
    return copy_sqlite(sample_db_url, tmp_path / "own-sample.db")


@pytest.fixture(scope="session")
def sample_engine(sample_db_url: str):
    eng = open_engine(sample_db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def chromium_path() -> str:
    found = devserver.chromium_path()
    if found is None:
        pytest.fail("Debian Chromium is missing: run `make test`, which installs it with apt.")
    return found


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=devserver.CHROMIUM_ARGS)
        yield b
        b.close()


# --- a real PostgreSQL server (tests/test_postgres.py, tests/test_concurrent_load.py) ---------------

@pytest.fixture(scope="module")
def pg_url():
    """A PostgreSQL server for this test module: the one PG* variables name, else a throwaway cluster."""
    from bench import pgserver

    reason = pgserver.available()
    if reason:
        pytest.skip(reason)
    with pgserver.server() as url:
        yield url


def empty_pg(engine) -> None:
    """Empty every table of a PostgreSQL store on a reused server (its schema version kept)."""
    from sqlalchemy import text

    from dashboard.store.engine import SCHEMA_VERSION
    from dashboard.store.schema import metadata

    with engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": str(SCHEMA_VERSION)})


@pytest.fixture(scope="module")
def pg_engine(pg_url):
    engine = open_engine(pg_url)
    empty_pg(engine)  # start from an empty store on a reused server
    report = load_sample(engine)
    assert not report.problems, report.summary()
    yield engine
    engine.dispose()


@pytest.fixture
def empty_pg_engine(pg_url):
    """An empty PostgreSQL store (this module's server, emptied for each test)."""
    engine = open_engine(pg_url)
    empty_pg(engine)
    yield engine
    engine.dispose()


def sample_events() -> list[dict]:
    """The bundled sample's events as the files hold them: the independent answer for page counts."""
    import json

    rows = []
    for path in sorted((ROOT / "data" / "sample").glob("*.jsonl")):  # the curated files and the seed's events
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def count_sample_events(country: str | None = None, year: int | None = None, include_undated: bool = True,
                        status: str | None = None) -> int:
    """Count the sample's events by hand: in ``country``, overlapping ``year``, of ``status``."""
    n = 0
    for row in sample_events():
        if country and country not in row.get("countries", []):
            continue
        if status and row["status"] != status:
            continue
        start, end = row.get("date_start"), row.get("date_end") or row.get("date_start")
        if year is not None:
            if start is None:
                if not include_undated:
                    continue
            elif not (start[:4] <= str(year) <= end[:4]):
                continue
        n += 1
    return n


#: Pairs of sample events that report one development (found by reading the files): the seed's gas
#: agreement and the curated item on the same announced deal.
SAMPLE_JOINED_PAIRS = 1


def count_sample_developments() -> int:
    """The sample's developments by hand: its events less the pairs known to report one development."""
    return count_sample_events() - SAMPLE_JOINED_PAIRS


def sample_tracker_states(today: str = "2026-12-01") -> dict[str, int]:
    """The sample's expected developments by state, read off the files by hand: an outcome named ->
    realised; "abandoned" -> abandoned; deadline passed -> overdue; a first deadline before the
    current one -> slipped; else announced. The seed's gas agreement and its curated twin count once."""
    states = dict.fromkeys(("announced", "slipped", "overdue", "realised", "abandoned"), 0)
    for row in sample_events():
        if row["status"] != "expected" or row["id"] == "seed-rs-russia-gas-agreement":
            continue
        end = row.get("date_end") or row.get("date_start")
        if row.get("outcome_event_id"):
            states["realised"] += 1
        elif row.get("tracker_status") == "abandoned":
            states["abandoned"] += 1
        elif end and end < today:
            states["overdue"] += 1
        elif row.get("first_deadline") and row["first_deadline"] < end:
            states["slipped"] += 1
        else:
            states["announced"] += 1
    return states


def count_sample_articles() -> int:
    """Article files in the sample folder."""
    return sum(1 for p in (ROOT / "data" / "sample" / "articles").iterdir() if p.is_file())
