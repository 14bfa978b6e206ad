"""Gross margin terms and overdue receivables on hand-built invoices and layers (helpers.finance_rows).

Revenue (company 1, June): INV/1 product line 1000 (its tax and payment-term lines are not revenue),
INV/2 refund -200 (dated D), INV/3 500 (product 3) + 300 (product 1; its section line is 0).
Excluded: INV/4 draft, INV/5 dated 31 May, INV/6 dated 1 July, INV/7 vendor bill, INV/8 company 2,
INV/9 cancelled. Company 1: 1600; product 1: 1100, product 3: 500; partner 20: 800, partner 22: 800.
COGS (layers created in June for moves to/from customers): 600 (move 1, picking partner 21 -> 20),
-100 (customer return at 30 June 23:59:59, partner 20), 250 (product 3, 1 June 00:00, partner 22),
50 (picking without partner). Excluded: the receipt layer, 1 July 00:00, 31 May 23:59:59, company 2.
Company 1: 800; product 1: 550, product 3: 250; partner 20: 500, partner 22: 250.
"""
import pytest

from data_access.context import QueryContext
from data_access.queries import finance
from helpers.finance_rows import invoices
from helpers.odoo_db import dt
from helpers.statements import statements_of
from helpers.supply_rows import JUNE, JUNE_ALL


def _terms(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: (round(r["revenue"], 6), round(r["cogs"], 6)) for r in rows}


@pytest.mark.parametrize("group_by, expected", [
    ("company", {1: (1600.0, 800.0)}),
    ("product", {1: (1100.0, 550.0), 3: (500.0, 250.0)}),
    ("partner", {20: (800.0, 500.0), 22: (800.0, 250.0)}),
])
def test_gross_margin_terms(odoo_db, group_by, expected):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance.gross_margin_sums, JUNE, group_by=group_by)
    assert _terms(rows, "scope_id") == expected
    assert all(r["bucket"] is None for r in rows)


def test_gross_margin_second_company(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance.gross_margin_sums, JUNE_ALL, group_by="company")
    # company 2: INV/8 600 revenue, a 77 COGS layer
    assert _terms(rows, "scope_id") == {1: (1600.0, 800.0), 2: (600.0, 77.0)}


def test_gross_margin_day_buckets(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance.gross_margin_sums, JUNE, group_by="company", bucket="day")
    assert _terms(rows, "scope_id", "bucket") == {
        (1, "2026-06-01"): (1000.0, 250.0), (1, "2026-06-05"): (0.0, 600.0), (1, "2026-06-12"): (0.0, 50.0),
        (1, "2026-06-15"): (800.0, 0.0), (1, "2026-06-30"): (-200.0, -100.0)}
    weeks = odoo_db.replica.run(finance.gross_margin_sums, JUNE, group_by="company", bucket="week")
    # weeks of Mon 1, 8, 15 and 29 June (30 June is a Tuesday)
    assert _terms(weeks, "scope_id", "bucket") == {
        (1, "2026-06-01"): (1000.0, 850.0), (1, "2026-06-08"): (0.0, 50.0), (1, "2026-06-15"): (800.0, 0.0),
        (1, "2026-06-29"): (-200.0, -100.0)}


def test_gross_margin_invoice_dates_are_local_dates(odoo_db):
    invoices(odoo_db)
    # D = 30 June in UTC+2: the period bounds move in UTC, invoice dates stay dates: same revenue.
    # Layer 2 (30 June 23:59:59 UTC = 1 July local) falls out, layer 7 (31 May 23:59:59 UTC = 1 June
    # local) comes in: COGS 800 + 100 + 888 = 1788.
    ctx = QueryContext(dt("2026-05-31 22:00"), dt("2026-06-30 22:00"), day_offset_minutes=120, company_ids=(1,))
    rows = odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by="company")
    assert _terms(rows, "scope_id") == {1: (1600.0, 1788.0)}


def test_gross_margin_empty_period(odoo_db):
    invoices(odoo_db)
    ctx = QueryContext(dt("2025-01-01"), dt("2025-01-31"), company_ids=(1,))
    assert odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by="partner") == []
    with pytest.raises(ValueError):
        odoo_db.replica.run(finance.gross_margin_sums, JUNE, group_by="warehouse")


# Overdue as of 30 June: INV/1 1210 (due 29 June), INV/2 refund -242, INV/5 partial 100. Not overdue:
# INV/3 due ON D, INV/10 paid, INV/11 in payment, INV/4 draft, INV/7 vendor bill, INV/6 due in July,
# INV/9 cancelled; INV/8 belongs to company 2.
def test_overdue_per_company_and_partner(odoo_db):
    invoices(odoo_db)
    assert odoo_db.replica.run(finance.overdue_sums, JUNE, group_by="company") == [
        {"scope_id": 1, "bucket": None, "residual": pytest.approx(1068.0), "invoices": 3, "currencies": ["EUR"],
         "by_currency": {"EUR": {"residual": pytest.approx(1068.0)}}}]
    rows = odoo_db.replica.run(finance.overdue_sums, JUNE, group_by="partner")
    assert {r["scope_id"]: (r["residual"], r["invoices"]) for r in rows} == {20: (968.0, 2), 22: (100.0, 1)}
    rows = odoo_db.replica.run(finance.overdue_sums, JUNE_ALL, group_by="company")
    assert {r["scope_id"]: r["residual"] for r in rows} == {1: 1068.0, 2: 600.0}


def test_overdue_due_date_equal_to_as_of_is_not_overdue(odoo_db):
    invoices(odoo_db)
    # D = 1 July: INV/3 (due 30 June, 300) is now overdue
    ctx = QueryContext(dt("2026-06-02"), dt("2026-07-02"), company_ids=(1,))
    assert odoo_db.replica.run(finance.overdue_sums, ctx, group_by="company")[0]["residual"] == pytest.approx(1368.0)


@pytest.mark.parametrize("ctx, bucket", [(JUNE, None), (JUNE_ALL, None), (JUNE, "day"), (JUNE_ALL, "week")])
def test_gross_margin_every_kind_from_one_statement(odoo_db, ctx, bucket):
    invoices(odoo_db)
    got, seen = statements_of(odoo_db.replica, odoo_db.replica.run, finance.gross_margin_sums_by_kinds, ctx,
                              finance.MARGIN_SCOPES, bucket=bucket)
    assert len(seen) == 1
    for kind in finance.MARGIN_SCOPES:
        alone = odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by=kind, bucket=bucket)
        assert _terms(got[kind], "scope_id", "bucket") == _terms(alone, "scope_id", "bucket")
    if ctx is JUNE and bucket is None:  # the hand sums of the module docstring
        assert _terms(got["company"], "scope_id") == {1: (1600.0, 800.0)}
        assert _terms(got["product"], "scope_id") == {1: (1100.0, 550.0), 3: (500.0, 250.0)}
        assert _terms(got["partner"], "scope_id") == {20: (800.0, 500.0), 22: (800.0, 250.0)}


def test_gross_margin_reads_the_period_rows_and_reaches_moves_by_their_keys(odoo_db):
    """Layers are chosen by their creation range and reach their moves by ``stock_move_id``; the
    customer test is on the moves' location ids (no location row joined to every move); pickings and
    partners are joined only when a partner scope is asked for."""
    invoices(odoo_db)
    _, seen = statements_of(odoo_db.replica, odoo_db.replica.run, finance.gross_margin_sums_by_kinds, JUNE,
                            ("company", "product"))
    sql = " ".join(seen[0].split())
    assert "stock_valuation_layer.create_date >=" in sql and "stock_valuation_layer.create_date <" in sql
    assert "account_move.invoice_date >=" in sql and "account_move.invoice_date <=" in sql
    assert "stock_picking" not in sql and "res_partner" not in sql


def test_overdue_both_kinds_from_one_statement(odoo_db):
    invoices(odoo_db)
    got, seen = statements_of(odoo_db.replica, odoo_db.replica.run, finance.overdue_sums_by_kinds, JUNE,
                              finance.OVERDUE_SCOPES)
    assert len(seen) == 1
    assert got == {kind: odoo_db.replica.run(finance.overdue_sums, JUNE, group_by=kind) for kind in finance.OVERDUE_SCOPES}
    assert {r["scope_id"]: (r["residual"], r["invoices"]) for r in got["partner"]} == {20: (968.0, 2), 22: (100.0, 1)}
    assert all(isinstance(r["invoices"], int) for r in got["company"])


# (v2) Company currencies are never added (helpers.finance_rows.second_company_in_usd: company 2 in USD).
# Company 1 (EUR) as above; company 2 (USD): INV/8 600 revenue for Other Customer (22) and product 1, its
# 77 COGS layer (product 3, picking partner 22), 600 overdue; INV/19 (20 May, outside P) 80 for Customer Co
# (20) and product 1, 50 overdue. Other Customer: EUR 800 / 250 and USD 600 / 77 -> unavailable. Customer Co
# is a customer of both companies, but its rows of P are all EUR (a value); its open moves are not (overdue
# unavailable). Product 1: EUR 1100 / 550, USD 600 -> unavailable; product 3: EUR 500 / 250 and the USD
# layer of 77 -> unavailable (a valuation layer is a row of the scope too). Companies are one currency each.
def _value_or_currencies(rows, *measures):
    return {r["scope_id"]: (tuple(round(r[m], 6) for m in measures) if len(r["currencies"]) == 1
                            else tuple(r["currencies"])) for r in rows}


def test_margin_is_never_summed_across_currencies(odoo_db):
    from helpers.finance_rows import second_company_in_usd

    second_company_in_usd(odoo_db)
    got = odoo_db.replica.run(finance.gross_margin_sums_by_kinds, JUNE_ALL, finance.MARGIN_SCOPES)
    assert _value_or_currencies(got["company"], "revenue", "cogs") == {1: (1600.0, 800.0), 2: (600.0, 77.0)}
    assert _value_or_currencies(got["partner"], "revenue", "cogs") == {20: (800.0, 500.0), 22: ("EUR", "USD")}
    assert _value_or_currencies(got["product"], "revenue", "cogs") == {1: ("EUR", "USD"), 3: ("EUR", "USD")}
    other = next(r for r in got["partner"] if r["scope_id"] == 22)
    assert other["revenue"] is None and other["cogs"] is None
    assert other["by_currency"] == {"EUR": {"revenue": 800.0, "cogs": 250.0}, "USD": {"revenue": 600.0, "cogs": 77.0}}
    # weekly buckets split the same way: Other Customer's week of 8 June holds its USD invoice and layer only
    weeks = odoo_db.replica.run(finance.gross_margin_sums, JUNE_ALL, group_by="partner", bucket="week")
    assert {(r["scope_id"], r["bucket"]): tuple(r["currencies"]) for r in weeks if r["scope_id"] == 22} == {
        (22, "2026-06-01"): ("EUR",), (22, "2026-06-08"): ("USD",), (22, "2026-06-15"): ("EUR",)}
    # company 1 alone: every scope in EUR, the values of the module docstring
    one = odoo_db.replica.run(finance.gross_margin_sums_by_kinds, JUNE, ("product", "partner"))
    assert _value_or_currencies(one["product"], "revenue", "cogs") == {1: (1100.0, 550.0), 3: (500.0, 250.0)}
    assert _value_or_currencies(one["partner"], "revenue", "cogs") == {20: (800.0, 500.0), 22: (800.0, 250.0)}


def test_companies_sharing_a_currency_pool(odoo_db):
    invoices(odoo_db)  # both companies in EUR
    got = odoo_db.replica.run(finance.gross_margin_sums_by_kinds, JUNE_ALL, ("partner", "product"))
    # Other Customer: 800 + 600 revenue, 250 + 77 COGS; product 1: 1100 + 600; product 3: COGS 250 + 77
    assert _value_or_currencies(got["partner"], "revenue", "cogs") == {20: (800.0, 500.0), 22: (1400.0, 327.0)}
    assert _value_or_currencies(got["product"], "revenue", "cogs") == {1: (1700.0, 550.0), 3: (500.0, 327.0)}
    overdue = odoo_db.replica.run(finance.overdue_sums, JUNE_ALL, group_by="partner")
    assert _value_or_currencies(overdue, "residual") == {20: (968.0,), 22: (700.0,)}


def test_overdue_is_never_summed_across_currencies(odoo_db):
    from helpers.finance_rows import second_company_in_usd

    second_company_in_usd(odoo_db)
    got, seen = statements_of(odoo_db.replica, odoo_db.replica.run, finance.overdue_sums_by_kinds, JUNE_ALL,
                              finance.OVERDUE_SCOPES)
    assert len(seen) == 1
    assert _value_or_currencies(got["company"], "residual") == {1: (1068.0,), 2: (650.0,)}
    assert _value_or_currencies(got["partner"], "residual") == {20: ("EUR", "USD"), 22: ("EUR", "USD")}
    customer_co = next(r for r in got["partner"] if r["scope_id"] == 20)
    assert customer_co["residual"] is None and customer_co["invoices"] == 3
    assert customer_co["by_currency"] == {"EUR": {"residual": 968.0}, "USD": {"residual": 50.0}}
