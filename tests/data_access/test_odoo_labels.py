"""Odoo's selection labels (read in the 17.0 and 18.0 sources) and the fallback for unknown keys."""
import pytest

from data_access.odoo_labels import SELECTION_LABELS, label, labels


@pytest.mark.parametrize("model, field, value, expected", [
    ("mrp.workorder", "state", "pending", "Waiting for another WO"),
    ("mrp.workorder", "state", "waiting", "Waiting for components"),
    ("mrp.workorder", "state", "done", "Finished"),
    ("mrp.production", "state", "to_close", "To Close"),
    ("mrp.production", "state", "cancel", "Cancelled"),
    ("mrp.workcenter.productivity", "loss_type", "performance", "Performance"),
    ("purchase.order", "state", "to approve", "To Approve"),
    ("purchase.order", "state", "done", "Locked"),
    ("sale.order", "state", "sale", "Sales Order"),
    ("stock.picking", "state", "assigned", "Ready"),
    ("stock.picking", "state", "confirmed", "Waiting"),
])
def test_odoo_labels(model, field, value, expected):
    assert label(model, field, value) == expected


def test_unknown_values_fall_back_to_the_key_title_cased():
    assert label("mrp.workorder", "state", "blocked") == "Blocked"  # an Odoo 19 key
    assert label("mrp.unknown", "state", "to_close") == "To Close"
    assert label("mrp.workorder", "state", None) == ""
    assert labels("mrp.unknown", "state") == {}


def test_labels_keep_odoos_order_and_are_a_copy():
    states = labels("mrp.production", "state")
    assert list(states) == ["draft", "confirmed", "progress", "to_close", "done", "cancel"]
    states["draft"] = "changed"
    assert label("mrp.production", "state", "draft") == "Draft"


def test_every_selection_has_exactly_odoos_keys():
    # The keys of /work/shared/odoo-schema (read in the 17.0 and 18.0 sources), so a typo in a key
    # shows here rather than as a title-cased fallback on screen.
    assert {k: set(v) for k, v in SELECTION_LABELS.items()} == {
        ("mrp.workorder", "state"): {"pending", "waiting", "ready", "progress", "done", "cancel"},
        ("mrp.production", "state"): {"draft", "confirmed", "progress", "to_close", "done", "cancel"},
        ("mrp.production", "reservation_state"): {"confirmed", "assigned", "waiting"},
        ("mrp.workcenter.productivity.loss.type", "loss_type"): {"availability", "performance", "quality", "productive"},
        ("mrp.workcenter.productivity.loss", "loss_type"): {"availability", "performance", "quality", "productive"},
        ("mrp.workcenter.productivity", "loss_type"): {"availability", "performance", "quality", "productive"},
        ("purchase.order", "state"): {"draft", "sent", "to approve", "purchase", "done", "cancel"},
        ("sale.order", "state"): {"draft", "sent", "sale", "cancel"},
        ("stock.picking", "state"): {"draft", "waiting", "confirmed", "assigned", "done", "cancel"},
    }
