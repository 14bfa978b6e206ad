"""``models_read``: the Odoo models an API twin reads, followed through the functions it calls, from its source."""
from __future__ import annotations

import sys
import textwrap

import pytest

from data_access.odoo_api.dimensions import vendor_has_orders, warehouses
from data_access.odoo_api.families import production
from data_access.odoo_api.models_read import models_read


def test_follows_calls_in_the_module_and_through_imports():
    assert models_read(warehouses) == ("ir.module.module", "stock.warehouse")
    # vendor_has_orders -> production.warehouse_of_types (an attribute call on an imported module)
    assert models_read(vendor_has_orders) == ("ir.module.module", "purchase.order", "stock.picking.type")
    # workcenter_sites -> warehouse_of_types (a call by name in its own module)
    assert models_read(production.workcenter_sites) == ("ir.module.module", "mrp.production", "mrp.workorder",
                                                         "stock.picking.type")


def test_a_model_that_is_not_a_literal_is_refused(tmp_path, monkeypatch):
    (tmp_path / "twin_by_variable.py").write_text(textwrap.dedent('''
        def twin(reader, ctx, model="res.partner"):
            return reader.rows(model, [], ["name"])
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    import twin_by_variable

    try:
        with pytest.raises(ValueError, match="twin_by_variable.twin: reader.rows with a model that is not a literal"):
            models_read(twin_by_variable.twin)
    finally:
        sys.modules.pop("twin_by_variable", None)
