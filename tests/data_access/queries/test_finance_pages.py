"""The finance page's breakdowns on helpers.finance_rows (P = June 2026, D = 30 June), and the numbers
that agree: the margin cells pool to ``gross_margin_pct`` and the aging buckets sum to
``overdue_receivables`` for the same period and scope (SQLite and PostgreSQL, Odoo 17 and 18)."""
import pytest

from dashboard.kpis.finance import margin_points, overdue_points
from dashboard.views.finance import aging_rows, overdue_partners, pool_cells, pool_partners
from data_access.queries import finance, finance_pages
from helpers.finance_rows import inv, invoices, second_company_in_usd
from helpers.supply_rows import JUNE, JUNE_ALL


def _aged(db, fill=invoices) -> None:
    """Invoices of Customer Co (20) overdue 30, 31, 60, 61, 90, 91 and 171 days as of 30 June."""
    fill(db)
    db.insert("account_move", *[inv(i, "out_invoice", "posted", "2026-01-01", 20, due=due, residual=amount)
                                for i, due, amount in ((12, "2026-05-31", 1), (13, "2026-05-30", 2), (14, "2026-05-01", 4),
                                                       (15, "2026-04-30", 8), (16, "2026-04-01", 16),
                                                       (17, "2026-03-31", 32), (18, "2026-01-10", 64))])


def test_age_bucket_edges():
    assert [finance_pages.age_bucket(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        None, "d1_30", "d1_30", "d31_60", "d31_60", "d61_90", "d61_90", "d90p", "d90p"]


def test_margin_cells(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance_pages.margin_cells, JUNE)
    got = [(r["category_id"], r["partner_id"], r["revenue"], r["cogs"]) for r in rows]
    # Saleable x Customer Co: INV/1 1000 - refund 200; layers 600 - 100 (picking partner Ann -> Customer Co);
    # Raw x Other Customer: 500 and 250; a layer without picking partner is kept under no customer.
    assert got == [(1, 20, 800.0, 500.0), (1, 22, 300.0, 0.0), (1, None, 0.0, 50.0), (2, 22, 500.0, 250.0)]
    assert {r["company_id"] for r in rows} == {1}
    assert rows[0]["category_name"] == "All / Saleable" and rows[0]["partner_name"] == "Customer Co"
    only = odoo_db.replica.run(finance_pages.margin_cells, JUNE, partner_id=22)
    assert [(r["category_id"], r["revenue"]) for r in only] == [(1, 300.0), (2, 500.0)]


def test_customer_invoices_and_layers(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance_pages.customer_invoices, JUNE, partner_id=22)
    assert [(r["move_id"], r["revenue"]) for r in rows] == [(3, 800.0)]
    assert [(r["move_id"], r["revenue"]) for r in odoo_db.replica.run(
        finance_pages.customer_invoices, JUNE, partner_id=22, category_id=2)] == [(3, 500.0)]
    assert odoo_db.replica.run(finance_pages.customer_invoices, JUNE, partner_id=22, uncategorised=True) == []
    layers = odoo_db.replica.run(finance_pages.customer_layers, JUNE, partner_id=20)
    assert [(r["layer_id"], r["cogs"], r["picking_name"]) for r in layers] == [(1, 600.0, "WH/OUT/1"), (2, -100.0, "WH/OUT/1")]
    assert layers[0]["model"] == "stock.valuation.layer"
    assert [r["layer_id"] for r in odoo_db.replica.run(finance_pages.customer_layers, JUNE, partner_id=22,
                                                       category_id=2)] == [3]
    with pytest.raises(ValueError):
        odoo_db.replica.run(finance_pages.customer_invoices, JUNE, partner_id=0)


def test_open_invoices_by_age(odoo_db):
    invoices(odoo_db)
    rows = odoo_db.replica.run(finance_pages.open_invoices, JUNE, partner_id=22)
    # INV/5 15 days overdue, INV/3 due on D (0: not overdue), INV/6 due in July; paid and in-payment left out
    assert [(r["move_id"], r["days_overdue"], r["residual"]) for r in rows] == [(5, 15, 100.0), (3, 0, 300.0),
                                                                                  (6, -31, 400.0)]


def test_overdue_by_due_date_ages_into_buckets(odoo_db):
    _aged(odoo_db)
    rows = odoo_db.replica.run(finance_pages.overdue_by_due_date, JUNE)
    aged = aging_rows(rows)
    by_partner = {r["partner_id"]: r for r in aged[1]}
    # Customer Co: INV/1 1210 (1 d), refund -242 (29 d), 1 (30 d) | 2 (31 d), 4 (60 d) | 8 (61 d), 16 (90 d) | 32, 64
    assert {k: by_partner[20][k] for k in ("d1_30", "d31_60", "d61_90", "d90p", "total", "invoices")} == {
        "d1_30": 969.0, "d31_60": 6.0, "d61_90": 24.0, "d90p": 96.0, "total": 1095.0, "invoices": 9}
    assert by_partner[20]["oldest_days"] == 171
    assert by_partner[22]["d1_30"] == 100.0
    # the oldest receivables first
    assert aged[1][0]["partner_id"] == 20


def _flat(by_currency: dict) -> dict:
    return {(code, m): v for code, sums in by_currency.items() for m, v in sums.items()}


FILLS = [(JUNE, invoices), (JUNE_ALL, invoices), (JUNE_ALL, second_company_in_usd)]
FILL_IDS = ["company-1", "all-companies-eur", "all-companies-eur-usd"]


@pytest.mark.parametrize("ctx, fill", FILLS, ids=FILL_IDS)
def test_numbers_agree_margin_cells_pool_to_gross_margin_pct(odoo_db, ctx, fill):
    fill(odoo_db)
    cells = odoo_db.replica.run(finance_pages.margin_cells, ctx)
    pooled = pool_cells(cells)
    for point in margin_points(odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by="company"), "company"):
        assert pooled[point.scope_id]["revenue"] == pytest.approx(point.parts["revenue"])
        assert pooled[point.scope_id]["cogs"] == pytest.approx(point.parts["cogs"])
        assert pooled[point.scope_id]["margin_pct"] == pytest.approx(point.value)
    assert set(pooled) == {p.scope_id for p in margin_points(
        odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by="company"), "company")}
    # per customer, too (the partner scope of the KPI): pooled across companies within one currency; a customer
    # whose cells are in two currencies is unavailable on both sides, with the same reason and per-currency sums
    partners = pool_partners(cells)
    points = margin_points(odoo_db.replica.run(finance.gross_margin_sums, ctx, group_by="partner"), "partner")
    assert set(partners) == {p.scope_id for p in points}
    for point in points:
        mine = partners[point.scope_id]
        assert (mine["reason"], mine["currencies"]) == (point.reason, point.parts["currencies"])
        assert _flat(mine["by_currency"]) == pytest.approx(_flat(point.parts["by_currency"]))
        assert [mine["revenue"], mine["cogs"], mine["margin_pct"]] == pytest.approx(
            [point.parts["revenue"], point.parts["cogs"], point.value])
    if fill is second_company_in_usd:
        assert partners[22]["reason"] == "amounts in more than one company currency: EUR, USD"
        assert partners[22]["margin_pct"] is None and partners[20]["margin_pct"] == pytest.approx(0.375)


@pytest.mark.parametrize("ctx, fill", FILLS, ids=FILL_IDS)
def test_numbers_agree_aging_buckets_sum_to_overdue_receivables(odoo_db, ctx, fill):
    _aged(odoo_db, fill)
    due = odoo_db.replica.run(finance_pages.overdue_by_due_date, ctx)
    aged = aging_rows(due)
    kpi = {p.scope_id: p.value for p in overdue_points(odoo_db.replica.run(finance.overdue_sums, ctx, group_by="company"),
                                                        "company")}
    assert set(aged) == set(kpi)
    for company_id, rows in aged.items():
        buckets = sum(r[k] for r in rows for k in ("d1_30", "d31_60", "d61_90", "d90p"))
        assert buckets == pytest.approx(kpi[company_id])
        assert sum(r["total"] for r in rows) == pytest.approx(kpi[company_id])
    points = overdue_points(odoo_db.replica.run(finance.overdue_sums, ctx, group_by="partner"), "partner")
    partners = overdue_partners(due)
    assert set(partners) == {p.scope_id for p in points}
    for point in points:
        mine = partners[point.scope_id]
        assert (mine["reason"], mine["currencies"]) == (point.reason, point.parts["currencies"])
        assert mine["residual"] == pytest.approx(point.value)
        assert _flat(mine["by_currency"]) == pytest.approx(_flat(point.parts["by_currency"]))
        if point.reason is None:  # the customer's aging rows of every company add up to it
            assert sum(r["total"] for rows in aged.values() for r in rows
                       if r["partner_id"] == point.scope_id) == pytest.approx(point.value)
    if fill is second_company_in_usd:  # Customer Co: EUR aging at company 1, its USD INV/19 at company 2
        assert partners[20]["residual"] is None and partners[20]["by_currency"]["USD"] == {"residual": 50.0}


def test_inventory_at_ends_equals_inventory_turns_at_each_end(odoo_db):
    """The month-end trend's one pass gives, at every end, exactly the terms ``inventory_turns_sums`` gives
    for that day (the layers at the boundaries included), per company in scope."""
    from datetime import timedelta

    from data_access.context import QueryContext
    from data_access.queries import supply_stock
    from helpers.odoo_db import dt
    from helpers.supply_rows import valuation_layers

    valuation_layers(odoo_db)
    ends = [dt("2025-07-01 00:00"), dt("2026-03-01 10:00"), dt("2026-06-01 00:00"), dt("2026-06-30 23:59:59"),
            dt("2026-07-01 00:00"), dt("2026-07-16 00:00")]
    for companies in ((1,), None):
        ctx = QueryContext(dt("2026-06-30 00:00"), dt("2026-07-01 00:00"), company_ids=companies)
        rows = odoo_db.replica.run(finance_pages.inventory_at_ends, ctx, ends=[e.isoformat() for e in ends])
        got = {(r["scope_id"], r["end"]): r for r in rows}
        for end in ends:
            one = QueryContext(end - timedelta(days=1), end, company_ids=companies)
            for expected in odoo_db.replica.run(supply_stock.inventory_turns_sums, one, group_by="company"):
                r = got[(expected["scope_id"], end.isoformat())]
                assert r["inventory_values"] == pytest.approx(expected["inventory_values"]), end
                assert r["cogs"] == pytest.approx(expected["cogs"]), end
        assert {r["scope_id"] for r in rows} == ({1} if companies else {1, 2})
    assert odoo_db.replica.run(finance_pages.inventory_at_ends, JUNE, ends=[]) == []


def test_inventory_by_category_adds_up_to_the_company(odoo_db):
    from data_access.queries import supply_stock
    from helpers.odoo_db import dt
    from helpers.supply_rows import valuation_layers

    valuation_layers(odoo_db)
    odoo_db.insert("product_category", {"id": 1, "name": "Saleable", "complete_name": "All / Saleable"})
    odoo_db.insert("product_product", {"id": 3, "product_tmpl_id": 3})
    odoo_db.insert("product_template", {"id": 3, "name": {"en_US": "Loose"}, "categ_id": None})
    odoo_db.insert("stock_valuation_layer", {"id": 20, "create_date": dt("2026-06-10 10:00"), "value": 70,
                                             "stock_move_id": None, "company_id": 1, "product_id": 3, "quantity": 1})
    end = dt("2026-07-01 00:00")
    rows = odoo_db.replica.run(finance_pages.inventory_at_ends, JUNE_ALL, ends=[end.isoformat()], by_category=True)
    assert [(r["scope_id"], r["category_id"]) for r in rows] == [(1, 1), (1, None), (2, 1)]
    assert rows[0]["category_name"] == "All / Saleable" and rows[1]["inventory_values"][0] == 70.0
    for expected in odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE_ALL, group_by="company"):
        mine = [r for r in rows if r["scope_id"] == expected["scope_id"]]
        assert sum(r["cogs"] for r in mine) == pytest.approx(expected["cogs"])
        assert [sum(v) for v in zip(*(r["inventory_values"] for r in mine))] == pytest.approx(expected["inventory_values"])
