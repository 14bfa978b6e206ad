"""Supply-chain KPIs (KPIS.md "Supply chain") from the raw sums of ``data_access.queries.supply`` and
``supply_stock``.

Pure functions turn sum rows into ``KpiPoint``s (ratios are None when their denominator is zero);
the families registered at the bottom fetch the sums through the replica. ``KpiPoint.parts``
carries the sums, so rollups pool them and tooltips show numerator and denominator.
"""
from __future__ import annotations

from dashboard.kpis.registry import Family, check_request, points_by_kinds, register, requested_kinds
from dashboard.kpis.types import KpiPoint, KpiUnavailable
from data_access.queries.supply import customer_otif_sums_by_kinds, supplier_otif_sums_by_kinds
from data_access.queries.supply_stock import inventory_turns_sums, stockout_sums_by_kinds

__all__ = ["ratio", "otif_points", "stockout_points", "turns_points", "compute_supplier_otif",
           "compute_customer_otif", "compute_stockout", "compute_inventory_turns", "DAYS_PER_YEAR"]

OTIF_SCOPES = ("partner", "warehouse", "company")
STOCKOUT_SCOPES = ("warehouse", "company")
TURNS_SCOPES = ("company",)
DAYS_PER_YEAR = 365


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``; None when the denominator is zero (never 0 or 1)."""
    if not denominator:
        return None
    return numerator / denominator


def otif_points(rows: list[dict], scope_kind: str, otif_kpi: str, late_kpi: str) -> list[KpiPoint]:
    """``<otif_kpi>`` = otif_lines / lines and ``<late_kpi>`` = late_lines (a count) per sum row."""
    out: list[KpiPoint] = []
    for r in rows:
        sid, bucket = int(r["scope_id"]), r.get("bucket")
        lines, otif, late = int(r["lines"]), int(r["otif_lines"]), int(r["late_lines"])
        out.append(KpiPoint(otif_kpi, scope_kind, sid, ratio(otif, lines), bucket, {"otif_lines": otif, "lines": lines}))
        out.append(KpiPoint(late_kpi, scope_kind, sid, late, bucket, {"late_lines": late}))
    return out


def stockout_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``stockout_rate`` = stockout_rules / rules per sum row."""
    return [KpiPoint("stockout_rate", scope_kind, int(r["scope_id"]), ratio(r["stockout_rules"], r["rules"]), None,
                     {"stockout_rules": int(r["stockout_rules"]), "rules": int(r["rules"])}) for r in rows]


def turns_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``inventory_turns`` = COGS / average inventory value (None when the average is <= 0) and
    ``dio`` = 365 x average / COGS (None when COGS <= 0); average = inventory_value_sum / samples."""
    out: list[KpiPoint] = []
    for r in rows:
        cogs = float(r["cogs"])
        avg = float(r["inventory_value_sum"]) / int(r["samples"]) if r["samples"] else 0.0
        parts = {"cogs": cogs, "inventory_value_sum": float(r["inventory_value_sum"]), "samples": int(r["samples"]),
                 "average_inventory_value": avg}
        turns = cogs / avg if avg > 0 else None
        dio = DAYS_PER_YEAR * avg / cogs if cogs > 0 else None
        out.append(KpiPoint("inventory_turns", scope_kind, int(r["scope_id"]), turns, None, parts))
        out.append(KpiPoint("dio", scope_kind, int(r["scope_id"]), dio, None, dict(parts)))
    return out



def _require(replica, module: str, why: str) -> None:
    if not replica.info.has(module):
        raise KpiUnavailable(f"Odoo app not installed: {module} ({why})")


def compute_supplier_otif(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``supplier_otif`` family: supplier_otif and late_po_lines, every requested scope kind (a
    tuple, or one kind as a string) from one statement."""
    kinds = requested_kinds(scope_kinds, OTIF_SCOPES, bucket)
    _require(replica, "purchase_stock", "receipts are not linked to purchase lines")
    if not kinds:
        return []
    sums = replica.run(supplier_otif_sums_by_kinds, ctx, kinds, bucket=bucket)
    return [p for kind in kinds for p in otif_points(sums[kind], kind, "supplier_otif", "late_po_lines")]


def compute_customer_otif(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``customer_otif`` family: customer_otif and late_so_lines, every requested scope kind from
    one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, OTIF_SCOPES, customer_otif_sums_by_kinds,
                           lambda rows, kind: otif_points(rows, kind, "customer_otif", "late_so_lines"))


def compute_stockout(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``stockout`` family (a snapshot of now: the period and ``bucket`` do not apply), every
    requested scope kind from one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, STOCKOUT_SCOPES, stockout_sums_by_kinds, stockout_points,
                           series=False)


def compute_inventory_turns(replica, ctx, scope_kind: str, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``inventory_turns`` family: inventory_turns and dio over the 365 days ending D (``ctx.end``;
    ``ctx.start`` does not apply). There is no daily or weekly series of these."""
    check_request(scope_kind, TURNS_SCOPES, bucket)
    if bucket is not None:
        raise KpiUnavailable("inventory turns and DIO have no daily or weekly series")
    return turns_points(replica.run(inventory_turns_sums, ctx, group_by=scope_kind), scope_kind)


register(Family(name="supplier_otif", kpis=("supplier_otif", "late_po_lines"), scopes=OTIF_SCOPES,
                compute=compute_supplier_otif, requires_modules=("purchase",), multi_kind=True))
register(Family(name="customer_otif", kpis=("customer_otif", "late_so_lines"), scopes=OTIF_SCOPES,
                compute=compute_customer_otif, requires_modules=("sale", "sale_stock"), multi_kind=True))
register(Family(name="stockout", kpis=("stockout_rate",), scopes=STOCKOUT_SCOPES, compute=compute_stockout,
                requires_modules=("stock",), snapshot=True, multi_kind=True))
register(Family(name="inventory_turns", kpis=("inventory_turns", "dio"), scopes=TURNS_SCOPES,
                compute=compute_inventory_turns, requires_modules=("stock_account",)))
