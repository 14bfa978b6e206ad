"""What rendering costs: figure builders on realistic data, and page callbacks cold vs from the rendered cache.

    .venv/bin/python benchmarks/render_bench.py [--rounds 30] [--db-url URL] [--builders-only]

Part 1, the pure builders (no app), on a 13-month weekly series of every headline KPI for 2 companies and 5
sites, a 30 work centers x 90 days heat map and a work center's figures: each builder's own time (it returns a
figure dict), and beside it the time of ``go.Figure(<that dict>)``, plotly's validation of the same figure, a
floor of what every request paid while the builders went through plotly (the old builders, with add_hrect and
update_layout, cost more: see the commit that made them dicts).

Part 2, the page callbacks in an app on the demo replica (the embedded SQLite demo, or the replica at
--db-url), called in-process as a signed-in user as Dash would call them, with the KPI data already cached:
  cold render: ``service.rendered`` bypassed, every figure, grid and component tree built from the cached data;
  rendered:    the same call served from the rendered cache (the 'simple' in-process cache here: a Redis read
               adds its round trip).
Prints the median of --rounds calls, in milliseconds. Targets (issue 8): every page callback warm p95 <= 50 ms
(measured over HTTP by callback_bench.py; this isolates the rendering part of it).
"""
from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotly.graph_objects as go

from dashboard.figures import for_screen, kpi_trend, oee_decomposition, pareto
from dashboard.kpis.catalogue import HEADLINE_SITE_KPIS, Catalogue
from dashboard.views.executive import HEADLINE
from dashboard.views.executive_panels import kpi_heatmap, trend_panels
from dashboard.views.plant import day_heatmap


def median_ms(fn: Callable, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


# --- part 1: pure builders --------------------------------------------------------------------------------

def _weekly(cat: Catalogue, as_of: date) -> list[dict]:
    """57 weeks of every headline KPI for companies 1-2 and sites 1-5, values around each KPI's target."""
    rnd = random.Random(8)
    monday = as_of - timedelta(days=as_of.weekday())
    weeks = [(monday - timedelta(weeks=i)).isoformat() for i in range(57)]
    rows = []
    for kpi in HEADLINE:
        d = cat[kpi]
        for kind, ids in (("company", (1, 2)), ("warehouse", (1, 2, 3, 4, 5))):
            for scope_id in ids:
                for week in weeks:
                    value = (d.target or 1.0) * rnd.uniform(0.5, 1.3)
                    rows.append({"kpi": kpi, "scope_kind": kind, "scope_id": scope_id, "bucket": week, "value": value,
                                 "status": d.status(value)})
    return rows


def builders(rounds: int) -> list[tuple[str, float, float | None]]:
    """``(builder, its ms, go.Figure of its dict ms)`` on realistic data."""
    cat = Catalogue()
    as_of = date(2026, 11, 21)
    weekly = _weekly(cat, as_of)
    rnd = random.Random(9)
    sites = [(i, f"Site {i}") for i in range(1, 6)]
    current = {(i, k): {"value": rnd.random(), "status": "ok"} for i, _ in sites for k in HEADLINE_SITE_KPIS}
    previous = {(i, k): rnd.random() for i, _ in sites for k in HEADLINE_SITE_KPIS}
    wcs = [(i, f"Work center {i}") for i in range(1, 31)]
    days = [(as_of - timedelta(days=i)).isoformat() for i in range(90)][::-1]
    daily = [{"kpi": "oee", "scope_kind": "workcenter", "scope_id": w, "bucket": d, "value": rnd.random(), "status": "ok"}
             for w, _ in wcs for d in days]
    oee_day = [{"bucket": d, "value": rnd.random()} for d in days]
    losses = [(f"Loss reason {i}", rnd.uniform(1, 30)) for i in range(12)]
    cases = {
        "executive trends (trend_panels, 9 charts x 57 weeks)":
            (lambda: trend_panels(weekly, cat, site=None, company=1), None),
        "executive trends at 4K (scale 2)": (lambda: trend_panels(weekly, cat, site=2, company=1, scale=2), None),
        "one weekly trend with bands (kpi_trend)": (lambda: kpi_trend(weekly[:57], cat["oee"], height=210), "figure"),
        "executive sites heat map (5 x 9)":
            (lambda: kpi_heatmap(sites, HEADLINE_SITE_KPIS, "warehouse", current, previous, cat, days=30, currency_of={},
                                 empty_message="none"), "figure"),
        "plant heat map (30 work centers x 90 days)":
            (lambda: day_heatmap(wcs, days, daily, "oee", cat, {}, empty_message="none"), "figure"),
        "work center OEE waterfall": (lambda: for_screen(oee_decomposition(0.81, 0.9, 0.97), 1), "figure"),
        "work center loss Pareto": (lambda: pareto(losses, unit="hours", value_label="Lost hours", top=8), "figure"),
        "work center OEE by day (90 days)":
            (lambda: kpi_trend(oee_day, cat.for_scope("oee", "workcenter", 1, 1), bucket="day", height=320), "figure"),
    }
    out = []
    for name, (build, kind) in cases.items():
        own = median_ms(build, rounds)
        validated = None
        if kind == "figure":
            fig = build()
            validated = median_ms(lambda f=fig: go.Figure(f), rounds)
        else:  # a list of chart columns: every chart's figure through plotly
            charts = build()[0]
            validated = median_ms(lambda c=charts: [go.Figure(col.children.figure) for col in c], rounds)
        out.append((name, own, validated))
    return out


# --- part 2: page callbacks in an app ---------------------------------------------------------------------

def _page(key: str):
    return next(m for name, m in sys.modules.items() if name.endswith(f"pages.{key}") and hasattr(m, "spec"))


def callbacks(rounds: int, db_url: str | None) -> list[tuple[str, float, float]]:
    """``(callback, cold render ms, rendered ms)`` with the KPI data cached in both."""
    from flask_login import login_user

    from dashboard import create_app, service
    from dashboard.auth.users import LoginUser
    from dashboard.extensions import STATE_KEY
    from dashboard.settings import Settings
    from dashboard.views.executive import View
    from data_access.demo.scenario import STORY

    instance = tempfile.mkdtemp(prefix="render-bench-")
    options = dict(instance_dir=instance, cache_type="simple", secure_cookies=False, log_level="WARNING",
                   secret_key=secrets.token_urlsafe(40))
    if db_url:
        options["replica_url"] = db_url
    app = create_app(Settings(**options).validate())
    store = app.server.extensions[STATE_KEY].store
    for user, role in (("bench-exec", "executive"), ("bench-plant", "plant")):
        store.add_user(user, secrets.token_urlsafe(12), role)
    executive, plant, workcenter, home = (_page(k) for k in ("executive", "plant", "workcenter", "home"))

    def as_user(username: str):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        login_user(LoginUser(store.find_user(username)))
        return ctx

    ctx = as_user("bench-exec")
    today = service.today()
    view = View(today, 30).as_data()
    detail = View(today, 30, company=1, site=STORY["breakdown_warehouse_id"], kpi="supplier_otif").as_data()
    plant_view = {"site": STORY["breakdown_warehouse_id"], "metric": "oee", "days": 30, "as_of": today.isoformat()}
    wc_view = {"workcenter_id": STORY["breakdown_workcenter_id"], "days": 30, "as_of": today.isoformat()}
    cases = [
        ("bench-exec", "executive heat maps", lambda: executive._heatmaps(data=view, scale=1)),
        ("bench-exec", "executive exceptions", lambda: executive._exceptions(data=view)),
        ("bench-exec", "executive trends (scrolled to)", lambda: executive._trends(data=view, shown=True, scale=1)),
        ("bench-exec", "executive trends at 4K", lambda: executive._trends(data=view, shown=True, scale=2)),
        ("bench-exec", "executive detail (supplier OTIF)", lambda: executive._detail(data=detail, scale=1)),
        ("bench-exec", "home KPIs (executive)", lambda: home._kpis(None, scale=1)),
        ("bench-plant", "plant body (30 days)", lambda: plant._body(plant_view, scale=1)),
        ("bench-plant", "plant body (90 days)", lambda: plant._body(dict(plant_view, days=90), scale=1)),
        ("bench-plant", "work center body", lambda: workcenter._body(wc_view, scale=1)),
        ("bench-plant", "home KPIs (plant)", lambda: home._kpis(None, scale=1)),
    ]
    ctx.pop()
    rendered = service.rendered
    out = []
    for user, name, call in cases:
        ctx = as_user(user)
        try:
            call()  # the data (and this rendering) cached
            service.rendered = lambda _name, _access, _parts, build, **_kw: build()
            cold = median_ms(call, rounds)
            service.rendered = rendered
            warm = median_ms(call, rounds)
        finally:
            service.rendered = rendered
            ctx.pop()
        out.append((name, cold, warm))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--db-url", help="the replica (default: the embedded SQLite demo)")
    parser.add_argument("--builders-only", action="store_true", help="part 1 only (no app, no database)")
    args = parser.parse_args(argv)

    print(f"render benchmark: medians of {args.rounds} calls, milliseconds")
    print("\nbuilders (pure, realistic data)                        builder   go.Figure(dict)")
    for name, own, validated in builders(args.rounds):
        print(f"  {name:<52} {own:8.2f}   {validated:8.2f}")
    if args.builders_only:
        return 0
    print(f"\npage callbacks, KPI data cached ({args.db_url or 'embedded demo replica'})   cold render   rendered")
    for name, cold, warm in callbacks(args.rounds, args.db_url):
        print(f"  {name:<52} {cold:8.2f}   {warm:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
