"""Quality page rows: FPY scrap Pareto (with scrap cost), FPY per product, open alerts, lot trace
(June 2026, UTC, company 1; the hand-counted data of test_quality_drill plus valuation and consumption)."""
import importlib.util
from datetime import date
from pathlib import Path

import pytest

from dashboard.kpis.period import Period
from data_access.queries.quality import fpy_sums
from data_access.queries.quality_pages import (
    fpy_by_product,
    fpy_product_series,
    fpy_scrap_pareto,
    lot_trace,
    open_quality_alerts,
)
from helpers.odoo_db import dt

_spec = importlib.util.spec_from_file_location("_quality_drill_data", Path(__file__).with_name("test_quality_drill.py"))
_drill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_drill)
drill_data = _drill.data  # the hand-counted scraps, MOs and lots of the drill tests

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))
SITE2 = Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(2,))


def data(db):
    drill_data(db)
    # scrap moves and their valuation: scrap 1 cost 30, scrap 3 cost 12 (two layers), scrap 4 (no MO) 99
    db.insert("stock_move",
              {"id": 201, "scrap_id": 1, "product_id": 1, "state": "done", "quantity": 3, "scrapped": True,
               "date": dt("2026-06-10 09:00")},
              {"id": 203, "scrap_id": 3, "product_id": 2, "state": "done", "quantity": 4, "scrapped": True,
               "date": dt("2026-06-20 09:00")},
              {"id": 204, "scrap_id": 4, "product_id": 2, "state": "done", "quantity": 10, "scrapped": True,
               "date": dt("2026-06-21 09:00")},
              {"id": 300, "raw_material_production_id": 2, "product_id": 1, "state": "done", "quantity": 6,
               "picking_id": None},
              {"id": 301, "raw_material_production_id": 3, "product_id": 1, "state": "cancel", "quantity": 6})
    db.insert("stock_valuation_layer", {"id": 1, "stock_move_id": 201, "value": -30, "company_id": 1, "product_id": 1},
              {"id": 2, "stock_move_id": 203, "value": -10, "company_id": 1, "product_id": 2},
              {"id": 3, "stock_move_id": 203, "value": -2, "company_id": 1, "product_id": 2},
              {"id": 4, "stock_move_id": 204, "value": -99, "company_id": 1, "product_id": 2})
    # the lot's lines carry its product (Odoo's rule; the query reads them on the product's index): the drill
    # data's receipt line 1000 has none, so this receipt of 40 is the lot's one
    db.insert("stock_move", {"id": 102, "production_id": None, "product_id": 1, "state": "done", "quantity": 40,
                             "scrapped": False, "purchase_line_id": 1})
    db.insert("stock_move_line",
              {"id": 1002, "move_id": 300, "lot_id": 1, "product_id": 1, "quantity": 6, "date": dt("2026-06-19 08:00")},
              {"id": 1003, "move_id": 301, "lot_id": 1, "product_id": 1, "quantity": 6, "date": dt("2026-06-25 08:00")},
              {"id": 1004, "move_id": 102, "lot_id": 1, "product_id": 1, "quantity": 40, "date": dt("2026-05-02 08:00")})


def brief(rows):
    return [(r["id"], r["name"], r["qty"], r["count"], r["cost"]) for r in rows]


def test_fpy_scrap_pareto_counts_the_mos_own_product_with_cost(odoo_db):
    data(odoo_db)
    # MO 1 done in P: scraps 1, 2 of its product (3 + 2) and 6 (dated after P, still MO 1's: 7); scrap 8 is a
    # component; MO 2: scrap 3 (4); scrap 4 has no MO; MO 3 is done after P; draft scrap 5 does not count
    assert brief(odoo_db.replica.run(fpy_scrap_pareto, CO1, by="product")) == [
        (1, "Bracket", 12.0, 3, 30.0), (2, "Hinge", 4.0, 1, 12.0)]
    assert brief(odoo_db.replica.run(fpy_scrap_pareto, CO1, by="workcenter")) == [
        (None, None, 7.0, 1, 0.0), (1, "Press", 5.0, 2, 30.0), (2, "Lathe", 4.0, 1, 12.0)]
    assert brief(odoo_db.replica.run(fpy_scrap_pareto, CO1, by="product", warehouse_id=2)) == [(2, "Hinge", 4.0, 1, 12.0)]
    assert brief(odoo_db.replica.run(fpy_scrap_pareto, SITE2, by="product")) == [(2, "Hinge", 4.0, 1, 12.0)]
    assert odoo_db.replica.run(fpy_scrap_pareto, CO1, by="product", warehouse_id="x") == []
    other = Period(date(2026, 6, 30), 30).context(company_ids=(2,))
    assert odoo_db.replica.run(fpy_scrap_pareto, other, by="product") == []
    with pytest.raises(ValueError):
        odoo_db.replica.run(fpy_scrap_pareto, CO1, by="lot")


@pytest.mark.parametrize("ctx", [CO1, SITE2], ids=["company", "site"])
def test_pareto_total_equals_the_scrapped_term_of_first_pass_yield(odoo_db, ctx):
    data(odoo_db)
    term = sum(r["qty_scrapped"] for r in odoo_db.replica.run(fpy_sums, ctx, group_by="company"))
    for by in ("product", "workcenter"):
        assert sum(r["qty"] for r in odoo_db.replica.run(fpy_scrap_pareto, ctx, by=by)) == pytest.approx(term)
    assert sum(r["qty_scrapped"] for r in odoo_db.replica.run(fpy_by_product, ctx)) == pytest.approx(term)


def test_fpy_by_product(odoo_db):
    data(odoo_db)
    rows = odoo_db.replica.run(fpy_by_product, CO1)
    assert [(r["id"], r["name"], r["qty_produced"], r["qty_scrapped"], r["mo_count"]) for r in rows] == [
        (1, "Bracket", 20.0, 12.0, 1), (2, "Hinge", 8.0, 4.0, 1)]
    assert odoo_db.replica.run(fpy_by_product, CO1, warehouse_id=2)[0]["id"] == 2


def test_fpy_product_series_by_local_day(odoo_db):
    data(odoo_db)
    rows = odoo_db.replica.run(fpy_product_series, CO1, product_ids=[1, 2, "x"])
    assert [(r["product_id"], r["bucket"], r["qty_produced"], r["qty_scrapped"]) for r in rows] == [
        (1, "2026-06-10", 20.0, 12.0), (2, "2026-06-20", 8.0, 4.0)]
    assert odoo_db.replica.run(fpy_product_series, SITE2, product_ids=[1, 2])[0]["product_id"] == 2
    assert odoo_db.replica.run(fpy_product_series, CO1, product_ids=[]) == []
    weeks = odoo_db.replica.run(fpy_product_series, CO1, product_ids=[1], bucket="week")
    assert [(r["bucket"], r["qty_scrapped"]) for r in weeks] == [("2026-06-08", 12.0)]  # the ISO week's Monday


def test_lot_trace_back_to_the_vendor_and_forward_to_the_mos(odoo_db):
    data(odoo_db)
    trace = odoo_db.replica.run(lot_trace, lot_id=1, company_ids=(1,))
    assert [(r["id"], r["purchase_order"], r["partner_id"], r["partner"], r["qty"]) for r in trace["receipts"]] == [
        (1004, "PO0001", 7, "Acme Steel", 40.0)]
    assert [(r["id"], r["name"], r["product"], r["qty"], r["warehouse_id"]) for r in trace["consumed"]] == [
        (2, "MO2", "Hinge", 6.0, 2)]
    assert [(r["id"], r["qty"], r["production"], r["workcenter"], r["warehouse_id"]) for r in trace["scraps"]] == [
        (1, 3.0, "MO1", "Press", 1), (2, 2.0, "MO1", "Press", 1)]  # the draft scrap 5 is not one
    site1 = odoo_db.replica.run(lot_trace, lot_id=1, company_ids=(1,), warehouse_ids=(1,))
    assert site1["consumed"] == [] and len(site1["scraps"]) == 2
    assert site1["receipts"] == []  # the receipt's destination is in no site of the scope
    assert odoo_db.replica.run(lot_trace, lot_id=1, company_ids=(1,), warehouse_ids=(2,))["scraps"] == []
    assert odoo_db.replica.run(lot_trace, lot_id=3, company_ids=(1,)) is None  # another company's lot
    assert odoo_db.replica.run(lot_trace, lot_id="nope") is None
    assert odoo_db.replica.run(lot_trace, lot_id=999) is None


def test_open_quality_alerts_oldest_first(odoo_db):
    data(odoo_db)
    odoo_db.insert("quality_alert_stage", {"id": 1, "name": {"en_US": "New"}, "done": False})
    odoo_db.insert("quality_alert",
                   {"id": 1, "name": "QA1", "stage_id": 1, "company_id": 1, "create_date": dt("2026-06-20 08:00"),
                    "date_close": None, "product_id": 1, "lot_id": 1},
                   {"id": 2, "name": "QA2", "stage_id": 1, "company_id": 1, "create_date": dt("2026-05-01 08:00"),
                    "date_close": None},
                   {"id": 3, "name": "QA3", "stage_id": 1, "company_id": 1, "create_date": dt("2026-05-01 08:00"),
                    "date_close": dt("2026-06-01 08:00")},
                   {"id": 4, "name": "QA4", "stage_id": 1, "company_id": 2, "create_date": dt("2026-05-01 08:00")},
                   {"id": 5, "name": "QA5", "stage_id": 1, "company_id": 1, "create_date": dt("2026-07-02 08:00")})
    rows = odoo_db.replica.run(open_quality_alerts, CO1)
    assert [(r["id"], r["stage"], r["lot"]) for r in rows] == [(2, "New", None), (1, "New", "LOT-A")]
