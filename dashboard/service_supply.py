"""The supply chain pages' data API: the vendor x week OTIF series, late purchase and sale lines, stockouts
and a vendor's scope check, cached per role and scope like every ``dashboard.service`` function.

A site or company filter narrows the caller's ``Access`` (never widens it): the narrowed scope goes into the
query and into the cache key, so a filtered view is computed and cached as that scope's own.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from dashboard.auth.access import Access
from dashboard.service import DataError, _run_query, kpi_results
from data_access.queries import supply_drill, supply_pages

__all__ = ["DataError", "WEEKS", "SERIES_DAYS", "narrowed", "vendor_weeks", "vendor_period", "late_po_lines",
           "late_so_lines", "stockout_orderpoints", "runout_risk", "waiting_on_products", "vendor_lead_times", "vendor_in_scope"]

WEEKS = 13
SERIES_DAYS = 7 * WEEKS  # 91 days ending as_of: the heat map's period


def narrowed(access: Access, company: int | None = None, site: int | None = None) -> Access | None:
    """``access`` restricted to one company and/or one site, None when the caller may not see them."""
    if company is not None:
        if not access.allows_company(company):
            return None
        access = replace(access, company_ids=(company,))
    if site is not None:
        if not access.allows_warehouse(site):
            return None
        access = replace(access, warehouse_ids=(site,))
    return access


def vendor_weeks(access: Access, as_of: date) -> dict:
    """``kpi_results`` of ``supplier_otif`` per vendor and ISO week over the 91 days ending ``as_of``."""
    return kpi_results(access, as_of, SERIES_DAYS, kpis=("supplier_otif",), scope_kinds=("partner",), bucket="week")


def vendor_period(access: Access, as_of: date) -> dict:
    """``kpi_results`` of ``supplier_otif`` and ``late_po_lines`` per vendor over the same 91 days (the
    heat map's row order and its "13 weeks" column: the ``kpis`` command's values for ``--days 91``)."""
    return kpi_results(access, as_of, SERIES_DAYS, kpis=("supplier_otif", "late_po_lines"), scope_kinds=("partner",))


def late_po_lines(access: Access, as_of: date, days: int, *, partner_id=None, limit: int = 200) -> list[dict]:
    """Purchase lines planned before ``as_of`` and short at its end (oldest first)."""
    return _run_query(access, supply_drill.late_po_lines, as_of, days, domain="supply", partner_id=partner_id,
                      limit=limit)


def late_so_lines(access: Access, as_of: date, days: int, *, limit: int = 200) -> list[dict]:
    """Sale lines promised before ``as_of`` and not delivered in full at its end (oldest first)."""
    return _run_query(access, supply_drill.late_so_lines, as_of, days, domain="supply", limit=limit)


def stockout_orderpoints(access: Access, as_of: date, *, limit: int = 200) -> list[dict]:
    """Active reordering rules at or below zero on hand now (most negative first)."""
    return _run_query(access, supply_drill.stockout_orderpoints, as_of, 1, domain="supply", limit=limit)


def runout_risk(access: Access, as_of: date, *, limit: int = 200) -> list[dict]:
    """Reordering rules whose stock runs out within the vendor lead time at the last 30 days' consumption."""
    return _run_query(access, supply_pages.runout_risk, as_of, 30, domain="supply", limit=limit)


def waiting_on_products(access: Access, as_of: date, product_ids, *, limit: int = 200) -> list[dict]:
    """Open MOs and sale orders waiting on these products now (earliest due first)."""
    return _run_query(access, supply_pages.waiting_on_products, as_of, 1, domain="supply",
                      product_ids=sorted({int(i) for i in product_ids}), limit=limit)


def vendor_lead_times(access: Access, as_of: date, days: int, partner_id: int) -> list[dict]:
    """One row per purchase order of the vendor first received in the period: confirmation to first receipt."""
    return _run_query(access, supply_pages.vendor_lead_times, as_of, days, domain="supply", partner_id=int(partner_id))


def vendor_in_scope(access: Access, partner_id: int, as_of: date) -> bool:
    """Whether the vendor has purchase orders in the caller's companies and sites (unknown and out of scope
    are never told apart)."""
    return _run_query(access, supply_pages.vendor_has_orders, as_of, 1, domain="dimensions", partner_id=int(partner_id))
