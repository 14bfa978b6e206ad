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
    assert pts[0].parts == {"revenue": 1600.0, "cogs": 800.0, "currencies": [], "by_currency": {}}
    assert all(p.reason is None for p in pts)


def test_overdue_formula():
    pts = overdue_points([{"scope_id": 20, "bucket": None, "residual": 968.0, "invoices": 2}], "partner")
    assert values(pts) == {("overdue_receivables", 20, None): 968.0}
    assert pts[0].parts == {"residual": 968.0, "invoices": 2, "currencies": [], "by_currency": {}}


def test_amounts_in_two_currencies_have_no_value_and_say_why():
    eur_usd = {"EUR": {"revenue": 800.0, "cogs": 250.0}, "USD": {"revenue": 600.0, "cogs": 77.0}}
    rows = [{"scope_id": 22, "bucket": None, "revenue": None, "cogs": None, "currencies": ["EUR", "USD"],
             "by_currency": eur_usd},
            {"scope_id": 20, "bucket": None, "revenue": 800.0, "cogs": 500.0, "currencies": ["EUR"],
             "by_currency": {"EUR": {"revenue": 800.0, "cogs": 500.0}}}]
    mixed, single = margin_points(rows, "partner")
    assert (mixed.value, mixed.reason) == (None, "amounts in more than one company currency: EUR, USD")
    assert mixed.parts["by_currency"] == eur_usd and mixed.parts["revenue"] is None
    assert (single.value, single.reason) == (0.375, None)
    over = overdue_points([{"scope_id": 20, "bucket": None, "residual": None, "invoices": 3,
                            "currencies": ["EUR", "USD"], "by_currency": {}}], "partner")[0]
    assert (over.value, over.reason, over.parts["invoices"]) == (
        None, "amounts in more than one company currency: EUR, USD", 3)


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


def test_engine_reports_a_two_currency_partner_unavailable(odoo_db):
    from dashboard.kpis.catalogue import Catalogue
    from dashboard.kpis.engine import evaluate
    from helpers.finance_rows import second_company_in_usd

    second_company_in_usd(odoo_db)  # company 2 in USD (hand sums in tests/data_access/queries/test_finance.py)
    ctx = Period(date(2026, 6, 30), 30).context()
    got = {(r.kpi, r.scope_kind, r.scope_id): r for r in evaluate(
        odoo_db.replica, ctx, Catalogue(), kpis=("gross_margin_pct", "overdue_receivables"))}
    why = "amounts in more than one company currency: EUR, USD"
    for key in (("gross_margin_pct", "partner", 22), ("gross_margin_pct", "product", 1),
                ("gross_margin_pct", "product", 3), ("overdue_receivables", "partner", 20),
                ("overdue_receivables", "partner", 22)):
        assert (got[key].value, got[key].status, got[key].reason) == (None, "unavailable", why), key
    # Customer Co's rows of P are all EUR: a value and a status; every company keeps its own
    assert got[("gross_margin_pct", "partner", 20)].value == pytest.approx(0.375)
    assert got[("gross_margin_pct", "partner", 20)].status in ("ok", "warning", "critical")
    assert got[("gross_margin_pct", "company", 2)].value == pytest.approx((600 - 77) / 600)
    assert got[("overdue_receivables", "company", 2)].value == pytest.approx(650.0)
    assert got[("overdue_receivables", "partner", 22)].as_json() == {
        "kpi": "overdue_receivables", "scope": {"partner_id": 22}, "value": None, "status": "unavailable", "reason": why}
