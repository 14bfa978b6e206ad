"""Stock sums (KPIS.md "Supply chain"): stockout rate of reordering rules, inventory turns and DIO terms.

RAW SUMS only, one statement per call (every scope kind of stockout in the same one), grouped by the
database; ``dashboard.kpis.supply`` makes the ratios.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, func, literal, or_, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.grouping import sums_by_kinds
from data_access.queries.supply import check_choice

__all__ = ["STOCKOUT_SCOPES", "TURNS_SCOPES", "TURNS_SAMPLES", "stockout_sums", "stockout_sums_by_kinds",
           "inventory_turns_sums", "on_hand_per_product_warehouse"]

STOCKOUT_SCOPES = ("warehouse", "company")
TURNS_SCOPES = ("company",)
TURNS_SAMPLES = 13  # D, D-30, ..., D-360
TURNS_DAYS = 365


def on_hand_per_product_warehouse(schema):
    """Subquery ``product_id, warehouse_id, qty``: on-hand of the products of active reordering rules,
    summed over ``stock_quant`` rows in ``internal`` locations of each warehouse."""
    op, q, loc = schema.stock_warehouse_orderpoint, schema.stock_quant, schema.stock_location
    rule_products = select(op.c.product_id).where(op.c.active.is_(True))
    return (
        select(q.c.product_id, loc.c.warehouse_id, func.sum(q.c.quantity).label("qty"))
        .select_from(q.join(loc, loc.c.id == q.c.location_id))
        .where(loc.c.usage == "internal", loc.c.warehouse_id.is_not(None), q.c.product_id.in_(rule_products))
        .group_by(q.c.product_id, loc.c.warehouse_id)
        .subquery("on_hand")
    )


def stockout_sums_by_kinds(conn, schema, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``{kind: rows}`` for every scope kind of ``kinds`` (``warehouse``, ``company``) from ONE statement;
    rows as ``stockout_sums`` returns them."""
    kinds = tuple(kinds)
    for kind in kinds:
        check_choice(kind, STOCKOUT_SCOPES, "scope kind")
    op = schema.stock_warehouse_orderpoint
    oh = on_hand_per_product_warehouse(schema)
    scopes = {"warehouse": op.c.warehouse_id, "company": op.c.company_id}
    records = (
        select(*[scopes[k].label(k) for k in kinds], literal(1).label("rules"),
               case((func.coalesce(oh.c.qty, 0) <= 0, 1), else_=0).label("stockout_rules"))
        .select_from(op.outerjoin(oh, and_(oh.c.product_id == op.c.product_id, oh.c.warehouse_id == op.c.warehouse_id)))
        .where(op.c.active.is_(True),
               sqlfuncs.in_ids(op.c.company_id, ctx.company_ids),
               sqlfuncs.in_ids(op.c.warehouse_id, ctx.warehouse_ids))
    )
    sums = sums_by_kinds(conn, records, kinds, ("rules", "stockout_rules"))
    return {kind: [{"scope_id": r["scope_id"], "bucket": None, "rules": int(r["rules"]),
                    "stockout_rules": int(r["stockout_rules"])} for r in rows] for kind, rows in sums.items()}


def stockout_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Active reordering rules and those whose product is out of stock in the rule's warehouse.

    A snapshot of now: the period of ``ctx`` does not apply (nor ``bucket``: rows carry ``None``);
    its company / warehouse restriction does (``stock_warehouse_orderpoint.company_id`` /
    ``warehouse_id``). Returns dicts ``scope_id, bucket, rules, stockout_rules`` (on-hand <= 0; a
    rule whose product has no quant in the warehouse has on-hand 0).
    """
    check_choice(group_by, STOCKOUT_SCOPES, "scope kind")
    return stockout_sums_by_kinds(conn, schema, ctx, (group_by,))[group_by]


def inventory_turns_sums(conn, schema, ctx: QueryContext, *, group_by: str = "company",
                         bucket: str | None = None) -> list[dict]:
    """COGS of the 365 days ending D and the inventory value at the end of D, D-30, ..., D-360.

    Uses only ``ctx.end`` (the end of D): the 365-day window replaces the period, so ``ctx.start`` is
    ignored, and so is ``bucket`` (rows carry ``None``). ``ctx.warehouse_ids`` does not apply
    (valuation layers have no site). One statement, one pass over the layers, per
    ``stock_valuation_layer.company_id``.

    Returns dicts ``scope_id, bucket, cogs`` (minus the value of layers created in
    ``[end - 365 days, end)`` whose move comes from or goes to a ``customer`` location),
    ``inventory_values`` (13 values: layers created before the end of D, D-30, ..., D-360),
    ``inventory_value_sum`` (their sum) and ``samples`` (13).
    """
    check_choice(group_by, TURNS_SCOPES, "scope kind")
    svl, m, loc = schema.stock_valuation_layer, schema.stock_move, schema.stock_location
    customer = select(loc.c.id).where(loc.c.usage == "customer")
    customer_moves = (select(m.c.id).where(or_(m.c.location_id.in_(customer), m.c.location_dest_id.in_(customer)))
                      .subquery("customer_moves"))
    window_start = ctx.end - timedelta(days=TURNS_DAYS)
    # Each layer is read once: ``sample`` is the last snapshot it belongs to (k: created before the
    # end of D - 30 k days), so snapshot k sums the samples >= k (13 sums over a few rows, not over
    # every layer); only the moves of layers in the 365 days are looked up, and only their ids.
    sample = case(*[(svl.c.create_date < ctx.end - timedelta(days=30 * k), k) for k in range(TURNS_SAMPLES - 1, 0, -1)],
                  else_=0)
    layers = (
        select(svl.c.company_id, sample.label("sample"), svl.c.value,
               case((customer_moves.c.id.is_not(None), svl.c.value), else_=0).label("customer_value"))
        .select_from(svl.outerjoin(customer_moves, and_(customer_moves.c.id == svl.c.stock_move_id,
                                                        svl.c.create_date >= window_start)))
        .where(svl.c.create_date < ctx.end, svl.c.company_id.is_not(None),
               sqlfuncs.in_ids(svl.c.company_id, ctx.company_ids))
        .subquery("layers")
    )
    per_sample = (
        select(layers.c.company_id, layers.c.sample, func.sum(layers.c.value).label("value"),
               func.sum(layers.c.customer_value).label("customer_value"))
        .group_by(layers.c.company_id, layers.c.sample)
        .subquery("per_sample")
    )
    snapshots = [func.sum(case((per_sample.c.sample >= k, per_sample.c.value), else_=0)).label(f"value_{k}")
                 for k in range(TURNS_SAMPLES)]
    stmt = (
        select(per_sample.c.company_id.label("scope_id"), func.sum(per_sample.c.customer_value).label("customer_value"),
               *snapshots)
        .group_by(per_sample.c.company_id)
        .order_by(per_sample.c.company_id)
    )
    out = []
    for r in conn.execute(stmt):
        values = [float(r._mapping[f"value_{k}"] or 0.0) for k in range(TURNS_SAMPLES)]
        out.append({"scope_id": int(r.scope_id), "bucket": None, "cogs": 0.0 - float(r.customer_value or 0.0),
                    "inventory_values": values, "inventory_value_sum": sum(values), "samples": TURNS_SAMPLES})
    return out

