"""Data health (admins): Odoo version, apps that matter, replica lag, newest change per domain, table
sizes. Registered (``register_page``) from its declaration in ``PAGES``."""
from dash import Input, Output, callback, dcc, html

from dashboard import components as ui
from dashboard import service
from dashboard.auth import guarded, page_access
from dashboard.health import replica_role
from dashboard.pages_registry import register
from dashboard.validation import Anything, accepts
from dashboard.views.health import health_grids, health_tiles

spec = register(__name__, "health")


def layout(**_query):
    access, reason = page_access(spec.key)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the data health page")
    return html.Div([
        ui.page_header("Data health", "What the dashboards read, and how fresh it is.", fresh_id=spec.id("freshness")),
        dcc.Loading(html.Div(id=spec.id("body")), type="dot"),
    ])


@callback(output=dict(body=Output(spec.id("body"), "children"), fresh=Output(spec.id("freshness"), "children")),
          inputs=dict(_mounted=Input(spec.id("body"), "id")))
@guarded(spec.key)
@accepts(_mounted=Anything)
def _body(_mounted, *, access):
    try:
        health = service.data_health(access)
    except service.DataError as error:
        return dict(body=ui.error_alert(error.user_message), fresh="")
    zone = service.settings().zone
    return dict(body=[health_tiles(health, id_prefix=spec.id("tile"), role=replica_role()), health_grids(health, zone, id_prefix=spec.key)],
                fresh=ui.freshness(health, zone))
