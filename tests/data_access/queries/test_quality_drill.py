"""Quality drill-downs: scrap Pareto, lot traceability, first pass yield MOs (June 2026, UTC, company 1)."""
from datetime import date

import pytest

from dashboard.kpis.period import Period
from data_access.queries.quality_drill import fpy_mos, lot_scraps, scrap_pareto
from helpers.odoo_db import dt

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))


def data(db):
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1})
    db.insert("stock_location", {"id": 21, "warehouse_id": 1, "usage": "internal"},
              {"id": 22, "warehouse_id": 2, "usage": "internal"})
    db.insert("product_template", {"id": 1, "name": {"en_US": "Bracket", "de_DE": "Halter"}},
              {"id": 2, "name": {"en_US": "Hinge"}})
    db.insert("product_product", {"id": 1, "product_tmpl_id": 1}, {"id": 2, "product_tmpl_id": 2})
    db.insert("mrp_workcenter", {"id": 1, "name": "Press"}, {"id": 2, "name": "Lathe"})
    db.insert("mrp_production",
              {"id": 1, "name": "MO1", "picking_type_id": 11, "product_id": 1, "state": "done", "company_id": 1,
               "date_finished": dt("2026-06-10 10:00")},
              {"id": 2, "name": "MO2", "picking_type_id": 12, "product_id": 2, "state": "done", "company_id": 1,
               "date_finished": dt("2026-06-20 10:00")},
              {"id": 3, "name": "MO3", "picking_type_id": 11, "product_id": 1, "state": "done", "company_id": 1,
               "date_finished": dt("2026-07-01 00:00")})
    db.insert("mrp_workorder", {"id": 10, "workcenter_id": 1, "production_id": 1, "state": "done"},
              {"id": 11, "workcenter_id": 2, "production_id": 2, "state": "done"})
    db.insert("stock_lot", {"id": 1, "name": "LOT-A", "product_id": 1, "company_id": 1},
              {"id": 2, "name": "LOT-B", "product_id": 2, "company_id": 1},
              {"id": 3, "name": "LOT-C", "product_id": 1, "company_id": 2})

    def scrap(id, mo, wo, product, lot, qty, state, done, company=1, location=21):
        return {"id": id, "name": f"SP{id}", "production_id": mo, "workorder_id": wo, "product_id": product,
                "lot_id": lot, "scrap_qty": qty, "state": state, "date_done": dt(done) if done else None,
                "company_id": company, "location_id": location}

    db.insert("stock_scrap",
              scrap(1, 1, 10, 1, 1, 3, "done", "2026-06-10 09:00"),
              scrap(2, 1, 10, 1, 1, 2, "done", "2026-06-11 09:00"),
              scrap(3, 2, 11, 2, 2, 4, "done", "2026-06-20 09:00", location=22),
              scrap(4, None, None, 2, None, 10, "done", "2026-06-21 09:00", location=22),  # site from its location
              scrap(5, 1, 10, 1, 1, 50, "draft", None),
              scrap(6, 1, None, 1, None, 7, "done", "2026-07-01 00:00"),  # after P (still an MO 1 scrap)
              scrap(7, None, None, 1, 3, 100, "done", "2026-06-15 09:00", company=2),
              scrap(8, 1, None, 2, None, 1, "done", "2026-06-12 09:00"))   # a component of MO 1
    db.insert("stock_move",
              {"id": 1, "production_id": 1, "product_id": 1, "state": "done", "quantity": 20, "scrapped": False,
               "purchase_line_id": None},
              {"id": 2, "production_id": 2, "product_id": 2, "state": "done", "quantity": 8, "scrapped": False,
               "purchase_line_id": None},
              {"id": 100, "production_id": None, "product_id": 1, "state": "done", "quantity": 50, "scrapped": False,
               "purchase_line_id": 1},
              {"id": 101, "production_id": None, "product_id": 1, "state": "done", "quantity": 50, "scrapped": False,
               "purchase_line_id": None})
    db.insert("res_partner", {"id": 7, "name": "Acme Steel"})
    db.insert("purchase_order", {"id": 1, "name": "PO0001", "partner_id": 7, "company_id": 1, "state": "done"})
    db.insert("purchase_order_line", {"id": 1, "order_id": 1, "product_id": 1, "product_qty": 50})
    db.insert("stock_move_line", {"id": 1000, "move_id": 100, "lot_id": 1, "date": dt("2026-05-01 08:00")},
              {"id": 1001, "move_id": 101, "lot_id": 1, "date": dt("2026-04-01 08:00")})  # not a receipt


def brief(rows):
    return [(r["id"], r["model"], r["name"], r["qty"], r["count"]) for r in rows]


def test_scrap_pareto_by_product_lot_workcenter(odoo_db):
    data(odoo_db)
    assert brief(odoo_db.replica.run(scrap_pareto, CO1, by="product")) == [
        (2, "product.product", "Hinge", 15.0, 3), (1, "product.product", "Bracket", 5.0, 2)]
    lots = odoo_db.replica.run(scrap_pareto, CO1, by="lot")
    assert brief(lots) == [(1, "stock.lot", "LOT-A", 5.0, 2), (2, "stock.lot", "LOT-B", 4.0, 1)]
    assert (lots[0]["product_id"], lots[0]["product"]) == (1, "Bracket")
    assert brief(odoo_db.replica.run(scrap_pareto, CO1, by="workcenter")) == [
        (1, "mrp.workcenter", "Press", 5.0, 2), (2, "mrp.workcenter", "Lathe", 4.0, 1)]


def test_scrap_pareto_per_warehouse(odoo_db):
    data(odoo_db)
    assert brief(odoo_db.replica.run(scrap_pareto, CO1, warehouse_id=2)) == [(2, "product.product", "Hinge", 14.0, 2)]
    assert brief(odoo_db.replica.run(scrap_pareto, CO1, warehouse_id=1)) == [
        (1, "product.product", "Bracket", 5.0, 2), (2, "product.product", "Hinge", 1.0, 1)]
    assert odoo_db.replica.run(scrap_pareto, CO1, warehouse_id="north") == []
    with pytest.raises(ValueError):
        odoo_db.replica.run(scrap_pareto, CO1, by="partner")


def test_lot_traceability(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(lot_scraps, lot_id=1, lang="de_DE")
    assert got["lot"] == {"id": 1, "model": "stock.lot", "name": "LOT-A", "product_id": 1, "product": "Halter",
                          "company_id": 1}
    assert (got["vendor"]["partner_id"], got["vendor"]["partner"], got["vendor"]["purchase_order"]) == (
        7, "Acme Steel", "PO0001")
    assert [(s["id"], s["qty"], s["production"], s["workcenter"]) for s in got["scraps"]] == [
        (1, 3.0, "MO1", "Press"), (2, 2.0, "MO1", "Press")]
    assert odoo_db.replica.run(lot_scraps, lot_id=2)["vendor"] is None
    assert odoo_db.replica.run(lot_scraps, lot_id=999) is None
    assert odoo_db.replica.run(lot_scraps, lot_id=3, company_ids=(1,)) is None
    assert odoo_db.replica.run(lot_scraps, lot_id=None) is None


def test_fpy_mos(odoo_db):
    data(odoo_db)
    # MO 1: 20 produced; its done scraps of its own product: 3 + 2 + 7 (scrap 8 is a component). MO 2: 8 and 4.
    rows = odoo_db.replica.run(fpy_mos, CO1)
    assert [(r["id"], r["model"], r["name"], r["product"], r["warehouse_id"], r["qty_produced"], r["qty_scrapped"])
            for r in rows] == [(1, "mrp.production", "MO1", "Bracket", 1, 20.0, 12.0),
                               (2, "mrp.production", "MO2", "Hinge", 2, 8.0, 4.0)]
    assert [r["id"] for r in odoo_db.replica.run(fpy_mos, CO1, warehouse_id=2)] == [2]
    assert [r["id"] for r in odoo_db.replica.run(fpy_mos, CO1, limit=1)] == [1]
