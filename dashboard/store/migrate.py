"""Bring a store's schema to the revision this code needs, in place, keeping every row (Alembic).

The revisions are in ``dashboard/store/migrations/versions``. A store records its revision in
``alembic_version``; a store made by release 5 (``meta.schema_version`` 5, before migrations) is the
baseline and is stamped ``0001`` first. Stores older than that are rebuilt (``build-sample``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

BASELINE = "0001"
#: ``meta.schema_version`` of the last release before migrations: the baseline revision's schema.
BASELINE_SCHEMA_VERSION = 5
_LOCATION = Path(__file__).resolve().parent / "migrations"


class UnknownRevision(RuntimeError):
    """The store was migrated by a newer version of the code than this one."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_LOCATION))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision: the schema this code reads and writes."""
    return _script().get_current_head()


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [r.revision for r in reversed(list(_script().walk_revisions()))]


def current(engine: Engine | Connection) -> str | None:
    """The revision the store is at, or ``None`` when it is not under migrations (empty or older)."""
    if isinstance(engine, Connection):
        return MigrationContext.configure(engine).get_current_revision()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(target: Engine | Connection, action, *args) -> None:
    """Run an Alembic command on ``target``: a connection (inside its transaction, e.g. one holding
    the schema lock) or an engine (in a transaction of its own)."""
    cfg = _config()
    if isinstance(target, Connection):
        cfg.attributes["connection"] = target
        action(cfg, *args)
        return
    with target.begin() as conn:
        cfg.attributes["connection"] = conn
        action(cfg, *args)


def stamp(engine: Engine | Connection, revision: str) -> None:
    """Record that the store is at ``revision`` without changing anything else."""
    _run(engine, command.stamp, revision)


def upgrade(engine: Engine | Connection, revision: str = "head") -> list[str]:
    """Apply the revisions the store lacks, up to ``revision`` (default the newest), in one
    transaction (PostgreSQL: one process at a time). Returns the revisions applied."""
    before = current(engine)
    target = head() if revision == "head" else revision
    if before == target:
        return []
    if before is not None and before not in revisions():
        raise UnknownRevision(
            f"The database {engine.engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{before}, newer than this code knows (its newest is {head()}): update the code before using it.")
    try:
        _run(engine, command.upgrade, revision)
    except CommandError as exc:  # pragma: no cover - a revision name that is not in versions/
        raise UnknownRevision(str(exc)) from exc
    order = revisions()
    start = order.index(before) + 1 if before else 0
    return order[start:order.index(target) + 1]


def _ours(name, type_, _parent_names) -> bool:
    """Tables of ``schema.py`` only (not SQLite's full-text shadow tables nor Alembic's own), and not
    the full-text objects the store makes beside them (PostgreSQL's search table and GIN indexes,
    :mod:`dashboard.store.textsearch`)."""
    from dashboard.store.schema import metadata
    from dashboard.store.textsearch import SEARCH_OBJECTS

    if name in SEARCH_OBJECTS:
        return False
    return type_ != "table" or name in metadata.tables


def drift(engine: Engine) -> list:
    """What differs between the store and ``schema.py`` (``[]``: the migrations made what the code says)."""
    from alembic.autogenerate import compare_metadata

    from dashboard.store.schema import metadata

    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"include_name": _ours}), metadata)
