"""Per KPI family: evaluate() time and statements against an existing database, beside the yardstick
"PostgreSQL reading the period's rows once".

    .venv/bin/python benchmarks/family_bench.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/odoo_dash_bench_s100 \\
        [--repeat 3] [--as-of YYYY-MM-DD] [--days 30] [--tz UTC]

Builds nothing: it reads the database it is given (a demo replica built by `python -m dashboard demo-db`
or `benchmarks/kpis_bench.py`, or a copy of a real Odoo database). Warm: one untimed run first.

For each family, `dashboard.kpis.engine.evaluate` of the family's KPIs for ALL its scope kinds (as the
`kpis` command computes them), best and median of --repeat, and how many statements it sends; then the
yardstick: the statements of `YARDSTICKS` below, each a plain COUNT/SUM over the period's rows of the
tables the family reads, with the family's range predicate and nothing else (no join but the one that
carries the date, no grouping), run on a replica connection (same session settings as the app: read
only, statement timeout, jit as the app sets it). The whole `kpis` run is compared with every distinct
yardstick statement run once. Targets (issue 8, at scale 100): whole run <= 3 s and <= 2 x its yardstick,
judged on the median, printed PASS/MISS. Seconds, wall clock.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from datetime import UTC, date, datetime, timedelta

from _common import capture_sql, database_name, git_commit, machine, now_utc, timed, verdict

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate, unavailable_reason
from dashboard.kpis.period import Period
from dashboard.kpis.registry import FAMILIES
from data_access.admin import database_size
from data_access.engine import Replica
from data_access.errors import DataError

WHOLE_TARGET_S = 3.0
YARDSTICK_FACTOR = 2.0

# The yardstick of each family: (what it reads, SQL). Parameters: start/end (the period's naive-UTC
# bounds, end exclusive), first_day/as_of (its local dates, inclusive), year_start (end - 365 days).
# Snapshot families (stockout, overdue receivables) read the rows of now; inventory turns needs every
# valuation layer before the end of D (the inventory value at D is their sum).
MOVES_IN_P = "state = 'done' AND date >= %(start)s AND date < %(end)s"
YARDSTICKS: dict[str, list[tuple[str, str]]] = {
    "production_oee": [
        ("time logs started in P",
         "SELECT count(*), sum(duration) FROM mrp_workcenter_productivity WHERE date_start >= %(start)s AND date_start < %(end)s"),
        ("done work orders finished in P",
         "SELECT count(*), sum(duration) FROM mrp_workorder WHERE state = 'done' AND date_finished >= %(start)s "
         "AND date_finished < %(end)s"),
    ],
    "schedule_adherence": [
        ("MOs with a deadline in P",
         "SELECT count(*) FROM mrp_production WHERE date_deadline >= %(start)s AND date_deadline < %(end)s"),
    ],
    "first_pass_yield": [
        ("done MOs finished in P",
         "SELECT count(*) FROM mrp_production WHERE state = 'done' AND date_finished >= %(start)s AND date_finished < %(end)s"),
        ("done MO moves dated in P",
         f"SELECT count(*), sum(quantity) FROM stock_move WHERE production_id IS NOT NULL AND {MOVES_IN_P}"),
    ],
    "supplier_otif": [
        ("purchase lines planned in P",
         "SELECT count(*), sum(product_qty) FROM purchase_order_line WHERE date_planned >= %(start)s AND date_planned < %(end)s"),
        ("done purchase moves dated in P",
         f"SELECT count(*), sum(quantity) FROM stock_move WHERE purchase_line_id IS NOT NULL AND {MOVES_IN_P}"),
    ],
    "customer_otif": [
        ("sale lines of orders dated in P",
         "SELECT count(*), sum(l.product_uom_qty) FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id "
         "WHERE o.date_order >= %(start)s AND o.date_order < %(end)s"),
        ("done sale moves dated in P",
         f"SELECT count(*), sum(quantity) FROM stock_move WHERE sale_line_id IS NOT NULL AND {MOVES_IN_P}"),
    ],
    "stockout": [
        ("active reordering rules", "SELECT count(*) FROM stock_warehouse_orderpoint WHERE active"),
        ("all quants", "SELECT count(*), sum(quantity) FROM stock_quant"),
    ],
    "inventory_turns": [
        ("valuation layers before the end of D",
         "SELECT count(*), sum(value), sum(value) FILTER (WHERE create_date >= %(year_start)s) FROM stock_valuation_layer "
         "WHERE create_date < %(end)s"),
    ],
    "nc_closure": [
        ("quality alerts closed in P",
         "SELECT count(*) FROM quality_alert WHERE date_close >= %(start)s AND date_close < %(end)s"),
    ],
    "gross_margin": [
        ("journal items of moves invoiced in P",
         "SELECT count(*), sum(l.balance) FROM account_move m JOIN account_move_line l ON l.move_id = m.id "
         "WHERE m.invoice_date >= %(first_day)s AND m.invoice_date <= %(as_of)s"),
        ("valuation layers created in P",
         "SELECT count(*), sum(value) FROM stock_valuation_layer WHERE create_date >= %(start)s AND create_date < %(end)s"),
    ],
    "overdue_receivables": [
        ("open posted customer invoices due before D",
         "SELECT count(*), sum(amount_residual_signed) FROM account_move WHERE state = 'posted' "
         "AND move_type IN ('out_invoice', 'out_refund') AND payment_state IN ('not_paid', 'partial') "
         "AND invoice_date_due < %(as_of)s"),
    ],
}


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def yardstick_params(period: Period) -> dict:
    return {"start": period.start, "end": period.end, "first_day": period.first_day, "as_of": period.as_of,
            "year_start": period.end - timedelta(days=365)}


class Yardstick:
    """Runs yardstick statements on one replica connection (the app's session settings)."""

    def __init__(self, replica: Replica, params: dict):
        self.replica, self.params = replica, params
        self.rows: dict[str, int] = {}

    def run(self, statements: list[str]) -> None:
        raw = self.replica.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()
            for sql in statements:
                cursor.execute(sql, self.params)
                self.rows[sql] = int(cursor.fetchone()[0] or 0)
            raw.driver_connection.rollback()
        finally:
            raw.close()

    def session_setting(self, name: str) -> str:
        raw = self.replica.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()
            cursor.execute("SELECT current_setting(%s)", (name,))
            value = cursor.fetchone()[0]
            raw.driver_connection.rollback()
            return value
        finally:
            raw.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of an existing Odoo/demo PostgreSQL database")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measure (default 3)")
    parser.add_argument("--as-of", type=_date, default=None, help="last day of the period (default: today, UTC)")
    parser.add_argument("--days", type=int, default=30, help="period length in days (default 30)")
    parser.add_argument("--tz", default="UTC", help="time zone in which days begin (default UTC)")
    parser.add_argument("--parallel", type=int, default=3,
                        help="families at once in the whole run, as the kpis command and the app (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    period = Period(args.as_of or datetime.now(UTC).date(), args.days, args.tz)
    replica = Replica(args.db_url, statement_timeout_ms=600_000)
    try:
        return run(args, period, replica)
    except DataError as error:
        print(f"family_bench: {error}", file=sys.stderr)
        return 2
    finally:
        replica.dispose()


def run(args, period: Period, replica: Replica) -> int:
    ctx, cat = period.context(), Catalogue()
    yard = Yardstick(replica, yardstick_params(period))
    modules = replica.info.modules
    print(f"family benchmark: database {database_name(args.db_url)} ({database_size(args.db_url) / 1e6:,.0f} MB, "
          f"Odoo {replica.info.series}), as of {period.as_of}, {args.days} days ({args.tz}), warm, "
          f"best/median of {args.repeat} (seconds)")
    print(f"  {machine()}; commit {git_commit()}; {now_utc()}; replica session jit={yard.session_setting('jit')}")

    def measure(fn) -> tuple[float, float]:
        fn()  # warm: PostgreSQL's and the OS's caches
        times = timed(fn, args.repeat)
        return min(times), statistics.median(times)

    head = f"  {'family':<21}{'best':>8}{'median':>8}{'stmts':>6}{'yardstick':>11}{'x':>6}  yardstick reads"
    print("\n" + head)
    every_yardstick: list[str] = []
    for name, family in FAMILIES.items():
        reason = unavailable_reason(family, modules)
        sticks = YARDSTICKS.get(name, [])
        statements = [sql for _what, sql in sticks]

        def run_family(family=family):
            return evaluate(replica, ctx, cat, kpis=family.kpis)

        app_best, app_median = measure(run_family)
        n_statements = len(capture_sql(replica, run_family))
        if reason is not None or n_statements == 0:
            print(f"  {name:<21}{app_best:>8.3f}{app_median:>8.3f}{n_statements:>6}{'-':>11}{'':>6}  "
                  f"not computed here: {reason or 'the family sent no statement'}")
            continue
        if not statements:
            print(f"  {name:<21}{app_best:>8.3f}{app_median:>8.3f}{n_statements:>6}{'-':>11}{'':>6}  no yardstick defined")
            continue
        y_best, _y_median = measure(lambda statements=statements: yard.run(statements))
        every_yardstick += [s for s in statements if s not in every_yardstick]
        reads = "; ".join(f"{what} ({yard.rows[sql]:,} rows)" for what, sql in sticks)
        print(f"  {name:<21}{app_best:>8.3f}{app_median:>8.3f}{n_statements:>6}{y_best:>11.3f}{app_median / y_best:>6.1f}  {reads}")

    def run_all():
        return evaluate(replica, ctx, cat, parallel=args.parallel)

    whole_best, whole_median = measure(run_all)
    whole_statements = len(capture_sql(replica, run_all))
    y_whole, _ = measure(lambda: yard.run(every_yardstick))
    print(f"  {'whole kpis run':<21}{whole_best:>8.3f}{whole_median:>8.3f}{whole_statements:>6}{y_whole:>11.3f}"
          f"{whole_median / y_whole:>6.1f}  every distinct yardstick statement above, once")
    print("\n  targets (median of the whole run)")
    print(f"    whole kpis run <= {WHOLE_TARGET_S:.0f} s: {whole_median:.3f} s  {verdict(whole_median <= WHOLE_TARGET_S)}")
    print(f"    whole kpis run <= {YARDSTICK_FACTOR:.0f} x yardstick ({YARDSTICK_FACTOR * y_whole:.3f} s): "
          f"{whole_median / y_whole:.1f} x  {verdict(whole_median <= YARDSTICK_FACTOR * y_whole)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
