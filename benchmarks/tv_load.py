"""Wall TVs under load: N boards refreshing every 30 s against gunicorn as the Procfile runs it, for several N.

    .venv/bin/python benchmarks/tv_load.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/odoo_dash_bench_s1 \\
        [--tvs 10,50,100] [--seconds 120] [--tv-interval 30] [--workers N] [--redis-db N]

Loopback only (the replica, Redis and the app on 127.0.0.1). For each number of TVs, a fresh server
(benchmarks/_app.py: the Procfile's web: command, its own Redis database flushed first, a temporary app
store) and that many displays added to its store round robin over the replica's sites (every panel, the
refresh interval --tv-interval), as `python -m dashboard displays add` adds them. Each TV is an HTTP client
(benchmarks/_tv_client.py) that opens its display URL /tv/<token> (the token exchanged for the display
session cookie, no sign-in), loads the board and then posts the board's refresh callback every
--tv-interval seconds on a fixed schedule, its first tick at a random point of the first interval.
Set-up, not measured: the boards opened, one refresh of each site's board (the cache filled, as the
warm-up keeps it in production), then --warmup seconds of the TVs refreshing (every worker has reached the
replica once: its one-time introspection of the Odoo schema is not counted). Measured, --seconds long: every refresh (p50 / p95 / max; a refresh
whose board state is not ok counts as an error), the workers' CPU seconds (/proc), and the statements the
workers sent to the replica (benchmarks/gunicorn_hooks.py) per minute, beside pg_stat_database's
transactions of the replica database.

The claim under test (issue 11): every TV of a site shares the cached aggregates, so replica queries per
minute do not grow with the number of TVs: they follow the sites and the cache's time to live.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from _app import LoopbackError, ReplicaActivity, Server, WorkerMonitor, require_loopback
from _common import database_name, git_commit, machine, now_utc, summary
from _dash_client import Client, Outcome
from _tv_client import REFRESH_LABEL, TvClient, add_displays, site_companies
from load_test import Run

from dashboard.kpis.catalogue import DOMAIN_TTL

GROWTH_LIMIT = 1.25  # replica queries/min over the ceiling (one recomputation of every site's board per TTL): noise
SHOP_FLOOR_TTL_S = DOMAIN_TTL["production"]  # the boards' entries live for the shop floor's TTL


def tv_loop(run: Run, tv: TvClient, interval: float, offset: float) -> None:
    """Refresh at ``offset``, ``offset + interval``, ... (a fixed schedule, as the board's interval fires)."""
    k = 0
    while run.sleep(max(0.0, run.t0 + offset + k * interval - time.monotonic())):
        run.record([tv.refresh()])
        k += 1


def one_run(args, count: int) -> dict:
    """Start a server, add ``count`` displays, open their boards, and measure --seconds of refreshes."""
    sites = site_companies(args.db_url)
    if not sites:
        raise SystemExit("no active site (stock.warehouse) on the replica")
    with Server(args.db_url, args.redis_url, args.redis_db, args.workers) as server:
        tokens = add_displays(server.store_url, sites, count, int(args.tv_interval))

        def open_board(site_token):
            tv = TvClient(Client(server.base, timeout=args.timeout))
            outcomes = [tv.exchange(site_token[1])]
            if outcomes[0].ok:
                outcomes += tv.open()
            return site_token[0], tv, outcomes

        with ThreadPoolExecutor(max_workers=2 * server.workers) as pool:
            opened = list(pool.map(open_board, tokens))
        setup_errors = [o for _s, _tv, outs in opened for o in outs if not o.ok]
        tvs = [(site, tv) for site, tv, _outs in opened if tv.page is not None]
        warm, cold_from = {}, server.statements()
        for site, tv in tvs:  # one refresh per site: the cache filled before the run
            if site not in warm:
                warm[site] = tv.refresh()
        cold = server.statements() - cold_from
        run = Run(args.warmup + args.seconds)
        rng = random.Random(args.seed)
        threads = [threading.Thread(target=tv_loop, args=(run, tv, args.tv_interval, rng.uniform(0, args.tv_interval)),
                                    daemon=True) for _site, tv in tvs]
        for t in threads:
            t.start()
        run.sleep(args.warmup)  # every worker has computed something (its replica introspection done), TTLs mixed
        replica = ReplicaActivity(args.db_url)
        before = {"statements": server.statements(), **replica.snapshot()}
        monitor = WorkerMonitor(server).start()
        measured_from = time.monotonic()
        run.sleep(args.warmup + args.seconds)
        run.stop.set()
        deadline = time.monotonic() + args.grace
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        elapsed = time.monotonic() - measured_from
        monitor.stop()
        after = {"statements": server.statements(), **replica.snapshot()}
        with run.lock:
            outcomes = [o for o in run.outcomes if o.start >= measured_from]
        return {"tvs": count, "sites": len(sites), "opened": len(tvs), "setup_errors": setup_errors, "warm": warm, "cold": cold,
                "outcomes": outcomes, "unfinished": sum(t.is_alive() for t in threads), "elapsed": elapsed,
                "cpu_s": monitor.cpu_seconds, "rss_mb": monitor.max_rss_mb, "workers": server.workers,
                "workers_why": server.workers_why, "command": server.command, "redis_db": server.redis_db,
                "statements": after["statements"] - before["statements"], "xacts": after["xacts"] - before["xacts"],
                "server_errors": server.error_lines()}


def report_run(r: dict) -> None:
    refreshes: list[Outcome] = [o for o in r["outcomes"] if o.label == REFRESH_LABEL]
    s = summary([o.seconds for o in refreshes if o.ok])
    errors = Counter(o.error for o in refreshes if not o.ok)
    minutes = r["elapsed"] / 60
    cores = os.cpu_count() or 1
    warm = ", ".join(f"site {site} {o.seconds:.2f} s" + ("" if o.ok else f" ({o.error})") for site, o in sorted(r["warm"].items()))
    print(f"\n{r['tvs']} TVs over {r['sites']} sites ({r['opened']} boards opened, {len(r['setup_errors'])} set-up errors); "
          f"server: {r['workers']} workers ({r['workers_why']}), Redis db {r['redis_db']}")
    print(f"  warm-up refresh per site (empty cache, {r['cold']} replica statements for all sites): {warm}")
    print(f"  run {r['elapsed']:.0f} s: {len(refreshes)} refreshes ({len(refreshes) / minutes:.0f}/min), "
          f"p50 {s['p50'] * 1000:.0f} ms, p95 {s['p95'] * 1000:.0f} ms, max {s['max'] * 1000:.0f} ms, "
          f"{sum(errors.values())} errors" + (f" + {r['unfinished']} unfinished" if r["unfinished"] else ""))
    for what, n in errors.most_common(5):
        print(f"    {n:>5}  {what}")
    for what, n in Counter(f"{o.label}: {o.error}" for o in r["setup_errors"]).most_common(5):
        print(f"    {n:>5}  set-up: {what}")
    print(f"  workers CPU {r['cpu_s']:.1f} s in {r['elapsed']:.0f} s ({r['cpu_s'] / r['elapsed'] / cores * 100:.1f} % of "
          f"{cores} cores), peak RSS {r['rss_mb']:.0f} MB")
    print(f"  replica: {r['statements']} statements = {r['statements'] / minutes:.1f}/min [gunicorn_hooks.py], "
          f"pg_stat_database {r['xacts'] / minutes:.1f} transactions/min")
    for line in r["server_errors"][-5:]:
        print(f"    server log: {line[:200]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of the replica (PostgreSQL on 127.0.0.1 only)")
    parser.add_argument("--tvs", default="10,50,100", help="numbers of TVs, one run each (default 10,50,100)")
    parser.add_argument("--seconds", type=float, default=120, help="measured length of each run (default 120)")
    parser.add_argument("--tv-interval", type=float, default=30, help="the boards' refresh interval, seconds (default 30)")
    parser.add_argument("--warmup", type=float, default=60,
                        help="seconds the TVs run before the measurement starts (default 60: one shop-floor TTL)")
    parser.add_argument("--grace", type=float, default=15, help="seconds for refreshes in flight at the end (default 15)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default WEB_CONCURRENCY, else 2 x cores + 1)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379", help="Redis server on 127.0.0.1 (no database number)")
    parser.add_argument("--redis-db", type=int, default=None, help="Redis database to use and flush (default: highest empty one)")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request (default 60 s, gunicorn's)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the TVs' first ticks (default 1)")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.tvs.split(",") if n.strip()]
    if not counts or min(counts) < 1 or args.seconds <= 0 or args.tv_interval < 10:
        parser.error("need --tvs of whole numbers >= 1, --seconds > 0 and --tv-interval >= 10 (the board's minimum)")
    try:
        require_loopback("--db-url", args.db_url)
        require_loopback("--redis-url", args.redis_url)
    except LoopbackError as error:
        print(f"tv_load: refused: {error}", file=sys.stderr)
        return 2
    print(f"TV load: replica {database_name(args.db_url)}, {args.tvs} TVs, refresh every {args.tv_interval:.0f} s, "
          f"{args.seconds:.0f} s measured per run")
    print(f"  {machine()}; commit {git_commit()}; {now_utc()}")
    print(f"  command: {' '.join(sys.argv)}")
    results = []
    for count in counts:
        results.append(one_run(args, count))
        if len(results) == 1:
            print(f"  server: {results[0]['command']}")
        report_run(results[-1])
    print(f"\n  {'TVs':>5}{'refreshes/min':>15}{'p95 ms':>9}{'errors':>8}{'CPU % of 1 core':>17}{'replica q/min':>15}")
    for r in results:
        refreshes = [o for o in r["outcomes"] if o.label == REFRESH_LABEL]
        minutes = r["elapsed"] / 60
        p95 = summary([o.seconds for o in refreshes if o.ok])["p95"]
        print(f"  {r['tvs']:>5}{len(refreshes) / minutes:>15.0f}{p95 * 1000:>9.0f}{sum(not o.ok for o in refreshes):>8}"
              f"{r['cpu_s'] / r['elapsed'] * 100:>17.1f}{r['statements'] / minutes:>15.1f}")
    # The claim: every TV of a site shares the cached aggregates, so the replica is read at most once per entry
    # and TTL whatever the number of TVs: the ceiling is one recomputation of every site's board per TTL (its
    # cost measured by each run's set-up refresh on an empty cache). Fewer TVs may read less (an expired entry is
    # recomputed only when a board asks for it), never more.
    ceiling = max(r["cold"] for r in results) * 60 / SHOP_FLOOR_TTL_S
    for r in results:
        rate = r["statements"] / (r["elapsed"] / 60)
        verdict = "within" if rate <= GROWTH_LIMIT * ceiling else "ABOVE"
        print(f"  {r['tvs']:>5} TVs: {rate:.1f} replica queries/min, {verdict} the ceiling of {ceiling:.0f}/min "
              f"(every site's board recomputed once per {SHOP_FLOOR_TTL_S} s TTL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
