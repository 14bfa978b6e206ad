"""Home: where each role starts; the pages it may open and a short data health summary."""
import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import service, ui
from dashboard.auth import guarded, page_access
from dashboard.auth.roles import can_open
from dashboard.kpi_tiles import kpi_tiles, owned_kpis
from data_access.errors import DataError
from data_access.queries.dimensions import companies

PAGE = "home"
dash.register_page(__name__, path="/", name="Home", order=0, page_key=PAGE, nav=True, title="Odoo Operations")


def _page_cards(role: str):
    cards = []
    for page in dash.page_registry.values():
        key = page.get("page_key")
        if key in (None, PAGE) or not page.get("nav") or not can_open(role, key):
            continue
        cards.append(dbc.Col(dbc.Card(dbc.CardBody([
            html.H5(page["name"], className="card-title"),
            html.P(page.get("description", ""), className="card-text text-muted"),
            dbc.Button("Open", href=page["relative_path"], color="primary", size="sm", id=f"home-open-{key}"),
        ]), className="h-100 home-card"), md=4, className="mb-3"))
    return dbc.Row(cards)


def layout(**_query):
    access, reason = page_access(PAGE)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted()
    return html.Div([
        ui.page_header(f"Welcome, {access.username}", "Pick the view you act on."),
        _page_cards(access.role),
        html.Div([html.H4("Your KPIs, last 30 days", className="section-title"),
                  html.Span(id="home-kpis-freshness")], className="d-flex justify-content-between align-items-baseline"),
        dcc.Loading(html.Div(id="home-kpis"), type="dot"),
        html.H4("Data health", className="section-title mt-4"),
        dcc.Loading(html.Div(id="home-health", className="home-health"), type="dot"),
    ])


@callback(Output("home-health", "children"), Input("home-health", "id"))
@guarded(PAGE)
def _health(_id, *, access):
    try:
        health = service.data_health(access)
    except DataError as error:
        return ui.error_alert(error.user_message)
    stale = [d for d, v in health["newest_writes"].items() if v is None]
    apps = [a["name"] for a in health["apps"] if a["installed"]]
    items = [
        html.Li([html.Strong("Odoo: "), f"{health['odoo_series']} {health['edition']}"]),
        html.Li([html.Strong("Apps: "), ", ".join(apps) or "none detected"]),
        html.Li([html.Strong("Newest changes: "), "; ".join(f"{d} {v}" for d, v in health["newest_writes"].items() if v)]),
    ]
    if stale:
        items.append(html.Li([html.Strong("No data: "), ", ".join(stale)], className="text-muted"))
    if health["lag_seconds"] is not None:
        items.append(html.Li([html.Strong("Replica lag: "), f"{health['lag_seconds']:.0f} s"]))
    return html.Div([html.Ul(items, className="list-unstyled mb-1"), ui.freshness(health["computed_at"])])


@callback(Output("home-kpis", "children"), Output("home-kpis-freshness", "children"), Input("home-kpis", "id"))
@guarded(PAGE)
def _kpis(_id, *, access):
    """The company-level values of the KPIs the user's role owns, for the last 30 days."""
    catalogue = service.catalogue()
    kpis = owned_kpis(access.role, catalogue)
    today = service.today()
    try:
        names = {cid: c["name"] for cid, c in service.run_query(access, companies, today, 30).items()}
        data = service.kpi_results(access, today, 30, kpis=kpis, scope_kinds=("company",))
    except DataError as error:
        return ui.error_alert(error.user_message), None
    return kpi_tiles(kpis, data["results"], names, catalogue, id_prefix="home-kpi"), ui.freshness(data["computed_at"])
