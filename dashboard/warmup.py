"""What the pages read on a first view, per caller: the reads the ``warm`` command makes ahead of time.

Each function names the service calls a page's layout and callbacks make for their default view (today, the
default period, the first metric) with the same arguments, so the keys warmed are the keys the pages read
(``tests/dashboard/cli/test_warm.py`` renders the pages after a warm-up and counts zero replica queries).
A page that changes what it reads changes it here too; pages may call these functions themselves.

A read is ``(label, call)``: ``call()`` makes the service calls (and raises ``DataError`` like them).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from dashboard import service
from dashboard.auth.access import ROLES, Access
from dashboard.auth.roles import can_open
from dashboard.urlstate import DEFAULT_DAYS, parse_query
from dashboard.views.executive import HEADLINE, SCOPES, TREND_DAYS, read_query
from dashboard.views.home import home_kpis, site_kpis
from dashboard.views.plant import METRICS, OEE_KPIS, PLANT_QUERY, SITE_KPIS
from dashboard.views.workcenter import WORKCENTER_QUERY

__all__ = ["Read", "executive_reads", "plant_reads", "workcenter_reads", "home_reads", "page_reads", "scopes",
           "PLANT_LATE_LIMIT"]

Read = tuple[str, Callable[[], object]]

PLANT_LATE_LIMIT = 200  # pages/plant.py LATE_LIMIT: the late MO list's length


def executive_reads(access: Access, today: date) -> Iterator[Read]:
    """The executive page's default view: its filters (sites, companies), the heat maps (the period and the one
    before it) and the 13-month weekly trends with the exceptions."""
    view, _ = read_query({}, today)
    as_of, days = view.as_of, view.days
    yield "executive filters", lambda: (service.sites(access, as_of, days), service.companies(access))
    yield "executive heat map", lambda: service.kpi_results(access, as_of, days, kpis=HEADLINE, scope_kinds=SCOPES)
    yield "executive previous period", lambda: service.kpi_results(access, as_of - timedelta(days=days), days,
                                                                   kpis=HEADLINE, scope_kinds=SCOPES)
    yield "executive trends", lambda: service.kpi_results(access, as_of, TREND_DAYS, kpis=HEADLINE, scope_kinds=SCOPES,
                                                          bucket="week")


def plant_reads(access: Access, today: date) -> Iterator[Read]:
    """The plant page's default view of each site in scope (the first is the default site): tiles and work
    center figures, the work centers x days heat map of the default metric, the site's work centers and its
    late MOs."""
    params, _ = parse_query({}, PLANT_QUERY, today)
    as_of, days = params["as_of"], params["days"]
    yield "plant tiles", lambda: service.kpi_results(access, as_of, days, kpis=SITE_KPIS,
                                                     scope_kinds=("workcenter", "warehouse"))
    yield "plant heat map", lambda: service.kpi_results(access, as_of, days, kpis=(METRICS[params["metric"]],),
                                                        scope_kinds=("workcenter",), bucket="day")

    def per_site():
        site_of = service.workcenter_sites(access, as_of, days)
        for site_id in service.sites(access, as_of, days):
            ids = sorted(wc for wc, wh in site_of.items() if wh == site_id)
            if ids:
                service.workcenters(access, ids)
            service.late_mos(access, as_of, days, site_id, limit=PLANT_LATE_LIMIT)

    yield "plant sites", per_site


def workcenter_reads(access: Access, today: date) -> Iterator[Read]:
    """The work center page's default period figures (one entry serves every work center of the scope; its
    daily OEE is the plant heat map's)."""
    params, _ = parse_query({}, WORKCENTER_QUERY, today)
    as_of, days = params["as_of"], params["days"]
    yield "work center tiles", lambda: service.kpi_results(access, as_of, days, kpis=OEE_KPIS, scope_kinds=("workcenter",))


def home_reads(access: Access, today: date) -> Iterator[Read]:
    """Home: the role's KPIs per company (and per site unless the role has the executive page), data health."""
    catalogue = service.catalogue()
    kpis = home_kpis(access.role, catalogue)
    by_site = site_kpis(kpis, catalogue) if not can_open(access.role, "executive") else []
    yield "home companies", lambda: service.companies(access)
    yield "home KPIs", lambda: service.kpi_results(access, today, DEFAULT_DAYS, kpis=kpis,
                                                   scope_kinds=("company", "warehouse") if by_site else ("company",))
    if by_site:
        yield "home sites", lambda: service.sites(access, today, DEFAULT_DAYS)
    yield "home data health", lambda: service.data_health(access)


def page_reads(access: Access, today: date) -> list[Read]:
    """Every read of the pages ``access``'s role may open, for their default view (as of ``today``)."""
    reads = list(home_reads(access, today))
    if can_open(access.role, "executive"):
        reads += executive_reads(access, today)
    if can_open(access.role, "plant"):
        reads += plant_reads(access, today)
    if can_open(access.role, "workcenter"):
        reads += workcenter_reads(access, today)
    return reads


def scopes(users: Iterable) -> list[Access]:
    """One caller per distinct (role, companies, sites) among the active ``users`` (app store rows), or every
    role with the whole scope when there is none. Cache keys hold no user, so one caller warms them all."""
    found: dict[tuple, Access] = {}
    for user in users:
        if not user.active or user.role not in ROLES:
            continue
        companies = None if user.company_ids is None else tuple(sorted(set(user.company_ids)))
        sites = None if user.warehouse_ids is None else tuple(sorted(set(user.warehouse_ids)))
        found.setdefault((user.role, companies, sites), Access(0, "warm-up", user.role, companies, sites))
    if not found:
        return [Access(0, "warm-up", role) for role in ROLES]
    return list(found.values())
