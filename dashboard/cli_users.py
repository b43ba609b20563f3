"""``python -m dashboard users ...``: accounts of the store (add, list, set-role, disable, enable,
reset-password). Passwords come from a prompt (asked twice) or, when standard input is not a terminal,
from its first line; they are never taken as arguments (they would stay in the shell's history)."""

from __future__ import annotations

import argparse
import getpass
import sys

from dashboard.vocab import ROLES


def add_parser(sub) -> None:
    p = sub.add_parser("users", help="accounts and roles: add, list, set-role, disable, enable, reset-password")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    q = users.add_parser("add", help="add an account (password from a prompt or standard input)")
    q.add_argument("name", help="account name: letters, digits, '.', '_' or '-'")
    q.add_argument("--role", choices=ROLES, required=True,
                   help="viewer: read, export, briefings; analyst: also curate, add articles, import, override "
                   "stability arrows; admin: also manage accounts")
    users.add_parser("list", help="list the accounts with their roles")
    q = users.add_parser("set-role", help="change an account's role (its sessions end)")
    q.add_argument("name")
    q.add_argument("role", choices=ROLES)
    q = users.add_parser("disable", help="disable an account (its sessions end at once; its edits stay logged)")
    q.add_argument("name")
    q = users.add_parser("enable", help="enable a disabled account again")
    q.add_argument("name")
    q = users.add_parser("reset-password", help="set a new password (from a prompt or standard input)")
    q.add_argument("name")


def read_password(name: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("The two passwords differ: nothing was changed.")
    return first


def run(args: argparse.Namespace, url: str) -> int:
    from dashboard.store import accounts, open_engine

    engine = open_engine(url)
    try:
        action = args.users_command
        if action == "list":
            rows = accounts.list_accounts(engine)
            if not rows:
                print("No accounts: the dashboard runs single-user on 127.0.0.1.")
            for r in rows:
                state = "disabled" if r["disabled"] else "active"
                print(f"{r['name']}\t{r['role']}\t{state}\tsince {r['created_at']:%Y-%m-%d}")
            return 0
        if action == "add":
            accounts.add_account(engine, args.name, args.role, read_password(args.name))
            print(f"Account {args.name} added ({args.role}).")
        elif action == "set-role":
            accounts.set_role(engine, args.name, args.role)
            print(f"{args.name} is now {args.role}.")
        elif action == "disable":
            accounts.disable(engine, args.name)
            print(f"{args.name} is disabled; its sessions have ended.")
        elif action == "enable":
            accounts.disable(engine, args.name, disabled=False)
            print(f"{args.name} is enabled again.")
        elif action == "reset-password":
            accounts.reset_password(engine, args.name, read_password(args.name))
            print(f"The password of {args.name} is changed; its sessions have ended.")
        return 0
    except (accounts.AccountError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
