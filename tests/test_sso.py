"""Single sign-on behind an authenticating proxy: the decision on header dicts (who, which role, or
refused; headers ignored unless configured) and the accounts it makes in a real SQLite store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from streamlit.testing.v1 import AppTest

from dashboard import settings
from dashboard.store import accounts, curation, open_engine
from dashboard.store import schema as s
from dashboard.store.accounts import NotAllowed, SignInRefused
from dashboard.store.sso import (
    NO_PASSWORD,
    ProxyConfigError,
    ProxyRefused,
    identify,
    parse_config,
    proxy_actor,
)
from tests.test_signin_app import DATA_READ

GAS = "seed-rs-russia-gas-agreement"
CONFIG = {"user_header": "X-Forwarded-User", "groups_header": "X-Forwarded-Groups",
          "roles": {"balkan-admins": "admin", "balkan-analysts": "analyst"}, "default_role": "viewer"}
STRICT = {k: v for k, v in CONFIG.items() if k != "default_role"}


def test_not_configured_the_headers_are_ignored():
    assert identify(parse_config(None), {"X-Forwarded-User": "ana", "X-Forwarded-Groups": "balkan-admins"}) is None


def test_the_user_and_a_mapped_group_give_the_account_and_its_role():
    config = parse_config(CONFIG)
    assert identify(config, {"X-Forwarded-User": "ana", "X-Forwarded-Groups": "balkan-analysts"}) == ("ana", "analyst")
    # header names in any case (HTTP's are case-insensitive), the strongest of several groups
    assert identify(config, {"x-forwarded-user": "bo@example.org",
                             "x-forwarded-groups": "staff, balkan-analysts,balkan-admins"}) == ("bo@example.org", "admin")


def test_a_user_in_no_mapped_group_gets_the_default_role_or_is_refused():
    headers = {"X-Forwarded-User": "cy", "X-Forwarded-Groups": "marketing"}
    assert identify(parse_config(CONFIG), headers) == ("cy", "viewer")
    assert identify(parse_config(CONFIG), {"X-Forwarded-User": "cy"}) == ("cy", "viewer")  # no groups header
    with pytest.raises(ProxyRefused, match="'cy' is in none of the groups"):
        identify(parse_config(STRICT), headers)


def test_without_the_user_header_the_request_is_refused():
    for headers in ({}, {"X-Forwarded-Groups": "balkan-admins"}, {"X-Forwarded-User": "  "}):
        with pytest.raises(ProxyRefused, match="came without the X-Forwarded-User header"):
            identify(parse_config(CONFIG), headers)


def test_a_user_that_cannot_be_an_account_name_is_refused():
    with pytest.raises(ProxyRefused, match="is not an account name"):
        identify(parse_config(CONFIG), {"X-Forwarded-User": "<script>x</script>"})


def test_a_bad_proxy_table_is_one_sentence():
    with pytest.raises(ProxyConfigError, match="needs user_header"):
        parse_config({"groups_header": "X-Forwarded-Groups"})
    with pytest.raises(ProxyConfigError, match="'balkan-owners' to 'owner', which is not a role"):
        parse_config({**CONFIG, "roles": {"balkan-owners": "owner"}})
    with pytest.raises(ProxyConfigError, match="default_role 'guest'"):
        parse_config({**CONFIG, "default_role": "guest"})


def test_the_table_comes_from_secrets_toml(monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nrequired = true\n\n[auth.proxy]\nuser_header = "X-Forwarded-User"\n'
                       'groups_header = "X-Forwarded-Groups"\n'
                       'roles = { "balkan-admins" = "admin", "balkan-analysts" = "analyst" }\n', encoding="utf-8")
    monkeypatch.setattr(settings, "SECRETS_PATH", secrets)
    monkeypatch.delenv(settings.AUTH_PROXY_VAR, raising=False)
    config = parse_config(settings.auth_proxy_settings())
    assert identify(config, {"X-Forwarded-User": "ana", "X-Forwarded-Groups": "balkan-admins"}) == ("ana", "admin")
    secrets.write_text("[auth]\nrequired = true\n", encoding="utf-8")
    assert settings.auth_proxy_settings() is None


def test_the_table_comes_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv(settings.AUTH_PROXY_VAR, '{"user_header": "X-Remote-User", "default_role": "viewer"}')
    assert identify(parse_config(settings.auth_proxy_settings()), {"X-Remote-User": "dee"}) == ("dee", "viewer")
    monkeypatch.setenv(settings.AUTH_PROXY_VAR, "user_header = 1")
    with pytest.raises(ValueError, match="is not JSON"):
        settings.auth_proxy_settings()


@pytest.fixture
def store(own_sample):
    engine = open_engine(own_sample)
    yield engine
    engine.dispose()


def _account(engine, name):
    with engine.connect() as conn:
        return conn.execute(select(s.accounts.c.role, s.accounts.c.password_hash)
                            .where(s.accounts.c.name == name)).first()


def test_first_sight_makes_a_passwordless_account_and_the_role_follows_the_groups(store):
    assert not accounts.any_accounts(store)
    actor = proxy_actor(store, "ana", "analyst", record=True)
    assert (actor.name, actor.role) == ("ana", "analyst")
    assert _account(store, "ana").role == "analyst"
    for password in ("", NO_PASSWORD, "correct horse battery"):  # no password lets it in through the form
        with pytest.raises(SignInRefused, match="Wrong account name or password"):
            accounts.sign_in(store, "ana", password)
    # her correction is logged under the account
    assert curation.edit_event(store, GAS, {"date_end": date(2024, 6, 30)}, actor) == ["date_end"]
    assert curation.history(store, "event", GAS)[0]["editor"] == "ana"
    # next visit, the proxy says she is only in a viewers' group: the role follows, writes are refused
    viewer = proxy_actor(store, "ana", "viewer")
    assert _account(store, "ana").role == "viewer"
    with pytest.raises(NotAllowed, match="viewer"):
        curation.edit_event(store, GAS, {"date_end": date(2024, 7, 31)}, actor)  # even the old actor
    assert viewer.role == "viewer"
    with store.connect() as conn:
        visits = conn.execute(select(s.sign_ins.c.ok, s.sign_ins.c.reason).where(s.sign_ins.c.name == "ana")
                              .order_by(s.sign_ins.c.id)).all()
    assert [tuple(v) for v in visits] == [(True, "proxy (analyst)")] + [
        (False, f"wrong password ({n} in a row)") for n in (1, 2, 3)]  # the visit logged once, the form's tries


def test_a_disabled_account_is_refused_by_the_proxy_path_too(store):
    proxy_actor(store, "bo", "analyst")
    accounts.add_account(store, "root", "admin", "admin password 1")
    accounts.disable(store, "bo")
    with pytest.raises(ProxyRefused, match="'bo' is disabled"):
        proxy_actor(store, "bo", "analyst")


def test_in_the_app_a_request_without_the_user_header_gets_one_sentence_and_no_data(own_sample, monkeypatch):
    """AppTest sends no request headers: with the proxy configured, that is a request that did not come
    through the proxy. Nothing of the data is read, no account is made."""
    monkeypatch.setenv("DASHBOARD_DB_URL", own_sample)
    monkeypatch.setenv(settings.AUTH_PROXY_VAR, json.dumps(CONFIG))
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
        at.switch_page("views/timeline.py")
        at.run()
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == [
        "This dashboard signs people in through the organisation's single sign-on, and this request came without "
        "the X-Forwarded-User header: open the dashboard at the proxy's address, not directly."]
    assert not at.text_input  # no password form either
    assert not at.sidebar.markdown
    assert not [q for q in seen if DATA_READ.search(q)]
    engine = open_engine(own_sample)
    assert not accounts.any_accounts(engine)
    engine.dispose()
