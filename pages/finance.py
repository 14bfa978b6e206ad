"""Finance: one block per company in scope (amounts in its currency): the four tiles (gross margin, overdue
receivables, inventory turns, DIO), gross margin by customer x product category as a heat map, the
overdue receivables aged 1-30 / 31-60 / 61-90 / 90+ days by customer with the invoices behind them, and
DIO and inventory value at month-ends. The view lives in the URL (``?company=&days=&as_of=``); a heat
map cell or a customer opens the customer page (``/finance/customer/<partner_id>``)."""
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, callback_context, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import service, service_finance
from dashboard.auth import guarded
from dashboard.components import (
    GRAPH_CONFIG,
    data_grid,
    empty_state,
    error_alert,
    freshness,
    legend,
    not_found,
    page_frame,
    period_field,
    problem_page,
    tile_grid,
)
from dashboard.figures import SCALE_STORE, for_screen, graph_style, screen_scale
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import as_id, parse_query
from dashboard.validation import Click, Days, OptionalId, Scale, accepts, store
from dashboard.views.finance import (
    ACROSS_COLUMNS,
    AGING_COLUMNS,
    FINANCE_KPIS,
    FINANCE_QUERY,
    OVERDUE_COLUMNS,
    STOCK_COLUMNS,
    UNAVAILABLE_PRODUCT_COLUMNS,
    across_rows,
    aging_grid_rows,
    aging_rows,
    company_tiles,
    customer_href,
    dio_trend,
    finance_href,
    inventory_value_figure,
    margin_heatmap,
    overdue_partners,
    overdue_rows,
    pool_cells,
    pool_partners,
    stock_rows,
    unavailable_product_rows,
)

spec = register(__name__, "finance")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("FinanceStore", FINANCE_QUERY)  # the view the layout wrote: the browser holds it
CELLS = dict[str, dict[str, list]] | None  # each company's heat map row and column ids
OVERDUE_LIMIT = 200
HEATMAP = spec.id("heatmap")  # pattern id type: {"type": HEATMAP, "company": id}


def _controls(params: dict, companies: dict) -> list:
    options = [{"label": f"{c['name']} ({c.get('currency') or 'no currency'})", "value": cid}
               for cid, c in companies.items()]
    return [
        html.Div([html.Div("Company", className="filter-label"),
                  dcc.Dropdown(id=spec.id("company"), value=params["company"], options=options, clearable=True,
                               placeholder="Every company", className="plant-site-select")]),
        period_field(spec.id("days"), params["days"]),
    ]


def layout(**query):
    access, params, notes, refused = open_page(spec.key, query, FINANCE_QUERY, "the finance page")
    if refused is not None:
        return refused
    try:
        companies = service.companies(access)
    except service.DataError as error:
        return problem_page("Finance", error_alert(error.user_message), back=("/", "Home"), notices=notes)
    if not companies:
        return problem_page("Finance", empty_state("There are no companies in your scope."), back=("/", "Home"),
                            notices=notes)
    if params["company"] is not None and params["company"] not in companies:
        return problem_page("Finance", not_found(f"Company {params['company']}"), back=("/finance", "Finance"),
                            notices=notes)
    params["as_of"] = params["as_of"].isoformat()
    shown = [companies[params["company"]]["name"]] if params["company"] else [c["name"] for c in companies.values()]
    return page_frame(spec, "Finance", f"{' · '.join(shown)} · {params['days']} days ending {params['as_of']}", params=params,
                      notes=notes, controls=_controls(params, companies), stores=[dcc.Store(id=spec.id("cells"))], body=[
        dcc.Loading(html.Div(id=spec.id("blocks")), type="default"),
    ], className="plant-page finance-page")


@callback(Output(spec.id("nav"), "search"),
          inputs=dict(company=Input(spec.id("company"), "value"), days=Input(spec.id("days"), "value")),
          state=dict(params=State(spec.id("params"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(company=OptionalId, days=Days | None, params=STORE)
def _to_url(company, days, params, *, access):
    """Controls -> URL: the page re-renders from the URL (validated again there)."""
    current = params or {}
    if (company, days) == (current.get("company"), current.get("days")):
        raise PreventUpdate
    return finance_href(company, days, current.get("as_of"))[len("/finance"):]


@callback(Output(spec.id("nav"), "href"), inputs=dict(clicks=Input({"type": HEATMAP, "company": ALL}, "clickData")),
          state=dict(params=State(spec.id("params"), "data"), cells=State(spec.id("cells"), "data")),
          prevent_initial_call=True)
@guarded(spec.key)
@accepts(clicks=list[Click] | None, params=STORE, cells=CELLS)
def _open_cell(clicks, params, cells, *, access):
    """A heat map cell -> the customer page for that category and period (plotly reports positions; ``cells``
    holds each company's row and column ids; the customer page checks the scope again)."""
    trigger = callback_context.triggered_id
    try:
        company = int(trigger["company"])
        point = callback_context.triggered[0]["value"]["points"][0]
        grid = (cells or {})[str(company)]
        partner = as_id(grid["rows"][int(point["y"])])
        category = grid["cols"][int(point["x"])]
    except (KeyError, IndexError, TypeError, ValueError, StopIteration):
        raise PreventUpdate from None
    if partner is None:  # "No customer" and "Other customers" have no page
        raise PreventUpdate
    values, _ = parse_query(params or {}, FINANCE_QUERY, service.today())
    return customer_href(partner, values["days"], values["as_of"], company=company, category=as_id(category))


_BODY = dict(message=Output(spec.id("message"), "children"), blocks=Output(spec.id("blocks"), "children"),
             cells=Output(spec.id("cells"), "data"), fresh=Output(spec.id("freshness"), "children"))


def _block(company_id: int, company: dict, *, tiles, heatmap, width, aging, overdue, dio, inventory, stock,
           note) -> html.Div:
    cid = company_id
    return html.Div([
        html.H3([company["name"], html.Span(f" · amounts in {company.get('currency') or 'company currency'}",
                                            className="plant-hint")], className="finance-company", id=spec.id(f"company-{cid}")),
        tiles,
        html.Div([html.H4("Gross margin by customer and product category", className="section-title"),
                  html.Span("Customers by revenue; categories lowest margin first. Click a cell or a customer to "
                            "open its invoices and deliveries.", className="plant-hint")], className="plant-section-head"),
        legend(),
        html.Div(dcc.Graph(id={"type": HEATMAP, "company": cid}, config=GRAPH_CONFIG, figure=heatmap, style=width),
                 className="frame-scroll"),
        html.Div([html.H4("Overdue receivables by age", className="section-title"),
                  html.Span(note, className="plant-hint")], className="plant-section-head"),
        data_grid(spec.id(f"aging-{cid}"), AGING_COLUMNS, aging, empty_message="No receivable is overdue."),
        html.H4("Overdue invoices, oldest first", className="section-title"),
        data_grid(spec.id(f"overdue-{cid}"), OVERDUE_COLUMNS, overdue, height=360, empty_message="No invoice is overdue."),
        html.H4("Inventory: DIO and value at month-ends", className="section-title"),
        dbc.Row([dbc.Col(dcc.Graph(id=spec.id(f"dio-{cid}"), config=GRAPH_CONFIG, figure=dio[0], style=dio[1]), lg=6),
                 dbc.Col(dcc.Graph(id=spec.id(f"inventory-{cid}"), config=GRAPH_CONFIG, figure=inventory[0],
                                   style=inventory[1]), lg=6)], className="g-3"),
        html.Div([html.H4("Inventory by product category", className="section-title"),
                  html.Span("On the last day of the period; the categories add up to the DIO tile.", className="plant-hint")],
                 className="plant-section-head"),
        data_grid(spec.id(f"stock-{cid}"), STOCK_COLUMNS, stock, empty_message="No valued inventory."),
    ], className="finance-block mb-4")


def _across(companies: dict, catalogue, days: int, as_of, *, cells, due, unavailable, product_names) -> html.Div:
    """Customers of several companies and products whose margin has no value: each customer's gross margin and
    overdue receivables over every company (pooled when the companies share a currency; "n/a" and why when
    not: amounts of different currencies are never added), then the products whose amounts are in more than
    one company currency."""
    names = {cid: c["name"] for cid, c in companies.items()}
    rows = across_rows(pool_partners(cells), overdue_partners(due), names,
                       catalogue.for_scope("gross_margin_pct", "partner", None, days),
                       catalogue.for_scope("overdue_receivables", "partner", None, days),
                       lambda pid: customer_href(pid, days, as_of))
    products = unavailable_product_rows(unavailable, product_names)
    return html.Div([
        html.Div([html.H4("Customers of more than one company", className="section-title"),
                  html.Span("Gross margin and overdue receivables over every company. Companies that share a currency "
                            "pool; amounts in different currencies are never added, so those read n/a.",
                            className="plant-hint")], className="plant-section-head"),
        data_grid(spec.id("across"), ACROSS_COLUMNS, rows, height=260 if len(rows) > 5 else None,
                  empty_message="No customer bought from more than one company in this period."),
        *([html.H4("Products whose gross margin is unavailable", className="section-title"),
           data_grid(spec.id("products-unavailable"), UNAVAILABLE_PRODUCT_COLUMNS, products,
                     height=260 if len(products) > 5 else None)] if products else []),
    ], className="finance-block mb-4", id=spec.id("across-block"))


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """Every company block, after checking again on the server what the caller may see (the store is the
    browser's). Rendered once per role, scope, view, screen scale and data."""
    params, _ = parse_query(data if isinstance(data, dict) else {}, FINANCE_QUERY, service.today())
    as_of, days, only = params["as_of"], params["days"], params["company"]
    settings = service.settings()
    try:
        companies = service.companies(access)
        if only is not None and only not in companies:
            return {"message": not_found(f"Company {only}"), "blocks": None, "cells": None, "fresh": ""}
        shown = [only] if only is not None else list(companies)
        period = service.kpi_results(access, as_of, days, kpis=FINANCE_KPIS, scope_kinds=("company",))
        across = len(shown) > 1  # customers and products of several companies: their own values (KPIS.md v2)
        by_product = (service.kpi_results(access, as_of, days, kpis=("gross_margin_pct",), scope_kinds=("product",))
                      if across else {"results": []})
        unavailable = [r for r in by_product["results"] if r["status"] == "unavailable"]
        product_names = service_finance.products(access, [r["scope_id"] for r in unavailable]) if unavailable else {}
        cells = service_finance.margin_cells(access, as_of, days)
        due = service_finance.overdue_by_due_date(access, as_of, days)
        overdue = service_finance.overdue_invoices(access, as_of, days, limit=OVERDUE_LIMIT)
        trend = service_finance.inventory_trend(access, as_of)
        stock = service_finance.inventory_by_category(access, as_of)
    except service.DataError as error:
        return {"message": error_alert(error.user_message), "blocks": None, "cells": None, "fresh": ""}
    catalogue = service.catalogue()
    scale = screen_scale(scale)

    def build() -> dict:
        per_company = {(r["kpi"], r["scope_id"]): r for r in period["results"] if r["scope_kind"] == "company"}
        pooled, aged = pool_cells(cells), aging_rows(due)
        blocks, grids = [], {}
        for cid in shown:
            company = companies[cid]
            currency = company.get("currency")

            def link(partner_id, cid=cid):
                return customer_href(partner_id, days, as_of, company=cid)

            margin_def = catalogue.for_scope("gross_margin_pct", "company", cid, days)
            figure, rows, cols = margin_heatmap([c for c in cells if c["company_id"] == cid], margin_def, currency,
                                                link=link)
            grids[str(cid)] = {"rows": rows, "cols": cols}
            heat = for_screen(figure, scale)
            invoices = [r for r in overdue if r["company_id"] == cid]
            capped = len(overdue) >= OVERDUE_LIMIT
            points = trend.get(cid, [])
            dio = for_screen(dio_trend(points, catalogue.for_scope("dio", "company", cid, days), company["name"]), scale)
            inventory = for_screen(inventory_value_figure(points, currency, company["name"]), scale)
            tiles = company_tiles(catalogue, per_company, cid, days, currency, margin=pooled.get(cid),
                                  aging=aged.get(cid, []), tile_id=lambda name, cid=cid: spec.id(f"tile-{name}-{cid}"))
            blocks.append(_block(
                cid, company, tiles=tile_grid(tiles), heatmap=heat, width=graph_style(heat, minWidth=f"{(260 + 110 * len(cols)) * scale:.0f}px"),
                aging=aging_grid_rows(aged.get(cid, []), currency, link),
                overdue=overdue_rows(invoices, currency, settings.odoo_base_url, link),
                dio=(dio, graph_style(dio)), inventory=(inventory, graph_style(inventory)),
                stock=stock_rows([r for r in stock if r["scope_id"] == cid],
                                 catalogue.for_scope("dio", "company", cid, days), currency),
                note=("Amounts past due on " + as_of.isoformat() + ", by days past due; the buckets add up to "
                      "the overdue receivables tile." + (f" The invoice list shows the oldest {OVERDUE_LIMIT}." if capped else ""))))
        if across:
            blocks.insert(0, _across(companies, catalogue, days, as_of, cells=cells, due=due, unavailable=unavailable,
                                     product_names=product_names))
        return {"message": None, "blocks": blocks, "cells": grids}

    parts = {"view": [as_of, days, only], "scale": scale, "companies": companies, "computed_at": period["computed_at"],
             "cells": cells, "due": due, "overdue": overdue, "trend": trend, "stock": stock,
             "unavailable": unavailable, "product_names": product_names,
             "settings": [settings.zone.key, settings.odoo_base_url]}
    built = service.rendered("finance.body", access, parts, build, domain="finance")
    return dict(built, fresh=freshness(period, settings.zone))
