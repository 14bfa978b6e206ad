"""Plant: one site's tiles, its work centers x days heat map, the work centers' period figures and the MOs
late in the period. The view lives in the URL (``?site=&metric=&days=&as_of=``): controls change the URL,
the page re-renders from it, so back, links and bookmarks reproduce it."""
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import service
from dashboard.auth import guarded
from dashboard.components import (
    csv_export,
    data_grid,
    error_alert,
    freshness,
    graph,
    legend,
    not_found,
    page_frame,
    period_field,
    radio_group,
    site_field,
    tile_grid,
)
from dashboard.figures import SCALE_STORE, empty_figure, for_screen, graph_style, screen_scale
from dashboard.page_entry import choose_site, open_page
from dashboard.pages_registry import register
from dashboard.urlstate import as_id, parse_query, period_days
from dashboard.validation import Click, Days, OptionalId, Rows, Scale, accepts, choice, store
from dashboard.views.plant import (
    LATE_COLUMNS,
    METRIC_LABELS,
    METRICS,
    OEE_KPIS,
    PLANT_QUERY,
    SITE_KPIS,
    WC_COLUMNS,
    day_heatmap,
    heatmap_min_width,
    index_results,
    late_rows,
    late_summary,
    plant_href,
    site_tiles,
    workcenter_href,
    workcenter_rows,
    worst_first,
)

spec = register(__name__, "plant")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("PlantStore", PLANT_QUERY)  # the view the layout wrote: the browser holds it
LATE_LIMIT = 200



def _controls(params: dict, sites: dict) -> list:
    return [
        site_field(spec.id("site"), params["site"], sites),
        html.Div([html.Div("Metric", className="filter-label"),
                  radio_group(spec.id("metric"), params["metric"], [{"label": METRIC_LABELS[m], "value": m} for m in METRICS])]),
        period_field(spec.id("days"), params["days"]),
    ]


def layout(**query):
    access, params, notes, refused = open_page(spec.key, query, PLANT_QUERY, "the plant page")
    if refused is not None:
        return refused
    sites, site, refused = choose_site(access, "Plant", params, notes, back=("/plant", "Plant"))
    if refused is not None:
        return refused
    params["as_of"] = params["as_of"].isoformat()
    return page_frame(spec, "Plant", f"{site['name']} · {params['days']} days ending {params['as_of']}", params=params,
                      notes=notes, controls=_controls(params, sites), stores=[dcc.Store(id=spec.id("rows"))], body=[
        html.Div([
            dcc.Loading(html.Div(id=spec.id("tiles")), type="dot"),
            html.Div([html.H4(id=spec.id("heatmap-title"), className="section-title"),
                      html.Span("Click a cell or a work center to open it.", className="plant-hint")],
                     className="plant-section-head"),
            legend(),
            dcc.Loading(html.Div(graph(spec.id("heatmap"), empty_figure("Loading…")),
                                 className="frame-scroll plant-heatmap-frame"), type="default"),
            html.H4("Work centers in the period", className="section-title"),
            data_grid(spec.id("workcenters"), WC_COLUMNS, empty_message="No work center at this site."),
            html.Div([html.H4("Late and at-risk manufacturing orders", className="section-title"),
                      html.Span(id=spec.id("late-note"), className="plant-hint")], className="plant-section-head"),
            data_grid(spec.id("late"), LATE_COLUMNS, csv_name="late-mos", height=420,
                      empty_message="No late or at-risk MOs with a deadline in this period."),
        ], id=spec.id("content")),
    ], className="plant-page")


csv_export(spec.id("late"))


@callback(Output(spec.id("nav"), "search"),
          inputs=dict(site=Input(spec.id("site"), "value"), metric=Input(spec.id("metric"), "value"),
                      days=Input(spec.id("days"), "value")),
          state=dict(params=State(spec.id("params"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(site=OptionalId, metric=choice(METRICS, "metric") | None, days=Days | None, params=STORE)
def _to_url(site, metric, days, params, *, access):
    """Controls -> URL: the page re-renders from the URL (validated again there)."""
    current = params or {}
    if (site, metric, days) == (current.get("site"), current.get("metric"), current.get("days")):
        raise PreventUpdate  # the view already shows this: no new history entry
    return plant_href(site, metric, days, current.get("as_of"))[len("/plant"):]


@callback(Output(spec.id("nav"), "href"), inputs=dict(click=Input(spec.id("heatmap"), "clickData")),
          state=dict(params=State(spec.id("params"), "data"), rows=State(spec.id("rows"), "data")),
          prevent_initial_call=True)
@guarded(spec.key)
@accepts(click=Click, params=STORE, rows=Rows)
def _open_workcenter(click, params, rows, *, access):
    """A heat map cell -> its work center's page for the same period (plotly reports the cell's row
    position; ``rows`` holds the work center of each; the work center page checks the scope again)."""
    try:
        wc_id = as_id(rows[int(click["points"][0]["y"])])
    except (KeyError, IndexError, TypeError, ValueError):
        wc_id = None
    values, _ = parse_query(params or {}, PLANT_QUERY, service.today())
    if wc_id is None:
        raise PreventUpdate
    return workcenter_href(wc_id, values["as_of"], values["days"])


_BODY = dict(message=Output(spec.id("message"), "children"), shown=Output(spec.id("content"), "style"),
             tiles=Output(spec.id("tiles"), "children"), title=Output(spec.id("heatmap-title"), "children"),
             heatmap=Output(spec.id("heatmap"), "figure"), rows=Output(spec.id("rows"), "data"),
             width=Output(spec.id("heatmap"), "style"),
             workcenters=Output(spec.id("workcenters"), "rowData"), late=Output(spec.id("late"), "rowData"),
             late_note=Output(spec.id("late-note"), "children"), fresh=Output(spec.id("freshness"), "children"))


def _only(message) -> dict:
    """The body when there is nothing to show but ``message``."""
    return {**{name: no_update for name in _BODY}, "message": message, "shown": {"display": "none"}, "fresh": ""}


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """Everything about one site, after checking again on the server that the caller may see it (the
    store is the browser's). Rendered once per role, scope, view, screen scale and data (``_parts``)."""
    params, _ = parse_query(data if isinstance(data, dict) else {}, PLANT_QUERY, service.today())
    as_of, days, site_id, metric = params["as_of"], params["days"], params["site"], params["metric"]
    kpi = METRICS[metric]
    settings = service.settings()
    try:
        sites = service.sites(access, as_of, days)
        if site_id not in sites:
            return _only(not_found(f"Site {site_id}"))
        site_of = service.workcenter_sites(access, as_of, days)
        ids = sorted(wc for wc, wh in site_of.items() if wh == site_id)
        names = service.workcenters(access, ids) if ids else {}
        period = service.kpi_results(access, as_of, days, kpis=SITE_KPIS, scope_kinds=("workcenter", "warehouse"))
        daily = service.kpi_results(access, as_of, days, kpis=(kpi,), scope_kinds=("workcenter",), bucket="day")
        late = service.late_mos(access, as_of, days, site_id, limit=LATE_LIMIT)
    except service.DataError as error:
        return _only(error_alert(error.user_message))
    catalogue = service.catalogue()
    scale = screen_scale(scale)
    site_name = sites[site_id]["name"]
    workcenters = [(wc, names[wc]["name"]) for wc in ids if wc in names]

    def build() -> dict:
        per_wc = index_results(period["results"], "workcenter", OEE_KPIS)
        per_site = index_results(period["results"], "warehouse", SITE_KPIS)
        rows = worst_first(workcenters, per_wc, kpi, catalogue[kpi].direction)
        links = {wc: workcenter_href(wc, as_of, days) for wc, _ in rows}
        summary = late_summary(late, LATE_LIMIT)
        figure = day_heatmap(rows, period_days(as_of, days), daily["results"], kpi, catalogue, links,
                             empty_message=f"No work center has work orders at {site_name}, so none belongs to this site.")
        tiles = site_tiles(catalogue, per_site, site_id, days, site_name=site_name, workcenters=len(rows), late=summary,
                           tile_id=lambda name: spec.id(f"tile-{name}"),
                           drill=lambda m: plant_href(site_id, m, days, as_of))
        return {
            "message": None, "shown": {}, "tiles": tile_grid(tiles),
            "title": f"{METRIC_LABELS[metric]} by work center and day · {site_name}",
            "heatmap": (shown := for_screen(figure, scale)), "rows": [wc for wc, _ in rows],
            "width": graph_style(shown, minWidth=f"{heatmap_min_width(days) * scale:.0f}px") if rows else graph_style(shown),
            "workcenters": workcenter_rows(rows, per_wc, catalogue, days, lambda wc: links[wc]),
            "late": late_rows(late, settings.zone, settings.odoo_base_url),
            "late_note": f"Showing the worst {LATE_LIMIT}." if summary["capped"] else
                         "Deadlines in the period: open past deadline, done late, still at risk.",
        }

    # The key holds what the body is built from: the view, the screen scale, the site and its work centers'
    # names, the computed_at of the KPI results (why not the period alone: see pages/executive.py _parts) and
    # the late MO rows themselves (drill rows carry no computed_at: their content is their version).
    parts = {"view": [as_of, days, site_id, metric], "scale": scale, "site": sites[site_id], "workcenters": workcenters,
             "computed_at": [period["computed_at"], daily["computed_at"]], "late": late,
             "settings": [settings.zone.key, settings.odoo_base_url]}
    built = service.rendered("plant.body", access, parts, build)
    return dict(built, fresh=freshness([period, daily], settings.zone))
