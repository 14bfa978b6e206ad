"""Supply-chain sums (KPIS.md "Supply chain"): supplier OTIF / late PO lines, customer OTIF / late SO lines.

Every ``*_sums`` function returns RAW COUNTS, never ratios: one dict per scope entity (and per local
day / ISO week of the line's planned or promise day when ``bucket`` is set), aggregated by the
database in one statement. ``dashboard.kpis.supply`` turns them into values; rollups pool them.

Per-line facts (``purchase_line_facts`` / ``sale_line_facts``) are CTE-based subqueries shared with
the drill-down rows of ``supply_drill``: one row per line with its on-time and by-the-end-of-D
quantities, computed from the line's done stock moves in ONE grouped subquery (never per line).

Quantities are compared in the unit of the line (KPIS.md): a move's ``quantity`` is in the move's
``product_uom``; when it differs from the line's unit it is converted as Odoo's
``uom.uom._compute_quantity`` does (``qty / from.factor * to.factor``). A missing unit or factor
leaves the quantity as is (Odoo creates the moves of a line in the line's unit in practice).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.sql import ColumnElement, Subquery

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.sqlfuncs import BUCKETS, bucket_expr, check_choice

__all__ = [
    "BUCKETS",
    "QTY_EPSILON",
    "PURCHASE_SCOPES",
    "SALE_SCOPES",
    "as_of_day",
    "first_day",
    "as_of_day_start",
    "bucket_expr",
    "check_choice",
    "purchase_line_facts",
    "sale_line_facts",
    "supplier_otif_sums",
    "customer_otif_sums",
]

# Float noise from unit conversions must not turn a full receipt into a short one (far below any
# Odoo unit rounding, whose finest default is 0.00001).
QTY_EPSILON = 1e-6
PURCHASE_SCOPES = ("partner", "warehouse", "company")
SALE_SCOPES = ("partner", "warehouse", "company")
PURCHASE_ORDER_STATES = ("purchase", "done")



def as_of_day(ctx: QueryContext) -> date:
    """D, the local date of the period's last day (``ctx.end`` is the local midnight after it)."""
    return (ctx.end + timedelta(minutes=ctx.day_offset_minutes) - timedelta(days=1)).date()


def first_day(ctx: QueryContext) -> date:
    """The local date of the period's first day."""
    return (ctx.start + timedelta(minutes=ctx.day_offset_minutes)).date()


def as_of_day_start(ctx: QueryContext) -> datetime:
    """Naive UTC of 00:00 of D ("before D" means before this instant)."""
    return ctx.end - timedelta(days=1)



def in_line_unit(qty, move_uom, line_uom, mu, lu) -> ColumnElement:
    """``qty`` (in the move's unit ``move_uom``) in the line's unit ``line_uom``; ``mu``/``lu`` are
    the joined ``uom_uom`` rows of both."""
    same = or_(move_uom == line_uom, move_uom.is_(None), line_uom.is_(None),
               mu.c.factor.is_(None), lu.c.factor.is_(None), mu.c.factor == 0)
    return case((same, qty), else_=qty / mu.c.factor * lu.c.factor)


def _moves_per_line(schema, lines, link_col: str, signed_on_time, signed_by_end, ctx: QueryContext):
    """One grouped subquery: per line of the CTE ``lines``, the on-time and by-the-end-of-D net
    quantities of its done moves (``stock_move.<link_col>`` = line); the two case expressions
    decide which moves (and dates) count for each."""
    m = schema.stock_move
    src = schema.stock_location.alias("src")
    dst = schema.stock_location.alias("dst")
    mu = schema.uom_uom.alias("mu")
    lu = schema.uom_uom.alias("lu")
    qty = in_line_unit(m.c.quantity, m.c.product_uom, lines.c.line_uom, mu, lu)
    return (
        select(lines.c.line_id,
               func.sum(signed_on_time(qty, m, src, dst)).label("on_time_qty"),
               func.sum(signed_by_end(qty, m, src, dst)).label("received_qty"))
        .select_from(lines.join(m, m.c[link_col] == lines.c.line_id)
                     .join(src, src.c.id == m.c.location_id)
                     .join(dst, dst.c.id == m.c.location_dest_id)
                     .outerjoin(mu, mu.c.id == m.c.product_uom)
                     .outerjoin(lu, lu.c.id == lines.c.line_uom))
        .where(m.c.state == "done")
        .group_by(lines.c.line_id)
        .subquery(f"mv_{link_col}")
    )


def purchase_line_facts(schema, ctx: QueryContext, dialect: str) -> Subquery:
    """One row per purchase line that can count for supplier OTIF or late PO lines.

    Lines of orders in state ``purchase``/``done``, product lines only (``display_type`` NULL),
    ``product_qty > 0`` (a line for nothing is neither OTIF-relevant nor late), planned before the
    end of D, in the company / warehouse scope. Columns: ``line_id, order_id, partner_id,
    warehouse_id, company_id, product_id, product_qty, date_planned, day_end`` (end of the local
    planned day), ``on_time_qty`` (receipts dated before ``day_end`` minus returns to the vendor by
    the end of D) and ``received_qty`` (receipts minus returns, both by the end of D).

    Receipts are the line's done moves whose destination is not a ``supplier`` location: Odoo's
    ``purchase_stock`` only links the first move of a reception chain to the line (push rules
    clear ``purchase_line_id``), so these are the vendor -> stock/input (or dropship) moves, as in
    Odoo's own ``qty_received``. Returns are the done moves to a ``supplier`` location. KPIS.md
    bounds the receipts of OTIF by the end of the planned day and gives the returns no date: a
    later return still takes the line out of "in full" (as Odoo's ``qty_received`` nets every
    return). "Received by the end of D" (late lines) nets only returns done by then.
    """
    pol, po, spt = schema.purchase_order_line, schema.purchase_order, schema.stock_picking_type
    lines = (
        select(pol.c.id.label("line_id"), po.c.id.label("order_id"), po.c.partner_id,
               spt.c.warehouse_id, po.c.company_id, pol.c.product_id, pol.c.product_qty,
               pol.c.product_uom.label("line_uom"), pol.c.date_planned,
               sqlfuncs.local_day_end(pol.c.date_planned, ctx.day_offset_minutes, dialect).label("day_end"))
        .select_from(pol.join(po, po.c.id == pol.c.order_id)
                     .outerjoin(spt, spt.c.id == po.c.picking_type_id))
        .where(po.c.state.in_(PURCHASE_ORDER_STATES), pol.c.display_type.is_(None), pol.c.product_qty > 0,
               pol.c.date_planned < ctx.end,
               sqlfuncs.in_ids(po.c.company_id, ctx.company_ids),
               sqlfuncs.in_ids(spt.c.warehouse_id, ctx.warehouse_ids))
        .cte("po_lines")
    )

    def on_time(qty, m, src, dst):
        return case((dst.c.usage == "supplier", -qty), (m.c.date < lines.c.day_end, qty), else_=0)

    def by_end(qty, m, src, dst):
        return case((m.c.date >= ctx.end, 0), (dst.c.usage == "supplier", -qty), else_=qty)

    mv = _moves_per_line(schema, lines, "purchase_line_id", on_time, by_end, ctx)
    return (
        select(lines, func.coalesce(mv.c.on_time_qty, 0).label("on_time_qty"),
               func.coalesce(mv.c.received_qty, 0).label("received_qty"))
        .select_from(lines.outerjoin(mv, mv.c.line_id == lines.c.line_id))
        .subquery("po_facts")
    )


def sale_line_facts(schema, ctx: QueryContext, dialect: str) -> Subquery:
    """One row per sale line that can count for customer OTIF or late SO lines.

    Lines of orders in state ``sale`` (Odoo 17+ has no ``done`` order state: locking is a flag),
    ``display_type`` NULL, ``product_uom_qty > 0``, whose promise day is D or earlier, in the
    company / warehouse (``sale_order.warehouse_id``) scope. Promise = ``commitment_date``, else
    ``date_order + customer_lead`` days. Columns: ``line_id, order_id, partner_id`` (commercial
    partner of the order's customer), ``warehouse_id, company_id, product_id, product_uom_qty,
    promise, promise_day`` (local ISO day), ``on_time_qty`` (deliveries to a ``customer`` location
    before the end of the promise day minus customer returns: KPIS.md gives returns no date),
    ``delivered_qty`` (deliveries minus returns, both by the end of D). Moves between non-customer locations (pick, pack) carry the sale
    line too in Odoo and are ignored.
    """
    sol, so, rp = schema.sale_order_line, schema.sale_order, schema.res_partner
    off = ctx.day_offset_minutes
    promise = func.coalesce(so.c.commitment_date, sqlfuncs.add_days(so.c.date_order, sol.c.customer_lead, dialect))
    promise_day = sqlfuncs.local_day(promise, off, dialect)
    lines = (
        select(sol.c.id.label("line_id"), so.c.id.label("order_id"),
               func.coalesce(rp.c.commercial_partner_id, so.c.partner_id).label("partner_id"),
               so.c.warehouse_id, so.c.company_id, sol.c.product_id, sol.c.product_uom_qty,
               sol.c.product_uom.label("line_uom"), promise.label("promise"), promise_day.label("promise_day"),
               sqlfuncs.local_day_end(promise, off, dialect).label("day_end"))
        .select_from(sol.join(so, so.c.id == sol.c.order_id).outerjoin(rp, rp.c.id == so.c.partner_id))
        # ISO day texts compare correctly on both dialects (a computed SQLite datetime has no
        # fractional seconds, a stored one has: comparing those as text would be wrong at 00:00)
        .where(so.c.state == "sale", sol.c.display_type.is_(None), sol.c.product_uom_qty > 0,
               promise_day <= literal(as_of_day(ctx).isoformat()),
               sqlfuncs.in_ids(so.c.company_id, ctx.company_ids),
               sqlfuncs.in_ids(so.c.warehouse_id, ctx.warehouse_ids))
        .cte("so_lines")
    )

    def on_time(qty, m, src, dst):
        return case((src.c.usage == "customer", -qty),
                    (and_(dst.c.usage == "customer", m.c.date < lines.c.day_end), qty), else_=0)

    def by_end(qty, m, src, dst):
        return case((m.c.date >= ctx.end, 0), (src.c.usage == "customer", -qty), (dst.c.usage == "customer", qty),
                    else_=0)

    mv = _moves_per_line(schema, lines, "sale_line_id", on_time, by_end, ctx)
    return (
        select(lines, func.coalesce(mv.c.on_time_qty, 0).label("on_time_qty"),
               func.coalesce(mv.c.received_qty, 0).label("delivered_qty"))
        .select_from(lines.outerjoin(mv, mv.c.line_id == lines.c.line_id))
        .subquery("so_facts")
    )


def _count(cond) -> ColumnElement:
    return func.sum(case((cond, 1), else_=0))


def _rows(conn, stmt) -> list[dict]:
    return [{"scope_id": int(r.scope_id), "bucket": r.bucket, "lines": int(r.lines or 0),
             "otif_lines": int(r.otif_lines or 0), "late_lines": int(r.late_lines or 0)}
            for r in conn.execute(stmt)]


def supplier_otif_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Supplier OTIF and late PO line counts per vendor (``partner``), ``warehouse`` or ``company``.

    Returns dicts ``scope_id, bucket, lines`` (lines planned in P), ``otif_lines`` (of those, fully
    received on time), ``late_lines`` (lines planned before D and received below ``product_qty`` by
    the end of D, whenever planned). With ``bucket`` ('day'/'week' of the planned day) every count
    is restricted to lines planned in P, so ``late_lines`` per bucket are the late lines planned that
    day. Entities without a value of the scope (no warehouse) are left out.
    """
    check_choice(group_by, PURCHASE_SCOPES, "scope kind")
    d = conn.dialect.name
    f = purchase_line_facts(schema, ctx, d)
    scope = {"partner": f.c.partner_id, "warehouse": f.c.warehouse_id, "company": f.c.company_id}[group_by]
    in_p = f.c.date_planned >= ctx.start
    b = bucket_expr(f.c.date_planned, bucket, ctx, d)
    keys = [scope, b] if bucket else [scope]
    stmt = (
        select(scope.label("scope_id"), b.label("bucket"), _count(in_p).label("lines"),
               _count(and_(in_p, f.c.on_time_qty >= f.c.product_qty - QTY_EPSILON)).label("otif_lines"),
               _count(and_(f.c.date_planned < as_of_day_start(ctx),
                           f.c.received_qty < f.c.product_qty - QTY_EPSILON)).label("late_lines"))
        .where(scope.is_not(None), in_p if bucket else true())
        .group_by(*keys)
        .order_by(*keys)
    )
    return _rows(conn, stmt)


def customer_otif_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Customer OTIF and late SO line counts per customer (commercial ``partner``), ``warehouse`` or
    ``company``.

    Returns dicts ``scope_id, bucket, lines`` (lines promised in P), ``otif_lines`` (of those, fully
    delivered by the end of the promise day), ``late_lines`` (promised before D and delivered below
    ``product_uom_qty`` by the end of D). ``bucket`` cuts by the promise day; with it every count is
    restricted to lines promised in P.
    """
    check_choice(group_by, SALE_SCOPES, "scope kind")
    d = conn.dialect.name
    f = sale_line_facts(schema, ctx, d)
    scope = {"partner": f.c.partner_id, "warehouse": f.c.warehouse_id, "company": f.c.company_id}[group_by]
    in_p = f.c.promise_day >= literal(first_day(ctx).isoformat())
    b = bucket_expr(f.c.promise, bucket, ctx, d)
    keys = [scope, b] if bucket else [scope]
    stmt = (
        select(scope.label("scope_id"), b.label("bucket"), _count(in_p).label("lines"),
               _count(and_(in_p, f.c.on_time_qty >= f.c.product_uom_qty - QTY_EPSILON)).label("otif_lines"),
               _count(and_(f.c.promise_day < literal(as_of_day(ctx).isoformat()),
                           f.c.delivered_qty < f.c.product_uom_qty - QTY_EPSILON)).label("late_lines"))
        .where(scope.is_not(None), in_p if bucket else true())
        .group_by(*keys)
        .order_by(*keys)
    )
    return _rows(conn, stmt)
