"""The shop-floor TV board's rows: what each work center is doing now and today's output against the plan.

Each function answers one site in one period (today, in ``ctx``), with small rows for explicit arguments,
in as few statements as it takes. Periods are ranges on raw Odoo columns; open time logs (``date_end`` NULL,
which Odoo does not index) are looked for only among the logs started in the period or the
``lookback_days`` before it, on the listed work centers (``workcenter_id`` is indexed); work orders in
progress through ``mrp_workorder.state`` (indexed). Sites and scopes as in ``production``: an MO's site is
its operation type's warehouse, a work center's the site of most of its work orders (the caller passes the
site's work centers, from ``production.workcenter_sites``).
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.production import as_float, not_cancelled
from data_access.queries.production_drill import as_id, product_name

__all__ = ["OPEN_LOG_LOOKBACK_DAYS", "RUNNING_LOSSES", "workcenter_activity", "output_today"]

OPEN_LOG_LOOKBACK_DAYS = 7  # an open log older than this is a forgotten timer, not a running machine
# Odoo's working_state: an open log of these loss types means the work center runs; any other open loss blocks it
RUNNING_LOSSES = ("productive", "performance")


def _ids(values) -> tuple[int, ...]:
    return tuple(sorted({i for i in (as_id(v) for v in values) if i is not None}))


def workcenter_activity(conn, schema, ctx: QueryContext, *, workcenter_ids,
                        lookback_days: int = OPEN_LOG_LOOKBACK_DAYS) -> dict:
    """What the given work centers are doing: ``{"open_logs": [...], "last_end": {wc: datetime},
    "progress": [...]}``.

    ``open_logs``: time logs without ``date_end`` started in ``[ctx.start - lookback_days, ctx.end)``, oldest
    first: ``id``, ``workcenter_id``, ``workorder_id``, ``loss_id``, ``loss`` (translated name), ``loss_type``,
    ``date_start`` and ``blocks`` (its loss type is not one of ``RUNNING_LOSSES``: Odoo calls the work center
    blocked). ``last_end``: the latest ``date_end`` of each work center's closed logs in that window.
    ``progress``: work orders in state ``progress`` (Odoo 17/18: started, running or paused) of MOs in the
    company scope: ``id``, ``workcenter_id``, ``name``, ``production_id``, ``production``, ``product``,
    ``date_start``. Company scope: the log's ``company_id``, the work order's MO's."""
    wcs = _ids(workcenter_ids)
    if not wcs:
        return {"open_logs": [], "last_end": {}, "progress": []}
    d = conn.dialect.name
    since = ctx.start - timedelta(days=int(lookback_days))
    log, loss = schema.mrp_workcenter_productivity, schema.mrp_workcenter_productivity_loss
    window = [log.c.workcenter_id.in_(wcs), log.c.date_start >= since, log.c.date_start < ctx.end,
              sqlfuncs.in_ids(log.c.company_id, ctx.company_ids)]
    open_logs = conn.execute(
        select(log.c.id, log.c.workcenter_id, log.c.workorder_id, log.c.loss_id,
               sqlfuncs.translated(loss.c.name, ctx.lang, d).label("loss"), log.c.loss_type, log.c.date_start)
        .select_from(log.outerjoin(loss, loss.c.id == log.c.loss_id))
        .where(*window, log.c.date_end.is_(None))
        .order_by(log.c.date_start, log.c.id)
    ).mappings().all()
    last_end = conn.execute(
        select(log.c.workcenter_id, func.max(log.c.date_end).label("last_end"))
        .where(*window, log.c.date_end.isnot(None))
        .group_by(log.c.workcenter_id)
    ).all()
    wo, mo = schema.mrp_workorder, schema.mrp_production
    pp, ptarget, pname = product_name(schema, ctx.lang, d)
    progress = conn.execute(
        select(wo.c.id, wo.c.workcenter_id, wo.c.name, wo.c.production_id, mo.c.name.label("production"),
               pname.label("product"), wo.c.date_start)
        .select_from(wo.join(mo, mo.c.id == wo.c.production_id).outerjoin(ptarget, pp.c.id == mo.c.product_id))
        .where(wo.c.state == "progress", wo.c.workcenter_id.in_(wcs), sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids))
        .order_by(wo.c.date_start, wo.c.id)
    ).mappings().all()
    return {"open_logs": [dict(r, blocks=r["loss_type"] not in RUNNING_LOSSES) for r in open_logs],
            "last_end": {int(wc): end for wc, end in last_end if end is not None},
            "progress": [dict(r) for r in progress]}


def _if_done(state_col, value):
    """``value`` for a done record, else 0."""
    return case((state_col == "done", value), else_=0)


def _site_mos(schema, ctx: QueryContext, warehouse_id: int):
    """(MO table joined to its operation type, conditions: not cancelled, in scope, at ``warehouse_id``)."""
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    return mo.join(ptype, ptype.c.id == mo.c.picking_type_id), [
        not_cancelled(mo.c.state), sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids),
        sqlfuncs.in_ids(ptype.c.warehouse_id, ctx.warehouse_ids), ptype.c.warehouse_id == warehouse_id]


def output_today(conn, schema, ctx: QueryContext, *, warehouse_id) -> dict:
    """Output of one site in the period against its plan: ``{"workcenters": [...], "products": [...]}``.

    The plan is the MOs due in the period (schedule adherence's: not cancelled, ``date_deadline`` in P).
    ``workcenters``: ``workcenter_id``, ``produced`` (``qty_produced`` of the work orders done with
    ``date_finished`` in P, OEE quality's quantity), ``planned`` (the quantity of the due MOs that have a
    work order there) and ``planned_done`` (of those, the work orders done). ``products``: ``product_id``,
    ``product``, ``planned`` (quantity of the due MOs), ``mos_due``, ``mos_done`` (of them, done) and
    ``produced`` (done finished-product moves of the site's MOs with ``date`` in P). Ordered by id."""
    wh = as_id(warehouse_id)
    if wh is None:
        return {"workcenters": [], "products": []}
    d = conn.dialect.name
    mo, wo, move = schema.mrp_production, schema.mrp_workorder, schema.stock_move
    mos, site = _site_mos(schema, ctx, wh)
    due = sqlfuncs.in_period(mo.c.date_deadline, ctx.start, ctx.end)
    qty = as_float(func.coalesce(mo.c.product_qty, 0))
    zero = as_float(0)

    produced_wc = (select(wo.c.workcenter_id, as_float(func.sum(func.coalesce(wo.c.qty_produced, 0))).label("produced"),
                          zero.label("planned"), zero.label("planned_done"))
                   .select_from(wo.join(mos, mo.c.id == wo.c.production_id))
                   .where(wo.c.state == "done", sqlfuncs.in_period(wo.c.date_finished, ctx.start, ctx.end), *site)
                   .group_by(wo.c.workcenter_id))
    planned_wc = (select(wo.c.workcenter_id, zero.label("produced"), as_float(func.sum(qty)).label("planned"),
                         as_float(func.sum(_if_done(wo.c.state, qty))).label("planned_done"))
                  .select_from(wo.join(mos, mo.c.id == wo.c.production_id))
                  .where(not_cancelled(wo.c.state), due, *site)
                  .group_by(wo.c.workcenter_id))
    both = produced_wc.union_all(planned_wc).subquery("wc_rows")
    workcenters = conn.execute(
        select(both.c.workcenter_id, func.sum(both.c.produced).label("produced"), func.sum(both.c.planned).label("planned"),
               func.sum(both.c.planned_done).label("planned_done"))
        .group_by(both.c.workcenter_id).order_by(both.c.workcenter_id)
    ).mappings().all()

    pp, ptarget, pname = product_name(schema, ctx.lang, d)
    planned = conn.execute(
        select(mo.c.product_id, as_float(func.sum(qty)).label("planned"), func.count().label("mos_due"),
               func.sum(_if_done(mo.c.state, 1)).label("mos_done"))
        .select_from(mos).where(due, *site).group_by(mo.c.product_id)
    ).mappings().all()
    produced = conn.execute(
        select(move.c.product_id, as_float(func.sum(func.coalesce(move.c.quantity, 0))).label("produced"))
        .select_from(move.join(mos, mo.c.id == move.c.production_id))
        .where(move.c.state == "done", move.c.production_id.isnot(None), move.c.product_id == mo.c.product_id,
               sqlfuncs.in_period(move.c.date, ctx.start, ctx.end), *site)
        .group_by(move.c.product_id)
    ).mappings().all()
    ids = sorted({int(r["product_id"]) for r in (*planned, *produced) if r["product_id"] is not None})
    names = dict(conn.execute(select(pp.c.id, pname).select_from(ptarget).where(pp.c.id.in_(ids))).all()) if ids else {}
    by_product = {i: {"product_id": i, "product": names.get(i) or f"#{i}", "planned": 0.0, "mos_due": 0, "mos_done": 0,
                      "produced": 0.0} for i in ids}
    for r in planned:
        if r["product_id"] is not None:
            by_product[int(r["product_id"])].update(planned=float(r["planned"] or 0), mos_due=int(r["mos_due"] or 0),
                                                    mos_done=int(r["mos_done"] or 0))
    for r in produced:
        by_product[int(r["product_id"])]["produced"] = float(r["produced"] or 0)
    return {"workcenters": [{"workcenter_id": int(r["workcenter_id"]), "produced": float(r["produced"] or 0),
                             "planned": float(r["planned"] or 0), "planned_done": float(r["planned_done"] or 0)}
                            for r in workcenters if r["workcenter_id"] is not None],
            "products": [by_product[i] for i in ids]}
