"""Work center: its OEE tiles and decomposition, lost time by Odoo loss reason, OEE by day and the work
orders of the period; a click on a work order opens its panel (MO, time logs, scraps, link to Odoo), kept
in the URL as ``?wo=``."""
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components as comp
from dashboard import service
from dashboard.auth import guarded
from dashboard.figures import SCALE_STORE, for_screen, graph_style, kpi_trend, oee_decomposition, pareto, screen_scale
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import Invalid, as_id, href, parse_id, parse_query
from dashboard.validation import Days, OptionalId, RecordId, Rows, Scale, accepts, store
from dashboard.views.plant import OEE_KPIS, plant_href
from dashboard.views.workcenter import (
    WO_COLUMNS,
    WORKCENTER_QUERY,
    loss_items,
    trend_points,
    workcenter_tiles,
    workorder_panel,
    workorder_rows,
)

spec = register(__name__, "workcenter")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("WorkcenterStore", WORKCENTER_QUERY, workcenter_id=RecordId)  # what the layout wrote: the browser holds it



def layout(workcenter_id=None, **query):
    access, params, notes, refused = open_page(spec.key, query, WORKCENTER_QUERY, "the work center page")
    if refused is not None:
        return refused
    as_of, days = params["as_of"], params["days"]
    try:
        wc_id = parse_id(workcenter_id)
        found = service.workcenter_in_scope(access, wc_id, as_of, days)
    except Invalid as why:
        return comp.problem_page("Work center", comp.not_found(f"Work center {str(workcenter_id)[:24]!r} ({why})"),
                            back=("/plant", "Plant"), notices=notes)
    except service.DataError as error:
        return comp.problem_page("Work center", comp.error_alert(error.user_message), back=("/plant", "Plant"), notices=notes)
    if found is None:
        return comp.problem_page("Work center", comp.not_found(f"Work center {wc_id}"), back=("/plant", "Plant"), notices=notes)
    wc, site_id, site = found
    data = {"workcenter_id": wc_id, "days": days, "as_of": as_of.isoformat()}
    back = plant_href(site_id, "oee", days, as_of)
    period = comp.period_field(spec.id("days"), days)
    return comp.page_frame(spec, wc["name"], f"{site['name'] if site else 'No site yet'} · {days} days ending {data['as_of']}",
                           params=data, notes=notes, controls=[period], back=(back, "Plant", spec.id("back")),
                           stores=[dcc.Store(id=spec.id("selected"), data=params["wo"]), dcc.Store(id=spec.id("url-sync"))], body=[
        html.Div([
            dcc.Loading(html.Div(id=spec.id("tiles")), type="dot"),
            dbc.Row([
                dbc.Col([html.H4("OEE decomposition", className="section-title"), comp.loading_graph(spec.id("oee"))], lg=6),
                dbc.Col([html.H4("Lost time by Odoo loss reason", className="section-title"), comp.loading_graph(spec.id("pareto"))], lg=6),
                dbc.Col([html.H4("OEE by day", className="section-title"), comp.loading_graph(spec.id("trend"))], lg=12),
            ]),
            dbc.Row([
                dbc.Col([html.H4("Work orders", className="section-title"),
                         html.Div("Click a row to see the work order. Sort, filter, export to CSV.", className="plant-hint"),
                         comp.data_grid(spec.id("wo-table"), WO_COLUMNS, csv_name="work-orders", selectable=True, height=520,
                                   empty_message="No work orders started or finished at this work center in this period.")],
                        xxl=8),
                dbc.Col([html.H4("Work order", className="section-title"),
                         dcc.Loading(html.Div(comp.empty_state("Click a work order to see its MO, time logs and scraps."),
                                              id=spec.id("wo-panel")), type="dot")], xxl=4),
            ], className="mt-2"),
        ], id=spec.id("content")),
    ], className="plant-page workcenter-page")


comp.csv_export(spec.id("wo-table"))


def _scope(access, data):
    """``(work center id, as_of, days)`` from the page's store (the browser's: validated again), once the
    server has checked the caller may see this work center; None otherwise."""
    data = data if isinstance(data, dict) else {}
    wc_id = as_id(data.get("workcenter_id"))
    params, _ = parse_query(data, WORKCENTER_QUERY, service.today())
    if wc_id is None or service.workcenter_in_scope(access, wc_id, params["as_of"], params["days"]) is None:
        return None
    return wc_id, params["as_of"], params["days"]


@callback(Output(spec.id("nav"), "search"), inputs=dict(days=Input(spec.id("days"), "value")),
          state=dict(data=State(spec.id("params"), "data"), wo=State(spec.id("selected"), "data")),
          prevent_initial_call=True)
@guarded(spec.key)
@accepts(days=Days | None, data=STORE, wo=OptionalId)
def _to_url(days, data, wo, *, access):
    """Period -> URL (the page re-renders from it; the opened work order stays)."""
    if days == (data or {}).get("days"):
        raise PreventUpdate
    return href("", days=days, as_of=(data or {}).get("as_of"), wo=as_id(wo))


_BODY = dict(message=Output(spec.id("message"), "children"), shown=Output(spec.id("content"), "style"),
             tiles=Output(spec.id("tiles"), "children"), oee=Output(spec.id("oee"), "figure"),
             pareto=Output(spec.id("pareto"), "figure"), trend=Output(spec.id("trend"), "figure"),
             workorders=Output(spec.id("wo-table"), "rowData"), fresh=Output(spec.id("freshness"), "children"),
             styles=[Output(spec.id(name), "style") for name in ("oee", "pareto", "trend")])
# Nothing changes but what a message path sets (a group of outputs wants one no_update each).
_UNCHANGED = {k: [no_update] * len(v) if isinstance(v, list) else no_update for k, v in _BODY.items()}


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """The work center's figures and work orders, after checking on the server that it is in scope. Rendered
    once per role, scope, view, screen scale and data (the key below)."""
    try:
        scope = _scope(access, data)
        if scope is None:
            return {**_UNCHANGED, "message": comp.not_found("This work center"),
                    "shown": {"display": "none"}, "fresh": "", "workorders": []}
        wc_id, as_of, days = scope
        period = service.kpi_results(access, as_of, days, kpis=OEE_KPIS, scope_kinds=("workcenter",))
        daily = service.kpi_results(access, as_of, days, kpis=("oee",), scope_kinds=("workcenter",), bucket="day")
        losses = service.downtime_pareto(access, as_of, days, wc_id)
        wos = service.workcenter_workorders(access, as_of, days, wc_id)
    except service.DataError as error:
        return {**_UNCHANGED, "message": comp.error_alert(error.user_message),
                "shown": {"display": "none"}, "fresh": ""}
    catalogue, settings = service.catalogue(), service.settings()
    scale = screen_scale(scale)

    def build() -> dict:
        mine = {r["kpi"]: r for r in period["results"] if r["scope_id"] == wc_id and r["scope_kind"] == "workcenter"}
        value = {k: (mine.get(k) or {}).get("value") for k in OEE_KPIS}
        trend = kpi_trend(trend_points(daily["results"], wc_id, as_of, days), catalogue.for_scope("oee", "workcenter", wc_id, 1),
                          title="", bucket="day", height=320, empty_message="No OEE on any day of this period.")
        return {
            "message": None, "shown": {},
            "tiles": comp.tile_grid(workcenter_tiles(catalogue, mine, wc_id, days, spec.id), wide=True),
            "oee": for_screen(oee_decomposition(value["oee_availability"], value["oee_performance"], value["oee_quality"]),
                              scale),
            "pareto": for_screen(pareto(loss_items(losses), unit="hours", value_label="Lost hours", top=8, height=320,
                                        empty_message="No downtime or slow running logged in this period"), scale),
            "trend": for_screen(trend, scale),
            "workorders": workorder_rows(wos, settings.zone),
        }

    # What the body is built from: the view, the screen scale, the computed_at of the KPI results (why not the
    # period alone: see pages/executive.py _parts) and the drill rows themselves (no computed_at: their content
    # is their version).
    parts = {"view": [wc_id, as_of, days], "scale": scale, "computed_at": [period["computed_at"], daily["computed_at"]],
             "losses": losses, "workorders": wos, "zone": settings.zone.key}
    built = service.rendered("workcenter.body", access, parts, build)
    return dict(built, fresh=comp.freshness([period, daily], settings.zone),
                styles=[graph_style(built[name]) for name in ("oee", "pareto", "trend")])


@callback(output=dict(panel=Output(spec.id("wo-panel"), "children"), selected=Output(spec.id("selected"), "data")),
          inputs=dict(rows=Input(spec.id("wo-table"), "selectedRows"), data=Input(spec.id("params"), "data")),
          state=dict(selected=State(spec.id("selected"), "data")))
@guarded(spec.key)
@accepts(rows=Rows, data=STORE, selected=OptionalId)
def _work_order(rows, data, selected, *, access):
    """The clicked (or bookmarked) work order, only when it belongs to this work center in the caller's scope."""
    picked = rows[0].get("id") if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
    if picked is None and ctx.triggered_id == spec.id("wo-table"):
        raise PreventUpdate  # a selection cleared by new rows: keep the panel
    wo_id = as_id(picked if picked is not None else selected)
    if wo_id is None:
        raise PreventUpdate
    settings = service.settings()
    try:
        scope = _scope(access, data)
        if scope is None:
            return {"panel": comp.not_found("This work center"), "selected": None}
        wc_id, as_of, days = scope
        detail = service.workorder_detail(access, wo_id, as_of, days)
    except service.DataError as error:
        return {"panel": comp.error_alert(error.user_message), "selected": None}
    if detail is None or detail["workorder"]["workcenter_id"] != wc_id:
        return {"panel": comp.not_found(f"Work order {wo_id} of this work center"), "selected": None}
    return {"panel": workorder_panel(detail, settings.zone, settings.odoo_base_url, id_of=spec.id), "selected": wo_id}


# The opened work order goes into the address bar (replaceState: no re-render, no extra history step), so
# a bookmark or coming back reproduces it.
clientside_callback(
    """function (wo) {
        const url = new URL(window.location.href);
        if (wo) { url.searchParams.set("wo", wo); } else { url.searchParams.delete("wo"); }
        if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
        return wo || null;
    }""",
    Output(spec.id("url-sync"), "data"), Input(spec.id("selected"), "data"),
)
