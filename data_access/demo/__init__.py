"""The embedded demo replica: an Odoo-shaped database (exact 17.0/18.0 tables and columns) holding
400 days of a seeded story of a Tier-1 automotive supplier, ending at ``today``.

``build_demo(url, scale=1, seed=42, version="17.0", today=None, now=None, progress=None)`` is the main
public function;
``story_clock`` tells the moment the story stops. The
story (late vendor, breakdown work center, scrap excursion traced to a vendor lot, poor-margin product
family, seasonal demand) is described in ``scenario.STORY`` and the generator modules.
"""
from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data_access.demo.accounting import Accounting
from data_access.demo.common import HISTORY_DAYS, Ctx, at
from data_access.demo.currencies import write_usd_invoices
from data_access.demo.indexes import create_odoo_indexes
from data_access.demo.kits import write_kit_story
from data_access.demo.masterdata import MODULES, write_master
from data_access.demo.production import produce_day
from data_access.demo.purchasing import Purchasing
from data_access.demo.quality import QUALITY_MODULES, write_quality
from data_access.demo.sales import Sales
from data_access.demo.scenario import STORY, build_scenario
from data_access.demo.stock import Ids, Ledger, magic
from data_access.demo.writer import RowWriter
from data_access.schema import SUPPORTED_VERSIONS, odoo_schema

# "enterprise" adds Odoo Enterprise's quality app (quality alerts: NC closure time); "community" has none.
EDITIONS = ("enterprise", "community")

__all__ = ["build_demo", "story_clock", "STORY"]

PLANNING_DAYS = 7  # MOs are planned this many days beyond today


STORY_HOUR = 14  # the story's clock on a given day: 14:00 UTC, or the build moment if earlier


def story_clock(today: date | None = None, now: datetime | None = None) -> datetime:
    """The moment the story stops (naive UTC, to the minute): nothing is done, written or logged after it.

    ``now`` pins it (tests). Otherwise it is ``today`` at 14:00 UTC, but never later than the real
    moment of the build: a demo built at 06:30 for the real today holds nothing after 06:30.
    """
    if now is not None:
        if now.tzinfo is not None:
            now = now.astimezone(UTC).replace(tzinfo=None)
        clock = now.replace(second=0, microsecond=0)
        if today is not None and today != clock.date():
            raise ValueError(f"now ({clock}) is not a moment of today ({today})")
        return clock
    real = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)
    day = today or real.date()
    if day == real.date():
        return min(at(day, STORY_HOUR), real)
    return at(day, STORY_HOUR)  # another day's story, told up to its afternoon


def build_demo(url: str, *, scale: int = 1, seed: int = 42, version: str = "17.0",
               today: date | None = None, now: datetime | None = None, edition: str = "enterprise",
               progress=None) -> dict:
    """Create every table of ``odoo_schema(version)`` at ``url`` (dropping existing Odoo tables) and
    fill them with the demo story up to ``story_clock(today, now)``: history before it, plans after it.
    Then build Odoo's own indexes (``indexes.py``; no others) and refresh the planner statistics.

    ``progress`` (optional, ``step(name, total)`` and ``advance(handle, n)``) follows the rows written per
    table and the indexes built.

    Returns ``{"seconds": float, "rows": {table: count}, "bytes": int, "clock": datetime,
    "indexes": {"created": int, "skipped": [names]}}``."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}")
    started = time.monotonic()
    clock = story_clock(today, now)
    today = clock.date()
    schema = odoo_schema(version)
    engine = create_engine(url)
    try:
        for other in SUPPORTED_VERSIONS:   # a rebuild may change the series: drop every Odoo table
            odoo_schema(other).metadata.drop_all(engine)
        schema.metadata.create_all(engine)
        rng = random.Random(seed)
        sc = build_scenario(scale, rng)
        with RowWriter(engine, schema, clock=clock, progress=progress) as w:
            created = at(today - timedelta(days=HISTORY_DAYS + 30), 8)
            enterprise = edition == "enterprise"
            modules = {**MODULES, **QUALITY_MODULES} if enterprise else MODULES
            write_master(w, sc, version, created, modules)  # fills the scenario's location ids first
            ids = Ids()
            ctx = Ctx(w, sc, rng, ids, Ledger(w, sc, ids, rng), version, clock, scale)
            accounting = Accounting(ctx)
            accounting.write_chart(created)
            purchasing, sales = Purchasing(ctx), Sales(ctx, accounting)
            purchasing.opening_stock()
            day = ctx.start
            while day <= today + timedelta(days=PLANNING_DAYS):
                produce_day(ctx, day)
                if day <= today:
                    purchasing.day(day)
                    sales.day(day)
                day += timedelta(days=1)
            write_usd_invoices(ctx, accounting)  # the USD company (after the story: its random stream is untouched)
            write_kit_story(ctx)  # kits and returns (KPIS.md v2): own random stream and ids, after the history
            _orderpoints_and_stockouts(ctx, purchasing)
            if enterprise:
                write_quality(ctx)
            ctx.ledger.write_quants(ctx.now)
        indexes = create_odoo_indexes(engine, version, progress)  # after the load: one sorted build each
        _analyze(engine)
        size = _size(engine, url)
        rows = {name: w.counts.get(name, 0) for name in sorted(schema.metadata.tables)}
        return {"seconds": round(time.monotonic() - started, 3), "rows": rows, "bytes": size, "clock": clock,
                "indexes": indexes}
    finally:
        engine.dispose()


def _analyze(engine) -> None:
    """Planner statistics for the freshly loaded tables, as a live Odoo database has them (without
    them PostgreSQL plans the KPI joins as nested loops and a 1-second query takes minutes)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def stockout_products(ctx: Ctx) -> list[tuple[int, int]]:
    """(warehouse id, product id) pairs the story leaves stocked out: the late vendor's sensor IC at
    the sensor plant and a cable harness at the Atlanta distribution centre."""
    sc = ctx.sc
    ic = next(c for c in sc.components if c.vendor_id == STORY["late_vendor_id"] and c.name.startswith("Hall"))
    harness = next(f for f in sc.finished if f.categ_id == STORY["poor_margin_category_id"])
    return [(3, ic.id), (5, harness.id)]


def _orderpoints_and_stockouts(ctx: Ctx, purchasing: Purchasing) -> None:
    out = set(stockout_products(ctx))
    when = min(at(ctx.today, 6), ctx.now)  # this morning's cycle count (or just now, before 06:00)
    for n, ((wid, pid), weekly) in enumerate(sorted(purchasing.weekly.items()), start=1):
        plant, product = ctx.sc.plant(wid), ctx.ledger.products[pid]
        ctx.w.add("stock_warehouse_orderpoint", {
            "id": n, "name": f"OP/{n:05d}", "trigger": "auto", "active": True, "warehouse_id": wid,
            "location_id": plant.stock_loc, "product_id": pid, "product_category_id": product.categ_id,
            "product_min_qty": round(weekly), "product_max_qty": round(3 * weekly), "qty_multiple": 1.0,
            "company_id": plant.company_id, "qty_to_order": 0.0, "qty_to_order_manual": 0.0,
            "vendor_id": product.vendor_id if plant.manufactures else 1, **magic(at(ctx.start, 6))})
        if (wid, pid) in out:
            for (p, loc, lot), qty in sorted(ctx.ledger.onhand.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)):
                if p == pid and loc == plant.stock_loc and qty > 0:
                    ctx.ledger.move(product, qty, plant.stock_loc, ctx.sc.locations[f"inventory_{plant.company_id}"],
                                    state="done", date=when, company=plant.company_id, warehouse=wid,
                                    name="Product Quantity Updated (cycle count)", lot=lot, is_inventory=True)


def _size(engine, url: str) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return os.path.getsize(parsed.database) if parsed.database and os.path.exists(parsed.database) else 0
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
