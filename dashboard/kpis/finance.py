"""Finance KPIs (KPIS.md "Finance") from the raw sums of ``data_access.queries.finance``.

Pure functions turn sum rows into ``KpiPoint``s; the families registered at the bottom fetch the
sums through the replica. ``KpiPoint.parts`` carries the sums (rollups pool them).
"""
from __future__ import annotations

from dashboard.kpis.registry import Family, points_by_kinds, register
from dashboard.kpis.types import KpiPoint
from data_access.queries.finance import gross_margin_sums_by_kinds, overdue_sums_by_kinds

__all__ = ["margin_points", "overdue_points", "compute_gross_margin", "compute_overdue"]

MARGIN_SCOPES = ("company", "product", "partner")
OVERDUE_SCOPES = ("company", "partner")


def margin_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``gross_margin_pct`` = (revenue - cogs) / revenue per sum row; None when revenue <= 0."""
    out = []
    for r in rows:
        revenue, cogs = float(r["revenue"]), float(r["cogs"])
        value = (revenue - cogs) / revenue if revenue > 0 else None
        out.append(KpiPoint("gross_margin_pct", scope_kind, int(r["scope_id"]), value, r.get("bucket"),
                            {"revenue": revenue, "cogs": cogs}))
    return out


def overdue_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``overdue_receivables`` = the residual sum per row (an amount: 0 is a real value, not no data)."""
    return [KpiPoint("overdue_receivables", scope_kind, int(r["scope_id"]), float(r["residual"]), None,
                     {"residual": float(r["residual"]), "invoices": int(r["invoices"])}) for r in rows]


def compute_gross_margin(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``gross_margin`` family, every requested scope kind from one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, MARGIN_SCOPES, gross_margin_sums_by_kinds, margin_points)


def compute_overdue(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``overdue_receivables`` family (as of D; no series), every requested scope kind from one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, OVERDUE_SCOPES, overdue_sums_by_kinds, overdue_points,
                           series=False)


register(Family(name="gross_margin", kpis=("gross_margin_pct",), scopes=MARGIN_SCOPES, compute=compute_gross_margin,
                requires_modules=("account",), multi_kind=True))
register(Family(name="overdue_receivables", kpis=("overdue_receivables",), scopes=OVERDUE_SCOPES,
                compute=compute_overdue, requires_modules=("account",), snapshot=True, multi_kind=True))
