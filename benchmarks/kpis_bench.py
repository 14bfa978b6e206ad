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
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, inspect, text  # noqa: E402  (benchmarks sit beside data_access)
from sqlalchemy.engine import make_url  # noqa: E402

from dashboard.kpis.catalogue import Catalogue  # noqa: E402
from dashboard.kpis.engine import evaluate  # noqa: E402
from dashboard.kpis.period import Period  # noqa: E402
from dashboard.kpis.registry import FAMILIES  # noqa: E402
from data_access.demo import build_demo  # noqa: E402
from data_access.engine import Replica  # noqa: E402


def ensure_db(admin_url: str, scale: int, rebuild: bool) -> tuple[str, float | None]:
    name = f"odoo_dash_bench_s{scale}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if exists and rebuild:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    built = None
    probe = create_engine(url)
    has_tables = "mrp_production" in inspect(probe).get_table_names()
    probe.dispose()
    if not has_tables:
        t0 = time.perf_counter()
        build_demo(url, scale=scale)
        built = time.perf_counter() - t0
    stats = create_engine(url, isolation_level="AUTOCOMMIT")
    with stats.connect() as conn:  # a real replica has planner statistics; a fresh bulk load may not
        conn.execute(text("ANALYZE"))
    stats.dispose()
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
    import psycopg

    statements: list[tuple[str, object]] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(replica.engine, "before_cursor_execute", on_execute)
    try:
        fn()
    finally:
        event.remove(replica.engine, "before_cursor_execute", on_execute)
    raw = replica.engine.raw_connection()
    try:
        cur = psycopg.ClientCursor(raw.driver_connection)
        return [cur.mogrify(s, p) for s, p in statements]
    finally:
        raw.close()


def psql_seconds(url: str, statements: list[str], repeat: int) -> float:
    """Best total of psql's server-side timings for the statements (one psql session per round)."""
    u = make_url(url)
    script = "\\timing on\n" + "\n".join(s.rstrip().rstrip(";") + ";" for s in statements) + "\n"
    totals = []
    for _ in range(repeat):
        out = subprocess.run(["psql", "-X", "-q", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U",
                              u.username or "postgres", "-d", u.database, "-o", "/dev/null"],
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
    as_of = datetime.now(timezone.utc).date()
    ctx = Period(as_of, 30).context()
    cat = Catalogue()
    print(f"kpis benchmark, as of {as_of}, 30 days, best of {args.repeat}, warm (seconds)")
    for scale in args.scales:
        url, built = ensure_db(args.pg_url, scale, args.rebuild)
        replica = Replica(url, statement_timeout_ms=600_000)
        with replica.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
            moves = conn.execute(text("SELECT count(*) FROM stock_move")).scalar()
        results = evaluate(replica, ctx, cat)  # warm up caches of PostgreSQL and the OS
        whole = best(lambda: evaluate(replica, ctx, cat), args.repeat)
        whole_sql = psql_seconds(url, capture_sql(replica, lambda: evaluate(replica, ctx, cat)), args.repeat)
        print(f"\nscale {scale}: database {size / 1e6:.1f} MB, {moves:,} stock moves, {len(results)} results"
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
