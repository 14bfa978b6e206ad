"""Finance sums (KPIS.md "Finance"): gross margin terms (revenue, COGS) and overdue receivables.

RAW SUMS only, one statement per call (every scope kind of a KPI from that one statement, with
``*_by_kinds``), grouped by the database; ``dashboard.kpis.finance`` makes the ratios. Each reads the
period's rows (invoices by ``invoice_date``, layers by ``create_date``) and reaches other tables only
through their keys. Amounts are in company currency (``balance``, ``value``, ``amount_residual_signed``).

(v2) Amounts of companies whose currencies (``res_company.currency_id``) differ are never added: every
record carries its company's currency, the database groups by it with every scope kind, and
``_per_currency`` gives one row per entity whose measures are the sums when all its rows are in one
currency, and None (with the sums per currency in ``by_currency``) when they span several. Companies that
share a currency pool. A company scope is always in one currency.

``invoice_date`` and ``invoice_date_due`` are DATE columns, already local dates: they are compared
with the period's first day and D as dates (bound parameters), never shifted by the zone offset.
``ctx.warehouse_ids`` does not apply here (invoices and valuation layers have no site); the
company restriction does, on each document's own ``company_id``.
"""
from __future__ import annotations

from sqlalchemy import func, literal_column, null, or_, select, union_all
from sqlalchemy.sql import ColumnElement

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.grouping import sums_by_kinds
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
    "gross_margin_sums_by_kinds",
    "overdue_sums",
    "overdue_sums_by_kinds",
    "currency_columns",
    "currency_code",
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
    posted customer invoices and refunds whose ``invoice_date`` is a day of P, in the company scope.

    ``invoice_date`` is compared as a range of dates (Odoo indexes it), so the period's invoices are
    found first and their lines reached through ``account_move_line.move_id``."""
    aml, am = schema.account_move_line, schema.account_move
    return [am.c.state == "posted", am.c.move_type.in_(CUSTOMER_INVOICE_TYPES), aml.c.display_type == "product",
            am.c.invoice_date >= first_day(ctx), am.c.invoice_date <= as_of_day(ctx),
            sqlfuncs.in_ids(am.c.company_id, ctx.company_ids)]


def cogs_join(schema, *, with_partner: bool = False):
    """``stock_valuation_layer`` -> its stock move (by the layer's ``stock_move_id``), and with
    ``with_partner`` the move's picking (``pk``) and the picking partner (``cp``, for the commercial
    partner). Returns ``(join, pk, cp)`` (``pk``/``cp`` None without ``with_partner``)."""
    svl, m = schema.stock_valuation_layer, schema.stock_move
    joined = svl.join(m, m.c.id == svl.c.stock_move_id)
    if not with_partner:
        return joined, None, None
    pk = schema.stock_picking.alias("pk")
    cp = schema.res_partner.alias("cp")
    return joined.outerjoin(pk, pk.c.id == m.c.picking_id).outerjoin(cp, cp.c.id == pk.c.partner_id), pk, cp


def cogs_conditions(schema, ctx: QueryContext) -> list[ColumnElement]:
    """Layers created in P (a range on ``create_date``) whose move comes from or goes to a ``customer``
    location, in the company scope. The customer locations are looked up once (a handful of ids), so
    the moves are tested by their location ids instead of joining two location rows to every move."""
    svl, m, loc = schema.stock_valuation_layer, schema.stock_move, schema.stock_location
    customer = select(loc.c.id).where(loc.c.usage == "customer")
    return [sqlfuncs.in_period(svl.c.create_date, ctx.start, ctx.end),
            or_(m.c.location_id.in_(customer), m.c.location_dest_id.in_(customer)),
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


def _check_kinds(kinds, allowed, bucket) -> tuple[str, ...]:
    kinds = tuple(kinds)
    for kind in kinds:
        check_choice(kind, allowed, "scope kind")
    check_choice(bucket, (None, *BUCKETS), "bucket")
    return kinds


_ZERO = literal_column("0")  # a constant zero that keeps the other branch's numeric type exact in the sums
CURRENCY_SPLIT = ("currency_id", "currency")


def currency_columns(schema, company_col, joined):
    """``(joined, [currency_id, currency])``: ``joined`` with the record's company (``company_col``) and its
    currency outer-joined (small tables, by key), and the company currency's id and ISO code as columns."""
    rc, cur = schema.res_company.alias("rc_cur"), schema.res_currency.alias("cur")
    joined = joined.outerjoin(rc, rc.c.id == company_col).outerjoin(cur, cur.c.id == rc.c.currency_id)
    return joined, [rc.c.currency_id.label("currency_id"), cur.c.name.label("currency")]


def currency_code(currency_id, name) -> str:
    """A currency's ISO code (``res_currency.name``), or what stands for it when the company has none."""
    if name:
        return str(name)
    return "no currency" if currency_id is None else f"currency {currency_id}"


def _per_currency(sums: dict[str, list[dict]], measures, *, counts=()) -> dict[str, list[dict]]:
    """Rows split by currency (``sums_by_kinds`` with ``split=CURRENCY_SPLIT``) merged into one row per
    entity and bucket: ``currencies`` (sorted ISO codes), ``by_currency`` ({code: {measure: sum}}), and each
    measure: the sum when there is one currency, None when several (never added). ``counts`` (a number of
    records, not an amount) are summed whatever the currency."""
    out = {}
    for kind, rows in sums.items():
        merged: dict[tuple, dict] = {}
        for r in rows:
            key = (r["scope_id"], r["bucket"])
            row = merged.setdefault(key, {"scope_id": r["scope_id"], "bucket": r["bucket"], "by_currency": {},
                                          **{c: 0 for c in counts}})
            code = currency_code(r["currency_id"], r["currency"])
            per = row["by_currency"].setdefault(code, {m: 0.0 for m in measures})
            for m in measures:
                per[m] += r[m]
            for c in counts:
                row[c] += r[c]
        for row in merged.values():
            row["currencies"] = sorted(row["by_currency"])
            one = len(row["currencies"]) == 1
            row.update({m: row["by_currency"][row["currencies"][0]][m] if one else None for m in measures})
        out[kind] = sorted(merged.values(), key=lambda x: (x["scope_id"], x["bucket"] or ""))
    return out


def gross_margin_sums_by_kinds(conn, schema, ctx: QueryContext, kinds, *,
                               bucket: str | None = None) -> dict[str, list[dict]]:
    """Revenue and COGS of P of every scope kind of ``kinds`` (``company``, ``product``, ``partner``)
    from ONE statement: ``{kind: [row, ...]}``, rows as ``gross_margin_sums`` returns them.

    The records are the period's rows only: the product lines of the invoices whose ``invoice_date``
    is in P, and the valuation layers created in P, whose moves are reached by the layers'
    ``stock_move_id`` (and, for ``partner``, their pickings and partners by id).
    """
    kinds = _check_kinds(kinds, MARGIN_SCOPES, bucket)
    d = conn.dialect.name
    aml, am, svl = schema.account_move_line, schema.account_move, schema.stock_valuation_layer
    rev_scopes = {"company": am.c.company_id, "product": aml.c.product_id, "partner": am.c.commercial_partner_id}
    rev_from, rev_currency = currency_columns(schema, am.c.company_id, revenue_join(schema))
    revenue = (
        select(*[rev_scopes[k].label(k) for k in kinds],
               *([_date_bucket(am.c.invoice_date, bucket, d).label("bucket")] if bucket else []),
               *rev_currency, (-aml.c.balance).label("revenue"), _ZERO.label("cogs"))
        .select_from(rev_from)
        .where(*revenue_conditions(schema, ctx))
    )
    joined, pk, cp = cogs_join(schema, with_partner="partner" in kinds)
    joined, cogs_currency = currency_columns(schema, svl.c.company_id, joined)
    cogs_scopes = {"company": svl.c.company_id, "product": svl.c.product_id}
    if pk is not None:
        cogs_scopes["partner"] = func.coalesce(cp.c.commercial_partner_id, pk.c.partner_id)
    cogs = (
        select(*[cogs_scopes[k].label(k) for k in kinds],
               *([bucket_expr(svl.c.create_date, bucket, ctx, d).label("bucket")] if bucket else []),
               *cogs_currency, _ZERO.label("revenue"), (-svl.c.value).label("cogs"))
        .select_from(joined)
        .where(*cogs_conditions(schema, ctx))
    )
    sums = sums_by_kinds(conn, union_all(revenue, cogs), kinds, ("revenue", "cogs"), bucket=bucket is not None,
                         split=CURRENCY_SPLIT)
    return _per_currency(sums, ("revenue", "cogs"))


def gross_margin_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Revenue and COGS of P per ``company``, ``product`` or customer (commercial ``partner``).

    Returns dicts ``scope_id, bucket, revenue`` (minus the balance of the product lines of posted
    customer invoices and refunds dated in P: refunds reduce it) and ``cogs`` (minus the value of the
    valuation layers created in P for moves from or to a customer location), ``currencies`` and
    ``by_currency``: revenue and COGS are None when the entity's rows are in more than one company
    currency (``by_currency`` then holds the sums of each). Revenue is bucketed by
    ``invoice_date``, COGS by the local day / week of the layer's ``create_date``. Partner: the
    invoice's ``commercial_partner_id``; for COGS the commercial partner of the move's picking
    partner. Entities without a value of the scope (a layer without picking partner for
    ``partner``...) are left out of that scope.
    """
    return gross_margin_sums_by_kinds(conn, schema, ctx, (group_by,), bucket=bucket)[group_by]


def overdue_sums_by_kinds(conn, schema, ctx: QueryContext, kinds) -> dict[str, list[dict]]:
    """Overdue receivables as of D of every scope kind of ``kinds`` (``company``, ``partner``) from ONE
    statement: ``{kind: [row, ...]}``, rows as ``overdue_sums`` returns them."""
    kinds = _check_kinds(kinds, OVERDUE_SCOPES, None)
    am = schema.account_move
    scopes = {"company": am.c.company_id, "partner": am.c.commercial_partner_id}
    joined, currency = currency_columns(schema, am.c.company_id, am)
    records = (select(*[scopes[k].label(k) for k in kinds], *currency, am.c.amount_residual_signed.label("residual"),
                      literal_column("1").label("invoices"))
               .select_from(joined).where(*overdue_conditions(schema, ctx)))
    sums = sums_by_kinds(conn, records, kinds, ("residual", "invoices"), split=CURRENCY_SPLIT)
    merged = _per_currency(sums, ("residual",), counts=("invoices",))
    return {kind: [dict(r, invoices=int(r["invoices"])) for r in rows] for kind, rows in merged.items()}


def overdue_sums(conn, schema, ctx: QueryContext, *, group_by: str, bucket: str | None = None) -> list[dict]:
    """Overdue receivables as of D per ``company`` or customer (``commercial_partner_id``).

    A snapshot: ``bucket`` does not apply (rows carry ``None``); D is ``ctx``'s last day, and an
    invoice due ON D is not overdue yet. Returns dicts ``scope_id, bucket, residual`` (sum of
    ``amount_residual_signed``: refunds count negative; None when the moves are in more than one company
    currency), ``invoices`` (how many moves), ``currencies`` and ``by_currency``.
    """
    return overdue_sums_by_kinds(conn, schema, ctx, (group_by,))[group_by]
