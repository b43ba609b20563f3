"""Peak memory of a real ``streamlit run`` serving the pages to a real browser.

Starts the app as the browser tests do (``dashboard.devserver.serve``: ``streamlit run`` on a free
port with ``DASHBOARD_DB_URL`` set), loads every page under every filter in Debian Chromium through
Playwright (the same launch arguments), waits until each run has finished, and reads ``VmHWM`` (peak
resident set) of the server process from ``/proc/<pid>/status``. When Chromium or Playwright is
missing, falls back to the peak RSS of this process after the AppTest reruns, and says so.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path
from urllib.parse import urlencode

from dashboard import devserver

# the Overview is the default page at "/"; every other page has its own address
URL_PATHS = {"views/overview.py": "", "views/map.py": "map", "views/timeline.py": "timeline",
             "views/articles.py": "articles", "views/expected.py": "expected"}
CHARTLESS = {"views/overview.py", "views/articles.py", "views/expected.py"}  # nothing plotly to wait for


def _status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def self_peak_mb() -> float:
    """Peak RSS of this process (the AppTest runs happen here)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def browser_peak(db_url: str, scenarios: dict[str, dict[str, str]], log_path: Path, progress=None,
                 timeout: float = 60.0) -> dict:
    """Load every page under every filter; a page still running after ``timeout`` s is left as it is."""
    chromium = devserver.chromium_path()
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"method": "unavailable", "reason": "playwright is not installed"}
    if chromium is None:
        return {"method": "unavailable", "reason": "no Chromium at /usr/bin/chromium (apt-get install chromium)"}
    loads = []
    try:
        with devserver.serve(db_url, log_path, timeout=90) as (base, proc):
            idle_kb = _status_kb(proc.pid, "VmRSS")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=devserver.CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1400, "height": 1800})
                page = context.new_page()
                for view, slug in URL_PATHS.items():
                    for name, params in scenarios.items():
                        url = f"{base}/{slug}" + (f"?{urlencode(params)}" if params else "")
                        t0 = time.perf_counter()
                        status = "drawn"
                        try:
                            page.goto(url)
                            page.wait_for_selector("[data-testid='stSidebar']", timeout=timeout * 1000)
                            page.wait_for_function(
                                "() => !document.querySelector(\"[data-testid='stStatusWidget']\")",
                                timeout=timeout * 1000)
                            if view not in CHARTLESS:
                                page.wait_for_selector(".js-plotly-plot", timeout=timeout * 1000)
                        except PlaywrightTimeout:
                            status = f"not finished after {timeout:.0f} s"
                        loads.append({"page": slug or "overview", "filter": name, "seconds": time.perf_counter() - t0,
                                      "status": status})
                        if progress:
                            progress(f"  browser {slug or 'overview'}.{name}: {status} in {loads[-1]['seconds']:.1f} s, server RSS "
                                     f"{(_status_kb(proc.pid, 'VmRSS') or 0) / 1024:.0f} MB")
                context.close()
                browser.close()
            peak_kb = _status_kb(proc.pid, "VmHWM")
            rss_kb = _status_kb(proc.pid, "VmRSS")
    except devserver.ServerDidNotStart as exc:
        return {"method": "unavailable", "reason": str(exc)}
    return {
        "method": "streamlit run + Chromium (VmHWM of the server process)",
        "peak_mb": (peak_kb or 0) / 1024,
        "end_mb": (rss_kb or 0) / 1024,
        "idle_mb": (idle_kb or 0) / 1024,
        "loads": loads,
    }
