"""Supply-chain drill-down rows: the Odoo records behind supplier / customer OTIF, late lines and stockouts.

Each function runs ONE statement with a LIMIT and returns plain dicts carrying Odoo ids and the
Odoo model name (``model``) so a page can link to the record. Filter ids are validated as ints; an
unknown id simply matches nothing. The lines are exactly those the KPI counts (same per-line facts).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select, true
from sqlalchemy.sql import ColumnElement

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.supply import (
    QTY_EPSILON,
    as_of_day,
    as_of_day_start,
    first_day,
    purchase_line_facts,
    sale_line_facts,
)
from data_access.queries.supply_qty import kits_enabled
from data_access.queries.supply_stock import on_hand_per_product_warehouse

__all__ = ["valid_id", "valid_limit", "id_filter", "late_po_lines", "supplier_otif_lines", "late_so_lines",
           "customer_otif_lines", "stockout_orderpoints"]

# Per-line facts the drills carry beside the quantities (KPIS.md v2): whether the line is a kit (its BoM,
# and the whole kits counted), and the returns that did not update the order ("Update quantities" off).
_FACT_KEYS = ("received_qty", "delivered_qty", "on_time_qty", "kits_on_time", "kits_by_end", "unrefunded_qty")

MAX_LIMIT = 1000


def valid_id(value) -> int | None:
    """``None`` or the int value of an Odoo id (an int or a string of digits); ``ValueError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise ValueError(f"not an Odoo id: {value!r}")
    return int(value)


def valid_limit(limit) -> int:
    """The row limit clamped to 1..1000."""
    return max(1, min(MAX_LIMIT, int(limit)))


def id_filter(col, value) -> ColumnElement:
    """``col = value`` for a validated Odoo id; no restriction when ``value`` is None."""
    value = valid_id(value)
    return true() if value is None else col == value


def _v2_facts(r, *, on_time: bool = False) -> dict:
    """``kit_bom_id`` (None unless a kit line), ``kits`` (whole kits, in the BoM's unit, at the instant the
    row's quantity is taken), ``qty_returned_not_updated`` (returns by the end of D without "Update
    quantities on SO/PO": they did not reduce the quantity)."""
    kits = r["kits_on_time"] if on_time else r["kits_by_end"]
    return {"kit_bom_id": r["kit_bom_id"], "kits": None if r["kit_bom_id"] is None or kits is None else float(kits),
            "qty_returned_not_updated": float(r["unrefunded_qty"] or 0)}


def _days(later: date, day_iso: str | None) -> int | None:
    return None if day_iso is None else (later - date.fromisoformat(str(day_iso)[:10])).days


def _purchase_lines(conn, schema, ctx: QueryContext, where, partner_id, warehouse_id, limit: int, *,
                    period: bool, backlog: bool) -> list[dict]:
    d = conn.dialect.name
    f = purchase_line_facts(schema, ctx, d, period=period, backlog=backlog, kits=kits_enabled(conn))
    po, rp, pp, pt = schema.purchase_order, schema.res_partner, schema.product_product, schema.product_template
    stmt = (
        select(f.c.line_id, f.c.order_id, po.c.name.label("order_name"), f.c.partner_id, rp.c.name.label("partner_name"),
               f.c.warehouse_id, f.c.product_id, sqlfuncs.translated(pt.c.name, ctx.lang, d).label("product_name"),
               f.c.date_planned, sqlfuncs.local_day(f.c.date_planned, ctx.day_offset_minutes, d).label("planned_day"),
               f.c.product_qty, f.c.on_time_qty, f.c.received_qty, f.c.kit_bom_id, f.c.kits_on_time, f.c.kits_by_end,
               f.c.unrefunded_qty)
        .select_from(f.join(po, po.c.id == f.c.order_id).outerjoin(rp, rp.c.id == f.c.partner_id)
                     .outerjoin(pp, pp.c.id == f.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(where(f), id_filter(f.c.partner_id, partner_id), id_filter(f.c.warehouse_id, warehouse_id))
        .order_by(f.c.date_planned, f.c.line_id)
        .limit(valid_limit(limit))
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def late_po_lines(conn, schema, ctx: QueryContext, *, partner_id=None, warehouse_id=None, limit: int = 200) -> list[dict]:
    """The lines ``late_po_lines`` counts: planned before D, received below ``product_qty`` by the end of D.

    Dicts ``model`` ('purchase.order.line'), ``line_id, order_id, order_name, partner_id`` (vendor),
    ``partner_name, warehouse_id, product_id, product_name`` (in ``ctx.lang``), ``date_planned``
    (naive UTC), ``planned_day`` (local ISO day), ``product_qty, qty_received`` (by the end of D, in
    the line's unit; a bought kit: whole kits, as Odoo stores it), ``days_late`` (whole days from the
    planned day to D), ``kit_bom_id``, ``kits`` and ``qty_returned_not_updated`` (``_v2_facts``), oldest
    first.
    """
    def late(f):
        return and_(f.c.date_planned < as_of_day_start(ctx), f.c.received_qty < f.c.product_qty - QTY_EPSILON)

    d_day = as_of_day(ctx)
    return [{"model": "purchase.order.line", **{k: v for k, v in r.items() if k not in _FACT_KEYS},
             "qty_received": float(r["received_qty"]), "days_late": _days(d_day, r["planned_day"]), **_v2_facts(r)}
            for r in _purchase_lines(conn, schema, ctx, late, partner_id, warehouse_id, limit, period=False, backlog=True)]


def supplier_otif_lines(conn, schema, ctx: QueryContext, *, partner_id=None, warehouse_id=None,
                        limit: int = 200) -> list[dict]:
    """The lines ``supplier_otif`` counts (planned in P), each with its OTIF flag.

    Dicts as ``late_po_lines`` without ``days_late``, plus ``qty_on_time`` (received as of the end of
    the planned day: receipts, returns and re-receipts dated before it) and ``otif`` (bool), in planned
    order; ``kits`` counts the kits on time.
    """
    def in_p(f):
        return f.c.date_planned >= ctx.start

    return [{"model": "purchase.order.line", **{k: v for k, v in r.items() if k not in _FACT_KEYS},
             "qty_received": float(r["received_qty"]), "qty_on_time": float(r["on_time_qty"]),
             "otif": float(r["on_time_qty"]) >= float(r["product_qty"]) - QTY_EPSILON, **_v2_facts(r, on_time=True)}
            for r in _purchase_lines(conn, schema, ctx, in_p, partner_id, warehouse_id, limit, period=True, backlog=False)]


def _sale_lines(conn, schema, ctx: QueryContext, where, partner_id, warehouse_id, limit: int, *,
                period: bool, backlog: bool) -> list[dict]:
    d = conn.dialect.name
    f = sale_line_facts(schema, ctx, d, period=period, backlog=backlog, kits=kits_enabled(conn))
    so, rp, pp, pt = schema.sale_order, schema.res_partner, schema.product_product, schema.product_template
    stmt = (
        select(f.c.line_id, f.c.order_id, so.c.name.label("order_name"), f.c.partner_id, rp.c.name.label("partner_name"),
               f.c.warehouse_id, f.c.product_id, sqlfuncs.translated(pt.c.name, ctx.lang, d).label("product_name"),
               f.c.promise, f.c.promise_day, f.c.product_uom_qty, f.c.on_time_qty, f.c.delivered_qty, f.c.kit_bom_id,
               f.c.kits_on_time, f.c.kits_by_end, f.c.unrefunded_qty)
        .select_from(f.join(so, so.c.id == f.c.order_id).outerjoin(rp, rp.c.id == f.c.partner_id)
                     .outerjoin(pp, pp.c.id == f.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(where(f), id_filter(f.c.partner_id, partner_id), id_filter(f.c.warehouse_id, warehouse_id))
        .order_by(f.c.promise_day, f.c.line_id)
        .limit(valid_limit(limit))
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def late_so_lines(conn, schema, ctx: QueryContext, *, partner_id=None, warehouse_id=None, limit: int = 200) -> list[dict]:
    """The open order exceptions ``late_so_lines`` counts: promised before D, delivered below
    ``product_uom_qty`` by the end of D.

    Dicts ``model`` ('sale.order.line'), ``line_id, order_id, order_name, partner_id`` (commercial
    partner), ``partner_name, warehouse_id, product_id, product_name, promise`` (naive UTC),
    ``promise_day`` (local ISO day), ``product_uom_qty, qty_delivered`` (as of the end of D, KPIS.md
    v2), ``age_days`` (whole days from the promise day to D), ``kit_bom_id``, ``kits`` and
    ``qty_returned_not_updated``, oldest first.
    """
    def late(f):
        return and_(f.c.promise_day < as_of_day(ctx).isoformat(), f.c.delivered_qty < f.c.product_uom_qty - QTY_EPSILON)

    d_day = as_of_day(ctx)
    return [{"model": "sale.order.line", **{k: v for k, v in r.items() if k not in _FACT_KEYS},
             "qty_delivered": float(r["delivered_qty"]), "age_days": _days(d_day, r["promise_day"]), **_v2_facts(r)}
            for r in _sale_lines(conn, schema, ctx, late, partner_id, warehouse_id, limit, period=False, backlog=True)]


def customer_otif_lines(conn, schema, ctx: QueryContext, *, partner_id=None, warehouse_id=None,
                        limit: int = 200) -> list[dict]:
    """The lines ``customer_otif`` counts (promised in P), each with its OTIF flag.

    Dicts as ``late_so_lines`` without ``age_days``, plus ``qty_on_time`` (delivered as of the end of the
    promise day: deliveries, returns and re-deliveries dated before it) and ``otif`` (bool), in promise
    order; ``kits`` counts the kits on time.
    """
    def in_p(f):
        return f.c.promise_day >= first_day(ctx).isoformat()

    return [{"model": "sale.order.line", **{k: v for k, v in r.items() if k not in _FACT_KEYS},
             "qty_delivered": float(r["delivered_qty"]), "qty_on_time": float(r["on_time_qty"]),
             "otif": float(r["on_time_qty"]) >= float(r["product_uom_qty"]) - QTY_EPSILON, **_v2_facts(r, on_time=True)}
            for r in _sale_lines(conn, schema, ctx, in_p, partner_id, warehouse_id, limit, period=True, backlog=False)]


def stockout_orderpoints(conn, schema, ctx: QueryContext, *, warehouse_id=None, limit: int = 200) -> list[dict]:
    """The active reordering rules ``stockout_rate`` counts as out of stock (a snapshot of now).

    Dicts ``model`` ('stock.warehouse.orderpoint'), ``orderpoint_id, name, warehouse_id,
    warehouse_name, product_id, product_name, on_hand`` (<= 0), ``product_min_qty``; most negative
    first.
    """
    d = conn.dialect.name
    op, wh = schema.stock_warehouse_orderpoint, schema.stock_warehouse
    pp, pt = schema.product_product, schema.product_template
    oh = on_hand_per_product_warehouse(schema)
    on_hand = func.coalesce(oh.c.qty, 0)
    stmt = (
        select(op.c.id.label("orderpoint_id"), op.c.name, op.c.warehouse_id, wh.c.name.label("warehouse_name"),
               op.c.product_id, sqlfuncs.translated(pt.c.name, ctx.lang, d).label("product_name"),
               on_hand.label("on_hand"), op.c.product_min_qty)
        .select_from(op.outerjoin(oh, and_(oh.c.product_id == op.c.product_id, oh.c.warehouse_id == op.c.warehouse_id))
                     .outerjoin(wh, wh.c.id == op.c.warehouse_id)
                     .outerjoin(pp, pp.c.id == op.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(op.c.active.is_(True), on_hand <= 0, op.c.warehouse_id.is_not(None),
               sqlfuncs.in_ids(op.c.company_id, ctx.company_ids), sqlfuncs.in_ids(op.c.warehouse_id, ctx.warehouse_ids),
               id_filter(op.c.warehouse_id, warehouse_id))
        .order_by(on_hand, op.c.id)
        .limit(valid_limit(limit))
    )
    return [{"model": "stock.warehouse.orderpoint", **dict(r._mapping), "on_hand": float(r.on_hand)}
            for r in conn.execute(stmt)]

