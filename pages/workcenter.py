"""Work center detail: OEE decomposition, downtime Pareto by Odoo loss reason, OEE trend and the work
orders of the period; a click on a work order opens its panel (MO, time logs, scraps, link to Odoo)."""
import warnings
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import service, ui
from dashboard.auth import guarded, page_access
from dashboard.extensions import state
from dashboard.figures.oee import oee_decomposition, oee_trend
from dashboard.figures.pareto import pareto
from dashboard.figures.theme import empty_figure
from dashboard.plant_params import as_id, local_time, odoo_record_url, period_days, plant_search, workcenter_params
from data_access.errors import DataError
from data_access.queries.dimensions import warehouses, workcenters
from data_access.queries.production import workcenter_sites
from data_access.queries.production_drill import downtime_pareto as pareto_rows
from data_access.queries.production_drill import workcenter_workorders, workorder_detail

PAGE = "workcenter"
dash.register_page(__name__, path_template="/plant/workcenter/<workcenter_id>", name="Work center", order=21,
                   page_key=PAGE, nav=False, description="One work center: OEE split, losses, trend, work orders.")

OEE_KPIS = ("oee", "oee_availability", "oee_performance", "oee_quality", "downtime_hours")
WO_COLUMNS = [
    {"id": "state", "name": "State"}, {"id": "name", "name": "Operation"}, {"id": "production_name", "name": "MO"},
    {"id": "product", "name": "Product"}, {"id": "finished", "name": "Finished"},
    {"id": "duration_expected", "name": "Expected (min)", "type": "numeric"},
    {"id": "duration", "name": "Real (min)", "type": "numeric"},
    {"id": "qty_produced", "name": "Quantity", "type": "numeric"}, {"id": "scrap_qty", "name": "Scrap", "type": "numeric"},
    {"id": "late_flag", "name": "Late"},
]
_GRAPH = {"displayModeBar": False, "responsive": True}


def _wo_table() -> dash_table.DataTable:
    """The work orders table (sortable, filterable, CSV export); rows come from the callback."""
    # dash 4 flags DataTable as deprecated in favour of dash-ag-grid (not installed); it still works.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*The dash_table.DataTable will be removed", category=DeprecationWarning)
        return dash_table.DataTable(
            id="workcenter-wo-table", columns=WO_COLUMNS, data=[], sort_action="native",
            filter_action="native", export_format="csv", page_size=15, row_selectable=False,
            style_table={"overflowX": "auto"}, style_as_list_view=True,
            style_cell={"fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', "fontSize": "0.85rem", "padding": "4px 8px",
                        "textAlign": "left", "maxWidth": "260px", "overflow": "hidden",
                        "textOverflow": "ellipsis"},
            style_header={"fontWeight": 600, "backgroundColor": "#f5f7fa"},
            style_data_conditional=[
                {"if": {"filter_query": "{late_flag} = late"}, "backgroundColor": "#fde3e3"},
                {"if": {"state": "active"}, "backgroundColor": "#efe6ee", "border": "1px solid #714b67"},
            ])


def layout(workcenter_id=None, **query):
    access, reason = page_access(PAGE)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the work center page")
    wc_id = as_id(workcenter_id)
    if wc_id is None:
        return ui.not_found(f"Work center {str(workcenter_id)[:20]!r}")
    params, notices = workcenter_params(query, service.today())
    params["workcenter_id"] = wc_id
    return html.Div([
        dcc.Store(id="workcenter-params", data=params),
        dcc.Store(id="workcenter-selected", data=params["wo"]),
        dcc.Store(id="workcenter-url-sync"),
        html.Div(id="workcenter-header", children=ui.page_header("Work center", "Loading…")),
        html.Div([dbc.Alert(n, color="info", className="py-1 px-2 small mb-2") for n in notices], id="workcenter-notice"),
        html.Div(id="workcenter-message"),
        html.Div([
            dcc.Loading(dbc.Row(id="workcenter-tiles", className="mb-3 g-3"), type="dot"),
            dbc.Row([
                dbc.Col([html.H4("OEE decomposition", className="section-title"),
                         dcc.Loading(dcc.Graph(id="workcenter-oee", config=_GRAPH, figure=empty_figure("Loading…")))], xl=4),
                dbc.Col([html.H4("Lost time by Odoo loss reason", className="section-title"),
                         dcc.Loading(dcc.Graph(id="workcenter-pareto", config=_GRAPH, figure=empty_figure("Loading…")))], xl=4),
                dbc.Col([html.H4("OEE by day", className="section-title"),
                         dcc.Loading(dcc.Graph(id="workcenter-trend", config=_GRAPH, figure=empty_figure("Loading…")))], xl=4),
            ]),
            dbc.Row([
                dbc.Col([html.H4("Work orders", className="section-title"),
                         html.Div("Click a row to see the work order. Sort, filter, export to CSV.", className="plant-hint"),
                         dcc.Loading(_wo_table(), type="dot"),
                         html.Div(id="workcenter-wo-empty")], xl=8),
                dbc.Col([html.H4("Work order", className="section-title"),
                         dcc.Loading(html.Div(ui.empty_state("Click a work order to see its MO, time logs and scraps."),
                                              id="workcenter-wo-panel"), type="dot")], xl=4),
            ], className="mt-2"),
        ], id="workcenter-content"),
        html.Div(id="workcenter-freshness", className="mt-3"),
    ], className="plant-page")


def _allowed_workcenter(access, wc_id: int, as_of: date, days: int):
    """``(workcenter, site)`` when the caller may see this work center, else None (unknown or out of scope)."""
    found = service.run_query(access, workcenters, as_of, days, ids=[wc_id])
    if wc_id not in found:
        return None
    site_of = service.run_query(access, workcenter_sites, as_of, days, pins=state().settings.workcenter_site_pins())
    site_id = site_of.get(wc_id)
    site = None
    if site_id is not None:
        site = service.run_query(access, warehouses, as_of, days).get(site_id)
    if access.warehouse_ids is not None and (site is None or not access.allows_warehouse(site_id)):
        return None
    return found[wc_id], (site_id, site)


def _tile(label, result, unit):
    status = result["status"] if result else "no_data"
    return dbc.Col(html.Div([html.Div(label, className="kpi-label"),
                             html.Div(ui.fmt_value(result["value"] if result else None, unit), className="kpi-value")],
                            className=f"kpi-tile status-{status}"), md=True)


def _wo_rows(rows, zone):
    out = []
    for r in rows:
        out.append({"id": r["id"], "state": r["state"], "name": r["name"], "production_name": r["production_name"],
                    "product": r.get("product") or "", "finished": local_time(r.get("date_finished") or r.get("date_start"), zone),
                    "duration_expected": round(r["duration_expected"], 1), "duration": round(r["duration"], 1),
                    "qty_produced": r["qty_produced"], "scrap_qty": r["scrap_qty"], "late": bool(r["late"]),
                    "late_flag": "late" if r["late"] else ""})
    return out


_OUTPUTS = [Output("workcenter-header", "children"), Output("workcenter-message", "children"),
            Output("workcenter-content", "style"), Output("workcenter-tiles", "children"),
            Output("workcenter-oee", "figure"), Output("workcenter-pareto", "figure"), Output("workcenter-trend", "figure"),
            Output("workcenter-wo-table", "data"), Output("workcenter-wo-empty", "children"),
            Output("workcenter-freshness", "children")]


def _nothing(message):
    header = ui.page_header("Work center", None, right=dcc.Link("← Plant", href="/plant", id="workcenter-back"))
    return header, message, {"display": "none"}, [], empty_figure(""), empty_figure(""), empty_figure(""), [], None, None


@callback(*_OUTPUTS, Input("workcenter-params", "data"))
@guarded(PAGE)
def _body(data, *, access):
    """The work center's figures and work orders, after checking on the server that it is in scope."""
    data = data if isinstance(data, dict) else {}
    wc_id = as_id(data.get("workcenter_id"))
    params, _ = workcenter_params(data, service.today())
    if wc_id is None:
        return _nothing(ui.not_found("This work center"))
    as_of, days = date.fromisoformat(params["as_of"]), params["days"]
    settings = state().settings
    try:
        allowed = _allowed_workcenter(access, wc_id, as_of, days)
        if allowed is None:
            return _nothing(ui.not_found(f"Work center {wc_id}"))
        wc, (site_id, site) = allowed
        period = service.kpi_results(access, as_of, days, kpis=OEE_KPIS, scope_kinds=("workcenter",))
        daily = service.kpi_results(access, as_of, days, kpis=("oee",), scope_kinds=("workcenter",), bucket="day")
        losses = service.run_query(access, pareto_rows, as_of, days, workcenter_id=wc_id)
        wos = service.run_query(access, workcenter_workorders, as_of, days, workcenter_id=wc_id, limit=500)
    except DataError as error:
        return _nothing(ui.error_alert(error.user_message))
    mine = {r["kpi"]: r for r in period["results"] if r["scope_id"] == wc_id}
    value = {k: (mine[k]["value"] if k in mine else None) for k in OEE_KPIS}
    back = "/plant" + (plant_search(site_id, "oee", days, params["as_of"]) if site_id is not None else "")
    site_name = site["name"] if site else "no site"
    header = ui.page_header(wc["name"], f"{site_name} · {days} days ending {params['as_of']} · times in {settings.timezone}",
                            right=dcc.Link("← Back to the plant", href=back, id="workcenter-back"))
    tiles = [_tile("OEE", mine.get("oee"), "ratio"), _tile("Availability", mine.get("oee_availability"), "ratio"),
             _tile("Performance", mine.get("oee_performance"), "ratio"), _tile("Quality", mine.get("oee_quality"), "ratio"),
             _tile("Downtime", mine.get("downtime_hours"), "hours")]
    cat = service.catalogue()["oee"]
    trend_points = {r["bucket"]: r["value"] for r in daily["results"] if r["scope_id"] == wc_id and r["kpi"] == "oee"}
    trend = oee_trend([{"bucket": d, "value": trend_points.get(d)} for d in period_days(as_of, days)],
                      target=cat.target, amber=cat.amber)
    losses_fig = pareto([(r.get("loss") or r.get("loss_type") or "Unspecified", r["minutes"] / 60.0) for r in losses],
                        unit="hours", value_label="Lost hours", top=8, height=320,
                        empty_message="No downtime or slow running logged in this period")
    decomposition = oee_decomposition(value["oee_availability"], value["oee_performance"], value["oee_quality"])
    rows = _wo_rows(wos, settings.zone)
    empty = None if rows else ui.empty_state("No work orders started or finished at this work center in this period.")
    computed = min(period["computed_at"], daily["computed_at"])
    return (header, None, {}, tiles, decomposition, losses_fig, trend, rows, empty,
            [ui.freshness(computed), html.Span(f" · days and times in {settings.timezone}", className="freshness")])


def _kv(label, value):
    return html.Tr([html.Th(label, className="text-muted fw-normal"), html.Td(value)])


def _panel(detail, zone, base_url):
    wo, mo = detail["workorder"], detail["production"]
    url = odoo_record_url(base_url, "mrp.workorder", wo["id"])
    logs = [html.Tr([html.Td(local_time(r["date_start"], zone)), html.Td(local_time(r["date_end"], zone) or "open"),
                     html.Td(f"{(r['duration'] or 0):.0f} min", className="text-end"), html.Td(r.get("loss") or "–"),
                     html.Td(r.get("loss_type") or "")]) for r in detail["time_logs"]]
    scraps = [html.Tr([html.Td(r["name"]), html.Td(r.get("product") or "–"), html.Td(f"{r['qty'] or 0:g}", className="text-end"),
                       html.Td(r.get("lot") or "")]) for r in detail["scraps"]]
    return html.Div([
        html.H5([wo["name"], " ", dbc.Badge(wo["state"], color="secondary", className="ms-1")], id="workcenter-wo-title"),
        dbc.Table(html.Tbody([
            _kv("MO", f"{mo['name']} ({mo['state']})"), _kv("Product", mo.get("product") or "–"),
            _kv("MO deadline", local_time(mo.get("date_deadline"), zone) or "none"),
            _kv("Started", local_time(wo.get("date_start"), zone) or "–"),
            _kv("Finished", local_time(wo.get("date_finished"), zone) or "not finished"),
            _kv("Expected / real", f"{wo.get('duration_expected') or 0:.0f} / {wo.get('duration') or 0:.0f} min"),
            _kv("Produced", f"{wo.get('qty_produced') or 0:g}"),
        ]), size="sm", borderless=True, className="mb-2"),
        html.A("Open in Odoo ↗", href=url, target="_blank", rel="noopener", id="workcenter-wo-odoo",
               className="btn btn-sm btn-outline-primary mb-2") if url else None,
        html.H6(f"Time logs ({len(logs)})"),
        dbc.Table([html.Thead(html.Tr([html.Th("Start"), html.Th("End"), html.Th("Duration", className="text-end"),
                                       html.Th("Reason"), html.Th("Type")])), html.Tbody(logs)], size="sm", className="bg-white")
        if logs else ui.empty_state("No time logs for this work order."),
        html.H6(f"Scraps ({len(scraps)})"),
        dbc.Table([html.Thead(html.Tr([html.Th("Scrap"), html.Th("Product"), html.Th("Qty", className="text-end"),
                                       html.Th("Lot")])), html.Tbody(scraps)], size="sm", className="bg-white")
        if scraps else ui.empty_state("No scrap recorded on this work order."),
    ], className="workcenter-wo-detail")


@callback(Output("workcenter-wo-panel", "children"), Output("workcenter-selected", "data"),
          Input("workcenter-wo-table", "active_cell"), Input("workcenter-params", "data"), State("workcenter-selected", "data"))
@guarded(PAGE)
def _work_order(active_cell, data, selected, *, access):
    """The clicked (or bookmarked) work order, only when it belongs to this work center in the caller's scope."""
    wo_id = as_id(active_cell.get("row_id")) if isinstance(active_cell, dict) else as_id(selected)
    wc_id = as_id((data or {}).get("workcenter_id"))
    if wo_id is None or wc_id is None:
        raise PreventUpdate
    params, _ = workcenter_params(data, service.today())
    as_of, days = date.fromisoformat(params["as_of"]), params["days"]
    st = state()
    try:
        if _allowed_workcenter(access, wc_id, as_of, days) is None:
            return ui.not_found("This work center"), None
        detail = st.replica.run(workorder_detail, workorder_id=wo_id, lang=st.settings.lang,
                                company_ids=access.company_ids)
    except DataError as error:
        return ui.error_alert(error.user_message), None
    if detail is None or detail["workorder"]["workcenter_id"] != wc_id:
        return ui.not_found(f"Work order {wo_id} of this work center"), None
    return _panel(detail, st.settings.zone, st.settings.odoo_base_url), wo_id


# The selected work order goes into the address bar (replaceState: no page re-render, no extra history
# step), so a bookmark or coming back to this page reproduces it.
clientside_callback(
    """function (wo) {
        const url = new URL(window.location.href);
        if (wo) { url.searchParams.set("wo", wo); } else { url.searchParams.delete("wo"); }
        if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
        return wo || null;
    }""",
    Output("workcenter-url-sync", "data"), Input("workcenter-selected", "data"),
)
