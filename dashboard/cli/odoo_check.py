"""``python -m dashboard odoo-check --url URL --db DB --user LOGIN``: what the Odoo API offers this app.

Prints the Odoo version, the installed apps, the role the user's groups map to (the settings' group
table) and, per KPI family, whether the user may read the models it needs. The password comes from
standard input when it is not a terminal, else a prompt without echo. Any failure: one line on stderr,
exit status 2.
"""
from __future__ import annotations

import getpass
import sys

__all__ = ["add_parser", "FAMILY_MODELS"]

# The Odoo models each KPI family reads (KPIS.md): the API path can serve a family only where all are readable.
FAMILY_MODELS = {
    "production": ("mrp.production", "mrp.workorder", "mrp.workcenter", "mrp.workcenter.productivity"),
    "supply": ("purchase.order.line", "sale.order.line", "stock.move", "stock.picking"),
    "quality": ("quality.check", "quality.alert", "stock.scrap"),
    "finance": ("account.move.line", "account.move", "res.currency"),
}


def add_parser(sub) -> None:
    parser = sub.add_parser("odoo-check", help="check an Odoo server's API for this app",
                            description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="Odoo base URL (https://erp.example.com)")
    parser.add_argument("--db", required=True, help="Odoo database name")
    parser.add_argument("--user", required=True, help="Odoo login")
    parser.add_argument("--transport", choices=("jsonrpc", "xmlrpc"), default="jsonrpc")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per call (default 15)")
    parser.set_defaults(func=run)


def _password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Odoo password: ")
    return sys.stdin.readline().rstrip("\r\n")


def run(args) -> int:
    from dashboard.auth.odoo_login import group_roles, role_for
    from dashboard.settings import Settings, SettingsError
    from data_access.odoo_api import OdooApiError, OdooClient

    try:
        table = group_roles(Settings.from_env())
        client = OdooClient(args.url, args.db, transport=args.transport, connect_timeout=min(5.0, args.timeout),
                            timeout=args.timeout, retries=1)
        client.authenticate(args.user, _password())
        version = client.version()
        apps = client.installed_apps()
        info = client.user_info(candidates=list(table))
        readable = {m: client.can_read(m) for models in FAMILY_MODELS.values() for m in models}
    except (OdooApiError, SettingsError, ValueError) as error:
        print(f"odoo-check: {error}", file=sys.stderr)
        return 2
    role = role_for(info.groups, table)
    print(f"Odoo {version.serie} at {args.url} (database {args.db}, transport {args.transport})")
    print(f"installed apps: {', '.join(apps)}")
    print(f"user {info.login} (uid {info.uid}): role {role or 'none (no mapped group: sign-in refused)'}; "
          f"companies {', '.join(map(str, info.company_ids)) or 'none'}")
    print("KPI families (SQL path: every family, from the replica; API path: where this user reads every model):")
    for family, models in FAMILY_MODELS.items():
        missing = [m for m in models if not readable[m]]
        print(f"  {family}: " + ("API path yes" if not missing else f"API path no (cannot read {', '.join(missing)})"))
    return 0
