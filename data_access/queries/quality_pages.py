"""Rows of the quality pages: the scrap Pareto of first pass yield (by product and work center, with cost
from the scrap moves' valuation layers), first pass yield per product, open quality alerts and the
traceability of one lot (receipts back to the vendor, MOs that consumed it).

The scrap Pareto counts exactly the scrapped term of ``first_pass_yield`` (KPIS.md): done scraps of the
MO's own product, for MOs done with ``date_finished`` in P, in the MO's company and site, so its total
equals that term for the same period and scope. One aggregated statement per list, with a LIMIT.
"""
from __future__ import annotations

from sqlalchemy import and_, func, literal, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.production import BUCKETS, as_float, bucket_expr, check_choice
from data_access.queries.production_drill import as_id, check_limit, product_name
from data_access.queries.quality import finished_qty_of, mo_scrap_select

__all__ = ["FPY_PARETO_BY", "fpy_scrap_pareto", "fpy_by_product", "fpy_product_series", "open_quality_alerts",
           "lot_trace"]

FPY_PARETO_BY = ("product", "workcenter")


def _fpy_mo_terms(schema, ctx: QueryContext, mo, ptype, wh: int | None) -> list:
    """Filter terms of first pass yield's MOs: done with ``date_finished`` in P, in the scope (and site ``wh``)."""
    return [mo.c.state == "done", sqlfuncs.in_period(mo.c.date_finished, ctx.start, ctx.end),
            sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids), sqlfuncs.in_ids(ptype.c.warehouse_id, ctx.warehouse_ids),
            sqlfuncs.in_ids(ptype.c.warehouse_id, None if wh is None else (wh,))]


def _site(warehouse_id) -> tuple[bool, int | None]:
    """``(valid, id)`` of an optional site argument."""
    if warehouse_id is None:
        return True, None
    wh = as_id(warehouse_id)
    return wh is not None, wh


def fpy_scrap_pareto(conn, schema, ctx: QueryContext, *, by: str = "product", warehouse_id=None,
                     limit: int = 500) -> list[dict]:
    """Scrapped quantity of first pass yield per product or work center, largest first.

    Rows: ``id`` (None for scraps recorded on the MO without a work order, by work center), ``model``,
    ``name``, ``qty`` (sum of ``scrap_qty``), ``count`` (scraps), ``cost`` (minus the sum of the
    ``stock_valuation_layer.value`` of the scrap moves, ``stock_move.scrap_id``; in company currency).
    """
    if by not in FPY_PARETO_BY:
        raise ValueError(f"unknown grouping {by!r}; expected one of {FPY_PARETO_BY}")
    limit = check_limit(limit)
    ok, wh = _site(warehouse_id)
    if not ok:
        return []
    d = conn.dialect.name
    sc, mo, ptype, wo, mv, svl = (schema.stock_scrap, schema.mrp_production, schema.stock_picking_type,
                                  schema.mrp_workorder, schema.stock_move, schema.stock_valuation_layer)
    key = {"product": sc.c.product_id, "workcenter": wo.c.workcenter_id}[by]
    scraps = (
        select(sc.c.id.label("scrap_id"), key.label("key_id"), sc.c.scrap_qty.label("qty"), sc.c.date_done)
        .select_from(sc.join(mo, and_(mo.c.id == sc.c.production_id, mo.c.product_id == sc.c.product_id))
                     .outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                     .outerjoin(wo, wo.c.id == sc.c.workorder_id))
        .where(sc.c.state == "done", *_fpy_mo_terms(schema, ctx, mo, ptype, wh))
        .subquery("fpy_scraps")
    )
    # The valuation of each scrap's moves (stock_move.scrap_id, which Odoo does not index): the moves are read
    # on Odoo's stock_move.date index, within a day of the scraps' own dates (a scrap move is done when its
    # scrap is), never the whole move history; then their layers through stock_move_id.
    lo = select(func.min(scraps.c.date_done)).scalar_subquery()
    hi = select(func.max(scraps.c.date_done)).scalar_subquery()
    cost = (select(mv.c.scrap_id.label("scrap_id"), func.sum(svl.c.value).label("value"))
            .select_from(mv.join(scraps, scraps.c.scrap_id == mv.c.scrap_id).join(svl, svl.c.stock_move_id == mv.c.id))
            .where(mv.c.date >= sqlfuncs.add_days(lo, -1, d), mv.c.date <= sqlfuncs.add_days(hi, 1, d))
            .group_by(mv.c.scrap_id).subquery("scrap_cost"))
    agg = (select(scraps.c.key_id, as_float(func.sum(func.coalesce(scraps.c.qty, 0))).label("qty"),
                  func.count().label("n"), as_float(-func.sum(func.coalesce(cost.c.value, 0))).label("cost"))
           .select_from(scraps.outerjoin(cost, cost.c.scrap_id == scraps.c.scrap_id))
           .group_by(scraps.c.key_id).subquery("scrap_keys"))
    if by == "workcenter":
        wc = schema.mrp_workcenter
        q = select(agg, wc.c.name.label("name")).select_from(agg.outerjoin(wc, wc.c.id == agg.c.key_id))
        model = "mrp.workcenter"
    else:
        pp, ptarget, pname = product_name(schema, ctx.lang, d)
        q = select(agg, pname.label("name")).select_from(agg.outerjoin(ptarget, pp.c.id == agg.c.key_id))
        model = "product.product"
    q = q.order_by(agg.c.qty.desc(), agg.c.key_id).limit(limit)
    out = []
    for r in conn.execute(q).mappings():
        out.append({"id": None if r["key_id"] is None else int(r["key_id"]), "model": model, "name": r["name"],
                    "qty": float(r["qty"] or 0), "count": int(r["n"]), "cost": float(r["cost"] or 0)})
    return out


def fpy_by_product(conn, schema, ctx: QueryContext, *, warehouse_id=None, limit: int = 200) -> list[dict]:
    """First pass yield terms per MO product, most scrapped first: ``id``, ``model``, ``name``,
    ``qty_produced``, ``qty_scrapped``, ``mo_count`` (the terms of ``first_pass_yield``, KPIS.md)."""
    limit = check_limit(limit)
    ok, wh = _site(warehouse_id)
    if not ok:
        return []
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    scrapped = mo_scrap_select(schema, ctx).subquery("scr")
    records = (select(mo.c.product_id.label("product_id"), as_float(finished_qty_of(schema, mo)).label("produced"),
                      as_float(func.coalesce(scrapped.c.qty, 0)).label("scrapped"))
               .select_from(mo.outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                            .outerjoin(scrapped, scrapped.c.production_id == mo.c.id))
               .where(*_fpy_mo_terms(schema, ctx, mo, ptype, wh)).subquery("fpy_mos"))
    agg = (select(records.c.product_id, as_float(func.sum(records.c.produced)).label("qty_produced"),
                  as_float(func.sum(records.c.scrapped)).label("qty_scrapped"), func.count().label("mo_count"))
           .group_by(records.c.product_id).subquery("fpy_products"))
    pp, ptarget, pname = product_name(schema, ctx.lang, conn.dialect.name)
    q = (select(agg, pname.label("name")).select_from(agg.outerjoin(ptarget, pp.c.id == agg.c.product_id))
         .order_by(agg.c.qty_scrapped.desc(), agg.c.product_id).limit(limit))
    return [{"id": int(r["product_id"]), "model": "product.product", "name": r["name"],
             "qty_produced": float(r["qty_produced"] or 0), "qty_scrapped": float(r["qty_scrapped"] or 0),
             "mo_count": int(r["mo_count"])} for r in conn.execute(q).mappings()]


def fpy_product_series(conn, schema, ctx: QueryContext, *, product_ids, bucket: str = "day", warehouse_id=None,
                       limit: int = 5000) -> list[dict]:
    """First pass yield terms of the given MO products per local day or week of ``date_finished``:
    ``product_id``, ``bucket`` (ISO date), ``qty_produced``, ``qty_scrapped``, ``mo_count``."""
    check_choice(bucket, BUCKETS, "bucket")
    limit = check_limit(limit)
    ids = tuple(i for i in (as_id(p) for p in product_ids) if i is not None)
    ok, wh = _site(warehouse_id)
    if not ok or not ids:
        return []
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    scrapped = mo_scrap_select(schema, ctx).subquery("scr")
    records = (select(mo.c.product_id.label("product_id"),
                      bucket_expr(mo.c.date_finished, bucket, ctx, conn.dialect.name).label("bucket"),
                      as_float(finished_qty_of(schema, mo)).label("produced"),
                      as_float(func.coalesce(scrapped.c.qty, 0)).label("scrapped"))
               .select_from(mo.outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                            .outerjoin(scrapped, scrapped.c.production_id == mo.c.id))
               .where(*_fpy_mo_terms(schema, ctx, mo, ptype, wh), mo.c.product_id.in_(ids)).subquery("fpy_mos"))
    q = (select(records.c.product_id, records.c.bucket, as_float(func.sum(records.c.produced)).label("qty_produced"),
                as_float(func.sum(records.c.scrapped)).label("qty_scrapped"), func.count().label("mo_count"))
         .group_by(records.c.product_id, records.c.bucket).order_by(records.c.product_id, records.c.bucket).limit(limit))
    return [{"product_id": int(r["product_id"]), "bucket": str(r["bucket"])[:10],
             "qty_produced": float(r["qty_produced"] or 0), "qty_scrapped": float(r["qty_scrapped"] or 0),
             "mo_count": int(r["mo_count"])} for r in conn.execute(q).mappings()]


def open_quality_alerts(conn, schema, ctx: QueryContext, *, limit: int = 200) -> list[dict]:
    """Quality alerts not closed (``date_close`` null) created before the end of P, oldest first (Enterprise
    ``quality``; call only when installed): ``id``, ``model``, ``name``, ``create_date``, ``stage``,
    ``company_id``, ``product``, ``lot_id``, ``lot``."""
    limit = check_limit(limit)
    d = conn.dialect.name
    qa, st, lot = schema.quality_alert, schema.quality_alert_stage, schema.stock_lot
    pp, ptarget, pname = product_name(schema, ctx.lang, d)
    q = (select(qa.c.id, qa.c.name, qa.c.create_date, sqlfuncs.translated(st.c.name, ctx.lang, d).label("stage"),
                qa.c.company_id, pname.label("product"), qa.c.lot_id, lot.c.name.label("lot"))
         .select_from(qa.outerjoin(st, st.c.id == qa.c.stage_id).outerjoin(ptarget, pp.c.id == qa.c.product_id)
                      .outerjoin(lot, lot.c.id == qa.c.lot_id))
         .where(qa.c.date_close.is_(None), qa.c.create_date < ctx.end, sqlfuncs.in_ids(qa.c.company_id, ctx.company_ids))
         .order_by(qa.c.create_date, qa.c.id).limit(limit))
    return [dict(r, model="quality.alert") for r in conn.execute(q).mappings()]


def lot_trace(conn, schema, *, lot_id, lang: str = "en_US", company_ids: tuple[int, ...] | None = None,
              warehouse_ids: tuple[int, ...] | None = None, limit: int = 500) -> dict | None:
    """Where one lot came from and where it went: ``{"receipts": [...], "consumed": [...], "scraps": [...]}``
    or None for an unknown lot (or one outside ``company_ids``); each list only in the sites ``warehouse_ids``.

    Receipts: done move lines of the lot whose move has a ``purchase_line_id``: ``id`` (move line),
    ``date``, ``qty``, ``picking_id``, ``picking``, ``purchase_order_id``, ``purchase_order``, ``partner_id``,
    ``partner``, ``warehouse_id`` (of the destination location). Consumed: done move lines of the lot whose move is a component move of an MO
    (``raw_material_production_id``), per MO in the sites ``warehouse_ids``: ``id`` (MO), ``model``, ``name``,
    ``product``, ``state``, ``date`` (first consumption), ``qty``, ``warehouse_id``. Scraps: done scraps of the
    lot (``id``, ``model``, ``name``, ``qty``, ``product``, ``production``, ``workcenter``, ``date_done``,
    ``warehouse_id``: the MO's site, else the source location's).
    """
    lid = as_id(lot_id)
    if lid is None:
        return None
    limit = check_limit(limit)
    lot = schema.stock_lot
    head = conn.execute(select(lot.c.product_id).where(lot.c.id == lid, sqlfuncs.in_ids(lot.c.company_id, company_ids))).first()
    if head is None:
        return None
    # stock_move_line.lot_id has no Odoo index; a lot's move lines are those of its product (indexed)
    of_lot = (sml_lot := schema.stock_move_line).c.lot_id == lid, sml_lot.c.product_id == head.product_id
    sml, mv, pol, po, partner, pick = (schema.stock_move_line, schema.stock_move, schema.purchase_order_line,
                                       schema.purchase_order, schema.res_partner, schema.stock_picking)
    dest = schema.stock_location.alias("dest")
    receipts = conn.execute(
        select(sml.c.id, sml.c.date, as_float(sml.c.quantity).label("qty"), mv.c.picking_id, pick.c.name.label("picking"),
               po.c.id.label("purchase_order_id"), po.c.name.label("purchase_order"), po.c.partner_id,
               partner.c.name.label("partner"), dest.c.warehouse_id)
        .select_from(sml.join(mv, mv.c.id == sml.c.move_id).join(pol, pol.c.id == mv.c.purchase_line_id)
                     .join(po, po.c.id == pol.c.order_id).outerjoin(partner, partner.c.id == po.c.partner_id)
                     .outerjoin(pick, pick.c.id == mv.c.picking_id)
                     .outerjoin(dest, dest.c.id == mv.c.location_dest_id))
        .where(*of_lot, mv.c.state == "done", sqlfuncs.in_ids(dest.c.warehouse_id, warehouse_ids))
        .order_by(sml.c.date, sml.c.id).limit(limit)
    ).mappings().all()
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    pp, ptarget, pname = product_name(schema, lang, conn.dialect.name)
    used = (select(mv.c.raw_material_production_id.label("mo_id"), func.min(sml.c.date).label("date"),
                   as_float(func.sum(sml.c.quantity)).label("qty"))
            .select_from(sml.join(mv, mv.c.id == sml.c.move_id))
            .where(*of_lot, mv.c.state == "done", mv.c.raw_material_production_id.isnot(None))
            .group_by(mv.c.raw_material_production_id).subquery("lot_use"))
    consumed = conn.execute(
        select(mo.c.id, mo.c.name, pname.label("product"), mo.c.state, used.c.date, used.c.qty,
               ptype.c.warehouse_id, literal("mrp.production").label("model"))
        .select_from(used.join(mo, mo.c.id == used.c.mo_id).outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                     .outerjoin(ptarget, pp.c.id == mo.c.product_id))
        .where(sqlfuncs.in_ids(mo.c.company_id, company_ids), sqlfuncs.in_ids(ptype.c.warehouse_id, warehouse_ids))
        .order_by(used.c.date, mo.c.id).limit(limit)
    ).mappings().all()
    sc, wo, wc, loc = schema.stock_scrap, schema.mrp_workorder, schema.mrp_workcenter, schema.stock_location
    smo, stype = schema.mrp_production.alias("scrap_mo"), schema.stock_picking_type.alias("scrap_type")
    spp, starget, sname = product_name(schema, lang, conn.dialect.name)
    site = func.coalesce(stype.c.warehouse_id, loc.c.warehouse_id)
    scraps = conn.execute(
        select(sc.c.id, sc.c.name, as_float(sc.c.scrap_qty).label("qty"), sc.c.product_id, sname.label("product"),
               sc.c.production_id, smo.c.name.label("production"), sc.c.workorder_id, wo.c.workcenter_id,
               wc.c.name.label("workcenter"), sc.c.date_done, site.label("warehouse_id"))
        .select_from(sc.outerjoin(starget, spp.c.id == sc.c.product_id).outerjoin(smo, smo.c.id == sc.c.production_id)
                     .outerjoin(stype, stype.c.id == smo.c.picking_type_id).outerjoin(loc, loc.c.id == sc.c.location_id)
                     .outerjoin(wo, wo.c.id == sc.c.workorder_id).outerjoin(wc, wc.c.id == wo.c.workcenter_id))
        .where(sc.c.lot_id == lid, sc.c.state == "done", sqlfuncs.in_ids(sc.c.company_id, company_ids),
               sqlfuncs.in_ids(site, warehouse_ids))
        .order_by(sc.c.date_done, sc.c.id).limit(limit)
    ).mappings().all()
    return {"receipts": [dict(r) for r in receipts], "consumed": [dict(r) for r in consumed],
            "scraps": [dict(r, model="stock.scrap") for r in scraps]}
