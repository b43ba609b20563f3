"""Static images of plotly figures (kaleido) and HTML-to-PDF printing (headless Chromium), offline.

Kaleido 1.x drives a headless Chromium (Debian ``/usr/bin/chromium``; ``BROWSER_PATH`` overrides).
One Kaleido browser is started per process on first use, with MathJax off (no CDN) and the plotly.js
bundled with plotly.py, and kept for later exports (the first export takes about 2 s, later ones
about 1 s). Its event loop runs in a daemon thread, like ``kaleido.start_sync_server``, but every
call here has a timeout and a failed browser is restarted on the next call instead of hanging.
Calls are serialised by a lock, so Streamlit sessions in several threads can share it.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go

RENDER_TIMEOUT = 120.0
PRINT_TIMEOUT = 120.0
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


class BriefingError(RuntimeError):
    """A static export failed: no Chromium, a timeout, or a render error (the message says which)."""


def chromium_path() -> str:
    """Path of the Chromium used for printing: ``$BROWSER_PATH``, ``$CHROMIUM_PATH``, Debian's, or on PATH."""
    for candidate in (os.environ.get("BROWSER_PATH"), os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES,
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise BriefingError("Chromium is missing (Debian: apt-get install chromium); it is needed for static exports.")


# --- kaleido ----------------------------------------------------------------------------------

class _KaleidoRunner:
    """One Kaleido browser on an event loop in a daemon thread, with timeouts and restart on failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def _start(self) -> None:
        import kaleido

        path = chromium_path()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="briefing-kaleido", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        k = kaleido.Kaleido(mathjax=False, timeout=RENDER_TIMEOUT, path=path)
        try:
            asyncio.run_coroutine_threadsafe(k.__aenter__(), loop).result(timeout=60)
        except BaseException as exc:
            self._stop()
            raise BriefingError(f"could not start Chromium for kaleido: {exc!r}") from exc
        self._kaleido = k

    def _stop(self) -> None:
        loop, k = self._loop, self._kaleido
        self._kaleido = None
        if loop is None:
            return
        if k is not None:
            try:
                asyncio.run_coroutine_threadsafe(k.__aexit__(None, None, None), loop).result(timeout=20)
            except BaseException:  # noqa: BLE001 - closing a broken browser: nothing more to do
                pass
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._loop = self._thread = None

    def render(self, fig: go.Figure, opts: dict) -> bytes:
        with self._lock:
            if self._kaleido is None:
                self._start()
            future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
            try:
                return future.result(timeout=RENDER_TIMEOUT + 10)
            except FutureTimeout as exc:
                future.cancel()
                self._stop()
                raise BriefingError(f"kaleido took longer than {RENDER_TIMEOUT:.0f} s to render a figure") from exc
            except BriefingError:
                raise
            except Exception as exc:
                self._stop()
                raise BriefingError(f"kaleido could not render the figure: {exc!r}") from exc

    def close(self) -> None:
        with self._lock:
            self._stop()


_RUNNER = _KaleidoRunner()
atexit.register(_RUNNER.close)


def _opts(fig: go.Figure, fmt: str, width: int | None, height: int | None, scale: float) -> dict:
    opts: dict = {"format": fmt, "scale": scale}
    opts["width"] = width or fig.layout.width or 900
    opts["height"] = height or fig.layout.height or 500
    return opts


def figure_to_png(fig: go.Figure, *, width: int | None = None, height: int | None = None,
                  scale: float = 2) -> bytes:
    """PNG bytes of ``fig`` at ``width`` x ``height`` CSS pixels (default: the figure's, else 900 x 500),
    ``scale`` times the pixels. MapLibre maps come out as raster; nothing is fetched."""
    return _RUNNER.render(fig, _opts(fig, "png", width, height, scale))


def figure_to_pdf(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> bytes:
    """PDF bytes of ``fig`` (one page the size of the figure). MapLibre maps are embedded as raster."""
    return _RUNNER.render(fig, _opts(fig, "pdf", width, height, 1))


def close() -> None:
    """Stop the Kaleido browser (it is restarted by the next export). Called at exit anyway."""
    _RUNNER.close()


# --- printing HTML ------------------------------------------------------------------------------

def html_to_pdf(html_text: str, *, timeout: float = PRINT_TIMEOUT) -> bytes:
    """Print a self-contained HTML document to PDF with headless Chromium (A4 from the page's @page CSS).

    The document is written to a temporary folder and opened as a file: URL; DNS is mapped to nothing,
    so even a stray external reference cannot reach the network.
    """
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmp:
        src = Path(tmp) / "briefing.html"
        out = Path(tmp) / "briefing.pdf"
        src.write_text(html_text, encoding="utf-8")
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--no-first-run", "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise BriefingError(f"Chromium took longer than {timeout:.0f} s to print the briefing") from exc
        if not out.is_file() or out.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-5:]
            raise BriefingError(f"Chromium did not print the briefing (exit {proc.returncode}): " + " | ".join(tail))
        return out.read_bytes()
