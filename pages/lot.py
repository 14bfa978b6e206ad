"""Lot traceability: one lot from its receipt and purchase order back to the vendor, forward to the MOs
that consumed it, and its scraps. Reached from the quality page's scrapped lots and open alerts; ``?site=``
and the period only say where "back" returns to."""
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components as comp
from dashboard import service, service_quality
from dashboard.formats import NO_VALUE, fmt_datetime
from dashboard.page_entry import open_page
from dashboard.pages_registry import register
from dashboard.urlstate import Invalid, parse_id
from dashboard.views.plant import odoo_record_url
from dashboard.views.quality import (
    CONSUMED_COLUMNS,
    LOT_QUERY,
    RECEIPT_COLUMNS,
    SCRAP_COLUMNS,
    consumed_rows,
    quality_href,
    receipt_rows,
    scrap_rows,
)
from dashboard.views.workcenter import state_label

spec = register(__name__, "lot")  # dash.register_page (Dash Pages imports only files that name it)


def _facts(pairs) -> dbc.Table:
    return dbc.Table(html.Tbody([html.Tr([html.Th(k, className="text-muted fw-normal"), html.Td(v)]) for k, v in pairs]),
                     size="sm", borderless=True, className="mb-2 workcenter-wo-facts", id=spec.id("facts"))


def layout(lot_id=None, **query):
    access, params, notes, refused = open_page(spec.key, query, LOT_QUERY, "the lot page")
    if refused is not None:
        return refused
    back = (quality_href(params["site"], "product", params["days"], params["as_of"]), "Quality")
    try:
        lid = parse_id(lot_id)
        detail = service_quality.lot_detail(access, lid)
    except Invalid as why:
        return comp.problem_page("Lot", comp.not_found(f"Lot {str(lot_id)[:24]!r} ({why})"), back=back, notices=notes)
    except service.DataError as error:
        return comp.problem_page("Lot", comp.error_alert(error.user_message), back=back, notices=notes)
    if detail is None:
        return comp.problem_page("Lot", comp.not_found(f"Lot {lid}"), back=back, notices=notes)
    settings = service.settings()
    zone, base = settings.zone, settings.odoo_base_url
    lot, vendor = detail["lot"], detail.get("vendor")
    url = odoo_record_url(base, "stock.lot", lot["id"])
    scrapped = sum(float(s.get("qty") or 0) for s in detail["scraps"])
    facts = [("Product", lot.get("product") or NO_VALUE),
             ("Vendor", vendor["partner"] if vendor and vendor.get("partner") else "not received from a vendor"),
             ("Purchase order", vendor["purchase_order"] if vendor else NO_VALUE),
             ("First received", fmt_datetime(vendor["date"], zone) if vendor and vendor.get("date") else NO_VALUE),
             ("MOs that consumed it", str(len(detail["consumed"]))),
             ("Scrapped", f"{scrapped:,.0f} in {len(detail['scraps'])} scraps")]
    return html.Div([
        comp.page_header(f"Lot {lot['name']}", lot.get("product") or "", back=(back[0], back[1], spec.id("back")),
                         fresh=comp.freshness(detail, zone)),
        comp.notices(notes, id=spec.id("notice")),
        _facts(facts),
        html.A("Open in Odoo ↗", href=url, target="_blank", rel="noopener", className="btn btn-sm btn-outline-primary mb-2")
        if url else None,
        html.H4("Back: receipts and the vendor", className="section-title"),
        comp.data_grid(spec.id("receipts"), RECEIPT_COLUMNS, receipt_rows(detail["receipts"], zone, base),
                       empty_message="This lot did not come in on a purchase receipt."),
        html.H4("Forward: MOs that consumed it", className="section-title"),
        comp.data_grid(spec.id("consumed"), CONSUMED_COLUMNS, consumed_rows(detail["consumed"], zone, base, state_label),
                       height=360, empty_message="No MO in your sites consumed this lot."),
        html.H4("Scraps of this lot", className="section-title"),
        comp.data_grid(spec.id("scraps"), SCRAP_COLUMNS, scrap_rows(detail["scraps"], zone, base), height=360,
                       empty_message="This lot was never scrapped."),
    ], className="plant-page lot-page")
