"""Stockout rate terms and inventory turns / DIO terms on hand-built quants and valuation layers."""
import pytest

from data_access.context import QueryContext
from data_access.queries import supply_stock
from helpers.odoo_db import dt
from helpers.supply_rows import JUNE, JUNE_ALL, stock_rules, valuation_layers


# WH1 rules 1 2 3 8 (4 is archived): product 1 has 5 in stock (ok); product 2 has 3 - 3 = 0 over two
# internal locations (out); product 3 has stock only in transit and customer locations (out);
# product 5 has -2 (out). WH2 rules 5 6: product 1 has nothing in WH2 (out), product 2 has 2 - 1 (ok).
# WH3 rule 7 belongs to company 2.
def test_stockout_per_warehouse(odoo_db):
    stock_rules(odoo_db)
    rows = odoo_db.replica.run(supply_stock.stockout_sums, JUNE, group_by="warehouse")
    assert rows == [{"scope_id": 1, "bucket": None, "rules": 4, "stockout_rules": 3},
                    {"scope_id": 2, "bucket": None, "rules": 2, "stockout_rules": 1}]


def test_stockout_per_company_and_scope_filters(odoo_db):
    stock_rules(odoo_db)
    rows = odoo_db.replica.run(supply_stock.stockout_sums, JUNE_ALL, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 6, 4), (2, 1, 1)]
    ctx = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(2,))
    rows = odoo_db.replica.run(supply_stock.stockout_sums, ctx, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 2, 1)]


def test_stockout_is_a_snapshot(odoo_db):
    stock_rules(odoo_db)
    old = QueryContext(dt("2020-01-01"), dt("2020-01-02"), company_ids=(1,))
    rows = odoo_db.replica.run(supply_stock.stockout_sums, old, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 6, 4)]


# D = 30 June 2026, end of D = 1 July 00:00; the 365 days start 1 July 2025 00:00.
# COGS: layers 3 (-200), 4 (+50, return), 6 (-40, first second of the window) -> 190. Layer 5 is one
# second before the window, layer 7 after D, layer 8 has no move.
# Snapshots before 1 Jul, 1 Jun, 2 May, 2 Apr, 3 Mar 2026, 1 Feb, 2 Jan 2026, 3 Dec, 3 Nov, 4 Oct, 4 Sep,
# 5 Aug, 6 Jul 2025: the first = 1000+300-200+50-100-40-10 = 1000; the next four also hold layer 2
# but not 3, 4, 8: 1160; the last eight lack layer 2: 860. Sum 1000 + 4*1160 + 8*860 = 12520.
def test_inventory_turns_terms(odoo_db):
    valuation_layers(odoo_db)
    rows = odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE, group_by="company")
    assert len(rows) == 1
    r = rows[0]
    assert (r["scope_id"], r["bucket"], r["samples"]) == (1, None, 13)
    assert r["cogs"] == pytest.approx(190.0)
    assert r["inventory_values"] == pytest.approx([1000.0] + [1160.0] * 4 + [860.0] * 8)
    assert r["inventory_value_sum"] == pytest.approx(12520.0)


def test_inventory_turns_ignores_period_start_and_scopes_companies(odoo_db):
    valuation_layers(odoo_db)
    one_day = QueryContext(dt("2026-06-30"), dt("2026-07-01"))
    rows = odoo_db.replica.run(supply_stock.inventory_turns_sums, one_day, group_by="company")
    assert [r["scope_id"] for r in rows] == [1, 2]
    assert rows[0]["cogs"] == pytest.approx(190.0)
    # company 2: one receipt layer of 999 at 31 May 23:59:59: in the snapshots of D and D-30 (end of 31 May) only
    assert rows[1]["cogs"] == 0.0 and rows[1]["inventory_value_sum"] == pytest.approx(1998.0)
    with pytest.raises(ValueError):
        odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE, group_by="warehouse")


# Each layer is read once and counted in the snapshots it belongs to: the end of D - 30 k days is
# 1 July 2026 - 30 k days; a layer created exactly at one of those instants is not in that snapshot.
def test_inventory_snapshots_at_their_boundaries(odoo_db):
    from helpers.supply_rows import base

    base(odoo_db)
    odoo_db.insert("stock_valuation_layer", *[
        {"id": i, "create_date": dt(when), "value": value, "company_id": 1, "product_id": 1, "quantity": 1}
        for i, when, value in ((1, "2026-06-01 00:00:00", 100), (2, "2026-05-31 23:59:59", 10),
                               (3, "2025-07-06 00:00:00", 1), (4, "2025-07-05 23:59:59", 1000))])
    [r] = odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE, group_by="company")
    assert r["inventory_values"] == pytest.approx([1111.0, 1011.0] + [1001.0] * 10 + [1000.0])
    assert r["cogs"] == 0.0
