"""The TV board's rows: work center activity (open time logs, last closed log, work orders in progress) and
today's output against the MOs due today, on hand-counted data (SQLite and PostgreSQL, Odoo 17 and 18).

Today: 2026-06-10 in UTC -> [2026-06-10 00:00, 2026-06-11 00:00), company 1; site 1 (picking type 11),
site 2 (picking type 12).
"""
from datetime import date

from dashboard.kpis.period import Period
from data_access.queries.tv import output_today, workcenter_activity
from helpers.odoo_db import dt

TODAY = Period(date(2026, 6, 10), 1).context(company_ids=(1,))


def data(db):
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1})
    db.insert("product_template", {"id": 1, "name": {"en_US": "Bracket"}}, {"id": 2, "name": {"en_US": "Hinge"}})
    db.insert("product_product", {"id": 1, "product_tmpl_id": 1}, {"id": 2, "product_tmpl_id": 2})
    db.insert("mrp_workcenter", {"id": 1, "name": "Press"}, {"id": 2, "name": "Lathe"}, {"id": 3, "name": "Oven"})

    def mo(id, pt, state, deadline, product=1, qty=100, company=1):
        return {"id": id, "name": f"MO{id}", "picking_type_id": pt, "product_id": product, "product_qty": qty,
                "state": state, "company_id": company, "date_deadline": dt(deadline) if deadline else None}

    db.insert("mrp_production",
              mo(1, 11, "done", "2026-06-10 12:00", qty=100),             # due today, done
              mo(2, 11, "progress", "2026-06-10 18:00", qty=50),          # due today, open
              mo(3, 11, "confirmed", "2026-06-10 20:00", product=2, qty=30),
              mo(4, 11, "cancel", "2026-06-10 12:00", qty=999),           # cancelled: not planned
              mo(5, 11, "done", "2026-06-09 12:00", qty=40),              # due yesterday, produced today
              mo(6, 12, "progress", "2026-06-10 12:00", qty=999),         # other site
              mo(7, 11, "progress", "2026-06-10 12:00", qty=999, company=2))

    def wo(id, wc, mo_id, state, finished=None, qty=0, start=None):
        return {"id": id, "name": f"WO{id}", "workcenter_id": wc, "production_id": mo_id, "state": state,
                "date_finished": dt(finished) if finished else None, "qty_produced": qty,
                "date_start": dt(start) if start else None}

    db.insert("mrp_workorder",
              wo(10, 1, 1, "done", "2026-06-10 09:00", 100),
              wo(11, 2, 1, "done", "2026-06-10 11:00", 98),
              wo(12, 1, 2, "progress", start="2026-06-10 08:00"),
              wo(13, 2, 2, "pending"),
              wo(14, 1, 3, "ready"),
              wo(15, 1, 5, "done", "2026-06-10 01:00", 40),             # MO due yesterday: produced, not planned
              wo(16, 1, 5, "done", "2026-06-09 23:00", 7),              # finished yesterday
              wo(17, 1, 6, "done", "2026-06-10 10:00", 999),            # other site
              wo(18, 2, 2, "cancel"),
              wo(19, 3, 7, "progress", start="2026-06-10 07:00"))       # other company's MO
    db.insert("stock_move",
              {"id": 1, "production_id": 1, "product_id": 1, "quantity": 97, "state": "done", "date": dt("2026-06-10 11:30")},
              {"id": 2, "production_id": 5, "product_id": 1, "quantity": 40, "state": "done", "date": dt("2026-06-10 01:30")},
              {"id": 3, "production_id": 1, "product_id": 2, "quantity": 5, "state": "done", "date": dt("2026-06-10 11:30")},  # by-product
              {"id": 4, "production_id": 2, "product_id": 1, "quantity": 50, "state": "assigned", "date": dt("2026-06-10 11:30")},
              {"id": 5, "production_id": 5, "product_id": 1, "quantity": 8, "state": "done", "date": dt("2026-06-09 22:00")},
              {"id": 6, "production_id": 6, "product_id": 1, "quantity": 999, "state": "done", "date": dt("2026-06-10 11:00")},
              {"id": 7, "raw_material_production_id": 1, "product_id": 1, "quantity": 999, "state": "done",
               "date": dt("2026-06-10 11:00")})
    db.insert("mrp_workcenter_productivity_loss",
              {"id": 1, "name": {"en_US": "Productive"}, "loss_type": "productive"},
              {"id": 2, "name": {"en_US": "Breakdown"}, "loss_type": "availability"},
              {"id": 3, "name": {"en_US": "Slow"}, "loss_type": "performance"})

    def log(id, wc, loss, loss_type, start, end=None, company=1, wo_id=None):
        return {"id": id, "workcenter_id": wc, "workorder_id": wo_id, "company_id": company, "loss_id": loss,
                "loss_type": loss_type, "date_start": dt(start), "date_end": dt(end) if end else None, "duration": 0}

    db.insert("mrp_workcenter_productivity",
              log(1, 1, 1, "productive", "2026-06-10 08:00", wo_id=12),          # open: press runs
              log(2, 2, 2, "availability", "2026-06-10 09:30"),                  # open: lathe broken down
              log(3, 2, 1, "productive", "2026-06-10 08:00", "2026-06-10 09:30"),
              log(4, 2, 1, "productive", "2026-06-10 07:00", "2026-06-10 07:45"),
              log(5, 3, 2, "availability", "2026-06-01 08:00"),                  # open, before the lookback
              log(6, 3, 1, "productive", "2026-06-09 06:00", "2026-06-09 22:00"),
              log(7, 1, 2, "availability", "2026-06-10 08:00", company=2),       # other company
              log(8, 1, 2, "availability", "2026-06-11 08:00"))                  # tomorrow


def test_workcenter_activity(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(workcenter_activity, TODAY, workcenter_ids=[1, 2, 3], lookback_days=7)
    assert [(r["id"], r["workcenter_id"], r["loss"], r["loss_type"], str(r["date_start"])[:16]) for r in got["open_logs"]] == [
        (1, 1, "Productive", "productive", "2026-06-10 08:00"), (2, 2, "Breakdown", "availability", "2026-06-10 09:30")]
    assert [r["blocks"] for r in got["open_logs"]] == [False, True]
    assert {wc: str(end)[:16] for wc, end in got["last_end"].items()} == {2: "2026-06-10 09:30", 3: "2026-06-09 22:00"}
    assert [(r["id"], r["workcenter_id"], r["production"], r["product"]) for r in got["progress"]] == [(12, 1, "MO2", "Bracket")]


def test_workcenter_activity_lookback_and_scope(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(workcenter_activity, TODAY, workcenter_ids=[3], lookback_days=10)
    assert [r["id"] for r in got["open_logs"]] == [5]
    everyone = Period(date(2026, 6, 10), 1).context()
    got = odoo_db.replica.run(workcenter_activity, everyone, workcenter_ids=["1", 3, "x"], lookback_days=1)
    assert [r["id"] for r in got["open_logs"]] == [1, 7]
    assert [r["id"] for r in got["progress"]] == [19, 12]
    assert odoo_db.replica.run(workcenter_activity, TODAY, workcenter_ids=[]) == {"open_logs": [], "last_end": {}, "progress": []}


def test_output_today(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(output_today, TODAY, warehouse_id=1)
    # work center 1: done today WO10 (100) + WO15 (40); planned: MOs 1, 2, 3 have WOs 10, 12, 14 there
    # work center 2: done today WO11 (98); planned: MO1 (WO11, done) + MO2 (WO13; WO18 cancelled)
    assert got["workcenters"] == [
        {"workcenter_id": 1, "produced": 140.0, "planned": 180.0, "planned_done": 100.0},
        {"workcenter_id": 2, "produced": 98.0, "planned": 150.0, "planned_done": 100.0}]
    assert got["products"] == [
        {"product_id": 1, "product": "Bracket", "planned": 150.0, "mos_due": 2, "mos_done": 1, "produced": 137.0},
        {"product_id": 2, "product": "Hinge", "planned": 30.0, "mos_due": 1, "mos_done": 0, "produced": 0.0}]


def test_output_today_other_site_and_bad_id(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(output_today, TODAY, warehouse_id=2)
    assert got["workcenters"] == [{"workcenter_id": 1, "produced": 999.0, "planned": 999.0, "planned_done": 999.0}]
    assert [(p["product_id"], p["planned"], p["produced"]) for p in got["products"]] == [(1, 999.0, 999.0)]
    site_user = Period(date(2026, 6, 10), 1).context(company_ids=(1,), warehouse_ids=(2,))
    assert odoo_db.replica.run(output_today, site_user, warehouse_id=1) == {"workcenters": [], "products": []}
    assert odoo_db.replica.run(output_today, TODAY, warehouse_id="abc") == {"workcenters": [], "products": []}
