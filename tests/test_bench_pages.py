"""The bench's filter-change rerun clears what a filter change recomputes, on every page."""

from __future__ import annotations

from bench.pages import _filter_caches
from dashboard.ui import data, stability


def test_a_filter_change_clears_the_overviews_counts_too():
    # the Overview reads its months through dashboard.ui.stability: a bench that cleared only
    # dashboard.ui.data timed the Overview's "filter change" on cached months (session 8: 94 ms)
    cleared = _filter_caches()
    for cached in (stability._monthly, stability._latest_month, stability._top, stability._overdue_in,
                   stability._deadlines_within,
                   data._events, data._development_totals, data._timeline_band):
        assert cached in cleared
    # what does not take the filter stays cached across a filter change
    assert stability._judgements not in cleared
