"""THE data API of pages and TV panels: KPI results, dimensions, drill rows and data health, cached per
role and scope. Pages import this module and never ``data_access``.

Every function takes the caller's ``Access`` (derived on the server) and folds its role and scope
into both the query (company/site restriction) and the cache key, so one scope's aggregates never
reach another. Results are plain JSON-able data with the time they were computed ("data as of").
Errors are not cached: a failed query raises ``DataError`` and the next call tries again.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, date, datetime

from dashboard.auth.access import Access
from dashboard.extensions import cache, state
from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from data_access.errors import DataError
from data_access.queries import dimensions, production, production_drill

log = logging.getLogger(__name__)

__all__ = ["DataError", "kpi_results", "data_health", "catalogue", "scope_context", "today", "sites", "companies",
           "partners", "workcenters", "workcenter_sites", "workcenter_in_scope", "late_mos", "workcenter_workorders",
           "workorder_detail", "downtime_pareto", "settings", "rendered"]


def settings():
    """The app's settings (display zone, Odoo base URL, ...)."""
    return state().settings


def catalogue() -> Catalogue:
    return Catalogue(state().settings.kpi_overrides_dict())


def today() -> date:
    """Today in the display zone (the default as-of day)."""
    return datetime.now(UTC).astimezone(state().settings.zone).date()


def scope_context(access: Access, as_of: date, days: int):
    """The QueryContext of a period restricted to what ``access`` may see."""
    settings = state().settings
    return Period(as_of, days, settings.timezone).context(access.company_ids, access.warehouse_ids, settings.lang)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


def _run_query(access: Access, fn, as_of: date, days: int, **kwargs):
    """Run a data_access query ``fn(conn, schema, ctx, **kwargs)`` in the caller's scope, cached per role
    and scope. A cache that is down is skipped (fail open); errors are never cached."""
    key = _query_key(fn, access, as_of, days, kwargs)
    hit = _cache_get(key)
    if hit is not None:
        return hit
    rows = state().replica.run(fn, scope_context(access, as_of, days), **kwargs)
    _cache_set(key, rows)
    return rows


def rendered(name: str, access: Access, parts, build):
    """The output of ``build()`` (a figure dict, table rows, a component tree: anything picklable), cached
    per ``name``, role, scope and ``parts`` (the callback's validated inputs, JSON-able), so a figure is
    built once per scope and period, not once per viewer. Errors are not cached."""
    raw = json.dumps(["rendered", name, access.role, access.company_ids, access.warehouse_ids, parts], default=str)
    key = "rendered:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = _cache_get(key)
    if hit is not None:
        return hit
    value = build()
    _cache_set(key, value)
    return value


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        log.warning("cache read failed for %s", key, exc_info=True)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("cache write failed for %s", key, exc_info=True)


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


# Dimensions and drill rows: named functions with plain arguments, each cached per role and scope.

def sites(access: Access, as_of: date, days: int) -> dict[int, dict]:
    """The sites (warehouses) the caller may see: ``{id: {"name", "code", "company_id"}}``."""
    return {i: s for i, s in _run_query(access, dimensions.warehouses, as_of, days).items() if access.allows_warehouse(i)}


def companies(access: Access) -> dict[int, dict]:
    """The companies in the caller's scope: ``{id: {"name", "currency", ...}}``."""
    return _run_query(access, dimensions.companies, today(), 1)


def partners(access: Access, ids) -> dict[int, dict]:
    """Names of the given partners (``{id: {"name"}}``)."""
    return _run_query(access, dimensions.partners, today(), 1, ids=sorted(int(i) for i in ids))


def workcenters(access: Access, ids) -> dict[int, dict]:
    """Names of the given work centers (``{id: {"name", ...}}``), only those in the caller's companies."""
    return _run_query(access, dimensions.workcenters, today(), 1, ids=sorted(int(i) for i in ids))


def workcenter_sites(access: Access, as_of: date, days: int) -> dict[int, int]:
    """``{work center id: site id}``: the site most of its work orders belong to, unless pinned."""
    return _run_query(access, production.workcenter_sites, as_of, days, pins=state().settings.workcenter_site_pins())


def workcenter_in_scope(access: Access, workcenter_id: int, as_of: date, days: int):
    """``(work center, site id, site)`` when the caller may see this work center, else None (unknown and
    out of scope are never told apart). ``site`` is None for a work center with no site yet."""
    found = workcenters(access, [workcenter_id])
    if workcenter_id not in found:
        return None
    site_id = workcenter_sites(access, as_of, days).get(workcenter_id)
    site = sites(access, as_of, days).get(site_id) if site_id is not None else None
    if access.warehouse_ids is not None and site is None:
        return None
    return found[workcenter_id], site_id, site


def late_mos(access: Access, as_of: date, days: int, site: int, limit: int = 200) -> list[dict]:
    """MOs of a site late in the period: done late, open past their deadline, at risk (worst first)."""
    return _run_query(access, production_drill.late_mos, as_of, days, warehouse_id=site, limit=limit)


def workcenter_workorders(access: Access, as_of: date, days: int, workcenter_id: int, limit: int = 500) -> list[dict]:
    """The work orders of a work center started or finished in the period (latest first)."""
    return _run_query(access, production_drill.workcenter_workorders, as_of, days, workcenter_id=workcenter_id,
                      limit=limit)


def downtime_pareto(access: Access, as_of: date, days: int, workcenter_id: int) -> list[dict]:
    """Lost minutes per Odoo loss reason of a work center in the period."""
    return _run_query(access, production_drill.downtime_pareto, as_of, days, workcenter_id=workcenter_id)


def workorder_detail(access: Access, workorder_id: int, as_of: date, days: int) -> dict | None:
    """One work order with its MO, time logs and scraps, or None when unknown or out of the caller's
    companies (cached per role and scope like every drill)."""
    st = state()
    key = _query_key(production_drill.workorder_detail, access, as_of, days, {"workorder_id": workorder_id})
    hit = _cache_get(key)
    if hit is not None:
        return hit.get("detail")
    detail = st.replica.run(production_drill.workorder_detail, workorder_id=int(workorder_id), lang=st.settings.lang,
                            company_ids=access.company_ids)
    _cache_set(key, {"detail": detail})
    return detail
