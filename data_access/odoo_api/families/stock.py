"""Stock sums through Odoo's API: the rows ``data_access.queries.supply_stock`` returns. Stockout from
active ``stock.warehouse.orderpoint`` rules and ``stock.quant`` in internal locations; inventory turns
and DIO from ``stock.valuation.layer`` ``read_group`` sums (one per snapshot day) and the COGS layers."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from data_access.context import QueryContext
from data_access.odoo_api.families.common import company_domain, group_sums, ids_of, wire
from data_access.odoo_api.families.production import _in
from data_access.queries.supply_stock import TURNS_DAYS, TURNS_SAMPLES

__all__ = ["stockout_sums_by_kinds", "inventory_turns_sums"]


def stockout_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.supply_stock.stockout_sums_by_kinds`` through the API (a snapshot of now)."""
    kinds = tuple(kinds)
    domain = [("active", "=", True), *company_domain("company_id", ctx)]
    if ctx.warehouse_ids is not None:
        domain.append(("warehouse_id", "in", list(ctx.warehouse_ids)))
    rules = reader.rows("stock.warehouse.orderpoint", domain, ["warehouse_id", "company_id", "product_id"])
    on_hand: dict[tuple[int, int], float] = defaultdict(float)
    products = ids_of(rules, "product_id")
    if products:
        site_of = {loc["id"]: loc.get("warehouse_id") for loc in reader.rows(
            "stock.location", [("usage", "=", "internal"), ("warehouse_id", "!=", False)], ["warehouse_id"])}
        if site_of:
            for q in reader.rows("stock.quant", [("product_id", "in", products), ("location_id", "in", sorted(site_of))],
                                 ["product_id", "location_id", "quantity"]):
                on_hand[(q["product_id"], site_of[q["location_id"]])] += float(q.get("quantity") or 0)
    records = [{"warehouse": r.get("warehouse_id"), "company": r.get("company_id"), "rules": 1.0,
                "stockout_rules": 1.0 if on_hand.get((r.get("product_id"), r.get("warehouse_id")), 0.0) <= 0 else 0.0}
               for r in rules if _in(r.get("warehouse_id"), ctx.warehouse_ids)]
    sums = group_sums(records, kinds, ("rules", "stockout_rules"))
    return {kind: [{"scope_id": r["scope_id"], "bucket": None, "rules": int(r["rules"]),
                    "stockout_rules": int(r["stockout_rules"])} for r in rows] for kind, rows in sums.items()}


def _sum_by_company(reader, domain) -> dict[int, float]:
    return {g["company_id"]: float(g.get("value") or 0)
            for g in reader.groups("stock.valuation.layer", domain, ["value:sum"], ["company_id"]) if g.get("company_id")}


def inventory_turns_sums(reader, ctx: QueryContext, *, group_by: str = "company", bucket: str | None = None) -> list[dict]:
    """``queries.supply_stock.inventory_turns_sums`` through the API: 13 ``read_group`` sums of the layers
    created before the end of D, D-30, ..., D-360, and the COGS layers of the 365 days ending D."""
    base = [("company_id", "!=", False), *company_domain("company_id", ctx)]
    snapshots = [_sum_by_company(reader, [("create_date", "<", wire(ctx.end - timedelta(days=30 * k))), *base])
                 for k in range(TURNS_SAMPLES)]
    window = [("create_date", ">=", wire(ctx.end - timedelta(days=TURNS_DAYS))), ("create_date", "<", wire(ctx.end))]
    customer = ["|", ("stock_move_id.location_id.usage", "=", "customer"),
                ("stock_move_id.location_dest_id.usage", "=", "customer")]
    cogs = _sum_by_company(reader, [*window, *customer, *base])
    companies = sorted(set().union(*snapshots))  # every company with a layer before the end of D
    out = []
    for company in companies:
        values = [s.get(company, 0.0) for s in snapshots]
        out.append({"scope_id": company, "bucket": None, "cogs": 0.0 - cogs.get(company, 0.0),
                    "inventory_values": values, "inventory_value_sum": sum(values), "samples": TURNS_SAMPLES})
    return out
