"""Finance drill-down rows: the invoices behind gross margin and overdue receivables, margin per category.

ONE statement each, with a LIMIT where rows are records; dicts carry Odoo ids and the model name
(``model``). The same filters as the KPI sums (``data_access.queries.finance``) select the rows.
"""
from __future__ import annotations

from sqlalchemy import func, literal, select, union_all

from data_access.context import QueryContext
from data_access.queries.finance import cogs_conditions, cogs_join, overdue_conditions, revenue_conditions, revenue_join
from data_access.queries.supply import as_of_day
from data_access.queries.supply_drill import id_filter, valid_limit

__all__ = ["margin_invoices", "margin_by_category", "overdue_invoices"]


def margin_invoices(conn, schema, ctx: QueryContext, *, partner_id=None, product_id=None,
                    limit: int = 200) -> list[dict]:
    """Posted customer invoices and refunds dated in P with their revenue (product lines only; with
    ``product_id`` only that product's lines), largest revenue first.

    Dicts ``model`` ('account.move'), ``move_id, name, move_type, invoice_date`` (date),
    ``partner_id`` (commercial partner), ``partner_name, company_id, revenue``.
    """
    aml, am, rp = schema.account_move_line, schema.account_move, schema.res_partner
    revenue = (0.0 - func.sum(aml.c.balance)).label("revenue")
    stmt = (
        select(am.c.id.label("move_id"), am.c.name, am.c.move_type, am.c.invoice_date,
               am.c.commercial_partner_id.label("partner_id"), rp.c.name.label("partner_name"), am.c.company_id,
               revenue)
        .select_from(revenue_join(schema).outerjoin(rp, rp.c.id == am.c.commercial_partner_id))
        .where(*revenue_conditions(schema, ctx), id_filter(am.c.commercial_partner_id, partner_id),
               id_filter(aml.c.product_id, product_id))
        .group_by(am.c.id, am.c.name, am.c.move_type, am.c.invoice_date, am.c.commercial_partner_id, rp.c.name,
                  am.c.company_id)
        .order_by(revenue.desc(), am.c.id)
        .limit(valid_limit(limit))
    )
    return [{"model": "account.move", **dict(r._mapping), "revenue": float(r.revenue or 0.0)} for r in conn.execute(stmt)]


def margin_by_category(conn, schema, ctx: QueryContext) -> list[dict]:
    """Revenue and COGS of P per product category (``product_template.categ_id`` of the line's /
    layer's product), with the same terms as ``gross_margin_pct``; lowest margin share first.

    Dicts ``category_id, category_name`` (``complete_name``), ``revenue, cogs``. Lines or layers
    whose product has no category are left out.
    """
    aml, svl = schema.account_move_line, schema.stock_valuation_layer
    pp, pt = schema.product_product, schema.product_template
    pp2, pt2 = schema.product_product.alias("pp2"), schema.product_template.alias("pt2")
    revenue = (
        select(pt.c.categ_id.label("category_id"), (0.0 - func.sum(aml.c.balance)).label("revenue"),
               literal(0.0).label("cogs"))
        .select_from(revenue_join(schema).join(pp, pp.c.id == aml.c.product_id).join(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(*revenue_conditions(schema, ctx), pt.c.categ_id.is_not(None))
        .group_by(pt.c.categ_id)
    )
    joined, _pk, _cp = cogs_join(schema)
    cogs = (
        select(pt2.c.categ_id.label("category_id"), literal(0.0).label("revenue"),
               (0.0 - func.sum(svl.c.value)).label("cogs"))
        .select_from(joined.join(pp2, pp2.c.id == svl.c.product_id).join(pt2, pt2.c.id == pp2.c.product_tmpl_id))
        .where(*cogs_conditions(schema, ctx), pt2.c.categ_id.is_not(None))
        .group_by(pt2.c.categ_id)
    )
    both = union_all(revenue, cogs).subquery("category_terms")
    pc = schema.product_category
    rev_sum, cogs_sum = func.sum(both.c.revenue).label("revenue"), func.sum(both.c.cogs).label("cogs")
    stmt = (
        select(both.c.category_id, func.coalesce(pc.c.complete_name, pc.c.name).label("category_name"), rev_sum, cogs_sum)
        .select_from(both.outerjoin(pc, pc.c.id == both.c.category_id))
        .group_by(both.c.category_id, pc.c.complete_name, pc.c.name)
        .order_by(func.sum(both.c.revenue) - func.sum(both.c.cogs), both.c.category_id)
    )
    return [{"category_id": int(r.category_id), "category_name": r.category_name, "revenue": float(r.revenue or 0.0),
             "cogs": float(r.cogs or 0.0)} for r in conn.execute(stmt)]


def overdue_invoices(conn, schema, ctx: QueryContext, *, partner_id=None, limit: int = 200) -> list[dict]:
    """The moves ``overdue_receivables`` sums as of D, oldest due date first.

    Dicts ``model`` ('account.move'), ``move_id, name, move_type, partner_id`` (commercial partner),
    ``partner_name, company_id, invoice_date, invoice_date_due, residual``
    (``amount_residual_signed``) and ``days_overdue`` (whole days from the due date to D).
    """
    am, rp = schema.account_move, schema.res_partner
    stmt = (
        select(am.c.id.label("move_id"), am.c.name, am.c.move_type, am.c.commercial_partner_id.label("partner_id"),
               rp.c.name.label("partner_name"), am.c.company_id, am.c.invoice_date, am.c.invoice_date_due,
               am.c.amount_residual_signed.label("residual"))
        .select_from(am.outerjoin(rp, rp.c.id == am.c.commercial_partner_id))
        .where(*overdue_conditions(schema, ctx), id_filter(am.c.commercial_partner_id, partner_id))
        .order_by(am.c.invoice_date_due, am.c.id)
        .limit(valid_limit(limit))
    )
    d_day = as_of_day(ctx)
    return [{"model": "account.move", **dict(r._mapping), "residual": float(r.residual or 0.0),
             "days_overdue": (d_day - r.invoice_date_due).days} for r in conn.execute(stmt)]
