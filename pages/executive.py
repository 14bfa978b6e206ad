"""Executive overview: sites x headline KPIs heat map, company KPIs, worst exceptions, 13-month trends.

The URL is the one source of truth (``/executive?as_of=2026-11-21&days=30&company=1&site=2&kpi=supplier_otif``):
the layout validates it, checks its scope and renders the filters with their options and values; a filter
a person changes, or a clicked cell, navigates to a new URL. Callbacks render from the view store the
layout wrote, re-validated, since the browser holds it.

What the callbacks render is cached (``service.rendered``) per role, scope, the view and the screen scale, and
the ``computed_at`` of every KPI result it was built from (see ``_parts``). The 13-month trends are rendered
only once their section comes into view (``assets/executive.js`` sets ``trends-shown``).
"""
from dataclasses import replace
from datetime import timedelta

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, service
from dashboard.auth import guarded, page_access
from dashboard.figures import SCALE_STORE, empty_figure, graph_style, screen_scale
from dashboard.formats import fmt_date
from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS
from dashboard.pages_registry import register
from dashboard.urlstate import PERIOD_CHOICES, Invalid, parse_date, parse_days, parse_id
from dashboard.validation import Click, Day, Days, Flag, OptionalId, Scale, accepts, store
from dashboard.views.executive import (
    HEADLINE,
    NO_TREND_KPIS,
    PARAMS,
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
VIEW = store("ExecutiveView", PARAMS)  # the view the layout wrote: the browser holds it


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
    loading = empty_figure("Loading…", height=height)
    graph = dcc.Graph(id=graph_id, config=GRAPH_CONFIG, figure=loading, style=graph_style(loading))
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
        html.Div([
            html.Div([html.H4("Trends: 13 months by week", className="section-title"),
                      html.Span(id=ID("trend-scope"), className="exec-hint")], className="exec-section-head"),
            html.Div(id=ID("trend-note"), className="exec-hint mb-2"),
            dcc.Store(id=ID("trends-shown")),  # set once the section comes into view (assets/executive.js)
            dcc.Loading(html.Div(html.Div("The trends load when you scroll to them.", className="exec-hint"),
                                 id=ID("trends"), className="exec-trends"), type="default"),
        ], id=ID("trends-section")),
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


def _parts(view: View, sites, comps, *results, scale: float = 1.0) -> dict:
    """The key of a rendered output (``service.rendered`` adds the role and scope): everything it is built
    from. The view (its drilled KPI only where the output shows it: callers pass ``replace(view, kpi=None)``
    otherwise, so opening a detail reuses the heat maps), the screen scale, the sites and companies (names,
    codes, currencies) and the ``computed_at`` of each KPI result.

    Why ``computed_at`` rather than building from the service inside ``build`` and keying on the period:
    KPI results are cached on their own, with their domain's TTL, refreshed by the ``warm`` worker and served
    stale while one request refreshes them. Keyed on the moment the data was computed, a figure is never
    older than the numbers beside it (a refreshed aggregate gets a new figure at its first view, however
    long the old figure would still live), the "Data as of" line is always the age of what is drawn, and
    the rendered TTL only decides how long an unused figure is kept. The price is reading the (cached)
    results before the rendered value: a cache read each, no query."""
    return {"view": view.as_data(), "scale": scale, "sites": sites, "companies": comps,
            "computed_at": [r["computed_at"] for r in results]}


def _weekly(access, view: View) -> dict:
    """The headline KPIs by week over 13 months ending at the view's as-of day (the slowest query)."""
    return service.kpi_results(access, view.as_of, TREND_DAYS, kpis=HEADLINE, scope_kinds=SCOPES, bucket="week")


@callback(Output(ID("nav"), "search"),
          inputs=dict(as_of=Input(ID("as-of"), "date"), days=Input(ID("days"), "value"),
                      company=Input(ID("company"), "value"), site=Input(ID("site"), "value")),
          state=dict(data=State(ID("view"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(as_of=Day | None, days=Days | None, company=OptionalId, site=OptionalId, data=VIEW)
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
@accepts(site_click=Click, company_click=Click, data=VIEW)
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
                      table=Output(ID("table"), "children"), fresh=Output(ID("freshness"), "children"),
                      sites_style=Output(ID("heatmap"), "style"), companies_style=Output(ID("company-heatmap"), "style")),
          inputs=dict(data=Input(ID("view"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=VIEW, scale=Scale)
def _heatmaps(data, scale=1, *, access):
    view, scale = _view(data), screen_scale(scale)
    cat = service.catalogue()
    try:
        sites, comps = _scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
        before = service.kpi_results(access, view.as_of - timedelta(days=view.days), view.days,
                                     kpis=HEADLINE, scope_kinds=SCOPES)
    except service.DataError as error:
        failed = empty_figure(error.user_message)
        return dict(sites=failed, companies=empty_figure(""), sites_style=graph_style(failed), companies_style=graph_style(failed),
                    table=components.error_alert(error.user_message), fresh="")
    shown = replace(view, kpi=None)  # the drilled KPI changes nothing here

    def build() -> dict:
        site_rows, company_rows = visible_rows(shown, sites, comps)
        by_company, by_site = _currencies(sites, comps)
        company_of = {i: s["company_id"] for i, s in sites.items()}
        grids = {kind: (index_results(now["results"], kind), previous_values(before["results"], kind)) for kind in SCOPES}
        args = dict(catalogue=cat, days=shown.days, scale=scale)
        site_fig = kpi_heatmap(site_rows, HEADLINE_SITE_KPIS, "warehouse", *grids["warehouse"], currency_of=by_site,
                               empty_message="No active sites (warehouses) in your scope.", **args)
        company_fig = kpi_heatmap(company_rows, HEADLINE_COMPANY_KPIS, "company", *grids["company"],
                                  currency_of=by_company, empty_message="No companies in your scope.", **args)
        table = twin_grid(twin_rows(shown, site_rows, HEADLINE_SITE_KPIS, "warehouse", *grids["warehouse"], cat,
                                    currency_of=by_site, company_of=company_of)
                          + twin_rows(shown, company_rows, HEADLINE_COMPANY_KPIS, "company", *grids["company"], cat,
                                      currency_of=by_company))
        return dict(sites=site_fig, companies=company_fig, table=table)

    built = service.rendered("executive.heatmaps", access, _parts(shown, sites, comps, now, before, scale=scale), build)
    return dict(built, fresh=components.freshness(now, service.settings().zone),
                sites_style=graph_style(built["sites"]), companies_style=graph_style(built["companies"]))


@callback(Output(ID("exceptions"), "children"), inputs=dict(data=Input(ID("view"), "data")))
@guarded(spec.key)
@accepts(data=VIEW)
def _exceptions(data, *, access):
    """The worst exceptions, their age in weeks from the 13-month series (its own callback, so the heat maps
    never wait for that slowest query)."""
    view = replace(_view(data), kpi=None)
    cat = service.catalogue()
    try:
        sites, comps = _scope(access, view)
        now = service.kpi_results(access, view.as_of, view.days, kpis=HEADLINE, scope_kinds=SCOPES)
    except service.DataError as error:
        return components.error_alert(error.user_message)
    try:  # without the weekly series the exceptions still list, ages unknown
        weekly = _weekly(access, view)
    except service.DataError:
        weekly = None

    def build():
        site_rows, company_rows = visible_rows(view, sites, comps)
        names = {("warehouse", i): label for i, label in site_rows} | {("company", i): n for i, n in company_rows}
        rows = exceptions(now["results"], (weekly or {}).get("results", []), cat, names, days=view.days, as_of=view.as_of)
        by_company, _by_site = _currencies(sites, comps)
        return exceptions_list(rows, view, company_of={i: s["company_id"] for i, s in sites.items()},
                               currency_of=by_company, history=weekly is not None)

    if weekly is None:
        return build()  # never cached: the series may answer at the next view
    return service.rendered("executive.exceptions", access, _parts(view, sites, comps, now, weekly), build)


# The trends section tells the server when it comes into view (IntersectionObserver, assets/executive.js),
# watched from the moment the exceptions above it are in place: while the page is still loading it is short,
# and every section would look "in view".
clientside_callback(ClientsideFunction("executive", "watchTrends"), Output(ID("trends-shown"), "data"),
                    Input(ID("exceptions"), "children"), State(ID("trends-section"), "id"), State(ID("trends-shown"), "id"),
                    prevent_initial_call=True)


@callback(output=dict(trends=Output(ID("trends"), "children"), scope=Output(ID("trend-scope"), "children"),
                      note=Output(ID("trend-note"), "children")),
          inputs=dict(data=Input(ID("view"), "data"), shown=Input(ID("trends-shown"), "data"),
                      scale=Input(SCALE_STORE, "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(data=VIEW, shown=Flag, scale=Scale)
def _trends(data, shown, scale=1, *, access):
    """The weekly trends of the headline KPIs, once their section is in view (nobody pays 13 charts that
    nobody scrolls to)."""
    if shown is not True:
        raise PreventUpdate
    view, scale = replace(_view(data), kpi=None), screen_scale(scale)
    cat = service.catalogue()
    try:
        sites, comps = _scope(access, view)
        weekly = _weekly(access, view)
    except service.DataError as error:
        return dict(trends=components.error_alert(error.user_message), scope="", note="")

    def build() -> dict:
        site, company, words = trend_scope(view, sites, comps)
        charts, note = trend_panels(weekly["results"], cat, site=site, company=company, scale=scale)
        return dict(trends=dbc.Row(charts, className="g-3"), note=note,
                    scope=f"Showing {words} · weeks ending {fmt_date(view.as_of)}")

    return service.rendered("executive.trends", access, _parts(view, sites, comps, weekly, scale=scale), build)


@callback(Output(ID("detail"), "children"), inputs=dict(data=Input(ID("view"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=VIEW, scale=Scale)
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
    scale = screen_scale(scale)
    cat = service.catalogue()
    try:
        now = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=(kind,))
        by_partner, names = None, {}
        if view.kpi in PARTNER_KPIS:
            by_partner = service.kpi_results(narrow, view.as_of, view.days, kpis=(view.kpi,), scope_kinds=("partner",))
            names = service.partners(narrow, [r["scope_id"] for r in by_partner["results"] if not r.get("bucket")])
    except service.DataError as error:
        return components.error_alert(error.user_message)
    weekly, trend_error = None, None
    if view.kpi not in NO_TREND_KPIS:
        try:  # the 13-month series is the slowest query: its failure must not hide the rest of the panel
            weekly = service.kpi_results(narrow, view.as_of, TREND_DAYS, kpis=(view.kpi,), scope_kinds=(kind,),
                                         bucket="week")
        except service.DataError as error:
            trend_error = components.error_alert(error.user_message)

    def build():
        d = cat.for_scope(view.kpi, kind, scope_id, view.days)
        currency = comps.get(view.company, {}).get("currency")
        breakdown = None
        if by_partner is not None:
            parts = [r for r in by_partner["results"] if not r.get("bucket")]
            breakdown = breakdown_grid(parts, {i: n["name"] for i, n in names.items()}, d, entity=PARTNER_KPIS[view.kpi],
                                       currency=currency)
        where = site_label(sites[view.site]) if kind == "warehouse" else comps[view.company]["name"]
        result = index_results(now["results"], kind).get((scope_id, view.kpi))
        note = None
        if view.kpi in PARTNER_KPIS:
            note = "Breakdown for the whole company." if kind == "company" else "Breakdown limited to lines of this site."
        plant = drill_href(view.kpi, view, site=view.site) if view.kpi in PLANT_METRICS and view.site is not None else None
        if weekly is None:
            trend = trend_error or detail_trend(view.kpi, [], d)
        else:
            trend = detail_trend(view.kpi, series_points(weekly["results"], view.kpi, kind, scope_id),
                                 cat.for_scope(view.kpi, kind, scope_id, 7), scale)
        return detail_card(d, where=where, period=f"{view.days} days ending {fmt_date(view.as_of)}", result=result,
                           currency=currency, breakdown=breakdown, trend=trend, note=note, plant_href=plant,
                           close_href=view.href(kpi=None))

    if trend_error is not None:
        return build()  # never cached: the series may answer at the next view
    results = [r for r in (now, by_partner, weekly) if r is not None]
    parts = dict(_parts(view, sites, comps, *results, scale=scale), partners=names)
    return service.rendered("executive.detail", access, parts, build)
