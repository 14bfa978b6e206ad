"""The dimension lists through Odoo's API: the twins of ``data_access.queries.dimensions`` (and of the work
center -> site vote), so page frames, filters and names work on the API path without a replica.

``API_DIMENSIONS[sql_fn]`` takes ``(reader, ctx, ...)`` with the SQL function's other arguments and returns
exactly its rows. Read as the API user: its record rules apply on top of the caller's scope in ``ctx``.
Product names are Odoo's untranslated (en_US) names: the API reads without a ``lang`` in its context.
"""
from __future__ import annotations

from data_access.context import QueryContext
from data_access.odoo_api.families import companies
from data_access.odoo_api.families import production as api_production
from data_access.queries import dimensions as sql
from data_access.queries import production as sql_production
from data_access.queries import supply_pages as sql_supply_pages

__all__ = ["API_DIMENSIONS", "warehouses", "workcenters", "partners", "products", "vendor_has_orders"]


def _within(field: str, ids) -> list:
    """``sqlfuncs.in_ids`` as a domain: None means no restriction (an empty list matches nothing)."""
    return [] if ids is None else [(field, "in", sorted(int(i) for i in ids))]


def warehouses(reader, ctx: QueryContext, ids=None) -> dict[int, dict]:
    """Active sites in scope: ``{id: {"name", "code", "company_id"}}`` (``stock.warehouse``)."""
    domain = [("active", "=", True), *_within("company_id", ctx.company_ids), *_within("id", ctx.warehouse_ids),
              *_within("id", ids)]
    rows = reader.rows("stock.warehouse", domain, ["name", "code", "company_id"])
    return {r["id"]: {"name": r.get("name"), "code": r.get("code"), "company_id": r.get("company_id")} for r in rows}


def workcenters(reader, ctx: QueryContext, ids=None) -> dict[int, dict]:
    """Work centers in the company scope, archived ones too: ``{id: {"name", "code", "company_id", "active"}}``."""
    domain = [*_within("company_id", ctx.company_ids), *_within("id", ids)]
    rows = reader.rows("mrp.workcenter", domain, ["name", "code", "company_id", "active"])
    return {r["id"]: {"name": r.get("name"), "code": r.get("code"), "company_id": r.get("company_id"),
                      "active": bool(r.get("active"))} for r in rows}


def partners(reader, ctx: QueryContext, ids) -> dict[int, dict]:
    """Partners by id: ``{id: {"name"}}`` (the complete name, "Company, Person", as the SQL path)."""
    rows = reader.by_ids("res.partner", ids, ["name", "complete_name"])
    return {r["id"]: {"name": r.get("complete_name") or r.get("name")} for r in rows}


def products(reader, ctx: QueryContext, ids) -> dict[int, dict]:
    """Product variants by id: ``{id: {"name", "code"}}``, the name being the template's."""
    variants = reader.by_ids("product.product", ids, ["product_tmpl_id", "default_code"])
    names = {t["id"]: t.get("name") for t in reader.by_ids("product.template", [v.get("product_tmpl_id") for v in variants], ["name"])}
    return {v["id"]: {"name": names.get(v.get("product_tmpl_id")), "code": v.get("default_code")} for v in variants}


def vendor_has_orders(reader, ctx: QueryContext, *, partner_id: int) -> bool:
    """``queries.supply_pages.vendor_has_orders`` through the API: a confirmed purchase order of the vendor in the
    caller's companies and sites, at any date (the vendor page's scope check)."""
    domain = [("partner_id", "=", int(partner_id)), ("state", "in", list(sql_supply_pages._CONFIRMED)),
              *_within("company_id", ctx.company_ids)]
    orders = reader.rows("purchase.order", domain, ["picking_type_id"])
    if ctx.warehouse_ids is None:
        return bool(orders)
    sites = api_production.warehouse_of_types(reader, [o.get("picking_type_id") for o in orders])
    return any(sites.get(o.get("picking_type_id")) in ctx.warehouse_ids for o in orders)


def workcenter_sites(reader, ctx: QueryContext | None = None, *, pins=()) -> dict[int, int]:
    """``queries.production.workcenter_sites`` through the API (the vote of the KPI path's OEE by site)."""
    return api_production.workcenter_sites(reader, ctx, pins)


API_DIMENSIONS = {
    sql.companies: companies,
    sql.warehouses: warehouses,
    sql.workcenters: workcenters,
    sql.partners: partners,
    sql.products: products,
    sql_production.workcenter_sites: workcenter_sites,
    sql_supply_pages.vendor_has_orders: vendor_has_orders,
}
