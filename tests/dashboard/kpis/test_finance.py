"""Finance KPIs: the pure formulas on hand-made sums, and the families end to end on all backends."""
from datetime import date

import pytest

from dashboard.kpis.finance import compute_gross_margin, compute_overdue, margin_points, overdue_points
from dashboard.kpis.period import Period
from dashboard.kpis.registry import FAMILIES
from helpers.finance_rows import invoices
from helpers.statements import statements_of

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))


def values(points):
    return {(p.kpi, p.scope_id, p.bucket): p.value for p in points}


def test_margin_formula_and_null_rules():
    rows = [{"scope_id": 1, "bucket": None, "revenue": 1600.0, "cogs": 800.0},
            {"scope_id": 2, "bucket": None, "revenue": 0.0, "cogs": 50.0},
            {"scope_id": 3, "bucket": None, "revenue": -200.0, "cogs": -100.0},
            {"scope_id": 4, "bucket": "2026-06-01", "revenue": 100.0, "cogs": 130.0}]
    pts = margin_points(rows, "product")
    assert values(pts) == {("gross_margin_pct", 1, None): 0.5, ("gross_margin_pct", 2, None): None,
                           ("gross_margin_pct", 3, None): None, ("gross_margin_pct", 4, "2026-06-01"): -0.3}
    assert pts[0].parts == {"revenue": 1600.0, "cogs": 800.0}


def test_overdue_formula():
    pts = overdue_points([{"scope_id": 20, "bucket": None, "residual": 968.0, "invoices": 2}], "partner")
    assert values(pts) == {("overdue_receivables", 20, None): 968.0}
    assert pts[0].parts == {"residual": 968.0, "invoices": 2}


def test_families_registered():
    assert FAMILIES["gross_margin"].scopes == ("company", "product", "partner")
    assert FAMILIES["overdue_receivables"].snapshot and FAMILIES["overdue_receivables"].requires_modules == ("account",)


# helpers.finance_rows (hand sums in tests/data_access/queries/test_finance.py): company 1 revenue 1600,
# COGS 800; partner 20 revenue 800, COGS 500; partner 22 revenue 800, COGS 250; overdue 1068 (20: 968, 22: 100)
def test_gross_margin_family(odoo_db):
    invoices(odoo_db)
    assert values(compute_gross_margin(odoo_db.replica, CO1, "company")) == {("gross_margin_pct", 1, None): 0.5}
    assert values(compute_gross_margin(odoo_db.replica, CO1, "partner")) == {
        ("gross_margin_pct", 20, None): pytest.approx(0.375), ("gross_margin_pct", 22, None): pytest.approx(0.6875)}
    days = values(compute_gross_margin(odoo_db.replica, CO1, "company", "day"))
    # 30 June: revenue -200 (a refund) -> null; 5 June: COGS only -> null; 15 June: 800 revenue, no COGS -> 1
    assert days[("gross_margin_pct", 1, "2026-06-30")] is None
    assert days[("gross_margin_pct", 1, "2026-06-05")] is None
    assert days[("gross_margin_pct", 1, "2026-06-15")] == 1.0
    assert days[("gross_margin_pct", 1, "2026-06-01")] == pytest.approx(0.75)  # (1000 - 250) / 1000


def test_overdue_family(odoo_db):
    invoices(odoo_db)
    assert values(compute_overdue(odoo_db.replica, CO1, "company")) == {("overdue_receivables", 1, None): 1068.0}
    assert values(compute_overdue(odoo_db.replica, CO1, "partner")) == {
        ("overdue_receivables", 20, None): 968.0, ("overdue_receivables", 22, None): 100.0}
    with pytest.raises(ValueError):
        compute_overdue(odoo_db.replica, CO1, "product")


def test_families_answer_every_kind_from_one_statement(odoo_db):
    invoices(odoo_db)
    assert FAMILIES["gross_margin"].multi_kind and FAMILIES["overdue_receivables"].multi_kind
    for compute, kinds in ((compute_gross_margin, ("company", "product", "partner")),
                           (compute_overdue, ("company", "partner"))):
        together, seen = statements_of(odoo_db.replica, compute, odoo_db.replica, CO1, kinds)
        assert len(seen) == 1
        alone = [p for kind in kinds for p in compute(odoo_db.replica, CO1, kind)]
        assert [(p.kpi, p.scope_kind, p.scope_id, p.value) for p in together] == [
            (p.kpi, p.scope_kind, p.scope_id, p.value) for p in alone]
    assert compute_gross_margin(odoo_db.replica, CO1, ()) == []
