"""Executive overview: sites x headline KPIs heat map, company KPIs, worst exceptions, 13-month trends.

The URL is the one source of truth (``/executive?as_of=2026-11-21&days=30&company=1&site=2&kpi=supplier_otif``):
the layout validates it, checks its scope and renders the filters with their options and values; a filter
a person changes, or a clicked cell, navigates to a new URL. Callbacks render from the view store the
layout wrote, re-validated, since the browser holds it.
"""
from dataclasses import replace
from datetime import timedelta

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, service
from dashboard.auth import guarded, page_access
from dashboard.figures import SCALE_STORE, empty_figure, screen_scale
from dashboard.formats import fmt_date
from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS
from dashboard.pages_registry import register
from dashboard.urlstate import PERIOD_CHOICES, Invalid, parse_date, parse_days, parse_id
from dashboard.views.executive import (
    HEADLINE,
    NO_TREND_KPIS,
    PARTNER_KPIS,
    PLANT_METRICS,
    SCOPES,
    TREND_DAYS,
    View,
    cell_target,
    drill_href,
    exceptions,
    in_scope,
    index_results,
    previous_values,
    read_query,
    series_points,
    site_label,
    trend_scope,
    visible_rows,
)
from dashboard.views.executive_panels import (
    GRAPH_CONFIG,
    breakdown_grid,
    detail_card,
    detail_trend,
    exceptions_list,
    kpi_heatmap,
    trend_panels,
    twin_grid,
    twin_rows,
)

spec = register(__name__, "executive")  # Dash's register_page (Dash only imports page files naming it)
ID = spec.id
TITLE = "Executive overview"


def _filters(view: View, sites, comps):
    days = sorted(set(PERIOD_CHOICES) | {view.days})
    site_opts = [{"label": site_label(s), "value": i} for i, s in sites.items()
                 if view.company is None or s["company_id"] == view.company]
    return [
        html.Div([html.Div("As of", className="filter-label"),
                  dcc.DatePickerSingle(id=ID("as-of"), date=view.as_of.isoformat(), display_format="YYYY-MM-DD",
                                       max_date_allowed=service.today().isoformat(), first_day_of_week=1)]),
        html.Div([html.Div("Period", className="filter-label"),
                  dcc.Dropdown(id=ID("days"), value=view.days, clearable=False, searchable=False,
                               options=[{"label": f"{d} days", "value": d} for d in days], className="exec-filter-days")]),
        html.Div([html.Div("Company", className="filter-label"),
                  dcc.Dropdown(id=ID("company"), value=view.company, placeholder="All companies", className="exec-filter-wide",
                               options=[{"label": c["name"], "value": i} for i, c in comps.items()])]),
        html.Div([html.Div("Site", className="filter-label"),
                  dcc.Dropdown(id=ID("site"), value=view.site, placeholder="All sites", className="exec-filter-wide",
                               options=site_opts)]),
    ]


def _graph(graph_id: str, height: int, frame_class: str):
    """A heat map in its own scrolling frame (a phone scrolls the frame, never the page)."""
    graph = dcc.Graph(id=graph_id, config=GRAPH_CONFIG, figure=empty_figure("Loading…", height=height))
    return html.Div(dcc.Loading(graph, type="default"), className=f"frame-scroll {frame_class}")


def layout(**query):
    access, reason = page_access(spec.key)
    if access is None:
        return components.signed_out() if reason == "signed_out" else components.not_permitted("the executive page")
    view, notes = read_query(query, service.today())
    try:
        sites, comps = service.sites(access, view.as_of, view.days), service.companies(access)
    except service.DataError as error:
        return components.problem_page(TITLE, components.error_alert(error.user_message), back=("/", "Home"), notices=notes)
    checked, blocked, more = in_scope(view, sites, comps)
    if checked is None:
        return components.problem_page(TITLE, components.not_found(blocked), back=("/executive", "All sites"), notices=notes)
    view = checked
    subtitle = f"{view.days} days ending {fmt_date(view.as_of)}, against the previous {view.days} days"
    return html.Div([
        dcc.Location(id=ID("nav"), refresh="callback-nav"),
        dcc.Store(id=ID("view"), data=view.as_data()),
        components.page_header(TITLE, subtitle, controls=_filters(view, sites, comps), fresh_id=ID("freshness")),
        components.notices(notes + more, id=ID("notice")),
        html.Div([html.H4("Sites", className="section-title"),
                  components.legend("▲▼ change vs the previous period: green better, red worse")], className="exec-section-head"),
        _graph(ID("heatmap"), 300, "exec-frame-sites"),
        dcc.Loading(html.Div(id=ID("detail")), type="dot"),
        dbc.Row([
            dbc.Col([html.H4("Companies", className="section-title"),
                     _graph(ID("company-heatmap"), 170, "exec-frame-companies"),
                     html.Details([html.Summary("Show the heat maps as tables", id=ID("table-toggle")),
                                   dcc.Loading(html.Div(id=ID("table")), type="dot")], className="exec-details")],
                    xs=12, xxl=5),
            dbc.Col([html.H4("Worst exceptions", className="section-title"),
                     dcc.Loading(html.Div(id=ID("exceptions")), type="dot")], xs=12, xxl=7),
        ], className="g-4"),
        html.Div([html.H4("Trends: 13 months by week", className="section-title"),
                  html.Span(id=ID("trend-scope"), className="exec-hint")], className="exec-section-head"),
        html.Div(id=ID("trend-note"), className="exec-hint mb-2"),
        dcc.Loading(html.Div(id=ID("trends")), type="default"),
    ], className="executive-page")


components.csv_export(ID("cells"))


def _view(data) -> View:
    """The view from its store, re-validated (the browser holds it); refuses the update when malformed."""
    try:
        return View.from_data(data, service.today())
    except Invalid:
        raise PreventUpdate from None


def _scope(access, view: View):
    """``(sites, companies)`` after checking again that the view names only what the caller may see."""
    sites, comps = service.sites(access, view.as_of, view.days), service.companies(access)
    checked, _blocked, _notes = in_scope(view, sites, comps)
    if checked != view:
        raise PreventUpdate
    return sites, comps


def _currencies(sites, comps):
    """``(by company, by site)``: each company's currency, and each site's company's."""
    by_company = {i: c.get("currency") for i, c in comps.items()}
    return by_company, {i: by_company.get(s["company_id"]) for i, s in sites.items()}


@callback(Output(ID("nav"), "search"),
          inputs=dict(as_of=Input(ID("as-of"), "date"), days=Input(ID("days"), "value"),
                      company=Input(ID("company"), "value"), site=Input(ID("site"), "value")),
          state=dict(data=State(ID("view"), "data")), prevent_initial_call=True)
@guarded(spec.key)
def _to_url(as_of, days, company, site, data, *, access):
    """A filter a person changed -> the URL. A new company clears the site; a new company or site closes
    the KPI detail; nothing changed (a re-rendered dropdown) navigates nowhere."""
    view = _view(data)
    try:
        wanted = View(parse_date(as_of, service.today()) if as_of else view.as_of, parse_days(days) if days else view.days,
                      None if company is None else parse_id(company), None if site is None else parse_id(site), view.kpi)
    except Invalid:
        raise PreventUpdate from None
    if wanted.company != view.company:
        wanted = replace(wanted, site=None, kpi=None)
    elif wanted.site != view.site:
        wanted = replace(wanted, kpi=None)
    if wanted == view:
        raise PreventUpdate
    return wanted.href().removeprefix("/executive")


@callback(Output(ID("nav"), "href"),
          inputs=dict(site_click=Input(ID("heatmap"), "clickData"), company_click=Input(ID("company-heatmap"), "clickData")),
          state=dict(data=State(ID("view"), "data")), prevent_initial_call=True)
@guarded(spec.key)
def _drill(site_click, company_click, data, *, access):
    """A heat map cell -> the plant page (plant KPIs of a site) or this page's detail, same period."""
    view = _view(data)
    sites, comps = _scope(access, view)
    company_map = ctx.triggered_id == ID("company-heatmap")
    target = cell_target(view, company_click if company_map else site_click, "company" if company_map else "warehouse",
                         sites, comps)
    if target is None:
        raise PreventUpdate
    return target


@callback(output=dict(sites=Output(ID("heatmap"), "figure"), companies=Output(ID("company-heatmap"), "figure"),
                      table=Output(ID("table"), "children"), fresh=Output(ID("freshness"), "children")),
          inputs=dict(data=Input(ID("view"), "data"), scale=State(SCALE_STORE, "data")))
@guarded(spec.key)
def _heatmaps(data, scale=1, *, access):
    view, scale = _view(data), screen_scale(scale)
    cat = service.catalogue()
    try:
        sites, comps = _scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
        before = service.kpi_results(access, view.as_of - timedelta(days=view.days), view.days,
                                     kpis=HEADLINE, scope_kinds=SCOPES)
    except service.DataError as error:
        return dict(sites=empty_figure(error.user_message), companies=empty_figure(""),
                    table=components.error_alert(error.user_message), fresh="")
    site_rows, company_rows = visible_rows(view, sites, comps)
    by_company, by_site = _currencies(sites, comps)
    company_of = {i: s["company_id"] for i, s in sites.items()}
    grids = {kind: (index_results(now["results"], kind), previous_values(before["results"], kind)) for kind in SCOPES}
    args = dict(catalogue=cat, days=view.days, scale=scale)
    site_fig = kpi_heatmap(site_rows, HEADLINE_SITE_KPIS, "warehouse", *grids["warehouse"], currency_of=by_site,
                           empty_message="No active sites (warehouses) in your scope.", **args)
    company_fig = kpi_heatmap(company_rows, HEADLINE_COMPANY_KPIS, "company", *grids["company"], currency_of=by_company,
                              empty_message="No companies in your scope.", **args)
    table = twin_grid(twin_rows(view, site_rows, HEADLINE_SITE_KPIS, "warehouse", *grids["warehouse"], cat,
                                currency_of=by_site, company_of=company_of)
                      + twin_rows(view, company_rows, HEADLINE_COMPANY_KPIS, "company", *grids["company"], cat,
                                  currency_of=by_company))
    return dict(sites=site_fig, companies=company_fig, table=table,
                fresh=components.freshness(now["computed_at"], service.settings().zone))


@callback(output=dict(trends=Output(ID("trends"), "children"), scope=Output(ID("trend-scope"), "children"),
                      note=Output(ID("trend-note"), "children"), exceptions=Output(ID("exceptions"), "children")),
          inputs=dict(data=Input(ID("view"), "data"), scale=State(SCALE_STORE, "data")))
@guarded(spec.key)
def _trends(data, scale=1, *, access):
    """Weekly trends and the worst exceptions (their age in weeks comes from the same 13-month series,
    the slowest query: its own callback, so the heat maps never wait for it)."""
    view = _view(data)
    cat = service.catalogue()
    try:
        sites, comps = _scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
    except service.DataError as error:
        return dict(trends=components.error_alert(error.user_message), scope="", note="", exceptions=components.error_alert(error.user_message))
    try:  # without the weekly series the exceptions still list, ages unknown
        weekly, trend_error = service.kpi_results(access, view.as_of, TREND_DAYS, kpis=HEADLINE, scope_kinds=SCOPES,
                                                  bucket="week")["results"], None
    except service.DataError as error:
        weekly, trend_error = None, components.error_alert(error.user_message)
    site_rows, company_rows = visible_rows(view, sites, comps)
    names = {("warehouse", i): label for i, label in site_rows} | {("company", i): n for i, n in company_rows}
    rows = exceptions(now["results"], weekly or [], cat, names, days=view.days, as_of=view.as_of)
    by_company, _by_site = _currencies(sites, comps)
    listed = exceptions_list(rows, view, company_of={i: s["company_id"] for i, s in sites.items()},
                             currency_of=by_company, history=weekly is not None)
    site, company, words = trend_scope(view, sites, comps)
    charts, note = trend_panels(weekly or [], cat, site=site, company=company, scale=screen_scale(scale))
    return dict(trends=trend_error or dbc.Row(charts, className="g-3"), note=note, exceptions=listed,
                scope=f"Showing {words} · weeks ending {fmt_date(view.as_of)}")


@callback(Output(ID("detail"), "children"), inputs=dict(data=Input(ID("view"), "data"), scale=State(SCALE_STORE, "data")))
@guarded(spec.key)
def _detail(data, scale=1, *, access):
    """The drilled KPI: its tile, formula and owner, the per-partner breakdown and the weekly trend."""
    view = _view(data)
    try:
        sites, comps = _scope(access, view)
    except service.DataError as error:
        return components.error_alert(error.user_message)
    if view.kpi is None:
        return None
    kind = "warehouse" if view.site is not None and view.kpi in HEADLINE_SITE_KPIS else "company"
    if view.company is None:
        return components.empty_state("Pick a site or company to see this KPI's detail.", id=ID("detail-card"))
    # Narrowed to the view's site or company (checked in scope first): only ever narrower, never wider.
    narrow = replace(access, warehouse_ids=(view.site,)) if kind == "warehouse" else replace(access, company_ids=(view.company,))
    scope_id = view.site if kind == "warehouse" else view.company
    cat = service.catalogue()
    d = cat.for_scope(view.kpi, kind, scope_id, view.days)
    try:
        now = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=(kind,))
        currency = comps.get(view.company, {}).get("currency")
        breakdown = None
        if view.kpi in PARTNER_KPIS:
            by_partner = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=("partner",))
            parts = [r for r in by_partner["results"] if not r.get("bucket")]
            names = service.partners(narrow, [r["scope_id"] for r in parts])
            breakdown = breakdown_grid(parts, {i: n["name"] for i, n in names.items()}, d, entity=PARTNER_KPIS[view.kpi],
                                       currency=currency)
    except service.DataError as error:
        return components.error_alert(error.user_message)
    where = site_label(sites[view.site]) if kind == "warehouse" else comps[view.company]["name"]
    result = index_results(now["results"], kind).get((scope_id, view.kpi))
    note = None
    if view.kpi in PARTNER_KPIS:
        note = "Breakdown for the whole company." if kind == "company" else "Breakdown limited to lines of this site."
    plant = drill_href(view.kpi, view, site=view.site) if view.kpi in PLANT_METRICS and view.site is not None else None
    if view.kpi in NO_TREND_KPIS:
        trend = detail_trend(view.kpi, [], d)
    else:
        try:  # the 13-month series is the slowest query: its failure must not hide the rest of the panel
            weekly = service.kpi_results(narrow, view.as_of, TREND_DAYS, kpis=(view.kpi,), scope_kinds=(kind,),
                                         bucket="week")
        except service.DataError as error:
            trend = components.error_alert(error.user_message)
        else:
            trend = detail_trend(view.kpi, series_points(weekly["results"], view.kpi, kind, scope_id),
                                 cat.for_scope(view.kpi, kind, scope_id, 7), screen_scale(scale))
    return detail_card(d, where=where, period=f"{view.days} days ending {fmt_date(view.as_of)}", result=result,
                       currency=currency, breakdown=breakdown, trend=trend, note=note, plant_href=plant,
                       close_href=view.href(kpi=None))
