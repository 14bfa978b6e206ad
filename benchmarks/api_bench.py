"""Benchmark of the `kpis` run through Odoo's API (the test endpoint over the demo replica) vs the SQL path.

    python benchmarks/api_bench.py [--version 17.0] [--repeat 3] [--dir DIR]

Builds the demo replica (scale 1, SQLite) in DIR (a temporary folder by default), serves it with the test
Odoo endpoint (tests/helpers/fake_odoo: real HTTP, JSON-RPC and XML-RPC, company rules), then times the
whole KPI run (every KPI at every scope, as the `kpis` command does) on the SQL path and on the API path over
each transport, with the number of API calls and the results each path computes. Wall-clock seconds, best
of --repeat, warm. The endpoint evaluates domains in Python over in-memory rows: it stands for Odoo's
answers, not for its speed; the calls and rows a real Odoo would serve are what the API path costs it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from _common import ROOT, best

sys.path.append(str(Path(ROOT) / "tests"))

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from data_access.engine import Replica
from data_access.odoo_api import OdooClient
from data_access.odoo_api.kpi_source import ApiSource

AS_OF = date(2026, 6, 30)  # the demo's story clock
PASSWORD = "bench-Pa55word"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=("17.0", "18.0"), default="17.0")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None, help="folder for the demo replica (default: a temporary one)")
    args = parser.parse_args()
    from helpers.fake_odoo import FakeOdoo, FakeUser, demo_replica_url

    folder = args.dir or tempfile.mkdtemp(prefix="api_bench_")
    Path(folder).mkdir(parents=True, exist_ok=True)
    url = demo_replica_url(folder, args.version)
    ctx, cat = Period(AS_OF, 30, "UTC").context(), Catalogue()
    replica = Replica(url)
    sql_results = evaluate(replica, ctx, cat, parallel=1)
    sql_s = best(lambda: evaluate(replica, ctx, cat, parallel=1), args.repeat)
    print(f"kpis run on the demo (scale 1, Odoo {args.version}), as of {AS_OF}, 30 days, best of {args.repeat}, warm")
    print(f"  {'path':<22}{'seconds':>9}{'calls':>8}{'computed':>10}")
    computed = sum(r.status != "unavailable" for r in sql_results)
    print(f"  {'SQL (replica)':<22}{sql_s:>9.3f}{'-':>8}{computed:>10}")
    with FakeOdoo(url, args.version, db="bench", users=[FakeUser("api", PASSWORD, company_ids=(1, 2, 3))]) as server:
        for transport in ("jsonrpc", "xmlrpc"):
            client = OdooClient(server.url, "bench", transport=transport, timeout=300)
            client.authenticate("api", PASSWORD)
            source = ApiSource(client)
            results = evaluate(source, ctx, cat)  # warm: the endpoint loads its tables on first use
            before = source.reader.calls
            api_s = best(lambda source=source: evaluate(source, ctx, cat), args.repeat)
            calls = (source.reader.calls - before) // args.repeat
            computed = sum(r.status != "unavailable" for r in results)
            print(f"  {'API ' + transport:<22}{api_s:>9.3f}{calls:>8}{computed:>10}")
    replica.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
