"""Production KPIs: the pure formulas on hand-made sums, and the families end to end on all backends."""
from datetime import date

import pytest

from dashboard.kpis.period import Period
from dashboard.kpis.production import (
    ADHERENCE_SCOPES,
    OEE_SCOPES,
    adherence_points,
    compute_adherence,
    compute_oee,
    oee_points,
)
from dashboard.kpis.registry import FAMILIES
from helpers.odoo_db import dt
from helpers.statements import statements_of

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))


def sums(**kw):
    row = {"scope_id": 7, "bucket": None, "productive_min": 0.0, "total_min": 0.0, "availability_loss_min": 0.0,
           "expected_min": 0.0, "real_min": 0.0, "qty_produced": 0.0, "qty_scrapped": 0.0}
    row.update(kw)
    return row


def values(points):
    return {p.kpi: p.value for p in points}


def test_oee_formulas():
    pts = oee_points([sums(productive_min=90, total_min=120, availability_loss_min=30, expected_min=80,
                           real_min=100, qty_produced=20, qty_scrapped=2)], "workcenter")
    v = values(pts)
    assert v["oee_availability"] == pytest.approx(0.75)
    assert v["oee_performance"] == pytest.approx(0.8)
    assert v["oee_quality"] == pytest.approx(0.9)
    assert v["oee"] == pytest.approx(0.75 * 0.8 * 0.9)  # 0.54
    assert v["downtime_hours"] == pytest.approx(0.5)
    by_kpi = {p.kpi: p for p in pts}
    assert by_kpi["oee_availability"].parts == {"productive_min": 90.0, "total_min": 120.0}
    assert by_kpi["oee_quality"].parts == {"qty_produced": 20.0, "qty_scrapped": 2.0}
    assert {(p.scope_kind, p.scope_id, p.bucket) for p in pts} == {("workcenter", 7, None)}


def test_performance_is_capped_at_one():
    v = values(oee_points([sums(productive_min=60, total_min=60, expected_min=120, real_min=60,
                                qty_produced=5)], "warehouse"))
    assert v["oee_performance"] == 1.0
    assert v["oee"] == pytest.approx(1.0)


def test_zero_denominators_are_null_and_null_oee():
    v = values(oee_points([sums(expected_min=10, real_min=20, qty_produced=4)], "workcenter"))
    assert v["oee_availability"] is None      # no closed time logs
    assert v["oee_performance"] == pytest.approx(0.5)
    assert v["oee_quality"] == pytest.approx(1.0)
    assert v["oee"] is None
    assert v["downtime_hours"] == 0.0
    v = values(oee_points([sums(productive_min=5, total_min=10)], "workcenter"))
    assert v["oee_performance"] is None and v["oee_quality"] is None and v["oee"] is None
    assert v["oee_availability"] == pytest.approx(0.5)


def test_adherence_formula():
    pts = adherence_points([{"scope_id": 1, "bucket": "2026-06-10", "on_time": 3.0, "total": 4.0},
                            {"scope_id": 2, "bucket": None, "on_time": 0.0, "total": 0.0}], "warehouse")
    assert [(p.scope_id, p.bucket, p.value) for p in pts] == [(1, "2026-06-10", 0.75), (2, None, None)]
    assert pts[0].parts == {"on_time": 3.0, "total": 4.0}


def test_families_registered():
    assert FAMILIES["production_oee"].kpis == ("oee_availability", "oee_performance", "oee_quality", "oee",
                                              "downtime_hours")
    assert FAMILIES["production_oee"].scopes == ("workcenter", "warehouse", "company")
    assert FAMILIES["production_oee"].requires_modules == ("mrp",)
    assert FAMILIES["schedule_adherence"].scopes == ("warehouse", "company")


def line(db):
    """Two work centers in warehouse 1 (company 1) whose pooled OEE differs from the mean of theirs."""
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1})
    db.insert("mrp_production",
              {"id": 1, "picking_type_id": 11, "company_id": 1, "product_id": 1, "state": "done",
               "date_deadline": dt("2026-06-10 12:00"), "date_finished": dt("2026-06-10 11:00")},
              {"id": 2, "picking_type_id": 11, "company_id": 1, "product_id": 1, "state": "done",
               "date_deadline": dt("2026-06-10 12:00"), "date_finished": dt("2026-06-11 11:00")},
              {"id": 3, "picking_type_id": 11, "company_id": 1, "product_id": 1, "state": "confirmed",
               "date_deadline": None, "date_finished": None})
    db.insert("mrp_workorder",
              {"id": 1, "workcenter_id": 1, "production_id": 1, "state": "done", "date_finished": dt("2026-06-10 10:00"),
               "duration_expected": 60, "duration": 60, "qty_produced": 10},
              {"id": 2, "workcenter_id": 2, "production_id": 1, "state": "done", "date_finished": dt("2026-06-10 10:00"),
               "duration_expected": 30, "duration": 60, "qty_produced": 30})
    db.insert("stock_scrap", {"id": 1, "workorder_id": 2, "production_id": 1, "product_id": 1, "scrap_qty": 3,
                              "state": "done"})

    def log(id, wc, loss_type, minutes):
        return {"id": id, "workcenter_id": wc, "company_id": 1, "loss_id": 1, "loss_type": loss_type,
                "date_start": dt("2026-06-10 08:00"), "date_end": dt("2026-06-10 09:00"), "duration": minutes}

    db.insert("mrp_workcenter_productivity", log(1, 1, "productive", 60), log(2, 1, "availability", 60),
              log(3, 2, "productive", 90), log(4, 2, "availability", 30), log(5, 2, "performance", 30))


def by_scope(points, kpi):
    return {p.scope_id: p.value for p in points if p.kpi == kpi}


def test_compute_oee_pools_the_warehouse(odoo_db):
    line(odoo_db)
    wc = compute_oee(odoo_db.replica, CO1, "workcenter")
    # wc1: availability 60/120, performance 60/60, quality 10/10; wc2: 120/150, 30/60, 27/30
    assert by_scope(wc, "oee_availability") == {1: pytest.approx(0.5), 2: pytest.approx(0.8)}
    assert by_scope(wc, "oee") == {1: pytest.approx(0.5), 2: pytest.approx(0.8 * 0.5 * 0.9)}
    wh = compute_oee(odoo_db.replica, CO1, "warehouse")
    # pooled: availability 180/270, performance 90/120, quality 37/40 (not the mean of the ratios)
    assert by_scope(wh, "oee_availability") == {1: pytest.approx(180 / 270)}
    assert by_scope(wh, "oee_performance") == {1: pytest.approx(0.75)}
    assert by_scope(wh, "oee_quality") == {1: pytest.approx(37 / 40)}
    assert by_scope(wh, "oee") == {1: pytest.approx(180 / 270 * 0.75 * 37 / 40)}
    assert by_scope(wh, "downtime_hours") == {1: pytest.approx(1.5)}
    pinned = compute_oee(odoo_db.replica, CO1, "warehouse", pins={2: 2})
    assert by_scope(pinned, "downtime_hours") == {1: pytest.approx(1.0), 2: pytest.approx(0.5)}
    days = compute_oee(odoo_db.replica, CO1, "company", "day")
    assert {(p.scope_id, p.bucket) for p in days} == {(1, "2026-06-10")}


def test_compute_adherence(odoo_db):
    line(odoo_db)
    pts = compute_adherence(odoo_db.replica, CO1, "warehouse")
    assert [(p.kpi, p.scope_id, p.value) for p in pts] == [("schedule_adherence", 1, 0.5)]
    with pytest.raises(ValueError):
        compute_adherence(odoo_db.replica, CO1, "workcenter")




@pytest.mark.parametrize("bucket", [None, "day"])
def test_families_answer_every_kind_from_one_statement(odoo_db, bucket):
    """``multi_kind`` families: the engine asks once for all kinds; each kind gets what it got alone."""
    line(odoo_db)
    assert FAMILIES["production_oee"].multi_kind and FAMILIES["schedule_adherence"].multi_kind
    for compute, kinds in ((compute_oee, OEE_SCOPES), (compute_adherence, ADHERENCE_SCOPES)):
        together, seen = statements_of(odoo_db.replica, compute, odoo_db.replica, CO1, kinds, bucket)
        assert len(seen) == 1
        alone = [p for kind in kinds for p in compute(odoo_db.replica, CO1, kind, bucket)]
        assert sorted(map(repr, together)) == sorted(map(repr, alone))
        assert {p.scope_kind for p in together} == set(kinds)
    assert compute_oee(odoo_db.replica, CO1, ()) == []
    with pytest.raises(ValueError):
        compute_oee(odoo_db.replica, CO1, ("workcenter", "partner"))
