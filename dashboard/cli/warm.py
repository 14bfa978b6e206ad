"""``python -m dashboard warm``: recompute what the pages read, for every scope, before it expires.

For each distinct role and company/site scope of the app's users (every role when there are none) it makes
the reads of ``dashboard.warmup`` (the default view of home, executive, plant and work center pages) inside
``dashboard.cache.refresh_ahead``: what would go stale before the next pass is recomputed now, the rest is
left alone. Run it as the Procfile's ``worker:`` (a loop, ``--every`` seconds) or from cron (``--once``,
exit status 0 when every read succeeded, 1 otherwise). A failing read is logged and counted; the pass goes on.
"""
from __future__ import annotations

import logging
import signal
import sys
import time
from datetime import UTC, datetime

from dashboard.cli.args import whole_number

__all__ = ["add_parser", "run", "warm_pass", "default_every"]

log = logging.getLogger(__name__)


def default_every() -> int:
    """A pass every 5/6 of the shortest domain TTL (50 s for the shop floor's 60 s)."""
    from dashboard.kpis.catalogue import DOMAIN_TTL

    return max(5, min(DOMAIN_TTL.values()) * 5 // 6)


def add_parser(sub) -> None:
    p = sub.add_parser("warm", help="recompute what the pages read, for every scope, before it expires")
    p.add_argument("--once", action="store_true", help="one pass, then exit (status 1 when a read failed): for cron")
    p.add_argument("--every", type=whole_number("seconds", 1, 86400), default=None,
                   help=f"seconds between passes (default {default_every()}: a bit less than the shortest TTL); "
                        "with --once, how often cron runs it")
    p.set_defaults(func=run)


def warm_pass(app, ahead: float, *, live: bool | None = None) -> tuple[int, str]:
    """One pass over every scope; returns (failed reads, the one summary line)."""
    from dashboard import service, warmup
    from dashboard.cache import refresh_ahead
    from dashboard.extensions import state
    from dashboard.progress import Progress

    failed = 0
    with app.server.app_context(), Progress("warm", live=live, unit="reads") as progress, refresh_ahead(ahead) as stats:
        today = service.today()
        try:
            users = state().store.list_users()
        except Exception:  # the app store is down: nothing to warm this time
            log.exception("warm: cannot list the app's users")
            users, failed = None, 1
        try:
            displays = state().store.displays.list()
        except Exception:  # the app store is down: no boards to warm this time
            log.exception("warm: cannot list the displays")
            displays, failed = [], failed + 1
        work = [(_describe(access), warmup.page_reads(access, today))
                for access in (warmup.scopes(users) if users is not None else ())]
        now = datetime.now(UTC)
        work += [(f"tv board site={site_id}", list(warmup.tv_reads(access, site_id, name, panels, now)))
                 for access, site_id, name, panels in warmup.display_scopes(displays)]
        for scope, reads in work:
            step = progress.step(scope, total=len(reads))
            for label, call in reads:
                try:
                    call()
                except service.DataError as error:
                    failed += 1
                    log.warning("warm: %s for %s failed: %s (%s)", label, scope, error.user_message, error.reason)
                except Exception:
                    failed += 1
                    log.exception("warm: %s for %s failed", label, scope)
                progress.advance(step)
    return failed, progress.summary(f"{stats.computed} computed, {stats.fresh} still fresh, {stats.busy} being "
                                    f"computed elsewhere, {failed} failed")


def _ids(ids) -> str:
    return "all" if ids is None else ",".join(map(str, ids))


def _describe(access) -> str:
    return f"{access.role} companies={_ids(access.company_ids)} sites={_ids(access.warehouse_ids)}"


def run(args, app=None) -> int:
    """Build the app (its settings from the environment) and warm once or every ``--every`` seconds."""
    from dashboard import create_app

    every = args.every or default_every()
    app = app or create_app()
    settings = app.server.extensions["odoo_dash"].settings
    if settings.cache_type != "redis":
        print(f"warm: cache_type is {settings.cache_type!r}: this process's cache serves no web worker "
              "(set ODOO_DASH_CACHE_TYPE=redis)", file=sys.stderr)
    if args.once:
        failed, line = warm_pass(app, ahead=every + 10)
        print(line, flush=True)
        return 1 if failed else 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwinds: locks held are released
    took = 10.0
    while True:
        started = time.monotonic()
        # Recompute what would expire before the pass after this one has reached it.
        _failed, line = warm_pass(app, ahead=every + max(took, 10.0))
        took = time.monotonic() - started
        print(line, flush=True)
        _pause(max(0.0, every - took))


def _pause(seconds: float) -> None:
    time.sleep(seconds)
