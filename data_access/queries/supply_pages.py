"""Rows of the supply chain pages beyond the KPI drills: a vendor's scope check and its lead times.

One statement per call, bound parameters, period-bounded; ``ctx`` carries the caller's company and site
restriction (a purchase order's site is its operation type's warehouse, as in KPIS.md).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.supply_drill import valid_id

__all__ = ["vendor_has_orders", "vendor_lead_times"]

_CONFIRMED = ("purchase", "done")


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
