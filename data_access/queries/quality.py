"""Quality sums (KPIS.md "Quality"): first pass yield and non-conformity closure time.

Raw sums per scope entity (and per local day/week with ``bucket``), one statement each (all scope
kinds of first pass yield from one statement); the KPI layer (``dashboard.kpis.quality``) turns them
into values. Period filters are ranges on raw columns; moves and scraps are reached through the
period's MOs.
"""
from __future__ import annotations

from sqlalchemy import and_, false, func, literal, not_, select
from sqlalchemy.sql import ColumnElement

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.grouping import sums_by_kinds
from data_access.queries.production import BUCKETS, as_float, bucket_expr, check_choice, grouped_sums

__all__ = ["FPY_SCOPES", "NC_SCOPES", "finished_qty_of", "mo_scrap_select", "fpy_sums", "fpy_sums_by_kinds",
           "nc_closure_sums"]

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


def finished_qty_of(schema, mo) -> ColumnElement:
    """The done quantity of the finished moves of the MO row ``mo`` (a ``mrp_production`` table or
    alias in the enclosing query), 0 when none: a scalar subquery correlated on the MO's id.

    Finished move = ``stock_move.production_id`` = MO, product = the MO's product, ``scrapped``
    false (NULL counts as false), ``state = 'done'``; done quantity is ``stock_move.quantity``. Each MO
    of the enclosing query reaches its moves through Odoo's ``stock_move.production_id`` index, so the
    cost follows the period's MOs, not the finished moves of the whole history.
    """
    mv = schema.stock_move.alias("fin_move")
    qty = (select(func.sum(mv.c.quantity))
           .where(mv.c.production_id == mo.c.id, mv.c.product_id == mo.c.product_id, mv.c.state == "done",
                  not_(func.coalesce(mv.c.scrapped, false())))
           .scalar_subquery())
    return func.coalesce(qty, 0)


def mo_scrap_select(schema, ctx: QueryContext | None = None):
    """SELECT ``production_id, qty``: done scraps of each MO's own product (``stock_scrap.scrap_qty``),
    for MOs done in P when ``ctx`` is given (joined to those MOs, as ``stock_scrap.production_id`` has
    no Odoo index to look scraps up MO by MO)."""
    sc, mo = schema.stock_scrap, schema.mrp_production.alias("scr_mo")
    return (select(sc.c.production_id.label("production_id"), func.sum(sc.c.scrap_qty).label("qty"))
            .select_from(sc.join(mo, and_(mo.c.id == sc.c.production_id, mo.c.product_id == sc.c.product_id)))
            .where(sc.c.state == "done", *_mo_done_in(mo, ctx))
            .group_by(sc.c.production_id))


def fpy_sums_by_kinds(conn, schema, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """First pass yield sums of every scope kind of ``kinds`` (warehouse, company) from ONE statement:
    ``{kind: [row, ...]}``, rows as ``fpy_sums`` returns them.

    The records are the MOs done with ``date_finished`` in P (a range on the raw column); their
    finished moves are reached through each MO's id (``finished_qty_of``) and their scraps summed for
    those MOs only (``stock_scrap`` has no Odoo index on ``production_id``: one pass over it, joined to
    the period's MOs), never summed for the whole history.
    """
    kinds = tuple(kinds)
    for kind in kinds:
        check_choice(kind, FPY_SCOPES, "scope")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    mo, pt = schema.mrp_production, schema.stock_picking_type
    scrapped = mo_scrap_select(schema, ctx).subquery("scr")
    scopes = {"warehouse": pt.c.warehouse_id, "company": mo.c.company_id}
    src = (mo.outerjoin(pt, pt.c.id == mo.c.picking_type_id)
           .outerjoin(scrapped, scrapped.c.production_id == mo.c.id))
    records = select(
        *[scopes[k].label(k) for k in kinds],
        *([bucket_expr(mo.c.date_finished, bucket, ctx, conn.dialect.name).label("bucket")] if bucket else []),
        as_float(finished_qty_of(schema, mo)).label("qty_produced"),
        as_float(func.coalesce(scrapped.c.qty, 0)).label("qty_scrapped"),
        as_float(literal(1)).label("mo_count"),
    ).select_from(src).where(*_done_mos_in_period(schema, ctx))
    return sums_by_kinds(conn, records, kinds, ("qty_produced", "qty_scrapped", "mo_count"), bucket=bucket is not None)


def fpy_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """First pass yield sums per warehouse (the MO's site) or company (the MO's company).

    Over MOs with ``state = 'done'`` and ``date_finished`` in P. Keys: ``scope_id``, ``bucket``
    (local day/week of ``date_finished``), ``qty_produced`` (done finished moves),
    ``qty_scrapped`` (done scraps of the MO's product), ``mo_count``.
    """
    return fpy_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket)[group_by]


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
