"""Production drill-downs: late MOs, a work center's work orders, work order detail, downtime Pareto.

Period: June 2026 in UTC -> [2026-06-01 00:00, 2026-07-01 00:00), company 1.
"""
from datetime import UTC, date, datetime, timedelta

import pytest

from dashboard.kpis.period import Period
from data_access.queries.production_drill import (
    downtime_pareto,
    late_mos,
    reference_time,
    workcenter_workorders,
    workorder_detail,
)
from helpers.odoo_db import dt

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))
END = CO1.end  # "late" is judged at the end of P (pinned: P is past only on machines dated after June 2026)


def data(db):
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1})
    db.insert("product_template", {"id": 1, "name": {"en_US": "Bracket", "de_DE": "Halter"}})
    db.insert("product_product", {"id": 1, "product_tmpl_id": 1})
    db.insert("mrp_workcenter", {"id": 1, "name": "Press"}, {"id": 2, "name": "Lathe"}, {"id": 4, "name": "Oven"})

    def mo(id, pt, state, deadline, finished=None, company=1):
        return {"id": id, "name": f"MO{id}", "picking_type_id": pt, "product_id": 1, "state": state,
                "company_id": company, "date_deadline": dt(deadline) if deadline else None,
                "date_finished": dt(finished) if finished else None}

    db.insert("mrp_production",
              mo(1, 11, "done", "2026-06-10 12:00", "2026-06-10 11:00"),   # on time
              mo(2, 11, "done", "2026-06-10 12:00", "2026-06-12 12:00"),   # 2 days late
              mo(3, 11, "progress", "2026-06-20 00:00"),                   # open, 11 days late at 1 July
              mo(4, 12, "confirmed", "2026-05-25 00:00"),                  # open since before P: 37 days
              mo(5, 11, "done", "2026-05-25 00:00", "2026-05-30 00:00"),   # late, but before P
              mo(6, 11, "cancel", "2026-06-10 00:00"),
              mo(7, 11, "progress", "2026-07-05 00:00"),                   # deadline after P
              mo(8, 11, "progress", "2026-06-10 00:00", company=2),
              mo(9, 11, "done", None, "2026-06-10 00:00"))

    def wo(id, wc, mo_id, state, start, finished, exp=0, dur=0, qty=0):
        return {"id": id, "name": f"WO{id}", "workcenter_id": wc, "production_id": mo_id, "state": state,
                "date_start": dt(start), "date_finished": dt(finished), "duration_expected": exp, "duration": dur,
                "qty_produced": qty}

    db.insert("mrp_workorder",
              wo(10, 1, 1, "done", "2026-06-10 08:00", "2026-06-10 11:00", 60, 70, 5),
              wo(11, 1, 2, "done", "2026-06-12 08:00", "2026-06-12 10:00", 30, 40, 3),
              wo(12, 1, 3, "progress", "2026-06-18 08:00", "2026-06-25 08:00", 90, 10, 0),
              wo(13, 1, 1, "cancel", "2026-06-10 08:00", "2026-06-10 09:00"),
              wo(14, 1, 1, "done", "2026-05-20 08:00", "2026-05-21 08:00"),
              wo(15, 2, 1, "done", "2026-06-10 08:00", "2026-06-10 09:00"),
              wo(16, 1, 1, "done", "2026-05-31 23:00", "2026-06-01 01:00", 120, 120, 1),
              wo(20, 4, 4, "pending", "2026-06-20 08:00", "2026-06-20 09:00"))
    db.insert("stock_lot", {"id": 1, "name": "LOT-A", "product_id": 1, "company_id": 1})
    db.insert("stock_scrap",
              {"id": 1, "name": "SP1", "workorder_id": 11, "production_id": 2, "product_id": 1, "lot_id": 1,
               "scrap_qty": 2, "state": "done", "date_done": dt("2026-06-12 10:00")},
              {"id": 2, "name": "SP2", "workorder_id": 11, "production_id": 2, "product_id": 1, "lot_id": None,
               "scrap_qty": 5, "state": "draft", "date_done": None})
    db.insert("mrp_workcenter_productivity_loss",
              {"id": 1, "name": {"en_US": "Productive"}, "loss_type": "productive"},
              {"id": 2, "name": {"en_US": "Breakdown", "de_DE": "Ausfall"}, "loss_type": "availability"},
              {"id": 3, "name": {"en_US": "Slow"}, "loss_type": "performance"},
              {"id": 4, "name": {"en_US": "Rework"}, "loss_type": "quality"})

    def log(id, wc, loss, loss_type, start, minutes, closed=True, company=1, wo_id=None):
        return {"id": id, "workcenter_id": wc, "workorder_id": wo_id, "company_id": company, "loss_id": loss,
                "loss_type": loss_type, "date_start": dt(start),
                "date_end": dt(start) if closed else None, "duration": minutes}

    db.insert("mrp_workcenter_productivity",
              log(1, 1, 1, "productive", "2026-06-12 08:00", 100, wo_id=11),
              log(2, 1, 2, "availability", "2026-06-12 09:00", 30, wo_id=11),
              log(3, 1, 2, "availability", "2026-06-13 09:00", 45),
              log(4, 4, 2, "availability", "2026-06-20 09:00", 20),
              log(5, 1, 3, "performance", "2026-06-14 09:00", 50),
              log(6, 4, 4, "quality", "2026-06-20 10:00", 100),
              log(7, 1, 2, "availability", "2026-06-15 09:00", 999, closed=False),
              log(8, 1, 2, "availability", "2026-07-01 00:00", 999),
              log(9, 1, 2, "availability", "2026-06-15 09:00", 999, company=2),
              log(10, 1, 1, "productive", "2026-06-10 08:00", 60, wo_id=10))


def test_late_mos(odoo_db):
    data(odoo_db)
    rows = odoo_db.replica.run(late_mos, CO1, now=END)
    assert [(r["id"], r["status"], round(r["days_late"], 6), r["warehouse_id"]) for r in rows] == [
        (4, "late", 37.0, 2), (3, "late", 11.0, 1), (2, "done_late", 2.0, 1)]
    assert rows[2]["model"] == "mrp.production" and rows[2]["name"] == "MO2" and rows[2]["product"] == "Bracket"
    assert str(rows[2]["date_deadline"])[:16] == "2026-06-10 12:00"
    assert [r["id"] for r in odoo_db.replica.run(late_mos, CO1, warehouse_id=1, now=END)] == [3, 2]
    assert [r["id"] for r in odoo_db.replica.run(late_mos, CO1, limit=1, now=END)] == [4]


def test_late_mos_at_an_instant_and_in_german(odoo_db):
    data(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(1,), lang="de_DE")
    rows = odoo_db.replica.run(late_mos, ctx, now=dt("2026-06-15 00:00"))
    assert [(r["id"], r["status"], round(r["days_late"], 6)) for r in rows] == [
        (4, "late", 21.0), (2, "done_late", 2.0), (3, "at_risk", -5.0)]
    assert rows[0]["product"] == "Halter"


def test_late_mos_bad_warehouse_id_is_empty(odoo_db):
    data(odoo_db)
    assert odoo_db.replica.run(late_mos, CO1, warehouse_id="abc") == []
    assert odoo_db.replica.run(late_mos, CO1, warehouse_id=99) == []


def test_workcenter_workorders(odoo_db):
    data(odoo_db)
    rows = odoo_db.replica.run(workcenter_workorders, CO1, workcenter_id=1, now=END)
    assert [(r["id"], r["late"], r["mo_late"], r["mo_state"]) for r in rows] == [
        (12, True, True, "progress"), (11, True, True, "done"), (10, False, False, "done"), (16, False, False, "done")]
    r11 = rows[1]
    assert (r11["model"], r11["production_id"], r11["production_name"], r11["product"], r11["state"]) == (
        "mrp.workorder", 2, "MO2", "Bracket", "done")
    assert (str(r11["date_start"])[:16], str(r11["date_finished"])[:16]) == ("2026-06-12 08:00", "2026-06-12 10:00")
    # the oven's waiting work order belongs to an MO whose deadline passed before P: late, though not started
    assert [(r["id"], r["late"], r["state"]) for r in odoo_db.replica.run(
        workcenter_workorders, CO1, workcenter_id=4, now=END)] == [(20, True, "pending")]
    assert (r11["duration_expected"], r11["duration"], r11["qty_produced"], r11["scrap_qty"]) == (30.0, 40.0, 3.0, 2.0)
    assert odoo_db.replica.run(workcenter_workorders, CO1, workcenter_id=999) == []
    assert odoo_db.replica.run(workcenter_workorders, CO1, workcenter_id="x") == []
    assert [r["id"] for r in odoo_db.replica.run(workcenter_workorders, CO1, workcenter_id="1", limit=2)] == [12, 11]


def test_late_is_strict_to_the_second_and_keeps_tiny_delays(odoo_db):
    # A deadline met to the second is on time; five minutes over is late by exactly 5/1440 days (the
    # page shows "5 min late"); a done MO without a finish date cannot be judged and is left out.
    odoo_db.insert("stock_warehouse", {"id": 1, "company_id": 1})
    odoo_db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1})
    odoo_db.insert("mrp_workcenter", {"id": 1, "name": "Press"})
    odoo_db.insert("mrp_production", *[
        {"id": i, "name": f"MO{i}", "picking_type_id": 11, "state": "done", "company_id": 1,
         "date_deadline": dt("2026-06-10 12:00:00"), "date_finished": finished and dt(finished)}
        for i, finished in ((1, "2026-06-10 12:00:00"), (2, "2026-06-10 12:05:00"), (3, "2026-06-10 12:00:01"),
                            (4, None))])
    odoo_db.insert("mrp_workorder", *[
        {"id": 10 + i, "name": f"WO{i}", "workcenter_id": 1, "production_id": i, "state": "done",
         "date_start": dt("2026-06-10 08:00"), "date_finished": end and dt(end)}
        for i, end in ((1, "2026-06-10 12:00:00"), (2, "2026-06-10 12:05:00"), (3, "2026-06-10 11:00:00"))])
    rows = odoo_db.replica.run(late_mos, CO1, now=END)
    assert [(r["id"], r["status"]) for r in rows] == [(2, "done_late"), (3, "done_late")]
    assert rows[0]["days_late"] == pytest.approx(5 / 1440, rel=1e-6)
    assert 0 < rows[1]["days_late"] == pytest.approx(1 / 86400, rel=1e-3)
    wos = {r["id"]: (r["late"], r["mo_late"]) for r in odoo_db.replica.run(workcenter_workorders, CO1, workcenter_id=1,
                                                                           now=END)}
    # WO13 ended an hour before the deadline: on time itself, but its MO finished a second late
    assert wos == {11: (False, False), 12: (True, True), 13: (False, True)}


def test_lateness_is_judged_now_while_the_period_runs(odoo_db):
    present = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    running = Period(present.date() + timedelta(days=1), 30).context(company_ids=(1,))
    assert present <= reference_time(running) <= datetime.now(UTC).replace(tzinfo=None)
    assert reference_time(CO1.__class__(start=datetime(2020, 1, 1), end=datetime(2020, 2, 1))) == datetime(2020, 2, 1)
    assert reference_time(running, now=END) == END
    odoo_db.insert("stock_warehouse", {"id": 1, "company_id": 1})
    odoo_db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1})
    odoo_db.insert("mrp_workcenter", {"id": 1, "name": "Press"})
    odoo_db.insert("mrp_production",
                   {"id": 1, "name": "MO1", "picking_type_id": 11, "state": "progress", "company_id": 1,
                    "date_deadline": present - timedelta(hours=1)},
                   {"id": 2, "name": "MO2", "picking_type_id": 11, "state": "confirmed", "company_id": 1,
                    "date_deadline": present + timedelta(hours=3)})
    odoo_db.insert("mrp_workorder",
                   {"id": 11, "name": "WO1", "workcenter_id": 1, "production_id": 1, "state": "progress",
                    "date_start": present - timedelta(hours=5), "date_finished": present + timedelta(hours=1)},
                   {"id": 12, "name": "WO2", "workcenter_id": 1, "production_id": 2, "state": "ready",
                    "date_start": present - timedelta(hours=2), "date_finished": present + timedelta(hours=2)})
    # a deadline later today has not passed yet, though the period runs to the end of tomorrow
    assert [(r["id"], r["status"]) for r in odoo_db.replica.run(late_mos, running)] == [(1, "late"), (2, "at_risk")]
    assert {r["id"]: r["late"] for r in odoo_db.replica.run(workcenter_workorders, running, workcenter_id=1)} == {
        11: True, 12: False}


def test_workorder_detail(odoo_db):
    data(odoo_db)
    got = odoo_db.replica.run(workorder_detail, workorder_id=11, lang="de_DE")
    assert got["workorder"]["name"] == "WO11" and got["workorder"]["workcenter"] == "Press"
    assert got["production"]["id"] == 2 and got["production"]["product"] == "Halter"
    assert [(t["id"], t["loss"], t["loss_type"], t["duration"]) for t in got["time_logs"]] == [
        (1, "Productive", "productive", 100.0), (2, "Ausfall", "availability", 30.0)]
    assert [(s["id"], s["qty"], s["lot"], s["product"]) for s in got["scraps"]] == [(1, 2.0, "LOT-A", "Halter")]
    assert odoo_db.replica.run(workorder_detail, workorder_id=404) is None
    assert odoo_db.replica.run(workorder_detail, workorder_id="DROP TABLE") is None
    assert odoo_db.replica.run(workorder_detail, workorder_id=11, company_ids=(2,)) is None


def test_downtime_pareto(odoo_db):
    data(odoo_db)

    def brief(rows):
        return [(r["loss_id"], r["loss"], r["loss_type"], r["minutes"], r["count"]) for r in rows]

    assert brief(odoo_db.replica.run(downtime_pareto, CO1)) == [
        (4, "Rework", "quality", 100.0, 1), (2, "Breakdown", "availability", 95.0, 3), (3, "Slow", "performance", 50.0, 1)]
    assert brief(odoo_db.replica.run(downtime_pareto, CO1, workcenter_id=1)) == [
        (2, "Breakdown", "availability", 75.0, 2), (3, "Slow", "performance", 50.0, 1)]
    assert brief(odoo_db.replica.run(downtime_pareto, CO1, warehouse_id=2)) == [
        (4, "Rework", "quality", 100.0, 1), (2, "Breakdown", "availability", 20.0, 1)]
    # pinning the oven (wc4) to warehouse 1 moves its losses there
    assert brief(odoo_db.replica.run(downtime_pareto, CO1, warehouse_id=2, pins={4: 1})) == []
    assert odoo_db.replica.run(downtime_pareto, CO1, workcenter_id=-3) == []


@pytest.mark.parametrize("limit", [0, 100000])
def test_limits_are_bounded(odoo_db, limit):
    with pytest.raises(ValueError):
        odoo_db.replica.run(late_mos, CO1, limit=limit)
