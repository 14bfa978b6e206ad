"""Stockout rate terms and inventory turns / DIO terms on hand-built quants and valuation layers."""
import pytest

from data_access.context import QueryContext
from data_access.queries import supply_stock
from helpers.odoo_db import dt
from helpers.supply_rows import JUNE, JUNE_ALL, base


def _stock(db):
    base(db)
    db.insert("stock_location", {"id": 7, "name": "Transit", "usage": "transit", "warehouse_id": 1, "company_id": 1})

    def op(i, wh, product, active=True, company=1):
        return {"id": i, "name": f"OP{i}", "warehouse_id": wh, "product_id": product, "active": active,
                "company_id": company, "location_id": 2, "trigger": "auto"}

    db.insert("stock_warehouse_orderpoint", op(1, 1, 1), op(2, 1, 2), op(3, 1, 3), op(4, 1, 4, active=False),
              op(5, 2, 1), op(6, 2, 2), op(7, 3, 1, company=2), op(8, 1, 5))
    quants = [(2, 1, 5), (2, 2, 3), (6, 2, -3), (7, 3, 10), (3, 3, 4), (4, 2, 2), (4, 2, -1), (5, 1, 0), (2, 5, -2)]
    db.insert("stock_quant", *[{"id": i + 1, "location_id": loc, "product_id": p, "quantity": q, "company_id": 1}
                               for i, (loc, p, q) in enumerate(quants)])


# WH1 rules 1 2 3 8 (4 is archived): product 1 has 5 in stock (ok); product 2 has 3 - 3 = 0 over two
# internal locations (out); product 3 has stock only in transit and customer locations (out);
# product 5 has -2 (out). WH2 rules 5 6: product 1 has nothing in WH2 (out), product 2 has 2 - 1 (ok).
# WH3 rule 7 belongs to company 2.
def test_stockout_per_warehouse(odoo_db):
    _stock(odoo_db)
    rows = odoo_db.replica.run(supply_stock.stockout_sums, JUNE, group_by="warehouse")
    assert rows == [{"scope_id": 1, "bucket": None, "rules": 4, "stockout_rules": 3},
                    {"scope_id": 2, "bucket": None, "rules": 2, "stockout_rules": 1}]


def test_stockout_per_company_and_scope_filters(odoo_db):
    _stock(odoo_db)
    rows = odoo_db.replica.run(supply_stock.stockout_sums, JUNE_ALL, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 6, 4), (2, 1, 1)]
    ctx = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(2,))
    rows = odoo_db.replica.run(supply_stock.stockout_sums, ctx, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 2, 1)]


def test_stockout_is_a_snapshot(odoo_db):
    _stock(odoo_db)
    old = QueryContext(dt("2020-01-01"), dt("2020-01-02"), company_ids=(1,))
    rows = odoo_db.replica.run(supply_stock.stockout_sums, old, group_by="company")
    assert [(r["scope_id"], r["rules"], r["stockout_rules"]) for r in rows] == [(1, 6, 4)]


def _layers(db):
    base(db)
    db.insert("stock_move",
              {"id": 1, "location_id": 1, "location_dest_id": 2, "state": "done"},  # receipt
              {"id": 2, "location_id": 2, "location_dest_id": 3, "state": "done"},  # delivery
              {"id": 3, "location_id": 3, "location_dest_id": 2, "state": "done"})  # customer return

    def layer(i, when, value, move_id=None, company=1):
        return {"id": i, "create_date": dt(when), "value": value, "stock_move_id": move_id, "company_id": company,
                "product_id": 1, "quantity": 1}

    db.insert("stock_valuation_layer",
              layer(1, "2025-06-01 10:00", 1000, 1), layer(2, "2026-03-01 10:00", 300, 1),
              layer(3, "2026-06-15 10:00", -200, 2), layer(4, "2026-06-20 10:00", 50, 3),
              layer(5, "2025-06-30 23:59:59", -100, 2), layer(6, "2025-07-01 00:00:00", -40, 2),
              layer(7, "2026-07-01 00:00:00", -500, 2), layer(8, "2026-06-30 23:59:59", -10),
              layer(9, "2026-05-31 23:59:59", 999, 1, company=2))


# D = 30 June 2026, end of D = 1 July 00:00; the 365 days start 1 July 2025 00:00.
# COGS: layers 3 (-200), 4 (+50, return), 6 (-40, first second of the window) -> 190. Layer 5 is one
# second before the window, layer 7 after D, layer 8 has no move.
# Snapshots before 1 Jul, 1 Jun, 2 May, 2 Apr, 3 Mar 2026, 1 Feb, 2 Jan 2026, 3 Dec, 3 Nov, 4 Oct, 4 Sep,
# 5 Aug, 6 Jul 2025: the first = 1000+300-200+50-100-40-10 = 1000; the next four also hold layer 2
# but not 3, 4, 8: 1160; the last eight lack layer 2: 860. Sum 1000 + 4*1160 + 8*860 = 12520.
def test_inventory_turns_terms(odoo_db):
    _layers(odoo_db)
    rows = odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE, group_by="company")
    assert len(rows) == 1
    r = rows[0]
    assert (r["scope_id"], r["bucket"], r["samples"]) == (1, None, 13)
    assert r["cogs"] == pytest.approx(190.0)
    assert r["inventory_values"] == pytest.approx([1000.0] + [1160.0] * 4 + [860.0] * 8)
    assert r["inventory_value_sum"] == pytest.approx(12520.0)


def test_inventory_turns_ignores_period_start_and_scopes_companies(odoo_db):
    _layers(odoo_db)
    one_day = QueryContext(dt("2026-06-30"), dt("2026-07-01"))
    rows = odoo_db.replica.run(supply_stock.inventory_turns_sums, one_day, group_by="company")
    assert [r["scope_id"] for r in rows] == [1, 2]
    assert rows[0]["cogs"] == pytest.approx(190.0)
    # company 2: one receipt layer of 999 at 31 May 23:59:59: in the snapshots of D and D-30 (end of 31 May) only
    assert rows[1]["cogs"] == 0.0 and rows[1]["inventory_value_sum"] == pytest.approx(1998.0)
    with pytest.raises(ValueError):
        odoo_db.replica.run(supply_stock.inventory_turns_sums, JUNE, group_by="warehouse")
