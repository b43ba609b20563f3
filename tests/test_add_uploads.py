"""Uploads on the Add page (issue 18): the upload size limit holds for what reaches the server (a file over
it is refused with one sentence and nothing is stored), and an upload's name never becomes a path that is
read or written (``../../x.txt``, absolute names, NUL, line breaks) and is shown escaped, never as markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from dashboard.store import open_engine, queries

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
ARTICLE = ("---\ntitle: Synthetic upload {n}\npublished: 2024-05-06\n---\n"
           "Synthetic test text (not news) number {n}. Officials in Sarajevo discussed the budget.\n")


def _add_page(db_url, monkeypatch, cwd: Path | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
    if cwd is not None:  # (Streamlit reads .streamlit/config.toml from the folder it runs in)
        monkeypatch.chdir(cwd)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/add.py").run()
    assert not at.exception
    return at


def _upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="add.files").set_value([(n, c, "text/plain") for n, c in files])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [b.label for b in at.button if b.label == "Ingest files"], [b.label for b in at.button]
    next(b for b in at.button if b.label == "Ingest files").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def _shown(at: AppTest) -> str:
    """Every text and markdown the page shows after the upload (widgets' labels aside)."""
    parts = [e.value for kind in (at.success, at.warning, at.error, at.text, at.markdown, at.caption)
             for e in kind]
    return "\n".join(str(p) for p in parts)


def test_an_upload_over_the_size_limit_is_refused_with_a_sentence_and_nothing_stored(db_url, monkeypatch,
                                                                                     tmp_path):
    at = _add_page(db_url, monkeypatch)
    limit_mb = 50  # .streamlit/config.toml: server.maxUploadSize
    record = b'{"type": "article", "title": "Synthetic big", "body": "Synthetic text (not news) about Tirana."}\n'
    big = record * (limit_mb * 1024 * 1024 // len(record) + 10)  # just over 50 MB of JSON Lines (JSON may be 512 MB)
    assert len(big) > limit_mb * 1024 * 1024
    _upload(at, [("big.jsonl", big), ("small.md", ARTICLE.format(n=1).encode())])
    shown = _shown(at)
    assert "big.jsonl" in shown and f"more than the {limit_mb} MB an upload may have" in shown, shown
    titles = queries.load_articles(open_engine(db_url), Filters())["title"].tolist()
    assert titles == ["Synthetic upload 1"]  # the small file beside it still went in


@pytest.mark.parametrize("name", [
    "../../x.txt", "/tmp/hc-abs/x.md", "evil\nFAKE: all good.md", "..\\..\\x.md",
    "[click](javascript:alert(1)) **bold** <b>x</b>.md",
])
def test_an_upload_name_is_never_a_path_and_is_shown_escaped(db_url, monkeypatch, tmp_path, name):
    work = tmp_path / "work" / "a" / "b"
    work.mkdir(parents=True)
    before = _tree(tmp_path)
    at = _add_page(db_url, monkeypatch, work)
    _upload(at, [(name, ARTICLE.format(n=2).encode())])
    # nothing was written anywhere under the test's folder but the store (and its journal files)
    after = {p for p in _tree(tmp_path) - before if not p.name.startswith("test.db")}
    assert after == set(), after
    assert not Path("/tmp/hc-abs/x.md").exists()
    titles = queries.load_articles(open_engine(db_url), Filters())["title"].tolist()
    assert titles == ["Synthetic upload 2"]
    # the name is shown (in the progress line) as one line and never as markup: no forged line, no link, no bold
    texts = [p.proto.text for p in at.get("progress")]
    assert texts, "the progress line names the file"
    for text in [*texts, *(e.value for e in [*at.success, *at.warning, *at.markdown])]:
        assert "\n" not in text.replace("  \n", "") and "\x00" not in text, repr(text)
        assert "](javascript" not in text and "**bold**" not in text and "<b>" not in text, repr(text)


@pytest.mark.parametrize("name,refusal", [("a\x00b.md", "Filename cannot contain null bytes"),
                                          ("x.md\x00.sh", "Filename cannot contain null bytes")])
def test_an_upload_named_with_a_nul_never_reaches_the_store(db_url, monkeypatch, name, refusal):
    # Streamlit refuses these names itself, before the page runs (its widget state cannot be read, so the
    # page cannot turn the refusal into its own sentence): nothing of the file reaches our code or the store
    at = _add_page(db_url, monkeypatch)
    at.file_uploader(key="add.files").set_value([(name, ARTICLE.format(n=3).encode(), "text/plain")])
    at.run()
    assert [e.message for e in at.exception if refusal in e.message], [e.message for e in at.exception]
    assert queries.load_articles(open_engine(db_url), Filters()).empty


def test_the_progress_line_shows_an_upload_name_as_one_line_of_plain_text():
    from dashboard.ui.imports import shown_name

    # hand-escaped: the line break as \n, Markdown's link, emphasis and HTML characters backslashed
    assert shown_name("evil\nFAKE.md") == "evil\\\\nFAKE\\.md"
    assert shown_name("[a](javascript:x) **b** <i>.md") == (
        "\\[a\\]\\(javascript\\:x\\) \\*\\*b\\*\\* \\<i\\>\\.md")
