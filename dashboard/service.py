"""What pages call: KPI results, series, drill rows and data health, cached per role and scope.

Every function takes the caller's ``Access`` (derived on the server) and folds its role and scope
into both the query (company/site restriction) and the cache key, so one scope's aggregates never
reach another. Results are plain JSON-able data with the time they were computed ("data as of").
Errors are not cached: a failed query raises ``DataError`` and the next call tries again.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime, timezone

from dashboard.auth.access import Access
from dashboard.extensions import cache, state
from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period

log = logging.getLogger(__name__)

__all__ = ["kpi_results", "data_health", "catalogue", "scope_context", "run_query", "today"]


def catalogue() -> Catalogue:
    return Catalogue(state().settings.kpi_overrides_dict())


def today() -> date:
    """Today in the display zone (the default as-of day)."""
    return datetime.now(timezone.utc).astimezone(state().settings.zone).date()


def scope_context(access: Access, as_of: date, days: int):
    """The QueryContext of a period restricted to what ``access`` may see."""
    settings = state().settings
    return Period(as_of, days, settings.timezone).context(access.company_ids, access.warehouse_ids, settings.lang)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@cache.memoize()
def _kpi_results(role: str, company_ids, warehouse_ids, as_of: str, days: int, kpis, scope_kinds, bucket) -> dict:
    st = state()
    ctx = Period(date.fromisoformat(as_of), days, st.settings.timezone).context(company_ids, warehouse_ids, st.settings.lang)
    pins = st.settings.workcenter_site_pins()
    results = evaluate(st.replica, ctx, catalogue(), kpis=kpis, scope_kinds=scope_kinds, bucket=bucket, pins=pins)
    return {"computed_at": _now(), "results": [r.as_dict() for r in results]}


def kpi_results(access: Access, as_of: date, days: int, *, kpis=None, scope_kinds=None, bucket=None) -> dict:
    """``{"computed_at": iso, "results": [KpiResult as dict, ...]}`` for the caller's scope."""
    return _kpi_results(access.role, access.company_ids, access.warehouse_ids, as_of.isoformat(), int(days),
                        None if kpis is None else tuple(kpis), None if scope_kinds is None else tuple(scope_kinds), bucket)


def _query_key(fn, access: Access, as_of: date, days: int, kwargs: dict) -> str:
    """Stable across workers: the function's dotted name, role, scope and arguments (never an object repr)."""
    raw = json.dumps([f"{fn.__module__}.{fn.__qualname__}", access.role, access.company_ids, access.warehouse_ids,
                      as_of.isoformat(), int(days), sorted(kwargs.items())], default=str)
    return "query:" + hashlib.sha256(raw.encode()).hexdigest()


def run_query(access: Access, fn, as_of: date, days: int, **kwargs):
    """Run a data_access query ``fn(conn, schema, ctx, **kwargs)`` in the caller's scope, cached per role
    and scope. A cache that is down is skipped (fail open); errors are never cached."""
    key = _query_key(fn, access, as_of, days, kwargs)
    try:
        hit = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        log.warning("cache read failed for %s", fn.__qualname__, exc_info=True)
        hit = None
    if hit is not None:
        return hit
    rows = state().replica.run(fn, scope_context(access, as_of, days), **kwargs)
    try:
        cache.set(key, rows)
    except Exception:  # noqa: BLE001
        log.warning("cache write failed for %s", fn.__qualname__, exc_info=True)
    return rows


@cache.memoize(timeout=60)
def _data_health(company_ids) -> dict:
    from data_access.odoo_meta import APPS_THAT_MATTER
    from data_access.queries.health import newest_writes, replica_lag_seconds, table_rows

    replica = state().replica
    info = replica.info
    with replica.connect("data health") as conn:
        rows = table_rows(conn, replica.schema)
        fresh = newest_writes(conn, replica.schema)
        standby, lag = replica_lag_seconds(conn)
    return {
        "computed_at": _now(),
        "odoo_series": info.series,
        "base_version": info.base_version,
        "edition": "Enterprise" if info.enterprise else "Community",
        "apps": [{"name": name, "purpose": purpose, "installed": info.has(name)} for name, purpose in APPS_THAT_MATTER.items()],
        "tables": rows,
        "newest_writes": {k: (v.isoformat(sep=" ", timespec="minutes") if v else None) for k, v in fresh.items()},
        "standby": standby,
        "lag_seconds": lag,
    }


def data_health(access: Access) -> dict:
    """Odoo version, apps, table sizes, freshness per domain and replica lag."""
    return _data_health(access.company_ids)
