"""Drill-down rows behind the supply KPIs, on the hand-built rows of helpers.supply_rows (D = 30 June 2026)."""
import pytest

from data_access.context import QueryContext
from data_access.queries import supply_drill
from helpers.supply_rows import JUNE, purchases, sales, stock_rules


def test_late_po_lines_rows(odoo_db):
    purchases(odoo_db)
    rows = odoo_db.replica.run(supply_drill.late_po_lines, JUNE)
    # oldest planned first: 108 (31 May), 103 (12 June), 104 (13), 111 (16), 112 (17)
    assert [(r["line_id"], r["qty_received"], r["days_late"]) for r in rows] == [
        (108, 0.0, 30), (103, 6.0, 18), (104, 8.0, 17), (111, 0.0, 14), (112, 0.0, 13)]
    first = rows[1]
    assert first["model"] == "purchase.order.line"
    assert (first["order_id"], first["order_name"], first["partner_id"], first["partner_name"]) == (
        1, "P00001", 10, "Vendor A")
    assert (first["warehouse_id"], first["product_id"], first["product_name"], first["planned_day"]) == (
        1, 1, "Bolt", "2026-06-12")
    assert float(first["product_qty"]) == 10.0 and str(first["date_planned"])[:16] == "2026-06-12 09:00"


def test_late_po_lines_filters_and_limit(odoo_db):
    purchases(odoo_db)
    run = odoo_db.replica.run
    assert run(supply_drill.late_po_lines, JUNE, partner_id=11) == []
    assert run(supply_drill.late_po_lines, JUNE, warehouse_id=2) == []
    assert run(supply_drill.late_po_lines, JUNE, partner_id=999) == []
    assert [r["line_id"] for r in run(supply_drill.late_po_lines, JUNE, partner_id="10", limit=2)] == [108, 103]
    ctx = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), lang="fr_FR")
    assert run(supply_drill.late_po_lines, ctx, warehouse_id=1)[0]["product_name"] == "Boulon"
    with pytest.raises(ValueError):
        run(supply_drill.late_po_lines, JUNE, partner_id="10 OR 1=1")


def test_supplier_otif_lines_flags(odoo_db):
    purchases(odoo_db)
    rows = odoo_db.replica.run(supply_drill.supplier_otif_lines, JUNE, partner_id=10)
    assert [(r["line_id"], r["otif"]) for r in rows] == [
        (101, True), (102, False), (103, False), (104, True), (107, True), (111, False), (112, False), (109, False)]
    by_line = {r["line_id"]: r for r in rows}
    assert by_line[107]["qty_on_time"] == 20.0  # 2 packs of 10 in the line's unit
    # v2: 104's return (20 June) is after its planned day: 10 on time, 8 kept by the end of D
    assert by_line[104]["qty_on_time"] == 10.0 and by_line[104]["qty_received"] == 8.0
    assert by_line[102]["qty_on_time"] == 0.0


def test_late_so_lines_rows(odoo_db):
    sales(odoo_db)
    rows = odoo_db.replica.run(supply_drill.late_so_lines, JUNE)
    # promise days 20 May, 31 May, 10 June (v2: 201's return did not update the order: not late)
    assert [(r["line_id"], r["partner_id"], r["qty_delivered"], r["age_days"]) for r in rows] == [
        (501, 20, 0.0, 41), (702, 22, 0.0, 30), (104, 20, 0.0, 20)]
    assert rows[2]["model"] == "sale.order.line" and rows[2]["partner_name"] == "Customer Co"
    assert rows[2]["order_name"] == "S00001" and rows[2]["promise_day"] == "2026-06-10"
    assert [r["line_id"] for r in odoo_db.replica.run(supply_drill.late_so_lines, JUNE, warehouse_id=2)] == [702]
    assert [r["line_id"] for r in odoo_db.replica.run(supply_drill.late_so_lines, JUNE, partner_id=20)] == [501, 104]


def test_stockout_orderpoints_rows(odoo_db):
    stock_rules(odoo_db)
    rows = odoo_db.replica.run(supply_drill.stockout_orderpoints, JUNE)
    # most negative first: rule 8 (-2), then rules 2, 3, 5 at 0
    assert [(r["orderpoint_id"], r["warehouse_id"], r["on_hand"]) for r in rows] == [
        (8, 1, -2.0), (2, 1, 0.0), (3, 1, 0.0), (5, 2, 0.0)]
    assert rows[1]["model"] == "stock.warehouse.orderpoint" and rows[1]["warehouse_name"] == "WH1"
    assert rows[1]["product_name"] == "Nut"
    assert [r["orderpoint_id"] for r in odoo_db.replica.run(supply_drill.stockout_orderpoints, JUNE,
                                                            warehouse_id=2)] == [5]
