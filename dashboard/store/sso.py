"""Single sign-on through an authenticating reverse proxy: the user and groups it passes in headers,
mapped to an account of the store and its role.

Only when ``[auth.proxy]`` is configured (``.streamlit/secrets.toml``)::

    [auth.proxy]
    user_header = "X-Forwarded-User"
    groups_header = "X-Forwarded-Groups"      # optional; groups separated by "," (groups_separator)
    roles = { "balkan-admins" = "admin", "balkan-analysts" = "analyst" }
    default_role = "viewer"                   # optional; without it a user in no mapped group is refused

Without that table the headers are never read (anyone can send any header to an app that is reached
directly). :func:`identify` is the decision, on the headers alone (no Streamlit, no database);
:func:`proxy_actor` makes the person an account on first sight (no password: the sign-in form never
accepts one) and sets its role from the groups at every visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from dashboard.store import schema as s
from dashboard.store.accounts import AccountError, Actor, check_name, check_role
from dashboard.vocab import ROLES

#: Stored instead of a password hash for an account the proxy vouches for: no password verifies
#: against it (Argon2 calls it an invalid hash), so the sign-in form never lets it in.
NO_PASSWORD = "!single-sign-on"


class ProxyConfigError(ValueError):
    """``[auth.proxy]`` is incomplete or names an unknown role: one sentence saying which key."""


class ProxyRefused(PermissionError):
    """The request is not let in (no user header, a user in no mapped group, a disabled account)."""


@dataclass(frozen=True)
class ProxyConfig:
    user_header: str
    groups_header: str | None = None
    roles: dict[str, str] = field(default_factory=dict)  # group -> role
    default_role: str | None = None
    groups_separator: str = ","


def parse_config(raw: Mapping | None) -> ProxyConfig | None:
    """The ``[auth.proxy]`` table as a :class:`ProxyConfig`; ``None`` when there is none (headers ignored)."""
    if raw is None:
        return None
    where = "[auth.proxy] in .streamlit/secrets.toml"
    user_header = str(raw.get("user_header") or "").strip()
    if not user_header:
        raise ProxyConfigError(f"{where} needs user_header (the header the proxy puts the user in, "
                               "e.g. \"X-Forwarded-User\").")
    roles = raw.get("roles") or {}
    if not isinstance(roles, Mapping):
        raise ProxyConfigError(f"{where}: roles must be a table of group = role.")
    mapped = {}
    for group, role in roles.items():
        try:
            mapped[str(group).strip()] = check_role(str(role))
        except AccountError:
            raise ProxyConfigError(f"{where}: roles maps '{group}' to '{role}', which is not a role "
                                   f"(use one of {', '.join(ROLES)}).") from None
    default = raw.get("default_role")
    if default is not None and default not in ROLES:
        raise ProxyConfigError(f"{where}: default_role '{default}' is not a role (use one of {', '.join(ROLES)}).")
    groups_header = str(raw.get("groups_header") or "").strip() or None
    return ProxyConfig(user_header, groups_header, mapped, default, str(raw.get("groups_separator") or ","))


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value or "").strip()
    return ""


def identify(config: ProxyConfig | None, headers: Mapping[str, str]) -> tuple[str, str] | None:
    """``(account name, role)`` the proxy's headers say; ``None`` when no proxy is configured (the
    headers are then ignored, whatever they hold). Raises :class:`ProxyRefused` with one sentence.

    The role is the strongest that the user's groups map to; with no mapped group, ``default_role``,
    or a refusal when there is none."""
    if config is None:
        return None
    user = _header(headers, config.user_header)
    if not user:
        raise ProxyRefused(f"This dashboard signs people in through the organisation's single sign-on, and this "
                           f"request came without the {config.user_header} header: open the dashboard at the "
                           "proxy's address, not directly.")
    try:
        name = check_name(user)
    except AccountError as exc:
        raise ProxyRefused(f"The single sign-on user cannot be an account here: {exc}") from None
    groups = []
    if config.groups_header:
        groups = [g.strip() for g in _header(headers, config.groups_header).split(config.groups_separator)]
    roles = [config.roles[g] for g in groups if g in config.roles]
    if roles:
        return name, max(roles, key=ROLES.index)
    if config.default_role:
        return name, config.default_role
    raise ProxyRefused(f"'{name}' is in none of the groups that may use this dashboard "
                       f"({', '.join(sorted(config.roles)) or 'none configured'}): ask an admin.")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def proxy_actor(engine: Engine, name: str, role: str, *, record: bool = False) -> Actor:
    """The account ``name`` with ``role`` (as :func:`identify` found them): created on first sight
    without a password, its role set to ``role`` when the groups changed. A disabled account is
    refused (:class:`ProxyRefused`). ``record`` logs the visit in ``sign_ins``."""
    name, role = check_name(name), check_role(role)
    a = s.accounts.c
    with engine.connect() as conn:
        row = conn.execute(select(a.id, a.role, a.disabled).where(a.name == name)).first()
    if row is not None and row.role == role and not row.disabled and not record:
        return Actor(name, role, row.id)  # the common case, every rerun: one read
    with engine.begin() as conn:
        row = conn.execute(select(a.id, a.role, a.disabled).where(a.name == name)).first()
        if row is None:
            account_id = conn.execute(s.accounts.insert().values(
                name=name, role=role, password_hash=NO_PASSWORD, disabled=False, created_at=_now(),
                failed_sign_ins=0)).inserted_primary_key[0]
        elif row.disabled:
            conn.execute(s.sign_ins.insert().values(name=name, at=_now(), ok=False, reason="disabled (proxy)"))
            account_id = None
        else:
            account_id = row.id
            if row.role != role:
                conn.execute(update(s.accounts).where(a.id == row.id).values(role=role))
        if account_id is not None and record:
            conn.execute(s.sign_ins.insert().values(name=name, at=_now(), ok=True, reason=f"proxy ({role})"))
    if account_id is None:
        raise ProxyRefused(f"The account '{name}' is disabled: ask an admin.")
    return Actor(name, role, account_id)
