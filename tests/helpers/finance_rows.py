"""Hand-built invoices and valuation layers shared by the finance query tests (expected values are in
the tests). P = June 2026 (UTC), D = 2026-06-30; partners, locations and companies from supply_rows.base.
Both companies keep their books in EUR (they pool); ``second_company_in_usd`` moves company 2 to USD.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import update

from helpers.odoo_db import dt
from helpers.supply_rows import base


def inv(i, move_type, state, invoice_date, partner, *, company=1, due=None, payment_state="not_paid",
        residual=0.0) -> dict:
    return {"id": i, "name": f"INV/{i}", "move_type": move_type, "state": state, "company_id": company,
            "invoice_date": date.fromisoformat(invoice_date), "commercial_partner_id": partner, "partner_id": partner,
            "invoice_date_due": date.fromisoformat(due) if due else None, "payment_state": payment_state,
            "amount_residual_signed": residual}


def aml(i, move_id, display_type, balance, product=None) -> dict:
    return {"id": i, "move_id": move_id, "display_type": display_type, "balance": balance, "product_id": product,
            "company_id": 1}


def set_currency(db, company: int, currency: int) -> None:
    """Give ``company`` the currency ``currency`` (1 EUR, 2 USD)."""
    with db.engine.begin() as conn:
        conn.execute(update(db.schema.res_company).where(db.schema.res_company.c.id == company).values(currency_id=currency))


def invoices(db) -> None:
    base(db)
    db.insert("res_currency", {"id": 1, "name": "EUR", "symbol": "€"}, {"id": 2, "name": "USD", "symbol": "$"})
    set_currency(db, 1, 1)
    set_currency(db, 2, 1)
    db.insert("product_category", {"id": 1, "name": "Saleable", "complete_name": "All / Saleable"},
              {"id": 2, "name": "Raw", "complete_name": "All / Raw"})
    db.insert("product_template", {"id": 3, "name": {"en_US": "Steel"}, "categ_id": 2})
    db.insert("product_product", {"id": 3, "product_tmpl_id": 3})
    db.insert("account_move",
              inv(1, "out_invoice", "posted", "2026-06-01", 20, due="2026-06-29", residual=1210),
              inv(2, "out_refund", "posted", "2026-06-30", 20, due="2026-06-01", residual=-242),
              inv(3, "out_invoice", "posted", "2026-06-15", 22, due="2026-06-30", payment_state="partial", residual=300),
              inv(4, "out_invoice", "draft", "2026-06-15", 22, due="2026-06-01", residual=700),
              inv(5, "out_invoice", "posted", "2026-05-31", 22, due="2026-06-15", payment_state="partial", residual=100),
              inv(6, "out_invoice", "posted", "2026-07-01", 22, due="2026-07-31", residual=400),
              inv(7, "in_invoice", "posted", "2026-06-10", 10, due="2026-06-01", residual=-900),
              inv(8, "out_invoice", "posted", "2026-06-10", 22, company=2, due="2026-06-01", residual=600),
              inv(9, "out_invoice", "cancel", "2026-06-10", 22, due="2026-06-01", residual=50),
              inv(10, "out_invoice", "posted", "2026-05-02", 22, due="2026-06-01", payment_state="paid"),
              inv(11, "out_invoice", "posted", "2026-05-03", 22, due="2026-06-10", payment_state="in_payment",
                  residual=500))
    db.insert("account_move_line",
              aml(1, 1, "product", -1000, 1), aml(2, 1, "tax", -210), aml(3, 1, "payment_term", 1210),
              aml(4, 2, "product", 200, 1), aml(5, 2, "payment_term", -242),
              aml(6, 3, "product", -500, 3), aml(7, 3, "product", -300, 1), aml(8, 3, "line_section", 0),
              aml(9, 4, "product", -700, 1), aml(10, 5, "product", -400, 1), aml(11, 6, "product", -400, 1),
              aml(12, 7, "product", 900, 1), aml(13, 8, "product", -600, 1), aml(14, 9, "product", -50, 1))
    db.insert("stock_picking", *[{"id": i, "name": f"WH/OUT/{i}", "partner_id": p} for i, p in
                                 ((1, 21), (2, 22), (3, None))])
    db.insert("stock_move", *[{"id": i, "location_id": s, "location_dest_id": d, "picking_id": pk, "state": "done"}
                              for i, s, d, pk in ((1, 2, 3, 1), (2, 3, 2, 1), (3, 2, 3, 2), (4, 1, 2, None),
                                                  (5, 2, 3, 3))])

    def layer(i, move_id, when, value, product, company=1):
        return {"id": i, "stock_move_id": move_id, "create_date": dt(when), "value": value, "product_id": product,
                "company_id": company, "quantity": 1}

    db.insert("stock_valuation_layer",
              layer(1, 1, "2026-06-05 10:00", -600, 1), layer(2, 2, "2026-06-30 23:59:59", 100, 1),
              layer(3, 3, "2026-06-01 00:00:00", -250, 3), layer(4, 4, "2026-06-10 10:00", 5000, 1),
              layer(5, 5, "2026-06-12 10:00", -50, 1), layer(6, 1, "2026-07-01 00:00", -999, 1),
              layer(7, 3, "2026-05-31 23:59:59", -888, 3), layer(8, 3, "2026-06-10 10:00", -77, 3, company=2))


def second_company_in_usd(db) -> None:
    """``invoices`` with company 2 in USD, and INV/19: company 2 invoiced Customer Co (20) product 1 for 80 on
    20 May (before P), 50 still open, due 19 June (overdue at D)."""
    invoices(db)
    set_currency(db, 2, 2)
    db.insert("account_move", inv(19, "out_invoice", "posted", "2026-05-20", 20, company=2, due="2026-06-19",
                                  residual=50))
    db.insert("account_move_line", {**aml(15, 19, "product", -80, 1), "company_id": 2})
