"""The engine over a tiny hand-built plant: statuses, unavailable KPIs, series that match points."""
from datetime import date

import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from helpers.odoo_db import dt


def _plant(db):
    db.insert("res_company", {"id": 1, "name": "Plant Co"}, {"id": 2, "name": "Other Co"})
    db.insert("stock_warehouse", {"id": 1, "name": "Stuttgart", "code": "STU", "company_id": 1})
    db.insert("stock_picking_type", {"id": 10, "code": "mrp_operation", "warehouse_id": 1, "company_id": 1})
    db.insert("mrp_workcenter", {"id": 5, "name": "Press 1", "company_id": 1})
    db.insert("mrp_production",
              {"id": 100, "name": "MO/1", "state": "done", "company_id": 1, "picking_type_id": 10,
               "date_deadline": dt("2026-06-10 12:00"), "date_finished": dt("2026-06-10 11:00")},
              {"id": 101, "name": "MO/2", "state": "done", "company_id": 1, "picking_type_id": 10,
               "date_deadline": dt("2026-06-11 12:00"), "date_finished": dt("2026-06-12 09:00")})
    db.insert("mrp_workorder",
              {"id": 200, "production_id": 100, "workcenter_id": 5, "state": "done", "date_finished": dt("2026-06-10 11:00"),
               "duration_expected": 60, "duration": 80, "qty_produced": 10},
              {"id": 201, "production_id": 101, "workcenter_id": 5, "state": "done", "date_finished": dt("2026-06-12 09:00"),
               "duration_expected": 60, "duration": 40, "qty_produced": 10})
    db.insert("mrp_workcenter_productivity",
              {"id": 1, "workcenter_id": 5, "company_id": 1, "loss_type": "productive", "date_start": dt("2026-06-10 08:00"),
               "date_end": dt("2026-06-10 10:00"), "duration": 120},
              {"id": 2, "workcenter_id": 5, "company_id": 1, "loss_type": "availability", "date_start": dt("2026-06-12 08:00"),
               "date_end": dt("2026-06-12 09:00"), "duration": 60})


def test_points_get_status_and_unavailable_kpis_a_reason(odoo_db):
    _plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context()
    results = {(r.kpi, r.scope_kind, r.scope_id): r for r in evaluate(odoo_db.replica, ctx, Catalogue())}
    # schedule adherence at the site: 1 of 2 on time -> 0.5, below red 0.80
    sa = results[("schedule_adherence", "warehouse", 1)]
    assert sa.value == pytest.approx(0.5) and sa.status == "critical"
    # availability 120 / 180; performance (60+60)/(80+40) = 1; quality 20/20 = 1
    oee = results[("oee", "workcenter", 5)]
    assert oee.value == pytest.approx(120 / 180) and oee.status == "warning"  # 0.667: below amber 0.75, above red 0.60
    assert results[("downtime_hours", "warehouse", 1)].value == pytest.approx(1.0)
    # no quality app: unavailable, once per company, with the reason
    nc = [r for r in results.values() if r.kpi == "nc_closure_days"]
    assert {r.scope_id for r in nc} == {1, 2}
    assert all(r.status == "unavailable" and r.value is None and "quality" in r.reason for r in nc)


def test_company_scope_hides_other_companies(odoo_db):
    _plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(2,))
    results = evaluate(odoo_db.replica, ctx, Catalogue(), kpis=["oee", "schedule_adherence"])
    assert results == []


def test_weekly_series_pools_to_the_point_value(odoo_db):
    _plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context()
    series = evaluate(odoo_db.replica, ctx, Catalogue(), kpis=["downtime_hours"], scope_kinds=["workcenter"], bucket="week")
    assert [(r.bucket, r.value) for r in series if r.value] == [("2026-06-08", pytest.approx(1.0))]


def test_site_threshold_override_changes_status(odoo_db):
    _plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context()
    cat = Catalogue({"schedule_adherence": {"sites": {"1": {"amber": 0.4, "red": 0.3}}}})
    (sa,) = [r for r in evaluate(odoo_db.replica, ctx, cat, kpis=["schedule_adherence"], scope_kinds=["warehouse"])]
    assert sa.status == "ok"
