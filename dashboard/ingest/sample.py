"""The bundled sample data: real articles and curated events under ``data/sample/``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from dashboard.ingest.pipeline import IngestReport, Progress, content_fingerprint, ingest_file
from dashboard.ingest.readers import SUPPORTED
from dashboard.settings import SAMPLE_DIR
from dashboard.store.engine import refresh_statistics
from dashboard.store.writes import get_meta, set_meta


def sample_files(sample_dir: Path = SAMPLE_DIR) -> tuple[list[Path], list[Path]]:
    """Article files (``articles/``) and event files (``*.jsonl`` at the top), sorted."""
    articles = sorted(p for p in (sample_dir / "articles").rglob("*") if p.suffix.lower() in SUPPORTED)
    events = sorted(sample_dir.glob("*.jsonl"))
    return articles, events


def load_sample(engine: Engine, sample_dir: Path = SAMPLE_DIR, progress: Progress | None = None) -> IngestReport:
    """Ingest the sample articles first, then the events that refer to them."""
    articles, events = sample_files(sample_dir)
    files = articles + events
    report = IngestReport()
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), path.name)
        report.merge(ingest_file(engine, path, name=str(path.relative_to(sample_dir.parent.parent))))
    if progress:
        progress(len(files), len(files), "done")
    refresh_statistics(engine)
    if not report.problems:
        with engine.begin() as conn:
            set_meta(conn, SAMPLE_KEY, sample_fingerprint(sample_dir))
    return report


SAMPLE_KEY = "sample_fingerprint"


def sample_fingerprint(sample_dir: Path = SAMPLE_DIR) -> str:
    """SHA-256 over every bundled sample file: changes whenever the sample does."""
    return content_fingerprint(p for p in sample_dir.rglob("*") if p.is_file())


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def sample_is_stale(engine: Engine, sample_dir: Path = SAMPLE_DIR) -> bool:
    """True unless the database records a complete load of the sample exactly as it is now.

    The fingerprint is written only after a load without problems, so an empty file, a load that
    was interrupted, or an edited sample file all count as stale (loading again is idempotent).
    """
    with engine.connect() as conn:
        return get_meta(conn, SAMPLE_KEY) != sample_fingerprint(sample_dir)
