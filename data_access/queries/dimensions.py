"""Names of the entities KPIs are scoped to: companies, sites, work centers, partners, products.

Each returns ``{id: {...}}`` for the ids in scope (small tables, or an explicit id list).
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select, true

from data_access.sqlfuncs import in_ids, translated

__all__ = ["companies", "warehouses", "workcenters", "partners", "products", "NAMERS"]


def companies(conn, schema, ctx) -> dict[int, dict]:
    """Companies in scope: ``{id: {"name", "currency", "currency_symbol"}}``.

    ``currency`` is the ISO code of the company currency (``res_company.currency_id`` ->
    ``res_currency.name``, e.g. ``"EUR"``), the currency of every company-currency amount
    (``balance``, valuation ``value``...); ``currency_symbol`` is Odoo's symbol (``"€"``). Both are
    ``None`` when the company has no currency row.
    """
    c, cur = schema.res_company, schema.res_currency
    stmt = (select(c.c.id, c.c.name, cur.c.name.label("currency"), cur.c.symbol.label("currency_symbol"))
            .select_from(c.outerjoin(cur, cur.c.id == c.c.currency_id))
            .where(in_ids(c.c.id, ctx.company_ids)).order_by(c.c.id))
    return {r.id: {"name": r.name, "currency": r.currency, "currency_symbol": r.currency_symbol}
            for r in conn.execute(stmt)}


def warehouses(conn, schema, ctx, ids=None) -> dict[int, dict]:
    """Active sites in scope: ``{id: {"name", "code", "company_id"}}``."""
    w = schema.stock_warehouse
    cond = and_(in_ids(w.c.company_id, ctx.company_ids), in_ids(w.c.id, ctx.warehouse_ids),
                in_ids(w.c.id, None if ids is None else tuple(ids)), or_(w.c.active.is_(None), w.c.active == true()))
    stmt = select(w.c.id, w.c.name, w.c.code, w.c.company_id).where(cond).order_by(w.c.id)
    return {r.id: {"name": r.name, "code": r.code, "company_id": r.company_id} for r in conn.execute(stmt)}


def workcenters(conn, schema, ctx, ids=None) -> dict[int, dict]:
    """Work centers in the company scope: ``{id: {"name", "code", "company_id"}}`` (site: see production)."""
    wc = schema.mrp_workcenter
    cond = and_(in_ids(wc.c.company_id, ctx.company_ids), in_ids(wc.c.id, None if ids is None else tuple(ids)))
    stmt = select(wc.c.id, wc.c.name, wc.c.code, wc.c.company_id, wc.c.active).where(cond).order_by(wc.c.id)
    return {r.id: {"name": r.name, "code": r.code, "company_id": r.company_id, "active": r.active} for r in conn.execute(stmt)}


def partners(conn, schema, ctx, ids) -> dict[int, dict]:
    """Partners by id: ``{id: {"name"}}`` (partners are shared across companies in Odoo)."""
    p = schema.res_partner
    wanted = tuple(int(i) for i in ids)
    if not wanted:
        return {}
    stmt = select(p.c.id, p.c.name, p.c.complete_name).where(p.c.id.in_(wanted))
    return {r.id: {"name": r.complete_name or r.name} for r in conn.execute(stmt)}


def products(conn, schema, ctx, ids) -> dict[int, dict]:
    """Product variants by id: ``{id: {"name", "code"}}`` with the template name in ``ctx.lang``."""
    pp, pt = schema.product_product, schema.product_template
    wanted = tuple(int(i) for i in ids)
    if not wanted:
        return {}
    name = translated(pt.c.name, ctx.lang, conn.dialect.name)
    stmt = (select(pp.c.id, name.label("name"), pp.c.default_code)
            .select_from(pp.join(pt, pt.c.id == pp.c.product_tmpl_id)).where(pp.c.id.in_(wanted)))
    return {r.id: {"name": r.name, "code": r.default_code} for r in conn.execute(stmt)}


# scope kind -> (function, takes explicit ids)
NAMERS = {
    "company": (companies, False),
    "warehouse": (warehouses, False),
    "workcenter": (workcenters, False),
    "partner": (partners, True),
    "product": (products, True),
}
