"""Production sums (KPIS.md "Production"): OEE factors, downtime, schedule adherence.

Every function returns RAW SUMS, never ratios, one dict per scope entity (and per local day/week
when ``bucket`` is set), aggregated by the database in one statement; the ``*_by_kinds`` functions
answer several scope kinds from that one statement (``data_access.grouping.sums_by_kinds``). Every
period filter is a range on a raw Odoo column, and history tables are reached only through the
keys of the period's records. The KPI layer (``dashboard.kpis.production``) turns them into
values; rollups pool these sums.

Sites (KPIS.md conventions): an MO's site is ``picking_type_id -> stock_picking_type.warehouse_id``;
a work center's site is the site of most of its work orders' MOs (ties: the lowest warehouse id),
unless pinned by the settings (``pins``: ``(workcenter_id, warehouse_id)`` pairs).
"""
from __future__ import annotations

from sqlalchemy import Float, Integer, and_, case, cast, func, literal, select, union_all
from sqlalchemy.sql import ColumnElement, Select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.grouping import sums_by_kinds
from data_access.sqlfuncs import BUCKETS, bucket_expr, check_choice

__all__ = [
    "BUCKETS",
    "OEE_SCOPES",
    "ADHERENCE_SCOPES",
    "bucket_expr",
    "check_choice",
    "as_float",
    "grouped_sums",
    "not_cancelled",
    "site_map_select",
    "workcenter_sites",
    "oee_sums",
    "oee_sums_by_kinds",
    "schedule_adherence_sums",
    "schedule_adherence_sums_by_kinds",
]

Pins = tuple[tuple[int, int], ...]

OEE_SCOPES = ("workcenter", "warehouse", "company")
ADHERENCE_SCOPES = ("warehouse", "company")
OEE_KEYS = ("productive_min", "total_min", "availability_loss_min", "expected_min", "real_min",
            "qty_produced", "qty_scrapped")




def not_cancelled(state_col) -> ColumnElement:
    """``state`` is not ``cancel`` (a NULL state counts as not cancelled)."""
    return func.coalesce(state_col, "") != "cancel"


def as_float(expr) -> ColumnElement:
    return cast(expr, Float)


def _pins(pins) -> Pins:
    """Validate pins given as pairs or as a mapping ``{workcenter_id: warehouse_id}``."""
    items = pins.items() if isinstance(pins, dict) else pins
    return tuple(sorted((int(wc), int(wh)) for wc, wh in items))


def site_map_select(schema, company_ids: tuple[int, ...] | None, pins: Pins = ()) -> Select:
    """SELECT ``workcenter_id, warehouse_id``: each work center's site.

    The majority is over all the work center's work orders that are not cancelled and whose MO is
    not cancelled (cancelled records never count), in the company scope; not period-bound. Work
    orders whose MO's operation type has no warehouse do not vote. Pins replace the majority.
    """
    wo, mo, pt = schema.mrp_workorder, schema.mrp_production, schema.stock_picking_type
    counts = (
        select(wo.c.workcenter_id.label("workcenter_id"), pt.c.warehouse_id.label("warehouse_id"),
               func.count().label("n"))
        .select_from(wo.join(mo, mo.c.id == wo.c.production_id).join(pt, pt.c.id == mo.c.picking_type_id))
        .where(pt.c.warehouse_id.isnot(None), not_cancelled(wo.c.state), not_cancelled(mo.c.state),
               sqlfuncs.in_ids(mo.c.company_id, company_ids))
        .group_by(wo.c.workcenter_id, pt.c.warehouse_id)
        .subquery("wc_votes")
    )
    rank = func.row_number().over(partition_by=counts.c.workcenter_id,
                                  order_by=(counts.c.n.desc(), counts.c.warehouse_id.asc()))
    ranked = select(counts.c.workcenter_id, counts.c.warehouse_id, rank.label("rk")).subquery("wc_ranked")
    majority = select(ranked.c.workcenter_id, ranked.c.warehouse_id).where(ranked.c.rk == 1)
    pins = _pins(pins)
    if not pins:
        return majority
    majority = majority.where(ranked.c.workcenter_id.not_in([wc for wc, _ in pins]))
    pinned = [select(cast(literal(wc), Integer).label("workcenter_id"), cast(literal(wh), Integer).label("warehouse_id"))
              for wc, wh in pins]
    return union_all(majority, *pinned)


def workcenter_sites(conn, schema, ctx: QueryContext | None = None, *, pins=()) -> dict[int, int]:
    """``{workcenter_id: warehouse_id}`` for every work center that has a site (pins applied)."""
    sel = site_map_select(schema, ctx.company_ids if ctx else None, _pins(pins))
    return {int(r[0]): int(r[1]) for r in conn.execute(sel)}


def _kind_columns(kinds, available: dict) -> list:
    """One column per requested scope kind, named after it (the shape ``grouping.sums_by_kinds`` reads)."""
    return [available[k].label(k) for k in kinds]


def _bucket_column(col, bucket, ctx, dialect) -> list:
    return [bucket_expr(col, bucket, ctx, dialect).label("bucket")] if bucket else []


def _timelog_records(schema, ctx, kinds, bucket, dialect, site):
    """One row per closed time log with ``date_start`` in P (the availability/downtime terms)."""
    log = schema.mrp_workcenter_productivity
    # Odoo stores loss_type on the log (related loss_id.loss_type, stored in 17/18); duration is minutes.
    dur = func.coalesce(log.c.duration, 0)
    src = log if site is None else log.outerjoin(site, site.c.workcenter_id == log.c.workcenter_id)
    scopes = {"workcenter": log.c.workcenter_id, "company": log.c.company_id,
              "warehouse": site.c.warehouse_id if site is not None else None}
    zero = as_float(literal(0))
    sel = select(
        *_kind_columns(kinds, scopes),
        *_bucket_column(log.c.date_start, bucket, ctx, dialect),
        as_float(case((log.c.loss_type.in_(("productive", "performance")), dur), else_=0)).label("productive_min"),
        as_float(dur).label("total_min"),
        as_float(case((log.c.loss_type == "availability", dur), else_=0)).label("availability_loss_min"),
        zero.label("expected_min"), zero.label("real_min"), zero.label("qty_produced"), zero.label("qty_scrapped"),
    ).select_from(src).where(
        log.c.date_end.isnot(None),
        sqlfuncs.in_period(log.c.date_start, ctx.start, ctx.end),
        sqlfuncs.in_ids(log.c.company_id, ctx.company_ids),
    )
    if site is not None:
        sel = sel.where(sqlfuncs.in_ids(site.c.warehouse_id, ctx.warehouse_ids))
    return sel


def _period_workorders(schema, ctx):
    """CTE of the work orders done with ``date_finished`` in P (a range on the raw column), read once
    and used twice: as records and to pick their scraps."""
    wo = schema.mrp_workorder
    return (select(wo.c.id, wo.c.workcenter_id, wo.c.production_id, wo.c.date_finished, wo.c.duration_expected,
                   wo.c.duration, wo.c.qty_produced)
            .where(wo.c.state == "done", sqlfuncs.in_period(wo.c.date_finished, ctx.start, ctx.end))
            .cte("period_wo"))


def _period_scrap_select(schema, period_wo) -> Select:
    """SELECT ``workorder_id, qty``: done scraps of the period's work orders only (never the scraps of
    the whole history grouped and then mostly thrown away). ``stock_scrap`` has no Odoo index on
    ``workorder_id``, so it is read once and matched to those work orders."""
    scrap = schema.stock_scrap
    return (select(scrap.c.workorder_id.label("workorder_id"), func.sum(scrap.c.scrap_qty).label("qty"))
            .select_from(scrap.join(period_wo, period_wo.c.id == scrap.c.workorder_id))
            .where(scrap.c.state == "done")
            .group_by(scrap.c.workorder_id))


def _workorder_records(schema, ctx, kinds, bucket, dialect, site):
    """One row per done work order with ``date_finished`` in P (performance and quality terms)."""
    mo = schema.mrp_production
    wo = _period_workorders(schema, ctx)
    scrapped = _period_scrap_select(schema, wo).subquery("wo_scrap")
    src = wo.join(mo, mo.c.id == wo.c.production_id)
    if site is not None:
        src = src.outerjoin(site, site.c.workcenter_id == wo.c.workcenter_id)
    src = src.outerjoin(scrapped, scrapped.c.workorder_id == wo.c.id)
    scopes = {"workcenter": wo.c.workcenter_id, "company": mo.c.company_id,
              "warehouse": site.c.warehouse_id if site is not None else None}
    zero = as_float(literal(0))
    # A done work order's date_finished is when it finished (Odoo writes now() on finish): it sets the bucket.
    sel = select(
        *_kind_columns(kinds, scopes),
        *_bucket_column(wo.c.date_finished, bucket, ctx, dialect),
        zero.label("productive_min"), zero.label("total_min"), zero.label("availability_loss_min"),
        as_float(func.coalesce(wo.c.duration_expected, 0)).label("expected_min"),
        as_float(func.coalesce(wo.c.duration, 0)).label("real_min"),
        as_float(func.coalesce(wo.c.qty_produced, 0)).label("qty_produced"),
        as_float(func.coalesce(scrapped.c.qty, 0)).label("qty_scrapped"),
    ).select_from(src).where(sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids))
    if site is not None:
        sel = sel.where(sqlfuncs.in_ids(site.c.warehouse_id, ctx.warehouse_ids))
    return sel


def grouped_sums(conn, rows_select, keys, bucket) -> list[dict]:
    """Sum ``keys`` of a per-record row select by (scope_id[, bucket]); rows without a scope drop out."""
    u = rows_select.subquery("recs")
    cols = [u.c.scope_id] + ([u.c.bucket] if bucket else [])
    q = (select(*cols, *[func.sum(u.c[k]).label(k) for k in keys])
         .where(u.c.scope_id.isnot(None)).group_by(*cols).order_by(*cols))
    out = []
    for r in conn.execute(q).mappings():
        row = {"scope_id": int(r["scope_id"]), "bucket": (str(r["bucket"]) if bucket else None)}
        row.update({k: float(r[k] or 0) for k in keys})
        out.append(row)
    return out


def _check_kinds(kinds, allowed, bucket) -> tuple[str, ...]:
    kinds = tuple(kinds)
    for kind in kinds:
        check_choice(kind, allowed, "scope")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    return kinds


def oee_sums_by_kinds(conn, schema, ctx: QueryContext, kinds, *, bucket: str | None = None,
                      pins: Pins = ()) -> dict[str, list[dict]]:
    """OEE and downtime sums of every scope kind of ``kinds`` (work center, warehouse, company) from ONE
    statement: ``{kind: [row, ...]}``, rows as ``oee_sums`` returns them.

    The records are the closed time logs with ``date_start`` in P and the done work orders with
    ``date_finished`` in P (ranges on the raw columns); their scraps are looked up for those work
    orders only. The work center site map (a vote over the history, KPIS.md) is joined only when a
    warehouse is asked for or filtered on; a record whose work center has no site still counts for
    its work center and company.
    """
    kinds = _check_kinds(kinds, OEE_SCOPES, bucket)
    d = conn.dialect.name
    site = None
    if "warehouse" in kinds or ctx.warehouse_ids is not None:
        site = site_map_select(schema, ctx.company_ids, _pins(pins)).cte("wc_site")
    records = union_all(_timelog_records(schema, ctx, kinds, bucket, d, site),
                        _workorder_records(schema, ctx, kinds, bucket, d, site))
    return sums_by_kinds(conn, records, kinds, OEE_KEYS, bucket=bucket is not None)


def oee_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None,
             pins: Pins = ()) -> list[dict]:
    """OEE and downtime sums per work center / warehouse / company (one statement).

    Keys: ``scope_id``, ``bucket``, ``productive_min`` (closed logs, loss_type productive or
    performance), ``total_min`` (all closed logs), ``availability_loss_min`` (loss_type availability),
    ``expected_min``/``real_min`` (sum duration_expected / duration of done work orders),
    ``qty_produced`` (their qty_produced), ``qty_scrapped`` (done scraps of those work orders).
    Company scope: the time log's ``company_id``; the work order's MO ``company_id``.
    Warehouse scope and ``ctx.warehouse_ids``: the work center's site.
    """
    return oee_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket, pins=pins)[group_by]


def schedule_adherence_sums_by_kinds(conn, schema, ctx: QueryContext, kinds, *,
                                     bucket: str | None = None) -> dict[str, list[dict]]:
    """Schedule adherence sums of every scope kind of ``kinds`` (warehouse, company) from ONE statement:
    ``{kind: [row, ...]}``, rows as ``schedule_adherence_sums`` returns them."""
    kinds = _check_kinds(kinds, ADHERENCE_SCOPES, bucket)
    mo, pt = schema.mrp_production, schema.stock_picking_type
    on_time = and_(mo.c.state == "done", mo.c.date_finished.isnot(None), mo.c.date_finished <= mo.c.date_deadline)
    records = select(
        *_kind_columns(kinds, {"warehouse": pt.c.warehouse_id, "company": mo.c.company_id}),
        *_bucket_column(mo.c.date_deadline, bucket, ctx, conn.dialect.name),
        as_float(case((on_time, 1), else_=0)).label("on_time"),
        as_float(literal(1)).label("total"),
    ).select_from(mo.outerjoin(pt, pt.c.id == mo.c.picking_type_id)).where(
        not_cancelled(mo.c.state),
        mo.c.date_deadline.isnot(None),
        sqlfuncs.in_period(mo.c.date_deadline, ctx.start, ctx.end),
        sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids),
        sqlfuncs.in_ids(pt.c.warehouse_id, ctx.warehouse_ids),
    )
    return sums_by_kinds(conn, records, kinds, ("on_time", "total"), bucket=bucket is not None)


def schedule_adherence_sums(conn, schema, ctx: QueryContext, *, group_by: str,
                            bucket: str | None = None) -> list[dict]:
    """MOs (not cancelled) whose ``date_deadline`` is in P, per warehouse (MO's site) or company.

    Keys: ``scope_id``, ``bucket`` (local day/week of the deadline), ``on_time`` (state done and
    ``date_finished <= date_deadline``), ``total``. MOs without a deadline are left out.
    """
    return schedule_adherence_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket)[group_by]
