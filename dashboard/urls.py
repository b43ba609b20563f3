"""Web addresses: the one check of what counts as a link to a source (http or https, nothing else)."""

from __future__ import annotations

import re

_WEB = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) address without spaces, quotes or angle brackets.

    ``javascript:``, ``data:``, ``file:`` and relative addresses are never links to a source.
    """
    return bool(url) and _WEB.match(url) is not None
