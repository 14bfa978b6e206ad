"""Quality KPIs: formulas on hand-made sums, the families on all backends, NC closure availability."""
from datetime import date

import pytest

from dashboard.kpis.period import Period
from dashboard.kpis.quality import compute_fpy, compute_nc_closure, fpy_points, nc_closure_points
from dashboard.kpis.registry import FAMILIES
from dashboard.kpis.types import KpiUnavailable
from helpers.odoo_db import dt
from helpers.statements import statements_of

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))


def test_fpy_formula_and_zero_production():
    pts = fpy_points([{"scope_id": 1, "bucket": None, "qty_produced": 40.0, "qty_scrapped": 2.0, "mo_count": 3.0},
                      {"scope_id": 2, "bucket": None, "qty_produced": 0.0, "qty_scrapped": 0.0, "mo_count": 1.0}],
                     "warehouse")
    assert [(p.kpi, p.scope_id, p.value) for p in pts] == [("first_pass_yield", 1, 0.95), ("first_pass_yield", 2, None)]
    assert pts[0].parts == {"qty_produced": 40.0, "qty_scrapped": 2.0, "mo_count": 3.0}


def test_nc_formula():
    pts = nc_closure_points([{"scope_id": 1, "bucket": None, "days_sum": 43.5, "closed": 2.0}], "company")
    assert pts[0].value == pytest.approx(21.75)


def test_families_registered():
    assert FAMILIES["first_pass_yield"].scopes == ("warehouse", "company")
    assert FAMILIES["first_pass_yield"].requires_modules == ("mrp",)
    assert FAMILIES["nc_closure"].kpis == ("nc_closure_days",)
    assert FAMILIES["nc_closure"].scopes == ("company",)


def test_compute_fpy(odoo_db):
    odoo_db.insert("stock_warehouse", {"id": 1, "company_id": 1})
    odoo_db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1})
    odoo_db.insert("mrp_production",
                   {"id": 1, "picking_type_id": 11, "company_id": 1, "product_id": 5, "state": "done",
                    "date_finished": dt("2026-06-10 10:00")},
                   {"id": 2, "picking_type_id": 11, "company_id": 1, "product_id": 5, "state": "done",
                    "date_finished": dt("2026-06-12 10:00")})
    odoo_db.insert("stock_move",
                   {"id": 1, "production_id": 1, "product_id": 5, "state": "done", "quantity": 30, "scrapped": False},
                   {"id": 2, "production_id": 2, "product_id": 5, "state": "done", "quantity": 10, "scrapped": False})
    odoo_db.insert("stock_scrap", {"id": 1, "production_id": 2, "product_id": 5, "state": "done", "scrap_qty": 4})
    # pooled: (40 - 4) / 40 = 0.9 (the mean of 1.0 and 0.6 would be 0.8)
    pts = compute_fpy(odoo_db.replica, CO1, "warehouse")
    assert [(p.scope_kind, p.scope_id, p.value) for p in pts] == [("warehouse", 1, pytest.approx(0.9))]
    weeks = compute_fpy(odoo_db.replica, CO1, "company", "week")
    assert [(p.scope_id, p.bucket, p.value) for p in weeks] == [(1, "2026-06-08", pytest.approx(0.9))]
    # the engine's call: every kind at once, from one statement
    assert FAMILIES["first_pass_yield"].multi_kind
    both, seen = statements_of(odoo_db.replica, compute_fpy, odoo_db.replica, CO1, ("warehouse", "company"))
    assert len(seen) == 1
    assert [(p.scope_kind, p.scope_id, p.value) for p in both] == [
        ("warehouse", 1, pytest.approx(0.9)), ("company", 1, pytest.approx(0.9))]


def test_nc_closure_unavailable_without_quality_module(odoo_db):
    with pytest.raises(KpiUnavailable, match="quality module not installed"):
        compute_nc_closure(odoo_db.replica, CO1, "company")


def test_nc_closure_mean_days_with_quality_module(odoo_db):
    odoo_db.install("quality")
    odoo_db.insert("quality_alert",
                   {"id": 1, "company_id": 1, "create_date": dt("2026-06-01 00:00"), "date_close": dt("2026-06-04 00:00")},
                   {"id": 2, "company_id": 1, "create_date": dt("2026-06-10 00:00"), "date_close": dt("2026-06-11 12:00")},
                   {"id": 3, "company_id": 1, "create_date": dt("2026-06-10 00:00"), "date_close": None})
    pts = compute_nc_closure(odoo_db.replica, CO1, "company")
    assert [(p.kpi, p.scope_id) for p in pts] == [("nc_closure_days", 1)]
    assert pts[0].value == pytest.approx(2.25)  # (3 + 1.5) / 2
