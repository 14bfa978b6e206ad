"""Supply-chain sums (KPIS.md "Supply chain"): supplier OTIF / late PO lines, customer OTIF / late SO lines.

Every ``*_sums`` function returns RAW COUNTS, never ratios: one dict per scope entity (and per local
day / ISO week of the line's planned or promise day when ``bucket`` is set), aggregated by the
database. ``*_sums_by_kinds`` answer several scope kinds (partner, warehouse, company) from ONE
statement (``data_access.grouping.sums_by_kinds``: GROUPING SETS on PostgreSQL), so the lines and
their moves are read once, not once per kind. ``dashboard.kpis.supply`` turns the sums into values;
rollups pool them.

Per-line facts (``purchase_line_facts`` / ``sale_line_facts``) are CTE-based subqueries shared with
the drill-down rows of ``supply_drill``: one row per line with its on-time and by-the-end-of-D
quantities, computed from the line's done stock moves in ONE grouped subquery (never per line).

Which lines are read: the cost grows with the period, not with the history.
- The OTIF population (lines planned / promised in P) is found with ranges on the raw timestamp
  columns, which Odoo's indexes can serve (``purchase_order_line.date_planned``; for sale lines,
  whose promise is ``commitment_date`` or ``date_order + customer_lead`` days, the orders whose
  ``commitment_date`` lies in P widened by a day, or which have none and whose ``date_order`` lies in
  that window widened by the largest ``|customer_lead|``). The exact local-day test is applied on top.
- The late-line backlog (lines planned / promised before D, short by the end of D, whenever planned)
  is found among the lines that can be short at the end of D: those Odoo still counts as short, and
  those with a move after D (see "Which lines can count" below).

Quantities are compared in the unit of the line (KPIS.md): a move's ``quantity`` is in the move's
``product_uom``; when it differs from the line's unit it is converted as Odoo's
``uom.uom._compute_quantity`` does (``qty / from.factor * to.factor``). A missing unit or factor
leaves the quantity as is (Odoo creates the moves of a line in the line's unit in practice).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import DateTime, and_, case, func, literal, or_, select, union_all
from sqlalchemy.sql import ColumnElement, Select, Subquery

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.grouping import sums_by_kinds
from data_access.queries.supply_qty import kits_enabled, line_quantities
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
    "supplier_otif_sums_by_kinds",
    "customer_otif_sums",
    "customer_otif_sums_by_kinds",
]

# Float noise from unit conversions must not turn a full receipt into a short one (far below any
# Odoo unit rounding, whose finest default is 0.00001).
QTY_EPSILON = 1e-6
PURCHASE_SCOPES = ("partner", "warehouse", "company")
SALE_SCOPES = ("partner", "warehouse", "company")
PURCHASE_ORDER_STATES = ("purchase", "done")
OTIF_MEASURES = ("lines", "otif_lines", "late_lines")
_DAY = timedelta(days=1)


def as_of_day(ctx: QueryContext) -> date:
    """D, the local date of the period's last day (``ctx.end`` is the local midnight after it)."""
    return (ctx.end + timedelta(minutes=ctx.day_offset_minutes) - timedelta(days=1)).date()


def first_day(ctx: QueryContext) -> date:
    """The local date of the period's first day."""
    return (ctx.start + timedelta(minutes=ctx.day_offset_minutes)).date()


def as_of_day_start(ctx: QueryContext) -> datetime:
    """Naive UTC of 00:00 of D ("before D" means before this instant)."""
    return ctx.end - timedelta(days=1)


# --- Which lines can count -------------------------------------------------------------------------
#
# The late-line backlog asks, for every line planned / promised before D however old, whether its
# received / delivered quantity by the end of D is short. Reading every line of the history (and its
# moves) for that is what made these KPIs cost the history. The lines that can be short at the end
# of D are:
#   (a) the lines Odoo itself still counts as short NOW: ``purchase_order_line.qty_received <
#       product_qty`` / ``sale_order_line.qty_delivered < product_uom_qty``. Both are stored computed
#       fields of purchase_stock / sale_stock (17.0 and 18.0), which Odoo recomputes from the line's
#       done moves whenever one of them changes (``_compute_qty_received`` /
#       ``_compute_qty_delivered``, depending on ``move_ids.state``). KPIS.md defines received(L, T) /
#       delivered(L, T) as that very computation over the moves dated before T, so for a line with
#       no done move dated at or after the end of D, received(L, end of D) = received(L, now) = the
#       stored field. Both fields are in the line's unit, the unit of ``product_qty`` /
#       ``product_uom_qty``, as KPIS.md compares them; and
#   (b) the lines with a done move dated at or after the end of D (a receipt, delivery, return or
#       re-delivery after D): their quantity at the end of D may differ from the stored one either
#       way (completed after D: late at D though complete now; returned after D: short now though
#       complete at D).
# So a return after D that reopens a line finds it through (a) and (b); a line returned before D and
# sent again after D is complete now but in (b); a line fully received before D and untouched since
# is in neither, and not late. The exact tests (the planned / promise day, the quantity by the end of
# D from the moves) are applied to these candidates, so (a) and (b) only have to hold every late line.
# Where KPIS.md leaves a choice, Odoo's semantics decide:
# - "By the end of D" is the instant 00:00 after D (periods are half-open): (b) starts there, not at
#   D's start; a move during D counts by the end of D and in the stored field alike.
# - A line whose stored quantity is not computed from moves (``qty_received_method`` other than
#   'stock_moves': 'manual' for services; ``qty_delivered_method`` other than 'stock_move': 'manual',
#   'analytic', 'timesheet') holds a quantity typed in or booked elsewhere in Odoo, while KPIS.md
#   counts the moves of every line: such a line is always a candidate, and its moves decide (none:
#   short). So is a line whose stored field is unset (NULL, read as 0).
# - The move sums of this module follow KPIS.md v1 (every return nets; no "Update quantities" flag,
#   kit or per-move rounding yet: issue 12). Where they part from Odoo's own count, the stored field,
#   which is KPIS.md's received / delivered quantity, decides for a line untouched since D.
# - An entity with no line in P and no late line has no data: it is left out (the history read
#   reported it with 0 late lines).

def _open_purchase_line(pol) -> ColumnElement:
    """Odoo counts the purchase line as not fully received now, or its stored quantity is not from moves."""
    return or_(func.coalesce(pol.c.qty_received, 0) < pol.c.product_qty,
               pol.c.qty_received_method.is_distinct_from("stock_moves"))


def _open_sale_line(sol) -> ColumnElement:
    """Odoo counts the sale line as not fully delivered now, or its stored quantity is not from moves."""
    return or_(func.coalesce(sol.c.qty_delivered, 0) < sol.c.product_uom_qty,
               sol.c.qty_delivered_method.is_distinct_from("stock_move"))


def _moved_since(schema, link_col: str, since: datetime) -> Select:
    """Ids of the lines (``stock_move.<link_col>``) with a done move dated at or after ``since``
    (Odoo's index on ``stock_move.date`` serves it)."""
    m = schema.stock_move
    return select(m.c[link_col].label("id")).where(m.c.date >= since, m.c.state == "done", m.c[link_col].is_not(None))


def _population(branches: list[Select]):
    """The rows of the branches, which are disjoint (no line twice, so no de-duplication): each reads
    its lines through its own index or filter."""
    return branches[0] if len(branches) == 1 else union_all(*branches)


def _check_population(period: bool, backlog: bool) -> None:
    if not (period or backlog):
        raise ValueError("line facts need the period, the backlog or both")


def purchase_line_facts(schema, ctx: QueryContext, dialect: str, *, period: bool = True,
                        backlog: bool = True, kits: bool = True) -> Subquery:
    """One row per purchase line that counts for supplier OTIF (``period``: planned in P) or may count
    as a late PO line (``backlog``: planned before D and possibly short by the end of D).

    Lines of orders in state ``purchase``/``done``, product lines only (``display_type`` NULL),
    ``product_qty > 0`` (a line for nothing is neither OTIF-relevant nor late), in the company /
    warehouse scope. Columns: ``line_id, order_id, partner_id, warehouse_id, company_id, product_id,
    product_qty, date_planned, day_end`` (end of the local planned day), ``on_time_qty`` (receipts
    dated before ``day_end`` minus returns to the vendor) and ``received_qty`` (receipts minus
    returns, both by the end of D). A backlog row that is not short by the end of D may be among
    them: the caller tests ``received_qty``.

    Receipts are the line's done moves whose destination is not a ``supplier`` location: Odoo's
    ``purchase_stock`` only links the first move of a reception chain to the line (push rules
    clear ``purchase_line_id``), so these are the vendor -> stock/input (or dropship) moves, as in
    Odoo's own ``qty_received``. Returns are the done moves to a ``supplier`` location. KPIS.md
    bounds the receipts of OTIF by the end of the planned day and gives the returns no date: a
    later return still takes the line out of "in full" (as Odoo's ``qty_received`` nets every
    return). "Received by the end of D" (late lines) nets only returns done by then.
    """
    _check_population(period, backlog)
    pol, po, spt = schema.purchase_order_line, schema.purchase_order, schema.stock_picking_type

    def rows(*where) -> Select:
        return (
            select(pol.c.id.label("line_id"), po.c.id.label("order_id"), po.c.partner_id,
                   spt.c.warehouse_id, po.c.company_id, pol.c.product_id, pol.c.product_qty,
                   pol.c.product_uom.label("line_uom"), pol.c.date_planned,
                   func.coalesce(pol.c.product_uom_qty, pol.c.product_qty).label("order_qty"),
                   sqlfuncs.local_day_end(pol.c.date_planned, ctx.day_offset_minutes, dialect).label("day_end"))
            .select_from(pol.join(po, po.c.id == pol.c.order_id)
                         .outerjoin(spt, spt.c.id == po.c.picking_type_id))
            .where(po.c.state.in_(PURCHASE_ORDER_STATES), pol.c.display_type.is_(None), pol.c.product_qty > 0,
                   sqlfuncs.in_ids(po.c.company_id, ctx.company_ids),
                   sqlfuncs.in_ids(spt.c.warehouse_id, ctx.warehouse_ids), *where)
        )

    branches = []
    if period:  # a range on the raw column: Odoo's index on purchase_order_line.date_planned
        branches.append(rows(pol.c.date_planned >= ctx.start, pol.c.date_planned < ctx.end))
    if backlog:  # planned before D; those planned in P are in the period branch already
        older = pol.c.date_planned < (ctx.start if period else as_of_day_start(ctx))
        still_open = _open_purchase_line(pol)
        branches += [rows(older, still_open),
                     rows(older, ~still_open, pol.c.id.in_(_moved_since(schema, "purchase_line_id", ctx.end)))]
    lines = _population(branches).cte("po_lines")
    q = line_quantities(schema, lines, "purchase", ctx, dialect, kits=kits)
    return (
        select(lines, q.c.on_time_qty, q.c.by_end_qty.label("received_qty"), q.c.kit_bom_id, q.c.kits_on_time,
               q.c.kits_by_end, q.c.unrefunded_qty)
        .select_from(lines.join(q, q.c.line_id == lines.c.line_id))
        .subquery("po_facts")
    )


def _promise_window(schema, ctx: QueryContext, dialect: str) -> ColumnElement:
    """A condition on the raw ``sale_order`` columns that every order with a line promised in P meets.

    The promise is ``commitment_date``, else ``date_order + customer_lead`` days. Its local day is in
    P only if the promise lies in [start - 1 day, end) (a local day is shifted by less than a day from
    UTC; the exact test follows), so ``commitment_date`` in that window, or no commitment and
    ``date_order`` in it widened by the largest ``|customer_lead|`` of any line (one scalar scan)."""
    so, leads = schema.sale_order, schema.sale_order_line.alias("lead_of")
    lo, hi = literal(ctx.start - _DAY, DateTime()), literal(ctx.end, DateTime())
    bound = select(func.coalesce(func.max(func.abs(func.coalesce(leads.c.customer_lead, 0))), 0).label("days")
                   ).cte("lead_bound")
    widest = select(bound.c.days).scalar_subquery()
    return or_(and_(so.c.commitment_date >= lo, so.c.commitment_date < hi),
               and_(so.c.commitment_date.is_(None),
                    so.c.date_order >= sqlfuncs.add_days(lo, -widest, dialect),
                    so.c.date_order < sqlfuncs.add_days(hi, widest, dialect)))


def sale_line_facts(schema, ctx: QueryContext, dialect: str, *, period: bool = True,
                    backlog: bool = True, kits: bool = True) -> Subquery:
    """One row per sale line that counts for customer OTIF (``period``: promised in P) or may count as
    a late SO line (``backlog``: promise day before D and possibly short by the end of D).

    Lines of orders in state ``sale`` (Odoo 17+ has no ``done`` order state: locking is a flag),
    ``display_type`` NULL, ``product_uom_qty > 0``, in the company / warehouse
    (``sale_order.warehouse_id``) scope. Promise = ``commitment_date``, else ``date_order +
    customer_lead`` days. Columns: ``line_id, order_id, partner_id`` (commercial partner of the
    order's customer), ``warehouse_id, company_id, product_id, product_uom_qty, promise,
    promise_day`` (local ISO day), ``on_time_qty`` (deliveries to a ``customer`` location before the
    end of the promise day minus customer returns: KPIS.md gives returns no date), ``delivered_qty``
    (deliveries minus returns, both by the end of D). Moves between non-customer locations (pick,
    pack) carry the sale line too in Odoo and are ignored. A backlog row that is not short by the end
    of D may be among them: the caller tests ``delivered_qty``.
    """
    _check_population(period, backlog)
    sol, so, rp = schema.sale_order_line, schema.sale_order, schema.res_partner
    off = ctx.day_offset_minutes
    promise = func.coalesce(so.c.commitment_date, sqlfuncs.add_days(so.c.date_order, sol.c.customer_lead, dialect))
    promise_day = sqlfuncs.local_day(promise, off, dialect)

    def rows(*where) -> Select:
        return (
            select(sol.c.id.label("line_id"), so.c.id.label("order_id"),
                   func.coalesce(rp.c.commercial_partner_id, so.c.partner_id).label("partner_id"),
                   so.c.warehouse_id, so.c.company_id, sol.c.product_id, sol.c.product_uom_qty,
                   sol.c.product_uom.label("line_uom"), sol.c.product_uom_qty.label("order_qty"),
                   promise.label("promise"), promise_day.label("promise_day"),
                   sqlfuncs.local_day_end(promise, off, dialect).label("day_end"))
            .select_from(sol.join(so, so.c.id == sol.c.order_id).outerjoin(rp, rp.c.id == so.c.partner_id))
            .where(so.c.state == "sale", sol.c.display_type.is_(None), sol.c.product_uom_qty > 0,
                   sqlfuncs.in_ids(so.c.company_id, ctx.company_ids),
                   sqlfuncs.in_ids(so.c.warehouse_id, ctx.warehouse_ids), *where)
        )

    # ISO day texts compare correctly on both dialects (a computed SQLite datetime has no
    # fractional seconds, a stored one has: comparing those as text would be wrong at 00:00)
    first, d_day = literal(first_day(ctx).isoformat()), literal(as_of_day(ctx).isoformat())
    branches = []
    if period:
        branches.append(rows(_promise_window(schema, ctx, dialect), promise_day >= first, promise_day <= d_day))
    if backlog:  # promised before D; those promised in P are in the period branch already
        older = promise_day < (first if period else d_day)
        still_open = _open_sale_line(sol)
        branches += [rows(older, still_open),
                     rows(older, ~still_open, sol.c.id.in_(_moved_since(schema, "sale_line_id", ctx.end)))]
    lines = _population(branches).cte("so_lines")
    q = line_quantities(schema, lines, "sale", ctx, dialect, kits=kits)
    return (
        select(lines, q.c.on_time_qty, q.c.by_end_qty.label("delivered_qty"), q.c.kit_bom_id, q.c.kits_on_time,
               q.c.kits_by_end, q.c.unrefunded_qty)
        .select_from(lines.join(q, q.c.line_id == lines.c.line_id))
        .subquery("so_facts")
    )


def _flag(cond) -> ColumnElement:
    return case((cond, 1), else_=0)


def _check_kinds(kinds: Sequence[str], allowed, bucket: str | None) -> tuple[str, ...]:
    kinds = tuple(kinds)
    for kind in kinds:
        check_choice(kind, allowed, "scope kind")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    return kinds


def _otif_sums(conn, kinds, scopes: dict, bucket_col, in_p, otif, late, bucketed: bool) -> dict[str, list[dict]]:
    """Line counts per scope kind from one statement. Without a bucket a line counts when it is in P
    or late; with one, only lines in P count (late lines per bucket are those planned that day)."""
    records = (
        select(*[scopes[k].label(k) for k in kinds], *([bucket_col.label("bucket")] if bucketed else []),
               _flag(in_p).label("lines"), _flag(and_(in_p, otif)).label("otif_lines"),
               _flag(late).label("late_lines"))
        .where(in_p if bucketed else or_(in_p, late))
    )
    sums = sums_by_kinds(conn, records, kinds, OTIF_MEASURES, bucket=bucketed)
    return {kind: [{**r, **{m: int(r[m]) for m in OTIF_MEASURES}} for r in rows] for kind, rows in sums.items()}


def supplier_otif_sums_by_kinds(conn, schema, ctx: QueryContext, kinds: Sequence[str], *,
                                bucket: str | None = None) -> dict[str, list[dict]]:
    """``{kind: rows}`` for every scope kind of ``kinds`` (vendor ``partner``, ``warehouse``,
    ``company``) from ONE statement; rows as ``supplier_otif_sums`` returns them."""
    kinds = _check_kinds(kinds, PURCHASE_SCOPES, bucket)
    d = conn.dialect.name
    f = purchase_line_facts(schema, ctx, d, backlog=bucket is None, kits=kits_enabled(conn))
    scopes = {"partner": f.c.partner_id, "warehouse": f.c.warehouse_id, "company": f.c.company_id}
    in_p = f.c.date_planned >= ctx.start
    otif = f.c.on_time_qty >= f.c.product_qty - QTY_EPSILON
    late = and_(f.c.date_planned < as_of_day_start(ctx), f.c.received_qty < f.c.product_qty - QTY_EPSILON)
    return _otif_sums(conn, kinds, scopes, bucket_expr(f.c.date_planned, bucket, ctx, d), in_p, otif, late,
                      bucket is not None)


def supplier_otif_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Supplier OTIF and late PO line counts per vendor (``partner``), ``warehouse`` or ``company``.

    Returns dicts ``scope_id, bucket, lines`` (lines planned in P), ``otif_lines`` (of those, fully
    received on time), ``late_lines`` (lines planned before D and received below ``product_qty`` by
    the end of D, whenever planned). With ``bucket`` ('day'/'week' of the planned day) every count
    is restricted to lines planned in P, so ``late_lines`` per bucket are the late lines planned that
    day. Entities without a value of the scope (no warehouse) are left out, and so are entities with
    no line in P and no late line (no data).
    """
    check_choice(group_by, PURCHASE_SCOPES, "scope kind")
    return supplier_otif_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket)[group_by]


def customer_otif_sums_by_kinds(conn, schema, ctx: QueryContext, kinds: Sequence[str], *,
                                bucket: str | None = None) -> dict[str, list[dict]]:
    """``{kind: rows}`` for every scope kind of ``kinds`` (customer ``partner``, ``warehouse``,
    ``company``) from ONE statement; rows as ``customer_otif_sums`` returns them."""
    kinds = _check_kinds(kinds, SALE_SCOPES, bucket)
    d = conn.dialect.name
    f = sale_line_facts(schema, ctx, d, backlog=bucket is None, kits=kits_enabled(conn))
    scopes = {"partner": f.c.partner_id, "warehouse": f.c.warehouse_id, "company": f.c.company_id}
    in_p = f.c.promise_day >= literal(first_day(ctx).isoformat())
    otif = f.c.on_time_qty >= f.c.product_uom_qty - QTY_EPSILON
    late = and_(f.c.promise_day < literal(as_of_day(ctx).isoformat()),
                f.c.delivered_qty < f.c.product_uom_qty - QTY_EPSILON)
    return _otif_sums(conn, kinds, scopes, bucket_expr(f.c.promise, bucket, ctx, d), in_p, otif, late,
                      bucket is not None)


def customer_otif_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Customer OTIF and late SO line counts per customer (commercial ``partner``), ``warehouse`` or
    ``company``.

    Returns dicts ``scope_id, bucket, lines`` (lines promised in P), ``otif_lines`` (of those, fully
    delivered by the end of the promise day), ``late_lines`` (promised before D and delivered below
    ``product_uom_qty`` by the end of D). ``bucket`` cuts by the promise day; with it every count is
    restricted to lines promised in P. Entities with no line in P and no late line are left out.
    """
    check_choice(group_by, SALE_SCOPES, "scope kind")
    return customer_otif_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket)[group_by]
