"""``python -m dashboard kpis``: every KPI at every scope of an Odoo database, as JSON or a table.

Two data paths give the same output: ``--db-url`` reads a replica (SQL), ``--odoo-url/--odoo-db/--odoo-user``
reads Odoo over its API as that user (password from standard input when it is not a terminal, else a
prompt); a KPI the API path cannot give exactly is reported ``unavailable`` with the reason."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.cli.args import read_password, whole_number

__all__ = ["add_parser", "run"]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone: {value!r}") from None
    return value


def add_parser(sub) -> None:
    p = sub.add_parser("kpis", help="compute every KPI at every scope and print them")
    p.add_argument("--db-url", default=None, help="SQLAlchemy URL of an Odoo 17/18 database (or the demo SQLite file)")
    p.add_argument("--odoo-url", default=None, help="instead of --db-url: Odoo's base URL, read through its API")
    p.add_argument("--odoo-db", default=None, help="with --odoo-url: the Odoo database name")
    p.add_argument("--odoo-user", default=None, help="with --odoo-url: the Odoo login whose access rules apply")
    p.add_argument("--odoo-transport", choices=("jsonrpc", "xmlrpc"), default="jsonrpc",
                   help="with --odoo-url: JSON-RPC (odoorpc, default) or XML-RPC")
    p.add_argument("--as-of", type=_date, default=None, help="last day of the period (default: today in --tz)")
    p.add_argument("--days", type=whole_number("days", 1, 3660), default=30, help="period length in whole days (default 30)")
    p.add_argument("--tz", type=_zone, default="UTC", help="time zone in which days begin (default UTC)")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("--parallel", type=whole_number("parallel", 1, 10), default=3,
                   help="KPI families computed at once, each on its own connection (default 3; 1: one by one)")
    p.add_argument("--lang", default="en_US", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def _db_url(raw: str) -> str:
    if "://" not in raw and raw.endswith((".sqlite", ".db", ".sqlite3")):
        return f"sqlite:///{raw}"
    return raw


def _format_value(kpi_def, value) -> str:
    if value is None:
        return "-"
    if kpi_def.unit == "ratio":
        return f"{value * 100:.1f} %"
    if kpi_def.unit == "count":
        return f"{value:.0f}"
    return f"{value:,.2f}"


def _table(payload: dict, catalogue) -> str:
    header = ("KPI", "SCOPE", "VALUE", "STATUS", "REASON")
    rows = []
    for r in payload["results"]:
        (kind, sid), = r["scope"].items()
        rows.append((r["kpi"], f"{kind}={sid}", _format_value(catalogue[r["kpi"]], r["value"]), r["status"], r.get("reason", "")))
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:{'>' if i == 2 else '<'}{w}}}" for i, w in enumerate(widths))
    title = f"as of {payload['as_of']}, {payload['days']} days, Odoo {payload['odoo_version']}"
    return "\n".join([title, fmt.format(*header), *(fmt.format(*row) for row in rows)]).rstrip()


def _source_error(args) -> str | None:
    """Why the arguments name no data source, or two (None: exactly one, complete)."""
    if bool(args.db_url) == bool(args.odoo_url):
        return "give either --db-url or --odoo-url (with --odoo-db and --odoo-user)"
    if args.odoo_url and not (args.odoo_db and args.odoo_user):
        return "--odoo-url needs --odoo-db and --odoo-user"
    return None


def _open_source(args):
    """``(source, parallel)``: the replica, or Odoo's API signed in as ``--odoo-user`` (one family at a time:
    one client, one connection)."""
    if args.db_url:
        from data_access.engine import Replica

        return Replica(_db_url(args.db_url)), args.parallel
    from data_access.odoo_api import OdooClient
    from data_access.odoo_api.kpi_source import ApiSource, odoo_errors

    client = OdooClient(args.odoo_url, args.odoo_db, transport=args.odoo_transport)
    with odoo_errors("signing in to Odoo"):
        client.authenticate(args.odoo_user, read_password())
    return ApiSource(client), 1


def run(args) -> int:
    from dashboard.kpis.catalogue import Catalogue
    from dashboard.kpis.engine import evaluate
    from dashboard.kpis.period import Period
    from data_access.errors import DataError

    problem = _source_error(args)
    if problem:
        print(f"python -m dashboard kpis: error: {problem} (see --help)", file=sys.stderr)
        return 2
    as_of = args.as_of or datetime.now(UTC).astimezone(ZoneInfo(args.tz)).date()
    period = Period(as_of, args.days, args.tz)
    catalogue = Catalogue()
    try:
        source, parallel = _open_source(args)
        results = evaluate(source, period.context(lang=args.lang), catalogue, parallel=parallel)
        series = source.info.series
    except DataError as error:
        print(f"error: {error.user_message} ({error.reason})", file=sys.stderr)
        return 2
    except Exception as error:  # a bad URL, a missing driver: still one line, still status 2
        print(f"error: cannot read the database: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
              file=sys.stderr)
        return 2
    order = {k: i for i, k in enumerate(catalogue.ids())}
    results.sort(key=lambda r: (order[r.kpi], r.scope_kind, r.scope_id if r.scope_id is not None else -1))
    payload = {"as_of": as_of.isoformat(), "days": args.days, "odoo_version": series,
               "results": [r.as_json() for r in results]}
    if args.format == "json":
        print(json.dumps(payload))
    else:
        print(_table(payload, catalogue))
    return 0
