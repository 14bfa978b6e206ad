"""The API twin of each SQL sums function the KPI families call, in one dict.

``API_SUMS[sql_fn]`` takes ``(reader, ctx, ...)`` with the SQL function's other arguments and returns
exactly its rows. A SQL function with no twin here is not served by the API path (its KPIs are reported
unavailable with the reason, never guessed)."""
from __future__ import annotations

from data_access.odoo_api.families import finance, production, quality, stock, supply
from data_access.queries import dimensions as sql_dimensions
from data_access.queries import finance as sql_finance
from data_access.queries import production as sql_production
from data_access.queries import quality as sql_quality
from data_access.queries import supply as sql_supply
from data_access.queries import supply_stock as sql_stock

__all__ = ["API_SUMS", "NOT_SERVED", "companies"]


def companies(reader, ctx) -> dict[int, dict]:
    """``queries.dimensions.companies`` through the API: the companies in scope the user may read."""
    domain = [] if ctx.company_ids is None else [("id", "in", list(ctx.company_ids))]
    rows = reader.rows("res.company", domain, ["name", "currency_id"])
    currencies = {c["id"]: c for c in reader.by_ids("res.currency", [r.get("currency_id") for r in rows], ["name", "symbol"])}
    return {r["id"]: {"name": r.get("name"), "currency": currencies.get(r.get("currency_id"), {}).get("name"),
                      "currency_symbol": currencies.get(r.get("currency_id"), {}).get("symbol")} for r in rows}


API_SUMS = {
    sql_dimensions.companies: companies,
    sql_production.oee_sums_by_kinds: production.oee_sums_by_kinds,
    sql_production.schedule_adherence_sums_by_kinds: production.schedule_adherence_sums_by_kinds,
    sql_quality.fpy_sums_by_kinds: quality.fpy_sums_by_kinds,
    sql_quality.nc_closure_sums: quality.nc_closure_sums,
    sql_finance.gross_margin_sums_by_kinds: finance.gross_margin_sums_by_kinds,
    sql_finance.overdue_sums_by_kinds: finance.overdue_sums_by_kinds,
    sql_stock.stockout_sums_by_kinds: stock.stockout_sums_by_kinds,
    sql_stock.inventory_turns_sums: stock.inventory_turns_sums,
    sql_supply.supplier_otif_sums_by_kinds: supply.supplier_otif_sums_by_kinds,
    sql_supply.customer_otif_sums_by_kinds: supply.customer_otif_sums_by_kinds,
}

# SQL sums functions the API path does not serve, with the reason the KPI engine reports.
NOT_SERVED: dict = {}
