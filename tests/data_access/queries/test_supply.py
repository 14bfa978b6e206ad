"""Supplier and customer OTIF / late line counts on hand-built rows (helpers.supply_rows).

Expected values are worked out by hand from the rows, line by line, in the comments.
"""
import pytest

from data_access.context import QueryContext
from data_access.queries import supply
from helpers.odoo_db import dt
from helpers.supply_rows import JUNE, JUNE_ALL, move, pol, purchases, sales, so, sol


def _by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: (r["lines"], r["otif_lines"], r["late_lines"])
            for r in rows}


# Purchase lines in P (company 1): 101 102 103 104 107 109 111 112 (vendor 10, WH1) and 201 (vendor 11, WH2).
# OTIF: 101 (received 23:59:59 of its day), 107 (2 packs of 10 = 20 units), 201, and (KPIS.md v2: returns
# count only up to the end of the planned day) 104 (10 received on 13 June; its return of 2 is on 20 June).
# Not OTIF: 102 (00:00 next day), 103 (6/10), 109 (nothing yet), 111 (move not done), 112 (received after D).
# Excluded: 105 section, 106 qty 0, 108 planned before P, 110 planned
# 1 July 00:00, 301 cancelled, 401 draft, 501 company 2.
# Late (planned before D, received < qty by the end of D): 103, 104 (8 kept: the return without an origin
# move counts whatever to_refund says), 108, 111, 112. 109 is planned on D.
def test_supplier_otif_per_vendor(odoo_db):
    purchases(odoo_db)
    rows = odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="partner")
    assert _by(rows, "scope_id") == {10: (8, 3, 5), 11: (1, 1, 0)}  # v2: 104 OTIF (return after its day)
    assert all(r["bucket"] is None for r in rows)


def test_supplier_otif_per_warehouse_and_company(odoo_db):
    purchases(odoo_db)
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="warehouse"), "scope_id") == {
        1: (8, 3, 5), 2: (1, 1, 0)}  # v2: 104 OTIF
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="company"), "scope_id") == {1: (9, 4, 5)}


def test_supplier_otif_second_company_only_without_restriction(odoo_db):
    purchases(odoo_db)
    # 501 (company 2, WH3, vendor 10): in P, not received, planned before D -> 1 line, 0 OTIF, 1 late
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, JUNE_ALL, group_by="company"), "scope_id") == {
        1: (9, 4, 5), 2: (1, 0, 1)}  # v2: 104 OTIF
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, JUNE_ALL, group_by="partner"), "scope_id")[10] == (9, 3, 6)


def test_supplier_otif_warehouse_restriction(odoo_db):
    purchases(odoo_db)
    ctx = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(2,))
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, ctx, group_by="partner"), "scope_id") == {11: (1, 1, 0)}


def test_supplier_otif_day_and_week_buckets(odoo_db):
    purchases(odoo_db)
    days = odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="partner", bucket="day")
    assert _by(days, "scope_id", "bucket") == {
        (10, "2026-06-10"): (1, 1, 0), (10, "2026-06-11"): (1, 0, 0), (10, "2026-06-12"): (1, 0, 1),
        (10, "2026-06-13"): (1, 1, 1), (10, "2026-06-15"): (1, 1, 0), (10, "2026-06-16"): (1, 0, 1),  # v2: 104 OTIF
        (10, "2026-06-17"): (1, 0, 1), (10, "2026-06-30"): (1, 0, 0), (11, "2026-06-20"): (1, 1, 0)}
    weeks = odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="partner", bucket="week")
    # 10-13 June -> week of Mon 8 June; 15-17 -> 15 June; 30 June -> 29 June; 20 June (Sat) -> 15 June
    assert _by(weeks, "scope_id", "bucket") == {
        (10, "2026-06-08"): (4, 2, 2), (10, "2026-06-15"): (3, 1, 2), (10, "2026-06-29"): (1, 0, 0),  # v2: 104 OTIF
        (11, "2026-06-15"): (1, 1, 0)}


def test_supplier_otif_planned_day_in_display_zone(odoo_db):
    purchases(odoo_db)
    # UTC+2: D = 30 June local = [29 June 22:00, 30 June 22:00) UTC. Line 901 planned 10 June 23:30
    # local (21:30 UTC): a receipt at 21:59:59 UTC is on time, one at 22:00 UTC (00:00 local) is late.
    odoo_db.insert("purchase_order", {"id": 9, "name": "P9", "partner_id": 11, "picking_type_id": 2, "company_id": 1,
                                      "state": "purchase"})
    odoo_db.insert("purchase_order_line", pol(901, 9, 1, "2026-06-10 21:30"), pol(902, 9, 1, "2026-06-10 21:30"))
    odoo_db.insert("stock_move", move("purchase_line_id", 901, 1, "2026-06-10 21:59:59", 1, 4),
                   move("purchase_line_id", 902, 1, "2026-06-10 22:00:00", 1, 4))
    ctx = QueryContext(dt("2026-05-31 22:00"), dt("2026-06-30 22:00"), day_offset_minutes=120, company_ids=(1,))
    rows = odoo_db.replica.run(supply.supplier_otif_sums, ctx, group_by="partner", bucket="day")
    # 201 (20 June 09:00 UTC) is on local 20 June; 901/902 on local 10 June
    assert _by(rows, "scope_id", "bucket")[(11, "2026-06-10")] == (2, 1, 0)
    assert _by(rows, "scope_id", "bucket")[(11, "2026-06-20")] == (1, 1, 0)


def test_supplier_otif_late_lines_as_of_d(odoo_db):
    purchases(odoo_db)
    # D = 16 June: P = 1-16 June. Lines in P: 101 102 103 104 107 111 (vendor 10); 112, 109 later.
    # The return of 2 on line 104 (20 June) is after D and after its planned day: KPIS.md v2 bounds returns
    # like receipts, so 104 is OTIF, and as of D it was received in full, so it is not late.
    # OTIF: 101 104 107. Late (planned before 16 June): 103 (6/10), 108 (0/4); 111 is planned on D.
    ctx = QueryContext(dt("2026-06-01"), dt("2026-06-17"), company_ids=(1,))
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, ctx, group_by="partner"), "scope_id") == {10: (6, 3, 2)}


def test_supplier_otif_empty_scope_gives_no_rows(odoo_db):
    purchases(odoo_db)
    ctx = QueryContext(JUNE.start, JUNE.end, company_ids=())
    assert odoo_db.replica.run(supply.supplier_otif_sums, ctx, group_by="company") == []


def test_unknown_scope_or_bucket_rejected(odoo_db):
    with pytest.raises(ValueError):
        odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="workcenter")
    with pytest.raises(ValueError):
        odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="partner", bucket="month")


# Sale lines in P (company 1): 101 102 104 (customer 20 via contact 21, WH1); 201 202 205 701 (22, WH2).
# OTIF: 101 (23:59:59 of the commitment day), 205 (lead 0), 701 (promise 1 June 00:00 = 31 May + 1 day),
# and (KPIS.md v2) 201: 10 delivered on 8 June; the 3 returned on 20 June without "Update quantities"
# (to_refund NULL) do not reduce the line at all (sale_stock counts a customer return only with to_refund).
# Not OTIF: 102 (00:00 next day), 104 (only a pick move done), 202 (promise 30 June 20:00, nothing yet).
# Excluded: 103 note, 203 (promise 1 July 08:00), 204 qty 0,
# 301 cancelled, 401 draft, 501 promised in May, 601 company 2, 702 promised 31 May 12:00.
# Late (promise day before D, delivered < qty by the end of D): 104, 501 (customer 20), 702 (22); v2: not 201.
def test_customer_otif_per_commercial_partner(odoo_db):
    sales(odoo_db)
    rows = odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="partner")
    assert _by(rows, "scope_id") == {20: (3, 1, 2), 22: (4, 3, 1)}  # v2: 201 OTIF and not late


def test_customer_otif_per_warehouse_and_company(odoo_db):
    sales(odoo_db)
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="warehouse"), "scope_id") == {
        1: (3, 1, 2), 2: (4, 3, 1)}  # v2: 201
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="company"), "scope_id") == {1: (7, 4, 3)}
    # 601: company 2, promised 15 June, nothing delivered -> 1 line, late
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, JUNE_ALL, group_by="company"), "scope_id") == {
        1: (7, 4, 3), 2: (1, 0, 1)}


def test_customer_otif_day_buckets(odoo_db):
    sales(odoo_db)
    rows = odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="company", bucket="day")
    # promise days: 101 102 104 -> 10 June; 201 -> 8 June; 202 -> 30 June; 205 -> 5 June; 701 -> 1 June
    assert _by(rows, "scope_id", "bucket") == {
        (1, "2026-06-01"): (1, 1, 0), (1, "2026-06-05"): (1, 1, 0), (1, "2026-06-08"): (1, 1, 0),  # v2: 201
        (1, "2026-06-10"): (3, 1, 1), (1, "2026-06-30"): (1, 0, 0)}


def test_customer_promise_day_in_display_zone(odoo_db):
    sales(odoo_db)
    # UTC+2: commitment 10 June 22:30 UTC is 11 June 00:30 local; the promise day ends 11 June 22:00 UTC.
    odoo_db.insert("sale_order", so(8, 22, 2, commitment="2026-06-10 22:30"))
    odoo_db.insert("sale_order_line", sol(801, 8, 1), sol(802, 8, 1))
    odoo_db.insert("stock_move", move("sale_line_id", 801, 1, "2026-06-11 21:59:59", 4, 3),
                   move("sale_line_id", 802, 1, "2026-06-11 22:00:00", 4, 3))
    ctx = QueryContext(dt("2026-05-31 22:00"), dt("2026-06-30 22:00"), day_offset_minutes=120, company_ids=(1,))
    rows = odoo_db.replica.run(supply.customer_otif_sums, ctx, group_by="partner", bucket="day")
    assert _by(rows, "scope_id", "bucket")[(22, "2026-06-11")] == (2, 1, 0)
    assert (22, "2026-06-10") not in _by(rows, "scope_id", "bucket")


def test_customer_return_after_the_promise_day(odoo_db):
    from sqlalchemy import update

    from data_access.queries import supply_drill

    sales(odoo_db)
    # Line 201 (10 units, promised 8 June = 5 June + 3 days lead) was delivered in full on 8 June and
    # 3 came back on 20 June. Without "Update quantities" (to_refund NULL) the return changes nothing:
    # OTIF as of 8 June, never late.
    ctx = QueryContext(dt("2026-06-08"), dt("2026-06-09"), company_ids=(1,))
    late_30 = {r["line_id"] for r in odoo_db.replica.run(supply_drill.late_so_lines, JUNE)}
    assert 201 not in late_30
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, ctx, group_by="company"), "scope_id")[1][:2] == (1, 1)
    # With it the return counts, but only from its own date (KPIS.md v2): still OTIF (the promise day
    # ended before it), not late as of 16 June, late as of 30 June (7 of 10 kept).
    with odoo_db.engine.begin() as conn:
        m = odoo_db.schema.stock_move
        conn.execute(update(m).where(m.c.sale_line_id == 201, m.c.location_id == 3).values(to_refund=True))
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, ctx, group_by="company"), "scope_id")[1][:2] == (1, 1)
    late_16 = {r["line_id"]: r for r in odoo_db.replica.run(supply_drill.late_so_lines, QueryContext(dt("2026-06-01"), dt("2026-06-17")))}
    late_30 = {r["line_id"]: r for r in odoo_db.replica.run(supply_drill.late_so_lines, JUNE)}
    assert 201 not in late_16 and late_30[201]["qty_delivered"] == 7
