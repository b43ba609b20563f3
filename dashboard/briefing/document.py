"""The briefing document: one self-contained HTML file (interactive) or a PDF (static), for a filter.

Everything that comes from the store is HTML-escaped here, and only http(s) addresses become links.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard import charts
from dashboard.figures import DEFAULT_DISPLAY, date_label
from dashboard.filters import Display, Filters
from dashboard.indicator import judged_units
from dashboard.names import FOCUS_COUNTRIES, KOSOVO_FOOTNOTE, PLACE_NAMES, country_name
from dashboard.store import judgements, queries, stability
from dashboard.urls import is_web_url
from dashboard.vocab import (
    OVERDUE,
    STATUS_SHORT,
    TRACKER_STATE_HELP,
    VERIFICATION_LABELS,
    attribution_line,
    status_label,
)

Progress = Callable[[float, str], None]

DEFAULT_TITLE = "Western Balkans stability briefing"
MAX_DEVELOPMENTS = 50
MAX_EXPECTED = 50
MAX_ARTICLES = 100

INTERACTIVE_MAP_HEIGHT = 600
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}

# The interactive file may run its own inline scripts and draw the map from blob: workers, and
# nothing else: no fetch, no image, font or script from anywhere.
CSP_INTERACTIVE = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
                   "img-src data: blob:; font-src data:; worker-src blob: data:; child-src blob: data:; "
                   "connect-src data: blob:")

# Chromium refuses a module worker from a blob: URL when the page is a file: URL, and plotly.js
# starts MapLibre's worker as ``import "blob:…"`` from a blob: module; the map then never draws.
# Opened from disk, this reads the worker's code (synchronous XHR of our own blob) and starts it
# from a data: URL instead. Served over http(s) it does nothing.
WORKER_SHIM = r"""<script>(function(){if(location.protocol!=='file:'||!window.Worker)return;var Native=window.Worker;
function read(u){var x=new XMLHttpRequest();x.open('GET',u,false);x.send();return x.responseText;}
function Shim(url,opts){var u=String(url);if(u.indexOf('blob:')===0){try{var t=read(u),
m=/^\s*import\s*["'](blob:[^"']+)["'];?\s*$/.exec(t);if(m){t=read(m[1]);}
u='data:text/javascript;charset=utf-8,'+encodeURIComponent(t);}catch(e){u=String(url);}}return new Native(u,opts);}
Shim.prototype=Native.prototype;window.Worker=Shim;})();</script>"""
CSP_STATIC = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"



# --- small helpers ----------------------------------------------------------------------------

def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def esc(value) -> str:
    """Text for HTML: ``None``/NaN become "", everything else is ``str`` and escaped (quotes too)."""
    if _missing(value):
        return ""
    return html.escape(str(value), quote=True)


def safe_href(url) -> str | None:
    """An escaped ``href`` value for an http(s) address, else ``None`` (no link is made)."""
    if _missing(url):
        return None
    url = str(url).strip()
    if not is_web_url(url):
        return None
    return html.escape(url, quote=True)


def _link(url, text) -> str:
    href = safe_href(url)
    label = esc(text) or esc(url)
    if href is None:
        return label
    return f'<a href="{href}" rel="noopener noreferrer">{label}</a>'


def _report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with NaN/NaT turned into ``None``."""
    if df.empty:
        return []
    clean = df.astype(object)
    return clean.where(clean.notna(), None).to_dict("records")


def suggested_filename(filters: Filters, ext: str, generated_at: datetime | None = None) -> str:
    """A file name naming the filter: ``briefing_BA-XK_2023-01-01_2023-12-31.pdf``."""
    parts = ["briefing"]
    codes = [*filters.countries, *filters.places]
    if codes:
        parts.append("-".join(codes))
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or 'start'}_{filters.date_to or 'now'}")
    if len(parts) == 1:
        parts.append(_utc(generated_at).strftime("%Y-%m-%d"))
    name = "_".join(parts)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:120] + "." + ext.lstrip(".")


# --- content ----------------------------------------------------------------------------------

@dataclass
class BriefingContent:
    """What a briefing says, read from the store once for the filter."""

    title: str
    filter_text: str
    generated_at: datetime
    display: Display  # Kosovo* labels; presentation mode (larger chart text)
    events: pd.DataFrame  # every event in the filter (up to 5000), newest first, for the timeline
    n_events: int
    n_machine: int
    developments: list[dict]
    expected: list[dict]
    n_expected: int
    n_overdue: int
    articles: list[dict]
    n_articles: int
    n_undated_events: int
    n_dated_articles: int = 0
    top_regions: list[tuple[str, int]] = field(default_factory=list)  # (display name, events), most first
    status_counts: dict[str, int] = field(default_factory=dict)  # derived status -> events
    state_counts: dict[str, int] = field(default_factory=dict)  # tracker state -> expected items
    credits: list[str] = field(default_factory=list)  # "Source: ACLED (data as of …; exported …)"
    n_developments: int = 0
    summary_month: str | None = None  # YYYY-MM of the executive summary
    summary: list[dict] = field(default_factory=list)  # per unit: name, arrow, sentence, analyst's judgement

    @property
    def kosovo_star(self) -> bool:
        return self.display.kosovo_star


def collect(engine: Engine, filters: Filters, *, title: str | None = None, generated_at: datetime | None = None,
            display: Display = DEFAULT_DISPLAY, today: date | None = None) -> BriefingContent:
    """Read everything the briefing shows for ``filters``."""
    kosovo_star = display.kosovo_star
    names = {c: country_name(c, kosovo_star) for c in filters.countries}
    events = queries.load_events(engine, filters, today=today)
    developments = queries.load_developments(engine, filters, limit=MAX_DEVELOPMENTS, today=today)
    expected = queries.expected_items(engine, filters, today=today)
    summary_month, summary = _summary(engine, filters, kosovo_star, today)
    articles = queries.load_articles(engine, filters, limit=MAX_ARTICLES)
    return BriefingContent(
        title=(title or "").strip() or DEFAULT_TITLE,
        filter_text=filters.describe(names, PLACE_NAMES),
        generated_at=_utc(generated_at),
        display=display,
        events=events,
        n_events=queries.count_events(engine, filters),
        n_machine=int((events["verification"] == "machine").sum()) if len(events) else 0,
        developments=_records(developments),
        n_developments=queries.count_developments(engine, filters),
        summary_month=summary_month,
        summary=summary,
        expected=_records(expected.head(MAX_EXPECTED)),
        n_expected=len(expected),
        n_overdue=int((expected["state"] == "overdue").sum()) if len(expected) else 0,
        articles=_records(articles),
        n_articles=queries.count_articles(engine, filters),
        n_undated_events=int(events["date_start"].isna().sum()) if len(events) else 0,
        n_dated_articles=queries.count_articles(engine, filters.with_(include_undated=False)),
        top_regions=[(country_name(code, kosovo_star), int(n)) for code, n in
                     sorted(charts.map_values(engine, filters).items(), key=lambda kv: (-kv[1], kv[0])) if n],
        status_counts={k: int(v) for k, v in events["display_status"].value_counts().items()} if len(events) else {},
        state_counts={k: int(v) for k, v in expected["state"].value_counts().items()} if len(expected) else {},
        credits=[attribution_line(d, as_of, _utc(generated_at).date())
                 for d, as_of in queries.attributed_datasets(engine, filters)],
    )


def _summary(engine: Engine, filters: Filters, kosovo_star: bool, today: date | None) -> tuple[str | None, list[dict]]:
    """The executive summary: each unit's arrow and sentence for the filter's last month (its "To"
    date's, else the latest month with a development), with an analyst's judgement beside it."""
    undated = filters.with_(date_from=None, date_to=None)
    month = filters.date_to.strftime("%Y-%m") if filters.date_to else stability.latest_month(engine, undated, today)
    if month is None:
        return None, []
    start = date.fromisoformat(f"{month}-01")
    before = (start - timedelta(days=1)).replace(day=1)
    window = filters.with_(date_from=before, date_to=(start + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    by_country = stability.monthly(engine, window, "country", today=today, titles=(month,))
    by_place = stability.monthly(engine, window, "place", today=today, titles=(month,))
    judged = judgements.judgements(engine)
    rows = []
    for code, months in judged_units(by_country, by_place, month, month, filters.countries or FOCUS_COUNTRIES):
        current, verdict = months[-1]
        name = country_name(code, kosovo_star) if "-" not in code else PLACE_NAMES.get(code, code)
        analyst = judged.get((code, month))
        rows.append({"code": code, "unit": name, "sub": "-" in code, "arrow": verdict.arrow,
                     "sentence": verdict.sentence, "developments": current.developments,
                     "analyst": analyst})
    return month, rows


# --- rendering --------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 15mm 14mm 15mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Source Sans Pro", "Liberation Sans", "DejaVu Sans", Helvetica, Arial, sans-serif;
       color: #1d2733; line-height: 1.42; font-size: 15px; max-width: 1040px; margin: 0 auto; padding: 28px 24px; }
h1 { font-size: 26px; margin: 0 0 6px; color: #0b2545; }
h2 { font-size: 19px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #0b2545; color: #0b2545; }
.meta { margin: 0 0 4px; color: #394b5f; }
.meta b { color: #1d2733; }
table.glance { border-left: 4px solid #0b2545; background: #f6f8fb; }
table.glance th { width: 10.5em; background: transparent; color: #394b5f; }
table.glance td, table.glance th { border-bottom: 1px solid #e3e8ee; padding: 4px 8px; }
.chart { margin: 4px 0 2px; break-inside: avoid; page-break-inside: avoid; }
.chart img { width: 100%; height: auto; display: block; border: 1px solid #e3e8ee; }
.note { color: #5a6b7d; font-size: 12.5px; margin: 4px 0; }
ol.developments { padding-left: 1.6em; margin: 6px 0; }
ol.developments li { margin: 0 0 10px; padding-left: 2px; break-inside: avoid; page-break-inside: avoid; }
.item-title { font-weight: 700; }
.item-meta { font-size: 13px; color: #394b5f; margin: 1px 0 2px; }
.summary { margin: 2px 0; }
.source { font-size: 12.5px; color: #394b5f; overflow-wrap: anywhere; }
.url { color: #6b7b8c; }
a { color: #0b4f9c; text-decoration: none; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; white-space: nowrap; }
.badge.analyst { background: #e6f4ea; color: #1e5e2e; border: 1px solid #7cc08c; }
.badge.machine { background: #fff1e0; color: #8a4700; border: 1px solid #f0a54a; }
.badge.other { background: #eef1f4; color: #394b5f; border: 1px solid #b8c2cc; }
.status-overdue, .state-overdue { color: #c0392b; font-weight: 700; }
.state-realised { color: #1e5e2e; font-weight: 700; }
.state-slipped { color: #8a4700; font-weight: 700; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 5px 6px; border-bottom: 1px solid #e3e8ee; }
th { background: #f1f5f9; font-weight: 700; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.deadline { width: 17%; }
.nowrap { white-space: nowrap; }
table.expected td:nth-child(2) { width: 49%; }
table.summary td:first-child { width: 19%; }
table.summary td:nth-child(2) { width: 13%; }
table.summary .sub { padding-left: 1em; color: #394b5f; }
tr.arrow-deteriorated td:nth-child(2) { color: #c0392b; font-weight: 700; }
tr.arrow-improved td:nth-child(2) { color: #1e5e2e; font-weight: 700; }
table.expected td:nth-child(3) { width: 17%; }
.more { font-style: italic; color: #394b5f; }
footer { margin-top: 26px; padding-top: 8px; border-top: 1px solid #cfd8e2; font-size: 12px; color: #5a6b7d; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h1 { font-size: 19pt; }
  h2 { font-size: 13.5pt; margin-top: 16pt; break-after: avoid; page-break-after: avoid; }
  .note, .source, .item-meta, footer { font-size: 8.5pt; }
  table { font-size: 9.5pt; }
  .badge { font-size: 8pt; }
  a { color: #0b4f9c; }
  .lead { break-after: avoid; page-break-after: avoid; }
  #timeline { break-before: page; page-break-before: always; }
  #timeline h2 { margin-top: 0; }
}
"""


def _verification_badge(value) -> str:
    if value not in VERIFICATION_LABELS:  # unknown value: say so literally, never as verified
        return f'<span class="badge other">{esc(value) or "verification unknown"}</span>'
    return f'<span class="badge {value}">{esc(VERIFICATION_LABELS[value])}</span>'


def _state_help(state: str) -> str:
    """The tracker state's meaning, in the vocabulary's words, under the state."""
    meaning = TRACKER_STATE_HELP.get(state)
    return f'<div class="note">{esc(meaning)}</div>' if meaning else ""


def _where(row: dict, kosovo_star: bool) -> str:
    where = [country_name(c, kosovo_star) for c in row.get("countries") or []]
    where += [PLACE_NAMES.get(p, p) for p in row.get("places") or []]
    return ", ".join(where)


def _development(row: dict, kosovo_star: bool) -> str:
    status = row.get("display_status") or ""
    when = date_label(row.get("date_start"), row.get("date_end"), row.get("date_precision"))
    meta = [f'<span class="when">{esc(when)}</span>',
            f'<span class="status status-{esc(status)}">{esc(status_label(status))}</span>',
            _verification_badge(row.get("verification"))]
    where = _where(row, kosovo_star)
    if where:
        meta.append(esc(where))
    if row.get("category"):
        meta.append(esc(row["category"]))
    parts = [f'<div class="item-title">{esc(row.get("title"))}</div>',
             f'<div class="item-meta">{" · ".join(meta)}</div>']
    if row.get("summary"):
        parts.append(f'<p class="summary">{esc(row["summary"])}</p>')
    if row.get("source_url") or row.get("source_name"):
        url = row.get("source_url")
        shown = f' <span class="url">{esc(url)}</span>' if safe_href(url) and row.get("source_name") else ""
        parts.append(f'<div class="source">Source: {_link(url, row.get("source_name") or url)}{shown}</div>')
    return "<li>" + "".join(parts) + "</li>"


def _more(shown: int, total: int, what: str) -> str:
    if total <= shown:
        return ""
    return f'<p class="more">… and {total - shown} more {what} in this filter (not listed here; use the export).</p>'


def _section(section_id: str, heading: str, items: list, empty: str, body, total: int, what: str) -> str:
    """A briefing section: its heading, then ``body()`` and a line on what was left out, or ``empty``."""
    head = f'<section id="{section_id}"><h2>{heading}</h2>'
    if not items:
        return f'{head}<p class="note">{empty}</p></section>'
    return head + "".join(body()) + _more(len(items), total, what) + "</section>"


def _development_sources(row: dict) -> str:
    n = row.get("n_events") or 1
    if n <= 1:
        return ""
    sources = row.get("n_sources") or 1
    return f'<div class="note">{n} reports, {_plural(int(sources), "independent source")}</div>'


def _developments_section(c: BriefingContent) -> str:
    def body() -> list[str]:
        items = [_development(r, c.display.kosovo_star).replace("</li>", _development_sources(r) + "</li>")
                 for r in c.developments]
        return [f'<p class="note lead">Most significant first ({len(c.developments)} of {c.n_developments}): '
                "analyst-flagged key developments, then by independent sources, fatalities and verification; "
                "reports of one development are counted once. Dates are given at the precision the source "
                "allows (a month, quarter or year when that is all it says).</p>",
                '<ol class="developments">', *items, "</ol>"]

    return _section("developments", "Key developments", c.developments, "No developments match this filter.",
                    body, c.n_developments, "developments")


ARROW_MARKS = {"deteriorated": "▲", "improved": "▼", "unchanged": "►", "too little data": "·"}


def _summary_section(c: BriefingContent) -> str:
    """The executive summary: the arrows and their sentences, the analysts' judgements beside them."""
    head = '<section id="summary"><h2>Executive summary</h2>'
    if not c.summary_month:
        return head + '<p class="note">No dated development in this filter: no month to summarise.</p></section>'
    from dashboard.indicator import month_name

    judged = [r for r in c.summary if r["arrow"] != "too little data"]
    counts = {a: sum(r["arrow"] == a for r in judged) for a in ("deteriorated", "improved", "unchanged")}
    lead = (f"{month_name(c.summary_month)} against the month before: "
            + ", ".join(f"{n} {a}" for a, n in counts.items() if n) if judged
            else f"{month_name(c.summary_month)}: too few developments in any unit for a trend")
    rows = []
    for r in c.summary:
        mark = ARROW_MARKS.get(r["arrow"], "")
        unit = f'<span class="sub">↳ {esc(r["unit"])}</span>' if r["sub"] else f'<b>{esc(r["unit"])}</b>'
        analyst = r.get("analyst")
        judgement = (f'{ARROW_MARKS.get(analyst["arrow"], "")} {esc(analyst["arrow"])} '
                     f'<span class="note">({esc(analyst["editor"])}): {esc(analyst["reason"])}</span>'
                     if analyst else "")
        rows.append(f'<tr class="arrow-{esc(r["arrow"]).replace(" ", "-")}"><td>{unit}</td>'
                    f'<td class="nowrap">{mark} {esc(r["arrow"])}</td><td>{esc(r["sentence"])}</td>'
                    f"<td>{judgement}</td></tr>")
    return (head + f'<p class="lead">{esc(lead)}.</p>'
            '<table class="summary"><thead><tr><th>Unit</th><th>Computed</th><th>Why</th>'
            "<th>Analyst's judgement</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            '<p class="note">Computed by the stability indicator\'s written rules (developments by category, '
            "fatalities, events targeting civilians, spread, actors, overdue items; GDELT is kept apart). "
            "A count of what the store holds, not of everything that happened.</p></section>")


def _expected_row(r: dict, kosovo_star: bool) -> str:
    deadline = r["date_end"].isoformat() if r.get("date_end") else "no deadline"
    written = r.get("date_text") or date_label(r.get("date_start"), r.get("date_end"), r.get("date_precision"))
    first = r.get("first_deadline")
    extra = ""
    if first and r.get("date_end") and first != r["date_end"]:
        extra = f'<div class="note">first announced for {esc(first.isoformat())}</div>'
    outcome = ""
    if r.get("outcome_event_id"):
        when = r["outcome_date"].isoformat() if r.get("outcome_date") else "undated"
        outcome = f'<div class="note">Outcome: {esc(r.get("outcome_title"))} ({esc(when)})</div>'
    state = r.get("state") or ""
    countries = ", ".join(country_name(x, kosovo_star) for x in r.get("countries") or [])
    return (
        f'<tr><td class="deadline"><span class="nowrap">{esc(deadline)}</span><div class="note">{esc(written)}</div>{extra}</td>'
        f'<td><div class="item-title">{esc(r.get("title"))}</div>{outcome}'
        f'<div class="source">{_verification_badge(r.get("verification"))}'
        + (f' · {_link(r.get("source_url"), r.get("source_name") or r.get("source_url"))}'
           if r.get("source_url") or r.get("source_name") else "")
        + f'</div></td><td class="state-{esc(state)}">{esc(state)}{_state_help(state)}</td>'
        f"<td>{esc(countries) or '–'}</td></tr>"
    )


def _expected_section(c: BriefingContent) -> str:
    def body() -> list[str]:
        return ['<p class="note lead">Announced deals, deadlines and promised steps, soonest deadline first.</p>',
                '<table class="expected"><thead><tr><th>Deadline</th><th>Development</th><th>State</th>'
                "<th>Where</th></tr></thead><tbody>", *(_expected_row(r, c.display.kosovo_star) for r in c.expected),
                "</tbody></table>"]

    return _section("expected", "Expected developments", c.expected,
                    "No expected or announced developments match this filter.", body, c.n_expected,
                    "expected developments")


def _article_row(r: dict) -> str:
    published = r["published"].isoformat() if r.get("published") else "undated"
    url = r.get("url")
    url_line = f'<div class="source url">{esc(url)}</div>' if url else ""
    return (f"<tr><td>{_link(url, r.get('title') or url)}{url_line}</td>"
            f"<td>{esc(r.get('outlet')) or 'unknown'}</td><td class=\"nowrap\">{esc(published)}</td></tr>")


def _articles_section(c: BriefingContent) -> str:
    def body() -> list[str]:
        return [f'<p class="note lead">Newest first; {len(c.articles)} of {c.n_articles}. '
                "Articles whose publication date is unknown are marked undated.</p>",
                "<table><thead><tr><th>Title</th><th>Outlet</th><th>Date</th></tr></thead><tbody>",
                *(_article_row(r) for r in c.articles), "</tbody></table>"]

    return _section("articles", "Articles", c.articles, "No articles match this filter.", body, c.n_articles,
                    "articles")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _header(c: BriefingContent) -> str:
    generated = c.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<header><h1 id="title">{esc(c.title)}</h1>'
        f'<p class="meta"><b>Filter:</b> <span id="filter">{esc(c.filter_text)}</span></p>'
        f'<p class="meta"><b>Generated:</b> <time datetime="{esc(c.generated_at.isoformat())}">{esc(generated)}'
        "</time> · Balkan Watch (offline store)</p>"
        + "".join(f'<p class="meta credit">{esc(line)}</p>' for line in c.credits)
        + "</header>"
    )


def _glance(c: BriefingContent) -> str:
    """The numbers a reader wants first: what happened, how sure, where, what is due."""
    rows: list[tuple[str, str]] = []
    order = ("occurred", "ongoing", "statement", "expected", OVERDUE)
    parts = [f"{c.status_counts[k]} {STATUS_SHORT[k] if k != 'statement' else 'statements'}"
             for k in order if c.status_counts.get(k)]
    text = f"<b>{c.n_events}</b> in the filter" + (": " + ", ".join(esc(p) for p in parts) if parts else "")
    if c.n_events > len(c.events):
        text += f" (counts of the newest {len(c.events)})"
    rows.append(("Developments", text))
    n_analyst = int((c.events["verification"] == "analyst").sum()) if len(c.events) else 0
    if len(c.events):
        machine = (f'<span class="badge machine">{c.n_machine} machine-extracted, not verified</span>'
                   if c.n_machine else "none machine-extracted")
        rows.append(("Verification", f"{n_analyst} analyst-verified; {machine}"))
        dated = c.events[c.events["date_start"].notna()]
        if len(dated):
            first, last = min(dated["date_start"]), max(dated["date_end"].fillna(dated["date_start"]))
            span = f"{esc(first.isoformat())} to {esc(last.isoformat())}"
        else:
            span = "no dated development"
        if c.n_undated_events:
            span += f" ({_plural(c.n_undated_events, 'undated development')})"
        rows.append(("Dates covered", span))
    if c.top_regions:
        rows.append(("Most developments", " · ".join(f"{esc(name)} <b>{n}</b>" for name, n in c.top_regions[:6])))
    if c.n_expected:
        states = ", ".join(f"{n} {esc(state)}" for state, n in sorted(c.state_counts.items(), key=lambda kv: -kv[1]))
        upcoming = [r for r in c.expected if r.get("state") in ("announced", "slipped") and r.get("date_end")]
        text = f"<b>{c.n_expected}</b> tracked: {states}"
        if upcoming:
            nxt = upcoming[0]
            text += f". Next deadline {esc(nxt['date_end'].isoformat())}: {esc(nxt.get('title'))}"
        rows.append(("Expected", text))
    else:
        rows.append(("Expected", "none in the filter"))
    undated = c.n_articles - c.n_dated_articles
    rows.append(("Articles", f"<b>{c.n_articles}</b>" + (f" ({undated} undated)" if undated else "")))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<section id="glance"><h2>At a glance</h2><table class="glance"><tbody>{body}</tbody></table></section>'


def _chart_section(section_id: str, heading: str, chart: str, notes: list[str]) -> str:
    body = "".join(f'<p class="note">{n}</p>' for n in notes)
    return f'<section id="{section_id}"><h2>{heading}</h2><div class="chart">{chart}</div>{body}</section>'


def _map_notes(measure: str) -> list[str]:
    what = charts.MEASURES.get(measure, measure).lower()
    return [esc(f"Regions coloured by the number of {what} in the filter; one marker per located event "
                "(outlined regions are the ones the filter names)."), esc(charts.MAP_NOTE)]


def _timeline_notes(c: BriefingContent) -> list[str]:
    notes = [esc(charts.TIMELINE_NOTE)]
    if c.n_undated_events:
        notes.append(f"{c.n_undated_events} undated development(s) are not on the axis; they are listed below.")
    return notes


def render(c: BriefingContent, map_chart: str, timeline_chart: str | None, *, measure: str = "developments",
           head: str = "", static: bool = False) -> str:
    """The whole document around two ready chart fragments (plotly divs, or ``<img>`` tags)."""
    csp = CSP_STATIC if static else CSP_INTERACTIVE
    if timeline_chart is None:
        timeline_chart = '<p class="note">No dated developments in this filter.</p>'
    footer = ["Machine-extracted items were found by software and have not been checked by an analyst; "
              "analyst-verified items were curated or checked by a person. Overdue is derived: an expected "
              "development whose deadline has passed."]
    if c.kosovo_star:
        footer.append(esc(KOSOVO_FOOTNOTE))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(c.title)} — {esc(c.filter_text)}</title>"
        f'<meta name="generator" content="Balkan Watch briefing"><style>{CSS}</style>{head}</head><body>'
        + _header(c)
        + _summary_section(c)
        + _glance(c)
        + _chart_section("map", "Map", map_chart, _map_notes(measure))
        + _chart_section("timeline", "Timeline", timeline_chart, _timeline_notes(c))
        + _developments_section(c)
        + _expected_section(c)
        + _articles_section(c)
        + "<footer>" + "".join(f"<p>{p}</p>" for p in footer) + "</footer></body></html>"
    )


def _has_dated(events: pd.DataFrame) -> bool:
    return bool(len(events)) and bool(events["date_start"].notna().any())


def _figures(engine: Engine, filters: Filters, c: BriefingContent, *, level: str, measure: str, lane: str,
             today: date | None, map_height: int = charts.MAP_HEIGHT) -> tuple[go.Figure, go.Figure | None]:
    map_fig = charts.map_figure(engine, filters, level=level, measure=measure, display=c.display,
                                 today=today, height=map_height)
    timeline_fig = None
    if _has_dated(c.events):
        timeline_fig = charts.timeline_figure(engine, filters, lane=lane, display=c.display, events=c.events)
        timeline_fig.update_layout(height=charts.static_timeline_height(timeline_fig))
    return map_fig, timeline_fig


# --- the two builders ---------------------------------------------------------------------------

def build_briefing_html(engine: Engine, filters: Filters, *, title: str | None = None,
                        generated_at: datetime | None = None, display: Display = DEFAULT_DISPLAY, level: str = "country",
                        measure: str = "developments", lane: str = "country", today: date | None = None,
                        progress: Progress | None = None) -> str:
    """One self-contained interactive HTML briefing (plotly.js inline, no CDN) for ``filters``."""
    from plotly.offline import get_plotlyjs

    _report(progress, 0.0, "Reading the filtered data")
    c = collect(engine, filters, title=title, generated_at=generated_at, display=display, today=today)
    _report(progress, 0.3, "Building the map and the timeline")
    map_fig, timeline_fig = _figures(engine, filters, c, level=level, measure=measure, lane=lane, today=today,
                                     map_height=INTERACTIVE_MAP_HEIGHT)
    _report(progress, 0.6, "Embedding the charts")
    map_html = map_fig.to_html(full_html=False, include_plotlyjs=False, div_id="briefing-map",
                               config=PLOTLY_CONFIG, default_width="100%")
    timeline_html = None
    if timeline_fig is not None:
        timeline_html = timeline_fig.to_html(full_html=False, include_plotlyjs=False, div_id="briefing-timeline",
                                             config=PLOTLY_CONFIG, default_width="100%")
    head = WORKER_SHIM + f'<script type="text/javascript">{get_plotlyjs()}</script>'
    _report(progress, 0.85, "Writing the document")
    out = render(c, map_html, timeline_html, measure=measure, head=head)
    _report(progress, 1.0, "Briefing ready")
    return out


def _img(png: bytes, alt: str, element_id: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img id="{element_id}" alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def build_briefing_static_html(engine: Engine, filters: Filters, *, title: str | None = None,
                               generated_at: datetime | None = None, display: Display = DEFAULT_DISPLAY,
                               level: str = "country", measure: str = "developments", lane: str = "country",
                               today: date | None = None, progress: Progress | None = None) -> str:
    """The briefing with the map and timeline as PNG images (kaleido), no script: the PDF's source."""
    from dashboard.briefing import static

    _report(progress, 0.0, "Reading the filtered data")
    c = collect(engine, filters, title=title, generated_at=generated_at, display=display, today=today)
    _report(progress, 0.1, "Building the map and the timeline")
    map_fig, timeline_fig = _figures(engine, filters, c, level=level, measure=measure, lane=lane, today=today)
    _report(progress, 0.15, "Drawing the map (starting the renderer the first time)")
    width = charts.STATIC_WIDTH
    map_png = static.figure_to_png(map_fig, width=width, height=charts.MAP_HEIGHT)
    timeline_img = None
    if timeline_fig is not None:
        _report(progress, 0.5, "Drawing the timeline")
        timeline_img = _img(static.figure_to_png(timeline_fig, width=width, height=timeline_fig.layout.height),
                            "Timeline of the developments",
                            "timeline-image")
    _report(progress, 0.65, "Writing the document")
    return render(c, _img(map_png, "Map of the region", "map-image"), timeline_img, measure=measure, static=True)


def build_briefing_pdf(engine: Engine, filters: Filters, *, title: str | None = None,
                       generated_at: datetime | None = None, display: Display = DEFAULT_DISPLAY, level: str = "country",
                       measure: str = "developments", lane: str = "country", today: date | None = None,
                       progress: Progress | None = None) -> bytes:
    """The briefing as PDF bytes (A4): the static HTML printed by headless Chromium."""
    from dashboard.briefing import static

    def scaled(fraction: float, message: str) -> None:
        _report(progress, fraction * 0.7, message)

    doc = build_briefing_static_html(engine, filters, title=title, generated_at=generated_at,
                                     display=display, level=level, measure=measure, lane=lane,
                                     today=today, progress=scaled if progress else None)
    _report(progress, 0.75, "Printing the PDF")
    pdf = static.html_to_pdf(doc)
    _report(progress, 1.0, "Briefing ready")
    return pdf
