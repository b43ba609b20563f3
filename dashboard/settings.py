"""Where the database and the bundled data live.

The database URL is taken from, in order: the ``DASHBOARD_DB_URL`` environment variable (an
SQLAlchemy URL), ``.streamlit/secrets.toml`` (``[database] url = ...``), and finally the default
SQLite file ``data/balkan_watch.db`` (git-ignored, built from the sample data by ``make run``).
Reads may go to a replica: ``DASHBOARD_DB_READ_URL`` (or ``[database] read_url``), see :func:`read_database_url`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
DEFAULT_DB_PATH = DATA_DIR / "balkan_watch.db"
SECRETS_PATH = ROOT / ".streamlit" / "secrets.toml"
ENV_VAR = "DASHBOARD_DB_URL"
READ_ENV_VAR = "DASHBOARD_DB_READ_URL"
TIME_LIMIT_VAR = "DASHBOARD_QUERY_TIME_LIMIT"
DEFAULT_QUERY_TIME_LIMIT = 30.0


def _configured(env_var: str, key: str) -> str:
    """A setting from the environment, else from ``[database]`` in ``.streamlit/secrets.toml``; "" when neither."""
    value = os.environ.get(env_var, "").strip()
    if value or not SECRETS_PATH.exists():
        return value
    with SECRETS_PATH.open("rb") as fh:
        secrets = tomllib.load(fh)
    return str(secrets.get("database", {}).get(key, "")).strip()


def database_url() -> str:
    """Return the SQLAlchemy URL of the store (env var > secrets.toml > default SQLite file).

    Every write goes here (the primary, when reads go to a replica).
    """
    return _configured(ENV_VAR, "url") or f"sqlite:///{DEFAULT_DB_PATH}"


def read_database_url() -> str:
    """The URL the dashboard's pages and exports read from: a read replica of the store when
    ``DASHBOARD_DB_READ_URL`` (or ``[database] read_url`` in secrets.toml) names one, else the store itself.
    """
    return _configured(READ_ENV_VAR, "read_url") or database_url()


def query_time_limit() -> float:
    """Seconds a page's read of the store may take before the page asks for a narrower filter.

    ``DASHBOARD_QUERY_TIME_LIMIT`` overrides the default of 30 s (0 turns the limit off).
    """
    raw = os.environ.get(TIME_LIMIT_VAR, "").strip()
    try:
        return float(raw) if raw else DEFAULT_QUERY_TIME_LIMIT
    except ValueError:
        return DEFAULT_QUERY_TIME_LIMIT


FEEDS_VAR = "DASHBOARD_FEEDS"


def feed_urls() -> list[str]:
    """The feeds an analyst configured: ``DASHBOARD_FEEDS`` (URLs separated by spaces or commas), else
    ``[feeds] urls = [...]`` in ``.streamlit/secrets.toml``. None by default: nothing is fetched."""
    raw = os.environ.get(FEEDS_VAR, "").replace(",", " ").split()
    if raw:
        return raw
    if SECRETS_PATH.exists():
        with SECRETS_PATH.open("rb") as fh:
            urls = tomllib.load(fh).get("feeds", {}).get("urls", [])
        return [str(u).strip() for u in urls if str(u).strip()]
    return []


AUTH_REQUIRED_VAR = "DASHBOARD_AUTH_REQUIRED"


def auth_settings() -> dict:
    """``[auth]`` of ``.streamlit/secrets.toml``: ``required`` (sign-in even before any account exists)
    and ``session_hours``. ``DASHBOARD_AUTH_REQUIRED=1`` sets ``required`` too."""
    found: dict = {}
    if SECRETS_PATH.exists():
        with SECRETS_PATH.open("rb") as fh:
            found = dict(tomllib.load(fh).get("auth", {}))
    if os.environ.get(AUTH_REQUIRED_VAR, "").strip().lower() in ("1", "true", "yes"):
        found["required"] = True
    return found


AUTH_PROXY_VAR = "DASHBOARD_AUTH_PROXY"


def auth_proxy_settings() -> dict | None:
    """``[auth.proxy]`` of ``.streamlit/secrets.toml`` (single sign-on through an authenticating reverse
    proxy), or ``DASHBOARD_AUTH_PROXY`` holding the same table as JSON; ``None`` when neither: the
    request's headers are then never trusted."""
    import json

    raw = os.environ.get(AUTH_PROXY_VAR, "").strip()
    if raw:
        try:
            found = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"{AUTH_PROXY_VAR} is not JSON ({exc.msg} at character {exc.pos}).") from None
        if not isinstance(found, dict):
            raise ValueError(f"{AUTH_PROXY_VAR} must be a JSON object like the [auth.proxy] table.")
        return found
    proxy = auth_settings().get("proxy")
    return dict(proxy) if isinstance(proxy, dict) else None
