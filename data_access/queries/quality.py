"""Quality sums (KPIS.md "Quality"): first pass yield and non-conformity closure time.

Raw sums per scope entity (and per local day/week with ``bucket``), one statement each; the KPI
layer (``dashboard.kpis.quality``) turns them into values.
"""
from __future__ import annotations

from sqlalchemy import and_, false, func, literal, not_, select

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.production import BUCKETS, as_float, bucket_expr, check_choice, grouped_sums

__all__ = ["FPY_SCOPES", "NC_SCOPES", "finished_qty_select", "mo_scrap_select", "fpy_sums", "nc_closure_sums"]

FPY_SCOPES = ("warehouse", "company")
NC_SCOPES = ("company",)


def _done_mos_in_period(schema, ctx: QueryContext):
    """Filter terms for MOs done with ``date_finished`` in P, in the company/warehouse scope."""
    mo, pt = schema.mrp_production, schema.stock_picking_type
    return (mo.c.state == "done", sqlfuncs.in_period(mo.c.date_finished, ctx.start, ctx.end),
            sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids), sqlfuncs.in_ids(pt.c.warehouse_id, ctx.warehouse_ids))


def _mo_done_in(mo, ctx: QueryContext | None) -> list:
    """Restrict the per-MO subqueries to MOs done in P, so the database never sums the whole history."""
    if ctx is None:
        return []
    return [mo.c.state == "done", sqlfuncs.in_period(mo.c.date_finished, ctx.start, ctx.end),
            sqlfuncs.in_ids(mo.c.company_id, ctx.company_ids)]


def finished_qty_select(schema, ctx: QueryContext | None = None):
    """SELECT ``production_id, qty``: done quantity of each MO's finished moves (MOs done in P when
    ``ctx`` is given).

    Finished move = ``stock_move.production_id`` = MO, product = the MO's product, ``scrapped``
    false (NULL counts as false), ``state = 'done'``; done quantity is ``stock_move.quantity``.
    """
    mv, mo = schema.stock_move, schema.mrp_production.alias("fin_mo")
    return (select(mv.c.production_id.label("production_id"), func.sum(mv.c.quantity).label("qty"))
            .select_from(mv.join(mo, and_(mo.c.id == mv.c.production_id, mo.c.product_id == mv.c.product_id)))
            .where(mv.c.state == "done", not_(func.coalesce(mv.c.scrapped, false())), *_mo_done_in(mo, ctx))
            .group_by(mv.c.production_id))


def mo_scrap_select(schema, ctx: QueryContext | None = None):
    """SELECT ``production_id, qty``: done scraps of each MO's own product (``stock_scrap.scrap_qty``),
    for MOs done in P when ``ctx`` is given."""
    sc, mo = schema.stock_scrap, schema.mrp_production.alias("scr_mo")
    return (select(sc.c.production_id.label("production_id"), func.sum(sc.c.scrap_qty).label("qty"))
            .select_from(sc.join(mo, and_(mo.c.id == sc.c.production_id, mo.c.product_id == sc.c.product_id)))
            .where(sc.c.state == "done", *_mo_done_in(mo, ctx))
            .group_by(sc.c.production_id))


def fpy_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """First pass yield sums per warehouse (the MO's site) or company (the MO's company).

    Over MOs with ``state = 'done'`` and ``date_finished`` in P. Keys: ``scope_id``, ``bucket``
    (local day/week of ``date_finished``), ``qty_produced`` (done finished moves),
    ``qty_scrapped`` (done scraps of the MO's product), ``mo_count``.
    """
    check_choice(group_by, FPY_SCOPES, "scope")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    mo, pt = schema.mrp_production, schema.stock_picking_type
    produced = finished_qty_select(schema, ctx).subquery("fin")
    scrapped = mo_scrap_select(schema, ctx).subquery("scr")
    scope = {"warehouse": pt.c.warehouse_id, "company": mo.c.company_id}[group_by]
    src = (mo.outerjoin(pt, pt.c.id == mo.c.picking_type_id)
           .outerjoin(produced, produced.c.production_id == mo.c.id)
           .outerjoin(scrapped, scrapped.c.production_id == mo.c.id))
    rows = select(
        scope.label("scope_id"),
        bucket_expr(mo.c.date_finished, bucket, ctx, conn.dialect.name).label("bucket"),
        as_float(func.coalesce(produced.c.qty, 0)).label("qty_produced"),
        as_float(func.coalesce(scrapped.c.qty, 0)).label("qty_scrapped"),
        as_float(literal(1)).label("mo_count"),
    ).select_from(src).where(*_done_mos_in_period(schema, ctx))
    return grouped_sums(conn, rows, ("qty_produced", "qty_scrapped", "mo_count"), bucket)


def nc_closure_sums(conn, schema, ctx: QueryContext, *, group_by: str = "company",
                    bucket: str | None = None) -> list[dict]:
    """Quality alerts closed in P (``date_close`` in P) per company (Enterprise ``quality`` module).

    Keys: ``scope_id``, ``bucket`` (local day/week of ``date_close``), ``days_sum`` (sum of days
    from ``create_date`` to ``date_close``), ``closed`` (count). Call only when the module is installed.
    """
    check_choice(group_by, NC_SCOPES, "scope")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    qa = schema.quality_alert
    d = conn.dialect.name
    rows = select(
        qa.c.company_id.label("scope_id"),
        bucket_expr(qa.c.date_close, bucket, ctx, d).label("bucket"),
        as_float(sqlfuncs.days_between(qa.c.create_date, qa.c.date_close, d)).label("days_sum"),
        as_float(literal(1)).label("closed"),
    ).where(
        qa.c.date_close.isnot(None), qa.c.create_date.isnot(None),
        sqlfuncs.in_period(qa.c.date_close, ctx.start, ctx.end),
        sqlfuncs.in_ids(qa.c.company_id, ctx.company_ids),
    )
    return grouped_sums(conn, rows, ("days_sum", "closed"), bucket)
