"""Rows of the supply chain pages beyond the KPI drills: a vendor's scope check and its lead times.

One statement per call, bound parameters, period-bounded; ``ctx`` carries the caller's company and site
restriction (a purchase order's site is its operation type's warehouse, as in KPIS.md).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, and_, func, literal, select, union_all

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.supply import as_of_day
from data_access.queries.supply_drill import valid_id, valid_limit
from data_access.queries.supply_stock import on_hand_per_product_warehouse

__all__ = ["vendor_has_orders", "vendor_lead_times", "runout_risk", "waiting_on_products", "LEAD_HISTORY_DAYS"]

_CONFIRMED = ("purchase", "done")
LEAD_HISTORY_DAYS = 365  # purchase lines confirmed in this many days before the end of D give a product's lead time
_CONSUMERS = ("customer", "production")  # where consumed stock goes


def _scoped_orders(schema, ctx: QueryContext, partner_id: int):
    po, spt = schema.purchase_order, schema.stock_picking_type
    return (po.outerjoin(spt, spt.c.id == po.c.picking_type_id),
            and_(po.c.partner_id == valid_id(partner_id), po.c.state.in_(_CONFIRMED),
                 sqlfuncs.in_ids(po.c.company_id, ctx.company_ids), sqlfuncs.in_ids(spt.c.warehouse_id, ctx.warehouse_ids)))


def vendor_has_orders(conn, schema, ctx: QueryContext, *, partner_id: int) -> bool:
    """Whether the vendor has a confirmed purchase order (``purchase`` or ``done``) in ``ctx``'s companies and
    sites, at any date (an unknown partner and one out of scope answer alike: False)."""
    joined, where = _scoped_orders(schema, ctx, partner_id)
    po = schema.purchase_order
    return conn.execute(select(po.c.id).select_from(joined).where(where).limit(1)).first() is not None


def vendor_lead_times(conn, schema, ctx: QueryContext, *, partner_id: int) -> list[dict]:
    """The vendor's confirmed purchase orders first received in the period P: dicts ``order_id, order_name,
    date_approve, first_receipt`` (naive UTC) and ``lead_days`` (fractional days from confirmation,
    ``purchase_order.date_approve``, to the first done move of its lines from a ``supplier`` location),
    first receipt first. Orders without ``date_approve`` are left out."""
    po, pol, sm, loc = schema.purchase_order, schema.purchase_order_line, schema.stock_move, schema.stock_location
    joined, where = _scoped_orders(schema, ctx, partner_id)
    first = func.min(sm.c.date)
    stmt = (
        select(po.c.id.label("order_id"), po.c.name.label("order_name"), po.c.date_approve, first.label("first_receipt"))
        .select_from(joined.join(pol, pol.c.order_id == po.c.id).join(sm, sm.c.purchase_line_id == pol.c.id)
                     .join(loc, loc.c.id == sm.c.location_id))
        .where(where, po.c.date_approve.is_not(None), sm.c.state == "done", loc.c.usage == "supplier",
               sm.c.date < ctx.end)
        .group_by(po.c.id, po.c.name, po.c.date_approve)
        .having(first >= ctx.start)
        .order_by(first, po.c.id)
    )
    out = []
    for r in conn.execute(stmt):
        row = dict(r._mapping)
        row["first_receipt"] = _naive(row["first_receipt"])
        row["date_approve"] = _naive(row["date_approve"])
        row["lead_days"] = max(0.0, (row["first_receipt"] - row["date_approve"]).total_seconds() / 86400)
        out.append(row)
    return out


def _naive(value):
    """A datetime from the database (SQLite may answer text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _consumed(schema, ctx: QueryContext, rule_products):
    """Subquery ``product_id, warehouse_id, qty``: done moves of P from an internal location of a warehouse to a
    customer or production location, in the product's unit (Odoo's ``_compute_quantity``: divided by the move
    unit's ``factor``, times the product unit's)."""
    sm, src, dst = schema.stock_move, schema.stock_location.alias("src"), schema.stock_location.alias("dst")
    pp, pt = schema.product_product, schema.product_template
    move_uom, product_uom = schema.uom_uom.alias("move_uom"), schema.uom_uom.alias("product_uom")
    qty = sm.c.quantity / func.coalesce(move_uom.c.factor, 1.0) * func.coalesce(product_uom.c.factor, 1.0)
    return (
        select(sm.c.product_id, src.c.warehouse_id, func.sum(qty).label("qty"))
        .select_from(sm.join(src, src.c.id == sm.c.location_id).join(dst, dst.c.id == sm.c.location_dest_id)
                     .outerjoin(move_uom, move_uom.c.id == sm.c.product_uom)
                     .outerjoin(pp, pp.c.id == sm.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id)
                     .outerjoin(product_uom, product_uom.c.id == pt.c.uom_id))
        .where(sm.c.state == "done", sqlfuncs.in_period(sm.c.date, ctx.start, ctx.end), src.c.usage == "internal",
               src.c.warehouse_id.is_not(None), dst.c.usage.in_(_CONSUMERS), sm.c.product_id.in_(rule_products))
        .group_by(sm.c.product_id, src.c.warehouse_id)
        .subquery("consumed")
    )


def _lead_days(schema, ctx: QueryContext, dialect: str, rule_products):
    """Subquery ``product_id, lead_days``: the mean planned vendor lead time of the product's confirmed purchase
    lines (``date_approve`` to the line's ``date_planned``, as Odoo plans it from the vendor's delay) of the
    ``LEAD_HISTORY_DAYS`` before the end of D, in the caller's companies."""
    po, pol = schema.purchase_order, schema.purchase_order_line
    return (
        select(pol.c.product_id, func.avg(sqlfuncs.days_between(po.c.date_approve, pol.c.date_planned, dialect)).label("lead_days"))
        .select_from(pol.join(po, po.c.id == pol.c.order_id))
        .where(po.c.state.in_(_CONFIRMED), pol.c.display_type.is_(None), pol.c.product_id.in_(rule_products),
               sqlfuncs.in_period(po.c.date_approve, ctx.end - timedelta(days=LEAD_HISTORY_DAYS), ctx.end),
               pol.c.date_planned >= po.c.date_approve, sqlfuncs.in_ids(po.c.company_id, ctx.company_ids))
        .group_by(pol.c.product_id)
        .subquery("lead")
    )


def runout_risk(conn, schema, ctx: QueryContext, *, limit: int = 200) -> list[dict]:
    """Active reordering rules with stock on hand now that runs out within the product's vendor lead time at the
    rate of P's consumption (call it with the 30 days ending D).

    Dicts ``model`` ('stock.warehouse.orderpoint'), ``orderpoint_id, name, warehouse_id, warehouse_name,
    product_id, product_name, on_hand`` (> 0, now), ``daily`` (consumed in P / days of P), ``lead_days``,
    ``runout_days`` (on hand / daily) and ``runout_date`` (D plus the whole days of ``runout_days``, ISO),
    soonest first. Rules without consumption in P or without a confirmed purchase line are left out: nothing
    to project."""
    d = conn.dialect.name
    op, wh, pp, pt = schema.stock_warehouse_orderpoint, schema.stock_warehouse, schema.product_product, schema.product_template
    rule_products = select(op.c.product_id).where(op.c.active.is_(True))
    oh, used, lead = on_hand_per_product_warehouse(schema), _consumed(schema, ctx, rule_products), _lead_days(schema, ctx, d, rule_products)
    days = (ctx.end - ctx.start).days
    stmt = (
        select(op.c.id.label("orderpoint_id"), op.c.name, op.c.warehouse_id, wh.c.name.label("warehouse_name"),
               op.c.product_id, sqlfuncs.translated(pt.c.name, ctx.lang, d).label("product_name"),
               oh.c.qty.label("on_hand"), used.c.qty.label("consumed"), lead.c.lead_days)
        .select_from(op.join(oh, and_(oh.c.product_id == op.c.product_id, oh.c.warehouse_id == op.c.warehouse_id))
                     .join(used, and_(used.c.product_id == op.c.product_id, used.c.warehouse_id == op.c.warehouse_id))
                     .join(lead, lead.c.product_id == op.c.product_id)
                     .outerjoin(wh, wh.c.id == op.c.warehouse_id)
                     .outerjoin(pp, pp.c.id == op.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(op.c.active.is_(True), oh.c.qty > 0, used.c.qty > 0,
               oh.c.qty * days <= used.c.qty * lead.c.lead_days,
               sqlfuncs.in_ids(op.c.company_id, ctx.company_ids), sqlfuncs.in_ids(op.c.warehouse_id, ctx.warehouse_ids))
        .order_by(oh.c.qty / used.c.qty, op.c.id)
        .limit(valid_limit(limit))
    )
    d_day = as_of_day(ctx)
    out = []
    for r in conn.execute(stmt):
        row = {"model": "stock.warehouse.orderpoint", **dict(r._mapping)}
        row["on_hand"], row["daily"] = float(r.on_hand), float(row.pop("consumed")) / days
        row["lead_days"], row["runout_days"] = float(r.lead_days), row["on_hand"] / row["daily"]
        row["runout_date"] = (d_day + timedelta(days=int(row["runout_days"]))).isoformat()
        out.append(row)
    return out


_OPEN_MO = ("confirmed", "progress", "to_close")
MAX_PRODUCTS = 200


def waiting_on_products(conn, schema, ctx: QueryContext, *, product_ids, limit: int = 200) -> list[dict]:
    """The open records waiting on these products now: MOs (``confirmed``, ``progress``, ``to_close``) with a
    component move of one of them not done yet, and confirmed sale orders (``sale``) with a line of one of them
    not delivered in full (Odoo's stored ``qty_delivered``), in ``ctx``'s companies and sites.

    Dicts ``model`` ('mrp.production' or 'sale.order'), ``record_id, name, product_id, qty`` (still needed, in
    the move's or line's unit), ``due`` (the MO's deadline, else its start; the order's commitment date, else its
    order date; naive UTC) and ``warehouse_id``, earliest due first."""
    ids = sorted({valid_id(i) for i in product_ids})[:MAX_PRODUCTS]
    if not ids:
        return []
    mo, sm, spt = schema.mrp_production, schema.stock_move, schema.stock_picking_type
    so, sol = schema.sale_order, schema.sale_order_line
    mo_due = func.coalesce(mo.c.date_deadline, mo.c.date_start)
    mos = (
        select(literal("mrp.production", String).label("model"), mo.c.id.label("record_id"), mo.c.name,
               sm.c.product_id, func.sum(sm.c.product_uom_qty).label("qty"), mo_due.label("due"),
               spt.c.warehouse_id)
        .select_from(mo.join(sm, sm.c.raw_material_production_id == mo.c.id)
                     .outerjoin(spt, spt.c.id == mo.c.picking_type_id))
        .where(mo.c.state.in_(_OPEN_MO), sm.c.state.not_in(("done", "cancel")), sm.c.product_id.in_(ids),
               sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids), sqlfuncs.in_ids(spt.c.warehouse_id, ctx.warehouse_ids))
        .group_by(mo.c.id, mo.c.name, sm.c.product_id, mo_due, spt.c.warehouse_id)
    )
    so_due = func.coalesce(so.c.commitment_date, so.c.date_order)
    open_qty = sol.c.product_uom_qty - func.coalesce(sol.c.qty_delivered, 0)
    sos = (
        select(literal("sale.order", String).label("model"), so.c.id.label("record_id"), so.c.name,
               sol.c.product_id, func.sum(open_qty).label("qty"), so_due.label("due"), so.c.warehouse_id)
        .select_from(so.join(sol, sol.c.order_id == so.c.id))
        .where(so.c.state == "sale", sol.c.display_type.is_(None), sol.c.product_id.in_(ids), open_qty > 0,
               sqlfuncs.in_ids(so.c.company_id, ctx.company_ids), sqlfuncs.in_ids(so.c.warehouse_id, ctx.warehouse_ids))
        .group_by(so.c.id, so.c.name, sol.c.product_id, so_due, so.c.warehouse_id)
    )
    both = union_all(mos, sos).subquery("waiting")
    stmt = select(both).order_by(both.c.due, both.c.model, both.c.record_id, both.c.product_id).limit(valid_limit(limit))
    return [{**dict(r._mapping), "qty": float(r.qty), "due": _naive(r.due)} for r in conn.execute(stmt)]
