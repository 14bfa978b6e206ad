"""Executive overview: sites x headline KPIs heat map, company KPIs, worst exceptions, 13-month trends.

The view lives in the URL (``/executive?as_of=2026-11-21&days=30&company=1&site=2&kpi=supplier_otif``):
filters and clicks change the URL, the page re-renders from it, so links, back and bookmarks reproduce it.
"""
from dataclasses import replace
from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import service, ui
from dashboard.auth import guarded, page_access
from dashboard.executive_tables import (breakdown_table, cell_table, detail_card, empty_why, exceptions_table,
                                        legend)
from dashboard.executive_view import (DAYS_CHOICES, PLANT_METRICS, TREND_DAYS, ViewState, drill_href, exceptions,
                                      index_results, parse_query, previous_values, scope_view, series_points,
                                      site_label, view_href)
from dashboard.extensions import state
from dashboard.figures import empty_figure, kpi_trend, status_heatmap
from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS
from data_access.errors import DataError
from data_access.queries.dimensions import companies, partners, warehouses

PAGE = "executive"
dash.register_page(__name__, path="/executive", name="Executive", order=10, page_key=PAGE, nav=True,
                   description="Sites x headline KPIs against thresholds, worst exceptions and 13-month trends.")

HEADLINE = HEADLINE_SITE_KPIS + HEADLINE_COMPANY_KPIS
SCOPES = ("warehouse", "company")
PARTNER_KPIS = {"supplier_otif": "Vendor", "late_po_lines": "Vendor", "customer_otif": "Customer",
                "late_so_lines": "Customer", "gross_margin_pct": "Customer", "overdue_receivables": "Customer"}
_GRAPH = {"displayModeBar": False, "responsive": True}


def _filters(view: ViewState):
    return [
        html.Div([html.Div("As of", className="filter-label"),
                  dcc.DatePickerSingle(id="executive-as-of", date=view.as_of.isoformat(), display_format="YYYY-MM-DD",
                                       max_date_allowed=service.today().isoformat(), first_day_of_week=1)]),
        html.Div([html.Div("Period", className="filter-label"),
                  dcc.Dropdown(id="executive-days", value=view.days, clearable=False, searchable=False,
                               options=[{"label": f"{d} days", "value": d} for d in DAYS_CHOICES],
                               className="executive-filter-days")]),
        html.Div([html.Div("Company", className="filter-label"),
                  dcc.Dropdown(id="executive-company", value=view.company, placeholder="All companies",
                               className="executive-filter-wide")]),
        html.Div([html.Div("Site", className="filter-label"),
                  dcc.Dropdown(id="executive-site", value=view.site, placeholder="All sites",
                               className="executive-filter-wide")]),
    ]


def layout(**query):
    access, reason = page_access(PAGE)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the executive page")
    view = parse_query(query, today=service.today(), kpis=HEADLINE)
    tz = state().settings.timezone
    return html.Div([
        dcc.Location(id="executive-nav", refresh="callback-nav"),
        dcc.Store(id="executive-query", data=view.as_data()),
        dcc.Store(id="executive-view"),
        dcc.Store(id="executive-grid"),
        ui.page_header("Executive overview",
                       f"{view.days} days ending {view.as_of.isoformat()} against the previous {view.days} · days in {tz}",
                       right=_filters(view)),
        html.Div([dbc.Alert(n, color="info", className="py-1 px-2 small mb-2") for n in view.notices],
                 id="executive-notice"),
        html.Div(id="executive-message"),
        html.Div([
            dbc.Row([
                dbc.Col([
                    html.Div([html.H4("Sites", className="section-title"), legend()], className="executive-section-head"),
                    dcc.Loading(dcc.Graph(id="executive-heatmap", config=_GRAPH, figure=empty_figure("Loading…")),
                                type="default"),
                    html.H4("Companies", className="section-title"),
                    dcc.Loading(dcc.Graph(id="executive-company-heatmap", config=_GRAPH,
                                          figure=empty_figure("Loading…", height=140)), type="default"),
                    html.Details([html.Summary("Show the heat maps as tables", id="executive-table-toggle"),
                                  dcc.Loading(html.Div(id="executive-table"), type="dot")],
                                 className="executive-details"),
                ], xl=7),
                dbc.Col([html.H4("Worst exceptions", className="section-title"),
                         dcc.Loading(html.Div(id="executive-exceptions"), type="dot")], xl=5),
            ], className="g-4"),
            dcc.Loading(html.Div(id="executive-detail"), type="dot"),
            html.Div([html.H4("Trends: 13 months by week", className="section-title"),
                      html.Span(id="executive-trend-scope", className="executive-hint")],
                     className="executive-section-head"),
            dcc.Loading(html.Div(id="executive-trends"), type="default"),
        ], id="executive-content"),
        html.Div(id="executive-freshness", className="mt-3"),
    ], className="executive-page")


def _scope(access, view: ViewState):
    """Sites and companies the caller may see (the database decides, filtered by the access's scope)."""
    sites = {i: s for i, s in service.run_query(access, warehouses, view.as_of, view.days).items()
             if access.allows_warehouse(i)}
    return sites, service.run_query(access, companies, view.as_of, view.days)


def _view(view_data) -> ViewState:
    """The view from a store, re-validated (the browser holds it); refuses the update when malformed."""
    try:
        view = ViewState.from_data(view_data)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise PreventUpdate from None
    if view.days not in DAYS_CHOICES or (view.kpi is not None and view.kpi not in HEADLINE):
        raise PreventUpdate
    return view


def _in_scope(access, view: ViewState):
    """``(sites, companies)`` after checking again that the view (a store the browser could tamper with)
    names only what the caller may see; refuses the update otherwise."""
    sites, comps = _scope(access, view)
    if scope_view(view, sites, comps).blocked:
        raise PreventUpdate
    return sites, comps


@callback(Output("executive-company", "options"), Output("executive-site", "options"), Output("executive-view", "data"),
          Output("executive-message", "children"), Output("executive-content", "style"),
          Input("executive-query", "data"))
@guarded(PAGE)
def _check_scope(query, *, access):
    """The URL's view checked against the scope: a site or company outside it shows only 'not found'."""
    try:
        view = ViewState.from_data(query)
        sites, comps = _scope(access, view)
    except DataError as error:
        return [], [], None, ui.error_alert(error.user_message), {"display": "none"}
    except (KeyError, TypeError, ValueError):
        raise PreventUpdate
    view = scope_view(view, sites, comps)
    company_opts = [{"label": c["name"], "value": i} for i, c in comps.items()]
    site_opts = [{"label": site_label(s), "value": i} for i, s in sites.items()
                 if view.company is None or s["company_id"] == view.company]
    if view.blocked:
        return company_opts, site_opts, None, ui.not_found(view.blocked), {"display": "none"}
    notes = [dbc.Alert(n, color="info", className="py-1 px-2 small mb-2") for n in view.notices[len(query["notices"]):]]
    return company_opts, site_opts, view.as_data(), notes or None, {}


@callback(Output("executive-nav", "search"),
          Input("executive-as-of", "date"), Input("executive-days", "value"), Input("executive-company", "value"),
          Input("executive-site", "value"), State("executive-query", "data"), State("executive-company", "options"),
          State("executive-site", "options"), prevent_initial_call=True)
@guarded(PAGE)
def _to_url(as_of, days, company, site, query, company_opts, site_opts, *, access):
    """Filters -> URL; a new company clears the site, a new company or site closes the KPI detail.

    Only a real change navigates: a dropdown clearing a value it has no option for (an id from the URL
    that is outside the scope) must not replace the "not found" message with another view.
    """
    query = query or {}
    trigger = ctx.triggered_id
    for name, value, opts in (("company", company, company_opts), ("site", site, site_opts)):
        if trigger == f"executive-{name}" and value is None and query.get(name) is not None \
                and query[name] not in {o["value"] for o in opts or []}:
            raise PreventUpdate
    if trigger == "executive-company":
        site = None
    kpi = query.get("kpi") if trigger in ("executive-as-of", "executive-days") else None
    if trigger in ("executive-company", "executive-site") and (company, site) == (query.get("company"), query.get("site")):
        kpi = query.get("kpi")
    search = view_href(as_of or service.today().isoformat(), days or 30, company=company, site=site,
                       kpi=kpi).removeprefix("/executive")
    current = view_href(query.get("as_of", ""), query.get("days", 30), company=query.get("company"),
                        site=query.get("site"), kpi=query.get("kpi")).removeprefix("/executive")
    if search == current:
        raise PreventUpdate
    return search


@callback(Output("executive-nav", "href"), Input("executive-heatmap", "clickData"),
          Input("executive-company-heatmap", "clickData"), State("executive-grid", "data"),
          State("executive-view", "data"), prevent_initial_call=True)
@guarded(PAGE)
def _drill(site_click, company_click, grid, view_data, *, access):
    """A heat map cell -> the plant page (plant KPIs) or this page's detail for that site/company and KPI."""
    company_map = ctx.triggered_id == "executive-company-heatmap"
    return _cell_href(company_click if company_map else site_click, grid, view_data, company_map=company_map)


def _cell_href(click, grid, view_data, *, company_map: bool) -> str:
    """The drill target of a clicked cell: Dash hands heat map clicks over as x/y positions (KPI column,
    row); ``grid`` maps them back to ids. Refuses the update on anything malformed."""
    try:
        point = click["points"][0]
        rows, kpis = (grid["companies"], HEADLINE_COMPANY_KPIS) if company_map else (grid["sites"], HEADLINE_SITE_KPIS)
        row_id, kpi = int(rows[int(point["y"])]), kpis[int(point["x"])]
        view = ViewState.from_data(view_data)
        company_of = grid["company_of"]
    except (KeyError, IndexError, TypeError, ValueError):
        raise PreventUpdate from None
    if company_map:
        return drill_href(kpi, as_of=view.as_of, days=view.days, company=row_id)
    return drill_href(kpi, as_of=view.as_of, days=view.days, site=row_id, company=company_of.get(str(row_id)))


def _rows(view: ViewState, sites, comps):
    site_rows = [(i, site_label(s)) for i, s in sites.items()
                 if (view.company is None or s["company_id"] == view.company) and (view.site is None or i == view.site)]
    company_rows = [(i, c["name"]) for i, c in comps.items() if view.company is None or i == view.company]
    return site_rows, company_rows


@callback(Output("executive-heatmap", "figure"), Output("executive-company-heatmap", "figure"),
          Output("executive-table", "children"), Output("executive-grid", "data"),
          Output("executive-freshness", "children"), Input("executive-view", "data"))
@guarded(PAGE)
def _heatmaps(view_data, *, access):
    view = _view(view_data)
    cat = service.catalogue()
    try:
        sites, comps = _in_scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
        before = service.kpi_results(access, view.as_of - timedelta(days=view.days), view.days, kpis=HEADLINE,
                                     scope_kinds=SCOPES)
    except DataError as error:
        alert = ui.error_alert(error.user_message)
        return empty_figure(error.user_message), empty_figure(""), alert, None, None
    site_rows, company_rows = _rows(view, sites, comps)
    cur_w, cur_c = index_results(now["results"], "warehouse"), index_results(now["results"], "company")
    prev_w, prev_c = previous_values(before["results"], "warehouse"), previous_values(before["results"], "company")
    site_fig = status_heatmap(site_rows, HEADLINE_SITE_KPIS, cur_w, prev_w, cat, row_kind="warehouse", days=view.days,
                              empty_message="No active sites (warehouses) in your scope.")
    company_fig = status_heatmap(company_rows, HEADLINE_COMPANY_KPIS, cur_c, prev_c, cat, row_kind="company", days=view.days,
                                 empty_message="No companies in your scope.")
    company_of = {i: s["company_id"] for i, s in sites.items()}
    args = dict(as_of=view.as_of.isoformat(), days=view.days)
    tables = html.Div([
        cell_table(site_rows, HEADLINE_SITE_KPIS, cur_w, prev_w, cat, kind="warehouse", company_of=company_of, **args),
        cell_table(company_rows, HEADLINE_COMPANY_KPIS, cur_c, prev_c, cat, kind="company", **args),
    ])
    grid = {"sites": [i for i, _ in site_rows], "companies": [i for i, _ in company_rows],
            "company_of": {str(k): v for k, v in company_of.items()}}
    tz = state().settings.timezone
    fresh = html.Div([ui.freshness(now["computed_at"]), html.Span(f" · days in {tz}", className="freshness")])
    return site_fig, company_fig, tables, grid, fresh


def _trend_scope(view: ViewState, sites, comps):
    """(site id or None, company id or None, words): trends follow the site, else the company, else the
    only company in scope; with several companies, the first (the company filter changes it)."""
    if view.site is not None:
        return view.site, sites[view.site]["company_id"], site_label(sites[view.site])
    company = view.company if view.company is not None else next(iter(comps), None)
    if company is None:
        return None, None, ""
    note = "" if view.company is not None or len(comps) == 1 else " (pick a company to change)"
    return None, company, comps[company]["name"] + note


@callback(Output("executive-trends", "children"), Output("executive-trend-scope", "children"),
          Output("executive-exceptions", "children"), Input("executive-view", "data"))
@guarded(PAGE)
def _trends(view_data, *, access):
    view = _view(view_data)
    cat = service.catalogue()
    try:
        sites, comps = _in_scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
    except DataError as error:
        return ui.error_alert(error.user_message), "", ui.error_alert(error.user_message)
    try:  # the 13-month series is the slowest query: without it the exceptions still list, ages unknown
        weekly, trend_error = service.kpi_results(access, view.as_of, TREND_DAYS, kpis=HEADLINE, scope_kinds=SCOPES,
                                                  bucket="week")["results"], None
    except DataError as error:
        weekly, trend_error = None, ui.error_alert(error.user_message)
    site, company, words = _trend_scope(view, sites, comps)
    charts = []
    for kpi in HEADLINE if weekly is not None else ():
        kind, scope_id = ("warehouse", site) if kpi in HEADLINE_SITE_KPIS and site is not None else ("company", company)
        fig = kpi_trend(series_points(weekly, kpi, kind, scope_id), cat.for_scope(kpi, kind, scope_id, 7),
                        empty_message=empty_why(kpi), height=210)
        charts.append(dbc.Col(dcc.Graph(figure=fig, config=_GRAPH, id=f"executive-trend-{kpi}"), md=6, xl=3,
                              className="executive-trend"))
    site_rows, company_rows = _rows(view, sites, comps)
    names = {("warehouse", i): label for i, label in site_rows} | {("company", i): n for i, n in company_rows}
    rows = exceptions(now["results"], weekly or [], cat, names, days=view.days, as_of=view.as_of,
                      kpis_by_kind={"warehouse": HEADLINE_SITE_KPIS, "company": HEADLINE_COMPANY_KPIS})
    table = exceptions_table(rows, as_of=view.as_of.isoformat(), days=view.days,
                             company_of={i: s["company_id"] for i, s in sites.items()}, history=weekly is not None)
    trends = trend_error or dbc.Row(charts, className="g-3")
    return trends, f"Showing {words} · ending {view.as_of.isoformat()}", table


def _narrowed(access, view: ViewState):
    """The caller's access limited to the view's site (or company): only ever narrower, never wider."""
    if view.site is not None and access.allows_warehouse(view.site):
        return replace(access, warehouse_ids=(view.site,))
    if view.company is not None and (access.company_ids is None or view.company in access.company_ids):
        return replace(access, company_ids=(view.company,))
    return None


@callback(Output("executive-detail", "children"), Input("executive-view", "data"))
@guarded(PAGE)
def _detail(view_data, *, access):
    """The drilled KPI: its definition, the site's or company's value, per-partner breakdown and trend."""
    if not view_data:
        return None
    view = _view(view_data)
    if view.kpi is None:
        return None
    narrow = _narrowed(access, view)
    if narrow is None:
        return ui.empty_state("Pick a site or company to see this KPI's detail.")
    cat = service.catalogue()
    kind = "warehouse" if view.site is not None and view.kpi in HEADLINE_SITE_KPIS else "company"
    try:
        sites, comps = _in_scope(access, view)
        scope_id = view.site if kind == "warehouse" else (view.company or sites.get(view.site, {}).get("company_id"))
        d = cat.for_scope(view.kpi, kind, scope_id, view.days)
        now = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=(kind,))
        breakdown = None
        if view.kpi in PARTNER_KPIS:
            by_partner = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=("partner",))
            parts = [r for r in by_partner["results"] if not r.get("bucket")]
            names = service.run_query(narrow, partners, view.as_of, view.days, ids=[r["scope_id"] for r in parts])
            breakdown = breakdown_table(parts, {i: n["name"] for i, n in names.items()}, d,
                                        entity=PARTNER_KPIS[view.kpi])
    except DataError as error:
        return ui.error_alert(error.user_message)
    where = site_label(sites[view.site]) if kind == "warehouse" else comps.get(scope_id, {}).get("name", "")
    result = index_results(now["results"], kind).get((scope_id, view.kpi)) or {"value": None, "status": "no_data"}
    note = None
    if view.kpi in PARTNER_KPIS:
        note = "Breakdown for the whole company." if kind == "company" else "Breakdown limited to lines of this site."
    plant = (drill_href(view.kpi, as_of=view.as_of, days=view.days, site=view.site)
             if view.kpi in PLANT_METRICS and view.site is not None else None)
    try:  # the 13-month series is the slowest query: its failure must not hide the rest of the panel
        weekly = service.kpi_results(narrow, view.as_of, TREND_DAYS, kpis=(view.kpi,), scope_kinds=(kind,), bucket="week")
    except DataError as error:
        trend = ui.error_alert(error.user_message)
    else:
        weekly_def = cat.for_scope(view.kpi, kind, scope_id, 7)
        trend = dcc.Graph(figure=kpi_trend(series_points(weekly["results"], view.kpi, kind, scope_id), weekly_def,
                                           title="By week, 13 months", empty_message=empty_why(view.kpi), height=260),
                          config=_GRAPH, id="executive-detail-trend")
    return detail_card(d, where=where, result=result, breakdown=breakdown, trend=trend, note=note, plant_href=plant,
                       close_href=view_href(view.as_of, view.days, company=view.company, site=view.site))
