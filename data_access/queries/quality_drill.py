"""Quality drill-down rows: scrap Pareto, lot traceability, the MOs behind first pass yield.

Rows carry Odoo ids and ``model`` names for links. One aggregated statement per list, with a LIMIT.
An unknown or malformed id gives an empty list (or None), never an exception.
"""
from __future__ import annotations

from sqlalchemy import and_, func, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.production import as_float
from data_access.queries.production_drill import as_id, check_limit, product_name
from data_access.queries.quality import finished_qty_of, mo_scrap_select

__all__ = ["SCRAP_PARETO_BY", "scrap_pareto", "lot_scraps", "fpy_mos"]

SCRAP_PARETO_BY = ("product", "lot", "workcenter")


def scrap_pareto(conn, schema, ctx: QueryContext, *, warehouse_id=None, by: str = "product",
                 limit: int = 50) -> list[dict]:
    """Done scraps with ``date_done`` in P, summed by product, lot or work center, largest first.

    Rows: ``id`` (of the product / lot / work center), ``model``, ``name``, ``qty`` (sum of
    ``scrap_qty``, in each scrap's unit), ``count``; by lot also ``product_id`` and ``product``.
    Scraps without a lot (by lot) or without a work order (by work center) are left out. A scrap's
    site is its MO's warehouse, else its source location's warehouse; company is the scrap's.
    """
    if by not in SCRAP_PARETO_BY:
        raise ValueError(f"unknown grouping {by!r}; expected one of {SCRAP_PARETO_BY}")
    limit = check_limit(limit)
    wh = None if warehouse_id is None else as_id(warehouse_id)
    if warehouse_id is not None and wh is None:
        return []
    d = conn.dialect.name
    sc, mo, ptype, loc, wo = (schema.stock_scrap, schema.mrp_production, schema.stock_picking_type,
                              schema.stock_location, schema.mrp_workorder)
    site = func.coalesce(ptype.c.warehouse_id, loc.c.warehouse_id)
    key = {"product": sc.c.product_id, "lot": sc.c.lot_id, "workcenter": wo.c.workcenter_id}[by]
    agg = (
        select(key.label("key_id"), as_float(func.sum(func.coalesce(sc.c.scrap_qty, 0))).label("qty"),
               func.count().label("n"))
        .select_from(sc.outerjoin(mo, mo.c.id == sc.c.production_id)
                     .outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                     .outerjoin(loc, loc.c.id == sc.c.location_id)
                     .outerjoin(wo, wo.c.id == sc.c.workorder_id))
        .where(sc.c.state == "done", sqlfuncs.in_period(sc.c.date_done, ctx.start, ctx.end),
               sqlfuncs.in_ids(sc.c.company_id, ctx.company_ids), sqlfuncs.in_ids(site, ctx.warehouse_ids),
               sqlfuncs.in_ids(site, None if wh is None else (wh,)), key.isnot(None))
        .group_by(key)
        .subquery("scrap_keys")
    )
    if by == "workcenter":
        wc = schema.mrp_workcenter
        q = select(agg, wc.c.name.label("name")).select_from(agg.outerjoin(wc, wc.c.id == agg.c.key_id))
        model = "mrp.workcenter"
    elif by == "product":
        pp, ptarget, pname = product_name(schema, ctx.lang, d)
        q = select(agg, pname.label("name")).select_from(agg.outerjoin(ptarget, pp.c.id == agg.c.key_id))
        model = "product.product"
    else:
        lot = schema.stock_lot
        pp, ptarget, pname = product_name(schema, ctx.lang, d)
        q = (select(agg, lot.c.name.label("name"), lot.c.product_id, pname.label("product"))
             .select_from(agg.outerjoin(lot, lot.c.id == agg.c.key_id).outerjoin(ptarget, pp.c.id == lot.c.product_id)))
        model = "stock.lot"
    q = q.order_by(agg.c.qty.desc(), agg.c.key_id).limit(limit)
    out = []
    for r in conn.execute(q).mappings():
        row = {k: v for k, v in r.items() if k not in ("key_id", "n")}
        row.update(id=int(r["key_id"]), model=model, qty=float(r["qty"] or 0), count=int(r["n"]))
        out.append(row)
    return out


def lot_scraps(conn, schema, *, lot_id, lang: str = "en_US", company_ids: tuple[int, ...] | None = None,
               limit: int = 500) -> dict | None:
    """Traceability of one lot: its product, its vendor (if it came in on a receipt) and its done scraps.

    Returns ``{"lot": {id, model, name, product_id, product, company_id}, "vendor": {partner_id,
    partner, purchase_order_id, purchase_order, date} or None, "scraps": [{id, model, name, qty,
    product_id, product, production_id, production, workorder_id, workcenter_id, workcenter,
    date_done}]}``, or None for an unknown lot (or one outside ``company_ids``). The vendor is that
    of the earliest done move line of the lot whose move has a ``purchase_line_id``.
    """
    lid = as_id(lot_id)
    if lid is None:
        return None
    limit = check_limit(limit)
    d = conn.dialect.name
    lot = schema.stock_lot
    pp, ptarget, pname = product_name(schema, lang, d)
    head = conn.execute(
        select(lot.c.id, lot.c.name, lot.c.product_id, pname.label("product"), lot.c.company_id)
        .select_from(lot.outerjoin(ptarget, pp.c.id == lot.c.product_id))
        .where(lot.c.id == lid, sqlfuncs.in_ids(lot.c.company_id, company_ids))
    ).mappings().first()
    if head is None:
        return None
    sml, mv, pol, po, partner = (schema.stock_move_line, schema.stock_move, schema.purchase_order_line,
                                 schema.purchase_order, schema.res_partner)
    vendor = conn.execute(
        select(po.c.partner_id, partner.c.name.label("partner"), po.c.id.label("purchase_order_id"),
               po.c.name.label("purchase_order"), sml.c.date)
        .select_from(sml.join(mv, mv.c.id == sml.c.move_id).join(pol, pol.c.id == mv.c.purchase_line_id)
                     .join(po, po.c.id == pol.c.order_id).outerjoin(partner, partner.c.id == po.c.partner_id))
        .where(sml.c.lot_id == lid, mv.c.state == "done")
        .order_by(sml.c.date, sml.c.id).limit(1)
    ).mappings().first()
    sc, mo, wo, wc = schema.stock_scrap, schema.mrp_production, schema.mrp_workorder, schema.mrp_workcenter
    spp, starget, sname = product_name(schema, lang, d)
    scraps = conn.execute(
        select(sc.c.id, sc.c.name, sc.c.scrap_qty.label("qty"), sc.c.product_id, sname.label("product"),
               sc.c.production_id, mo.c.name.label("production"), sc.c.workorder_id, wo.c.workcenter_id,
               wc.c.name.label("workcenter"), sc.c.date_done)
        .select_from(sc.outerjoin(starget, spp.c.id == sc.c.product_id).outerjoin(mo, mo.c.id == sc.c.production_id)
                     .outerjoin(wo, wo.c.id == sc.c.workorder_id).outerjoin(wc, wc.c.id == wo.c.workcenter_id))
        .where(sc.c.lot_id == lid, sc.c.state == "done")
        .order_by(sc.c.date_done, sc.c.id).limit(limit)
    ).mappings().all()
    return {"lot": dict(head, model="stock.lot"),
            "vendor": dict(vendor) if vendor else None,
            "scraps": [dict(r, model="stock.scrap") for r in scraps]}


def fpy_mos(conn, schema, ctx: QueryContext, *, warehouse_id=None, limit: int = 200) -> list[dict]:
    """Done MOs with ``date_finished`` in P and their first-pass terms, most scrapped first.

    Rows: ``id``, ``model`` ('mrp.production'), ``name``, ``product_id``, ``product``,
    ``date_finished``, ``warehouse_id``, ``company_id``, ``qty_produced`` (done finished moves of the
    MO's product, not scrapped), ``qty_scrapped`` (done scraps of the MO's product).
    """
    limit = check_limit(limit)
    wh = None if warehouse_id is None else as_id(warehouse_id)
    if warehouse_id is not None and wh is None:
        return []
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    scrapped = mo_scrap_select(schema, ctx).subquery("scr")
    pp, ptarget, pname = product_name(schema, ctx.lang, conn.dialect.name)
    qty_scrapped = as_float(func.coalesce(scrapped.c.qty, 0))
    q = (
        select(mo.c.id, mo.c.name, mo.c.product_id, pname.label("product"), mo.c.date_finished,
               ptype.c.warehouse_id, mo.c.company_id,
               as_float(finished_qty_of(schema, mo)).label("qty_produced"), qty_scrapped.label("qty_scrapped"))
        .select_from(mo.outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                     .outerjoin(ptarget, pp.c.id == mo.c.product_id)
                     .outerjoin(scrapped, scrapped.c.production_id == mo.c.id))
        .where(and_(mo.c.state == "done", sqlfuncs.in_period(mo.c.date_finished, ctx.start, ctx.end),
                    sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids),
                    sqlfuncs.in_ids(ptype.c.warehouse_id, ctx.warehouse_ids),
                    sqlfuncs.in_ids(ptype.c.warehouse_id, None if wh is None else (wh,))))
        .order_by(qty_scrapped.desc(), mo.c.date_finished.desc(), mo.c.id)
        .limit(limit)
    )
    return [dict(r, model="mrp.production") for r in conn.execute(q).mappings()]
