"""A real ``streamlit run`` of the dashboard on a free local port, and the Chromium flags to drive it.

Shared by the browser tests and ``make bench``'s memory measurement, so both start the app the same
way: headless, bound to 127.0.0.1, usage statistics off. No Streamlit import here (it is a child
process).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"

#: Headless Chromium without its own calls home (updates, sync, translation, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
    "--disable-extensions", "--disable-features=Translate,OptimizationHints,MediaRouter",
]


class ServerDidNotStart(RuntimeError):
    """``streamlit run`` exited or never answered its health check."""


def chromium_path() -> str | None:
    """Debian's Chromium (``CHROMIUM_PATH`` overrides), or ``None`` when it is not installed."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(db_url: str, log_path: Path, timeout: float = 60.0,
          env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the dashboard on ``db_url``; yield ``(base URL, process)`` once ``/_stcore/health`` answers.

    ``env`` adds variables to the server's environment (``DASHBOARD_AUTH_PROXY``, say). The server's
    output goes to ``log_path``; it is stopped when the block ends.
    """
    port = free_port()
    env = {**os.environ, **(env or {}), "DASHBOARD_DB_URL": db_url}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP),
             "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStart(f"streamlit did not start; see {log_path}")
                time.sleep(0.2)
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
