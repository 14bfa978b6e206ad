"""Plant: work centers x days heat map of one site, the work centers' period figures, schedule adherence
and late / at-risk MOs. The drill state lives in the URL (``?site=&metric=&days=&as_of=``)."""
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import service, ui
from dashboard.auth import guarded, page_access
from dashboard.extensions import state
from dashboard.figures.oee import workcenter_day_heatmap
from dashboard.figures.theme import empty_figure
from dashboard.plant_params import (METRIC_LABELS, METRICS, PERIODS, local_time, odoo_record_url, period_days,
                                    plant_params, plant_search, workcenter_href)
from data_access.errors import DataError
from data_access.queries.dimensions import warehouses, workcenters
from data_access.queries.production import workcenter_sites
from data_access.queries.production_drill import late_mos

PAGE = "plant"
dash.register_page(__name__, path="/plant", name="Plant", order=20, page_key=PAGE, nav=True,
                   description="Work centers by day: OEE and downtime heat map, schedule adherence, late MOs.")

OEE_KPIS = ("oee", "oee_availability", "oee_performance", "oee_quality", "downtime_hours")
COLUMNS = (("oee", "OEE"), ("oee_availability", "Availability"), ("oee_performance", "Performance"),
           ("oee_quality", "Quality"), ("downtime_hours", "Downtime"))
MO_STATUS = {"late": ("Late", "critical"), "done_late": ("Done late", "warning"), "at_risk": ("At risk", "warning")}


def _controls(params: dict):
    return [
        html.Div([html.Div("Site", className="filter-label"),
                  # the value arrives with the options (a value without options would be cleared on screen)
                  dcc.Dropdown(id="plant-site", value=None, clearable=False, placeholder="Choose a site",
                               className="plant-site-select")]),
        html.Div([html.Div("Metric", className="filter-label"),
                  dbc.RadioItems(id="plant-metric", value=params["metric"], inline=True,
                                 options=[{"label": METRIC_LABELS[m], "value": m} for m in METRICS],
                                 className="plant-radio btn-group", inputClassName="btn-check",
                                 labelClassName="btn btn-outline-secondary btn-sm",
                                 labelCheckedClassName="active")]),
        html.Div([html.Div("Period", className="filter-label"),
                  dbc.RadioItems(id="plant-days", value=params["days"], inline=True,
                                 options=[{"label": f"{d} days", "value": d} for d in PERIODS],
                                 className="plant-radio btn-group", inputClassName="btn-check",
                                 labelClassName="btn btn-outline-secondary btn-sm",
                                 labelCheckedClassName="active")]),
    ]


def layout(**query):
    access, reason = page_access(PAGE)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the plant page")
    params, notices = plant_params(query, service.today())
    tz = state().settings.timezone
    return html.Div([
        dcc.Location(id="plant-nav", refresh="callback-nav"),
        dcc.Store(id="plant-params", data=params),
        ui.page_header("Plant", f"Period of {params['days']} days ending {params['as_of']} · times in {tz}",
                       right=_controls(params)),
        html.Div([dbc.Alert(n, color="info", className="py-1 px-2 small mb-2") for n in notices], id="plant-notice"),
        html.Div(id="plant-message"),
        html.Div([
            dcc.Loading(dbc.Row(id="plant-tiles", className="mb-3 g-3"), type="dot"),
            html.Div([html.H4(id="plant-heatmap-title", className="section-title"),
                      html.Span("Click a cell or a work center to open it.", className="plant-hint")],
                     className="plant-section-head"),
            dcc.Loading(dcc.Graph(id="plant-heatmap", config={"displayModeBar": False, "responsive": True},
                                  figure=empty_figure("Loading…")), type="default"),
            dbc.Row([
                dbc.Col([html.H4("Work centers in the period", className="section-title"),
                         dcc.Loading(html.Div(id="plant-wc-list"), type="dot")], xl=7),
                dbc.Col([html.H4("Late and at-risk manufacturing orders", className="section-title"),
                         dcc.Loading(html.Div(id="plant-late"), type="dot")], xl=5),
            ]),
        ], id="plant-content"),
        html.Div(id="plant-freshness", className="mt-3"),
    ], className="plant-page")


@callback(Output("plant-site", "options"), Output("plant-site", "value"),
          Input("plant-site", "id"), State("plant-params", "data"))
@guarded(PAGE)
def _sites(_id, params, *, access):
    """The sites in the caller's scope and the URL's site (the first site when the URL names none)."""
    try:
        as_of = date.fromisoformat(params["as_of"])
        sites = service.run_query(access, warehouses, as_of, int(params["days"]))
    except (DataError, KeyError, TypeError, ValueError):
        return [], no_update
    options = [{"label": f"{s['name']} ({s['code']})" if s.get("code") else s["name"], "value": sid}
               for sid, s in sites.items() if access.allows_warehouse(sid)]
    wanted = params.get("site")
    if wanted is None and options:
        return options, options[0]["value"]
    if any(o["value"] == wanted for o in options):
        return options, wanted
    return options, no_update  # unknown or forbidden: the body says 'not found'


@callback(Output("plant-nav", "search"),
          Input("plant-site", "value"), Input("plant-metric", "value"), Input("plant-days", "value"),
          State("plant-params", "data"), prevent_initial_call=True)
@guarded(PAGE)
def _to_url(site, metric, days, params, *, access):
    """Controls -> URL: the page re-renders from the URL, so back and bookmarks reproduce the view."""
    if site is None:  # the dropdown clears a value it has no option for: keep the URL's site
        raise PreventUpdate
    current = params or {}
    wanted, _ = plant_params({"site": site, "metric": metric, "days": days, "as_of": current.get("as_of")},
                             service.today())
    if all(wanted[k] == current.get(k) for k in ("site", "metric", "days")):
        raise PreventUpdate  # the view already shows this: no new history entry, no re-render
    return plant_search(wanted["site"], wanted["metric"], wanted["days"], wanted["as_of"])


@callback(Output("plant-nav", "href"), Input("plant-heatmap", "clickData"), State("plant-params", "data"),
          prevent_initial_call=True)
@guarded(PAGE)
def _open_workcenter(click, params, *, access):
    """A heat map cell -> that work center's detail page for the same period."""
    try:
        wc_id = int(click["points"][0]["customdata"])
        params, _ = plant_params(params or {}, service.today())
    except (KeyError, IndexError, TypeError, ValueError):
        raise PreventUpdate
    return workcenter_href(wc_id, params["as_of"], params["days"])


def _result_map(results, scope_kind, kpis=OEE_KPIS):
    return {(r["kpi"], r["scope_id"]): r for r in results if r["scope_kind"] == scope_kind and r["kpi"] in kpis}


def _tile(label: str, result: dict | None, unit: str, sub: str, tile_id: str):
    status = result["status"] if result else "no_data"
    value = ui.fmt_value(result["value"] if result else None, unit)
    return dbc.Col(html.Div([html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value", id=tile_id),
                             html.Div(sub, className="kpi-sub")], className=f"kpi-tile status-{status}"), md=3)


def _adherence_sub(result: dict | None) -> str:
    if not result or not result.get("parts"):
        return "No MO deadlines in this period"
    parts = result["parts"]
    return f"{parts.get('on_time', 0):.0f} of {parts.get('total', 0):.0f} MOs done by their deadline"


def _wc_table(rows, period, params):
    head = html.Thead(html.Tr([html.Th("Work center")] + [html.Th(label, className="text-end") for _, label in COLUMNS]))
    body = []
    for wc_id, name in rows:
        cells = [html.Td(dcc.Link(name, href=workcenter_href(wc_id, params["as_of"], params["days"]),
                                  id=f"plant-wc-link-{wc_id}"))]
        for kpi, _ in COLUMNS:
            r = period.get((kpi, wc_id))
            unit = "hours" if kpi == "downtime_hours" else "ratio"
            status = r["status"] if r else "no_data"
            cells.append(html.Td([html.Span("●", className=f"status-dot status-{status}", title=status.replace("_", " ")),
                                  ui.fmt_value(r["value"] if r else None, unit)], className="text-end"))
        body.append(html.Tr(cells))
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, className="plant-wc-table bg-white")


def _delay(days_late: float) -> str:
    """'1.5 d late', '3 h late', 'due in 2.0 d' (hours under a day)."""
    amount = abs(days_late)
    text = f"{amount:.1f} d" if amount >= 1 else f"{amount * 24:.0f} h"
    return f"{text} late" if days_late >= 0 else f"due in {text}"


def _late_table(rows):
    if not rows:
        return ui.empty_state("No late or at-risk MOs with a deadline in this period.")
    base = state().settings.odoo_base_url
    zone = state().settings.zone
    body = []
    for r in rows:
        label, status = MO_STATUS.get(r["status"], (r["status"], "no_data"))
        url = odoo_record_url(base, "mrp.production", r["id"])
        name = html.A(r["name"], href=url, target="_blank", rel="noopener") if url else r["name"]
        days_late = r.get("days_late")
        when = "" if days_late is None else _delay(days_late)
        body.append(html.Tr([html.Td(name), html.Td(r.get("product") or "–"),
                             html.Td(local_time(r.get("date_deadline"), zone)),
                             html.Td(html.Span(label, className=f"badge badge-status-{status}")),
                             html.Td(when, className="text-end")]))
    head = html.Thead(html.Tr([html.Th("MO"), html.Th("Product"), html.Th("Deadline"), html.Th("Status"),
                               html.Th("Delay", className="text-end")]))
    more = html.Div(f"Showing the first {len(rows)}.", className="text-muted small") if len(rows) >= 200 else None
    return html.Div([html.Div(dbc.Table([head, html.Tbody(body)], size="sm", hover=True, className="bg-white"),
                              className="plant-late-scroll"), more])


_OUTPUTS = [Output("plant-message", "children"), Output("plant-content", "style"), Output("plant-tiles", "children"),
            Output("plant-heatmap-title", "children"), Output("plant-heatmap", "figure"),
            Output("plant-wc-list", "children"), Output("plant-late", "children"), Output("plant-freshness", "children")]


def _nothing(message):
    return message, {"display": "none"}, [], "", empty_figure(""), None, None, None


@callback(*_OUTPUTS, Input("plant-params", "data"))
@guarded(PAGE)
def _body(data, *, access):
    """Everything about one site, after re-checking on the server that the caller may see that site."""
    params, _ = plant_params(data if isinstance(data, dict) else {}, service.today())
    as_of, days, site = date.fromisoformat(params["as_of"]), params["days"], params["site"]
    settings = state().settings
    try:
        sites = service.run_query(access, warehouses, as_of, days)
        if site is None:
            if not sites:
                return _nothing(ui.empty_state("There are no sites in your scope."))
            raise PreventUpdate  # the site list picks the first site, which updates the URL
        if not access.allows_warehouse(site) or site not in sites:
            return _nothing(ui.not_found(f"Site {site}"))
        site_of = service.run_query(access, workcenter_sites, as_of, days, pins=settings.workcenter_site_pins())
        wc_ids = sorted(wc for wc, wh in site_of.items() if wh == site)
        names = service.run_query(access, workcenters, as_of, days, ids=wc_ids) if wc_ids else {}
        period = service.kpi_results(access, as_of, days, kpis=OEE_KPIS + ("schedule_adherence",),
                                     scope_kinds=("workcenter", "warehouse"))
        daily = service.kpi_results(access, as_of, days, kpis=(METRICS[params["metric"]],),
                                    scope_kinds=("workcenter",), bucket="day")
        late = service.run_query(access, late_mos, as_of, days, warehouse_id=site, limit=200)
    except DataError as error:
        return _nothing(ui.error_alert(error.user_message))
    kpi = METRICS[params["metric"]]
    unit = "hours" if kpi == "downtime_hours" else "ratio"
    per_wc = _result_map(period["results"], "workcenter")
    per_site = _result_map(period["results"], "warehouse", OEE_KPIS + ("schedule_adherence",))
    wc_ids = [wc for wc in wc_ids if wc in names]

    def worst_first(wc):
        r = per_wc.get((kpi, wc))
        v = None if r is None else r["value"]
        if v is None:
            return (1, 0.0, names[wc]["name"])
        return (0, -v if unit == "hours" else v, names[wc]["name"])

    rows = [(wc, names[wc]["name"]) for wc in sorted(wc_ids, key=worst_first)]
    cells = [{"row_id": r["scope_id"], "day": r["bucket"], "value": r["value"], "status": r["status"]}
             for r in daily["results"] if r["scope_kind"] == "workcenter" and r["kpi"] == kpi and r["scope_id"] in wc_ids]
    links = {wc: workcenter_href(wc, params["as_of"], days) for wc, _ in rows}
    figure = workcenter_day_heatmap(rows, period_days(as_of, days), cells, unit=unit,
                                    mode="continuous" if unit == "hours" else "status", links=links)
    site_name = sites[site]["name"]
    open_late = sum(1 for r in late if r["status"] == "late")
    tiles = [
        _tile("Schedule adherence", per_site.get(("schedule_adherence", site)), "ratio",
              _adherence_sub(per_site.get(("schedule_adherence", site))), "plant-adherence-value"),
        _tile("Site OEE", per_site.get(("oee", site)), "ratio", f"{len(rows)} work centers at {site_name}", "plant-oee-value"),
        _tile("Downtime", per_site.get(("downtime_hours", site)), "hours", "Availability losses, closed time logs",
              "plant-downtime-value"),
        _tile("Late MOs", {"value": open_late, "status": "critical" if open_late else "ok"}, "count",
              f"open past deadline; {sum(1 for r in late if r['status'] == 'at_risk')} at risk", "plant-late-value"),
    ]
    title = f"{METRIC_LABELS[params['metric']]} by work center and day · {site_name}"
    wc_list = _wc_table(rows, per_wc, params) if rows else ui.empty_state(
        f"No work center has work orders at {site_name}, so none is assigned to this site.")
    computed = min(period["computed_at"], daily["computed_at"])
    return (None, {}, tiles, title, figure, wc_list, _late_table(late),
            [ui.freshness(computed), html.Span(f" · days and times in {settings.timezone}", className="freshness")])
