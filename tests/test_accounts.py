"""Accounts on a real SQLite store: Argon2 hashes, throttled and logged failures, sessions that expire,
the store refusing a viewer's writes however it is called, and the ``users`` commands."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from test_migrations import pg_database  # noqa: F401  (a database of its own on the throwaway server)

from dashboard.__main__ import main
from dashboard.ingest import pipeline
from dashboard.store import accounts, curation, judgements, open_engine, queries
from dashboard.store import schema as s
from dashboard.store.accounts import Actor, NotAllowed, SignInRefused

GAS = "seed-rs-russia-gas-agreement"
T0 = datetime(2026, 12, 1, 9, 0)
PASSWORD = "correct horse battery"


@pytest.fixture
def store(own_sample):
    engine = open_engine(own_sample)
    accounts.add_account(engine, "ana", "analyst", PASSWORD)
    accounts.add_account(engine, "vic", "viewer", "viewer password 1")
    yield engine
    engine.dispose()


def _edits(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.edits)).scalar_one()


def test_password_is_stored_as_an_argon2_hash(store):
    with store.connect() as conn:
        stored = conn.execute(select(s.accounts.c.password_hash).where(s.accounts.c.name == "ana")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    session = accounts.sign_in(store, "ana", PASSWORD, now=T0)
    assert session.actor == Actor("ana", "analyst", session.actor.account_id)
    assert accounts.session_actor(store, session.token, now=T0 + timedelta(minutes=5)).name == "ana"


def test_wrong_password_and_unknown_name_get_the_same_answer(store):
    with pytest.raises(SignInRefused, match="^Wrong account name or password.$"):
        accounts.sign_in(store, "ana", "not the password", now=T0)
    with pytest.raises(SignInRefused, match="^Wrong account name or password.$"):
        accounts.sign_in(store, "nobody", PASSWORD, now=T0)
    assert accounts.failed_sign_ins(store, "ana") == 1 and accounts.failed_sign_ins(store, "nobody") == 1


def test_failed_sign_ins_are_throttled_and_logged(store, caplog):
    for i in range(accounts.FREE_FAILURES):  # five wrong passwords, a second apart
        with pytest.raises(SignInRefused):
            accounts.sign_in(store, "ana", f"guess {i}", now=T0 + timedelta(seconds=i))
    last = T0 + timedelta(seconds=accounts.FREE_FAILURES - 1)
    # locked now: even the right password is refused, without being checked
    with pytest.raises(SignInRefused, match="Too many failed sign-ins for 'ana': try again in"):
        accounts.sign_in(store, "ana", PASSWORD, now=last + timedelta(seconds=10))
    assert accounts.failed_sign_ins(store, "ana") == 6  # 5 wrong passwords + 1 while locked
    assert sum("refused sign-in for 'ana'" in r.getMessage() for r in caplog.records) == 6
    # the lock (30 s after the fifth failure) ends; the right password works and clears the count
    session = accounts.sign_in(store, "ana", PASSWORD, now=last + timedelta(seconds=31))
    assert session.actor.name == "ana"
    with store.connect() as conn:
        assert conn.execute(select(s.accounts.c.failed_sign_ins).where(s.accounts.c.name == "ana")).scalar() == 0


def test_the_lock_doubles_with_each_further_failure():
    assert accounts._lock_for(4) is None
    assert [accounts._lock_for(n).total_seconds() for n in (5, 6, 7)] == [30, 60, 120]
    assert accounts._lock_for(40).total_seconds() == 15 * 60


def test_sessions_expire_and_end_when_the_account_is_disabled(store):
    session = accounts.sign_in(store, "ana", PASSWORD, now=T0, session_hours=1)
    assert accounts.session_actor(store, session.token, now=T0 + timedelta(minutes=59)) is not None
    assert accounts.session_actor(store, session.token, now=T0 + timedelta(minutes=61)) is None
    session = accounts.sign_in(store, "ana", PASSWORD, now=T0)
    accounts.disable(store, "ana")
    assert accounts.session_actor(store, session.token, now=T0) is None
    with pytest.raises(SignInRefused, match="disabled"):
        accounts.sign_in(store, "ana", PASSWORD, now=T0)


def test_the_store_refuses_a_viewers_writes(store):
    before = queries.get_event(store, GAS)
    edits = _edits(store)
    viewer = accounts.sign_in(store, "vic", "viewer password 1").actor
    with pytest.raises(NotAllowed, match=r"'vic' \(viewer\) may not correct or curate"):
        curation.edit_event(store, GAS, {"status": "occurred"}, viewer)
    with pytest.raises(NotAllowed):
        curation.add_tag(store, 1, "topic", "energy", viewer)
    with pytest.raises(NotAllowed, match="override stability arrows"):
        judgements.set_judgement(store, "BA", "2023-05", "deteriorated", "Reason.", viewer)
    # an Actor that claims more than its account has is checked against the stored role
    with pytest.raises(NotAllowed, match="viewer"):
        curation.edit_event(store, GAS, {"status": "occurred"}, Actor("vic", "admin"))
    # with accounts in the store, a typed name is not enough either
    with pytest.raises(NotAllowed, match="sign in"):
        curation.edit_event(store, GAS, {"status": "occurred"}, "Ana")
    after = queries.get_event(store, GAS)
    assert (after["status"], after["verification"]) == (before["status"], before["verification"])
    assert _edits(store) == edits


def test_an_analysts_write_is_logged_under_the_account(store):
    analyst = accounts.sign_in(store, "ana", PASSWORD).actor
    assert curation.edit_event(store, GAS, {"date_end": date(2024, 6, 30)}, analyst) == ["date_end"]
    assert curation.history(store, "event", GAS)[0]["editor"] == "ana"
    accounts.set_role(store, "ana", "viewer")  # lowered: her next write is refused at once
    with pytest.raises(NotAllowed):
        curation.edit_event(store, GAS, {"date_end": date(2024, 7, 31)}, analyst)


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (s.events, s.articles))


TWO_EVENTS = "".join(
    f'{{"type": "event", "id": "import-check-{n}", "title": "Imported event {n}", "status": "occurred", '
    f'"date_start": "2024-0{n}-10", "date_precision": "day", "countries": ["ME"], "source_name": "test"}}\n'
    for n in (1, 2))


def test_the_ingest_refuses_a_viewer_however_it_is_called(store, tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text(TWO_EVENTS, encoding="utf-8")
    viewer = accounts.sign_in(store, "vic", "viewer password 1").actor
    before = _counts(store)
    with pytest.raises(NotAllowed, match="'vic' \\(viewer\\) may not import files"):
        pipeline.ingest_file(store, path, actor=viewer)
    with pytest.raises(NotAllowed, match="may not import files"):
        pipeline.ingest_file(store, path, data=path.read_bytes(), name="two.jsonl", actor=viewer)
    with pytest.raises(NotAllowed, match="may not import files"):
        pipeline.ingest_paths(store, [str(path)], actor=viewer)
    with pytest.raises(NotAllowed, match="may not import files"):
        pipeline.ingest_items(store, [(1, {"type": "event", "id": "x", "title": "X", "status": "occurred",
                                           "countries": ["ME"]})], "items", actor=viewer)
    with pytest.raises(NotAllowed, match="may not add articles"):
        pipeline.ingest_text(store, "Protest in Podgorica. " * 20, title="Pasted", actor=viewer)
    with pytest.raises(NotAllowed, match="sign in"):  # a typed name at a store with accounts
        pipeline.ingest_file(store, path, actor="single user")
    assert _counts(store) == before
    # an analyst's import goes through: the file's two events
    analyst = accounts.sign_in(store, "ana", PASSWORD).actor
    report = pipeline.ingest_file(store, path, actor=analyst)
    assert (report.events_created, report.problems) == (2, [])
    assert _counts(store) == (before[0] + 2, before[1])
    accounts.set_role(store, "ana", "viewer")  # lowered: the next import is refused at once
    with pytest.raises(NotAllowed):
        pipeline.ingest_file(store, path, actor=analyst)


def test_bad_account_input_is_one_sentence(store):
    with pytest.raises(accounts.AccountError, match="is not an account name"):
        accounts.add_account(store, "<script>x</script>", "analyst", PASSWORD)
    with pytest.raises(accounts.AccountError, match="not a role"):
        accounts.add_account(store, "bo", "owner", PASSWORD)
    with pytest.raises(accounts.AccountError, match="too short"):
        accounts.add_account(store, "bo", "viewer", "short")
    with pytest.raises(accounts.AccountError, match="already an account"):
        accounts.add_account(store, "ana", "viewer", PASSWORD)


def test_a_typed_editor_name_with_markup_is_refused(own_sample):
    engine = open_engine(own_sample)  # no accounts: single-user, typed names
    with pytest.raises(curation.CurationError, match="cannot be an editor name"):
        curation.edit_event(engine, GAS, {"status": "occurred"}, "<img src=x onerror=alert(1)>")
    engine.dispose()


def _users(url, monkeypatch, *args, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", url, "users", *args])


def test_users_commands(db_url, monkeypatch, capsys):
    assert _users(db_url, monkeypatch, "list") == 0
    assert "No accounts" in capsys.readouterr().out
    assert _users(db_url, monkeypatch, "add", "ana", "--role", "analyst", stdin=PASSWORD + "\n") == 0
    assert _users(db_url, monkeypatch, "add", "bo", "--role", "viewer", stdin="another password\n") == 0
    assert _users(db_url, monkeypatch, "add", "bo", "--role", "viewer", stdin="another password\n") == 2
    assert "already an account 'bo'" in capsys.readouterr().err
    assert _users(db_url, monkeypatch, "set-role", "bo", "admin") == 0
    assert _users(db_url, monkeypatch, "disable", "ana") == 0
    capsys.readouterr()
    assert _users(db_url, monkeypatch, "list") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[:3] for line in lines] == [["ana", "analyst", "disabled"], ["bo", "admin", "active"]]
    assert _users(db_url, monkeypatch, "reset-password", "bo", stdin="a new password\n") == 0
    engine = open_engine(db_url)
    with pytest.raises(SignInRefused):
        accounts.sign_in(engine, "bo", "another password")
    assert accounts.sign_in(engine, "bo", "a new password").actor.role == "admin"
    with pytest.raises(SignInRefused, match="disabled"):
        accounts.sign_in(engine, "ana", PASSWORD)
    engine.dispose()
    assert _users(db_url, monkeypatch, "set-role", "nobody", "viewer") == 2
    assert "no account 'nobody'" in capsys.readouterr().err


def test_a_forced_rebuild_keeps_the_accounts_and_the_edits(own_sample, monkeypatch, capsys):
    engine = open_engine(own_sample)
    curation.edit_event(engine, GAS, {"date_end": date(2024, 6, 30)}, "Ana Analyst")  # single-user, typed
    accounts.add_account(engine, "ana", "analyst", PASSWORD)
    analyst = accounts.sign_in(engine, "ana", PASSWORD).actor
    curation.edit_event(engine, GAS, {"status": "occurred"}, analyst)
    engine.dispose()
    assert main(["--db", own_sample, "build-sample", "--force"]) in (0, 1)
    err = capsys.readouterr().err
    assert "2 analysts' edit(s) reapplied" in err and "1 account(s) kept" in err
    engine = open_engine(own_sample)
    assert accounts.sign_in(engine, "ana", PASSWORD).actor.role == "analyst"
    assert {e["editor"] for e in curation.history(engine, "event", GAS)} >= {"ana", "Ana Analyst"}
    engine.dispose()


@pytest.mark.postgres
def test_accounts_on_postgres(pg_database, monkeypatch):  # noqa: F811
    assert _users(pg_database, monkeypatch, "add", "ana", "--role", "analyst", stdin=PASSWORD + "\n") == 0
    assert _users(pg_database, monkeypatch, "add", "vic", "--role", "viewer", stdin="viewer password 1\n") == 0
    engine = open_engine(pg_database)
    for i in range(accounts.FREE_FAILURES):
        with pytest.raises(SignInRefused):
            accounts.sign_in(engine, "ana", f"guess {i}", now=T0)
    with pytest.raises(SignInRefused, match="Too many"):
        accounts.sign_in(engine, "ana", PASSWORD, now=T0 + timedelta(seconds=5))
    assert accounts.failed_sign_ins(engine, "ana") == 6
    session = accounts.sign_in(engine, "ana", PASSWORD, now=T0 + timedelta(minutes=1))
    assert accounts.session_actor(engine, session.token, now=T0 + timedelta(minutes=2)).role == "analyst"
    viewer = accounts.sign_in(engine, "vic", "viewer password 1").actor
    with pytest.raises(NotAllowed):
        judgements.set_judgement(engine, "BA", "2023-05", "deteriorated", "Reason.", viewer)
    assert judgements.set_judgement(engine, "BA", "2023-05", "deteriorated", "Reason.", session.actor)
    assert judgements.judgements(engine)[("BA", "2023-05")]["editor"] == "ana"
    engine.dispose()


def test_only_an_admin_manages_accounts_and_the_last_admin_stays(store):
    accounts.add_account(store, "root", "admin", "admin password 1")
    analyst = accounts.sign_in(store, "ana", PASSWORD).actor
    admin = accounts.sign_in(store, "root", "admin password 1").actor
    with pytest.raises(NotAllowed, match="may not manage accounts"):
        accounts.add_account(store, "eve", "admin", "eve password 1", by=analyst)
    with pytest.raises(NotAllowed):
        accounts.set_role(store, "ana", "admin", by=analyst)
    assert [r["name"] for r in accounts.list_accounts(store)] == ["ana", "root", "vic"]
    accounts.add_account(store, "bo", "analyst", "bo password 12", by=admin)
    accounts.set_role(store, "vic", "analyst", by=admin)
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.set_role(store, "root", "viewer", by=admin)
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.disable(store, "root")
    assert {r["name"]: r["role"] for r in accounts.list_accounts(store)} == {
        "ana": "analyst", "bo": "analyst", "root": "admin", "vic": "analyst"}


def test_disabling_every_account_keeps_access_control_on(db_url):
    engine = open_engine(db_url)
    assert not accounts.any_accounts(engine)
    accounts.add_account(engine, "vic", "viewer", "viewer password 1")
    accounts.disable(engine, "vic")
    assert accounts.any_accounts(engine)
    with pytest.raises(NotAllowed, match="sign in"):
        judgements.set_judgement(engine, "BA", "2023-05", "deteriorated", "Reason.", "Someone")
    engine.dispose()
