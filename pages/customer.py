"""Customer: one customer's gross margin by product category, the invoices and the valuation layers (the
deliveries' cost) behind it, and its open invoices by age, one block per company of the caller's scope
(amounts in that company's currency). ``?category=`` narrows the invoices and layers to a heat map cell's
category; ``?company=`` to one company. Reached from the finance page's heat map and aging table."""
from dash import Input, Output, callback, dcc, html

from dashboard import service, service_finance
from dashboard.auth import guarded
from dashboard.components import (
    data_grid,
    empty_state,
    error_alert,
    kpi_tile,
    not_found,
    notices,
    page_header,
    problem_page,
    tile_grid,
)
from dashboard.formats import fmt_amount
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import Invalid, parse_id, parse_query
from dashboard.validation import RecordId, accepts, store
from dashboard.views.finance import (
    AGING,
    CATEGORY_COLUMNS,
    CUSTOMER_QUERY,
    INVOICE_COLUMNS,
    LAYER_COLUMNS,
    OPEN_COLUMNS,
    aging_rows,
    category_rows,
    customer_href,
    finance_href,
    invoice_rows,
    layer_rows,
    open_rows,
    overdue_partners,
    partner_results,
    pool_cells,
    pool_partners,
)

spec = register(__name__, "customer")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("CustomerStore", CUSTOMER_QUERY, partner=RecordId)  # what the layout wrote: the browser holds it
LIMIT = 200


def _problem(message, notes, back="/finance"):
    return problem_page("Customer", message, back=(back, "Finance"), notices=notes)


def layout(partner_id=None, **query):
    access, params, notes, refused = open_page(spec.key, query, CUSTOMER_QUERY, "the customer page")
    if refused is not None:
        return refused
    back = finance_href(params["company"], params["days"], params["as_of"])
    try:
        pid = parse_id(partner_id)
    except Invalid:
        return _problem(not_found(f"Customer {str(partner_id)[:40]!r}"), notes)
    try:
        companies = service.companies(access)
        partner = service.partners(access, [pid]).get(pid)
    except service.DataError as error:
        return _problem(error_alert(error.user_message), notes, back)
    if partner is None or not companies:
        return _problem(not_found(f"Customer {pid}"), notes, back)
    if params["company"] is not None and params["company"] not in companies:
        return _problem(not_found(f"Company {params['company']}"), notes, "/finance")
    params["as_of"] = params["as_of"].isoformat()
    params["partner"] = pid
    return html.Div([
        dcc.Store(id=spec.id("params"), data=params),
        page_header(partner["name"], f"Customer · {params['days']} days ending {params['as_of']}",
                    fresh_id=spec.id("freshness"), back=(back, "Finance", spec.id("back"))),
        notices(notes, id=spec.id("notice")),
        dcc.Loading(html.Div(id=spec.id("blocks")), type="default"),
    ], className="plant-page finance-page")


def _block(cid: int, company: dict, *, tiles, categories, invoices, layers, open_, category_name, every) -> html.Div:
    scope = f" · {category_name}" if category_name else ""
    return html.Div([
        html.H3([company["name"], html.Span(f" · amounts in {company.get('currency') or 'company currency'}",
                                            className="plant-hint")], className="finance-company"),
        tiles,
        html.Div([html.H4("Gross margin by product category", className="section-title"),
                  dcc.Link("Show every category", href=every, id=spec.id(f"every-{cid}"), className="plant-hint")
                  if category_name else html.Span("Open a category for its invoices and deliveries.", className="plant-hint")],
                 className="plant-section-head"),
        data_grid(spec.id(f"categories-{cid}"), CATEGORY_COLUMNS, categories,
                  empty_message="No invoice or delivery of this customer in the period."),
        html.H4(f"Invoices of the period{scope}", className="section-title"),
        data_grid(spec.id(f"invoices-{cid}"), INVOICE_COLUMNS, invoices, height=320 if len(invoices) > 8 else None,
                  empty_message="No posted invoice of this customer in the period."),
        html.H4(f"Valuation behind the cost of goods sold{scope}", className="section-title"),
        data_grid(spec.id(f"layers-{cid}"), LAYER_COLUMNS, layers, height=320 if len(layers) > 8 else None,
                  empty_message="No delivery to this customer was valued in the period."),
        html.H4("Open invoices by age", className="section-title"),
        data_grid(spec.id(f"open-{cid}"), OPEN_COLUMNS, open_, height=320 if len(open_) > 8 else None,
                  empty_message="No open invoice."),
    ], className="finance-block mb-4", id=spec.id(f"company-{cid}"))


def _every_company(pid: int, cells, due, catalogue, days: int) -> html.Div | None:
    """The customer's gross margin and overdue receivables over every company (its partner scope), when it
    deals with more than one: pooled when they share a currency, else "n/a" and why (KPIS.md v2: amounts of
    different currencies are never added). None for a customer of one company (its block says it all)."""
    margin, overdue = pool_partners(cells).get(pid), overdue_partners(due).get(pid)
    if len(set((margin or {}).get("companies", [])) | set((overdue or {}).get("companies", []))) < 2:
        return None
    margin_def = catalogue.for_scope("gross_margin_pct", "partner", pid, days)
    overdue_def = catalogue.for_scope("overdue_receivables", "partner", pid, days)
    got = partner_results(margin, overdue, margin_def, overdue_def)
    return html.Div([
        html.H3(["Every company", html.Span(" · this customer's figures over all its companies", className="plant-hint")],
                className="finance-company"),
        tile_grid([
            kpi_tile(margin_def, got["margin"], label="Gross margin", currency=got["margin_currency"],
                     tile_id=spec.id("tile-margin-all"), lines=[f"All companies and categories, {days} days"]),
            kpi_tile(overdue_def, got["overdue"], currency=got["overdue_currency"], tile_id=spec.id("tile-overdue-all"),
                     lines=["All companies"]),
        ]),
    ], className="finance-block mb-4", id=spec.id("company-all"))


@callback(dict(blocks=Output(spec.id("blocks"), "children"), fresh=Output(spec.id("freshness"), "children")),
          inputs=dict(data=Input(spec.id("params"), "data")))
@guarded(spec.key)
@accepts(data=STORE)
def _body(data, *, access):
    """The customer's blocks, after checking again on the server what the caller may see: the data of each
    query is restricted to the caller's companies, so a forged customer or company shows nothing of another's."""
    data = data if isinstance(data, dict) else {}
    params, _ = parse_query(data, CUSTOMER_QUERY, service.today())
    try:
        pid = parse_id(data.get("partner"))
    except Invalid:
        return {"blocks": not_found("Customer"), "fresh": ""}
    as_of, days, only, category = params["as_of"], params["days"], params["company"], params["category"]
    settings = service.settings()
    try:
        companies = service.companies(access)
        if only is not None and only not in companies:
            return {"blocks": not_found(f"Company {only}"), "fresh": ""}
        cells = service_finance.margin_cells(access, as_of, days, partner_id=pid)
        invoices = service_finance.customer_invoices(access, as_of, days, pid, category_id=category, limit=LIMIT)
        layers = service_finance.customer_layers(access, as_of, days, pid, category_id=category, limit=LIMIT)
        open_ = service_finance.open_invoices(access, as_of, days, pid, limit=LIMIT)
        due = service_finance.overdue_by_due_date(access, as_of, days, partner_id=pid)
    except service.DataError as error:
        return {"blocks": error_alert(error.user_message), "fresh": ""}
    catalogue = service.catalogue()
    category_name = next((c["category_name"] for c in cells if category and c["category_id"] == category), None)
    if category and category_name is None:
        category_name = f"category {category}"
    pooled, aged = pool_cells(cells), aging_rows(due)
    blocks = []
    for cid in ([only] if only is not None else list(companies)):
        company = companies[cid]
        currency = company.get("currency")
        mine = [c for c in cells if c["company_id"] == cid]
        rows = {"invoices": [r for r in invoices if r["company_id"] == cid],
                "layers": [r for r in layers if r["company_id"] == cid],
                "open": [r for r in open_ if r["company_id"] == cid]}
        if only is None and not (mine or rows["open"]):
            continue
        margin_def = catalogue.for_scope("gross_margin_pct", "partner", pid, days)
        overdue_def = catalogue.for_scope("overdue_receivables", "partner", pid, days)
        m = pooled.get(cid, {})
        value = m.get("margin_pct")
        margin = {"value": value, "status": "no_data" if value is None else margin_def.status(value)}
        age = (aged.get(cid) or [{}])[0]
        total = age.get("total", 0.0)
        over = {"value": total, "status": overdue_def.status(total)}
        tiles = tile_grid([
            kpi_tile(margin_def, margin, label="Gross margin", currency=currency, tile_id=spec.id(f"tile-margin-{cid}"),
                     lines=[f"All categories, {days} days"]),
            kpi_tile(overdue_def, over, currency=currency, tile_id=spec.id(f"tile-overdue-{cid}"),
                     lines=[" · ".join(f"{label}: {fmt_amount(age.get(k, 0.0), currency)}" for k, label, *_ in AGING)]),
        ])

        def link(cat, cid=cid):
            return customer_href(pid, days, as_of, company=only, category=cat or None)

        blocks.append(_block(cid, company, tiles=tiles, categories=category_rows(mine, margin_def, currency, link),
                             invoices=invoice_rows(rows["invoices"], currency, settings.odoo_base_url),
                             layers=layer_rows(rows["layers"], currency, settings.odoo_base_url, settings.lang),
                             open_=open_rows(rows["open"], currency, settings.odoo_base_url),
                             category_name=category_name, every=customer_href(pid, days, as_of, company=only)))
    if not blocks:
        blocks = [empty_state("This customer has no invoice, delivery or open invoice in your companies in this period.")]
    elif only is None:
        every = _every_company(pid, cells, due, catalogue, days)
        if every is not None:
            blocks.insert(0, every)
    minutes = service.domain_ttl("finance") // 60
    return {"blocks": blocks, "fresh": f"Records read from Odoo within the last {minutes} min"}
