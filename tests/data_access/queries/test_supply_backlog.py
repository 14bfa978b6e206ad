"""The late-line backlog read without the history: hand-made lines whose stored ``qty_received`` /
``qty_delivered`` hold what Odoo shows now, so the lines Odoo counts as complete and untouched since
D are not read, and every line that can be short at the end of D still is (supply.py, "Which lines
can count").

D = 30 June 2026 (P = June) unless said otherwise; receipts and deliveries after D, returns after D,
returns before D sent again after D, unit conversions, a line whose quantity is not from moves, and
promises found through a long or negative customer lead.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event

from data_access.context import QueryContext
from data_access.queries import supply, supply_drill
from helpers.odoo_db import dt
from helpers.supply_rows import JUNE, base, move, pol, so, sol

MID_JUNE = QueryContext(dt("2026-06-01"), dt("2026-06-17"), company_ids=(1,))  # D = 16 June
KINDS = ("partner", "warehouse", "company")


def _by(rows):
    return {r["scope_id"]: (r["lines"], r["otif_lines"], r["late_lines"]) for r in rows}


def _po_line(line_id, order_id, qty, planned, received, *, uom=1, method="stock_moves"):
    return {**pol(line_id, order_id, qty, planned, uom=uom), "qty_received": received, "qty_received_method": method}


def purchases(db) -> None:
    """Vendor 10 (order 70, WH1) and vendor 11 (order 71, WH1). ``qty_received`` = receipts minus
    returns over every done move, as Odoo stores it at the time of the snapshot (after 5 July)."""
    base(db)
    db.insert("purchase_order",
              {"id": 70, "name": "P70", "partner_id": 10, "picking_type_id": 1, "company_id": 1, "state": "purchase"},
              {"id": 71, "name": "P71", "partner_id": 11, "picking_type_id": 1, "company_id": 1, "state": "purchase"})
    may = "2026-05-10 09:00"
    db.insert("purchase_order_line",
              _po_line(701, 70, 10, may, 5),  # 5 of 10 received: short now and at D
              _po_line(702, 70, 10, may, 10),  # received in full on 2 July: complete now, short at D
              _po_line(703, 70, 10, may, 8),  # received in May, 2 returned on 5 July: short now, complete at D
              _po_line(704, 70, 10, may, 10),  # 2 returned on 20 June, sent again on 3 July: short at D
              _po_line(705, 70, 4, may, 4),  # received 30 June 23:59:59: complete at D
              _po_line(706, 70, 4, may, 4),  # received 1 July 00:00: short at D
              _po_line(707, 70, 20, may, 20),  # 2 packs of 10 for 20 Units
              _po_line(708, 70, 2, may, 2, uom=2),  # 20 Units for 2 packs of 10
              _po_line(709, 70, 5, may, 5, method="manual"),  # a quantity typed in Odoo, no moves: 0 from moves
              _po_line(710, 70, 3, may, None, method=None),  # nothing stored: the moves decide (complete)
              _po_line(711, 71, 6, may, 6),  # complete in May: vendor 11 has nothing to report
              _po_line(712, 70, 5, "2026-06-15 09:00", 5),  # in P, on time
              _po_line(713, 70, 5, "2026-06-16 09:00", 5))  # in P, early
    p = "purchase_line_id"
    db.insert("stock_move",
              move(p, 701, 5, "2026-05-12 10:00", 1, 2),
              move(p, 702, 10, "2026-07-02 10:00", 1, 2),
              move(p, 703, 10, "2026-05-12 10:00", 1, 2), move(p, 703, 2, "2026-07-05 10:00", 2, 1),
              move(p, 704, 10, "2026-05-12 10:00", 1, 2), move(p, 704, 2, "2026-06-20 10:00", 2, 1),
              move(p, 704, 2, "2026-07-03 10:00", 1, 2),
              move(p, 705, 4, "2026-06-30 23:59:59", 1, 2),
              move(p, 706, 4, "2026-07-01 00:00:00", 1, 2),
              move(p, 707, 2, "2026-05-12 10:00", 1, 2, uom=2),
              move(p, 708, 20, "2026-05-12 10:00", 1, 2),
              move(p, 710, 3, "2026-05-12 10:00", 1, 2),
              move(p, 711, 6, "2026-05-12 10:00", 1, 2),
              move(p, 712, 5, "2026-06-15 10:00", 1, 2),
              move(p, 713, 5, "2026-06-14 10:00", 1, 2))


# As of 30 June: in P 712, 713 (both OTIF). Late: 701 (5/10), 702 (received after D), 704 (8 at the
# end of D), 706 (first second after D), 709 (nothing from moves). Not late: 703 (the return is
# after D), 705 (last second of D), 707 and 708 (units converted), 710, 711.
def test_late_po_lines_found_without_the_history(odoo_db):
    purchases(odoo_db)
    got = odoo_db.replica.run(supply.supplier_otif_sums_by_kinds, JUNE, KINDS)
    assert _by(got["partner"]) == {10: (2, 2, 5)}  # vendor 11: no line in P, none late: no data
    assert _by(got["warehouse"]) == {1: (2, 2, 5)} and _by(got["company"]) == {1: (2, 2, 5)}
    rows = odoo_db.replica.run(supply_drill.late_po_lines, JUNE)
    assert [(r["line_id"], r["qty_received"]) for r in rows] == [
        (701, 5.0), (702, 0.0), (704, 8.0), (706, 0.0), (709, 0.0)]


# As of 16 June: in P 712 (15 June), 713 (16 June), both OTIF. Late: 701, 702, 705 (received 30
# June), 706, 709. 704 was complete on 16 June (its return is on 20 June), 703 too.
def test_late_po_lines_as_of_an_earlier_d(odoo_db):
    purchases(odoo_db)
    assert _by(odoo_db.replica.run(supply.supplier_otif_sums, MID_JUNE, group_by="partner")) == {10: (2, 2, 5)}
    late = [r["line_id"] for r in odoo_db.replica.run(supply_drill.late_po_lines, MID_JUNE)]
    assert late == [701, 702, 705, 706, 709]


def test_supplier_buckets_count_only_lines_planned_in_p(odoo_db):
    purchases(odoo_db)
    rows = odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="partner", bucket="day")
    assert {(r["scope_id"], r["bucket"]): (r["lines"], r["otif_lines"], r["late_lines"]) for r in rows} == {
        (10, "2026-06-15"): (1, 1, 0), (10, "2026-06-16"): (1, 1, 0)}


def _so_line(line_id, order_id, qty, delivered, *, lead=0.0, method="stock_move"):
    return {**sol(line_id, order_id, qty, lead), "qty_delivered": delivered, "qty_delivered_method": method}


def sales(db) -> None:
    """Customer 22 (WH2) and customer 20 (WH1); ``qty_delivered`` as Odoo stores it after 5 July."""
    base(db)
    may = "2026-05-10 10:00"
    db.insert("sale_order",
              so(80, 22, 2, commitment=may), so(81, 20, 1, commitment=may),
              so(82, 22, 2, ordered="2026-01-01 08:00"),  # + 160 days lead: promised 10 June
              so(83, 22, 2, ordered="2026-07-03 08:00"),  # - 3 days lead: promised 30 June
              so(84, 22, 2, commitment="2026-06-12 10:00"))
    db.insert("sale_order_line",
              _so_line(801, 80, 5, 3),  # 3 of 5 delivered: short now and at D
              _so_line(802, 80, 5, 5),  # delivered on 2 July: complete now, short at D
              _so_line(803, 80, 5, 3),  # delivered in May, 2 back on 5 July: short now, complete at D
              _so_line(804, 80, 5, 5),  # 2 back on 20 June without to_refund, sent again on 3 July: never short (v2)
              _so_line(805, 80, 2, 2, method="manual"),  # typed in Odoo, no moves: 0 from moves
              _so_line(806, 80, 1, 1),  # a pick, then the delivery
              _so_line(807, 81, 4, 4),  # complete in May: customer 20 has nothing to report
              _so_line(821, 82, 1, 1, lead=160.0), _so_line(831, 83, 1, 0, lead=-3.0), _so_line(841, 84, 2, 2))
    s = "sale_line_id"
    db.insert("stock_move",
              move(s, 801, 3, "2026-05-10 09:00", 2, 3),
              move(s, 802, 5, "2026-07-02 10:00", 4, 3),
              move(s, 803, 5, "2026-05-09 10:00", 4, 3), move(s, 803, 2, "2026-07-05 10:00", 3, 4),
              move(s, 804, 5, "2026-05-09 10:00", 4, 3), move(s, 804, 2, "2026-06-20 10:00", 3, 4),
              move(s, 804, 2, "2026-07-03 10:00", 4, 3),
              move(s, 806, 1, "2026-05-08 10:00", 4, 6), move(s, 806, 1, "2026-05-09 10:00", 6, 3),
              move(s, 807, 4, "2026-05-09 10:00", 2, 3),
              move(s, 821, 1, "2026-06-10 09:00", 4, 3),
              move(s, 841, 2, "2026-06-12 09:00", 4, 3))


# As of 30 June: in P 821 (1 Jan + 160 days = 10 June, OTIF), 841 (OTIF), 831 (3 July - 3 days = 30
# June, nothing delivered yet, promised on D so not late). Late: 801, 802, 805 (KPIS.md v2: 804's return
# did not update the order, so 804 stays delivered).
def test_late_so_lines_found_without_the_history(odoo_db):
    sales(odoo_db)
    got = odoo_db.replica.run(supply.customer_otif_sums_by_kinds, JUNE, KINDS)
    assert _by(got["partner"]) == {22: (3, 2, 3)}
    assert _by(got["warehouse"]) == {2: (3, 2, 3)} and _by(got["company"]) == {1: (3, 2, 3)}
    rows = odoo_db.replica.run(supply_drill.late_so_lines, JUNE)
    assert [(r["line_id"], r["qty_delivered"]) for r in rows] == [(801, 3.0), (802, 0.0), (805, 0.0)]


# As of 16 June: in P 821 and 841 (831 is promised on 30 June). Late: 801, 802, 805; 804 was complete
# on 16 June (its return is on 20 June), 803 too.
def test_late_so_lines_as_of_an_earlier_d(odoo_db):
    sales(odoo_db)
    assert _by(odoo_db.replica.run(supply.customer_otif_sums, MID_JUNE, group_by="partner")) == {22: (2, 2, 3)}
    assert [r["line_id"] for r in odoo_db.replica.run(supply_drill.late_so_lines, MID_JUNE)] == [801, 802, 805]


def test_customer_buckets_find_promises_through_the_customer_lead(odoo_db):
    sales(odoo_db)
    rows = odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="partner", bucket="day")
    assert {(r["scope_id"], r["bucket"]): (r["lines"], r["otif_lines"], r["late_lines"]) for r in rows} == {
        (22, "2026-06-10"): (1, 1, 0), (22, "2026-06-12"): (1, 1, 0), (22, "2026-06-30"): (1, 0, 0)}


@pytest.mark.parametrize("bucket", [None, "week"])
@pytest.mark.parametrize("family", ["supplier", "customer"])
def test_every_kind_from_one_statement_equals_each_kind_alone(odoo_db, family, bucket):
    purchases(odoo_db) if family == "supplier" else sales(odoo_db)
    by_kinds = getattr(supply, f"{family}_otif_sums_by_kinds")
    alone = getattr(supply, f"{family}_otif_sums")
    seen = []
    event.listen(odoo_db.replica.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    together = odoo_db.replica.run(by_kinds, JUNE, KINDS, bucket=bucket)
    assert len([s for s in seen if "stock_move" in s]) == 1
    assert together == {k: odoo_db.replica.run(alone, JUNE, group_by=k, bucket=bucket) for k in KINDS}
    with pytest.raises(ValueError):
        odoo_db.replica.run(by_kinds, JUNE, ("partner", "product"))
