"""``python -m dashboard demo-db``: build (or rebuild) the seeded demo replica in a database.

    python -m dashboard demo-db --url URL [--scale N] [--seed S] [--odoo-version 17.0|18.0] [--edition E]
                                [--today YYYY-MM-DD]
    python -m dashboard demo-db --url URL --indexes-only [--prune] [--odoo-version 17.0|18.0]

``--url`` is a SQLAlchemy URL (``sqlite:///demo.sqlite``, ``postgresql+psycopg://...``) or a plain
path ending in ``.sqlite``. On a terminal a live bar per table shows the rows written (then the Odoo
indexes built); either way it prints one summary line and exits 0. Bad arguments or an unreachable
database print one line on stderr and exit 2.

``--indexes-only`` leaves the data alone: it brings an existing demo database up to Odoo's index list of
its series (``data_access/odoo_indexes.json``) - creates what is missing, ANALYZEs the tables that gained
an index - and reports the indexes that are not Odoo's; ``--prune`` drops those. It prints one summary
line (with the time it took) and exits 0, or 1 when an index could not be created (listed on stderr).
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

__all__ = ["add_parser", "run", "normalise_url"]

_VERSIONS = ("17.0", "18.0")


def normalise_url(url: str) -> str:
    """A plain ``*.sqlite`` path becomes a ``sqlite:///`` URL (absolute); URLs are returned as they are."""
    if "://" not in url and url.endswith(".sqlite"):
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parser(sub) -> None:
    """Register the ``demo-db`` sub-command."""
    p = sub.add_parser("demo-db", help="build the seeded demo Odoo replica (SQLite file or PostgreSQL)",
                       description="Create every Odoo table of the chosen series and fill it with the demo story.")
    p.add_argument("--url", required=True, help="SQLAlchemy URL or a path ending in .sqlite")
    p.add_argument("--scale", type=_positive, default=1, help="volume multiplier (default 1)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--odoo-version", choices=_VERSIONS, default=None,
                   help="Odoo series (default 17.0; with --indexes-only, the database's own series)")
    p.add_argument("--today", type=_day, default=None, help="last day of the history (default: today, UTC)")
    p.add_argument("--edition", choices=("enterprise", "community"), default="enterprise",
                   help="enterprise adds Odoo's quality app (quality alerts); community has none (default enterprise)")
    p.add_argument("--indexes-only", action="store_true",
                   help="keep the data: create the Odoo indexes the database lacks, then ANALYZE (no rebuild)")
    p.add_argument("--prune", action="store_true",
                   help="with --indexes-only: also drop the indexes of Odoo tables that are not Odoo's")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the demo (or only its Odoo indexes); return the exit status (0 ok, 1 when an index could not
    be created, 2 on a bad URL or an unreachable database)."""
    if args.prune and not args.indexes_only:
        print("demo-db: --prune goes with --indexes-only", file=sys.stderr)
        return 2
    if args.indexes_only:
        return _indexes_only(args)
    from dashboard.progress import Progress
    from data_access.demo import build_demo

    url = normalise_url(args.url)
    version = args.odoo_version or "17.0"
    try:
        with Progress("demo-db", unit="rows") as progress:  # silent unless stderr is a terminal
            stats = build_demo(url, scale=args.scale, seed=args.seed, version=version, today=args.today,
                               edition=args.edition, progress=progress)
    except Exception as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"demo-db: cannot build the demo at {_safe(url)}: {message}", file=sys.stderr)
        return 2
    rows = sum(stats["rows"].values())
    filled = sum(1 for n in stats["rows"].values() if n)
    print(f"demo-db: {rows} rows in {filled} tables, {stats['indexes']['created']} Odoo indexes, "
          f"{stats['seconds']:.1f} s, "
          f"{stats['bytes'] / 1e6:.1f} MB (Odoo {version}, scale {args.scale}, seed {args.seed})")
    return 0


def _indexes_only(args: argparse.Namespace) -> int:
    """``--indexes-only``: ``ensure_odoo_indexes`` on the database at ``--url``, one summary line."""
    from dashboard.progress import Progress
    from data_access.demo.indexes import ensure_odoo_indexes

    url = normalise_url(args.url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        print(f"demo-db: no demo database at {url}", file=sys.stderr)  # do not create an empty file
        return 2
    try:
        with Progress("demo-db", unit="indexes") as progress:  # silent unless stderr is a terminal
            done = ensure_odoo_indexes(url, args.odoo_version, progress=progress, prune=args.prune)
    except Exception as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"demo-db: cannot bring the Odoo indexes up to date at {_safe(url)}: {message}", file=sys.stderr)
        return 2
    slowest = max(done["seconds"].items(), key=lambda kv: kv[1], default=None)
    extra = (f"{len(done['dropped'])} not Odoo's dropped" if args.prune
             else f"{len(done['extra'])} not Odoo's kept" + (" (--prune drops them)" if done["extra"] else ""))
    print(f"demo-db: Odoo {done['version']} indexes at {_safe(url)}: {len(done['created'])} created, "
          f"{done['present']} already there, {len(done['skipped'])} not expressible here, {extra}, "
          f"{len(done['analyzed'])} tables analyzed, {done['total_seconds']:.1f} s"
          + (f" (slowest {slowest[0]} {slowest[1]:.1f} s)" if slowest else ""))
    for name, error in sorted(done["failed"].items()):
        print(f"demo-db: {name} not created: {error}", file=sys.stderr)
    return 1 if done["failed"] else 0


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
