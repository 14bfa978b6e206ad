"""Drill-down rows behind the finance KPIs, on helpers.finance_rows (P = June 2026, D = 30 June)."""
import pytest

from data_access.queries import finance_drill
from helpers.finance_rows import invoices
from helpers.supply_rows import JUNE


def test_margin_invoices(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance_drill.margin_invoices, JUNE)
    # INV/1 1000 (tax and payment-term lines left out), INV/3 500 + 300, INV/2 refund -200
    assert [(r["move_id"], r["revenue"]) for r in rows] == [(1, 1000.0), (3, 800.0), (2, -200.0)]
    assert rows[0]["model"] == "account.move" and rows[0]["name"] == "INV/1"
    assert (rows[0]["partner_id"], rows[0]["partner_name"], str(rows[0]["invoice_date"])) == (20, "Customer Co", "2026-06-01")
    assert rows[2]["move_type"] == "out_refund"
    assert [(r["move_id"], r["revenue"]) for r in odoo_db.replica.run(finance_drill.margin_invoices, JUNE,
                                                                      product_id=3)] == [(3, 500.0)]
    assert [r["move_id"] for r in odoo_db.replica.run(finance_drill.margin_invoices, JUNE, partner_id=20)] == [1, 2]
    assert odoo_db.replica.run(finance_drill.margin_invoices, JUNE, partner_id=999, limit=5) == []
    with pytest.raises(ValueError):
        odoo_db.replica.run(finance_drill.margin_invoices, JUNE, product_id=1.5)


def test_margin_by_category(odoo_db):
    invoices(odoo_db)
    # Saleable (products 1): revenue 1100, COGS 600 - 100 + 50 = 550; Raw (product 3): 500 and 250.
    # Lowest margin amount first: Raw (250) before Saleable (550).
    assert odoo_db.replica.run(finance_drill.margin_by_category, JUNE) == [
        {"category_id": 2, "category_name": "All / Raw", "revenue": 500.0, "cogs": 250.0},
        {"category_id": 1, "category_name": "All / Saleable", "revenue": 1100.0, "cogs": 550.0}]


def test_overdue_invoices(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance_drill.overdue_invoices, JUNE)
    # due 1 June (refund), 15 June, 29 June; INV/3 due on D is not overdue
    assert [(r["move_id"], r["residual"], r["days_overdue"]) for r in rows] == [
        (2, -242.0, 29), (5, 100.0, 15), (1, 1210.0, 1)]
    assert rows[0]["model"] == "account.move" and str(rows[0]["invoice_date_due"]) == "2026-06-01"
    assert [r["move_id"] for r in odoo_db.replica.run(finance_drill.overdue_invoices, JUNE, partner_id=22)] == [5]
    assert [r["move_id"] for r in odoo_db.replica.run(finance_drill.overdue_invoices, JUNE, limit=1)] == [2]
