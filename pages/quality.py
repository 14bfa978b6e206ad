"""Quality: one site's first pass yield and scrap, the FPY trend by day, FPY per product, the scrap Pareto
(the scrapped term of first pass yield, by product or work center, with its cost), the scrapped lots that
open their traceability page, and nonconformances (open quality alerts and closure time) when Odoo's
Quality app is installed, else a section that says so. The view lives in the URL (``?site=&by=&days=&as_of=``)."""
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import service, service_quality
from dashboard.auth import guarded
from dashboard.components import (
    GRAPH_CONFIG,
    data_grid,
    error_alert,
    freshness,
    graph,
    loading_graph,
    not_found,
    notice,
    page_frame,
    period_field,
    radio_group,
    site_field,
    tile_grid,
)
from dashboard.figures import SCALE_STORE, empty_figure, for_screen, graph_style, kpi_trend, pareto, screen_scale
from dashboard.page_entry import choose_site, open_page
from dashboard.pages_registry import register
from dashboard.urlstate import parse_query, period_days
from dashboard.validation import Days, OptionalId, Scale, accepts, choice, store
from dashboard.views.plant import heatmap_min_width, index_results
from dashboard.views.quality import (
    ALERT_COLUMNS,
    FALLBACK_TEXT,
    HEATMAP_PRODUCTS,
    LOT_COLUMNS,
    PARETO_BY,
    PRODUCT_COLUMNS,
    QUALITY_QUERY,
    REASON_NOTE,
    alert_rows,
    lot_href,
    lot_rows,
    pareto_items,
    product_heatmap,
    product_rows,
    quality_href,
    quality_tiles,
    site_trend_points,
    trend_bucket,
)

spec = register(__name__, "quality")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("QualityStore", QUALITY_QUERY)  # the view the layout wrote: the browser holds it
_FIGURES = ("trend", "pareto", "heatmap")



def _controls(params: dict, sites: dict) -> list:
    return [
        site_field(spec.id("site"), params["site"], sites),
        period_field(spec.id("days"), params["days"]),
    ]



def layout(**query):
    access, params, notes, refused = open_page(spec.key, query, QUALITY_QUERY, "the quality page")
    if refused is not None:
        return refused
    sites, site, refused = choose_site(access, "Quality", params, notes, back=("/quality", "Quality"))
    if refused is not None:
        return refused
    params["as_of"] = params["as_of"].isoformat()
    return page_frame(spec, "Quality", f"{site['name']} · {params['days']} days ending {params['as_of']}", params=params,
                      notes=notes, controls=_controls(params, sites), body=[
        html.Div([
            dcc.Loading(html.Div(id=spec.id("tiles")), type="dot"),
            dbc.Row([
                dbc.Col([html.H4("First pass yield by day", className="section-title"), loading_graph(spec.id("trend"))], xl=6),
                dbc.Col([html.Div([html.H4("Scrap Pareto", className="section-title"),
                                   radio_group(spec.id("by"), params["by"], [{"label": v, "value": k} for k, v in PARETO_BY.items()])],
                                  className="plant-section-head"),
                         loading_graph(spec.id("pareto")), html.Div(REASON_NOTE, className="plant-hint", id=spec.id("reason-note"))], xl=6),
            ]),
            html.H4("First pass yield by product and day", className="section-title mt-2"),
            dcc.Loading(html.Div(graph(spec.id("heatmap"), empty_figure("Loading…")),
                                 className="frame-scroll plant-heatmap-frame"), type="default"),
            dbc.Row([
                dbc.Col([html.H4("First pass yield by product", className="section-title"),
                         data_grid(spec.id("products"), PRODUCT_COLUMNS, height=360,
                                   empty_message="No MO of this site was done in this period.")], xl=6),
                dbc.Col([html.Div([html.H4("Scrapped lots", className="section-title"),
                                   html.Span("Open a lot to trace it to its vendor and its MOs.", className="plant-hint")],
                                  className="plant-section-head"),
                         data_grid(spec.id("lots"), LOT_COLUMNS, height=360,
                                   empty_message="No lot-tracked scrap at this site in this period.")], xl=6),
            ], className="mt-2"),
            html.H4("Nonconformances", className="section-title mt-2"),
            dcc.Loading(html.Div(id=spec.id("nc")), type="dot"),
        ], id=spec.id("content")),
    ], className="plant-page quality-page")


@callback(Output(spec.id("nav"), "search"),
          inputs=dict(site=Input(spec.id("site"), "value"), by=Input(spec.id("by"), "value"),
                      days=Input(spec.id("days"), "value")),
          state=dict(params=State(spec.id("params"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(site=OptionalId, by=choice(PARETO_BY, "grouping") | None, days=Days | None, params=STORE)
def _to_url(site, by, days, params, *, access):
    """Controls -> URL: the page re-renders from it (validated again there)."""
    current = params or {}
    if (site, by, days) == (current.get("site"), current.get("by"), current.get("days")):
        raise PreventUpdate
    return quality_href(site, by, days, current.get("as_of"))[len("/quality"):]


_BODY = dict(message=Output(spec.id("message"), "children"), shown=Output(spec.id("content"), "style"),
             tiles=Output(spec.id("tiles"), "children"), trend=Output(spec.id("trend"), "figure"),
             pareto=Output(spec.id("pareto"), "figure"), heatmap=Output(spec.id("heatmap"), "figure"),
             products=Output(spec.id("products"), "rowData"),
             lots=Output(spec.id("lots"), "rowData"), nc=Output(spec.id("nc"), "children"),
             fresh=Output(spec.id("freshness"), "children"),
             styles=[Output(spec.id(name), "style") for name in _FIGURES])
_UNCHANGED = {k: [no_update] * len(v) if isinstance(v, list) else no_update for k, v in _BODY.items()}


def _only(message) -> dict:
    return {**_UNCHANGED, "message": message, "shown": {"display": "none"}, "fresh": ""}


def _nc_section(has_app: bool, trend: dict | None, alerts: list, scale: float):
    """Closure time trend and open alerts with the app; without it, why not and what is shown instead."""
    if not has_app:
        return html.Div([notice(FALLBACK_TEXT)], id=spec.id("nc-fallback"))
    figure = for_screen(trend, scale)
    return dbc.Row([
        dbc.Col([html.H5("NC closure time by week", className="section-title"),
                 dcc.Graph(id=spec.id("nc-trend"), config=GRAPH_CONFIG, figure=figure, style=graph_style(figure))], xl=5),
        dbc.Col([html.H5(f"Open quality alerts ({len(alerts)})", className="section-title"),
                 data_grid(spec.id("alerts"), ALERT_COLUMNS, alerts, height=360,
                           empty_message="No quality alert is open.")], xl=7),
    ], id=spec.id("nc-app"))


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """Everything about one site, after checking again on the server that the caller may see it (the store
    is the browser's). Rendered once per role, scope, view, screen scale and data."""
    params, _ = parse_query(data if isinstance(data, dict) else {}, QUALITY_QUERY, service.today())
    as_of, days, site_id, by = params["as_of"], params["days"], params["site"], params["by"]
    settings = service.settings()
    bucket = trend_bucket(days)
    has_app = service_quality.has_quality_app()
    try:
        sites = service.sites(access, as_of, days)
        if site_id not in sites:
            return _only(not_found(f"Site {site_id}"))
        site = sites[site_id]
        company_id = site.get("company_id")
        period = service.kpi_results(access, as_of, days, kpis=("first_pass_yield", "nc_closure_days"),
                                     scope_kinds=("warehouse", "company"))
        series = service.kpi_results(access, as_of, days, kpis=("first_pass_yield",), scope_kinds=("warehouse",),
                                     bucket=bucket)
        nc_weekly = (service.kpi_results(access, as_of, max(days, 91), kpis=("nc_closure_days",), scope_kinds=("company",),
                                         bucket="week") if has_app else {"computed_at": period["computed_at"], "results": []})
        rows = service_quality.fpy_scrap_pareto(access, as_of, days, site_id, by)
        products = service_quality.fpy_by_product(access, as_of, days, site_id)
        top = products[:HEATMAP_PRODUCTS]
        product_series = service_quality.fpy_product_series(access, as_of, days, site_id, [p["id"] for p in top])
        lots = service_quality.scrapped_lots(access, as_of, days, site_id)
        alerts = service_quality.open_alerts(access, as_of, days) if has_app else []
        currency = service.companies(access).get(company_id, {}).get("currency")
    except service.DataError as error:
        return _only(error_alert(error.user_message))
    catalogue = service.catalogue()
    scale = screen_scale(scale)
    alerts = [a for a in alerts if a.get("company_id") == company_id]

    def build() -> dict:
        per_site = index_results(period["results"], "warehouse", ("first_pass_yield",))
        per_company = index_results(period["results"], "company", ("nc_closure_days",))
        d_fpy = catalogue.for_scope("first_pass_yield", "warehouse", site_id, days)
        trend = kpi_trend(site_trend_points(series["results"], "first_pass_yield", "warehouse", site_id),
                          catalogue.for_scope("first_pass_yield", "warehouse", site_id, 1 if bucket == "day" else 7),
                          title=f"First pass yield · {site['name']}", bucket=bucket,
                          empty_message="No MO of this site was done in this period.")
        figure = pareto(pareto_items(rows, by), unit="count", value_label="Scrapped units",
                        empty_message="No scrap on this site's MOs done in this period.")
        nc_trend = kpi_trend(site_trend_points(nc_weekly["results"], "nc_closure_days", "company", company_id),
                             catalogue.for_scope("nc_closure_days", "company", company_id, 7), bucket="week",
                             title="Mean days to close", empty_message="No quality alert was closed in these weeks.")
        tiles = quality_tiles(catalogue, per_site.get(("first_pass_yield", site_id)),
                              [r for (k, cid), r in per_company.items() if cid == company_id], site_id, days,
                              site_name=site["name"], scrap_qty=sum(r["qty"] for r in rows),
                              scrap_cost=sum(r["cost"] for r in rows), currency=currency, has_app=has_app,
                              tile_id=spec.id)
        grid = product_heatmap(top, period_days(as_of, days), product_series,
                               catalogue.for_scope("first_pass_yield", "warehouse", site_id, 1),
                               empty_message="No MO of this site was done in this period.")
        shown = [for_screen(trend, scale), for_screen(figure, scale), for_screen(grid, scale)]
        wide = graph_style(shown[2], minWidth=f"{heatmap_min_width(days) * scale:.0f}px") if top else graph_style(shown[2])
        link = lambda lot: lot_href(lot, as_of, days, site_id)
        return {"message": None, "shown": {}, "tiles": tile_grid(tiles), "trend": shown[0], "pareto": shown[1],
                "heatmap": shown[2],
                "styles": [graph_style(shown[0]), graph_style(shown[1]), wide], "products": product_rows(products, d_fpy),
                "lots": lot_rows(lots, link),
                "nc": _nc_section(has_app, nc_trend, alert_rows(alerts, as_of, settings.zone, settings.odoo_base_url, link),
                                  scale)}

    parts = {"view": [as_of, days, site_id, by], "scale": scale, "site": site, "app": has_app,
             "computed_at": [period["computed_at"], series["computed_at"], nc_weekly["computed_at"]],
             "rows": [rows, products, product_series, lots, alerts], "currency": currency,
             "settings": [settings.zone.key, settings.odoo_base_url]}
    built = service.rendered("quality.body", access, parts, build)
    return dict(built, fresh=freshness([period, series], settings.zone))
