"""First pass yield and NC closure sums, by hand, on all four backends.

Period: 30 days ending 2026-06-30, UTC -> [2026-06-01 00:00, 2026-07-01 00:00).
"""
from datetime import date

import pytest

from dashboard.kpis.period import Period
from data_access.queries.quality import FPY_SCOPES, fpy_sums, fpy_sums_by_kinds, nc_closure_sums
from helpers.odoo_db import dt
from helpers.statements import statements_of

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))
ALL = Period(date(2026, 6, 30), 30).context()


def fpy_data(db):
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1}, {"id": 3, "company_id": 2})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1}, {"id": 13, "warehouse_id": 3, "company_id": 2})

    def mo(id, pt, product, state, finished, company=1):
        return {"id": id, "name": f"MO{id}", "picking_type_id": pt, "product_id": product, "state": state,
                "company_id": company, "date_finished": dt(finished)}

    db.insert("mrp_production",
              mo(1, 11, 1, "done", "2026-06-10 10:00"),
              mo(2, 12, 2, "done", "2026-06-30 23:59:59"),
              mo(3, 11, 1, "done", "2026-07-01 00:00"),      # after P
              mo(4, 11, 1, "progress", "2026-06-10 10:00"),  # not done
              mo(5, 11, 1, "cancel", "2026-06-10 10:00"),
              mo(6, 13, 1, "done", "2026-06-15 10:00", company=2),
              mo(7, 11, 1, "done", "2026-06-01 00:00"))      # first instant, nothing produced

    def move(id, state, qty, production_id=None, product=1, scrapped=False, raw=None):
        return {"id": id, "production_id": production_id, "raw_material_production_id": raw, "product_id": product,
                "state": state, "quantity": qty, "scrapped": scrapped, "company_id": 1}

    db.insert("stock_move",
              move(1, "done", 10, 1),
              move(2, "done", 5, 1, scrapped=None),   # NULL scrapped counts as not scrapped
              move(3, "done", 4, 1, product=2),       # by-product: not the MO's product
              move(4, "cancel", 3, 1),
              move(5, "done", 2, 1, scrapped=True),
              move(6, "done", 50, raw=1),              # component consumed by MO 1
              move(7, "done", 8, 2, product=2),
              move(8, "done", 100, 3),
              move(9, "done", 3, 4),
              move(10, "done", 7, 6))

    def scrap(id, production_id, product, state, qty):
        return {"id": id, "production_id": production_id, "product_id": product, "state": state, "scrap_qty": qty,
                "company_id": 1}

    db.insert("stock_scrap",
              scrap(1, 1, 1, "done", 2),
              scrap(2, 1, 1, "draft", 4),   # draft: out
              scrap(3, 1, 2, "done", 1),    # a component scrapped: not the MO's product
              scrap(4, 2, 2, "done", 1),
              scrap(5, 3, 1, "done", 9))


def as_map(rows):
    return {(r["scope_id"], r["bucket"]): (r["qty_produced"], r["qty_scrapped"], r["mo_count"]) for r in rows}


def test_fpy_per_warehouse_and_company(odoo_db):
    fpy_data(odoo_db)
    # warehouse 1: MO 1 (10 + 5 produced, 2 scrapped) and MO 7 (nothing); warehouse 2: MO 2 (8, 1)
    assert as_map(odoo_db.replica.run(fpy_sums, CO1, group_by="warehouse")) == {
        (1, None): (15.0, 2.0, 2.0), (2, None): (8.0, 1.0, 1.0)}
    assert as_map(odoo_db.replica.run(fpy_sums, CO1, group_by="company")) == {(1, None): (23.0, 3.0, 3.0)}
    assert as_map(odoo_db.replica.run(fpy_sums, ALL, group_by="company")) == {
        (1, None): (23.0, 3.0, 3.0), (2, None): (7.0, 0.0, 1.0)}


def test_fpy_day_buckets_and_warehouse_filter(odoo_db):
    fpy_data(odoo_db)
    assert as_map(odoo_db.replica.run(fpy_sums, CO1, group_by="company", bucket="day")) == {
        (1, "2026-06-01"): (0.0, 0.0, 1.0), (1, "2026-06-10"): (15.0, 2.0, 1.0), (1, "2026-06-30"): (8.0, 1.0, 1.0)}
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(2,))
    assert as_map(odoo_db.replica.run(fpy_sums, ctx, group_by="company")) == {(1, None): (8.0, 1.0, 1.0)}


def alerts(db):
    db.install("quality")

    def alert(id, created, closed, company=1):
        return {"id": id, "name": f"QA{id}", "company_id": company, "create_date": dt(created),
                "date_close": dt(closed) if closed else None}

    db.insert("quality_alert",
              alert(1, "2026-06-01 00:00", "2026-06-03 12:00"),        # 2.5 days
              alert(2, "2026-05-20 23:59:59", "2026-06-30 23:59:59"),  # 41 days, closed at the last instant
              alert(3, "2026-06-25 00:00", "2026-07-01 00:00"),        # closed after P
              alert(4, "2026-06-25 00:00", None),                      # open
              alert(5, "2026-06-01 00:00", "2026-06-02 00:00", company=2))


def test_nc_closure_sums(odoo_db):
    alerts(odoo_db)
    rows = odoo_db.replica.run(nc_closure_sums, CO1, group_by="company")
    assert [(r["scope_id"], r["bucket"], r["closed"]) for r in rows] == [(1, None, 2.0)]
    assert rows[0]["days_sum"] == pytest.approx(43.5)
    both = {r["scope_id"]: (round(r["days_sum"], 6), r["closed"]) for r in odoo_db.replica.run(nc_closure_sums, ALL, group_by="company")}
    assert both == {1: (43.5, 2.0), 2: (1.0, 1.0)}
    days = {r["bucket"]: round(r["days_sum"], 6) for r in odoo_db.replica.run(nc_closure_sums, CO1, group_by="company", bucket="day")}
    assert days == {"2026-06-03": 2.5, "2026-06-30": 41.0}


def test_fpy_rejects_workcenter_scope(odoo_db):
    with pytest.raises(ValueError):
        odoo_db.replica.run(fpy_sums, CO1, group_by="workcenter")


@pytest.mark.parametrize("bucket", [None, "day"])
def test_fpy_every_kind_from_one_statement(odoo_db, bucket):
    fpy_data(odoo_db)
    # MO 8's operation type has no warehouse: it counts for its company only (4 produced, none scrapped)
    odoo_db.insert("stock_picking_type", {"id": 14, "warehouse_id": None, "company_id": 1})
    odoo_db.insert("mrp_production", {"id": 8, "name": "MO8", "picking_type_id": 14, "product_id": 1, "state": "done",
                                      "company_id": 1, "date_finished": dt("2026-06-20 10:00")})
    odoo_db.insert("stock_move", {"id": 11, "production_id": 8, "product_id": 1, "state": "done", "quantity": 4,
                                  "scrapped": False, "company_id": 1})
    got, seen = statements_of(odoo_db.replica, odoo_db.replica.run, fpy_sums_by_kinds, CO1, FPY_SCOPES, bucket=bucket)
    assert len(seen) == 1
    assert got == {kind: odoo_db.replica.run(fpy_sums, CO1, group_by=kind, bucket=bucket) for kind in FPY_SCOPES}
    if bucket is None:
        assert as_map(got["warehouse"]) == {(1, None): (15.0, 2.0, 2.0), (2, None): (8.0, 1.0, 1.0)}
        assert as_map(got["company"]) == {(1, None): (27.0, 3.0, 4.0)}


def test_fpy_reaches_finished_moves_through_the_period_mos(odoo_db):
    """The finished moves are looked up per MO of the period (Odoo's stock_move.production_id index),
    not summed for every MO of the history and then joined."""
    fpy_data(odoo_db)
    _, seen = statements_of(odoo_db.replica, odoo_db.replica.run, fpy_sums, CO1, group_by="company")
    sql = " ".join(seen[0].split())
    assert "fin_move.production_id = mrp_production.id" in sql
    assert "GROUP BY fin_move.production_id" not in sql
