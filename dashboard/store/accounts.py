"""Accounts, roles, sign-in and sessions, kept in the store (no outside identity provider).

Passwords are hashed with Argon2id (``argon2-cffi``); the plain password is never stored or logged.
Failed sign-ins are logged (table ``sign_ins`` and the ``dashboard.auth`` logger) and throttled:
after ``FREE_FAILURES`` failures in a row an account is locked for ``LOCK_SECONDS`` seconds, doubling
with each further failure up to ``MAX_LOCK_SECONDS``. A session is a random token whose SHA-256 is
stored with an expiry (``SESSION_HOURS``); a disabled account's sessions end at once.

Every write the store takes on behalf of a person (curation, judgements, imports from the app) gets an
*actor*: an :class:`Actor` of a signed-in account, checked against its role, or a plain name, which is
accepted only while the store has no account (single-user mode).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select, update

from dashboard.store import schema as s
from dashboard.vocab import ROLE_ACTIONS, ROLES

log = logging.getLogger("dashboard.auth")

FREE_FAILURES = 5
LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
SESSION_HOURS = 8.0
MIN_PASSWORD = 10
#: Account names: letters, digits and . _ - @ (no spaces, no markup): they appear in pages and logs
#: (the @ for the e-mail addresses a single sign-on proxy passes as the user).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against for a name with no account (made once, when first needed: hashing
    costs a quarter of a second, which every process importing the store paid at start-up)."""
    return _hasher.hash("not a password of anyone")

ACTION_WORDS = {"read": "read", "export": "export", "brief": "make briefings", "curate": "correct or curate",
                "add": "add articles", "import": "import files", "judge": "override stability arrows",
                "accounts": "manage accounts"}


class AccountError(ValueError):
    """Bad input for an account (name, role, password): one sentence saying which and why."""


class NotAllowed(PermissionError):
    """The actor's role does not allow this write (or the store needs a signed-in account)."""


class SignInRefused(RuntimeError):
    """Wrong name or password, a disabled account, or too many failures: the message says which."""


@dataclass(frozen=True)
class Actor:
    """A signed-in account, as the store's writes receive it."""

    name: str
    role: str
    account_id: int | None = None

    def can(self, action: str) -> bool:
        return action in ROLE_ACTIONS.get(self.role, frozenset())


@dataclass(frozen=True)
class Session:
    token: str
    actor: Actor
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError(f"'{name[:40]}' is not an account name: use 1-64 letters, digits, '.', '_', '-' or '@', "
                           "starting with a letter or digit.")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"'{role}' is not a role: use one of {', '.join(ROLES)}.")
    return role


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"The password is too short: use at least {MIN_PASSWORD} characters.")
    return password


def any_accounts(engine: Engine) -> bool:
    """True when the store has an account, even a disabled one: access control is then on (disabling
    every account never turns a shared dashboard back into an open one)."""
    with engine.connect() as conn:
        return conn.execute(select(s.accounts.c.id).limit(1)).first() is not None


def _by(engine: Engine, by: Actor | None) -> None:
    """Account management from the app is an admin's (``by``); ``None`` is the command line, whose
    user already holds the database itself."""
    if by is not None:
        authorize(engine, by, "accounts")


def add_account(engine: Engine, name: str, role: str, password: str, *, by: Actor | None = None) -> int:
    _by(engine, by)
    name, role, password = check_name(name), check_role(role), _check_password(password)
    with engine.begin() as conn:
        if conn.execute(select(s.accounts.c.id).where(s.accounts.c.name == name)).first() is not None:
            raise AccountError(f"There is already an account '{name}'.")
        return conn.execute(s.accounts.insert().values(
            name=name, role=role, password_hash=_hasher.hash(password), disabled=False, created_at=_now(),
            failed_sign_ins=0)).inserted_primary_key[0]


def list_accounts(engine: Engine) -> list[dict]:
    a = s.accounts.c
    with engine.connect() as conn:
        rows = conn.execute(select(a.name, a.role, a.disabled, a.created_at, a.failed_sign_ins, a.locked_until)
                            .order_by(a.name)).mappings().all()
    return [dict(r) for r in rows]


def _update(engine: Engine, name: str, by: Actor | None = None, **values) -> None:
    _by(engine, by)
    name = check_name(name)
    a = s.accounts.c
    with engine.begin() as conn:
        row = conn.execute(select(a.id, a.role, a.disabled).where(a.name == name)).first()
        if row is None:
            raise AccountError(f"There is no account '{name}'.")
        losing_admin = row.role == "admin" and not row.disabled and (
            values.get("disabled") or values.get("role", "admin") != "admin")
        if losing_admin and conn.execute(select(func.count()).select_from(s.accounts).where(
                a.role == "admin", a.disabled.is_(False))).scalar_one() <= 1:
            raise AccountError(f"'{name}' is the last active admin: make another account admin first.")
        conn.execute(update(s.accounts).where(s.accounts.c.id == row.id).values(**values))
        if values.get("disabled") or "password_hash" in values or "role" in values:
            conn.execute(delete(s.sessions).where(s.sessions.c.account_id == row.id))  # sign in again


def set_role(engine: Engine, name: str, role: str, *, by: Actor | None = None) -> None:
    _update(engine, name, by, role=check_role(role))


def disable(engine: Engine, name: str, disabled: bool = True, *, by: Actor | None = None) -> None:
    _update(engine, name, by, disabled=disabled)


def reset_password(engine: Engine, name: str, password: str, *, by: Actor | None = None) -> None:
    _update(engine, name, by, password_hash=_hasher.hash(_check_password(password)), failed_sign_ins=0,
            locked_until=None)


def _lock_for(failures: int) -> timedelta | None:
    if failures < FREE_FAILURES:
        return None
    return timedelta(seconds=min(MAX_LOCK_SECONDS, LOCK_SECONDS * 2 ** (failures - FREE_FAILURES)))


def _record(conn, name: str, at: datetime, ok: bool, reason: str | None) -> None:
    conn.execute(s.sign_ins.insert().values(name=name[:64], at=at, ok=ok, reason=reason))
    if not ok:
        log.warning("refused sign-in for '%s': %s", name[:64], reason)


def sign_in(engine: Engine, name: str, password: str, *, now: datetime | None = None,
            session_hours: float = SESSION_HOURS) -> Session:
    """A new session for ``name`` when ``password`` is right; :class:`SignInRefused` otherwise (the same
    sentence for an unknown name and a wrong password)."""
    now = now or _now()
    name = (name or "").strip()[:64]
    with engine.begin() as conn:  # a refusal is logged and counted, then raised (after the commit)
        refusal, session = _try_sign_in(conn, name, password or "", now, session_hours)
    if refusal:
        raise SignInRefused(refusal)
    return session


def _try_sign_in(conn, name: str, password: str, now: datetime, session_hours: float):
    wrong = "Wrong account name or password."
    a = s.accounts.c
    row = conn.execute(select(s.accounts).where(a.name == name)).mappings().first()
    if row is None:
        try:  # the same work as for a real account: the answer's timing says nothing
            _hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        _record(conn, name, now, False, "unknown account")
        return wrong, None
    if row["locked_until"] is not None and row["locked_until"] > now:
        wait = int((row["locked_until"] - now).total_seconds()) + 1
        _record(conn, name, now, False, "throttled")
        return f"Too many failed sign-ins for '{name}': try again in {wait} s.", None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        failures = row["failed_sign_ins"] + 1
        lock = _lock_for(failures)
        conn.execute(update(s.accounts).where(a.id == row["id"]).values(
            failed_sign_ins=failures, locked_until=now + lock if lock else None))
        _record(conn, name, now, False, f"wrong password ({failures} in a row)")
        return wrong + (f" The account is locked for {int(lock.total_seconds())} s." if lock else ""), None
    if row["disabled"]:
        _record(conn, name, now, False, "disabled")
        return f"The account '{name}' is disabled: ask an admin.", None
    values = {"failed_sign_ins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(row["password_hash"]):
        values["password_hash"] = _hasher.hash(password)
    conn.execute(update(s.accounts).where(a.id == row["id"]).values(**values))
    _record(conn, name, now, True, None)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=session_hours)
    conn.execute(s.sessions.insert().values(token_hash=_digest(token), account_id=row["id"], created_at=now,
                                            expires_at=expires))
    conn.execute(delete(s.sessions).where(s.sessions.c.expires_at < now))  # tidy the expired ones
    return None, Session(token, Actor(row["name"], row["role"], row["id"]), expires)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_actor(engine: Engine, token: str | None, *, now: datetime | None = None) -> Actor | None:
    """The account of a live session (role as it is now), or ``None`` (no, expired or disabled)."""
    if not token:
        return None
    now = now or _now()
    a, se = s.accounts.c, s.sessions.c
    with engine.connect() as conn:
        row = conn.execute(select(a.id, a.name, a.role).join_from(s.sessions, s.accounts, se.account_id == a.id)
                           .where(se.token_hash == _digest(token), se.expires_at > now, a.disabled.is_(False))
                           ).first()
    return Actor(row.name, row.role, row.id) if row else None


def sign_out(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(s.sessions).where(s.sessions.c.token_hash == _digest(token)))


def failed_sign_ins(engine: Engine, name: str) -> int:
    """Refused sign-ins logged for ``name`` (all time)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.sign_ins)
                            .where(s.sign_ins.c.name == name, s.sign_ins.c.ok.is_(False))).scalar_one()


def require(actor: Actor, action: str) -> None:
    """Raise :class:`NotAllowed` unless ``actor``'s role allows ``action``."""
    if not actor.can(action):
        raise NotAllowed(f"The account '{actor.name}' ({actor.role}) may not {ACTION_WORDS.get(action, action)}.")


def authorize(engine: Engine, actor: Actor | str | None, action: str) -> str:
    """The name to log for a write by ``actor``, after checking it may make it.

    An :class:`Actor` is checked against its role as stored now (a disabled account or a lowered role
    counts at once). A plain name is a person at a single-user store: accepted only while the store
    has no account (check it with :func:`check_editor_name`)."""
    if isinstance(actor, Actor):
        with engine.connect() as conn:
            row = conn.execute(select(s.accounts.c.role, s.accounts.c.disabled)
                               .where(s.accounts.c.name == actor.name)).first()
        if row is None or row.disabled:
            raise NotAllowed(f"The account '{actor.name}' is not active: sign in again.")
        require(Actor(actor.name, row.role, actor.account_id), action)
        return actor.name
    if any_accounts(engine):
        raise NotAllowed("This store has accounts: sign in to make changes (a typed name is not enough).")
    return actor or ""


_MARKUP = re.compile(r"[<>&\"`]|javascript:", re.IGNORECASE)


def check_editor_name(name: str) -> str:
    """A typed editor name (single-user mode): not empty, at most 120 characters, no markup."""
    name = (name or "").strip()
    if not name:
        raise AccountError("Say who is making the change (editor name is empty).")
    if _MARKUP.search(name) or any(ord(ch) < 32 for ch in name):
        raise AccountError(f"'{name[:40]}' cannot be an editor name: leave out < > & \" ` and control characters.")
    return name[:120]


def read_accounts(path) -> list[dict]:
    """The accounts of the SQLite file ``path`` (a store about to be rebuilt), hashes and roles as
    they are; ``[]`` when it has none. Opened read-only."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").fetchone():
            return []
        return [dict(r) for r in conn.execute("SELECT name, role, password_hash, disabled, created_at FROM accounts")]
    finally:
        conn.close()


def restore_accounts(engine: Engine, rows: list[dict]) -> int:
    """Put accounts read by :func:`read_accounts` into a rebuilt store (those not there yet)."""
    added = 0
    with engine.begin() as conn:
        have = set(conn.execute(select(s.accounts.c.name)).scalars())
        for row in rows:
            if row["name"] in have:
                continue
            created = row["created_at"]
            conn.execute(s.accounts.insert().values(
                name=row["name"], role=row["role"], password_hash=row["password_hash"], disabled=bool(row["disabled"]),
                created_at=datetime.fromisoformat(created) if isinstance(created, str) else created or _now(),
                failed_sign_ins=0))
            added += 1
    return added
