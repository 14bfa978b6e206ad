"""Finance KPIs (KPIS.md "Finance") from the raw sums of ``data_access.queries.finance``.

Pure functions turn sum rows into ``KpiPoint``s; the families registered at the bottom fetch the
sums through the replica. ``KpiPoint.parts`` carries the sums (rollups pool them) and the currencies.

(v2) A partner or product whose rows are in more than one company currency has no value: its point
carries ``reason`` ("amounts in more than one company currency: EUR, USD") and the engine reports it
``unavailable``; ``parts["by_currency"]`` keeps each currency's sums for a drill to show.
"""
from __future__ import annotations

from dashboard.kpis.registry import Family, points_by_kinds, register
from dashboard.kpis.types import KpiPoint
from data_access.queries.finance import gross_margin_sums_by_kinds, overdue_sums_by_kinds

__all__ = ["margin_points", "overdue_points", "compute_gross_margin", "compute_overdue", "mixed_currency_reason",
           "margin_value"]

MARGIN_SCOPES = ("company", "product", "partner")
OVERDUE_SCOPES = ("company", "partner")


def mixed_currency_reason(currencies) -> str | None:
    """Why amounts in these company currencies (ISO codes) have no sum; None when there is one currency."""
    codes = sorted(set(currencies))
    return f"amounts in more than one company currency: {', '.join(codes)}" if len(codes) > 1 else None


def margin_value(revenue: float, cogs: float) -> float | None:
    """``gross_margin_pct`` of the sums: (revenue - cogs) / revenue; None when revenue <= 0."""
    return (revenue - cogs) / revenue if revenue > 0 else None


def _parts(r: dict, measures, **more) -> dict:
    currencies = r.get("currencies") or []
    sums = {m: None if r[m] is None else float(r[m]) for m in measures}
    return {**sums, **more, "currencies": list(currencies), "by_currency": r.get("by_currency") or {}}


def margin_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``gross_margin_pct`` = (revenue - cogs) / revenue per sum row; None when revenue <= 0; no value
    (a ``reason``) when the row's amounts are in more than one currency."""
    out = []
    for r in rows:
        reason = mixed_currency_reason(r.get("currencies") or [])
        parts = _parts(r, ("revenue", "cogs"))
        value = None if reason else margin_value(parts["revenue"], parts["cogs"])
        out.append(KpiPoint("gross_margin_pct", scope_kind, int(r["scope_id"]), value, r.get("bucket"), parts, reason))
    return out


def overdue_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``overdue_receivables`` = the residual sum per row (an amount: 0 is a real value, not no data); no value
    (a ``reason``) when the row's moves are in more than one currency."""
    out = []
    for r in rows:
        reason = mixed_currency_reason(r.get("currencies") or [])
        parts = _parts(r, ("residual",), invoices=int(r["invoices"]))
        out.append(KpiPoint("overdue_receivables", scope_kind, int(r["scope_id"]), None if reason else parts["residual"],
                            None, parts, reason))
    return out


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
