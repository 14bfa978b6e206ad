"""The TV boards' data API: one site's work center activity, output against plan, OEE of this shift and of
today, downtime, exceptions and schedule adherence, each cached per role and scope like ``dashboard.service``
(pages import this module and never ``data_access``).

Every TV of a site opens its board as the same role and scope (``display_session.board_access``: plant, the
site and its company), and no argument here depends on the moment of the request beyond today's date and
the current shift, so the cache keys are the same for all of them: one replica query per site and TTL, not
one per TV. The TTL is the production domain's (a minute); past it a value is served stale while one caller
refreshes it. Payloads carry ``computed_at`` (and ``stale_since``/``refresh_failed`` as served), for the
board's "data as of".
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from dashboard.auth.access import Access
from dashboard.extensions import state
from dashboard.kpis.catalogue import HEADLINE_SITE_KPIS
from dashboard.kpis.engine import evaluate
from dashboard.service import _fetch, _now, _stamped, catalogue, domain_ttl, kpi_results, kpi_source, late_mos, scope_context
from dashboard.shifts import Shift, current_shift, parse_shifts
from data_access.context import QueryContext
from data_access.queries import production_drill, tv

__all__ = ["EXCEPTION_DAYS", "TODAY_KPIS", "SHIFT_KPIS", "LATE_LIMIT", "shift_now", "workcenter_activity", "output_today",
           "downtime_today", "today_kpis", "shift_kpis", "site_exceptions", "late_today", "board_data"]

DOMAIN = "production"
EXCEPTION_DAYS = 30  # the executive page's default period: the exceptions a site's board lists are the same
SHIFT_KPIS = ("oee", "oee_availability", "oee_performance", "oee_quality", "downtime_hours")
TODAY_KPIS = SHIFT_KPIS + ("schedule_adherence",)  # the plant page's site KPIs: a 1-day plant view shares them
LATE_LIMIT = 200  # the late MOs a board counts


def _pins() -> list[list[int]]:
    return sorted([wc, wh] for wc, wh in state().settings.workcenter_site_pins().items())


def shift_now(now: datetime | None = None) -> Shift:
    """The shift the present moment (or ``now``, aware) falls in, from the ``tv_shifts`` setting."""
    settings = state().settings
    return current_shift(now or datetime.now(UTC), parse_shifts(settings.tv_shifts), settings.zone)


def _site_call(name: str, access: Access, day: date, arguments: dict, query, **kwargs) -> dict:
    """``{"computed_at", "rows", "stale_since", "refresh_failed"}`` of ``query(conn, schema, ctx, **kwargs)`` over
    the local day ``day`` in the caller's scope, cached per role, scope and ``arguments``."""
    def compute() -> dict:
        rows = state().replica.run(query, scope_context(access, day, 1), **kwargs)
        return {"computed_at": _now(), "rows": rows}

    return _stamped(_fetch(f"tv.{name}", access, {"day": day, **arguments}, domain_ttl(DOMAIN), compute))


def workcenter_activity(access: Access, site_id: int, workcenter_ids, day: date) -> dict:
    """Open time logs, last closed log and work orders in progress of the site's work centers (``rows``: see
    ``data_access.queries.tv.workcenter_activity``)."""
    ids = sorted(int(i) for i in workcenter_ids)
    return _site_call("workcenter_activity", access, day, {"site": int(site_id), "workcenters": ids},
                      tv.workcenter_activity, workcenter_ids=ids)


def output_today(access: Access, site_id: int, day: date) -> dict:
    """The site's output of ``day`` per work center and product against the MOs due that day (``rows``)."""
    return _site_call("output_today", access, day, {"site": int(site_id)}, tv.output_today, warehouse_id=int(site_id))


def downtime_today(access: Access, site_id: int, day: date) -> dict:
    """Lost minutes of the site's closed time logs of ``day`` per loss reason (``rows``: ``downtime_pareto``)."""
    pins = _pins()
    return _site_call("downtime", access, day, {"site": int(site_id), "pins": pins}, production_drill.downtime_pareto,
                      warehouse_id=int(site_id), pins=[tuple(p) for p in pins])


def today_kpis(access: Access, day: date) -> dict:
    """OEE, its factors and downtime per work center and site, and schedule adherence per site, of ``day``:
    the plant page's call for a 1-day period (same cache entry)."""
    return kpi_results(access, day, 1, kpis=TODAY_KPIS, scope_kinds=("workcenter", "warehouse"))


def shift_kpis(access: Access, shift: Shift) -> dict:
    """OEE, its factors and downtime per work center over the shift's bounds (closed logs and work orders
    finished since the shift began), by the KPI engine as for any period; stamped like ``kpi_results``."""
    def compute() -> dict:
        st = state()
        settings = st.settings
        ctx = QueryContext(shift.start, shift.end, 0, access.company_ids, access.warehouse_ids, settings.lang)
        results = evaluate(kpi_source(), ctx, catalogue(), kpis=SHIFT_KPIS, scope_kinds=("workcenter",),
                           pins=settings.workcenter_site_pins())
        return {"computed_at": _now(), "results": [r.as_dict() for r in results]}

    arguments = {"start": shift.start.isoformat(), "end": shift.end.isoformat()}
    return _stamped(_fetch("tv.shift_kpis", access, arguments, domain_ttl(DOMAIN), compute))


def site_exceptions(access: Access, day: date) -> dict:
    """The headline site KPIs over the executive page's default period ending ``day`` (its exceptions list)."""
    return kpi_results(access, day, EXCEPTION_DAYS, kpis=HEADLINE_SITE_KPIS, scope_kinds=("warehouse",))


def late_today(access: Access, site_id: int, day: date, limit: int = 200) -> list[dict]:
    """The site's MOs open past their deadline, and those due ``day`` done late or at risk."""
    return late_mos(access, day, 1, int(site_id), limit=limit)


def board_data(access: Access, site_id: int, name: str, panels, now: datetime) -> dict:
    """Every payload the panels in ``panels`` (keys of ``dashboard.tv_panels.PANELS``) need for one site's board,
    from the cached calls above (raises ``DataError``). The board reads it at every refresh; the ``warm``
    worker reads it for every active display, so boards are served from the cache."""
    from dashboard import service

    day = service.today()
    wanted = set(panels)
    site_of = service.workcenter_sites(access, day, 1)
    ids = sorted(wc for wc, wh in site_of.items() if wh == site_id)
    names = service.workcenters(access, ids) if ids else {}
    sites = service.sites(access, day, 1)
    data = {"day": day, "site": sites.get(site_id, {}).get("name") or name,
            "workcenters": sorted(((wc, names[wc]["name"]) for wc in ids if wc in names), key=lambda t: (t[1], t[0]))}
    if wanted & {"status", "downtime"}:
        data["activity"] = workcenter_activity(access, site_id, ids, day)
    if "output" in wanted:
        data["output"] = output_today(access, site_id, day)
    if wanted & {"oee", "exceptions"}:
        data["today"] = today_kpis(access, day)
    if "oee" in wanted:
        shift = shift_now(now)
        data["shift"], data["shift_label"] = shift_kpis(access, shift), shift.label
    if "downtime" in wanted:
        data["downtime"] = downtime_today(access, site_id, day)
    if "exceptions" in wanted:
        data["period"] = site_exceptions(access, day)
        data["late"] = late_today(access, site_id, day, LATE_LIMIT)
    return data
