"""OEE / downtime sums and work center sites, on a small hand-built plant (all four backends).

Period: 30 days ending 2026-06-30, UTC -> [2026-06-01 00:00, 2026-07-01 00:00).
Warehouses 1, 2 (company 1) and 3 (company 2); operation types 11, 12, 13 belong to them.
Work center sites by majority of (non-cancelled) work orders' MOs: wc1 -> 1, wc2 -> 1 (2 votes
to 1), wc3 -> 1 (tie 1:1 between warehouses 1 and 2, lowest id), wc4 -> 2 (its two cancelled
work orders and the work order of a cancelled MO in warehouse 1 do not vote), wc5 -> 3 (company 2).
"""
from datetime import date

import pytest

from dashboard.kpis.period import Period
from data_access.queries.production import OEE_SCOPES, oee_sums, oee_sums_by_kinds, workcenter_sites
from helpers.odoo_db import dt
from helpers.statements import statements_of

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))
ALL = Period(date(2026, 6, 30), 30).context()


def plant(db):
    db.insert("res_company", {"id": 1, "name": "Main"}, {"id": 2, "name": "Other"})
    db.insert("stock_warehouse", {"id": 1, "name": "North", "company_id": 1}, {"id": 2, "name": "South", "company_id": 1},
              {"id": 3, "name": "Far", "company_id": 2})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1, "code": "mrp_operation"},
              {"id": 12, "warehouse_id": 2, "company_id": 1, "code": "mrp_operation"},
              {"id": 13, "warehouse_id": 3, "company_id": 2, "code": "mrp_operation"})
    db.insert("mrp_workcenter", *[{"id": i, "name": f"WC{i}", "company_id": 1 if i < 5 else 2} for i in range(1, 6)])
    db.insert("mrp_production",
              {"id": 1, "name": "MO1", "picking_type_id": 11, "company_id": 1, "product_id": 1, "state": "done"},
              {"id": 2, "name": "MO2", "picking_type_id": 12, "company_id": 1, "product_id": 1, "state": "done"},
              {"id": 3, "name": "MO3", "picking_type_id": 11, "company_id": 1, "product_id": 1, "state": "cancel"},
              {"id": 5, "name": "MO5", "picking_type_id": 13, "company_id": 2, "product_id": 1, "state": "done"})

    def wo(id, wc, mo, state, fin=None, exp=0, dur=0, qty=0):
        return {"id": id, "name": f"WO{id}", "workcenter_id": wc, "production_id": mo, "state": state,
                "date_finished": dt(fin) if fin else None, "duration_expected": exp, "duration": dur, "qty_produced": qty}

    db.insert("mrp_workorder",
              wo(101, 1, 1, "done", "2026-06-20 10:00", 50, 40, 10),
              wo(102, 1, 1, "done", "2026-06-21 10:00", 30, 60, 5),
              wo(103, 1, 1, "cancel", "2026-06-22 10:00", 100, 10, 7),
              wo(104, 1, 1, "done", "2026-07-01 00:00", 10, 10, 1),     # first instant after P
              wo(105, 1, 1, "progress", "2026-06-20 10:00", 10, 5, 0),  # not done
              wo(106, 1, 1, "done", "2026-06-01 00:00", 20, 20, 2),     # first instant of P
              wo(111, 2, 1, "done", "2026-06-15 10:00", 120, 60, 8),
              wo(112, 2, 1, "pending"),
              wo(113, 2, 2, "done", "2026-06-17 10:00", 30, 30, 2),
              wo(121, 3, 2, "done", "2026-06-18 10:00", 10, 20, 4),     # warehouse 2 vote first (lower WO id)
              wo(122, 3, 1, "ready"),
              wo(131, 4, 1, "cancel"), wo(132, 4, 1, "cancel"),
              wo(133, 4, 2, "done", "2026-06-19 10:00", 5, 5, 1),
              wo(134, 4, 3, "pending"),                                  # MO 3 is cancelled
              wo(141, 5, 5, "done", "2026-06-20 10:00", 100, 100, 100))
    db.insert("stock_scrap",
              {"id": 201, "workorder_id": 101, "production_id": 1, "product_id": 1, "scrap_qty": 2, "state": "done"},
              {"id": 202, "workorder_id": 101, "production_id": 1, "product_id": 1, "scrap_qty": 3, "state": "draft"},
              {"id": 203, "workorder_id": 102, "production_id": 1, "product_id": 1, "scrap_qty": 1, "state": "done"},
              {"id": 204, "workorder_id": 111, "production_id": 1, "product_id": 1, "scrap_qty": 1, "state": "done"},
              {"id": 205, "workorder_id": 103, "production_id": 1, "product_id": 1, "scrap_qty": 9, "state": "done"})

    def log(id, wc, start, end, loss_type, minutes, company=1):
        return {"id": id, "workcenter_id": wc, "company_id": company, "loss_id": 1, "loss_type": loss_type,
                "date_start": dt(start), "date_end": dt(end) if end else None, "duration": minutes}

    db.insert("mrp_workcenter_productivity",
              log(301, 1, "2026-06-01 00:00", "2026-06-01 01:00", "productive", 60),
              log(302, 1, "2026-06-30 23:59:59", "2026-07-01 00:29:59", "performance", 30),
              log(303, 1, "2026-07-01 00:00", "2026-07-01 01:40", "productive", 100),
              log(304, 1, "2026-06-10 08:00", None, "productive", 500),
              log(305, 1, "2026-06-15 08:00", "2026-06-15 08:30", "availability", 30),
              log(306, 1, "2026-06-15 09:00", "2026-06-15 09:20", "quality", 20),
              log(307, 1, "2026-05-31 23:59:59", "2026-06-01 01:16:59", "productive", 77),
              log(308, 1, "2026-06-12 08:00", "2026-06-12 10:00", "productive", 1000, company=2),
              log(311, 2, "2026-06-15 08:00", "2026-06-15 09:40", "productive", 100),
              log(312, 2, "2026-06-16 08:00", "2026-06-16 09:00", "availability", 60),
              log(321, 4, "2026-06-19 08:00", "2026-06-19 08:50", "productive", 50),
              log(331, 5, "2026-06-20 08:00", "2026-06-20 08:10", "productive", 10, company=2),
              log(332, 5, "2026-06-20 09:00", "2026-06-20 10:30", "availability", 90, company=2))


def sums(rows):
    return {(r["scope_id"], r["bucket"]): (r["productive_min"], r["total_min"], r["availability_loss_min"],
                                           r["expected_min"], r["real_min"], r["qty_produced"], r["qty_scrapped"])
            for r in rows}


def test_workcenter_sums(odoo_db):
    plant(odoo_db)
    rows = odoo_db.replica.run(oee_sums, CO1, group_by="workcenter")
    # wc1 logs: 60 + 30 productive/performance, + 30 availability + 20 quality; log 303 (next day),
    # 304 (open), 307 (day before) and 308 (company 2) are out. WOs 101, 102, 106; scraps 201 + 203.
    assert sums(rows) == {
        (1, None): (90.0, 140.0, 30.0, 100.0, 120.0, 17.0, 3.0),
        (2, None): (100.0, 160.0, 60.0, 150.0, 90.0, 10.0, 1.0),
        (3, None): (0.0, 0.0, 0.0, 10.0, 20.0, 4.0, 0.0),
        (4, None): (50.0, 50.0, 0.0, 5.0, 5.0, 1.0, 0.0),
    }
    assert all(isinstance(r["scope_id"], int) for r in rows)


def test_warehouse_pools_work_center_sums(odoo_db):
    plant(odoo_db)
    rows = odoo_db.replica.run(oee_sums, CO1, group_by="warehouse")
    # warehouse 1 = wc1 + wc2 + wc3 (pooled sums), warehouse 2 = wc4
    assert sums(rows) == {
        (1, None): (190.0, 300.0, 90.0, 260.0, 230.0, 31.0, 4.0),
        (2, None): (50.0, 50.0, 0.0, 5.0, 5.0, 1.0, 0.0),
    }


def test_pins_override_the_majority(odoo_db):
    plant(odoo_db)
    rows = odoo_db.replica.run(oee_sums, CO1, group_by="warehouse", pins=((2, 2),))
    assert sums(rows) == {
        (1, None): (90.0, 140.0, 30.0, 110.0, 140.0, 21.0, 3.0),   # wc1 + wc3
        (2, None): (150.0, 210.0, 60.0, 155.0, 95.0, 11.0, 1.0),   # wc2 + wc4
    }


def test_company_scope(odoo_db):
    plant(odoo_db)
    co1 = odoo_db.replica.run(oee_sums, CO1, group_by="company")
    assert sums(co1) == {(1, None): (240.0, 350.0, 90.0, 265.0, 235.0, 32.0, 4.0)}
    both = odoo_db.replica.run(oee_sums, ALL, group_by="company")
    # company 2: logs 308 (on wc1, but the log's company decides), 331, 332; WO 141 of MO 5
    assert sums(both) == {(1, None): (240.0, 350.0, 90.0, 265.0, 235.0, 32.0, 4.0),
                          (2, None): (1010.0, 1100.0, 90.0, 100.0, 100.0, 100.0, 0.0)}


def test_warehouse_filter_applies_through_the_work_center_site(odoo_db):
    plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(2,))
    assert sums(odoo_db.replica.run(oee_sums, ctx, group_by="workcenter")) == {
        (4, None): (50.0, 50.0, 0.0, 5.0, 5.0, 1.0, 0.0)}
    pinned = odoo_db.replica.run(oee_sums, ctx, group_by="company", pins=((2, 2),))
    assert sums(pinned) == {(1, None): (150.0, 210.0, 60.0, 155.0, 95.0, 11.0, 1.0)}


def test_day_and_week_buckets(odoo_db):
    plant(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(1,))
    days = {k: v for k, v in sums(odoo_db.replica.run(oee_sums, ctx, group_by="workcenter", bucket="day")).items()
            if k[0] == 1}
    assert days == {
        (1, "2026-06-01"): (60.0, 60.0, 0.0, 20.0, 20.0, 2.0, 0.0),
        (1, "2026-06-15"): (0.0, 50.0, 30.0, 0.0, 0.0, 0.0, 0.0),
        (1, "2026-06-20"): (0.0, 0.0, 0.0, 50.0, 40.0, 10.0, 2.0),
        (1, "2026-06-21"): (0.0, 0.0, 0.0, 30.0, 60.0, 5.0, 1.0),
        (1, "2026-06-30"): (30.0, 30.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    }
    weeks = sums(odoo_db.replica.run(oee_sums, ctx, group_by="warehouse", bucket="week"))
    # Monday 1 June: logs 301 + WO 106 (wc1); Monday 15 June: wc1 305, 306, 101, 102; wc2 311, 312, 111, 113;
    # wc3 121; Monday 29 June: log 302
    assert weeks == {
        (1, "2026-06-01"): (60.0, 60.0, 0.0, 20.0, 20.0, 2.0, 0.0),
        (1, "2026-06-15"): (100.0, 210.0, 90.0, 240.0, 210.0, 29.0, 4.0),
        (1, "2026-06-29"): (30.0, 30.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    }


def test_workcenter_sites_majority_tie_and_pins(odoo_db):
    plant(odoo_db)
    assert odoo_db.replica.run(workcenter_sites, CO1) == {1: 1, 2: 1, 3: 1, 4: 2}
    assert odoo_db.replica.run(workcenter_sites) == {1: 1, 2: 1, 3: 1, 4: 2, 5: 3}
    assert odoo_db.replica.run(workcenter_sites, CO1, pins={2: 2, 9: 2}) == {1: 1, 2: 2, 3: 1, 4: 2, 9: 2}


def test_rejects_unknown_scope_and_bucket(odoo_db):
    with pytest.raises(ValueError):
        odoo_db.replica.run(oee_sums, CO1, group_by="partner")
    with pytest.raises(ValueError):
        odoo_db.replica.run(oee_sums, CO1, group_by="workcenter", bucket="month")


def test_empty_database_gives_no_rows(odoo_db):
    assert odoo_db.replica.run(oee_sums, CO1, group_by="warehouse", bucket="day") == []



@pytest.mark.parametrize("ctx, bucket, pins", [
    (CO1, None, ()), (ALL, "day", ()), (CO1, "week", ((2, 2),)),
    (Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(2,)), None, ((2, 2),)),
])
def test_every_kind_from_one_statement_as_one_query_per_kind(odoo_db, ctx, bucket, pins):
    plant(odoo_db)
    got, seen = statements_of(odoo_db.replica, odoo_db.replica.run, oee_sums_by_kinds, ctx, OEE_SCOPES, bucket=bucket,
                              pins=pins)
    assert len(seen) == 1
    assert got == {kind: odoo_db.replica.run(oee_sums, ctx, group_by=kind, bucket=bucket, pins=pins)
                   for kind in OEE_SCOPES}


def test_every_kind_from_one_statement_by_hand(odoo_db):
    plant(odoo_db)
    # work center 6 has no work order, hence no site: its log counts for it and company 1, not for a warehouse
    odoo_db.insert("mrp_workcenter", {"id": 6, "name": "WC6", "company_id": 1})
    odoo_db.insert("mrp_workcenter_productivity", {"id": 351, "workcenter_id": 6, "company_id": 1, "loss_id": 1,
                                                   "loss_type": "productive", "date_start": dt("2026-06-03 08:00"),
                                                   "date_end": dt("2026-06-03 08:07"), "duration": 7})
    got = odoo_db.replica.run(oee_sums_by_kinds, CO1, OEE_SCOPES)
    assert sums(got["workcenter"])[(6, None)] == (7.0, 7.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert sums(got["warehouse"]) == {(1, None): (190.0, 300.0, 90.0, 260.0, 230.0, 31.0, 4.0),
                                      (2, None): (50.0, 50.0, 0.0, 5.0, 5.0, 1.0, 0.0)}
    assert sums(got["company"]) == {(1, None): (247.0, 357.0, 90.0, 265.0, 235.0, 32.0, 4.0)}
    assert odoo_db.replica.run(oee_sums_by_kinds, CO1, ("company",)).keys() == {"company"}
    with pytest.raises(ValueError):
        odoo_db.replica.run(oee_sums_by_kinds, CO1, ("workcenter", "partner"))


def test_scraps_are_read_for_the_period_work_orders_only(odoo_db):
    """The scrap sums are grouped for the work orders done in P, not for every scrap of the history."""
    plant(odoo_db)
    _, seen = statements_of(odoo_db.replica, odoo_db.replica.run, oee_sums, CO1, group_by="workcenter")
    sql = " ".join(seen[0].split())
    scrap_part = sql[sql.index("FROM stock_scrap"):sql.index("GROUP BY stock_scrap.workorder_id")]
    assert "JOIN period_wo ON period_wo.id = stock_scrap.workorder_id" in scrap_part
    period_wo = sql[sql.index("period_wo AS ("):]
    assert "mrp_workorder.date_finished >=" in period_wo and "mrp_workorder.date_finished <" in period_wo
