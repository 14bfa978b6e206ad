"""The KPI engine: runs the registered families for the requested KPIs and scopes, adds status.

One code path for tiles, heat maps, trends and the ``kpis`` command: a series is the same family
computed with a time bucket, so a trend and a tile can never disagree.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from dashboard.kpis import families  # noqa: F401  (registers the built-in families)
from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.registry import FAMILIES, Family
from dashboard.kpis.types import KpiPoint, KpiResult, KpiUnavailable
from data_access.errors import FigureUnavailable
from data_access.queries.dimensions import companies

__all__ = ["evaluate", "unavailable_reason"]

log = logging.getLogger(__name__)


def unavailable_reason(family: Family, modules: frozenset[str]) -> str | None:
    """Why a family cannot run on a database with these installed modules (None: it can)."""
    missing = [m for m in family.requires_modules if m not in modules]
    return f"Odoo app not installed: {', '.join(missing)}" if missing else None


def _accepted_options(fn, options: dict) -> dict:
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return options
    return {k: v for k, v in options.items() if k in params}


_BUCKET_DAYS = {"day": 1, "week": 7}


def _window_days(ctx, bucket: str | None) -> int:
    """Length in days of the window a value covers (the bucket's, else the period's)."""
    if bucket:
        return _BUCKET_DAYS[bucket]
    return max(1, round((ctx.end - ctx.start).total_seconds() / 86400))


def _with_status(point: KpiPoint, catalogue: Catalogue, days: int) -> KpiResult:
    if point.reason:  # the data cannot give this entity a value (e.g. amounts in two currencies)
        return KpiResult(kpi=point.kpi, scope_kind=point.scope_kind, scope_id=point.scope_id, value=None,
                         status="unavailable", bucket=point.bucket, reason=point.reason, parts=point.parts)
    definition = catalogue.for_scope(point.kpi, point.scope_kind, point.scope_id, days)
    return KpiResult(kpi=point.kpi, scope_kind=point.scope_kind, scope_id=point.scope_id, value=point.value,
                     status=definition.status(point.value), bucket=point.bucket, parts=point.parts)


def evaluate(replica, ctx, catalogue: Catalogue, *, kpis: Iterable[str] | None = None,
             scope_kinds: Iterable[str] | None = None, bucket: str | None = None, parallel: int = 1,
             **options) -> list[KpiResult]:
    """Compute KPIs for every entity of the requested scope kinds.

    Returns one ``KpiResult`` per (KPI, entity[, bucket]) with data. A KPI the database cannot support
    (an app not installed) comes back once per company in scope with status ``unavailable`` and the
    reason. ``bucket`` ('day' or 'week') returns series; snapshot KPIs (as of now) have none.
    Database failures propagate as ``data_access.errors.DataError``. ``parallel``: how many families may
    run at once (each on its own connection).
    """
    if bucket not in (None, "day", "week"):
        raise ValueError(f"bad bucket {bucket!r}")
    wanted = set(catalogue.ids() if kpis is None else kpis)
    kinds = None if scope_kinds is None else set(scope_kinds)
    modules = replica.info.modules
    planned = []
    for family in FAMILIES.values():
        family_kpis = [k for k in family.kpis if k in wanted]
        family_kinds = tuple(k for k in family.scopes if kinds is None or k in kinds)
        if not family_kpis or not family_kinds or (bucket and family.snapshot):
            continue
        planned.append((family, family_kpis, family_kinds, unavailable_reason(family, modules)))
    runnable = [(f, k) for f, _, k, reason in planned if reason is None]
    computed = _run_families(runnable, replica, ctx, bucket, options, parallel)
    results: list[KpiResult] = []
    company_ids = None
    days = _window_days(ctx, bucket)
    for family, family_kpis, family_kinds, reason in planned:
        points: list[KpiPoint] = []
        if reason is None:
            points, reason = computed[family.name]
        results.extend(_with_status(p, catalogue, days) for p in points if p.kpi in wanted)
        if reason is not None and "company" in family_kinds and bucket is None:
            if company_ids is None:
                company_ids = list(replica.run(companies, ctx))
            results.extend(KpiResult(kpi=k, scope_kind="company", scope_id=c, value=None, status="unavailable",
                                     reason=reason) for k in family_kpis for c in company_ids)
    return results


def _run_families(runnable, replica, ctx, bucket, options, parallel: int) -> dict[str, tuple[list[KpiPoint], str | None]]:
    """Each family's ``(points, reason)``. Families are independent statements on their own connections:
    up to ``parallel`` run at once, so a cold page waits for the slowest family, not for their sum (the
    replica's cores work together; the pool holds ``pool_size`` + 5 connections). The first database error
    propagates once every started family has ended."""
    if parallel <= 1 or len(runnable) <= 1:
        return {f.name: _family_points(f, replica, ctx, kinds, bucket, options) for f, kinds in runnable}
    with ThreadPoolExecutor(max_workers=min(parallel, len(runnable)), thread_name_prefix="kpi-family") as pool:
        futures = {f.name: pool.submit(_family_points, f, replica, ctx, kinds, bucket, options) for f, kinds in runnable}
        return {name: future.result() for name, future in futures.items()}


def _family_points(family: Family, replica, ctx, kinds: tuple[str, ...], bucket, options) -> tuple[list[KpiPoint], str | None]:
    """``(points, None)`` of every requested scope kind, or the points computed before the family said it
    cannot run and that reason. A ``multi_kind`` family answers all kinds at once (one statement, no work
    repeated per kind); another is asked kind by kind."""
    fn_options = _accepted_options(family.compute, options)
    points: list[KpiPoint] = []
    try:
        if family.multi_kind:
            return list(family.compute(replica, ctx, kinds, bucket, **fn_options)), None
        for kind in kinds:
            points.extend(family.compute(replica, ctx, kind, bucket, **fn_options))
    except KpiUnavailable as error:
        return points, str(error)
    except FigureUnavailable as error:  # the source (e.g. Odoo's API) cannot give a figure this family needs
        log.info("%s unavailable: %s", family.name, error.detail)
        return points, error.detail
    return points, None
