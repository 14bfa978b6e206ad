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
import sys
from datetime import UTC, datetime

from _common import best, capture_sql, ensure_db, psql_seconds

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from dashboard.kpis.registry import FAMILIES
from data_access.admin import database_size
from data_access.engine import Replica
from data_access.queries.health import table_rows


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
