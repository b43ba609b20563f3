"""A throwaway local PostgreSQL server (Debian's binaries: initdb in a temporary folder, a free port,
fsync off, removed afterwards), for the benchmark and the test session alike.

``PG*`` environment variables name an existing server instead (``PGHOST``, ``PGPORT``, ``PGUSER``,
``PGPASSWORD``, ``PGDATABASE``): then nothing is started or removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


class NoServer(Exception):
    """No PostgreSQL server can be had here: the reason is the message."""


def available() -> str | None:
    """Why no server can be started here, or ``None`` when one can (or PG* variables name one)."""
    if os.environ.get("PGHOST"):
        return None
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        return "no PostgreSQL server: set PG* variables or install Debian's postgresql package"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*cmd: str) -> list[str]:
    if os.geteuid() == 0:  # the server refuses to run as root
        return ["runuser", "-u", "postgres", "--", *cmd]
    return list(cmd)


@contextlib.contextmanager
def server(settings: tuple[str, ...] = ()) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a PostgreSQL server's ``postgres`` database; ``settings`` are extra
    ``-c name=value`` options of a throwaway server. Raises :class:`NoServer` when there is none."""
    if os.environ.get("PGHOST"):
        user = os.environ.get("PGUSER", "postgres")
        password = os.environ.get("PGPASSWORD", "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        db = os.environ.get("PGDATABASE", "postgres")
        yield f"postgresql+psycopg://{auth}{os.environ['PGHOST']}:{os.environ.get('PGPORT', '5432')}/{db}"
        return
    reason = available()
    if reason:
        raise NoServer(reason)
    # Not under a private temp folder: the postgres user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="balkan-watch-pg-"))
    base.chmod(0o755)
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    try:
        subprocess.run(_as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8"), check=True, capture_output=True)
        port = _free_port()
        log = base / "server.log"
        options = " ".join([f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
                            *(f"-c {s}" for s in settings)])
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options,
                                    "start"), check=True, capture_output=True)
        try:
            deadline = time.monotonic() + 30
            while subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                                 capture_output=True).returncode != 0:
                if time.monotonic() > deadline:
                    raise NoServer(f"PostgreSQL did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
                           capture_output=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """Create (anew) the database ``name`` on the server of ``url``; return its URL."""
    from sqlalchemy import create_engine

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
