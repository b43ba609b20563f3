"""Sign-in and roles in the app: the gate that runs before any data is read, and who may do what.

Access control is on whenever the store has an account (even a disabled one), or ``[auth] required = true`` is set in
``.streamlit/secrets.toml``. Then a visitor without a live session gets the sign-in form and nothing
else: ``gate`` stops the script before the sidebar's facets, the pages or any download are built.
With it off the app is single-user and must be bound to this machine (127.0.0.1).

With ``[auth.proxy]`` configured (single sign-on through an authenticating reverse proxy, see
``dashboard/store/sso.py``) the user comes from the proxy's headers instead: no sign-in form, and a
request without the user header is refused. Without that table the headers are never read.
"""

from __future__ import annotations

import streamlit as st

from dashboard import settings
from dashboard.store import accounts, sso
from dashboard.store.accounts import Actor
from dashboard.ui import data

TOKEN_KEY = "auth.token"
_ACTOR_KEY = "auth.actor"
_MODE_KEY = "auth.mode"  # "single", "accounts" or "proxy", set by gate() on every run
_PROXY_SEEN_KEY = "auth.proxy_seen"  # the (name, role) of this session's visit, logged once
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def required() -> bool:
    return bool(settings.auth_settings().get("required")) or accounts.any_accounts(data.engine())


def proxy_config() -> sso.ProxyConfig | None:
    """The single sign-on proxy's settings (``[auth.proxy]``), or ``None``: then no header is trusted."""
    return sso.parse_config(settings.auth_proxy_settings())


def request_headers() -> dict[str, str]:
    """The headers of this session's request (the websocket's opening one), a repeated header's values
    joined by ", " (only ever read when a proxy is configured)."""
    headers = st.context.headers
    return {key: ", ".join(headers.get_all(key)) for key in headers.keys()}


def _proxy_gate(config: sso.ProxyConfig) -> Actor:
    """The account the proxy's headers name (made on first sight, role from the groups), or a refusal
    that stops the run."""
    st.session_state[_MODE_KEY] = "proxy"
    st.session_state[_ACTOR_KEY] = None
    try:
        identity = sso.identify(config, request_headers())
        seen = st.session_state.get(_PROXY_SEEN_KEY) == identity
        actor = sso.proxy_actor(data.engine(), *identity, record=not seen)
    except sso.ProxyRefused as exc:
        st.title("Balkan Watch")
        st.error(str(exc))
        st.stop()
    st.session_state[_PROXY_SEEN_KEY] = identity
    st.session_state[_ACTOR_KEY] = actor
    return actor


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
    try:
        config = proxy_config()
    except ValueError as exc:  # [auth.proxy] incomplete, DASHBOARD_AUTH_PROXY not JSON: nobody is let in
        st.error(str(exc))
        st.stop()
    if config is not None:
        return _proxy_gate(config)
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


def _plain(name: str) -> str:
    """An account name as Markdown text: bold, with an e-mail address not made a link (Streamlit links
    one even escaped, not inside a code span) and "a_b_c" not italics. Names hold no backticks."""
    return f"**`{name}`**" if "@" in name else "**" + "".join(f"\\{ch}" if ch in "_.-" else ch for ch in name) + "**"


def render_sidebar() -> None:
    """Who is signed in (name and role, a sign-out button), or that the app runs single-user."""
    actor = current()
    with st.sidebar:
        if actor is None:
            # markdown, not a caption: the pages' first caption is their header count
            st.markdown(":material/person: **Single user** on 127.0.0.1: no accounts, no sign-in. Create "
                        "accounts with `python -m dashboard users add` to share it with a team.")
            return
        if st.session_state.get(_MODE_KEY) == "proxy":  # signing out is the proxy's
            st.markdown(f"{_plain(actor.name)} · {actor.role} · single sign-on")
            return
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"{_plain(actor.name)} · {actor.role}")
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
