"""Odoo's own English labels for the selection values the dashboard shows.

A replica stores a selection's key (``'progress'``); Odoo's screens show its label ("In Progress").
Showing the same words as Odoo lets a user match a row here with the record there.

Read in Odoo's model sources, the same snapshots as ``/work/shared/odoo-schema`` (17.0:
``bragadossantos/odoo@3c0f43f``; 18.0: ``chamorata/odoo@99f73ba``): the labels below are identical
in 17.0 and 18.0. Odoo 19 renames work order states (``blocked`` "Blocked", ``ready`` "To Do",
``done`` "Done"; no ``pending``/``waiting``), which this app does not read yet.

Not here: quality alert stages (``quality.alert.stage_id``) are records with their own names, not a
selection.
"""
from __future__ import annotations

__all__ = ["SELECTION_LABELS", "label", "labels"]

_LOSS_TYPE = {
    "availability": "Availability",
    "performance": "Performance",
    "quality": "Quality",
    "productive": "Productive",
}

# (model, field) -> {key: label}, in Odoo's order.
SELECTION_LABELS: dict[tuple[str, str], dict[str, str]] = {
    # addons/mrp/models/mrp_workorder.py
    ("mrp.workorder", "state"): {
        "pending": "Waiting for another WO",
        "waiting": "Waiting for components",
        "ready": "Ready",
        "progress": "In Progress",
        "done": "Finished",
        "cancel": "Cancelled",
    },
    # addons/mrp/models/mrp_production.py
    ("mrp.production", "state"): {
        "draft": "Draft",
        "confirmed": "Confirmed",
        "progress": "In Progress",
        "to_close": "To Close",
        "done": "Done",
        "cancel": "Cancelled",
    },
    ("mrp.production", "reservation_state"): {
        "confirmed": "Waiting",
        "assigned": "Ready",
        "waiting": "Waiting Another Operation",
    },
    # addons/mrp/models/mrp_workcenter.py: defined on the loss type ("Category"), related on the
    # loss and stored on the time log.
    ("mrp.workcenter.productivity.loss.type", "loss_type"): _LOSS_TYPE,
    ("mrp.workcenter.productivity.loss", "loss_type"): _LOSS_TYPE,
    ("mrp.workcenter.productivity", "loss_type"): _LOSS_TYPE,
    # addons/purchase/models/purchase_order.py
    ("purchase.order", "state"): {
        "draft": "RFQ",
        "sent": "RFQ Sent",
        "to approve": "To Approve",
        "purchase": "Purchase Order",
        "done": "Locked",
        "cancel": "Cancelled",
    },
    # addons/sale/models/sale_order.py (SALE_ORDER_STATE; no 'done' since 17.0: locking is a boolean)
    ("sale.order", "state"): {
        "draft": "Quotation",
        "sent": "Quotation Sent",
        "sale": "Sales Order",
        "cancel": "Cancelled",
    },
    # addons/stock/models/stock_picking.py
    ("stock.picking", "state"): {
        "draft": "Draft",
        "waiting": "Waiting Another Operation",
        "confirmed": "Waiting",
        "assigned": "Ready",
        "done": "Done",
        "cancel": "Cancelled",
    },
}


def labels(model: str, field: str) -> dict[str, str]:
    """Odoo's ``{key: label}`` for a selection field, in Odoo's order (empty when unknown)."""
    return dict(SELECTION_LABELS.get((model, field), {}))


def label(model: str, field: str, value: str | None) -> str:
    """Odoo's label for ``value`` of ``model.field``; an unknown value shows title-cased
    (``'to_close'`` -> "To Close"), an empty one as ``""``."""
    if value is None or value is False or value == "":
        return ""
    found = SELECTION_LABELS.get((model, field), {}).get(value)
    if found is not None:
        return found
    return str(value).replace("_", " ").strip().title()
