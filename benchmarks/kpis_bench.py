"""Benchmark of the `kpis` run on the demo replica in PostgreSQL, next to the same SQL in psql.

    python benchmarks/kpis_bench.py [--scales 1 10] [--pg-url URL] [--rebuild] [--repeat 3]

For each scale it builds (once; --rebuild to redo) the demo replica into a PostgreSQL database
``odoo_dash_bench_s<scale>``, then prints: the build, the whole KPI run (every KPI at every scope,
as the `kpis` command does), each family's share, and the time of exactly the same SQL statements
run by `psql` (server-side time from psql's \\timing), so app overhead and SQL cost can be told apart.
Figures are wall-clock seconds, best of --repeat, warm.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from dashboard.kpis.registry import FAMILIES
from data_access.admin import analyze, database_size, ensure_database, has_odoo_tables, recorded_statements
from data_access.demo import build_demo
from data_access.engine import Replica
from data_access.queries.health import table_rows


def ensure_db(admin_url: str, scale: int, rebuild: bool) -> tuple[str, float | None]:
    """The demo replica of ``scale`` in database ``odoo_dash_bench_s<scale>`` (built when missing);
    returns its URL and the build time (None when it was already there)."""
    url = ensure_database(admin_url, f"odoo_dash_bench_s{scale}", recreate=rebuild)
    built = None
    if not has_odoo_tables(url):
        t0 = time.perf_counter()
        build_demo(url, scale=scale)
        built = time.perf_counter() - t0
    analyze(url)
    return url, built


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def capture_sql(replica: Replica, fn) -> list[str]:
    """Run ``fn`` and return its statements with parameters inlined by the driver (for psql)."""
    with recorded_statements(replica.engine) as statements:
        fn()
    return statements


def psql_seconds(url: str, statements: list[str], repeat: int) -> float:
    """Best total of psql's server-side timings for the statements (one psql session per round)."""
    u = urlsplit(url)
    script = "\\timing on\n" + "\n".join(s.rstrip().rstrip(";") + ";" for s in statements) + "\n"
    totals = []
    for _ in range(repeat):
        out = subprocess.run(["psql", "-X", "-q", "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432), "-U",
                              u.username or "postgres", "-d", u.path.lstrip("/"), "-o", "/dev/null"],
                             input=script, capture_output=True, text=True, check=True).stdout
        totals.append(sum(float(ms) for ms in re.findall(r"Time: ([0-9.]+) ms", out)) / 1000.0)
    return min(totals)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_of = datetime.now(UTC).date()
    ctx = Period(as_of, 30).context()
    cat = Catalogue()
    print(f"kpis benchmark, as of {as_of}, 30 days, best of {args.repeat}, warm (seconds)")
    for scale in args.scales:
        url, built = ensure_db(args.pg_url, scale, args.rebuild)
        replica = Replica(url, statement_timeout_ms=600_000)
        size = database_size(url)
        moves = replica.run(table_rows, ("stock_move",))["stock_move"]["rows"]  # planner count after ANALYZE
        results = evaluate(replica, ctx, cat)  # warm up caches of PostgreSQL and the OS
        whole = best(lambda: evaluate(replica, ctx, cat), args.repeat)
        whole_sql = psql_seconds(url, capture_sql(replica, lambda: evaluate(replica, ctx, cat)), args.repeat)
        print(f"\nscale {scale}: database {size / 1e6:.1f} MB, ~{moves:,} stock moves, {len(results)} results"
              + (f", built in {built:.1f} s" if built is not None else ""))
        print(f"  {'family':<22}{'app':>9}{'psql':>9}")
        print(f"  {'whole kpis run':<22}{whole:>9.3f}{whole_sql:>9.3f}")
        for name, family in FAMILIES.items():
            if not set(family.requires_modules) <= replica.info.modules:
                continue

            def run_family(family=family):
                return evaluate(replica, ctx, cat, kpis=family.kpis)

            app_s = best(run_family, args.repeat)
            sql_s = psql_seconds(url, capture_sql(replica, run_family), args.repeat)
            print(f"  {name:<22}{app_s:>9.3f}{sql_s:>9.3f}")
        replica.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
