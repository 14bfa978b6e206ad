"""``python -m dashboard odoo-check --url URL --db DB --user LOGIN``: what the Odoo API offers this app.

Prints the Odoo version, the installed apps, the role the user's groups map to (the settings' group
table) and, per KPI family, whether the API path computes it and the user may read every model it reads
there (``family_models``: derived from the families and the API twins' source, not a hand list). The password comes from
standard input when it is not a terminal, else a prompt without echo. Any failure: one line on stderr,
exit status 2.
"""
from __future__ import annotations

import getpass
import sys

__all__ = ["add_parser", "family_models", "api_sums_of"]


class _Recorded(Exception):
    """Stops a KPI family's compute at its first read: the sums function it asked for is all we wanted."""


class _AnyApps:
    series = "17.0"

    def has(self, _name: str) -> bool:
        return True


class _Recorder:
    """Stands for the replica: records the sums function a family's compute runs."""

    info = _AnyApps()

    def __init__(self):
        self.functions: list = []

    def run(self, fn, *_args, **_kwargs):
        self.functions.append(fn)
        raise _Recorded


def api_sums_of(family) -> list:
    """The SQL sums functions a KPI family (``dashboard.kpis.registry.Family``) reads, found by running its
    compute against a recorder (every scope kind it offers, no bucket; each run stops at its first read, which
    is the one read of every built-in family)."""
    from datetime import datetime

    from data_access.context import QueryContext

    recorder = _Recorder()
    ctx = QueryContext(datetime(2026, 1, 1), datetime(2026, 1, 31), 0, None, None, "en_US")
    for kind in ((family.scopes,) if family.multi_kind else family.scopes):
        try:
            family.compute(recorder, ctx, kind, None)
        except _Recorded:
            pass
    return list(dict.fromkeys(recorder.functions))


def family_models() -> dict[str, tuple[tuple[str, ...], tuple[str, ...] | None, str | None]]:
    """Per KPI family: ``(its KPIs, the Odoo models the API path reads for it or None, why the API path does
    not serve it or None)``, derived from the families' own sums functions and the API twins' source
    (``data_access.odoo_api.models_read``), never a hand list."""
    import dashboard.kpis.families  # noqa: F401 - registers the built-in families
    from dashboard.kpis.registry import FAMILIES
    from data_access.odoo_api.families import API_SUMS, NOT_SERVED
    from data_access.odoo_api.models_read import models_read

    out = {}
    for name, family in FAMILIES.items():
        sums = api_sums_of(family)
        missing = [fn for fn in sums if fn not in API_SUMS]
        if missing or not sums:
            reason = NOT_SERVED.get(missing[0]) if missing else None
            out[name] = (family.kpis, None, reason or "not computed through the Odoo API path")
        else:
            out[name] = (family.kpis, tuple(sorted({m for fn in sums for m in models_read(API_SUMS[fn])})), None)
    return out


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
        families = family_models()
        readable = {m: client.can_read(m) for _, models, _ in families.values() for m in models or ()}
    except (OdooApiError, SettingsError, ValueError) as error:
        print(f"odoo-check: {error}", file=sys.stderr)
        return 2
    role = role_for(info.groups, table)
    print(f"Odoo {version.serie} at {args.url} (database {args.db}, transport {args.transport})")
    print(f"installed apps: {', '.join(apps)}")
    print(f"user {info.login} (uid {info.uid}): role {role or 'none (no mapped group: sign-in refused)'}; "
          f"companies {', '.join(map(str, info.company_ids)) or 'none'}")
    print("KPIs per family (SQL path: every family, from the replica; API path: where the path computes it and "
          "this user reads every model it needs):")
    for family, (kpis, models, reason) in families.items():
        if models is None:
            verdict = f"API path no ({reason})"
        else:
            denied = [m for m in models if not readable[m]]
            verdict = "API path yes" if not denied else f"API path no (cannot read {', '.join(denied)})"
        print(f"  {family} ({', '.join(kpis)}): {verdict}")
    return 0
