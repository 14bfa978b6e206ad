"""What kind of Odoo a database is: its series (17.0, 18.0) and its installed modules.

The series is read from the ``base`` module's ``latest_version`` (Odoo prefixes module versions with
the series: ``17.0.1.3``); if that is missing, columns that only one series has decide.
Installed modules are decided by ``ir_module_module.state``, never by whether a table exists
(an uninstalled module may leave its tables behind).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select

from data_access.errors import SchemaMismatch
from data_access.schema import SUPPORTED_VERSIONS, odoo_schema

__all__ = ["OdooInfo", "detect", "INSTALLED_STATES", "APPS_THAT_MATTER"]

INSTALLED_STATES = ("installed", "to upgrade", "to remove")

# Technical name -> what the dashboard uses it for (shown on the data health page).
APPS_THAT_MATTER = {
    "mrp": "Manufacturing: work centers, work orders, OEE",
    "stock": "Inventory: warehouses, moves, quants, reordering rules",
    "stock_account": "Inventory valuation: COGS, inventory turns, DIO",
    "purchase": "Purchase: supplier OTIF, late purchase lines",
    "purchase_stock": "Purchase receipts linked to purchase lines",
    "sale": "Sales: customer OTIF",
    "sale_stock": "Deliveries linked to sale lines",
    "account": "Invoicing: gross margin, overdue receivables",
    "maintenance": "Maintenance: equipment and requests",
    "quality": "Quality (Enterprise): quality alerts, NC closure time",
    "quality_control": "Quality control (Enterprise): quality checks",
    "quality_control_oca": "Quality control (OCA): inspections",
    "helpdesk": "Helpdesk (Enterprise)",
    "web_enterprise": "Odoo Enterprise edition",
}


@dataclass(frozen=True)
class OdooInfo:
    """``series`` is ``17.0`` or ``18.0``; ``base_version`` the raw ``latest_version`` of base."""

    series: str
    base_version: str | None
    modules: frozenset[str]

    @property
    def enterprise(self) -> bool:
        return "web_enterprise" in self.modules

    def has(self, module: str) -> bool:
        return module in self.modules


def _series_from_columns(conn) -> str:
    insp = inspect(conn)
    tables = set(insp.get_table_names())
    if "product_template" in tables:
        cols = {c["name"] for c in insp.get_columns("product_template")}
        if "is_storable" in cols:
            return "18.0"
        if "detailed_type" in cols:
            return "17.0"
    if "stock_move" in tables and "quantity_done" in {c["name"] for c in insp.get_columns("stock_move")}:
        return "16.0"
    return "18.0" if "ir_property" not in tables else "17.0"


def detect(conn) -> OdooInfo:
    """Read the Odoo series and installed modules through an open connection."""
    # ir_module_module has the same columns in every supported series
    mod = odoo_schema("17.0").ir_module_module
    base_version = conn.execute(select(mod.c.latest_version).where(mod.c.name == "base")).scalar()
    series = None
    if base_version and base_version.count(".") >= 2:
        series = ".".join(base_version.split(".")[:2])
    if series is None:
        series = _series_from_columns(conn)
    if series not in SUPPORTED_VERSIONS:
        raise SchemaMismatch(
            f"Odoo series {series}",
            user_message=f"This database is Odoo {series}; the dashboard reads Odoo {' and '.join(SUPPORTED_VERSIONS)}.",
        )
    modules = conn.execute(select(mod.c.name).where(mod.c.state.in_(INSTALLED_STATES))).scalars().all()
    return OdooInfo(series=series, base_version=base_version, modules=frozenset(modules))
