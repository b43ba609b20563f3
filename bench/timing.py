"""Small timing helpers shared by the measures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def times(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def median(xs: list[float]) -> float:
    return float(statistics.median(xs)) if xs else float("nan")


def p95(xs: list[float]) -> float:
    """95th percentile (nearest rank): with 7 samples this is the slowest one."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(0.95 * len(s) + 0.5)) - 1))
    return float(s[k])


def best_of(fn: Callable[[], object], repeat: int) -> float:
    return min(times(fn, repeat))
