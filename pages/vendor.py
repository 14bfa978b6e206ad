"""Vendor: one vendor's supplier OTIF tiles and weekly trend (the heat map's 13 weeks), its lead times from
order confirmation to first receipt, its late purchase lines, the open MOs and sale orders waiting on their
products, and the orders behind the lead times, each
linked to the purchase order in Odoo when ``odoo_base_url`` is set. Registered (``register_page``) from its
declaration in ``PAGES``."""
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components as comp
from dashboard import service, service_supply
from dashboard.auth import guarded
from dashboard.figures import SCALE_STORE, for_screen, graph_style, kpi_trend, screen_scale
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import Invalid, as_id, href, parse_id, parse_query
from dashboard.validation import Days, RecordId, Scale, accepts, store
from dashboard.views.plant import index_results
from dashboard.views.supply import (
    LEAD_COLUMNS,
    VENDOR_LATE_COLUMNS,
    VENDOR_QUERY,
    WAITING_COLUMNS,
    late_po_rows,
    lead_rows,
    lead_summary,
    lead_time_figure,
    oldest_late_tile,
    vendor_trend_points,
    waiting_rows,
    week_columns,
)

spec = register(__name__, "vendor")  # dash.register_page (Dash Pages imports only files that name it)
STORE = store("VendorStore", VENDOR_QUERY, partner_id=RecordId)  # what the layout wrote: the browser holds it
LIMIT = 500
_KPIS = ("supplier_otif", "late_po_lines")



def layout(partner_id=None, **query):
    access, params, notes, refused = open_page(spec.key, query, VENDOR_QUERY, "the vendor page")
    if refused is not None:
        return refused
    as_of, days = params["as_of"], params["days"]
    back = ("/supply", "Supply chain")
    try:
        vendor_id = parse_id(partner_id)
        found = service_supply.vendor_in_scope(access, vendor_id, as_of)
        name = service.partners(access, [vendor_id]).get(vendor_id, {}).get("name") if found else None
    except Invalid as why:
        return comp.problem_page("Vendor", comp.not_found(f"Vendor {str(partner_id)[:24]!r} ({why})"), back=back,
                                 notices=notes)
    except service.DataError as error:
        return comp.problem_page("Vendor", comp.error_alert(error.user_message), back=back, notices=notes)
    if not found:
        return comp.problem_page("Vendor", comp.not_found(f"Vendor {vendor_id}"), back=back, notices=notes)
    data = {"partner_id": vendor_id, "days": days, "as_of": as_of.isoformat()}
    period = comp.period_field(spec.id("days"), days)
    return comp.page_frame(spec, name or f"Vendor {vendor_id}", f"Vendor · {days} days ending {data['as_of']}", params=data,
                           notes=notes, controls=[period], back=(*back, spec.id("back")), body=[
        html.Div([
            dcc.Loading(html.Div(id=spec.id("tiles")), type="dot"),
            dbc.Row([
                dbc.Col([html.H4("Supplier OTIF by week (13 weeks)", className="section-title"), comp.loading_graph(spec.id("trend"))], lg=6),
                dbc.Col([html.H4("Lead time: confirmation to first receipt", className="section-title"),
                         html.Div(id=spec.id("lead-note"), className="plant-hint"), comp.loading_graph(spec.id("lead"))], lg=6),
            ]),
            html.H4("Late purchase lines", className="section-title"),
            html.Div("Planned before the as-of day, not received in full by its end; oldest first.", className="plant-hint"),
            comp.data_grid(spec.id("late"), VENDOR_LATE_COLUMNS, csv_name="vendor-late-lines", height=380,
                           empty_message="No purchase line of this vendor is late."),
            html.H4("Waiting on these products", className="section-title"),
            html.Div("Open MOs needing them as components and sale orders not delivered in full, earliest due first.",
                     className="plant-hint"),
            comp.data_grid(spec.id("waiting"), WAITING_COLUMNS, csv_name="vendor-waiting", height=320,
                           empty_message="No open MO or sale order waits on the products of the late lines."),
            html.H4("Purchase orders received in the period", className="section-title"),
            comp.data_grid(spec.id("orders"), LEAD_COLUMNS, csv_name="vendor-lead-times", height=320,
                           empty_message="No purchase order of this vendor was first received in this period."),
        ], id=spec.id("content")),
    ], className="plant-page vendor-page")


comp.csv_export(spec.id("late"))
comp.csv_export(spec.id("orders"))
comp.csv_export(spec.id("waiting"))


def _scope(access, data):
    """``(partner id, as_of, days)`` from the page's store (the browser's: validated again), once the server has
    checked the vendor has orders in the caller's scope; None otherwise."""
    data = data if isinstance(data, dict) else {}
    partner_id = as_id(data.get("partner_id"))
    params, _ = parse_query(data, VENDOR_QUERY, service.today())
    if partner_id is None or not service_supply.vendor_in_scope(access, partner_id, params["as_of"]):
        return None
    return partner_id, params["as_of"], params["days"]


@callback(Output(spec.id("nav"), "search"), inputs=dict(days=Input(spec.id("days"), "value")),
          state=dict(data=State(spec.id("params"), "data")), prevent_initial_call=True)
@guarded(spec.key)
@accepts(days=Days | None, data=STORE)
def _to_url(days, data, *, access):
    """Period -> URL (the page re-renders from it)."""
    if days == (data or {}).get("days"):
        raise PreventUpdate
    return href("", as_of=(data or {}).get("as_of"), days=days)


_BODY = dict(message=Output(spec.id("message"), "children"), shown=Output(spec.id("content"), "style"),
             tiles=Output(spec.id("tiles"), "children"), trend=Output(spec.id("trend"), "figure"),
             lead=Output(spec.id("lead"), "figure"), lead_note=Output(spec.id("lead-note"), "children"),
             late=Output(spec.id("late"), "rowData"), orders=Output(spec.id("orders"), "rowData"),
             waiting=Output(spec.id("waiting"), "rowData"),
             fresh=Output(spec.id("freshness"), "children"),
             styles=[Output(spec.id(name), "style") for name in ("trend", "lead")])
_UNCHANGED = {k: [no_update] * len(v) if isinstance(v, list) else no_update for k, v in _BODY.items()}


@callback(output=_BODY, inputs=dict(data=Input(spec.id("params"), "data"), scale=Input(SCALE_STORE, "data")))
@guarded(spec.key)
@accepts(data=STORE, scale=Scale)
def _body(data, scale=None, *, access):
    """The vendor's tiles, trend, lead times and lines, after checking on the server that it is in scope."""
    try:
        scope = _scope(access, data)
        if scope is None:
            return {**_UNCHANGED, "message": comp.not_found("This vendor"), "shown": {"display": "none"}, "fresh": "",
                    "late": [], "orders": [], "waiting": []}
        partner_id, as_of, days = scope
        period = service.kpi_results(access, as_of, days, kpis=_KPIS, scope_kinds=("partner",))
        weekly = service_supply.vendor_weeks(access, as_of)
        late = service_supply.late_po_lines(access, as_of, days, partner_id=partner_id, limit=LIMIT)
        leads = service_supply.vendor_lead_times(access, as_of, days, partner_id)
        products = {r["product_id"]: r.get("product_name") or "" for r in late if r.get("product_id")}
        waiting = service_supply.waiting_on_products(access, as_of, products) if products else []
        sites = service.sites(access, as_of, days)
    except service.DataError as error:
        return {**_UNCHANGED, "message": comp.error_alert(error.user_message), "shown": {"display": "none"}, "fresh": ""}
    catalogue, settings = service.catalogue(), service.settings()
    scale = screen_scale(scale)
    weeks = week_columns(as_of, service_supply.WEEKS)

    def build() -> dict:
        mine = index_results(period["results"], "partner", _KPIS)
        tiles = [comp.kpi_tile(catalogue.for_scope(k, "partner", partner_id, days), mine.get((k, partner_id)),
                               tile_id=spec.id(f"tile-{k}")) for k in _KPIS]
        tiles.append(oldest_late_tile(late, spec.id("tile-oldest")))
        trend = kpi_trend(vendor_trend_points(weekly["results"], partner_id, weeks),
                          catalogue.for_scope("supplier_otif", "partner", partner_id, 7), title="", height=320,
                          empty_message="No purchase line of this vendor was planned in these 13 weeks.")
        return {
            "message": None, "shown": {}, "tiles": comp.tile_grid(tiles),
            "trend": for_screen(trend, scale), "lead": for_screen(lead_time_figure(leads, settings.zone), scale),
            "lead_note": lead_summary(leads),
            "late": late_po_rows(late, settings.odoo_base_url),
            "orders": lead_rows(leads, settings.zone, settings.odoo_base_url),
            "waiting": waiting_rows(waiting, products, sites, settings.zone, settings.odoo_base_url),
        }

    parts = {"view": [partner_id, as_of, days], "scale": scale, "computed_at": [period["computed_at"], weekly["computed_at"]],
             "late": late, "leads": leads, "waiting": waiting, "sites": sites, "settings": [settings.zone.key, settings.odoo_base_url]}
    built = service.rendered("vendor.body", access, parts, build)
    return dict(built, fresh=comp.freshness([period, weekly], settings.zone),
                styles=[graph_style(built[name]) for name in ("trend", "lead")])

