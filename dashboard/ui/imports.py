"""The Add page's way into the ingest: uploads and pasted text go through the same pipeline as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

import streamlit as st

from dashboard.ingest.pipeline import IngestReport, ingest_file, ingest_text
from dashboard.ingest.problems import Problem, shown
from dashboard.ingest.readers import SUPPORTED, ReadOptions
from dashboard.store import DatabaseBusy
from dashboard.ui import auth, data

__all__ = ["DatabaseBusy", "IngestReport", "SUPPORTED", "ingest_upload", "ingest_pasted", "upload_limit_mb", "shown_name"]


def upload_limit_mb() -> int:
    """The largest upload the server takes, in MB (``server.maxUploadSize``, .streamlit/config.toml).
    Streamlit's own check sits in its upload endpoint; this one holds for whatever reaches the page."""
    return int(st.get_option("server.maxUploadSize"))


def shown_name(name: str) -> str:
    """An upload's name as the page may show it: control characters and line breaks escaped (one line,
    no forged ones), and no Markdown (no link, emphasis or HTML made of it)."""
    from dashboard.ui.text import md_escape

    return md_escape(shown(name))


def _base_name(name: str) -> str:
    """The last part of an upload's name, for its suffix only: an upload's name is never a path the server
    reads or writes (``../../x.txt``, ``/etc/x.md``, ``..\\x.md`` and a NUL count for nothing)."""
    base = PurePosixPath(name.replace("\\", "/").replace("\x00", "")).name
    return base if base not in ("", ".", "..") else "upload"


def ingest_upload(name: str, content: bytes, on_batch: Callable[[int, int], None] | None = None) -> IngestReport:
    """Ingest one uploaded file (its format told by its name) into the configured store (an analyst's
    or admin's; :class:`~dashboard.store.accounts.NotAllowed` for a viewer)."""
    limit = upload_limit_mb()
    if len(content) > limit * 1024 * 1024:
        report = IngestReport(files=1)
        report.problems.append(Problem(name, f"the file is {len(content) / 1024 / 1024:,.1f} MB, more than the "
                                             f"{limit:,} MB an upload may have; nothing of it was stored"))
        return report
    actor = auth.current()  # records claiming analyst verification stand only under an analyst's account
    options = ReadOptions(hold_claims=True, vouched_by=actor.name if actor and actor.can("curate") else None)
    return ingest_file(data.engine(), Path(_base_name(name)), data=content, name=name, on_batch=on_batch,
                       options=options, actor=actor or "single user")


def ingest_pasted(body: str, *, title: str | None, url: str | None, outlet: str | None,
                  published: str | None) -> IngestReport:
    """Ingest one pasted article into the configured store (an analyst's or admin's)."""
    return ingest_text(data.engine(), body, title=title, url=url, outlet=outlet, published=published,
                       actor=auth.current() or "single user")
