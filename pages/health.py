"""Data health (admins): Odoo version, apps that matter, table sizes, freshness, replica lag."""
import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import service, ui
from dashboard.auth import guarded, page_access
from data_access.errors import DataError

PAGE = "health"
dash.register_page(__name__, path="/health", name="Data health", order=90, page_key=PAGE, nav=True,
                   description="Odoo version, installed apps, table sizes, freshness and replica lag.")


def layout(**_query):
    access, reason = page_access(PAGE)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the data health page")
    return html.Div([
        ui.page_header("Data health", "What the dashboards read, and how fresh it is."),
        dcc.Loading(html.Div(id="health-body"), type="dot"),
    ])


def _apps_table(apps):
    rows = [html.Tr([html.Td(html.Code(a["name"])), html.Td(a["purpose"]),
                     html.Td(dbc.Badge("installed", color="success") if a["installed"] else dbc.Badge("not installed", color="secondary"))])
            for a in apps]
    return dbc.Table([html.Thead(html.Tr([html.Th("App"), html.Th("Used for"), html.Th("State")])), html.Tbody(rows)],
                     size="sm", striped=True, className="health-apps")


def _tables_table(tables):
    rows = []
    for name, info in tables.items():
        n = info["rows"]
        shown = "missing" if n is None else (f"≈ {n:,}" if info["estimate"] else f"{n:,}")
        rows.append(html.Tr([html.Td(html.Code(name)), html.Td(shown, className="text-end")]))
    return dbc.Table([html.Thead(html.Tr([html.Th("Table"), html.Th("Rows", className="text-end")])), html.Tbody(rows)],
                     size="sm", striped=True, className="health-tables")


@callback(Output("health-body", "children"), Input("health-body", "id"))
@guarded(PAGE)
def _body(_id, *, access):
    try:
        h = service.data_health(access)
    except DataError as error:
        return ui.error_alert(error.user_message)
    lag = "not a standby" if not h["standby"] else f"{h['lag_seconds']:.0f} s"
    fresh = [html.Tr([html.Td(d), html.Td(v or "no rows")]) for d, v in h["newest_writes"].items()]
    return html.Div([
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("Odoo", className="stat-label"),
                                           html.Div(f"{h['odoo_series']} {h['edition']}", className="stat-value", id="health-version"),
                                           html.Div(f"base {h['base_version'] or 'unknown'}", className="text-muted small")])), md=4),
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("Replica lag", className="stat-label"),
                                           html.Div(lag, className="stat-value")])), md=4),
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("Checked", className="stat-label"),
                                           ui.freshness(h["computed_at"])])), md=4),
        ], className="mb-3"),
        dbc.Row([
            dbc.Col([html.H5("Apps"), _apps_table(h["apps"])], md=6),
            dbc.Col([html.H5("Newest change per domain (UTC)"),
                     dbc.Table([html.Tbody(fresh)], size="sm", striped=True),
                     html.H5("Key tables"), _tables_table(h["tables"])], md=6),
        ]),
    ])
