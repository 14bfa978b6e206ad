"""Every page declared once: its key (component-id prefix), route, name and the roles that may open it.

Navigation, layouts, the callback guard and page registration all read ``PAGES``. Component ids of a
page start with the page's key and a dash (``plant-heatmap``, made by ``PageSpec.id``); the shell's own
ids start with ``shell-``. The guard maps a callback's outputs to pages with ``page_of_component``.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.auth.access import ROLES

__all__ = ["PageSpec", "PAGES", "PAGE_ROLES", "can_open", "pages_for", "page_of_component", "SHARED_PREFIXES"]

_ALL = frozenset(ROLES)


@dataclass(frozen=True)
class PageSpec:
    """One page. ``path`` may hold ``<name>`` placeholders (a Dash path template)."""

    key: str
    path: str
    name: str
    roles: frozenset[str]
    order: int = 50
    nav: bool = True
    description: str = ""

    def id(self, name: str) -> str:
        """A component id of this page: ``<key>-<name>`` (the prefix the guard maps back to the page)."""
        return f"{self.key}-{name}"


PAGES: dict[str, PageSpec] = {p.key: p for p in (
    PageSpec("home", "/", "Home", _ALL, 0),
    PageSpec("executive", "/executive", "Executive", frozenset({"executive", "admin"}), 10,
             description="Sites x headline KPIs against thresholds, worst exceptions and 13-month trends."),
    PageSpec("plant", "/plant", "Plant", frozenset({"plant", "executive", "admin"}), 20,
             description="Work centers by day: OEE and downtime heat map, schedule adherence, late MOs."),
    PageSpec("workcenter", "/plant/workcenter/<workcenter_id>", "Work center", frozenset({"plant", "executive", "admin"}),
             21, nav=False, description="One work center: OEE split, losses, trend, work orders."),
    PageSpec("supply", "/supply", "Supply chain", frozenset({"supply_chain", "executive", "admin"}), 30,
             description="Vendors by week: OTIF heat map, late purchase lines, stockout risk, customer OTIF."),
    PageSpec("vendor", "/supply/vendor/<partner_id>", "Vendor", frozenset({"supply_chain", "executive", "admin"}), 31,
             nav=False, description="One vendor: OTIF trend, lead times, late purchase lines."),
    PageSpec("quality", "/quality", "Quality", frozenset({"quality", "executive", "admin"}), 40,
             description="First pass yield, scrap Pareto, nonconformances and lot traceability."),
    PageSpec("lot", "/quality/lot/<lot_id>", "Lot", frozenset({"quality", "executive", "admin"}), 41, nav=False,
             description="One lot: back to its receipt, purchase order and vendor; forward to the MOs that used it."),
    PageSpec("finance", "/finance", "Finance", frozenset({"finance", "executive", "admin"}), 50,
             description="Gross margin by category and customer, receivables aging, DIO and inventory value."),
    PageSpec("customer", "/finance/customer/<partner_id>", "Customer", frozenset({"finance", "executive", "admin"}), 51,
             nav=False, description="One customer: margin, open invoices by age."),
    PageSpec("health", "/health", "Data health", frozenset({"admin"}), 90,
             description="Odoo version, installed apps, table sizes, freshness and replica lag."),
    # The shop-floor TV board: a wall display's session opens its own board; users preview boards of their sites.
    PageSpec("tv", "/tv", "TV board", frozenset({"plant", "executive", "admin"}), 80, nav=False,
             description="One site's rotating large-type board: status, output, OEE, downtime, exceptions."),
    PageSpec("displays", "/admin/displays", "Displays", frozenset({"admin"}), 91,
             description="Wall displays: their site, playlist and token; add, revoke, rotate, preview."),
    # Dash Pages' own 404 page (module ``not_found_404``): every signed-in user may see it.
    PageSpec("notfound", "/404", "Not found", _ALL, 99, nav=False),
)}

PAGE_ROLES: dict[str, frozenset[str]] = {key: spec.roles for key, spec in PAGES.items()}

# Ids every signed-in user's callbacks may write: the shell and Dash's own page router.
SHARED_PREFIXES = ("shell-", "_pages_")


def can_open(role: str | None, page: str) -> bool:
    return role is not None and role in PAGE_ROLES.get(page, frozenset())


def pages_for(role: str | None) -> list[str]:
    return [page for page, roles in PAGE_ROLES.items() if role in roles]


def page_of_component(component_id) -> str | None:
    """The page a component id belongs to, ``""`` for shared ids, ``None`` when unknown.

    Pattern-matching ids are dicts: their ``type`` key carries the prefix.
    """
    if isinstance(component_id, dict):
        component_id = component_id.get("type", "")
    if not isinstance(component_id, str) or not component_id:
        return None
    if component_id.startswith(SHARED_PREFIXES):
        return ""
    prefix = component_id.split("-", 1)[0]
    return prefix if prefix in PAGE_ROLES else None
