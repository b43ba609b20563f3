"""Briefings: the current filter as one offline document for stakeholders (HTML or PDF).

No Streamlit in this package: the CLI and the pages call it and show its progress.

A briefing holds the title, the filter in words, the generation time (UTC), an executive summary
(each country's and entity's arrow for the filter's last month with the sentence why, and an
analyst's judgement beside it), the map and the timeline, the key developments (most significant
first, at most 50, each development once with its reports and sources counted, its date at its
honest precision, derived status, verification, summary and source link), the expected developments with
their deadlines and tracker state, and the articles (title, outlet, date or "undated", URL; at most
100). Lists that are cut say how many more there are. Every text from the store is HTML-escaped and
only http(s) addresses become links.

API
---
``build_briefing_html(engine, filters, *, title=None, generated_at=None, display=Display(),
level="country", measure="developments", lane="country", today=None, progress=None) -> str``
    One self-contained interactive HTML file: plotly.js inline, no CDN, a Content-Security-Policy
    that forbids every fetch. Opens from disk or an e-mail attachment with no network. ~0.5 s.

``build_briefing_pdf(engine, filters, *same keywords*) -> bytes``
    The same content as an A4 PDF: map and timeline rendered to PNG by kaleido, the page printed by
    headless Debian Chromium (``/usr/bin/chromium``). ~4 s the first time in a process, ~2 s after.
    Raises :class:`BriefingError` when Chromium is missing or times out.

``build_briefing_static_html(...) -> str``
    The PDF's source: the briefing with the charts as PNG data URIs and no script.

To leave out machine-extracted items, pass ``filters.without_machine()`` (the Exports page's
checkbox, ``brief --no-machine``).

``progress``: ``Callable[[float, str], None]``, called with the fraction done (0..1) and what is
happening, e.g. ``lambda f, msg: bar.progress(f, text=msg)`` in Streamlit.
``generated_at``: a datetime (naive means UTC); default now. ``today``: the day that decides
"overdue" (default: today). ``level``: "country" or "place" map; ``measure``: "events", "articles"
or "expected"; ``lane``: timeline lanes by "country", "category" or "place".
``display`` (:class:`dashboard.filters.Display`): ``kosovo_star`` labels Kosovo as "Kosovo*" and adds the
EU footnote; ``present`` draws the charts with larger text.

``suggested_filename(filters, ext) -> str``
    ``briefing_BA-XK_2023-01-01_2023-12-31.pdf`` for a download button or the CLI default.

Figures (``dashboard.charts``; the data shaping the pages use too, without Streamlit)
    ``map_figure(engine, f, *, level, measure, display, today, height, width)``,
    ``timeline_figure(engine, f, *, lane, display, today, events, height)``,
    and their parts ``map_values``, ``map_regions``, ``map_markers``, ``timeline_lanes``.

Static images (``dashboard.briefing.static``)
    ``figure_to_png(fig, *, width=None, height=None, scale=2) -> bytes``,
    ``figure_to_pdf(fig, *, width=None, height=None) -> bytes`` via kaleido (one headless Chromium
    per process, started on first use with MathJax off, serialised by a lock, every call with a
    timeout), ``html_to_pdf(html) -> bytes`` and ``close()``.

Example::

    from dashboard.briefing import build_briefing_pdf
    pdf = build_briefing_pdf(engine, Filters(countries=("BA", "XK")), title="BiH and Kosovo, 2023")
    Path("brief.pdf").write_bytes(pdf)
"""

from __future__ import annotations

from dashboard.briefing.document import (
    BriefingContent,
    build_briefing_html,
    build_briefing_pdf,
    build_briefing_static_html,
    collect,
    suggested_filename,
)
from dashboard.briefing.static import BriefingError, figure_to_pdf, figure_to_png, html_to_pdf

__all__ = [
    "BriefingContent",
    "BriefingError",
    "build_briefing_html",
    "build_briefing_pdf",
    "build_briefing_static_html",
    "collect",
    "figure_to_pdf",
    "figure_to_png",
    "html_to_pdf",
    "suggested_filename",
]
