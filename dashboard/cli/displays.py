"""``python -m dashboard displays add|list|revoke|rotate-token``: manage the wall displays.

``add`` and ``rotate-token`` print the display's URL with its token: the only time it is shown (the store
keeps a hash). ``list`` shows the token's first characters only. Errors print one line on stderr, exit 2.
"""
from __future__ import annotations

import sys
from datetime import date

from dashboard.cli.args import whole_number
from dashboard.tv_panels import DEFAULT_DWELL_S, DEFAULT_REFRESH_S, PANELS, THEMES

__all__ = ["add_parser"]


class CommandError(Exception):
    """A one-line message for stderr; the command exits with status 2."""


def _settings():
    from dashboard.settings import Settings

    return Settings.from_env()


def _store(settings):
    from data_access.app_store import AppStore

    return AppStore(settings.effective_store_url).create_schema()


def _site_company(settings, site_id: int) -> tuple[int | None, str | None]:
    """The company of the site on the replica, and a warning when the replica could not be asked."""
    from dashboard.kpis.period import Period
    from data_access.engine import Replica
    from data_access.errors import DataError
    from data_access.queries.dimensions import warehouses

    context = Period(date.today(), 1, settings.timezone).context(None, (site_id,), settings.lang)
    replica = Replica(settings.effective_replica_url, settings.statement_timeout_ms, pool_size=1)
    try:
        found = replica.run(warehouses, context)
    except DataError as error:
        return None, (f"warning: site {site_id} not checked, the replica did not answer ({error.user_message}); "
                      "the display is added without its company")
    finally:
        replica.dispose()
    if site_id not in found:
        raise CommandError(f"no active site (stock.warehouse) {site_id} on the replica")
    return found[site_id]["company_id"], None


def _url_lines(display, token: str, base: str) -> str:
    from dashboard.displays import display_url

    where = "" if base else " (on this dashboard's address)"
    return (f"Open this URL on the display{where}. It is shown only now; `rotate-token {display.id}` makes a new one:\n"
            f"  {display_url(token, base)}")


def _add(args, settings, store) -> str:
    from dashboard import displays

    checked = displays.spec(args.name, args.site, args.panels, args.dwell, args.refresh, args.theme)
    company, warning = _site_company(settings, checked.site_id)
    if warning:
        print(warning, file=sys.stderr)
    display, token = displays.add(checked, company, actor="cli", store=store)
    return f"added display {display.id} {display.name!r} (site {display.site_id})\n" + _url_lines(display, token, args.base_url)


def _list(args, settings, store) -> str:
    from dashboard import displays

    header = ("ID", "NAME", "SITE", "PLAYLIST", "REFRESH", "THEME", "STATUS", "TOKEN", "LAST SEEN (UTC)")
    rows = [header] + [(str(r["id"]), r["name"], str(r["site_id"]), r["playlist"], f"{r['refresh_s']}s", r["theme"],
                        r["status"], r["token"], r["last_seen"]) for r in displays.rows(store)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _revoke(args, settings, store) -> str:
    from dashboard import displays

    display = displays.revoke(args.id, actor="cli", store=store)
    return f"revoked display {display.id} {display.name!r}: its board stops at its next refresh"


def _rotate(args, settings, store) -> str:
    from dashboard import displays

    display, token = displays.rotate(args.id, actor="cli", store=store)
    return (f"new token for display {display.id} {display.name!r}: the old URL and the screens opened with it stop at "
            f"their next refresh\n" + _url_lines(display, token, args.base_url))


def _run(action):
    def run(args) -> int:
        from dashboard.displays import DisplayError
        from dashboard.settings import SettingsError

        try:
            settings = _settings()
            print(action(args, settings, _store(settings)))
        except (CommandError, DisplayError, SettingsError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0

    return run


def add_parser(sub) -> None:
    p = sub.add_parser("displays", help="manage the wall displays (TV boards) and their tokens")
    actions = p.add_subparsers(dest="displays_command", required=True, metavar="ACTION")

    def base_url(parser):
        parser.add_argument("--base-url", default="", metavar="URL",
                            help="the dashboard's address, e.g. https://ops.example.com (default: print the path)")

    add = actions.add_parser("add", help="add a display; print its URL with its token (shown once)")
    add.add_argument("--name", required=True, help="what the display is called (e.g. 'Assembly hall TV')")
    add.add_argument("--site", required=True, type=whole_number("site", 1, 2**31 - 1), help="its site: a stock.warehouse id")
    add.add_argument("--panels", default=None, help=f"comma-separated panels, each with an optional ':seconds' "
                                                    f"(default: all of {','.join(PANELS)})")
    add.add_argument("--dwell", type=whole_number("dwell", 1, 3600), default=None,
                     help=f"seconds each panel shows (default {DEFAULT_DWELL_S})")
    add.add_argument("--refresh", type=whole_number("refresh", 1, 3600), default=None,
                     help=f"seconds between data refreshes (default {DEFAULT_REFRESH_S})")
    add.add_argument("--theme", choices=THEMES, default=None, help="dark (default) or light")
    base_url(add)
    add.set_defaults(func=_run(_add))

    lst = actions.add_parser("list", help="list the displays (never their tokens)")
    lst.set_defaults(func=_run(_list))

    revoke = actions.add_parser("revoke", help="revoke a display: its board stops at its next refresh")
    revoke.add_argument("id", type=whole_number("id", 1, 2**31 - 1))
    revoke.set_defaults(func=_run(_revoke))

    rotate = actions.add_parser("rotate-token", help="give a display a new token; print its new URL (shown once)")
    rotate.add_argument("id", type=whole_number("id", 1, 2**31 - 1))
    base_url(rotate)
    rotate.set_defaults(func=_run(_rotate))
