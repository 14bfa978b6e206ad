"""Quality KPIs (KPIS.md "Quality"): first pass yield and NC closure days, from raw sums."""
from __future__ import annotations

from dashboard.kpis.production import ratio
from dashboard.kpis.registry import Family, check_request, points_by_kinds, register
from dashboard.kpis.types import KpiPoint, KpiUnavailable
from data_access.queries.quality import fpy_sums_by_kinds, nc_closure_sums

__all__ = ["fpy_points", "nc_closure_points", "compute_fpy", "compute_nc_closure", "QUALITY_MODULES"]

FPY_SCOPES = ("warehouse", "company")
NC_SCOPES = ("company",)
# Enterprise modules that provide quality alerts (quality_control depends on quality).
QUALITY_MODULES = ("quality", "quality_control")


def fpy_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``first_pass_yield`` = (qty_produced - qty_scrapped) / qty_produced per sum row."""
    return [KpiPoint("first_pass_yield", scope_kind, int(r["scope_id"]),
                     ratio(r["qty_produced"] - r["qty_scrapped"], r["qty_produced"]), r.get("bucket"),
                     {k: float(r.get(k) or 0.0) for k in ("qty_produced", "qty_scrapped", "mo_count")})
            for r in rows]


def nc_closure_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``nc_closure_days`` = mean days from creation to closure = days_sum / closed per sum row."""
    return [KpiPoint("nc_closure_days", scope_kind, int(r["scope_id"]), ratio(r["days_sum"], r["closed"]),
                     r.get("bucket"), {k: float(r.get(k) or 0.0) for k in ("days_sum", "closed")})
            for r in rows]


def compute_fpy(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``first_pass_yield`` family, every requested scope kind from one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, FPY_SCOPES, fpy_sums_by_kinds, fpy_points)


def compute_nc_closure(replica, ctx, scope_kind: str, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``nc_closure`` family; ``KpiUnavailable`` unless a quality module with alerts is installed."""
    check_request(scope_kind, NC_SCOPES, bucket)
    if not any(replica.info.has(m) for m in QUALITY_MODULES):
        raise KpiUnavailable("quality module not installed")
    return nc_closure_points(replica.run(nc_closure_sums, ctx, group_by=scope_kind, bucket=bucket), scope_kind)


register(Family(name="first_pass_yield", kpis=("first_pass_yield",), scopes=FPY_SCOPES, compute=compute_fpy,
                requires_modules=("mrp",), multi_kind=True))
# No requires_modules: compute_nc_closure itself reports the missing module with the reason KPIS.md shows.
register(Family(name="nc_closure", kpis=("nc_closure_days",), scopes=NC_SCOPES, compute=compute_nc_closure))
