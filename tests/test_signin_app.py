"""Sign-in in the app (AppTest on a copy of the sample store): with accounts, a visitor sees only the
sign-in form and no statement reads the data; signed in, the pages show the data and the sidebar the
account; a viewer gets no curation, upload or import controls; without accounts, single-user mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest

from dashboard.store import accounts, curation, open_engine
from tests.conftest import count_sample_events

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PASSWORD = "correct horse battery"
DATA_READ = re.compile(r"\bFROM\s+\"?(events|articles|developments|article_tags|event_\w+|edits|events_fts|"
                       r"articles_fts)\b", re.IGNORECASE)
#: Titles of sample developments that the Overview and Timeline show once signed in.
SAMPLE_WORDS = ("Republika Srpska", "development(s)")


@pytest.fixture
def team_store(own_sample):
    engine = open_engine(own_sample)
    accounts.add_account(engine, "ana", "analyst", PASSWORD)
    accounts.add_account(engine, "vic", "viewer", "viewer password 1")
    engine.dispose()
    return own_sample


@pytest.fixture
def statements():
    """Every SQL statement any engine runs while the test runs (the app runs in this process)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def _page_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "error", "success")
             for e in getattr(at, kind)]
    parts += [e.label for e in at.text_input]
    return "\n".join(str(p) for p in parts)


def _open(url, monkeypatch, page="views/timeline.py") -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _sign_in(at, name: str, password: str) -> AppTest:
    at.text_input(key="auth.name").set_value(name)
    at.text_input(key="auth.password").set_value(password)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["views/timeline.py", "views/map.py", "views/overview.py", "views/brief.py",
                                  "views/add.py"])
def test_a_visitor_sees_only_the_sign_in_form(team_store, monkeypatch, statements, page):
    at = _open(team_store, monkeypatch, page)
    assert [t.label for t in at.text_input] == ["Account name", "Password"]
    assert not at.dataframe and not at.get("plotly_chart") and not at.multiselect and not at.date_input
    assert not at.get("download_button") and not at.sidebar.multiselect and not at.sidebar.button
    text = _page_text(at)
    assert not any(word in text for word in SAMPLE_WORDS), text
    reads = [st for st in statements if DATA_READ.search(st)]
    assert reads == [], reads[:3]


def test_after_sign_in_the_data_and_the_account_show(team_store, monkeypatch, statements):
    at = _open(team_store, monkeypatch)
    _sign_in(at, "ana", "wrong password!")
    assert any("Wrong account name or password" in e.value for e in at.error)
    assert not [st for st in statements if DATA_READ.search(st)]
    _sign_in(at, "ana", PASSWORD)
    captions = " ".join(c.value for c in at.caption)
    assert f"({count_sample_events()} reports)" in captions  # the timeline's header: the sample's 79 reports
    assert any("**ana** · analyst" in m.value for m in at.sidebar.markdown)
    assert any(b.label == "Sign out" for b in at.sidebar.button)
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert [t.label for t in at.text_input] == ["Account name", "Password"]


def test_an_expired_session_asks_to_sign_in_again(team_store, monkeypatch):
    at = _open(team_store, monkeypatch)
    _sign_in(at, "ana", PASSWORD)
    engine = open_engine(team_store)
    accounts.disable(engine, "ana")  # ends her sessions, as an expiry would
    engine.dispose()
    at.run()
    assert any("Your session has ended" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["Account name", "Password"]


def _judge_expanders(at) -> list:
    return [e for e in at.expander if "yourself (analyst)" in e.label]


def test_a_viewer_sees_no_curation_upload_or_import_controls(team_store, monkeypatch):
    at = _open(team_store, monkeypatch, "views/overview.py")
    _sign_in(at, "vic", "viewer password 1")
    assert any("**vic** · viewer" in m.value for m in at.sidebar.markdown)
    assert _judge_expanders(at) == []
    # the map with an event's panel open: no correction form
    at.switch_page("views/map.py").run()
    from dashboard.filters import Filters

    at.session_state["map.event"] = ("seed-rs-russia-gas-agreement", Filters())
    at.run()
    assert not at.exception
    assert not [e for e in at.expander if e.label.startswith("Correct")]
    # the Add page (uploads, pasted articles, imports) is not in a viewer's app at all
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/add.py")
    # an analyst gets the same controls
    at2 = _open(team_store, monkeypatch, "views/overview.py")
    _sign_in(at2, "ana", PASSWORD)
    assert len(_judge_expanders(at2)) == 1
    at2.switch_page("views/map.py").run()
    at2.session_state["map.event"] = ("seed-rs-russia-gas-agreement", Filters())
    at2.run()
    assert [e for e in at2.expander if e.label == "Correct or verify this event"]


def test_an_analysts_correction_is_logged_under_the_account(team_store, monkeypatch):
    from dashboard.filters import Filters

    at = _open(team_store, monkeypatch, "views/map.py")
    _sign_in(at, "ana", PASSWORD)
    event_id = "seed-rs-russia-gas-agreement"
    at.session_state["map.event"] = (event_id, Filters())
    at.run()
    key = f"curation.map.{event_id}"
    assert not [t for t in at.text_input if t.key == f"{key}.editor"]  # no name to type: the account is logged
    at.text_input(key=f"{key}.title").set_value("Republika Srpska and Russia: gas agreement (retitled)")
    next(b for b in at.button if b.label == "Save correction" and key in b.form_id).click().run()
    assert not at.exception, [e.message for e in at.exception]
    engine = open_engine(team_store)
    assert curation.history(engine, "event", event_id)[0]["editor"] == "ana"
    engine.dispose()


def test_without_accounts_the_app_is_single_user(own_sample, monkeypatch):
    at = _open(own_sample, monkeypatch)
    assert not [t for t in at.text_input if t.key == "auth.name"]
    assert any("**Single user** on 127.0.0.1" in m.value for m in at.sidebar.markdown)
    assert f"({count_sample_events()} reports)" in " ".join(c.value for c in at.caption)


def test_auth_required_in_secrets_turns_the_gate_on_without_accounts(own_sample, monkeypatch, statements):
    monkeypatch.setenv("DASHBOARD_AUTH_REQUIRED", "1")
    at = _open(own_sample, monkeypatch)
    assert [t.label for t in at.text_input] == ["Account name", "Password"]
    assert not [st for st in statements if DATA_READ.search(st)]


def test_an_admin_manages_accounts_in_the_app_and_an_analyst_cannot(team_store, monkeypatch):
    engine = open_engine(team_store)
    accounts.add_account(engine, "root", "admin", "admin password 1")
    engine.dispose()
    at = _open(team_store, monkeypatch)
    _sign_in(at, "ana", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/accounts.py")
    at = _open(team_store, monkeypatch)
    _sign_in(at, "root", "admin password 1")
    at.switch_page("views/accounts.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert set(at.dataframe[0].value["account"]) == {"ana", "root", "vic"}
    at.text_input(key="accounts.add.name").set_value("bo")
    at.selectbox(key="accounts.add.role").set_value("viewer")
    at.text_input(key="accounts.add.password").set_value("bo password 12")
    next(b for b in at.button if b.label == "Add account").click().run()
    assert any("Account bo added (viewer)" in s.value for s in at.success), [e.value for e in at.error]
    engine = open_engine(team_store)
    assert accounts.sign_in(engine, "bo", "bo password 12").actor.role == "viewer"
    engine.dispose()


@pytest.mark.parametrize("address", ["0.0.0.0", ""])
def test_without_accounts_another_address_is_refused(own_sample, monkeypatch, statements, address):
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", address)
    try:
        at = _open(own_sample, monkeypatch)
    finally:
        config.set_option("server.address", before)
    assert any("runs for one person on this machine only" in e.value for e in at.error)
    assert not at.dataframe and not at.multiselect
    assert not [st for st in statements if DATA_READ.search(st)]
