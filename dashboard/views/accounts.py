"""Accounts (admins only): who may sign in, with which role; add, change a role, disable, reset a password."""

import streamlit as st

from dashboard.ui import auth
from dashboard.vocab import ROLES

st.title("Accounts")
st.caption("Viewers read, export and make briefings; analysts also curate, add articles, import and override "
           "stability arrows; admins also manage accounts. A change of role, a disabled account or a new password "
           "ends that account's sessions at once. Every sign-in attempt is logged.")

_FLASH = "accounts.flash"
if message := st.session_state.pop(_FLASH, None):
    st.success(message, icon=":material/task_alt:")


def _do(action: str, name: str, *args, done: str) -> None:
    try:
        auth.manage(action, name, *args)
    except (ValueError, PermissionError) as exc:  # AccountError, NotAllowed: one sentence
        st.error(str(exc))
        return
    st.session_state[_FLASH] = done
    st.rerun()


rows = auth.account_rows()
st.dataframe([{"account": r["name"], "role": r["role"], "state": "disabled" if r["disabled"] else "active",
               "since": r["created_at"], "failed sign-ins in a row": r["failed_sign_ins"]} for r in rows],
             hide_index=True, width="stretch")

add_col, change_col = st.columns(2)
with add_col, st.form("accounts.add", clear_on_submit=True):
    st.markdown("**Add an account**")
    name = st.text_input("Account name", key="accounts.add.name", max_chars=64)
    role = st.selectbox("Role", ROLES, key="accounts.add.role")
    password = st.text_input("Password (10 characters or more)", type="password", key="accounts.add.password")
    if st.form_submit_button("Add account", type="primary"):
        _do("add", name, role, password, done=f"Account {name} added ({role}).")

names = [r["name"] for r in rows]
with change_col, st.form("accounts.change"):
    st.markdown("**Change an account**")
    who = st.selectbox("Account", names, key="accounts.change.name")
    new_role = st.selectbox("New role", ROLES, key="accounts.change.role")
    new_password = st.text_input("New password", type="password", key="accounts.change.password")
    role_b, disable_b, enable_b, password_b = st.columns(4)
    if role_b.form_submit_button("Set role"):
        _do("set_role", who, new_role, done=f"{who} is now {new_role}.")
    if disable_b.form_submit_button("Disable"):
        _do("disable", who, done=f"{who} is disabled.")
    if enable_b.form_submit_button("Enable"):
        _do("enable", who, done=f"{who} is enabled.")
    if password_b.form_submit_button("Reset password"):
        _do("reset_password", who, new_password, done=f"The password of {who} is changed.")
