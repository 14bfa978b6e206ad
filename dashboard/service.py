"""THE data API of pages and TV panels: KPI results, dimensions, drill rows and data health, cached per
role and scope. Pages import this module and never ``data_access``.

Every function takes the caller's ``Access`` (derived on the server) and folds its role and scope
into both the query (company/site restriction) and the cache key, so one scope's aggregates never
reach another. Results are plain JSON-able data; KPI results and data health carry the time they were
computed ("data as of"), which stays true when a stale value is served.

Caching (``dashboard.cache``): each function has a data domain whose TTL comes from the catalogue's
``DOMAIN_TTL`` (``kpi_results``: the shortest among its KPIs'); a miss is computed once across workers while
the other callers wait for it; past its TTL a value is served at once while one caller refreshes it.
Errors are not cached: a failed query raises ``DataError`` and the next call tries again (a stale value,
if there is one, keeps being served, with a logged warning).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from flask import g, has_request_context

from dashboard.auth.access import Access
from dashboard.cache import Hit, in_background
from dashboard.extensions import cache, state
from dashboard.kpis.catalogue import CATALOGUE, DOMAIN_TTL, Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from data_access.errors import DataError
from data_access.queries import dimensions, production, production_drill

log = logging.getLogger(__name__)

__all__ = ["DataError", "kpi_results", "kpi_source", "query_source", "data_health", "catalogue", "scope_context", "today", "sites", "companies",
           "partners", "workcenters", "workcenter_sites", "workcenter_in_scope", "late_mos", "workcenter_workorders",
           "workorder_detail", "downtime_pareto", "settings", "rendered", "domain_ttl", "kpi_ttl"]


_API_SOURCES: dict = {}


def kpi_source():
    """Where the KPI engine reads: the replica, or (setting ``data_path`` = api) Odoo's API as
    ``odoo_api_login``, one source per process and Odoo target. The pages cannot tell which ran."""
    st = state()
    s = st.settings
    if s.data_path != "api":
        return st.replica
    key = (s.odoo_url, s.odoo_db, s.odoo_api_login, s.odoo_transport)
    source = _API_SOURCES.get(key)
    if source is None:
        from data_access.odoo_api import OdooClient
        from data_access.odoo_api.kpi_source import ApiSource

        client = OdooClient(s.odoo_url, s.odoo_db, transport=s.odoo_transport, timeout=float(s.odoo_timeout_s))
        source = _API_SOURCES.setdefault(key, ApiSource(client, login=s.odoo_api_login, password=s.odoo_api_password))
    return source


def query_source(fn):
    """Where a data_access query ``fn`` runs: on the API path (``data_path`` = api) the dimension lists with an
    API twin (``data_access.odoo_api.dimensions.API_DIMENSIONS``) read Odoo's API like the KPIs, so names and
    scope agree with them; every other query reads the replica, which without a replica URL refuses with
    ``NeedsReplica`` (a ``DataError`` the pages show as a message), never the demo replica."""
    st = state()
    if st.settings.data_path == "api":
        from data_access.odoo_api.dimensions import API_DIMENSIONS

        if fn in API_DIMENSIONS:
            return kpi_source()
    return st.replica


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


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).replace(microsecond=0).isoformat()


# --- caching -----------------------------------------------------------------------------------------------

def domain_ttl(domain: str | None) -> int:
    """Seconds a result of ``domain`` is fresh: the catalogue's ``DOMAIN_TTL``, else the ``cache_ttl_s`` setting."""
    return DOMAIN_TTL.get(domain, state().settings.cache_ttl_s) if domain else state().settings.cache_ttl_s


def kpi_ttl(kpis: Iterable[str] | None) -> int:
    """The TTL of a ``kpi_results`` call: the shortest among its KPIs' domains (every KPI when None)."""
    ids = CATALOGUE if kpis is None else kpis
    return min((domain_ttl(CATALOGUE[k].domain if k in CATALOGUE else None) for k in ids), default=domain_ttl(None))


def _fetch_named(function: str, access: Access, arguments: dict, ttl: float, compute: Callable) -> tuple[Hit, list]:
    """``compute()``'s cache hit under ``function``, the caller's role and scope and ``arguments`` (plain data),
    and the value's identity: ``[key, computed_at]``."""
    bound = cache.current
    key = bound.key(function, access.role, access.company_ids, access.warehouse_ids, arguments)
    hit = bound.fetch(key, ttl, compute)
    return hit, [key, hit.computed_at]


def _fetch(function: str, access: Access, arguments: dict, ttl: float, compute: Callable) -> Hit:
    """``compute()``'s cache hit under ``function``, the caller's role and scope and ``arguments`` (plain data)."""
    return _fetch_named(function, access, arguments, ttl, compute)[0]


def _known(value, identity: list):
    """``value``, noted for this request as the cached value ``identity`` names: ``rendered`` keys an output
    on that identity instead of serialising the data again (the whole data of a finance page at scale 100
    cost 60 to 110 ms a view to hash)."""
    if value is not None and has_request_context():
        sources = g.setdefault("service_sources", {})
        sources[id(value)] = (value, identity)  # the value is held, so its id is not reused in this request
    return value


def _identities(parts):
    """``parts`` with each top-level value that a service call returned in this request replaced by its
    identity (the cache key and when it was computed: the same data, named in a few bytes)."""
    sources = g.get("service_sources") if has_request_context() else None
    if not sources:
        return parts

    def named(value):
        known = sources.get(id(value))
        return {"cached": known[1]} if known is not None and known[0] is value else value

    if isinstance(parts, dict):
        return {k: named(v) for k, v in parts.items()}
    if isinstance(parts, (list, tuple)):
        return [named(v) for v in parts]
    return parts


def _cached(function: str, access: Access, arguments: dict, ttl: float, compute: Callable):
    """``compute()`` cached under ``function``, the caller's role and scope and ``arguments`` (plain data)."""
    hit, identity = _fetch_named(function, access, arguments, ttl, compute)
    return _known(hit.value, identity)


def _stamped(hit: Hit) -> dict | None:
    """A payload that carries its ``computed_at``, with how stale it is as served: ``stale_since`` (ISO UTC, or
    None while it is current: see ``Hit.stale_since``) and ``refresh_failed`` (the replica could not refresh it;
    the last good value is shown). None stays None."""
    if hit.value is None:
        return None
    since = hit.stale_since()
    return {**hit.value, "stale_since": None if since is None else _iso(since), "refresh_failed": hit.failed_at is not None}


def kpi_results(access: Access, as_of: date, days: int, *, kpis=None, scope_kinds=None, bucket=None) -> dict:
    """``{"computed_at": iso, "results": [KpiResult as dict, ...], "stale_since", "refresh_failed"}`` for the
    caller's scope (see ``_stamped``)."""
    kpis = None if kpis is None else tuple(kpis)
    scope_kinds = None if scope_kinds is None else tuple(scope_kinds)
    days = int(days)

    def compute() -> dict:
        st = state()
        ctx = scope_context(access, as_of, days)
        pins = st.settings.workcenter_site_pins()
        source = kpi_source()
        parallel = 1 if in_background() or source is not st.replica else st.settings.kpi_parallel
        results = evaluate(source, ctx, catalogue(), kpis=kpis, scope_kinds=scope_kinds, bucket=bucket, pins=pins,
                           parallel=parallel)
        return {"computed_at": _now(), "results": [r.as_dict() for r in results]}

    arguments = {"as_of": as_of, "days": days, "kpis": kpis, "scope_kinds": scope_kinds, "bucket": bucket}
    hit, identity = _fetch_named("kpi_results", access, arguments, kpi_ttl(kpis), compute)
    return _known(_stamped(hit), identity)


def _run_query(access: Access, fn, as_of: date, days: int, *, domain: str, **kwargs):
    """Run a data_access query ``fn(conn, schema, ctx, **kwargs)`` in the caller's scope, cached per role
    and scope for ``domain``'s TTL. A cache that is down is skipped (fail open); errors are never cached."""
    arguments = {"as_of": as_of, "days": int(days), **kwargs}
    return _cached(f"{fn.__module__}.{fn.__qualname__}", access, arguments, domain_ttl(domain),
                   lambda: query_source(fn).run(fn, scope_context(access, as_of, days), **kwargs))


def rendered(name: str, access: Access, parts, build, *, domain: str | None = None):
    """The output of ``build()`` (a figure dict, table rows, a component tree: anything picklable), cached
    per ``name``, role, scope and ``parts`` (the callback's validated inputs, plain JSON-able data), so a
    figure is built once per scope and period, not once per viewer. It is fresh for ``domain``'s TTL (the
    ``cache_ttl_s`` setting without one); after that the old output is served while one caller rebuilds it
    in the background, in the app context but outside the request, so ``build`` must depend on its closure
    and service calls only. Include the data's ``computed_at`` in ``parts`` when a figure must never be
    rebuilt from data older than itself. Errors are not cached."""
    return _cached(f"rendered:{name}", access, {"parts": _identities(parts)}, domain_ttl(domain), build)


WRITE_WINDOW_DAYS = 30  # how far back the newest Odoo write is looked for (write_date is period-bounded)


def _data_health(access: Access) -> dict:
    from data_access.odoo_meta import APPS_THAT_MATTER
    from data_access.queries.health import newest_writes, replica_lag_seconds, table_rows

    replica = state().replica
    info = replica.info
    since = (datetime.now(UTC) - timedelta(days=WRITE_WINDOW_DAYS)).replace(tzinfo=None)
    with replica.connect("data health") as conn:
        rows = table_rows(conn, replica.schema)
        fresh = newest_writes(conn, replica.schema, since, access.company_ids, access.warehouse_ids)
        standby, lag = replica_lag_seconds(conn)
    newest = max((v for v in fresh.values() if v is not None), default=None)
    return {
        "computed_at": _now(),
        "odoo_series": info.series,
        "base_version": info.base_version,
        "edition": "Enterprise" if info.enterprise else "Community",
        "apps": [{"name": name, "purpose": purpose, "installed": info.has(name)} for name, purpose in APPS_THAT_MATTER.items()],
        "tables": rows,
        "newest_writes": {k: (v.isoformat(sep=" ", timespec="minutes") if v else None) for k, v in fresh.items()},
        "newest_write": newest.replace(tzinfo=UTC).isoformat(timespec="seconds") if newest else None,
        "write_window_days": WRITE_WINDOW_DAYS,
        "standby": standby,
        "lag_seconds": lag,
    }


def data_health(access: Access) -> dict:
    """Odoo version, apps, table sizes, the replica's own age in the caller's scope (newest Odoo write per domain
    and overall, within ``WRITE_WINDOW_DAYS``, of the caller's companies and sites only) and the standby's replay
    lag, stamped like ``kpi_results`` (``stale_since``, ``refresh_failed``)."""
    return _stamped(_fetch("data_health", access, {}, domain_ttl("health"), lambda: _data_health(access)))


# Dimensions and drill rows: named functions with plain arguments, each cached per role and scope.

def sites(access: Access, as_of: date, days: int) -> dict[int, dict]:
    """The sites (warehouses) the caller may see: ``{id: {"name", "code", "company_id"}}``."""
    return {i: s for i, s in _run_query(access, dimensions.warehouses, as_of, days, domain="dimensions").items() if access.allows_warehouse(i)}


def companies(access: Access) -> dict[int, dict]:
    """The companies in the caller's scope: ``{id: {"name", "currency", ...}}``."""
    return _run_query(access, dimensions.companies, today(), 1, domain="dimensions")


def partners(access: Access, ids) -> dict[int, dict]:
    """Names of the given partners (``{id: {"name"}}``)."""
    return _run_query(access, dimensions.partners, today(), 1, domain="dimensions", ids=sorted(int(i) for i in ids))


def workcenters(access: Access, ids) -> dict[int, dict]:
    """Names of the given work centers (``{id: {"name", ...}}``), only those in the caller's companies."""
    return _run_query(access, dimensions.workcenters, today(), 1, domain="dimensions", ids=sorted(int(i) for i in ids))


def workcenter_sites(access: Access, as_of: date, days: int) -> dict[int, int]:
    """``{work center id: site id}``: the site most of its work orders belong to, unless pinned."""
    return _run_query(access, production.workcenter_sites, as_of, days, domain="dimensions",
                      pins=state().settings.workcenter_site_pins())


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
    return _run_query(access, production_drill.late_mos, as_of, days, domain="production", warehouse_id=site, limit=limit)


def workcenter_workorders(access: Access, as_of: date, days: int, workcenter_id: int, limit: int = 500) -> list[dict]:
    """The work orders of a work center started or finished in the period (latest first)."""
    return _run_query(access, production_drill.workcenter_workorders, as_of, days, domain="production",
                      workcenter_id=workcenter_id, limit=limit)


def downtime_pareto(access: Access, as_of: date, days: int, workcenter_id: int) -> list[dict]:
    """Lost minutes per Odoo loss reason of a work center in the period."""
    return _run_query(access, production_drill.downtime_pareto, as_of, days, domain="production",
                      workcenter_id=workcenter_id)


def workorder_detail(access: Access, workorder_id: int, as_of: date, days: int) -> dict | None:
    """One work order with its MO, time logs and scraps, or None when unknown or out of the caller's
    companies (cached per role and scope like every drill)."""
    st = state()
    return _cached("workorder_detail", access, {"workorder_id": int(workorder_id), "as_of": as_of, "days": int(days)},
                   domain_ttl("production"),
                   lambda: st.replica.run(production_drill.workorder_detail, workorder_id=int(workorder_id),
                                          lang=st.settings.lang, company_ids=access.company_ids))
