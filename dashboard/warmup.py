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

from dashboard import service, service_finance, service_quality, service_supply, service_tv
from dashboard.auth.access import ROLES, Access
from dashboard.auth.roles import can_open
from dashboard.urlstate import DEFAULT_DAYS, parse_query
from dashboard.views.executive import HEADLINE, SCOPES, TREND_DAYS, read_query
from dashboard.views.finance import FINANCE_KPIS, FINANCE_QUERY
from dashboard.views.home import home_kpis, site_kpis
from dashboard.views.plant import METRICS, OEE_KPIS, PLANT_QUERY, SITE_KPIS
from dashboard.views.quality import HEATMAP_PRODUCTS, QUALITY_QUERY, trend_bucket
from dashboard.views.supply import COMPANY_TILE_KPIS, SITE_TILE_KPIS, SUPPLY_QUERY
from dashboard.views.workcenter import WORKCENTER_QUERY

__all__ = ["Read", "executive_reads", "plant_reads", "workcenter_reads", "home_reads", "supply_reads", "quality_reads",
           "finance_reads", "page_reads", "scopes", "display_scopes", "tv_reads", "PLANT_LATE_LIMIT", "SUPPLY_LIST_LIMIT", "FINANCE_OVERDUE_LIMIT"]

Read = tuple[str, Callable[[], object]]

PLANT_LATE_LIMIT = 200  # pages/plant.py LATE_LIMIT: the late MO list's length
SUPPLY_LIST_LIMIT = 200  # pages/supply.py LIMIT: the length of its row lists
FINANCE_OVERDUE_LIMIT = 200  # pages/finance.py OVERDUE_LIMIT


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


def supply_reads(access: Access, today: date) -> Iterator[Read]:
    """The supply chain page's default view (every company and site in scope): tiles, the vendor x week OTIF
    heat map, customer OTIF, the late purchase and sale lines, stockout and run-out risk, stock by category."""
    params, _ = parse_query({}, SUPPLY_QUERY, today)
    as_of, days = params["as_of"], params["days"]

    def body():
        service.companies(access)
        service.sites(access, as_of, days)
        service.kpi_results(access, as_of, days, kpis=SITE_TILE_KPIS + COMPANY_TILE_KPIS, scope_kinds=("warehouse", "company"))
        per_vendor = service_supply.vendor_period(access, as_of)
        service_supply.vendor_weeks(access, as_of)
        customer = service.kpi_results(access, as_of, days, kpis=("customer_otif", "late_so_lines"),
                                       scope_kinds=("partner", "warehouse"))
        service_supply.late_po_lines(access, as_of, days, limit=SUPPLY_LIST_LIMIT)
        service_supply.stockout_orderpoints(access, as_of, limit=SUPPLY_LIST_LIMIT)
        service_supply.runout_risk(access, as_of, limit=SUPPLY_LIST_LIMIT)
        service_finance.inventory_by_category(access, as_of)
        service_supply.late_so_lines(access, as_of, days, limit=SUPPLY_LIST_LIMIT)
        partners = {r["scope_id"] for r in per_vendor["results"] + customer["results"] if r["scope_kind"] == "partner"}
        service.partners(access, partners)

    yield "supply page", body


def quality_reads(access: Access, today: date) -> Iterator[Read]:
    """The quality page's default view of each site in scope (the first is the default site): FPY tiles and
    trend, the scrap Pareto by product, FPY per product, scrapped lots and open quality alerts."""
    params, _ = parse_query({}, QUALITY_QUERY, today)
    as_of, days, by = params["as_of"], params["days"], params["by"]
    has_app = service_quality.has_quality_app()

    def shared():
        service.kpi_results(access, as_of, days, kpis=("first_pass_yield", "nc_closure_days"), scope_kinds=("warehouse", "company"))
        service.kpi_results(access, as_of, days, kpis=("first_pass_yield",), scope_kinds=("warehouse",), bucket=trend_bucket(days))
        if has_app:
            service.kpi_results(access, as_of, max(days, 91), kpis=("nc_closure_days",), scope_kinds=("company",), bucket="week")
            service_quality.open_alerts(access, as_of, days)
        service.companies(access)

    def per_site():
        for site_id in service.sites(access, as_of, days):
            service_quality.fpy_scrap_pareto(access, as_of, days, site_id, by)
            top = service_quality.fpy_by_product(access, as_of, days, site_id)[:HEATMAP_PRODUCTS]
            service_quality.fpy_product_series(access, as_of, days, site_id, [p["id"] for p in top])
            service_quality.scrapped_lots(access, as_of, days, site_id)

    yield "quality page", shared
    yield "quality sites", per_site


def finance_reads(access: Access, today: date) -> Iterator[Read]:
    """The finance page's default view (one block per company in scope): the KPI tiles, the margin heat map,
    the receivables aging and overdue invoices, the inventory value trend and stock by category."""
    params, _ = parse_query({}, FINANCE_QUERY, today)
    as_of, days = params["as_of"], params["days"]

    def body():
        companies = service.companies(access)
        service.kpi_results(access, as_of, days, kpis=FINANCE_KPIS, scope_kinds=("company",))
        if len(companies) > 1:  # the block of customers and products of several companies
            by_product = service.kpi_results(access, as_of, days, kpis=("gross_margin_pct",), scope_kinds=("product",))
            unavailable = [r["scope_id"] for r in by_product["results"] if r["status"] == "unavailable"]
            if unavailable:
                service_finance.products(access, unavailable)
        service_finance.margin_cells(access, as_of, days)
        service_finance.overdue_by_due_date(access, as_of, days)
        service_finance.overdue_invoices(access, as_of, days, limit=FINANCE_OVERDUE_LIMIT)
        service_finance.inventory_trend(access, as_of)
        service_finance.inventory_by_category(access, as_of)

    yield "finance page", body


def page_reads(access: Access, today: date) -> list[Read]:
    """Every read of the pages ``access``'s role may open, for their default view (as of ``today``)."""
    reads = list(home_reads(access, today))
    if can_open(access.role, "executive"):
        reads += executive_reads(access, today)
    if can_open(access.role, "plant"):
        reads += plant_reads(access, today)
    if can_open(access.role, "workcenter"):
        reads += workcenter_reads(access, today)
    for key, reads_of in (("supply", supply_reads), ("quality", quality_reads), ("finance", finance_reads)):
        if can_open(access.role, key):
            reads += reads_of(access, today)
    return reads


def display_scopes(displays: Iterable) -> list[tuple[Access, int, str, tuple[str, ...]]]:
    """``(access, site_id, name, panels)`` per site of the active ``displays`` (app store rows): the access a
    display's board reads with (``display_session.board_access``: the plant role on the site and its company,
    so the keys warmed are the boards' keys) and the union of the site's displays' panels."""
    found: dict[tuple, tuple] = {}
    for d in displays:
        if not d.active:
            continue
        companies = None if d.company_id is None else (int(d.company_id),)
        key = (companies, int(d.site_id))
        panels = {p["panel"] for p in d.playlist}
        if key in found:
            access, site_id, name, before = found[key]
            found[key] = (access, site_id, name, tuple(sorted(set(before) | panels)))
        else:
            found[key] = (Access(0, "warm-up", "plant", companies, (int(d.site_id),)), int(d.site_id), d.name,
                          tuple(sorted(panels)))
    return list(found.values())


def tv_reads(access: Access, site_id: int, name: str, panels, now) -> Iterator[Read]:
    """A site's TV board: every payload its panels read at a refresh (``service_tv.board_data``)."""
    yield "tv board", lambda: service_tv.board_data(access, site_id, name, panels, now)


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
