"""The finance pages' data API (on ``dashboard.service``): margin cells, receivables by due date, the
records behind a customer and the month-end inventory trend, cached per role and scope like every call
of ``dashboard.service``. Pages import this module and never ``data_access``."""
from __future__ import annotations

from datetime import date, timedelta

from dashboard.auth.access import Access
from dashboard.kpis.supply import turns_points
from dashboard.service import _run_query, scope_context, today
from data_access.queries import dimensions, finance_drill, finance_pages

__all__ = ["margin_cells", "overdue_by_due_date", "overdue_invoices", "customer_invoices", "customer_layers",
           "open_invoices", "month_ends", "inventory_trend", "inventory_by_category", "products"]


def margin_cells(access: Access, as_of: date, days: int, partner_id: int | None = None) -> list[dict]:
    """Revenue and COGS of the period per company x product category x customer (pools to gross_margin_pct)."""
    return _run_query(access, finance_pages.margin_cells, as_of, days, domain="finance", partner_id=partner_id)


def overdue_by_due_date(access: Access, as_of: date, days: int, partner_id: int | None = None) -> list[dict]:
    """Overdue residuals as of D per company x customer x due date (ages into 1-30 ... 90+)."""
    return _run_query(access, finance_pages.overdue_by_due_date, as_of, days, domain="finance", partner_id=partner_id)


def overdue_invoices(access: Access, as_of: date, days: int, limit: int = 200) -> list[dict]:
    """The invoices ``overdue_receivables`` sums as of D, oldest due date first."""
    return _run_query(access, finance_drill.overdue_invoices, as_of, days, domain="finance", limit=limit)


def customer_invoices(access: Access, as_of: date, days: int, partner_id: int, category_id: int | None = None,
                      uncategorised: bool = False, limit: int = 200) -> list[dict]:
    """A customer's invoices of the period with their revenue (of one category, when given)."""
    return _run_query(access, finance_pages.customer_invoices, as_of, days, domain="finance", partner_id=partner_id,
                      category_id=category_id, uncategorised=uncategorised, limit=limit)


def customer_layers(access: Access, as_of: date, days: int, partner_id: int, category_id: int | None = None,
                    uncategorised: bool = False, limit: int = 200) -> list[dict]:
    """The valuation layers behind a customer's COGS of the period (of one category, when given)."""
    return _run_query(access, finance_pages.customer_layers, as_of, days, domain="finance", partner_id=partner_id,
                      category_id=category_id, uncategorised=uncategorised, limit=limit)


def open_invoices(access: Access, as_of: date, days: int, partner_id: int, limit: int = 200) -> list[dict]:
    """A customer's open invoices with their days past due as of D."""
    return _run_query(access, finance_pages.open_invoices, as_of, days, domain="finance", partner_id=partner_id,
                      limit=limit)


def month_ends(as_of: date, months: int = 12) -> list[date]:
    """The last days of the ``months`` months before ``as_of``'s month, then ``as_of`` itself (oldest first)."""
    out, day = [as_of], as_of.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        out.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(out)


def inventory_trend(access: Access, as_of: date, months: int = 12) -> dict[int, list[dict]]:
    """``{company id: [{"bucket": iso day, "inventory_value", "dio", "inventory_turns"}, ...]}`` at each of
    ``month_ends``: the terms of ``inventory_turns`` / ``dio`` as of that day (so the last point is the
    tiles' value), from one pass over the valuation layers."""
    days = month_ends(as_of, months)
    ends = [scope_context(access, day, 1).end.isoformat() for day in days]
    rows = _run_query(access, finance_pages.inventory_at_ends, as_of, 1, domain="supply", ends=ends)
    day_of = dict(zip(ends, days))
    out: dict[int, list[dict]] = {}
    for r in rows:
        point = {"bucket": day_of[r["end"]].isoformat(), "inventory_value": r["inventory_values"][0]}
        for p in turns_points([r], "company"):
            point[p.kpi] = p.value
        out.setdefault(r["scope_id"], []).append(point)
    return out


def inventory_by_category(access: Access, as_of: date) -> list[dict]:
    """The ``inventory_turns`` / ``dio`` terms as of ``as_of`` per company and product category (they add up
    to the company's): rows of ``inventory_at_ends`` with ``by_category``."""
    end = scope_context(access, as_of, 1).end.isoformat()
    return _run_query(access, finance_pages.inventory_at_ends, as_of, 1, domain="supply", ends=[end], by_category=True)


def products(access: Access, ids) -> dict[int, dict]:
    """Names and internal references of the given products (``{id: {"name", "code"}}``)."""
    return _run_query(access, dimensions.products, today(), 1, domain="dimensions",
                      ids=sorted(int(i) for i in ids))
