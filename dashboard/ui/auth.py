"""Sign-in and roles in the app: the gate that runs before any data is read, and who may do what.

Access control is on whenever the store has an account (even a disabled one), or ``[auth] required = true`` is set in
``.streamlit/secrets.toml``. Then a visitor without a live session gets the sign-in form and nothing
else: ``gate`` stops the script before the sidebar's facets, the pages or any download are built.
With it off the app is single-user and must be bound to this machine (127.0.0.1).
"""

from __future__ import annotations

import streamlit as st

from dashboard import settings
from dashboard.store import accounts
from dashboard.store.accounts import Actor
from dashboard.ui import data

TOKEN_KEY = "auth.token"
_ACTOR_KEY = "auth.actor"
_MODE_KEY = "auth.mode"  # "single" or "accounts", set by gate() on every run
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def required() -> bool:
    return bool(settings.auth_settings().get("required")) or accounts.any_accounts(data.engine())


def _session_hours() -> float:
    try:
        return float(settings.auth_settings().get("session_hours", accounts.SESSION_HOURS))
    except (TypeError, ValueError):
        return accounts.SESSION_HOURS


def _sign_in_form() -> None:
    st.title("Balkan Watch")
    st.caption("Sign in with the account an admin gave you (python -m dashboard users add).")
    with st.form("auth.sign_in"):
        name = st.text_input("Account name", key="auth.name")
        password = st.text_input("Password", type="password", key="auth.password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            session = accounts.sign_in(data.engine(), name, password, session_hours=_session_hours())
        except accounts.SignInRefused as exc:
            st.error(str(exc))
            return
        st.session_state[TOKEN_KEY] = session.token
        st.rerun()


def gate(pages: list | None = None) -> Actor | None:
    """Run first in every page run. Returns the signed-in account (``None``: single-user mode); when
    sign-in is needed and there is no live session, shows the sign-in form and stops the run (``pages``
    are registered, hidden and not run, so the address asked for survives the sign-in)."""
    if not required():
        st.session_state[_MODE_KEY] = "single"
        st.session_state[_ACTOR_KEY] = None
        address = st.get_option("server.address")  # .streamlit/config.toml: 127.0.0.1 (None: no server, a test)
        if address is not None and address not in LOCAL_ADDRESSES:
            st.error(f"This dashboard has no accounts, so it runs for one person on this machine only and will "
                     f"not serve {address or 'every address'}. Create an admin first (python -m dashboard users "
                     "add NAME --role admin), or run it with --server.address 127.0.0.1.")
            st.stop()
        return None
    st.session_state[_MODE_KEY] = "accounts"
    actor = accounts.session_actor(data.engine(), st.session_state.get(TOKEN_KEY))
    st.session_state[_ACTOR_KEY] = actor
    if actor is None:
        if pages:
            st.navigation(pages, position="hidden")
        if st.session_state.pop(TOKEN_KEY, None):
            st.info("Your session has ended: sign in again.")
        _sign_in_form()
        st.stop()
    return actor


def render_sidebar() -> None:
    """Who is signed in (name and role, a sign-out button), or that the app runs single-user."""
    actor = current()
    with st.sidebar:
        if actor is None:
            # markdown, not a caption: the pages' first caption is their header count
            st.markdown(":material/person: **Single user** on 127.0.0.1: no accounts, no sign-in. Create "
                        "accounts with `python -m dashboard users add` to share it with a team.")
            return
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{actor.name}** · {actor.role}")
        if right.button("Sign out", key="auth.sign_out"):
            accounts.sign_out(data.engine(), st.session_state.pop(TOKEN_KEY, None))
            st.rerun()


def current() -> Actor | None:
    """The signed-in account of this run (``None`` in single-user mode)."""
    return st.session_state.get(_ACTOR_KEY)


def signed_in() -> bool:
    return current() is not None


def can(action: str) -> bool:
    """Whether this visitor may ``action`` (see ``vocab.ROLE_ACTIONS``); single-user mode may do all."""
    actor = current()
    if actor is None:
        return st.session_state.get(_MODE_KEY, "single") == "single"
    return actor.can(action)


def is_admin() -> bool:
    """A signed-in admin (the Accounts page is theirs; single-user mode manages accounts on the command line)."""
    actor = current()
    return actor is not None and actor.can("accounts")


def account_rows() -> list[dict]:
    return accounts.list_accounts(data.engine())


def manage(action: str, name: str, *args) -> None:
    """An admin's change of an account, checked by the store (``by`` the signed-in account):
    ``add`` (role, password), ``set_role`` (role), ``disable``, ``enable``, ``reset_password`` (password)."""
    engine, by = data.engine(), current()
    if action == "add":
        accounts.add_account(engine, name, *args, by=by)
    elif action == "set_role":
        accounts.set_role(engine, name, *args, by=by)
    elif action in ("disable", "enable"):
        accounts.disable(engine, name, action == "disable", by=by)
    elif action == "reset_password":
        accounts.reset_password(engine, name, *args, by=by)
    else:  # pragma: no cover - a programming error
        raise ValueError(action)
