"""The quality pages' data API: the scrap Pareto of first pass yield, FPY per product, scrapped lots,
open quality alerts and one lot's traceability, each cached per role and scope like ``dashboard.service``
(pages import this module and never ``data_access``)."""
from __future__ import annotations

from datetime import date

from dashboard.auth.access import Access
from dashboard.extensions import state
from dashboard.service import DataError, _fetch, _now, _run_query, _stamped, domain_ttl, kpi_source, today
from data_access.queries import quality_drill, quality_pages

__all__ = ["QUALITY_APP", "has_quality_app", "fpy_scrap_pareto", "fpy_by_product", "fpy_product_series", "scrapped_lots", "open_alerts",
           "lot_detail"]

QUALITY_APP = "quality"  # Odoo Enterprise's quality app: quality.alert, NC closure time


def has_quality_app() -> bool:
    """Whether Odoo's quality app is installed (``ir_module_module``, not table presence), as the KPIs' source
    sees it (the replica, or Odoo's API on the API path); False when that source cannot be read now."""
    try:
        return kpi_source().info.has(QUALITY_APP)
    except DataError:
        return False


def fpy_scrap_pareto(access: Access, as_of: date, days: int, site: int | None, by: str) -> list[dict]:
    """The scrapped term of first pass yield per product or work center (qty, count, cost), largest first."""
    return _run_query(access, quality_pages.fpy_scrap_pareto, as_of, days, domain="quality", by=by, warehouse_id=site)


def fpy_by_product(access: Access, as_of: date, days: int, site: int | None) -> list[dict]:
    """First pass yield terms per MO product (produced, scrapped, MOs), most scrapped first."""
    return _run_query(access, quality_pages.fpy_by_product, as_of, days, domain="quality", warehouse_id=site)


def fpy_product_series(access: Access, as_of: date, days: int, site: int | None, product_ids) -> list[dict]:
    """First pass yield terms of the given products per local day of the period."""
    return _run_query(access, quality_pages.fpy_product_series, as_of, days, domain="quality", warehouse_id=site,
                      product_ids=sorted(int(i) for i in product_ids), bucket="day")


def scrapped_lots(access: Access, as_of: date, days: int, site: int | None, limit: int = 50) -> list[dict]:
    """Lots scrapped in the period (any product: components too), most scrapped first."""
    return _run_query(access, quality_drill.scrap_pareto, as_of, days, domain="quality", by="lot", warehouse_id=site,
                      limit=limit)


def open_alerts(access: Access, as_of: date, days: int) -> list[dict]:
    """Quality alerts still open at the end of the period, oldest first (only with the quality app)."""
    return _run_query(access, quality_pages.open_quality_alerts, as_of, days, domain="quality")


def lot_detail(access: Access, lot_id: int) -> dict | None:
    """One lot: its product and vendor (``lot_scraps``), its receipts, the MOs that consumed it and its scraps
    (``lot_trace``, each limited to the caller's sites) and ``computed_at``, or None when unknown or outside the caller's companies."""
    st = state()

    def compute():
        head = st.replica.run(quality_drill.lot_scraps, lot_id=int(lot_id), lang=st.settings.lang,
                              company_ids=access.company_ids)
        if head is None:
            return None
        trace = st.replica.run(quality_pages.lot_trace, lot_id=int(lot_id), lang=st.settings.lang,
                               company_ids=access.company_ids, warehouse_ids=access.warehouse_ids)
        trace = trace or {"receipts": [], "consumed": [], "scraps": []}
        vendor = head["vendor"]
        if access.warehouse_ids is not None:  # a site user learns the vendor from their own sites' receipts only
            first = trace["receipts"][0] if trace["receipts"] else None
            vendor = first and {k: first[k] for k in ("partner_id", "partner", "purchase_order_id", "purchase_order", "date")}
        return {"lot": head["lot"], "vendor": vendor, **trace, "computed_at": _now()}

    return _stamped(_fetch("quality.lot_detail", access, {"lot_id": int(lot_id), "day": today()}, domain_ttl("quality"),
                           compute))
