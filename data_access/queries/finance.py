"""Finance sums (KPIS.md "Finance"): gross margin terms (revenue, COGS) and overdue receivables.

RAW SUMS only, one statement per call, grouped by the database; ``dashboard.kpis.finance`` makes
the ratios. Amounts are in company currency (``balance``, ``value``, ``amount_residual_signed``).

``invoice_date`` and ``invoice_date_due`` are DATE columns, already local dates: they are compared
with the period's first day and D as dates (bound parameters), never shifted by the zone offset.
``ctx.warehouse_ids`` does not apply here (invoices and valuation layers have no site); the
company restriction does, on each document's own ``company_id``.
"""
from __future__ import annotations

from sqlalchemy import func, literal, null, or_, select, union_all
from sqlalchemy.sql import ColumnElement

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.supply import BUCKETS, as_of_day, bucket_expr, check_choice, first_day

__all__ = [
    "MARGIN_SCOPES",
    "OVERDUE_SCOPES",
    "CUSTOMER_INVOICE_TYPES",
    "revenue_conditions",
    "revenue_join",
    "cogs_conditions",
    "cogs_join",
    "overdue_conditions",
    "gross_margin_sums",
    "overdue_sums",
]

MARGIN_SCOPES = ("company", "product", "partner")
OVERDUE_SCOPES = ("company", "partner")
CUSTOMER_INVOICE_TYPES = ("out_invoice", "out_refund")
OPEN_PAYMENT_STATES = ("not_paid", "partial")


def revenue_join(schema):
    """``account_move_line`` joined to its ``account_move``."""
    aml, am = schema.account_move_line, schema.account_move
    return aml.join(am, am.c.id == aml.c.move_id)


def revenue_conditions(schema, ctx: QueryContext) -> list[ColumnElement]:
    """Product lines (``display_type = 'product'``: not tax, payment term, section or note lines) of
    posted customer invoices and refunds whose ``invoice_date`` is a day of P, in the company scope."""
    aml, am = schema.account_move_line, schema.account_move
    return [am.c.state == "posted", am.c.move_type.in_(CUSTOMER_INVOICE_TYPES), aml.c.display_type == "product",
            am.c.invoice_date >= first_day(ctx), am.c.invoice_date <= as_of_day(ctx),
            sqlfuncs.in_ids(am.c.company_id, ctx.company_ids)]


def cogs_join(schema):
    """``stock_valuation_layer`` -> its stock move, the move's locations (``src``/``dst``), its picking
    (``pk``) and the picking partner (``cp``, for the commercial partner) and the product's template
    (``pt``)."""
    svl, m = schema.stock_valuation_layer, schema.stock_move
    src = schema.stock_location.alias("src")
    dst = schema.stock_location.alias("dst")
    pk = schema.stock_picking.alias("pk")
    cp = schema.res_partner.alias("cp")
    return (svl.join(m, m.c.id == svl.c.stock_move_id)
            .join(src, src.c.id == m.c.location_id)
            .join(dst, dst.c.id == m.c.location_dest_id)
            .outerjoin(pk, pk.c.id == m.c.picking_id)
            .outerjoin(cp, cp.c.id == pk.c.partner_id)), src, dst, pk, cp


def cogs_conditions(schema, ctx: QueryContext, src, dst) -> list[ColumnElement]:
    """Layers created in P whose move comes from or goes to a ``customer`` location, in the company scope."""
    svl = schema.stock_valuation_layer
    return [sqlfuncs.in_period(svl.c.create_date, ctx.start, ctx.end),
            or_(src.c.usage == "customer", dst.c.usage == "customer"),
            sqlfuncs.in_ids(svl.c.company_id, ctx.company_ids)]


def overdue_conditions(schema, ctx: QueryContext) -> list[ColumnElement]:
    """Posted customer invoices / refunds not (fully) paid whose due date is strictly before D."""
    am = schema.account_move
    return [am.c.state == "posted", am.c.move_type.in_(CUSTOMER_INVOICE_TYPES),
            am.c.payment_state.in_(OPEN_PAYMENT_STATES), am.c.invoice_date_due < as_of_day(ctx),
            sqlfuncs.in_ids(am.c.company_id, ctx.company_ids)]


def _date_bucket(col, bucket: str | None, dialect: str) -> ColumnElement:
    """Day / ISO week (text) of a DATE column, which is already local: no offset."""
    if bucket is None:
        return null()
    check_choice(bucket, BUCKETS, "bucket")
    return BUCKETS[bucket](col, 0, dialect)


def gross_margin_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Revenue and COGS of P per ``company``, ``product`` or customer (commercial ``partner``).

    Returns dicts ``scope_id, bucket, revenue`` (minus the balance of the product lines of posted
    customer invoices and refunds dated in P: refunds reduce it) and ``cogs`` (minus the value of the
    valuation layers created in P for moves from or to a customer location). Revenue is bucketed by
    ``invoice_date``, COGS by the local day / week of the layer's ``create_date``. Partner: the
    invoice's ``commercial_partner_id``; for COGS the commercial partner of the move's picking
    partner. Entities without a value of the scope (a layer without picking partner for
    ``partner``...) are left out of that scope.
    """
    check_choice(group_by, MARGIN_SCOPES, "scope kind")
    d = conn.dialect.name
    aml, am, svl = schema.account_move_line, schema.account_move, schema.stock_valuation_layer
    rev_scope = {"company": am.c.company_id, "product": aml.c.product_id, "partner": am.c.commercial_partner_id}[group_by]
    rev_bucket = _date_bucket(am.c.invoice_date, bucket, d)
    rev_keys = [rev_scope, rev_bucket] if bucket else [rev_scope]
    revenue = (
        select(rev_scope.label("scope_id"), rev_bucket.label("bucket"), (0.0 - func.sum(aml.c.balance)).label("revenue"),
               literal(0.0).label("cogs"))
        .select_from(revenue_join(schema))
        .where(*revenue_conditions(schema, ctx), rev_scope.is_not(None))
        .group_by(*rev_keys)
    )
    joined, src, dst, pk, cp = cogs_join(schema)
    cogs_scope = {"company": svl.c.company_id, "product": svl.c.product_id,
                  "partner": func.coalesce(cp.c.commercial_partner_id, pk.c.partner_id)}[group_by]
    cogs_bucket = bucket_expr(svl.c.create_date, bucket, ctx, d)
    cogs_keys = [cogs_scope, cogs_bucket] if bucket else [cogs_scope]
    cogs = (
        select(cogs_scope.label("scope_id"), cogs_bucket.label("bucket"), literal(0.0).label("revenue"),
               (0.0 - func.sum(svl.c.value)).label("cogs"))
        .select_from(joined)
        .where(*cogs_conditions(schema, ctx, src, dst), cogs_scope.is_not(None))
        .group_by(*cogs_keys)
    )
    both = union_all(revenue, cogs).subquery("margin_terms")
    keys = [both.c.scope_id, both.c.bucket] if bucket else [both.c.scope_id]
    stmt = (select(both.c.scope_id, (null() if not bucket else both.c.bucket).label("bucket"),
                   func.sum(both.c.revenue).label("revenue"), func.sum(both.c.cogs).label("cogs"))
            .group_by(*keys).order_by(*keys))
    return [{"scope_id": int(r.scope_id), "bucket": r.bucket, "revenue": float(r.revenue or 0.0),
             "cogs": float(r.cogs or 0.0)} for r in conn.execute(stmt)]


def overdue_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Overdue receivables as of D per ``company`` or customer (``commercial_partner_id``).

    A snapshot: ``bucket`` does not apply (rows carry ``None``); D is ``ctx``'s last day, and an
    invoice due ON D is not overdue yet. Returns dicts ``scope_id, bucket, residual`` (sum of
    ``amount_residual_signed``: refunds count negative) and ``invoices`` (how many moves).
    """
    check_choice(group_by, OVERDUE_SCOPES, "scope kind")
    am = schema.account_move
    scope = {"company": am.c.company_id, "partner": am.c.commercial_partner_id}[group_by]
    stmt = (
        select(scope.label("scope_id"), func.sum(am.c.amount_residual_signed).label("residual"),
               func.count().label("invoices"))
        .where(*overdue_conditions(schema, ctx), scope.is_not(None))
        .group_by(scope)
        .order_by(scope)
    )
    return [{"scope_id": int(r.scope_id), "bucket": None, "residual": float(r.residual or 0.0),
             "invoices": int(r.invoices)} for r in conn.execute(stmt)]

