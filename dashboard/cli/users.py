"""``python -m dashboard users add|list|disable|set-role|passwd``: manage the app's users.

Passwords never go on the command line: ``--password-stdin`` reads one line from standard input,
otherwise the password is asked twice without echo. Errors print one line on stderr, exit 2.
"""
from __future__ import annotations

import getpass
import sys

from dashboard.auth.access import ROLES

__all__ = ["add_parser", "parse_ids", "MIN_PASSWORD_LENGTH"]

MIN_PASSWORD_LENGTH = 8


class CommandError(Exception):
    """A one-line message for stderr; the command exits with status 2."""


def parse_ids(text: str | None) -> tuple[int, ...] | None:
    """'1,2' -> (1, 2); None, '' or 'all' -> None (no restriction)."""
    if text is None or text.strip().lower() in ("", "all"):
        return None
    try:
        ids = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise CommandError(f"ids must be comma-separated integers, not {text!r}") from None
    if not ids or any(i <= 0 for i in ids):
        raise CommandError(f"ids must be positive integers, not {text!r}")
    return ids


def _role(value: str) -> str:
    if value not in ROLES:
        raise CommandError(f"unknown role {value!r}; one of: {', '.join(ROLES)}")
    return value


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise CommandError("the passwords differ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _store():
    from dashboard.settings import Settings
    from data_access.app_store import AppStore

    settings = Settings.from_env()
    return AppStore(settings.effective_store_url).create_schema()


def _ids_text(ids) -> str:
    return "all" if ids is None else ",".join(str(i) for i in ids)


def _add(args, store) -> str:
    password = _read_password(args.password_stdin)
    store.add_user(args.username, password, _role(args.role), parse_ids(args.companies), parse_ids(args.sites),
                   actor="cli")
    return f"added {args.username.strip().lower()} ({args.role})"


def _list(args, store) -> str:
    header = ("USERNAME", "ROLE", "COMPANIES", "SITES", "ACTIVE", "LAST LOGIN (UTC)")
    rows = [header] + [
        (
            u.username,
            u.role,
            _ids_text(u.company_ids),
            _ids_text(u.warehouse_ids),
            "yes" if u.active else "no",
            u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "never",
        )
        for u in store.list_users()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _disable(args, store) -> str:
    user = store.disable_user(args.username, actor="cli")
    return f"disabled {user.username}; their sessions have ended"


def _set_role(args, store) -> str:
    from data_access.app_store import UnknownUser

    role = _role(args.role)
    current = store.find_user(args.username)
    if current is None:
        raise UnknownUser(f"no user {args.username.strip().lower()!r}")
    # An omitted option keeps the current scope; 'all' lifts the restriction.
    companies = current.company_ids if args.companies is None else parse_ids(args.companies)
    sites = current.warehouse_ids if args.sites is None else parse_ids(args.sites)
    user = store.set_role(args.username, role, companies, sites, actor="cli")
    return (f"{user.username} is now {user.role} (companies {_ids_text(user.company_ids)}, "
            f"sites {_ids_text(user.warehouse_ids)}); their sessions have ended")


def _passwd(args, store) -> str:
    from data_access.app_store import UnknownUser

    if store.find_user(args.username) is None:
        raise UnknownUser(f"no user {args.username.strip().lower()!r}")
    user = store.set_password(args.username, _read_password(args.password_stdin), actor="cli")
    return f"password of {user.username} changed; their sessions have ended"


def _run(action):
    def run(args) -> int:
        from dashboard.settings import SettingsError
        from data_access.app_store import AppStoreError

        try:
            print(action(args, _store()))
        except (CommandError, AppStoreError, SettingsError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0

    return run


def add_parser(sub) -> None:
    p = sub.add_parser("users", help="manage the app's users (store: ODOO_DASH_STORE_URL)")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    def scope_options(parser, default):
        parser.add_argument("--companies", metavar="IDS", help=f"comma-separated res.company ids or 'all' (default: {default})")
        parser.add_argument("--sites", metavar="IDS", help=f"comma-separated stock.warehouse ids or 'all' (default: {default})")

    add = users.add_parser("add", help="add a user (password from stdin or asked)")
    add.add_argument("username")
    add.add_argument("--role", required=True, help=f"one of: {', '.join(ROLES)}")
    scope_options(add, "all")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=_run(_add))

    lst = users.add_parser("list", help="list users")
    lst.set_defaults(func=_run(_list))

    disable = users.add_parser("disable", help="disable a user and end their sessions")
    disable.add_argument("username")
    disable.set_defaults(func=_run(_disable))

    set_role = users.add_parser("set-role", help="change role and scope (ends the user's sessions)")
    set_role.add_argument("username")
    set_role.add_argument("role", help=f"one of: {', '.join(ROLES)}")
    scope_options(set_role, "unchanged")
    set_role.set_defaults(func=_run(_set_role))

    passwd = users.add_parser("passwd", help="set a new password (ends the user's sessions)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(func=_run(_passwd))
