"""Page rerun times under Streamlit's AppTest: cold, after a filter change, and warm.

Each (page, filter) pair gets its own AppTest session: the filter goes in through the URL
query parameters (as a shared link would), the first run starts the session and is not timed,
then ``reruns`` timed reruns of each kind:

* cold: ``st.cache_data.clear()`` before each, every cached query recomputed (a first visit
  after the data changed);
* filter change: only the cached queries that take the filter are cleared, as when an analyst
  changes a filter; the facet lists and totals, keyed on the data revision, stay cached;
* warm: nothing cleared (the same filter again, or a rerun from another widget).

The engine (``st.cache_resource``) and the in-process geometry caches stay warm in all three: a
real server keeps them for its lifetime.

A rerun under AppTest runs the whole script (sidebar, queries, figure building, protobuf
serialisation) but sends nothing over a socket and draws nothing in a browser.

The payload of a page is the summed protobuf size of every element of its last run: the bytes
Streamlit's server sends for the page's content (plotly figures are carried as JSON inside).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.timing import median, p95

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["views/overview.py", "views/map.py", "views/timeline.py", "views/articles.py", "views/expected.py"]
SCENARIO_PARAMS: dict[str, dict[str, str]] = {
    "none": {},
    "ba_year": {"countries": "BA", "from": "2023-01-01", "to": "2023-12-31"},
    "search": {"q": "gas pipeline"},
}


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def page_payload(at) -> dict:
    """Bytes of the page's element protobufs, and of the plotly figure specs among them."""
    total = 0
    plotly = 0
    elements = 0
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize") or getattr(node, "children", None):
            continue
        size = proto.ByteSize()
        total += size
        elements += 1
        spec = getattr(proto, "spec", None)
        if isinstance(spec, str) and spec.startswith("{"):
            plotly += len(spec.encode())
        elif getattr(node, "type", "") == "plotly_chart" or "plotly" in type(proto).__name__.lower():
            plotly += size
    return {"bytes": total, "plotly_bytes": plotly, "elements": elements}


def _filter_caches() -> list:
    """The cached data accessors that take the filter (``f``), in every module of ``dashboard.ui``
    (the pages' data and the Overview's stability counts): what a filter change recomputes."""
    import importlib
    import inspect
    import pkgutil

    from streamlit.runtime.caching.cache_utils import CachedFunc

    import dashboard.ui

    out = []
    for info in pkgutil.iter_modules(dashboard.ui.__path__):
        module = importlib.import_module(f"dashboard.ui.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, CachedFunc) and obj not in out:
                func = getattr(getattr(obj, "_info", None), "func", None)
                if func is not None and "f" in inspect.signature(func).parameters:
                    out.append(obj)
    return out


def _timed_run(at, timeout: float) -> tuple[float, bool]:
    """Seconds of one run, and whether it hit ``timeout`` (AppTest then stops the script)."""
    t0 = time.perf_counter()
    try:
        at.run(timeout=timeout)
    except RuntimeError as exc:
        if "timed out" not in str(exc):
            raise
        return time.perf_counter() - t0, True
    return time.perf_counter() - t0, False


def run(db_url: str, reruns: int = 7, pages: list[str] | None = None,
        scenarios: dict[str, dict[str, str]] | None = None, progress=None,
        timeout: float = 60.0, slow: float = 2.0, slow_reruns: int = 3) -> dict:
    """Cold and warm rerun times per page and filter.

    A run longer than ``timeout`` is stopped and reported as a lower bound (no reruns). When the
    first run takes more than ``slow`` seconds, ``slow_reruns`` cold and warm reruns are timed
    instead of ``reruns`` of each, so a pathological page cannot hold the whole benchmark up.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DB_URL"] = db_url
    filter_caches = _filter_caches()
    assert filter_caches, "no cached accessor takes the filter: the filter-change rerun would measure nothing"
    out: dict = {}
    for page in pages or PAGES:
        for name, params in (scenarios or SCENARIO_PARAMS).items():
            key = f"{page.split('/')[-1].removesuffix('.py')}.{name}"
            at = AppTest.from_file(APP, default_timeout=timeout)
            for k, v in params.items():
                at.query_params[k] = v
            at.switch_page(page)
            st.cache_data.clear()
            first, timed_out = _timed_run(at, timeout)
            errors = [e.message for e in at.exception] if not timed_out else []
            n = 0 if timed_out else (reruns if first <= slow else min(reruns, slow_reruns))

            def clear_filter_caches() -> None:
                for cached in filter_caches:
                    cached.clear()

            cold, warm, change = [], [], []
            for times, before in ((cold, st.cache_data.clear), (warm, None), (change, clear_filter_caches)):
                for _ in range(0 if timed_out else n):
                    if before:
                        before()
                    dt, timed_out = _timed_run(at, timeout)
                    times.append(dt)
                    errors += [e.message for e in at.exception]
                    if timed_out:
                        break
            if timed_out:
                # a lower bound: the run was stopped at the timeout
                cold = cold or [first]
                warm = warm or [first]
                change = change or [first]
            captions = " | ".join(c.value for c in at.caption)[:300] if not timed_out else ""
            out[key] = {
                "first_run_s": first,
                "timed_out": timed_out,
                "timeout_s": timeout,
                "cold": {"median": median(cold), "p95": p95(cold), "n": len(cold)},
                "warm": {"median": median(warm), "p95": p95(warm), "n": len(warm)},
                "change": {"median": median(change), "p95": p95(change), "n": len(change)},
                "payload": page_payload(at),
                "elements": page_payload(at)["elements"],
                "errors": sorted(set(errors))[:3],
                "captions": captions,
            }
            if progress:
                note = f"  ERROR {errors[0][:120]}" if errors else ""
                if timed_out:
                    progress(f"  page {key}: stopped after {timeout:.0f} s (reported as a lower bound){note}")
                else:
                    progress(f"  page {key}: first run {first:.2f} s, cold median {median(cold):.3f} s, "
                             f"filter change {median(change):.3f} s, warm {median(warm):.3f} s "
                             f"({len(cold)} + {len(change)} + {len(warm)} reruns){note}")
    return out
