"""Quality sums through Odoo's API: the rows ``data_access.queries.quality`` returns, from
``mrp.production``, their finished ``stock.move`` rows and ``stock.scrap`` (first pass yield) and
``quality.alert`` (NC closure days)."""
from __future__ import annotations

from collections import defaultdict

from data_access.context import QueryContext
from data_access.odoo_api.families.common import bucket_of, company_domain, dt, group_sums, ids_of
from data_access.odoo_api.families.production import _in, period_domain, warehouse_of_types

__all__ = ["fpy_sums_by_kinds", "nc_closure_sums"]


def fpy_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.quality.fpy_sums_by_kinds`` through the API: MOs done with ``date_finished`` in P; produced =
    done finished moves of the MO's product (not scrapped); scrapped = done scraps of that product."""
    kinds = tuple(kinds)
    mos = reader.rows("mrp.production", [("state", "=", "done"), *period_domain("date_finished", ctx),
                                         *company_domain("company_id", ctx)],
                      ["company_id", "picking_type_id", "product_id", "date_finished"])
    types = warehouse_of_types(reader, ids_of(mos, "picking_type_id"))
    mos = [m for m in mos if _in(types.get(m.get("picking_type_id")), ctx.warehouse_ids)]
    product_of = {m["id"]: m.get("product_id") for m in mos}
    produced: dict[int, float] = defaultdict(float)
    scrapped: dict[int, float] = defaultdict(float)
    if mos:
        for mv in reader.rows("stock.move", [("production_id", "in", sorted(product_of)), ("state", "=", "done")],
                              ["production_id", "product_id", "quantity", "scrapped"]):
            if mv.get("product_id") == product_of.get(mv.get("production_id")) and not mv.get("scrapped"):
                produced[mv["production_id"]] += float(mv.get("quantity") or 0)
        for sc in reader.rows("stock.scrap", [("production_id", "in", sorted(product_of)), ("state", "=", "done")],
                              ["production_id", "product_id", "scrap_qty"]):
            if sc.get("product_id") == product_of.get(sc.get("production_id")):
                scrapped[sc["production_id"]] += float(sc.get("scrap_qty") or 0)
    records = [{"warehouse": types.get(m.get("picking_type_id")), "company": m.get("company_id"),
                "bucket": bucket_of(dt(m["date_finished"]), bucket, ctx), "qty_produced": produced.get(m["id"], 0.0),
                "qty_scrapped": scrapped.get(m["id"], 0.0), "mo_count": 1.0} for m in mos]
    return group_sums(records, kinds, ("qty_produced", "qty_scrapped", "mo_count"), bucket=bucket is not None)


def nc_closure_sums(reader, ctx: QueryContext, *, group_by: str = "company", bucket: str | None = None) -> list[dict]:
    """``queries.quality.nc_closure_sums`` through the API: quality alerts closed in P, per company."""
    alerts = reader.rows("quality.alert", [("date_close", "!=", False), ("create_date", "!=", False),
                                           *period_domain("date_close", ctx), *company_domain("company_id", ctx)],
                         ["company_id", "create_date", "date_close"])
    records = []
    for a in alerts:
        created, closed = dt(a["create_date"]), dt(a["date_close"])
        records.append({"company": a.get("company_id"), "bucket": bucket_of(closed, bucket, ctx),
                        "days_sum": (closed - created).total_seconds() / 86400.0, "closed": 1.0})
    return group_sums(records, (group_by,), ("days_sum", "closed"), bucket=bucket is not None)[group_by]
