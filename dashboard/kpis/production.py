"""Production KPIs (KPIS.md "Production") from the raw sums of ``data_access.queries.production``.

Pure functions turn sum rows into ``KpiPoint``s; the families at the bottom fetch the sums through
the replica. ``KpiPoint.parts`` carries the sums so a tooltip can show numerator and denominator.
"""
from __future__ import annotations

from dashboard.kpis.registry import BUCKETS, Family, check_request, points_by_kinds, register, requested_kinds  # noqa: F401 (re-exported)
from dashboard.kpis.types import KpiPoint
from data_access.queries.production import oee_sums_by_kinds, schedule_adherence_sums_by_kinds

__all__ = ["BUCKETS", "ratio", "oee_points", "adherence_points", "requested_kinds", "compute_oee", "compute_adherence",
           "OEE_KPIS", "OEE_SCOPES", "ADHERENCE_SCOPES"]

OEE_KPIS = ("oee_availability", "oee_performance", "oee_quality", "oee", "downtime_hours")
OEE_SCOPES = ("workcenter", "warehouse", "company")
ADHERENCE_SCOPES = ("warehouse", "company")


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``; None when the denominator is zero (never 0 or 1)."""
    if not denominator:
        return None
    return numerator / denominator


def _parts(row: dict, keys) -> dict:
    return {k: float(row.get(k) or 0.0) for k in keys}


def oee_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """Availability, performance (capped at 1), quality, OEE and downtime hours per sum row.

    availability = productive_min / total_min; performance = min(1, expected_min / real_min);
    quality = (qty_produced - qty_scrapped) / qty_produced; oee = their product (None if any is
    None); downtime_hours = availability_loss_min / 60.
    """
    out: list[KpiPoint] = []
    for r in rows:
        sid, bucket = int(r["scope_id"]), r.get("bucket")
        avail = ratio(r["productive_min"], r["total_min"])
        perf = ratio(r["expected_min"], r["real_min"])
        if perf is not None:
            perf = min(perf, 1.0)
        qual = ratio(r["qty_produced"] - r["qty_scrapped"], r["qty_produced"])
        oee = None if None in (avail, perf, qual) else avail * perf * qual
        values = {
            "oee_availability": (avail, ("productive_min", "total_min")),
            "oee_performance": (perf, ("expected_min", "real_min")),
            "oee_quality": (qual, ("qty_produced", "qty_scrapped")),
            "oee": (oee, ("productive_min", "total_min", "expected_min", "real_min", "qty_produced", "qty_scrapped")),
            "downtime_hours": (r["availability_loss_min"] / 60.0, ("availability_loss_min",)),
        }
        for kpi in OEE_KPIS:
            value, keys = values[kpi]
            out.append(KpiPoint(kpi, scope_kind, sid, value, bucket, _parts(r, keys)))
    return out


def adherence_points(rows: list[dict], scope_kind: str) -> list[KpiPoint]:
    """``schedule_adherence`` = on_time / total per sum row."""
    return [KpiPoint("schedule_adherence", scope_kind, int(r["scope_id"]), ratio(r["on_time"], r["total"]),
                     r.get("bucket"), _parts(r, ("on_time", "total"))) for r in rows]


def compute_oee(replica, ctx, scope_kinds, bucket: str | None = None, *, pins=None, **_options) -> list[KpiPoint]:
    """The ``production_oee`` family, every requested scope kind from one statement; ``pins`` is
    ``{workcenter_id: warehouse_id}`` from the settings."""
    pin_pairs = tuple(sorted((int(wc), int(wh)) for wc, wh in (pins or {}).items()))
    return points_by_kinds(replica, ctx, scope_kinds, bucket, OEE_SCOPES, oee_sums_by_kinds, oee_points, pins=pin_pairs)


def compute_adherence(replica, ctx, scope_kinds, bucket: str | None = None, **_options) -> list[KpiPoint]:
    """The ``schedule_adherence`` family, every requested scope kind from one statement."""
    return points_by_kinds(replica, ctx, scope_kinds, bucket, ADHERENCE_SCOPES, schedule_adherence_sums_by_kinds,
                           adherence_points)


register(Family(name="production_oee", kpis=OEE_KPIS, scopes=OEE_SCOPES, compute=compute_oee,
                requires_modules=("mrp",), multi_kind=True))
register(Family(name="schedule_adherence", kpis=("schedule_adherence",), scopes=ADHERENCE_SCOPES,
                compute=compute_adherence, requires_modules=("mrp",), multi_kind=True))
