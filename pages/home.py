"""Home: where each role starts. The role's own KPIs per company (and per site), the pages it may open,
and one line of data health. Registered (``register_page``) from its declaration in ``PAGES``."""
from dash import Input, Output, callback, dcc, html

from dashboard import components as ui
from dashboard import service
from dashboard.auth import guarded, page_access
from dashboard.auth.roles import can_open
from dashboard.figures import SCALE_STORE, for_screen, graph_style, screen_scale
from dashboard.pages_registry import register
from dashboard.shell import nav_pages
from dashboard.urlstate import DEFAULT_DAYS
from dashboard.validation import Anything, Scale, accepts
from dashboard.views.home import company_tiles, health_line, home_kpis, kpi_heading, page_cards, site_heatmap, site_kpis

spec = register(__name__, "home")


def _site_breakdown(role: str) -> bool:
    """Sites x KPIs on home, unless the role has the executive page (which is exactly that heat map)."""
    return not can_open(role, "executive")


def layout(**_query):
    access, reason = page_access(spec.key)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted()
    kpis = home_kpis(access.role, service.catalogue())
    pages = [p for p in nav_pages(access.role) if p.get("page_key") != spec.key]
    return html.Div([
        ui.page_header(f"Welcome, {access.username}", kpi_heading(access.role, kpis, service.catalogue(), DEFAULT_DAYS),
                       fresh_id=spec.id("freshness")),
        html.Div([html.H4("Your pages", className="section-title"), page_cards(pages, id_prefix=spec.id("open"))])
        if pages else None,
        dcc.Loading(html.Div(id=spec.id("kpis"), className="home-kpis"), type="dot"),
        html.Div(id=spec.id("health"), className="home-health"),
    ])


@callback(output=dict(kpis=Output(spec.id("kpis"), "children"), fresh=Output(spec.id("freshness"), "children")),
          inputs=dict(_mounted=Input(spec.id("kpis"), "id"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(_mounted=Anything, scale=Scale)
def _kpis(_mounted, scale=None, *, access):
    """The role's KPIs for the last 30 days: per company as tiles, per site as a heat map. Rendered once per
    role, scope, day, screen scale and data (the key below)."""
    catalogue = service.catalogue()
    kpis = home_kpis(access.role, catalogue)
    by_site = site_kpis(kpis, catalogue) if _site_breakdown(access.role) else []
    today = service.today()
    scale = screen_scale(scale)
    try:
        companies = service.companies(access)
        data = service.kpi_results(access, today, DEFAULT_DAYS, kpis=kpis,
                                   scope_kinds=("company", "warehouse") if by_site else ("company",))
        sites = service.sites(access, today, DEFAULT_DAYS) if by_site else {}
    except service.DataError as error:
        return dict(kpis=ui.error_alert(error.user_message), fresh="")

    def build() -> list:
        body = [company_tiles(kpis, data["results"], companies, catalogue, DEFAULT_DAYS, id_prefix=spec.id("kpi"))]
        if by_site:
            figure = for_screen(site_heatmap(by_site, data["results"], sites, companies, catalogue, DEFAULT_DAYS), scale)
            body += [html.H4("By site", className="section-title"),
                     html.Div(dcc.Graph(figure=figure, config=ui.GRAPH_CONFIG, id=spec.id("sites"), className="home-sites-graph",
                                        style=graph_style(figure, minWidth=f"{(160 + 110 * len(by_site)) * scale:.0f}px")),
                              className="frame-scroll home-sites")]
        body.append(ui.legend())
        return body

    # What the tiles are built from (the role is in every key): the period, the screen scale, the companies and
    # sites in scope and the computed_at of the KPI results (why not the period alone: see pages/executive.py).
    parts = {"period": [today, DEFAULT_DAYS], "scale": scale, "companies": companies, "sites": sites,
             "computed_at": data["computed_at"]}
    body = service.rendered("home.kpis", access, parts, build)
    return dict(kpis=body, fresh=ui.freshness(data, service.settings().zone))


@callback(Output(spec.id("health"), "children"), Input(spec.id("health"), "id"))
@guarded(spec.key)
@accepts(_mounted=Anything)
def _health(_mounted, *, access):
    try:
        health = service.data_health(access)
    except service.DataError as error:
        return ui.error_alert(error.user_message)
    more = [" · ", dcc.Link("Details", href="/health", id=spec.id("health-details"))] if can_open(access.role, "health") else []
    return html.Div([*health_line(health, service.settings().zone), *more], className="home-health-line")
