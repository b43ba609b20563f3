"""Latency under load: concurrent browser sessions loading pages, with and without an import running.

A real ``streamlit run`` (``dashboard.devserver.serve``) on a *copy* of the benchmark database (the
import writes to it; the cached database stays as built), and one Debian Chromium driven by
Playwright's async API with ``sessions`` pages open at once (each its own browser context, so its
own Streamlit websocket session). Every session loads the pages in turn (overview, map, timeline,
articles, expected; each session starts at a different one), ``rounds`` times:

* quiet: nothing else runs;
* import: ``python -m dashboard ingest`` of ``import_articles`` new synthetic articles runs in its
  own process (as an analyst's import would), started just before the sessions (whether it was
  still running when they finished is recorded: ``import_ran_throughout``).

Each phase is measured twice: with browser pages (the figure the targets judge), then with as many
Streamlit websocket sessions (:func:`ws_drive`: the server's share of a load, nothing drawn), which
tells the server's time from the browser's on a machine where both share the cores. Before them,
one browser session alone loads the pages (``single_browser``: a page load with nothing to wait
for), and each browser phase records the CPU seconds per load that the server and Chromium spent
(``cpu``, from ``/proc``): on a machine whose cores the browser shares with the server, the
browser figure cannot fall below sessions x (server + Chromium CPU per load) / cores.

A page load is timed from ``goto`` until the page is drawn: the sidebar is there, Streamlit's
"running" status widget has gone, and on the map and timeline a plotly chart is drawn (the rules of
``bench.rss``). A load still unfinished after ``timeout`` s counts as ``timeout`` s (a lower bound)
and is reported. A load that shows an exception or an error box is counted as an error.

Every full load is a new page load: Chromium parses Streamlit's frontend and plotly.js again and
opens a new Streamlit session. An analyst opens the dashboard once and then moves between pages in
the sidebar, which Streamlit does without a reload (the same session, a rerun with the new page).
That is measured too, after each phase's full loads and the websocket sessions, as its own rows
(``single_switch``, ``<phase>_switch``): each session opens the dashboard once (not counted), and
when all have, they move through the five pages by their links in the sidebar navigation, each
timed from the click until the server has sent ``script_finished`` for the run and the page is
drawn (no element of the page before left, a plotly chart on the map and timeline), with the CPU
seconds per switch of the server and Chromium. The targets judge the full loads, as before.

Also used by tests/test_concurrent_load.py (:func:`drive`), which reads the error list.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus
from bench.timing import median, p95
from dashboard import devserver

ROOT = Path(__file__).resolve().parent.parent
#: page -> URL path (the Overview is the default page at "/")
PAGES = {"overview": "", "map": "map", "timeline": "timeline", "articles": "articles", "expected": "expected"}
CHARTED = {"map", "timeline"}  # pages drawn only once a plotly chart is
ERROR_SELECTOR = "[data-testid='stException'], [data-testid='stAlertContentError']"
DRAWN_JS = "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
#: page -> its link in the sidebar navigation (the titles of dashboard/app.py's ``st.Page``\ s)
NAV_TITLES = {"overview": "Overview", "map": "Map", "timeline": "Timeline", "articles": "Articles",
              "expected": "Expected developments"}
#: after a page switch: the run has finished and no element of the page before it is left (stale)
SWITCHED_JS = ("() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
               " && !document.querySelector(\"[data-stale='true']\")")


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``), or ``None``."""
    fields = _proc_stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / _TICKS


def _chromium_cpu() -> float | None:
    """CPU seconds of every Chromium process descending from this one (``None`` without ``/proc``)."""
    if not Path("/proc/self/stat").exists():
        return None
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _proc_stat(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if name.startswith(("chromium", "chrome")) and (fields := _proc_stat(pid)) is not None:
            # its own time and that of its children already gone (a closed context's renderer)
            total += sum(int(x) for x in fields[11:15]) / _TICKS
    return total


async def _load(page, base: str, name: str, timeout: float) -> dict:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    t0 = time.perf_counter()
    status = "drawn"
    try:
        try:
            await page.goto(f"{base}/{PAGES[name]}", timeout=timeout * 1000)
        except PlaywrightError as exc:  # the last page's own URL update raced this navigation: go again
            if "interrupted by another navigation" not in str(exc):
                raise
            await page.goto(f"{base}/{PAGES[name]}", timeout=timeout * 1000)
        await page.wait_for_selector("[data-testid='stSidebar']", timeout=timeout * 1000)
        await page.wait_for_function(DRAWN_JS, timeout=timeout * 1000)
        if name in CHARTED:
            left = max(1.0, timeout - (time.perf_counter() - t0))
            await page.wait_for_selector(".js-plotly-plot", timeout=left * 1000)
    except PlaywrightTimeout:
        status = "timeout"
    return await _outcome(page, name, time.perf_counter() - t0, status, timeout)


async def _outcome(page, name: str, seconds: float, status: str, timeout: float) -> dict:
    error = None
    errors = page.locator(ERROR_SELECTOR)
    if await errors.count():
        status = "error"
        error = (await errors.first.inner_text())[:300]
    return {"page": name, "seconds": min(seconds, timeout) if status == "timeout" else seconds,
            "status": status, "error": error}


def _watch_runs(page) -> dict:
    """Follow the page's Streamlit websocket: ``state["event"]`` is set when a script run finishes
    (the server's ``script_finished``, read from the frames the browser receives)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    state: dict = {"event": asyncio.Event()}

    def frame(payload) -> None:
        if not isinstance(payload, bytes) or len(payload) > 256:  # script_finished is a few bytes
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a ForwardMsg: nothing to follow
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == msg.FINISHED_SUCCESSFULLY:
            state["event"].set()

    page.on("websocket", lambda ws: ws.on("framereceived", frame) if "/_stcore/stream" in ws.url else None)
    return state


async def _switch(page, runs: dict, name: str, timeout: float) -> dict:
    """Move to page ``name`` as an analyst does within a session: a click on its link in the sidebar
    (Streamlit's client-side page switch, no reload), timed until the server's run has finished and the
    page is drawn (no element of the page before left; on the map and timeline a plotly chart). The
    row also holds the page's first heading once drawn (``heading``), read after the clock stops."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    t0 = time.perf_counter()
    status = "drawn"

    def left() -> float:
        return max(1.0, timeout - (time.perf_counter() - t0))

    try:
        runs["event"] = asyncio.Event()
        nav = page.locator("[data-testid='stSidebarNav']")
        await nav.get_by_role("link", name=NAV_TITLES[name], exact=True).click(timeout=timeout * 1000)
        try:
            await asyncio.wait_for(runs["event"].wait(), left())
        except TimeoutError:
            raise PlaywrightTimeout("the page's run did not finish") from None
        await page.wait_for_function(SWITCHED_JS, timeout=left() * 1000)
        if name in CHARTED:
            await page.wait_for_selector(".js-plotly-plot", timeout=left() * 1000)
    except PlaywrightTimeout:
        status = "timeout"
    out = await _outcome(page, name, time.perf_counter() - t0, status, timeout)
    out["heading"] = await page.evaluate("() => (document.querySelector('h1') || {}).innerText || ''")
    return out


async def _opened(ready: dict) -> None:
    """One more session has opened the dashboard: the last one calls ``ready["then"]()`` (at once, before
    any session goes on) and lets them all go on together."""
    ready["n"] += 1
    if ready["n"] == ready["sessions"]:
        ready["then"]()
        ready["event"].set()
    await ready["event"].wait()


async def _session(browser, base: str, k: int, headers: dict | None, timeout: float, rounds: int | None,
                   until: float | None, page_names: list[str], ready: dict | None = None) -> list[dict]:
    context = await browser.new_context(viewport={"width": 1280, "height": 1400},
                                        extra_http_headers=headers or {})
    page = await context.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda exc: crashes.append(str(exc)[:300]))
    loads: list[dict] = []
    try:
        i = k  # sessions start at different pages
        runs = None
        if ready is not None:  # page switches: the dashboard opened once (not counted), then the sidebar
            runs = _watch_runs(page)
            opened = await _load(page, base, page_names[i % len(page_names)], timeout)
            failed = opened["status"] != "drawn" or crashes
            await _opened(ready)
            if failed:  # the session's only row: it never reached a page switch
                opened["session"], opened["opening"] = k, True
                if crashes:
                    opened["status"], opened["error"] = "error", f"script error in the page: {crashes[0]}"
                return [opened]
            i += 1
        while True:
            if rounds is not None and len(loads) >= rounds * len(page_names):
                break
            if until is not None and time.monotonic() >= until:
                break
            name = page_names[i % len(page_names)]
            load = await (_load(page, base, name, timeout) if runs is None else _switch(page, runs, name, timeout))
            load["session"] = k
            if crashes:
                load["status"], load["error"] = "error", f"script error in the page: {crashes[0]}"
                crashes.clear()
            loads.append(load)
            i += 1
    finally:
        await context.close()
    return loads


def drive(base: str, sessions: int, *, timeout: float = 60.0, rounds: int | None = None,
          until: float | None = None, headers: dict | None = None,
          page_names: list[str] | None = None, cpu: dict | None = None, switch: bool = False) -> list[dict]:
    """``sessions`` browser sessions loading pages of the app at ``base`` at once, in one Chromium.

    Each session stops after ``rounds`` rounds of every page, or when ``until`` (``time.monotonic()``)
    has passed, whichever comes first; its last load is always finished. ``headers`` are sent with
    every request (an authenticating proxy's, say). Returns every load: page, seconds, status
    ("drawn", "timeout" or "error") and the error shown. A ``cpu`` dict gets ``chromium_s``: the CPU
    seconds Chromium spent on the loads (its start left out; ``None`` without ``/proc``).

    ``switch``: each session opens the dashboard once (a full load, not returned, unless it failed:
    then it is the session's only row, marked ``opening``), then reaches every page from the sidebar
    navigation (:func:`_switch`), each load a page switch within the session, starting with the page
    after the one it opened. The sessions start switching together, once all have opened; ``cpu``
    then counts from there. A ``cpu`` dict holding ``server_pid`` also gets ``server_s``: that
    process's CPU seconds over the same span.
    """
    from playwright.async_api import async_playwright

    chromium = devserver.chromium_path()
    if chromium is None:
        raise RuntimeError("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    names = page_names or list(PAGES)

    async def main() -> list[dict]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=devserver.CHROMIUM_ARGS)
            try:
                started: dict = {}

                def start() -> None:
                    started["chromium"] = _chromium_cpu()
                    started["server"] = cpu_seconds(cpu["server_pid"]) if cpu and cpu.get("server_pid") else None

                ready = None
                if switch:
                    ready = {"n": 0, "sessions": sessions, "event": asyncio.Event(), "then": start}
                else:
                    start()
                done = await asyncio.gather(*(_session(browser, base, k, headers, timeout, rounds, until, names,
                                                       ready) for k in range(sessions)))
                if cpu is not None:
                    ended = _chromium_cpu()
                    cpu["chromium_s"] = (None if started.get("chromium") is None or ended is None
                                         else ended - started["chromium"])
                    if cpu.get("server_pid"):
                        server = cpu_seconds(cpu["server_pid"])
                        cpu["server_s"] = (None if started.get("server") is None or server is None
                                           else server - started["server"])
            finally:
                await browser.close()
        return [load for loads in done for load in loads]

    return _run_async(main)


# --- the same sessions without a browser: Streamlit's own websocket protocol -------------------

async def _ws_session(base: str, k: int, headers: dict | None, timeout: float, rounds: int | None,
                      until: float | None, page_names: list[str]) -> list[dict]:
    """One live Streamlit session (one websocket, as a browser tab holds): the pages in turn, each a
    rerun with the page's name, timed until the server says the script finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    loads: list[dict] = []
    uri = base.replace("http://", "ws://", 1) + "/_stcore/stream"

    def opened():
        return connect(uri, subprotocols=["streamlit"], additional_headers=headers or {}, max_size=None,
                       open_timeout=timeout)

    ws = await opened()
    try:
        i = k
        while True:
            if rounds is not None and len(loads) >= rounds * len(page_names):
                break
            if until is not None and time.monotonic() >= until:
                break
            name = page_names[i % len(page_names)]
            msg = BackMsg()
            msg.rerun_script.page_name = PAGES[name]
            t0 = time.perf_counter()
            await ws.send(msg.SerializeToString())
            status, errors, elements = "timeout", [], 0
            try:
                async with asyncio.timeout(timeout):
                    while True:
                        fm = ForwardMsg()
                        fm.ParseFromString(await ws.recv())
                        kind = fm.WhichOneof("type")
                        if kind == "page_not_found":
                            errors.append(f"page not found: {name}")
                        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                            elements += 1
                            el = fm.delta.new_element
                            if el.WhichOneof("type") == "exception":
                                errors.append(f"{el.exception.type}: {el.exception.message}"[:300])
                            elif el.WhichOneof("type") == "alert" and el.alert.format == el.alert.ERROR:
                                errors.append(el.alert.body[:300])
                        elif kind == "script_finished":
                            if fm.script_finished == fm.FINISHED_SUCCESSFULLY:
                                status = "drawn"
                                break
                            if fm.script_finished == fm.FINISHED_WITH_COMPILE_ERROR:
                                errors.append("the page script did not compile")
                                break
                            # a rerun superseded or stopped: keep reading for this run's end
            except TimeoutError:
                # the run may still be sending: a new session, so the next load reads only its own messages
                await ws.close()
                ws = await opened()
            seconds = time.perf_counter() - t0
            if errors:
                status = "error"
            loads.append({"page": name, "seconds": min(seconds, timeout) if status == "timeout" else seconds,
                          "status": status, "session": k, "error": errors[0] if errors else None,
                          "elements": elements})
            i += 1
    finally:
        await ws.close()
    return loads


def ws_drive(base: str, sessions: int, *, timeout: float = 60.0, rounds: int | None = None,
             until: float | None = None, headers: dict | list[dict] | None = None,
             page_names: list[str] | None = None) -> list[dict]:
    """As :func:`drive`, with Streamlit websocket sessions instead of browser pages: the server does
    all it does for a browser (session, script run, queries, every element sent); nothing is drawn.
    ``headers`` may be a list: one set per session (a signed-on user each)."""
    names = page_names or list(PAGES)
    per = headers if isinstance(headers, list) else [headers] * sessions

    async def main() -> list[dict]:
        done = await asyncio.gather(*(_ws_session(base, k, per[k], timeout, rounds, until, names)
                                      for k in range(sessions)))
        return [load for loads in done for load in loads]

    return _run_async(main)


def _run_async(main):
    """``asyncio.run(main())``, in a thread of its own when this thread already runs an event loop
    (Playwright's sync API keeps one running for a whole test session)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    import threading

    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(main())
        except BaseException as exc:  # handed back to the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=target, name="bench-concurrent")
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def summary(loads: list[dict]) -> dict:
    secs = [x["seconds"] for x in loads]
    by_page = {}
    for name in PAGES:
        mine = [x["seconds"] for x in loads if x["page"] == name]
        if mine:
            by_page[name] = {"median": median(mine), "p95": p95(mine), "n": len(mine)}
    return {
        "n": len(loads),
        "median": median(secs),
        "p95": p95(secs),
        "timeouts": sum(x["status"] == "timeout" for x in loads),
        "errors": [x["error"] for x in loads if x["status"] == "error"][:5],
        "n_errors": sum(x["status"] == "error" for x in loads),
        "pages": by_page,
    }


def _import_file(folder: Path, size: int, seed: int, n: int) -> Path:
    """``n`` synthetic articles after the database's own (numbers ``size`` ..): all new to it."""
    path = folder / "synthetic-import.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for art in corpus.iter_articles(size + n, seed, start=size):
            fh.write(json.dumps(art.record, ensure_ascii=False) + "\n")
    return path


def _watch_exit(proc: subprocess.Popen) -> dict:
    """``{"at": time.perf_counter()}`` once ``proc`` has exited (polled every 0.1 s in a thread)."""
    import threading

    out: dict = {}

    def watch() -> None:
        while proc.poll() is None:
            time.sleep(0.1)
        out["at"] = time.perf_counter()

    out["thread"] = threading.Thread(target=watch, name="bench-import-exit", daemon=True)
    out["thread"].start()
    return out


def run(db: Path, size: int, seed: int, sessions: int = 10, rounds: int = 2, import_articles: int = 300,
        timeout: float = 60.0, log_path: Path | None = None, progress=None) -> dict:
    """Page loads of ``sessions`` concurrent browser sessions, quiet and during an import."""
    if devserver.chromium_path() is None:
        return {"method": "unavailable", "reason": "no Chromium at /usr/bin/chromium"}
    try:
        import playwright  # noqa: F401
    except ImportError:
        return {"method": "unavailable", "reason": "playwright is not installed"}
    out: dict = {"method": f"streamlit run + Chromium, {sessions} sessions (browser contexts) at once",
                 "sessions": sessions, "rounds": rounds, "size": size}
    with tempfile.TemporaryDirectory(prefix="bench-concurrent-") as tmp:
        folder = Path(tmp)
        copy = folder / "bench.db"
        shutil.copy(db, copy)  # checkpointed at build; the import below must not change the cached one
        for suffix in ("-wal", "-shm"):
            if Path(f"{db}{suffix}").exists():
                shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")
        url = f"sqlite:///{copy}"
        source = _import_file(folder, size, seed, import_articles)
        log = log_path or folder / "streamlit.log"
        try:
            with devserver.serve(url, log, timeout=90) as (base, proc):
                drive(base, 1, rounds=1, timeout=timeout)  # the server's first run: imports, caches

                def timed(how: str, n: int) -> dict:
                    cpu: dict = {"server_pid": proc.pid} if how == "switch" else {}
                    server0, t0 = cpu_seconds(proc.pid), time.perf_counter()
                    loads = (drive(base, n, rounds=rounds, timeout=timeout, cpu=cpu, switch=how == "switch")
                             if how in ("browser", "switch") else ws_drive(base, n, rounds=rounds, timeout=timeout))
                    server1 = cpu_seconds(proc.pid)
                    if how == "switch":  # from the first switch on: the sessions' openings left out
                        server = cpu.get("server_s")
                    else:
                        server = None if server0 is None or server1 is None else server1 - server0
                    per = {"server_s": None if server is None else server / len(loads)}
                    if how in ("browser", "switch"):
                        per["chromium_s"] = None if cpu.get("chromium_s") is None else cpu["chromium_s"] / len(loads)
                    return {**summary(loads), "seconds": time.perf_counter() - t0, "cpu_per_load": per}

                out["single_browser"] = timed("browser", 1)  # nothing to wait for: Chromium's own time
                if progress:
                    r = out["single_browser"]
                    progress(f"  1 browser session alone: median {r['median']:.2f} s, p95 {r['p95']:.2f} s")
                out["single_switch"] = timed("switch", 1)  # the same, moving between pages in the session
                if progress:
                    r = out["single_switch"]
                    progress(f"  1 browser session alone, page switch within the session: median {r['median']:.2f} s, "
                             f"p95 {r['p95']:.2f} s")

                def measure(phase: str, importer=None) -> None:
                    # the full loads (the figure the target judges) and the server's share first, as before;
                    # then the page switches within a session
                    for how in ("browser", "websocket", "switch"):
                        out[f"{phase}_{how}"] = {**timed(how, sessions),
                                                 "import_ran_throughout": None if importer is None
                                                 else importer.poll() is None}
                        if progress:
                            r = out[f"{phase}_{how}"]
                            what = "browser sessions, page switch within the session" if how == "switch" else \
                                f"{how} sessions"
                            progress(f"  {sessions} {what}, {phase}: median {r['median']:.2f} s, "
                                     f"p95 {r['p95']:.2f} s over {r['n']} loads ({r['timeouts']} timeouts, "
                                     f"{r['n_errors']} errors)")

                measure("quiet")
                env = {**os.environ, "DASHBOARD_DB_URL": url}
                t0 = time.perf_counter()
                with open(folder / "import.log", "w") as ilog:
                    importer = subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", str(source)],
                                                cwd=ROOT, env=env, stdout=ilog, stderr=subprocess.STDOUT)
                    ended = _watch_exit(importer)  # the import's own time, not the phases' (they may outlast it)
                    try:
                        measure("import", importer)
                        importer.wait(timeout=600)
                    finally:
                        if importer.poll() is None:
                            importer.kill()
                    ended["thread"].join(timeout=5)
                out["import"] = {"articles": import_articles, "seconds": ended.get("at", time.perf_counter()) - t0,
                                 "exit": importer.returncode,
                                 "output": (folder / "import.log").read_text()[-300:]}
                if progress:
                    progress(f"  the import of {import_articles} articles took {out['import']['seconds']:.0f} s "
                             f"(exit {importer.returncode})")
        except devserver.ServerDidNotStart as exc:
            return {"method": "unavailable", "reason": str(exc)}
    return out
