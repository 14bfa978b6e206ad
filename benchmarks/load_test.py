"""Bounded load test on loopback: simulated users and wall-board TVs against gunicorn as the Procfile runs it.

    .venv/bin/python benchmarks/load_test.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/odoo_dash_bench_s100 \\
        [--users 200] [--tvs 100] [--seconds 60] [--expire-at 30] [--workers N] [--redis-db N]

Loopback only: the replica, Redis and the app must be on 127.0.0.1 (anything else is refused before any
work), and the test stops by itself: no new request after --seconds, then --grace seconds for the ones in
flight (still running then: counted as errors "unfinished").

Set-up (not timed in the run): gunicorn starts as in the Procfile (bound to 127.0.0.1; workers:
WEB_CONCURRENCY, else 2 x cores + 1) with the Redis cache on a Redis database of its own (flushed first),
a temporary app store with three users; every simulated user and TV signs in over HTTP (CSRF form,
scrypt check: reported as "sign-in", outside the run's percentiles); a probe opens every page variant
once, so the run starts on a warm cache as the `worker:` process would keep it (--cold-start: flush
after the probe).

The run, --seconds long. Each user (half executive role, half plant role) arrives within the first
--think-max seconds: the page's HTML, /_dash-layout, /_dash-dependencies; then repeatedly opens a page as
the browser does (Dash Pages' router callback, then every callback the page fires at once; an executive
page view scrolls to the trends one time in two), thinks --think-min..--think-max seconds, and opens the
next. Pages: executive role 26 % executive (one view in five a KPI detail), 15 % plant, 10 % work
center, 15 % home, 12 % supply chain (all sites or one), 10 % quality (a site), 12 % finance (all
companies or one); plant role 45 % plant, 35 % work center, 20 % home; sites and work centers at random.
TVs: each TV is a signed-in plant-role session that opened the TV board of one site (/tv?site=N, round
robin; benchmarks/_tv_client.py) and posts the board's refresh callback every --tv-interval seconds, as the
board's refresh interval does (benchmarks/tv_load.py runs TVs alone, with display tokens).
At --expire-at seconds the cache expires under load: by default every entry is aged past its TTL (what
production sees: stale values served while one request refreshes each); --expire-mode flush empties it
(FLUSHDB: every entry lost, the single-flight path).

Prints p50/p95/max and errors (overall, per callback, before the expiry and in --refill-window seconds
after it), requests per second, the workers' CPU seconds and peak RSS (/proc: utime+stime, VmHWM of the
gunicorn master's children), and replica queries per minute: the statements the workers sent to the
replica database (counted in each worker by benchmarks/gunicorn_hooks.py, exact for this app), beside
PostgreSQL's pg_stat_database transactions of that database (every session on it counts there) and
pg_stat_statements calls when that extension is loaded. Targets (issue 8, at scale 100): p95 <= 500 ms,
0 errors, the same in the refill window, worker RSS <= 300 MB.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from _app import LoopbackError, ReplicaActivity, Server, WorkerMonitor, require_loopback
from _common import database_name, git_commit, machine, now_utc, summary, verdict
from _dash_client import Client, Outcome
from _tv_client import TvClient

from data_access.admin import database_size

P95_TARGET_S = 0.5
RSS_TARGET_MB = 300
DETAIL_KPIS = ("customer_otif", "supplier_otif", "gross_margin_pct", "overdue_receivables")
MIX = {"executive": (("executive", 26), ("plant", 15), ("workcenter", 10), ("home", 15), ("supply", 12), ("quality", 10),
                     ("finance", 12)),
       "plant": (("plant", 45), ("workcenter", 35), ("home", 20))}
SIGN_IN_LABELS = ("sign-in form", "sign-in")


class Run:
    """Shared state of one run: the clock, the stop signal and every request's outcome."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.t0 = time.monotonic()
        self.stop = threading.Event()
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()

    def record(self, outcomes) -> None:
        with self.lock:
            self.outcomes.extend(o for o in outcomes if o is not None)

    def over(self) -> bool:
        return self.stop.is_set() or time.monotonic() - self.t0 >= self.seconds

    def sleep(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the run ends first; True while the run goes on."""
        left = self.seconds - (time.monotonic() - self.t0)
        if seconds >= left:
            self.stop.wait(max(0.0, left))
            return False
        return not self.stop.wait(seconds)


class Catalog:
    """What there is to open, found by the probe: companies, sites and each site's work centers."""

    def __init__(self):
        self.companies: list[int] = []
        self.sites: list[int] = []
        self.workcenters: list[int] = []

    def variant(self, page: str, rng: random.Random) -> tuple[str, str]:
        if page == "executive":
            if self.companies and rng.random() < 0.2:
                return "/executive", f"?company={rng.choice(self.companies)}&kpi={rng.choice(DETAIL_KPIS)}"
            return "/executive", ""
        if page == "plant":
            return "/plant", f"?site={rng.choice(self.sites)}" if self.sites else ""
        if page == "workcenter" and self.workcenters:
            return f"/plant/workcenter/{rng.choice(self.workcenters)}", ""
        if page == "supply":
            return "/supply", f"?site={rng.choice(self.sites)}" if self.sites and rng.random() < 0.5 else ""
        if page == "quality":
            return "/quality", f"?site={rng.choice(self.sites)}" if self.sites else ""
        if page == "finance":
            return "/finance", f"?company={rng.choice(self.companies)}" if self.companies and rng.random() < 0.5 else ""
        return "/", ""

    def every_variant(self) -> list[tuple[str, str]]:
        out = [("/executive", ""), ("/", "")]
        out += [("/executive", f"?company={c}&kpi={k}") for c in self.companies for k in DETAIL_KPIS]
        out += [("/plant", f"?site={s}") for s in self.sites]
        out += [(f"/plant/workcenter/{w}", "") for w in self.workcenters]
        out += [("/supply", ""), ("/finance", "")] + [("/supply", f"?site={s}") for s in self.sites]
        out += [("/quality", f"?site={s}") for s in self.sites] + [("/finance", f"?company={c}") for c in self.companies]
        return out


def view_page(client: Client, path: str, search: str, rng: random.Random, scroll: bool) -> list[Outcome]:
    """One page view: the router, then the page's callbacks together (and the trends when scrolled to)."""
    page, layout = client.open(path, search)
    if page is None:
        return [layout]
    calls = list(page.calls)
    if scroll and path == "/executive" and rng.random() < 0.5:
        trends = client.page_call(page, "executive trends")
        if trends is not None and trends not in calls:
            calls.append(trends)
    return [layout, *client.callbacks(calls)]


def probe(server: Server, catalog: Catalog) -> int:
    """Sign in as each role, find companies, sites and work centers, and open every page variant once
    (as each role that may open it). Returns the number of page views made."""
    clients = {}
    for username in ("bench-exec", "bench-plant"):
        client = Client(server.base)
        client.sign_in(username, server.passwords[username])
        client.app_shell("/")
        clients[username] = client
    execu, plant = clients["bench-exec"], clients["bench-plant"]
    page, _ = execu.open("/executive")
    if page:
        catalog.companies = [o["value"] for o in page.prop("executive-company", "options", []) or []]
    page, _ = plant.open("/plant")
    if page:
        catalog.sites = [o["value"] for o in page.prop("plant-site", "options", []) or []]
    for site in catalog.sites:
        page, _ = plant.open("/plant", f"?site={site}")
        for outcome in plant.callbacks(page.calls, keep_body=True) if page else []:
            if outcome.label == "plant body" and isinstance(outcome.body, dict):
                catalog.workcenters += outcome.body.get("response", {}).get("plant-rows", {}).get("data") or []
    views = 0
    for path, search in catalog.every_variant():
        for client in ((execu, plant) if not path.startswith("/executive") else (execu,)):
            page, _ = client.open(path, search)
            if page:
                trends = client.page_call(page, "executive trends") if path == "/executive" else None
                client.callbacks(page.calls + ([trends] if trends and trends not in page.calls else []))
                views += 1
    return views


def _next_page(role: str, catalog: Catalog, rng: random.Random) -> tuple[str, str]:
    pages, weights = zip(*MIX[role])
    return catalog.variant(rng.choices(pages, weights)[0], rng)


def user(run: Run, client: Client, role: str, catalog: Catalog, rng: random.Random, think: tuple[float, float]) -> None:
    """Arrive (within the first think time), then page view, think, page view... until the run ends."""
    if not run.sleep(rng.uniform(0, think[1])):
        return
    path, search = _next_page(role, catalog, rng)
    run.record(client.app_shell(path + search))
    while not run.over():
        run.record(view_page(client, path, search, rng, scroll=True))
        if not run.sleep(rng.uniform(*think)):
            return
        path, search = _next_page(role, catalog, rng)


def tv(run: Run, client: Client, site, interval: float, rng: random.Random) -> None:
    """Open the TV board of ``site`` within the first interval, then refresh it every ``interval`` seconds."""
    if not run.sleep(rng.uniform(0, interval)) or site is None:
        return
    board = TvClient(client)
    run.record(board.open(f"?site={site}&refresh={max(10, round(interval))}"))
    if board.page is None:
        return
    while run.sleep(interval):
        run.record([board.refresh()])


def _check_loopback(args) -> None:
    require_loopback("--db-url", args.db_url)
    require_loopback("--redis-url", args.redis_url)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of the replica (PostgreSQL on 127.0.0.1 only)")
    parser.add_argument("--users", type=int, default=200, help="simulated browser users (default 200)")
    parser.add_argument("--tvs", type=int, default=100, help="simulated wall-board TVs (default 100)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (default 60)")
    parser.add_argument("--expire-at", type=float, default=30,
                        help="expire the cache this many seconds into the run (<= 0: never)")
    parser.add_argument("--expire-mode", choices=("age", "flush"), default="age",
                        help="age: every entry passes its TTL (served stale while one request refreshes it, as in "
                             "production); flush: FLUSHDB, every entry lost (default age)")
    parser.add_argument("--refill-window", type=float, default=30, help="seconds after the flush reported apart (default 30)")
    parser.add_argument("--think-min", type=float, default=5, help="shortest think time between pages (default 5 s)")
    parser.add_argument("--think-max", type=float, default=15, help="longest think time between pages (default 15 s)")
    parser.add_argument("--tv-interval", type=float, default=30, help="seconds between a TV's polls (default 30)")
    parser.add_argument("--grace", type=float, default=15, help="seconds to let requests in flight finish at the end (default 15)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default WEB_CONCURRENCY, else 2 x cores + 1)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379", help="Redis server on 127.0.0.1 (no database number)")
    parser.add_argument("--redis-db", type=int, default=None, help="Redis database to use and flush (default: highest empty one)")
    parser.add_argument("--cold-start", action="store_true", help="flush the cache after the probe: the run starts cold")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request (default 60 s, gunicorn's)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the users' choices (default 1)")
    args = parser.parse_args(argv)
    if args.users < 0 or args.tvs < 0 or args.users + args.tvs == 0 or args.seconds <= 0:
        parser.error("need --seconds > 0 and at least one user or TV")
    if not 0 < args.think_min <= args.think_max:
        parser.error("need 0 < --think-min <= --think-max")
    try:
        _check_loopback(args)
        with Server(args.db_url, args.redis_url, args.redis_db, args.workers) as server:
            return run_test(args, server)
    except LoopbackError as error:
        print(f"load_test: refused: {error}", file=sys.stderr)
        return 2


def _sign_in_all(server: Server, args) -> tuple[list[tuple[Client, str]], list[Client], list[Outcome], float]:
    """Every user's and TV's session, signed in a few at a time; their outcomes; the seconds it took."""
    roles = ["executive" if i % 2 == 0 else "plant" for i in range(args.users)]
    usernames = {"executive": "bench-exec", "plant": "bench-plant"}
    jobs = [(usernames[r], r) for r in roles] + [("bench-tv", "tv")] * args.tvs
    outcomes: list[Outcome] = []

    def sign_in(job):
        client = Client(server.base, timeout=args.timeout)
        result = client.sign_in(job[0], server.passwords[job[0]])
        return client, job[1], result

    t0 = time.monotonic()
    users, tvs = [], []
    with ThreadPoolExecutor(max_workers=2 * server.workers) as pool:
        for client, kind, result in pool.map(sign_in, jobs):
            outcomes += result
            (tvs.append(client) if kind == "tv" else users.append((client, kind)))
    return users, tvs, outcomes, time.monotonic() - t0


def run_test(args, server: Server) -> int:
    how = "flushed" if args.expire_mode == "flush" else "expired (aged past the TTL)"
    flush = f"cache {how} at {args.expire_at:.0f} s" if 0 < args.expire_at < args.seconds else "no cache expiry"
    print(f"load test: replica {database_name(args.db_url)} ({database_size(args.db_url) / 1e6:,.0f} MB), {args.users} users "
          f"+ {args.tvs} TVs, {args.seconds:.0f} s, {flush}")
    print(f"  {machine()}; commit {git_commit()}; {now_utc()}")
    print(f"  command: {' '.join(sys.argv)}")
    print(f"  server: {server.workers} gunicorn workers ({server.workers_why}), Redis db {server.redis_db}: {server.command}")
    print(f"  TVs: each TV is a signed-in plant-role session on one site's board (/tv?site=N) posting its refresh "
          f"callback every {args.tv_interval:.0f} s")
    catalog = Catalog()
    t_probe = time.monotonic()
    views = probe(server, catalog)
    print(f"  probe: {len(catalog.companies)} companies, {len(catalog.sites)} sites, {len(catalog.workcenters)} work centers; "
          f"{views} page views in {time.monotonic() - t_probe:.1f} s" + ("; cache flushed after it" if args.cold_start else ""))
    users, tvs, sign_ins, took = _sign_in_all(server, args)
    failed = [o for o in sign_ins if not o.ok]
    print(f"  sign-in of {len(users) + len(tvs)} sessions (scrypt check each, {2 * server.workers} at a time): {took:.1f} s, "
          f"{len(failed)} failed")
    if args.cold_start:
        server.flush_cache()

    replica = ReplicaActivity(args.db_url)
    before = {"statements": server.statements(), **replica.snapshot()}
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    monitor = WorkerMonitor(server).start()
    run = Run(args.seconds)
    rng = random.Random(args.seed)
    threads = [threading.Thread(target=user, args=(run, client, role, catalog, random.Random(rng.random()),
                                                   (args.think_min, args.think_max)), daemon=True)
               for client, role in users]
    threads += [threading.Thread(target=tv, args=(run, client, catalog.sites[i % len(catalog.sites)] if catalog.sites else None,
                                                  args.tv_interval, random.Random(rng.random())), daemon=True)
                for i, client in enumerate(tvs)]
    for t in threads:
        t.start()
    expired_at, at_expiry = None, None
    if 0 < args.expire_at < args.seconds:
        run.sleep(args.expire_at)
        at_expiry = {"statements": server.statements(), **replica.snapshot()}
        if args.expire_mode == "flush":
            server.flush_cache()
        else:
            print(f"  aged {server.age_cache()} cache entries past their TTL", flush=True)
        expired_at = time.monotonic() - run.t0
    run.sleep(args.seconds)
    run.stop.set()
    deadline = time.monotonic() + args.grace
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    unfinished = sum(t.is_alive() for t in threads)
    elapsed = time.monotonic() - run.t0
    monitor.stop()
    after = {"statements": server.statements(), **replica.snapshot()}
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    with run.lock:
        outcomes = list(run.outcomes)
    report(args, server, run.t0, outcomes, sign_ins, unfinished, elapsed, expired_at, monitor, before, at_expiry, after, replica,
           cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime)
    return 0


def _line(name: str, items: list[Outcome], extra: str = "") -> str:
    s = summary([o.seconds for o in items if o.ok])
    errors = sum(not o.ok for o in items)
    return (f"  {name:<40}{len(items):>7}{s['p50'] * 1000:>9.0f}{s['p95'] * 1000:>9.0f}{s['max'] * 1000:>9.0f}{errors:>8}"
            + (f"  {extra}" if extra else ""))


def _rate(count: float, seconds: float) -> float:
    return count / seconds * 60 if seconds > 0 else float("nan")


def report(args, server, t0, outcomes, sign_ins, unfinished, elapsed, expired_at, monitor, before, at_expiry, after, replica,
           client_cpu) -> None:
    def head(name: str) -> str:
        return f"  {name:<40}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}"

    measured = [o for o in outcomes if o.label not in SIGN_IN_LABELS]
    unfinished_note = f" + {unfinished} unfinished at the stop (errors)" if unfinished else ""
    print(f"\nrun: {elapsed:.1f} s, {len(measured)} requests ({len(measured) / elapsed:.1f} per second){unfinished_note}")
    print(head("requests"))
    print(_line("all (sign-in apart)", measured))
    start = {id(o): o.start - t0 for o in measured}
    window = []
    if expired_at is not None:
        before_flush = [o for o in measured if start[id(o)] < expired_at]
        window = [o for o in measured if expired_at <= start[id(o)] < expired_at + args.refill_window]
        print(_line(f"before the flush (0-{expired_at:.0f} s)", before_flush))
        print(_line(f"refill ({expired_at:.0f}-{expired_at + args.refill_window:.0f} s)", window))
    print(_line("sign-in (set-up, scrypt; not in 'all')", [o for o in sign_ins if o.label == "sign-in"]))
    print("\n" + head("per request"))
    by_label: dict[str, list[Outcome]] = defaultdict(list)
    for o in measured:
        by_label[o.label].append(o)
    for label in sorted(by_label, key=lambda k: -len(by_label[k])):
        print(_line(label, by_label[label]))
    if window:
        print("\n" + head("per request in the refill window"))
        by_label = defaultdict(list)
        for o in window:
            by_label[o.label].append(o)
        for label in sorted(by_label, key=lambda k: -len(by_label[k])):
            print(_line(label, by_label[label]))
    errors = Counter(f"{o.label}: {o.error}" for o in [*measured, *sign_ins] if not o.ok)
    if errors or unfinished:
        print("\n  errors")
        for what, n in errors.most_common(12):
            print(f"    {n:>6}  {what}")
        if unfinished:
            print(f"    {unfinished:>6}  sessions still waiting for a response {args.grace:.0f} s after the stop")
    logged = server.error_lines()
    if logged:
        print(f"\n  the server logged {len(logged)} error line(s); the last ones:")
        for line in logged[-6:]:
            print(f"    {line[:200]}")

    cores = os.cpu_count() or 1
    print(f"\n  workers: {monitor.workers_seen} seen, CPU {monitor.cpu_seconds:.1f} s in {elapsed:.0f} s "
          f"({monitor.cpu_seconds / elapsed / cores * 100:.0f} % of {cores} cores), peak RSS {monitor.max_rss_mb:.0f} MB "
          f"(max VmHWM of any worker); load generator CPU {client_cpu:.1f} s (same machine)")
    minutes = elapsed / 60
    stmts = after["statements"] - before["statements"]
    line = f"  replica queries: {stmts} statements from the workers = {_rate(stmts, elapsed):.0f}/min"
    if at_expiry is not None:
        pre = at_expiry["statements"] - before["statements"]
        line += (f" ({_rate(pre, expired_at):.0f}/min before the flush, "
                 f"{_rate(after['statements'] - at_expiry['statements'], elapsed - expired_at):.0f}/min after)")
    print(line + " [counted by benchmarks/gunicorn_hooks.py in each worker]")
    xacts = after["xacts"] - before["xacts"]
    print(f"  pg_stat_database of {database_name(args.db_url)}: {xacts / minutes:.0f} transactions/min, "
          f"{(after['tup_returned'] - before['tup_returned']) / minutes:,.0f} rows returned/min [every session on that "
          f"database counts; backends report with a delay of up to a few seconds]")
    if replica.has_statements:
        print(f"  pg_stat_statements: {(after['pgss_calls'] - before['pgss_calls']) / minutes:.0f} calls/min")
    else:
        print("  pg_stat_statements: not loaded on this server (shared_preload_libraries)")

    all_s = summary([o.seconds for o in measured if o.ok])
    n_errors = sum(not o.ok for o in measured) + sum(not o.ok for o in sign_ins) + unfinished
    print("\n  targets")
    print(f"    p95 <= {P95_TARGET_S * 1000:.0f} ms: {all_s['p95'] * 1000:.0f} ms  {verdict(all_s['p95'] <= P95_TARGET_S)}")
    print(f"    0 errors: {n_errors}  {verdict(n_errors == 0)}")
    if expired_at is not None:
        w = summary([o.seconds for o in window if o.ok])
        w_errors = sum(not o.ok for o in window)
        print(f"    refill window p95 <= {P95_TARGET_S * 1000:.0f} ms: {w['p95'] * 1000:.0f} ms  "
              f"{verdict(w['p95'] <= P95_TARGET_S if w['n'] else None)}")
        print(f"    refill window 0 errors: {w_errors}  {verdict(w_errors == 0)}")
    print(f"    worker RSS <= {RSS_TARGET_MB} MB: {monitor.max_rss_mb:.0f} MB  {verdict(monitor.max_rss_mb <= RSS_TARGET_MB)}")


if __name__ == "__main__":
    sys.exit(main())
