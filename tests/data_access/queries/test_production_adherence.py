"""Schedule adherence sums: MOs whose deadline falls in P, on time when done by the deadline."""
from datetime import date

from dashboard.kpis.period import Period
from data_access.queries.production import schedule_adherence_sums, schedule_adherence_sums_by_kinds
from helpers.odoo_db import dt

CO1 = Period(date(2026, 6, 30), 30).context(company_ids=(1,))


def base(db):
    db.insert("stock_warehouse", {"id": 1, "company_id": 1}, {"id": 2, "company_id": 1}, {"id": 3, "company_id": 2})
    db.insert("stock_picking_type", {"id": 11, "warehouse_id": 1, "company_id": 1},
              {"id": 12, "warehouse_id": 2, "company_id": 1}, {"id": 13, "warehouse_id": 3, "company_id": 2})


def mo(id, pt, state, deadline, finished=None, company=1):
    return {"id": id, "name": f"MO{id}", "picking_type_id": pt, "company_id": company, "product_id": 1, "state": state,
            "date_deadline": dt(deadline) if deadline else None, "date_finished": dt(finished) if finished else None}


def orders(db):
    base(db)
    db.insert("mrp_production",
              mo(1, 11, "done", "2026-06-10 12:00", "2026-06-10 11:00"),   # on time
              mo(2, 11, "done", "2026-06-10 12:00", "2026-06-10 12:00"),   # on time (equal)
              mo(3, 11, "done", "2026-06-11 12:00", "2026-06-12 08:00"),   # late
              mo(4, 11, "progress", "2026-06-12 12:00", "2026-06-12 10:00"),  # not done: not on time
              mo(5, 11, "cancel", "2026-06-12 12:00"),                     # cancelled: out
              mo(6, 11, "done", None, "2026-06-12 12:00"),                 # no deadline: out
              mo(7, 12, "done", "2026-06-30 23:59:59", "2026-06-29 08:00"),  # last instant: in, on time
              mo(8, 12, "done", "2026-07-01 00:00", "2026-06-29 08:00"),   # next day: out
              mo(9, 12, "confirmed", "2026-06-01 00:00"),                  # first instant: in, late
              mo(10, 13, "done", "2026-06-15 12:00", "2026-06-14 08:00", company=2))


def as_map(rows):
    return {(r["scope_id"], r["bucket"]): (r["on_time"], r["total"]) for r in rows}


def test_warehouse_and_company(odoo_db):
    orders(odoo_db)
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, CO1, group_by="warehouse")) == {
        (1, None): (2.0, 4.0), (2, None): (1.0, 2.0)}
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, CO1, group_by="company")) == {(1, None): (3.0, 6.0)}
    everyone = Period(date(2026, 6, 30), 30).context()
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, everyone, group_by="company")) == {
        (1, None): (3.0, 6.0), (2, None): (1.0, 1.0)}


def test_warehouse_filter_and_day_buckets(odoo_db):
    orders(odoo_db)
    ctx = Period(date(2026, 6, 30), 30).context(company_ids=(1,), warehouse_ids=(1,))
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, ctx, group_by="company", bucket="day")) == {
        (1, "2026-06-10"): (2.0, 2.0), (1, "2026-06-11"): (0.0, 1.0), (1, "2026-06-12"): (0.0, 1.0)}


def test_local_day_boundaries_in_berlin(odoo_db):
    """Berlin in June is UTC+2: the local day 30 June is [29 June 22:00, 30 June 22:00) UTC."""
    base(odoo_db)
    odoo_db.insert("mrp_production",
                   mo(1, 11, "done", "2026-06-29 22:00", "2026-06-29 21:00"),   # local 30 June 00:00: in, on time
                   mo(2, 11, "progress", "2026-06-30 21:59:59"),                 # local 23:59:59: in, late
                   mo(3, 11, "done", "2026-06-30 22:00", "2026-06-30 23:00"),   # local 1 July: out (late)
                   mo(4, 11, "done", "2026-06-29 21:59:59", "2026-06-29 08:00"))  # local 29 June: out
    ctx = Period(date(2026, 6, 30), 1, "Europe/Berlin").context(company_ids=(1,))
    assert ctx.day_offset_minutes == 120
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, ctx, group_by="warehouse", bucket="day")) == {
        (1, "2026-06-30"): (1.0, 2.0)}
    utc = Period(date(2026, 6, 30), 1).context(company_ids=(1,))
    assert as_map(odoo_db.replica.run(schedule_adherence_sums, utc, group_by="warehouse")) == {(1, None): (0.0, 2.0)}


def test_both_kinds_from_one_statement(odoo_db):
    orders(odoo_db)
    # MO 11 has an operation type without a warehouse: it counts for its company only
    odoo_db.insert("stock_picking_type", {"id": 14, "warehouse_id": None, "company_id": 1})
    odoo_db.insert("mrp_production", mo(11, 14, "done", "2026-06-20 12:00", "2026-06-20 10:00"))
    got = odoo_db.replica.run(schedule_adherence_sums_by_kinds, CO1, ("warehouse", "company"))
    assert {k: as_map(v) for k, v in got.items()} == {
        "warehouse": {(1, None): (2.0, 4.0), (2, None): (1.0, 2.0)}, "company": {(1, None): (4.0, 7.0)}}
    days = odoo_db.replica.run(schedule_adherence_sums_by_kinds, CO1, ("warehouse", "company"), bucket="day")
    assert as_map(days["company"])[(1, "2026-06-20")] == (1.0, 1.0)
    assert (1, "2026-06-20") not in as_map(days["warehouse"])
