"""Names of the scope entities, on the four backends (SQLite/PostgreSQL x Odoo 17/18)."""
from datetime import date

from dashboard.kpis.period import Period
from data_access.queries.dimensions import companies

ALL = Period(date(2026, 6, 30), 30).context()


def test_companies_carry_their_currency(odoo_db):
    odoo_db.insert("res_currency", {"id": 1, "name": "EUR", "symbol": "€"}, {"id": 2, "name": "USD", "symbol": "$"})
    odoo_db.insert("res_company", {"id": 1, "name": "Nordwerk", "currency_id": 1},
                   {"id": 2, "name": "Nordwerk US", "currency_id": 2},
                   {"id": 3, "name": "Shell", "currency_id": None})
    rows = odoo_db.replica.run(companies, ALL)
    assert rows == {1: {"name": "Nordwerk", "currency": "EUR", "currency_symbol": "€"},
                    2: {"name": "Nordwerk US", "currency": "USD", "currency_symbol": "$"},
                    3: {"name": "Shell", "currency": None, "currency_symbol": None}}
    only_2 = Period(date(2026, 6, 30), 30).context(company_ids=(2,))
    assert odoo_db.replica.run(companies, only_2) == {2: rows[2]}
