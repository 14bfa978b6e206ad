"""Production drill-down rows: late MOs, a work center's work orders, one work order, downtime Pareto.

Every row carries Odoo ids and the Odoo ``model`` name so a page can link to the record. Each list
is one aggregated statement with a LIMIT. Ids are validated as integers; an unknown or malformed id
gives an empty list (or None), never an exception.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, case, func, literal, or_, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.production import as_float, not_cancelled, site_map_select

__all__ = ["as_id", "check_limit", "reference_time", "product_name", "late_mos", "workcenter_workorders", "workorder_detail",
           "downtime_pareto"]

MAX_LIMIT = 5000


def as_id(value) -> int | None:
    """An Odoo id as int, or None when ``value`` is not a positive integer (or its decimal text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()) or None
    return None


def reference_time(ctx: QueryContext, now: datetime | None = None) -> datetime:
    """The instant at which "open and past its deadline" is judged: ``now`` when given, else the end
    of P, or the present moment when P has not ended yet (a deadline later today is not passed)."""
    if now is not None:
        return now
    present = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return min(ctx.end, present)


def check_limit(limit) -> int:
    """A row limit between 1 and ``MAX_LIMIT`` (ValueError otherwise)."""
    limit = int(limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def product_name(schema, lang: str, dialect: str):
    """(join target, translated product name expression) for a ``product_product`` id column."""
    pp = schema.product_product.alias("pp")
    pt = schema.product_template.alias("ptmpl")
    target = pp.outerjoin(pt, pt.c.id == pp.c.product_tmpl_id)
    return pp, target, sqlfuncs.translated(pt.c.name, lang, dialect)


def late_mos(conn, schema, ctx: QueryContext, *, warehouse_id=None, limit: int = 200,
             now: datetime | None = None) -> list[dict]:
    """MOs behind their deadline: the not-on-time MOs of schedule adherence, plus open MOs past deadline.

    Rows (worst first): ``id``, ``model`` ('mrp.production'), ``name``, ``product_id``, ``product``,
    ``state``, ``date_deadline``, ``date_finished``, ``warehouse_id``, ``company_id``, ``status``
    ('done_late': done strictly after its deadline; 'late': open and past deadline at ``now``;
    'at_risk': open, deadline in P but still ahead of ``now``) and ``days_late`` (exact fractional days
    from the deadline to the finish, always > 0 for 'done_late' however small the delay; to ``now`` for
    open MOs, negative when at risk). ``now`` defaults to ``reference_time``: the end of P, or the
    present moment when P has not ended.
    """
    limit = check_limit(limit)
    wh = None if warehouse_id is None else as_id(warehouse_id)
    if warehouse_id is not None and wh is None:
        return []
    ref = reference_time(ctx, now)
    d = conn.dialect.name
    mo, ptype = schema.mrp_production, schema.stock_picking_type
    pp, ptarget, pname = product_name(schema, ctx.lang, d)
    is_done = mo.c.state == "done"
    done_late = and_(is_done, mo.c.date_finished.isnot(None), mo.c.date_finished > mo.c.date_deadline)
    is_open = mo.c.state.not_in(("done", "cancel"))
    reference = case((is_done, mo.c.date_finished), else_=literal(ref))
    days_late = as_float(sqlfuncs.days_between(mo.c.date_deadline, reference, d))
    status = case((is_done, "done_late"), (mo.c.date_deadline < literal(ref), "late"), else_="at_risk")
    q = (
        select(mo.c.id, mo.c.name, mo.c.product_id, pname.label("product"), mo.c.state, mo.c.date_deadline,
               mo.c.date_finished, ptype.c.warehouse_id, mo.c.company_id, status.label("status"),
               days_late.label("days_late"))
        .select_from(mo.outerjoin(ptype, ptype.c.id == mo.c.picking_type_id)
                     .outerjoin(ptarget, pp.c.id == mo.c.product_id))
        .where(
            not_cancelled(mo.c.state),
            mo.c.date_deadline.isnot(None),
            mo.c.date_deadline < ctx.end,
            or_(and_(mo.c.date_deadline >= ctx.start, or_(done_late, is_open)),
                and_(is_open, mo.c.date_deadline < literal(ref))),
            sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids),
            sqlfuncs.in_ids(ptype.c.warehouse_id, ctx.warehouse_ids),
            sqlfuncs.in_ids(ptype.c.warehouse_id, None if wh is None else (wh,)),
        )
        .order_by(days_late.desc(), mo.c.id)
        .limit(limit)
    )
    return [dict(r, model="mrp.production") for r in conn.execute(q).mappings()]


def _scrap_by_workorder(schema, conditions):
    """Done scraps summed per work order, for the work orders that ``conditions(work order table)``
    selects only (the drill's own work orders, never the scraps of the whole history)."""
    sc, wo = schema.stock_scrap, schema.mrp_workorder.alias("scrap_wo")
    return (select(sc.c.workorder_id.label("workorder_id"), func.sum(sc.c.scrap_qty).label("qty"))
            .select_from(sc.join(wo, wo.c.id == sc.c.workorder_id))
            .where(sc.c.state == "done", *conditions(wo))
            .group_by(sc.c.workorder_id).subquery("wo_scrap"))


def workcenter_workorders(conn, schema, ctx: QueryContext, *, workcenter_id, limit: int = 500,
                          now: datetime | None = None) -> list[dict]:
    """The work orders of a work center finished or started in P (not cancelled), latest first.

    Rows: ``id``, ``model`` ('mrp.workorder'), ``name``, ``state``, ``production_id``,
    ``production_name``, ``mo_state`` (the MO's state), ``product_id``, ``product``, ``date_start``,
    ``date_finished`` (Odoo's: the actual finish when done, the planned end otherwise),
    ``date_deadline`` (the MO's), ``duration_expected``, ``duration`` (minutes), ``qty_produced``,
    ``scrap_qty`` (done scraps of the work order), ``late`` and ``mo_late``.

    ``late``: the work order finished strictly after its MO's deadline, or is not finished and the
    deadline has passed at ``now`` (default ``reference_time``: the end of P, or the present moment).
    ``mo_late``: its MO is late by the same rule (finished after the deadline, or open past it), as
    ``late_mos`` counts it: a work order that ended in time can still belong to a late MO (the
    delay came later in the routing).
    """
    limit = check_limit(limit)
    wc = as_id(workcenter_id)
    if wc is None:
        return []
    ref = reference_time(ctx, now)
    d = conn.dialect.name
    wo, mo = schema.mrp_workorder, schema.mrp_production
    pp, ptarget, pname = product_name(schema, ctx.lang, d)

    def listed(w) -> list:
        """The work orders this list shows: the work center's, not cancelled, finished or started in P."""
        return [w.c.workcenter_id == wc, not_cancelled(w.c.state),
                or_(sqlfuncs.in_period(w.c.date_finished, ctx.start, ctx.end),
                    sqlfuncs.in_period(w.c.date_start, ctx.start, ctx.end))]

    scrap = _scrap_by_workorder(schema, listed)
    has_deadline = mo.c.date_deadline.isnot(None)
    late = or_(
        and_(wo.c.state == "done", has_deadline, wo.c.date_finished > mo.c.date_deadline),
        and_(wo.c.state != "done", has_deadline, mo.c.date_deadline < literal(ref)),
    )
    mo_late = or_(
        and_(mo.c.state == "done", has_deadline, mo.c.date_finished > mo.c.date_deadline),
        and_(mo.c.state.not_in(("done", "cancel")), has_deadline, mo.c.date_deadline < literal(ref)),
    )
    q = (
        select(wo.c.id, wo.c.name, wo.c.state, wo.c.production_id, mo.c.name.label("production_name"),
               mo.c.state.label("mo_state"), mo.c.product_id, pname.label("product"), wo.c.date_start, wo.c.date_finished, mo.c.date_deadline,
               as_float(func.coalesce(wo.c.duration_expected, 0)).label("duration_expected"),
               as_float(func.coalesce(wo.c.duration, 0)).label("duration"),
               as_float(func.coalesce(wo.c.qty_produced, 0)).label("qty_produced"),
               as_float(func.coalesce(scrap.c.qty, 0)).label("scrap_qty"),
               case((late, True), else_=False).label("late"), case((mo_late, True), else_=False).label("mo_late"))
        .select_from(wo.join(mo, mo.c.id == wo.c.production_id)
                     .outerjoin(ptarget, pp.c.id == mo.c.product_id)
                     .outerjoin(scrap, scrap.c.workorder_id == wo.c.id))
        .where(*listed(wo), sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids))
        .order_by(func.coalesce(wo.c.date_finished, wo.c.date_start).desc(), wo.c.id.desc())
        .limit(limit)
    )
    return [dict(r, model="mrp.workorder", late=bool(r["late"]), mo_late=bool(r["mo_late"]))
            for r in conn.execute(q).mappings()]


def workorder_detail(conn, schema, *, workorder_id, lang: str = "en_US",
                     company_ids: tuple[int, ...] | None = None) -> dict | None:
    """One work order with its MO, time logs and scraps; None when the id is unknown (or out of scope).

    Returns ``{"workorder": {id, model, name, state, workcenter_id, workcenter, date_start,
    date_finished, duration_expected, duration, qty_produced}, "production": {id, model, name,
    product_id, product, state, date_deadline, date_finished, company_id}, "time_logs": [{id, model,
    date_start, date_end, duration, loss_id, loss, loss_type}], "scraps": [{id, model, name, qty,
    product_id, product, lot_id, lot, date_done}]}`` (logs and scraps at most 500 each, oldest first).
    """
    wid = as_id(workorder_id)
    if wid is None:
        return None
    d = conn.dialect.name
    wo, mo, wc = schema.mrp_workorder, schema.mrp_production, schema.mrp_workcenter
    pp, ptarget, pname = product_name(schema, lang, d)
    head = conn.execute(
        select(wo.c.id, wo.c.name, wo.c.state, wo.c.workcenter_id, wc.c.name.label("workcenter"), wo.c.date_start,
               wo.c.date_finished, wo.c.duration_expected, wo.c.duration, wo.c.qty_produced,
               mo.c.id.label("mo_id"), mo.c.name.label("mo_name"), mo.c.product_id, pname.label("product"),
               mo.c.state.label("mo_state"), mo.c.date_deadline, mo.c.date_finished.label("mo_date_finished"),
               mo.c.company_id)
        .select_from(wo.outerjoin(mo, mo.c.id == wo.c.production_id).outerjoin(wc, wc.c.id == wo.c.workcenter_id)
                     .outerjoin(ptarget, pp.c.id == mo.c.product_id))
        .where(wo.c.id == wid, sqlfuncs.in_ids(mo.c.company_id, company_ids))
    ).mappings().first()
    if head is None:
        return None
    log, loss = schema.mrp_workcenter_productivity, schema.mrp_workcenter_productivity_loss
    logs = conn.execute(
        select(log.c.id, log.c.date_start, log.c.date_end, log.c.duration, log.c.loss_id,
               sqlfuncs.translated(loss.c.name, lang, d).label("loss"), log.c.loss_type)
        .select_from(log.outerjoin(loss, loss.c.id == log.c.loss_id))
        .where(log.c.workorder_id == wid).order_by(log.c.date_start, log.c.id).limit(500)
    ).mappings().all()
    sc, lot = schema.stock_scrap, schema.stock_lot
    spp, starget, sname = product_name(schema, lang, d)
    scraps = conn.execute(
        select(sc.c.id, sc.c.name, sc.c.scrap_qty.label("qty"), sc.c.product_id, sname.label("product"),
               sc.c.lot_id, lot.c.name.label("lot"), sc.c.date_done)
        .select_from(sc.outerjoin(starget, spp.c.id == sc.c.product_id).outerjoin(lot, lot.c.id == sc.c.lot_id))
        .where(sc.c.workorder_id == wid, sc.c.state == "done").order_by(sc.c.date_done, sc.c.id).limit(500)
    ).mappings().all()
    return {
        "workorder": {"id": head["id"], "model": "mrp.workorder", "name": head["name"], "state": head["state"],
                      "workcenter_id": head["workcenter_id"], "workcenter": head["workcenter"],
                      "date_start": head["date_start"], "date_finished": head["date_finished"],
                      "duration_expected": head["duration_expected"], "duration": head["duration"],
                      "qty_produced": head["qty_produced"]},
        "production": {"id": head["mo_id"], "model": "mrp.production", "name": head["mo_name"],
                       "product_id": head["product_id"], "product": head["product"], "state": head["mo_state"],
                       "date_deadline": head["date_deadline"], "date_finished": head["mo_date_finished"],
                       "company_id": head["company_id"]},
        "time_logs": [dict(r, model="mrp.workcenter.productivity") for r in logs],
        "scraps": [dict(r, model="stock.scrap") for r in scraps],
    }


def downtime_pareto(conn, schema, ctx: QueryContext, *, workcenter_id=None, warehouse_id=None,
                    pins=()) -> list[dict]:
    """Non-productive minutes of closed time logs with ``date_start`` in P, by loss reason, largest first.

    Rows: ``loss_id``, ``model`` ('mrp.workcenter.productivity.loss'), ``loss`` (translated name),
    ``loss_type``, ``minutes``, ``count``. Filters: a work center, or a warehouse (the work centers
    whose site it is, ``pins`` applied); company scope is the log's ``company_id``.
    """
    wc = None if workcenter_id is None else as_id(workcenter_id)
    wh = None if warehouse_id is None else as_id(warehouse_id)
    if (workcenter_id is not None and wc is None) or (warehouse_id is not None and wh is None):
        return []
    log, loss = schema.mrp_workcenter_productivity, schema.mrp_workcenter_productivity_loss
    src = log
    conds = [log.c.date_end.isnot(None), sqlfuncs.in_period(log.c.date_start, ctx.start, ctx.end),
             func.coalesce(log.c.loss_type, "") != "productive", sqlfuncs.in_ids(log.c.company_id, ctx.company_ids)]
    if wc is not None:
        conds.append(log.c.workcenter_id == wc)
    if wh is not None or ctx.warehouse_ids is not None:
        site = site_map_select(schema, ctx.company_ids, pins).subquery("wc_site")
        src = log.join(site, site.c.workcenter_id == log.c.workcenter_id)
        conds += [sqlfuncs.in_ids(site.c.warehouse_id, ctx.warehouse_ids),
                  sqlfuncs.in_ids(site.c.warehouse_id, None if wh is None else (wh,))]
    agg = (select(log.c.loss_id.label("loss_id"), log.c.loss_type.label("loss_type"),
                  as_float(func.sum(func.coalesce(log.c.duration, 0))).label("minutes"), func.count().label("count"))
           .select_from(src).where(*conds).group_by(log.c.loss_id, log.c.loss_type).subquery("losses"))
    q = (select(agg.c.loss_id, sqlfuncs.translated(loss.c.name, ctx.lang, conn.dialect.name).label("loss"),
                agg.c.loss_type, agg.c.minutes, agg.c["count"])
         .select_from(agg.outerjoin(loss, loss.c.id == agg.c.loss_id))
         .order_by(agg.c.minutes.desc(), agg.c.loss_id))
    return [dict(r, model="mrp.workcenter.productivity.loss", minutes=float(r["minutes"] or 0), count=int(r["count"]))
            for r in conn.execute(q).mappings()]
