"""Supply chain: the headline tiles, the vendor x week OTIF heat map (13 weeks, worst vendors first), late
purchase lines, stockouts and the customer side (customer OTIF by site and customer, open late sale lines).
The view lives in the URL (``?company=&site=&days=&as_of=``); a vendor row or cell opens its page."""
from typing import Literal

from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components as comp
from dashboard import service, service_finance, service_supply
from dashboard.auth import guarded
from dashboard.figures import SCALE_STORE, empty_figure, for_screen, graph_style, screen_scale
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import as_id, parse_query
from dashboard.validation import Click, Days, OptionalId, Rows, Scale, accepts, store
from dashboard.views.plant import index_results
from dashboard.views.supply import (
    CATEGORY_COLUMNS,
    COMPANY_TILE_KPIS,
    CUSTOMER_COLUMNS,
    LATE_PO_COLUMNS,
    LATE_SO_COLUMNS,
    RUNOUT_COLUMNS,
    SITE_TILE_KPIS,
    STOCKOUT_COLUMNS,
    SUPPLY_QUERY,
    category_rows,
    customer_rows,
    late_po_rows,
    late_so_rows,
    runout_rows,
    stockout_rows,
    supply_href,
    supply_tiles,
    tile_row,
    vendor_heatmap,
    vendor_href,
    vendor_order,
    week_columns,
)

spec = register(__name__, "supply")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("SupplyStore", SUPPLY_QUERY)  # the view the layout wrote: the browser holds it
LIMIT = 200
_ALL = "all"


def _select(name: str, value, options, label: str, everything: str) -> html.Div:
    return html.Div([html.Div(label, className="filter-label"),
                     dcc.Dropdown(id=spec.id(name), value=_ALL if value is None else value, clearable=False,
                                  options=[{"label": everything, "value": _ALL}, *options],
                                  className="plant-site-select")])


def _controls(params: dict, companies: dict, sites: dict) -> list:
    shown_sites = {i: s for i, s in sites.items() if params["company"] in (None, s.get("company_id"))}
    return [
        _select("company", params["company"], [{"label": c["name"], "value": i} for i, c in companies.items()], "Company",
                "All companies"),
        _select("site", params["site"], [{"label": s["name"], "value": i} for i, s in shown_sites.items()], "Site", "All sites"),
        comp.period_field(spec.id("days"), params["days"]),
    ]


def _section(title: str, hint: str | None = None, hint_id: str | None = None) -> html.Div:
    return html.Div([html.H4(title, className="section-title"),
                     html.Span(hint, className="plant-hint", **({"id": hint_id} if hint_id else {}))],
                    className="plant-section-head")


def _filters(access, params: dict):
    """``(companies, sites, problem)``: what the caller may see, and a not-found message when the URL's company
    or site is not among them (unknown and out of scope alike)."""
    companies = service.companies(access)
    sites = service.sites(access, params["as_of"], params["days"])
    company, site = params["company"], params["site"]
    if company is not None and company not in companies:
        return companies, sites, f"Company {company}"
    if site is not None and (site not in sites or company not in (None, sites[site].get("company_id"))):
        return companies, sites, f"Site {site}" + (" of this company" if company is not None else "")
    return companies, sites, None


def layout(**query):
    access, params, notes, refused = open_page(spec.key, query, SUPPLY_QUERY, "the supply chain page")
    if refused is not None:
        return refused
    try:
        companies, sites, missing = _filters(access, params)
    except service.DataError as error:
        return comp.problem_page("Supply chain", comp.error_alert(error.user_message), back=("/", "Home"), notices=notes)
    if missing:
        return comp.problem_page("Supply chain", comp.not_found(missing), back=("/supply", "Supply chain"), notices=notes)
    where = (sites[params["site"]]["name"] if params["site"] else
             companies[params["company"]]["name"] if params["company"] else "All your companies and sites")
    params["as_of"] = params["as_of"].isoformat()
    return comp.page_frame(spec, "Supply chain", f"{where} · {params['days']} days ending {params['as_of']}", params=params,
                           notes=notes, controls=_controls(params, companies, sites), stores=[dcc.Store(id=spec.id("rows"))], body=[
        html.Div([
            dcc.Loading(html.Div(id=spec.id("tiles")), type="dot"),
            _section("Supplier OTIF by vendor and week", "13 weeks ending the as-of day, worst vendors first. "
                     "Click a vendor or a cell to open it."),
            comp.legend(),
            dcc.Loading(html.Div(comp.graph(spec.id("heatmap"), empty_figure("Loading…")),
                                 className="frame-scroll plant-heatmap-frame"), type="default"),
            _section("Late purchase lines", "Planned before the as-of day, not received in full by its end; oldest first.",
                     spec.id("late-po-note")),
            comp.data_grid(spec.id("late-po"), LATE_PO_COLUMNS, csv_name="late-purchase-lines", height=380,
                           empty_message="No purchase line is late in this scope."),
            _section("Stockout risk", "Active reordering rules at or below zero on hand now:"),
            comp.data_grid(spec.id("stockouts"), STOCKOUT_COLUMNS, csv_name="stockouts",
                           empty_message="No reordering rule is at or below zero on hand."),
            html.Div("Projected to run out within the vendor lead time, at the last 30 days' use.", className="plant-hint mt-2"),
            comp.data_grid(spec.id("runout"), RUNOUT_COLUMNS, csv_name="runout-risk", height=320,
                           empty_message="No reordering rule is projected to run out within its vendor lead time."),
            _section("Inventory turns and DIO by product category", "Company scope, last 365 days; slowest stock first."),
            comp.data_grid(spec.id("categories"), CATEGORY_COLUMNS, csv_name="turns-by-category", height=320,
                           empty_message="No stock valuation in this scope."),
            _section("Customer OTIF by site and customer", "Sale lines promised in the period."),
            comp.data_grid(spec.id("customers"), CUSTOMER_COLUMNS, csv_name="customer-otif", height=380,
                           empty_message="No sale line was promised in this period in this scope."),
            _section("Open late sale lines", "Order exceptions: promised before the as-of day, not delivered in full; "
                     "oldest first.", spec.id("late-so-note")),
            comp.data_grid(spec.id("late-so"), LATE_SO_COLUMNS, csv_name="late-sale-lines", height=380,
                           empty_message="No open sale line is late in this scope."),
        ], id=spec.id("content")),
    ], className="plant-page supply-page")


for _grid in ("late-po", "stockouts", "runout", "categories", "customers", "late-so"):
    comp.csv_export(spec.id(_grid))


def _id_or_none(value):
    return None if value in (None, _ALL) else as_id(value)


@callback(Output(spec.id("nav"), "search"),
          inputs=dict(company=Input(spec.id("company"), "value"), site=Input(spec.id("site"), "value"),
                      days=Input(spec.id("days"), "value")),
          state=dict(params=State(spec.id("params"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(company=OptionalId | Literal["all"], site=OptionalId | Literal["all"], days=Days | None, params=STORE)
def _to_url(company, site, days, params, *, access):
    """Filters -> URL (the page re-renders from it, validated again there). A new company clears the site."""
    current = params or {}
    company, site = _id_or_none(company), _id_or_none(site)
    if company != current.get("company"):
        site = None
    if (company, site, days) == (current.get("company"), current.get("site"), current.get("days")):
        raise PreventUpdate
    return supply_href(company, site, days, current.get("as_of"))[len("/supply"):]


@callback(Output(spec.id("nav"), "href"), inputs=dict(click=Input(spec.id("heatmap"), "clickData")),
          state=dict(params=State(spec.id("params"), "data"), rows=State(spec.id("rows"), "data")),
          prevent_initial_call=True)
@guarded(spec.key)
@accepts(click=Click, params=STORE, rows=Rows)
def _open_vendor(click, params, rows, *, access):
    """A heat map cell -> its vendor's page (the vendor page checks the scope again)."""
    try:
        partner_id = as_id(rows[int(click["points"][0]["y"])])
    except (KeyError, IndexError, TypeError, ValueError):
        partner_id = None
    if partner_id is None:
        raise PreventUpdate
    values, _ = parse_query(params or {}, SUPPLY_QUERY, service.today())
    return vendor_href(partner_id, values["as_of"])


_BODY = dict(message=Output(spec.id("message"), "children"), shown=Output(spec.id("content"), "style"),
             tiles=Output(spec.id("tiles"), "children"), heatmap=Output(spec.id("heatmap"), "figure"),
             width=Output(spec.id("heatmap"), "style"), rows=Output(spec.id("rows"), "data"),
             late_po=Output(spec.id("late-po"), "rowData"), late_po_note=Output(spec.id("late-po-note"), "children"),
             stockouts=Output(spec.id("stockouts"), "rowData"), runout=Output(spec.id("runout"), "rowData"),
             categories=Output(spec.id("categories"), "rowData"), customers=Output(spec.id("customers"), "rowData"),
             late_so=Output(spec.id("late-so"), "rowData"), late_so_note=Output(spec.id("late-so-note"), "children"),
             fresh=Output(spec.id("freshness"), "children"))


def _only(message) -> dict:
    return {**{name: no_update for name in _BODY}, "message": message, "shown": {"display": "none"}, "fresh": ""}


def _capped(rows, what: str, default: str) -> str:
    return f"Showing the oldest {LIMIT} {what}." if len(rows) >= LIMIT else default


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """The page's figures and tables for the URL's filters, after checking again on the server that the caller
    may see the company and site (the store is the browser's). Rendered once per role, scope, view, screen
    scale and data."""
    params, _ = parse_query(data if isinstance(data, dict) else {}, SUPPLY_QUERY, service.today())
    as_of, days, company, site = params["as_of"], params["days"], params["company"], params["site"]
    settings = service.settings()
    try:
        companies, sites, missing = _filters(access, params)
        if missing:
            return _only(comp.not_found(missing))
        scope = service_supply.narrowed(access, company, site)
        if scope is None:
            return _only(comp.not_found("This company or site"))
        period = service.kpi_results(scope, as_of, days, kpis=SITE_TILE_KPIS + COMPANY_TILE_KPIS,
                                     scope_kinds=("warehouse", "company"))
        weekly = service_supply.vendor_weeks(scope, as_of)
        per_vendor_results = service_supply.vendor_period(scope, as_of)
        customer = service.kpi_results(scope, as_of, days, kpis=("customer_otif", "late_so_lines"),
                                       scope_kinds=("partner", "warehouse"))
        late_po = service_supply.late_po_lines(scope, as_of, days, limit=LIMIT)
        stockouts = service_supply.stockout_orderpoints(scope, as_of, limit=LIMIT)
        runout = service_supply.runout_risk(scope, as_of, limit=LIMIT)
        categories = service_finance.inventory_by_category(scope, as_of)
        late_so = service_supply.late_so_lines(scope, as_of, days, limit=LIMIT)
        per_vendor = index_results(per_vendor_results["results"], "partner", ("supplier_otif", "late_po_lines"))
        customer_ids = {r["scope_id"] for r in customer["results"] if r["scope_kind"] == "partner"}
        names = service.partners(access, {pid for _, pid in per_vendor} | customer_ids)
    except service.DataError as error:
        return _only(comp.error_alert(error.user_message))
    catalogue = service.catalogue()
    scale = screen_scale(scale)
    weeks = week_columns(as_of, service_supply.WEEKS)
    computed = [period["computed_at"], weekly["computed_at"], per_vendor_results["computed_at"], customer["computed_at"]]

    def build() -> dict:
        vendors = vendor_order(per_vendor, names)
        links = {pid: vendor_href(pid, as_of) for pid, _ in vendors}
        figure = for_screen(vendor_heatmap(vendors, weeks, weekly["results"], per_vendor, catalogue, links), scale)
        if site is not None:
            blocks = [(sites[site]["name"], "warehouse", site, sites[site]["company_id"])]
        else:
            # a company without a warehouse (a sales office) buys and stocks nothing: no block of empty tiles,
            # unless the URL asks for it by name
            stocked = {s["company_id"] for s in sites.values()}
            blocks = [(c["name"], "company", cid, cid) for cid, c in companies.items()
                      if company == cid or (company is None and cid in stocked)]
        tiles = [html.Div([html.H5(name, className="section-title") if len(blocks) > 1 else None,
                           tile_row(supply_tiles(catalogue, period["results"], kind=kind, scope_id=sid,
                                                 company_id=cid, days=days, tile_id=spec.id))])
                 for name, kind, sid, cid in blocks]
        return {
            "message": None, "shown": {}, "tiles": tiles, "heatmap": figure, "rows": [pid for pid, _ in vendors],
            "width": graph_style(figure, minWidth=f"{(260 + 60 * 14) * scale:.0f}px") if vendors else graph_style(figure),
            "late_po": late_po_rows(late_po, settings.odoo_base_url, lambda pid: vendor_href(pid, as_of)),
            "late_po_note": _capped(late_po, "lines", f"{len(late_po)} lines."),
            "stockouts": stockout_rows(stockouts, settings.odoo_base_url),
            "runout": runout_rows(runout, settings.odoo_base_url),
            "categories": category_rows(categories, {cid: companies[cid] for _, _, _, cid in blocks}, catalogue),
            "customers": customer_rows(customer["results"], names, sites, catalogue, days),
            "late_so": late_so_rows(late_so, sites, settings.odoo_base_url),
            "late_so_note": _capped(late_so, "lines", f"{len(late_so)} lines."),
        }

    parts = {"view": [as_of, days, company, site], "scale": scale, "computed_at": computed, "names": names,
             "sites": sites, "companies": companies, "late_po": late_po, "stockouts": stockouts, "runout": runout,
             "categories": categories, "late_so": late_so,
             "settings": [settings.zone.key, settings.odoo_base_url]}
    built = service.rendered("supply.body", scope, parts, build)
    return dict(built, fresh=comp.freshness([period, weekly, per_vendor_results, customer], settings.zone))
