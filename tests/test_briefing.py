"""Briefings: the self-contained HTML opens offline and draws its charts; the PDF shows the map and the
timeline as pictures, not just headings; stored markup stays text everywhere."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import select, update

from dashboard import charts as bfig
from dashboard.briefing import build_briefing_html, build_briefing_pdf, document, figure_to_pdf, figure_to_png
from dashboard.figures import colour_for
from dashboard.filters import Filters
from dashboard.store import open_engine, queries
from dashboard.store import schema as s
from dashboard.store.developments import refresh
from dashboard.vocab import status_label

F = Filters(countries=("BA", "XK"), date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
TITLE = "Balkans brief & test"
WHEN = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
HOSTILE_EVENT = '<img src="https://evil.example/x.png" onerror="window.__pwned=1"><script>window.__pwned=2</script> Bad'
HOSTILE_ARTICLE = "<b>Bold</b> <script>window.__pwned=3</script> article"
LOCAL_SCHEMES = ("file", "data", "blob", "about")


@pytest.fixture(scope="module")
def brief_engine(sample_db_url, tmp_path_factory):
    """A copy of the sample store where one event and the article carry markup in their titles."""
    src = Path(sample_db_url.removeprefix("sqlite:///"))
    eng = open_engine(sample_db_url)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    dst = tmp_path_factory.mktemp("briefing") / "brief.db"
    shutil.copy(src, dst)
    eng = open_engine(f"sqlite:///{dst}")
    events = queries.load_events(eng, F)
    alone = events[events["development_id"].map(events["development_id"].value_counts()) == 1]  # one report each
    hostile_id, machine_id = alone["id"].iloc[1], alone["id"].iloc[2]
    with eng.begin() as conn:
        conn.execute(update(s.events).where(s.events.c.id == machine_id).values(verification="machine"))
        conn.execute(update(s.events).where(s.events.c.id == hostile_id)
                     .values(title=HOSTILE_EVENT, source_url="javascript:alert(1)"))
        # what the store shows of their developments follows (the machine report no longer leads)
        refresh(conn, conn.execute(select(s.events.c.development_id)
                                   .where(s.events.c.id.in_([machine_id, hostile_id]))).scalars().all())
        article_id = conn.execute(select(s.articles.c.id).order_by(s.articles.c.id)).scalars().first()
        conn.execute(update(s.articles).where(s.articles.c.id == article_id).values(title=HOSTILE_ARTICLE))
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def known_title(brief_engine) -> str:
    return queries.load_events(brief_engine, F)["title"].iloc[0]


@pytest.fixture(scope="module")
def brief_html(brief_engine) -> str:
    return build_briefing_html(brief_engine, F, title=TITLE, generated_at=WHEN)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _without_scripts(h: str) -> str:
    """The document minus inline scripts (plotly.js itself mentions CDNs and links it never uses here)."""
    return re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", h, flags=re.S)


# --- HTML, no browser ---------------------------------------------------------------------------

def test_html_is_self_contained_and_says_what_it_shows(brief_html, brief_engine, known_title):
    h = brief_html
    assert h.startswith("<!DOCTYPE html>")
    assert "Balkans brief &amp; test" in h
    assert "Bosnia and Herzegovina, Kosovo; 2023-01-01 to 2023-12-31" in h
    assert "2024-03-05 09:30 UTC" in h
    for heading in ("<h2>At a glance</h2>", "<h2>Map</h2>", "<h2>Timeline</h2>", "<h2>Key developments</h2>",
                    "<h2>Expected developments</h2>", "<h2>Articles</h2>"):
        assert heading in h
    assert document.esc(known_title) in h
    # Offline: plotly.js inline, no external script, stylesheet, image or font.
    assert "Plotly" in h and 'id="briefing-map"' in h and 'id="briefing-timeline"' in h
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", _without_scripts(h), re.I)
    assert "cdn.plot.ly" not in _without_scripts(h)
    assert "Content-Security-Policy" in h and "default-src 'none'" in h
    # Verification is never upgraded; undated articles say so; the overdue item is derived.
    n_machine = int((queries.load_events(brief_engine, F)["verification"] == "machine").sum())
    assert n_machine and h.count("Machine-extracted, not verified") >= n_machine
    assert "undated" in h and html.escape(status_label("overdue")) in h


def test_stored_markup_is_escaped_and_links_are_http_only(brief_html):
    h = brief_html
    assert HOSTILE_EVENT not in h and "<script>window.__pwned" not in h
    assert "&lt;img src=&quot;https://evil.example/x.png&quot;" in h
    assert "&lt;b&gt;Bold&lt;/b&gt;" in h
    hrefs = re.findall(r'href="([^"]*)"', _without_scripts(h))
    assert hrefs and all(u.startswith(("http://", "https://")) for u in hrefs)


def test_lists_are_capped_with_a_count_and_progress_is_reported(brief_engine, monkeypatch):
    monkeypatch.setattr(document, "MAX_DEVELOPMENTS", 3)
    seen: list[tuple[float, str]] = []
    h = build_briefing_html(brief_engine, F, progress=lambda f, msg: seen.append((f, msg)))
    # developments, not events: the reports of one development are listed once
    n = queries.load_events(brief_engine, F)["development_id"].nunique()
    assert f"and {n - 3} more developments" in h
    assert h.count('<li><div class="item-title">') == 3
    assert document.DEFAULT_TITLE in h
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(msg, str) and msg for _, msg in seen)


def test_empty_filter_still_makes_a_document(brief_engine):
    h = build_briefing_html(brief_engine, Filters(text="zzzznothingmatches"))
    assert "No developments match this filter." in h and "No dated developments in this filter." in h


# --- in a browser and on paper ------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian poppler-utils (apt-get install -y poppler-utils).")
    return path


def _offline_page(browser, outside: list[str]):
    """A new page whose requests off the machine are recorded in ``outside`` and refused."""
    def block(route):
        if urlparse(route.request.url).scheme in LOCAL_SCHEMES:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page = browser.new_page(viewport={"width": 1200, "height": 1500})
    page.route("**/*", block)
    return page


@pytest.mark.browser
def test_html_opens_offline_in_chromium_and_draws_both_charts(brief_html, tmp_path, artifacts, browser):
    path = tmp_path / "briefing.html"
    path.write_text(brief_html, encoding="utf-8")
    outside: list[str] = []
    # One shared Chromium per test session (tests/conftest.py).
    try:
        page = _offline_page(browser, outside)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("#briefing-map.js-plotly-plot .main-svg", timeout=30_000)
        page.wait_for_selector("#briefing-map canvas.maplibregl-canvas", timeout=30_000)
        page.wait_for_selector("#briefing-timeline.js-plotly-plot .main-svg .scatterlayer .point",
                               timeout=30_000)
        # MapLibre has drawn its sources: from a file: URL this needs the worker shim.
        page.wait_for_function(
            "() => { const gd = document.getElementById('briefing-map');"
            " const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;"
            " return m && m.loaded(); }", timeout=30_000)
        ids = page.evaluate("() => document.getElementById('briefing-map').data.flatMap(t => t.locations || [])")
        assert {"BA", "XK"} <= set(ids)
        points = page.locator("#briefing-timeline .scatterlayer .point").count()
        assert points >= 10
        assert page.evaluate("() => window.__pwned") is None
        assert HOSTILE_EVENT[:40] in page.inner_text("#developments")
        assert "<b>Bold</b>" in page.inner_text("#articles")
        page.screenshot(path=str(artifacts / "briefing-html.png"))
        shot = page.locator("#briefing-map").screenshot()
    finally:
        page.close()
    assert not outside, f"the briefing tried to reach the network: {outside}"
    assert not errors, errors
    from PIL import Image

    img = Image.open(io.BytesIO(shot)).convert("RGB")
    assert _dark_blue(img) > 500, "the interactive map drew no choropleth"


def _dark_blue(img) -> int:
    """Pixels of the choropleth's top colours (#08306b side of the scale)."""
    return sum(1 for r, g, b in _pixels(img) if r < 70 and g < 110 and b > 100 and b - r > 50)


def _pixels(img) -> list[tuple[int, int, int]]:
    getter = getattr(img, "get_flattened_data", None) or img.getdata
    return list(getter())


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    out = subprocess.run([_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(m.group(3), float(m.group(1)), float(m.group(2)))
            for m in re.finditer(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>', out)]


def _region(pdf: Path, n_pages: int, heading: str, end_word: str) -> tuple[int, float, float]:
    """(page, top, bottom) in points of the picture under ``heading``, down to ``end_word`` or the page end."""
    for page in range(1, n_pages + 1):
        words = _words(pdf, page)
        for i, (word, _, y_max) in enumerate(words):
            if word == heading:
                after = [y0 for w, y0, _ in words[i + 1:] if w == end_word]
                return page, y_max + 4, (after[0] - 4) if after else 842.0
    raise AssertionError(f"no {heading!r} heading in the PDF")


def _crop(pdf: Path, tmp: Path, page: int, top: float, bottom: float):
    from PIL import Image

    prefix = tmp / f"p{page}"
    subprocess.run([_tool("pdftoppm"), "-r", "72", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=60)
    img = Image.open(f"{prefix}.png").convert("RGB")
    return img.crop((0, int(top), img.width, int(bottom)))


@pytest.mark.browser
def test_pdf_shows_title_filter_map_and_timeline(brief_engine, known_title, tmp_path, artifacts):
    seen: list[float] = []
    pdf_bytes = build_briefing_pdf(brief_engine, F, title=TITLE, generated_at=WHEN,
                                   progress=lambda f, _msg: seen.append(f))
    assert pdf_bytes.startswith(b"%PDF")
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(pdf_bytes)
    (artifacts / "briefing.pdf").write_bytes(pdf_bytes)

    text = _squash(subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    for expected in (TITLE, "Bosnia and Herzegovina, Kosovo; 2023-01-01 to 2023-12-31", "2024-03-05 09:30 UTC",
                     "Map", "Timeline", "Key developments", "Expected developments", "Articles",
                     _squash(known_title), "Machine-extracted, not verified", "undated"):
        assert expected in text, expected
    assert '<img src="https://evil.example/x.png"' in text  # shown as text, not as markup
    assert "<b>Bold</b>" in text

    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    n_pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= n_pages <= 12

    # The pictures are on the pages: a choropleth under "Map", markers and bars under "Timeline".
    page, top, bottom = _region(pdf, n_pages, "Map", "Regions")
    assert bottom - top > 150, "the map picture is missing or tiny"
    region = _crop(pdf, tmp_path, page, top, bottom)
    region.save(artifacts / "briefing-pdf-map.png")
    pixels = _pixels(region)
    inked = sum(1 for p in pixels if min(p) < 235) / len(pixels)
    assert inked > 0.3, f"the map area is mostly white ({inked:.0%} inked)"
    assert _dark_blue(region) > 300, "no choropleth blue in the map area"

    page, top, bottom = _region(pdf, n_pages, "Timeline", "●")
    assert bottom - top > 80, "the timeline picture is missing or tiny"
    region = _crop(pdf, tmp_path, page, top, bottom)
    region.save(artifacts / "briefing-pdf-timeline.png")
    pixels = _pixels(region)
    # markers in the colours of Bosnia and Herzegovina's and Kosovo's lanes, and the overdue red
    lanes = {code: _near(pixels, colour_for("country", code)) for code in ("BA", "XK")}
    red = sum(1 for r, g, b in pixels if r > 150 and g < 90 and b < 90)
    inked = sum(1 for p in pixels if min(p) < 235) / len(pixels)
    assert min(lanes.values()) > 100 and red > 10, f"no timeline markers drawn ({lanes}, red {red})"
    assert 0.02 < inked < 0.9, f"the timeline area looks empty or solid ({inked:.0%} inked)"


def _near(pixels, colour: str, tolerance: int = 40) -> int:
    """How many pixels are within ``tolerance`` of the hex ``colour`` on every channel."""
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, want, strict=True)))


@pytest.mark.browser
def test_figure_exports_are_png_and_pdf(brief_engine):
    fig = bfig.timeline_figure(brief_engine, F)
    assert figure_to_png(fig, width=600, height=300, scale=1).startswith(b"\x89PNG")
    assert figure_to_pdf(fig, width=600, height=300).startswith(b"%PDF")


def test_briefing_package_never_imports_streamlit():
    import ast
    import sys

    root = Path(__file__).resolve().parent.parent
    for path in (root / "dashboard" / "briefing").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "streamlit" not in names, path.name
    code = "import sys, dashboard.briefing, dashboard.charts; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"


def test_brief_command_passes_the_display_options(brief_engine, tmp_path):
    from dashboard.__main__ import main

    out = tmp_path / "brief.html"
    url = brief_engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "brief", "--kosovo-star", "--countries", "XK", "-o", str(out)]) == 0
    h = out.read_text(encoding="utf-8")
    assert "Kosovo*" in h and "without prejudice to positions on status" in h


def test_presentation_mode_enlarges_the_briefing_charts(brief_engine):
    from dashboard.filters import Display

    normal = document.collect(brief_engine, F)
    big = document.collect(brief_engine, F, display=Display(present=True))
    small_map, small_timeline = document._figures(brief_engine, F, normal, level="country", measure="events",
                                                  lane="country", today=None)
    big_map, big_timeline = document._figures(brief_engine, F, big, level="country", measure="events",
                                              lane="country", today=None)
    assert (small_map.layout.font.size, small_timeline.layout.font.size) == (14, 14)
    assert (big_map.layout.font.size, big_timeline.layout.font.size) == (20, 20)


def test_the_briefing_opens_with_the_summary_and_can_leave_out_machine_items(brief_engine):
    from dashboard.store.judgements import set_judgement

    set_judgement(brief_engine, "XK", "2023-12", "unchanged", "Quiet month after the Banjska attack.", "Ana")
    h = build_briefing_html(brief_engine, F)
    summary, glance = h.index('id="summary"'), h.index('id="glance"')
    assert summary < glance < h.index('id="map"')  # the executive summary first
    part = h[summary:glance]
    assert "December 2023" in part and "trend.." not in part  # the filter's "To" month
    assert "Bosnia and Herzegovina" in part and "Republika Srpska" in part and "North Kosovo" in part
    assert "Quiet month after the Banjska attack." in part and "(Ana)" in part
    # the fixture made one BA/XK 2023 event machine-extracted: listed with, gone without
    events = queries.load_events(brief_engine, F)
    machine = events[events["verification"] == "machine"].iloc[0]
    title = html.escape(machine["title"], quote=True)
    assert title in h
    without = build_briefing_html(brief_engine, F.without_machine())
    assert title not in without and "machine-extracted items left out" in without


HOSTILE_SUMMARY = ('![pixel](https://evil.example/m.png) [click](javascript:alert(1)) :red[coloured] '
                   '<a href="javascript:alert(2)">a</a> <svg onload="window.__pwned=4"></svg> '
                   '<iframe src="https://evil.example/f"></iframe> end')
HOSTILE_OUTLET = '<script>window.__pwned=5</script><img src=x onerror="window.__pwned=6">'

@pytest.fixture(scope="module")
def hostile_engine(brief_engine, tmp_path_factory):
    """A copy of the briefing store where a shown development's summary and every article's outlet are hostile."""
    src = Path(brief_engine.url.database)
    with brief_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dst = tmp_path_factory.mktemp("hostile-briefing") / "hostile.db"
    shutil.copy(src, dst)
    eng = open_engine(f"sqlite:///{dst}")
    events = queries.load_events(eng, F)
    key = events[events["verification"] != "machine"].iloc[0]  # a shown development's report
    with eng.begin() as conn:
        conn.execute(update(s.events).where(s.events.c.id == key["id"]).values(summary=HOSTILE_SUMMARY))
        refresh(conn, [key["development_id"]])
        conn.execute(update(s.articles).values(outlet=HOSTILE_OUTLET))
    yield eng
    eng.dispose()


def test_hostile_summaries_and_outlets_stay_text_in_the_html_and_the_pdf(hostile_engine, tmp_path):
    """Markdown images off-host, javascript: links (Markdown and HTML), event handlers, Streamlit colour
    syntax, iframes: in an event's summary and an article's outlet, shown as text in both documents."""
    eng = hostile_engine
    h = build_briefing_html(eng, F, title=TITLE, generated_at=WHEN)
    body = _without_scripts(h)
    assert html.escape(HOSTILE_SUMMARY) in h or html.escape(HOSTILE_SUMMARY, quote=False) in h, \
        "the summary is not in the document as text"
    assert html.escape(HOSTILE_OUTLET) in h or html.escape(HOSTILE_OUTLET, quote=False) in h
    # nothing of them became markup: no image, frame, svg, handler or javascript: address
    assert not re.search(r"<(img|iframe|svg|a\s+href=\"javascript)", body, re.I)
    assert "onload=\"window" not in body and "onerror=\"window" not in body
    assert "<script>window.__pwned" not in h
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert all(u.startswith(("http://", "https://")) for u in hrefs)

    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(build_briefing_pdf(eng, F, title=TITLE, generated_at=WHEN))
    text = _squash(subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    assert "![pixel](https://evil.example/m.png)" in text and ":red[coloured]" in text  # as typed
    assert '<svg onload="window.__pwned=4">' in text and "<script>window.__pwned=5</script>" in text


@pytest.mark.browser
def test_hostile_summaries_run_nothing_and_fetch_nothing_in_chromium(hostile_engine, tmp_path, browser):
    path = tmp_path / "hostile.html"
    path.write_text(build_briefing_html(hostile_engine, F, title=TITLE, generated_at=WHEN), encoding="utf-8")
    outside: list[str] = []
    page = _offline_page(browser, outside)
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("#briefing-timeline.js-plotly-plot .main-svg", timeout=30_000)
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None
        assert "![pixel](https://evil.example/m.png)" in page.inner_text("#developments")
        assert page.locator("#developments img, #developments iframe, #articles img, #articles svg").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        assert not outside, outside
    finally:
        page.close()
