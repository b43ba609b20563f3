"""``watch`` against a local HTTP server (127.0.0.1 only): a feed that changes between polls, one
that answers 304 to its ETag, one that times out, one that serves garbage, and a summary-only
item whose page is fetched. Every feed and page here is synthetic test data, not news."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.__main__ import main
from dashboard.filters import Filters
from dashboard.ingest.feeds import poll_all
from dashboard.store import queries
from dashboard.store.feeds import list_feeds


def _long(n: int) -> str:
    """A body of about 300 words, different for each item."""
    return " ".join([f"This synthetic test sentence number {n} about Tuzla fills the page as an article does."] * 20)


def _item(n: int, body: str) -> str:
    return (f"<item><title>Synthetic feed item {n} about Tuzla (test data)</title>"
            f"<link>{{base}}/page/{n}.html</link><pubDate>Tue, 0{n} Apr 2024 10:00:00 GMT</pubDate>"
            f"<description>{body}</description></item>")


def _feed(*items: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Synthetic Test Feed</title>" + "".join(items) + "</channel></rss>")


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    seen_headers: dict[str, dict] = {}

    def log_message(self, *args):  # quiet
        pass

    def _send(self, code: int, body: str = "", headers: dict | None = None, ctype: str = "application/rss+xml"):
        data = body.replace("{base}", f"http://127.0.0.1:{self.server.server_port}").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (http.server's name)
        hits = self.hits[self.path] = self.hits.get(self.path, 0) + 1
        self.seen_headers[self.path] = dict(self.headers)
        if self.path == "/changing.xml":  # one item first, two from the second poll on
            items = [_item(1, _long(1))] + ([_item(2, _long(2))] if hits > 1 else [])
            self._send(200, _feed(*items), {"ETag": f'"v{min(hits, 2)}"'})
        elif self.path == "/etag.xml":
            if self.headers.get("If-None-Match") == '"same"':
                self._send(304)
            else:
                self._send(200, _feed(_item(3, _long(3))), {"ETag": '"same"'})
        elif self.path == "/slow.xml":
            time.sleep(1.5)
            self._send(200, _feed(_item(4, _long(4))))
        elif self.path == "/garbage.xml":
            self._send(200, "\x00\x01 this is not a feed <<<<", ctype="text/plain")
        elif self.path == "/summary.xml":  # the feed carries one line; the page has the article
            self._send(200, _feed(_item(5, "Synthetic one-line summary about Tuzla.")))
        elif self.path == "/page/5.html":
            self._send(200, "<html><head><title>Synthetic page 5 (test data)</title></head><body><article>"
                       f"<h1>Synthetic page 5 (test data)</h1><p>{_long(5)}</p><p>Only the page says Gračanica.</p>"
                       "</article></body></html>", ctype="text/html")
        else:
            self._send(404, "not here", ctype="text/plain")


@pytest.fixture
def server():
    _Handler.hits = {}
    _Handler.seen_headers = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _titles(engine) -> set[str]:
    return set(queries.load_articles(engine, Filters())["title"])


def test_a_changing_feed_adds_only_what_is_new(engine, server):
    url = f"{server}/changing.xml"
    [first] = poll_all(engine, [url], host_delay=0)
    assert (first.added, first.error) == (1, None)
    [second] = poll_all(engine, [url], host_delay=0)
    assert second.added == 1  # item 2; item 1 is stored once
    assert _titles(engine) == {"Synthetic feed item 1 about Tuzla (test data)",
                               "Synthetic feed item 2 about Tuzla (test data)"}
    assert _Handler.seen_headers[url.removeprefix(server)].get("If-None-Match") == '"v1"'  # conditional request
    [third] = poll_all(engine, [url], host_delay=0)
    assert third.added == 0
    [status] = list_feeds(engine)
    assert (status["url"], status["items_added"], status["last_error"], status["etag"]) == (url, 2, None, '"v2"')


def test_not_modified_costs_one_request_and_adds_nothing(engine, server):
    url = f"{server}/etag.xml"
    assert poll_all(engine, [url], host_delay=0)[0].added == 1
    [again] = poll_all(engine, [url], host_delay=0)
    assert (again.status, again.added) == ("unchanged", 0)
    assert _Handler.hits["/etag.xml"] == 2


def test_a_timeout_and_garbage_are_reported_and_stored(engine, server):
    slow, garbage = f"{server}/slow.xml", f"{server}/garbage.xml"
    results = poll_all(engine, [slow, garbage], timeout=0.3, host_delay=0)
    assert "timed out" in results[0].error
    assert "malformed" in results[1].error or "not" in results[1].error
    assert _titles(engine) == set()
    status = {f["url"]: f for f in list_feeds(engine)}
    assert "timed out" in status[slow]["last_error"] and status[garbage]["last_error"]
    assert status[slow]["last_success"] is None


def test_a_summary_only_item_gets_its_page(engine, server):
    [result] = poll_all(engine, [f"{server}/summary.xml"], host_delay=0)
    assert result.added == 1
    [article_id] = result.report.article_ids
    assert "Only the page says Gračanica." in queries.get_article(engine, article_id)["body"]


def test_requests_to_one_host_are_spaced(engine, server):
    started = time.monotonic()
    poll_all(engine, [f"{server}/etag.xml", f"{server}/garbage.xml"], host_delay=0.4)
    assert time.monotonic() - started >= 0.4


def test_watch_command_polls_once(db_url, server, capsys):
    assert main(["--db", db_url, "watch", "--once", "--host-delay", "0", f"{server}/changing.xml"]) == 0
    assert "1 new item(s)" in capsys.readouterr().out
    assert main(["--db", db_url, "watch", "--once", "--timeout", "0.3", "--host-delay", "0",
                 f"{server}/slow.xml"]) == 1
    assert "timed out" in capsys.readouterr().err


def test_nothing_is_fetched_without_configured_feeds(db_url, monkeypatch, capsys):
    monkeypatch.delenv("DASHBOARD_FEEDS", raising=False)
    from pathlib import Path

    monkeypatch.setattr("dashboard.settings.SECRETS_PATH", Path(db_url.removeprefix("sqlite:///") + ".none"))
    assert main(["--db", db_url, "watch", "--once"]) == 2
    assert "No feeds configured" in capsys.readouterr().err


def test_the_add_page_shows_each_feeds_status(db_url, engine, server, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    poll_all(engine, [f"{server}/changing.xml", f"{server}/garbage.xml"], host_delay=0)
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.switch_page("views/add.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d for d in at.dataframe if "items added" in d.value.columns).value
    rows = {r["address"]: r for r in table.to_dict("records")}
    assert rows[f"{server}/changing.xml"]["items added"] == 1 and rows[f"{server}/changing.xml"]["last error"] == ""
    assert rows[f"{server}/garbage.xml"]["last error"]
