"""The Add page's way into the ingest: uploads and pasted text go through the same pipeline as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard.ingest.pipeline import IngestReport, ingest_file, ingest_text
from dashboard.ingest.readers import SUPPORTED, ReadOptions
from dashboard.ui import auth, data

__all__ = ["IngestReport", "SUPPORTED", "ingest_upload", "ingest_pasted"]


def ingest_upload(name: str, content: bytes, on_batch: Callable[[int, int], None] | None = None) -> IngestReport:
    """Ingest one uploaded file (its format told by its name) into the configured store (an analyst's
    or admin's; :class:`~dashboard.store.accounts.NotAllowed` for a viewer)."""
    actor = auth.current()  # records claiming analyst verification stand only under an analyst's account
    options = ReadOptions(hold_claims=True, vouched_by=actor.name if actor and actor.can("curate") else None)
    return ingest_file(data.engine(), Path(name), data=content, name=name, on_batch=on_batch, options=options,
                       actor=actor or "single user")


def ingest_pasted(body: str, *, title: str | None, url: str | None, outlet: str | None,
                  published: str | None) -> IngestReport:
    """Ingest one pasted article into the configured store (an analyst's or admin's)."""
    return ingest_text(data.engine(), body, title=title, url=url, outlet=outlet, published=published,
                       actor=auth.current() or "single user")
