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

__all__ = ["API_DIMENSIONS", "warehouses", "workcenters", "partners", "products"]


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
}
