"""Polling RSS/Atom feeds an analyst configured: conditional requests, timeouts, a per-host delay.

Nothing here runs unless feeds are configured (``DASHBOARD_FEEDS``, ``[feeds] urls`` in
``.streamlit/secrets.toml``, or URLs given to ``python -m dashboard watch``): the dashboard stays
offline by default. Each poll sends the ETag and Last-Modified it was given last time, so an
unchanged feed costs one 304; an item that carries only a summary gets its page fetched and its
text extracted (trafilatura); new items go through the normal ingest (cleaning, tagging, the
same-URL and same-text checks), so polling again never stores an item twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine

from dashboard.ingest.pipeline import IngestReport, ingest_items
from dashboard.ingest.problems import RecordError
from dashboard.ingest.readers import read_feed, read_html
from dashboard.store.feeds import feed_state, record_poll

USER_AGENT = "BalkanWatch/0.1 (feed reader for analysts; polite: conditional requests, one host at a time)"
#: An item whose feed text is shorter than this many words is taken for a summary: its page is fetched.
SUMMARY_WORDS = 120
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class PollResult:
    """One feed's poll: what came back and what was stored."""

    url: str
    status: str  # "new items", "unchanged" (304 or nothing new), "error"
    added: int = 0
    error: str | None = None
    report: IngestReport = field(default_factory=IngestReport)

    def line(self) -> str:
        if self.error:
            return f"{self.url}: {self.error}"
        return f"{self.url}: {self.added} new item(s)" + (" (not modified)" if self.status == "unchanged" else "")


class _Polite:
    """Waits so that one host gets at most one request every ``delay`` seconds."""

    def __init__(self, delay: float):
        self.delay = delay
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        earlier = self.last.get(host)
        if earlier is not None:
            pause = self.delay - (time.monotonic() - earlier)
            if pause > 0:
                time.sleep(pause)
        self.last[host] = time.monotonic()


def _get(client: httpx.Client, polite: _Polite, url: str, headers: dict | None = None) -> httpx.Response:
    polite.wait(url)
    response = client.get(url, headers=headers or {})
    if len(response.content) > MAX_BYTES:
        raise RecordError(f"the answer is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return response


def _error(exc: Exception, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(exc, httpx.HTTPError):
        return f"cannot be fetched ({exc.__class__.__name__}: {exc})"
    return str(exc)


def poll_feed(engine: Engine, url: str, *, client: httpx.Client, polite: _Polite, timeout: float) -> PollResult:
    """Poll one feed and ingest what is new; the feed's status is stored whatever happens."""
    with engine.connect() as conn:
        state = feed_state(conn, url) or {}
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        response = _get(client, polite, url, headers)
        if response.status_code == 304:
            result = PollResult(url, "unchanged")
        elif response.status_code != 200:
            raise RecordError(f"the server answered {response.status_code} {response.reason_phrase}")
        else:
            items = list(read_feed(response.content))
            if items and isinstance(items[0][1], RecordError) and items[0][0] is None:
                raise items[0][1]
            items = [(line, _full_text(item, client, polite)) for line, item in items]
            report = ingest_items(engine, items, url, "item")
            result = PollResult(url, "new items" if report.articles_created else "unchanged",
                                added=report.articles_created, report=report)
            with engine.begin() as conn:
                record_poll(conn, url, title=next((i.get("outlet") for _l, i in items if isinstance(i, dict)), None),
                            etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                            added=result.added)
            return result
    except (httpx.HTTPError, RecordError) as exc:
        result = PollResult(url, "error", error=_error(exc, timeout))
        with engine.begin() as conn:
            record_poll(conn, url, error=result.error)
        return result
    with engine.begin() as conn:
        record_poll(conn, url)
    return result


def _full_text(item, client: httpx.Client, polite: _Polite):
    """The item with its page's text when the feed gave only a summary (kept as it is if the page fails)."""
    if not isinstance(item, dict) or not item.get("url") or len((item.get("body") or "").split()) >= SUMMARY_WORDS:
        return item
    try:
        response = _get(client, polite, item["url"])
    except (httpx.HTTPError, RecordError):
        return item
    if response.status_code != 200:
        return item
    for _line, page in read_html(response.content):
        if isinstance(page, dict) and len((page.get("body") or "").split()) > len((item.get("body") or "").split()):
            return {**item, "body": page["body"]}
    return item


def poll_all(engine: Engine, urls: Iterable[str], *, timeout: float = 20.0, host_delay: float = 2.0,
             on_result: Callable[[PollResult], None] | None = None) -> list[PollResult]:
    """Poll each feed once, one request per host at a time."""
    polite = _Polite(host_delay)
    results = []
    with httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}) as client:
        for url in urls:
            result = poll_feed(engine, url, client=client, polite=polite, timeout=timeout)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def watch(engine: Engine, urls: list[str], *, every_minutes: float, rounds: int | None = None,
          timeout: float = 20.0, host_delay: float = 2.0,
          on_result: Callable[[PollResult], None] | None = None) -> None:
    """Poll the feeds every ``every_minutes`` (``rounds`` times, or until stopped)."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        poll_all(engine, urls, timeout=timeout, host_delay=host_delay, on_result=on_result)
        done += 1
        if rounds is not None and done >= rounds:
            return
        time.sleep(max(0.0, every_minutes * 60 - (time.monotonic() - started)))
