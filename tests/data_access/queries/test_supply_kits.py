"""KPIS.md v2 received / delivered quantities, computed by hand: kits, "Update quantities" (to_refund)
and returns bounded by the promise / planned day; on SQLite and PostgreSQL, Odoo 17 and 18 columns.

Rows: helpers.kit_rows. P = June 2026, D = 30 June; every line is promised / planned on 10 June.
Per Kit A: C1 2, C2 1 Dozen = 12 Units, C3 1.5 (Nested kit N x 1, whose BoM makes 2 with C3 x 3);
the service line and the zero-quantity line of its BoM are skipped.
"""
from data_access.queries import supply, supply_drill
from helpers.kit_rows import kit_purchases, kit_sales
from helpers.supply_rows import JUNE

# sale line: (delivered as of the end of 10 June, as of the end of D, OTIF, late)
SALE = {
    1001: (4, 4, True, False),  # complete: C1 8/2, C2 48/12, C3 6/1.5 -> 4 kits
    1002: (3, 3, False, True),  # C2 moved as 4 Dozens = 48; C3 5/1.5 = 3.33 -> floor 3
    1003: (0, 4, False, False),  # C3 moved after the promise day: no C3 move by then -> 0 kits on time
    1004: (0, 0, False, True),  # C3 never moved: 0 kits
    1006: (0.84, 0.84, False, True),  # 1 Dozen of kits: N = 12; C1 20/2 = 10 kits = 0.8333 Dozen, rounded up
    1007: (2, 2, True, False),  # the moves' BoM 3 (C1 x 1) counts, not BoM 4 that _bom_find would pick
    1008: (2, 1, True, True),  # 2 kits on the day; 2 C1 returned with to_refund after it: 1 kit at D
    2001: (5, 5, True, False),  # 2 returned after the day without "Update quantities": nothing changes
    2002: (3, 3, False, True),  # 2 returned on the day with it: 3
    2003: (5, 7, True, False),  # return without it; return of the return not counted; a new delivery of 2: 7
    2004: (5, 3, True, True),  # 2 returned after the day with it: OTIF, late at D
}


def _kpi(rows):
    return {r["scope_id"]: (r["lines"], r["otif_lines"], r["late_lines"]) for r in rows}


def test_customer_kits_and_returns_kpi(odoo_db):
    kit_sales(odoo_db)
    lines = len(SALE)
    otif = sum(v[2] for v in SALE.values())
    late = sum(v[3] for v in SALE.values())
    assert (lines, otif, late) == (11, 6, 6)
    got = odoo_db.replica.run(supply.customer_otif_sums, JUNE, group_by="partner")
    assert _kpi(got) == {22: (11, 6, 6)}


def test_customer_otif_drill_rows_add_up(odoo_db):
    kit_sales(odoo_db)
    rows = {r["line_id"]: r for r in odoo_db.replica.run(supply_drill.customer_otif_lines, JUNE)}
    assert set(rows) == set(SALE)
    for line_id, (on_time, by_end, otif, _late) in SALE.items():
        r = rows[line_id]
        assert (round(r["qty_on_time"], 6), round(r["qty_delivered"], 6), r["otif"]) == (on_time, by_end, otif), line_id
    assert rows[1001]["kit_bom_id"] == 1 and rows[1001]["kits"] == 4
    assert rows[1007]["kit_bom_id"] == 3
    assert rows[1006]["kits"] == 10  # whole kits in the BoM's unit (Units); the line shows 0.84 Dozen
    assert rows[2001]["kit_bom_id"] is None and rows[2001]["qty_returned_not_updated"] == 2
    assert rows[2002]["qty_returned_not_updated"] == 0


def test_late_so_lines_drill_rows(odoo_db):
    kit_sales(odoo_db)
    rows = odoo_db.replica.run(supply_drill.late_so_lines, JUNE)
    expected = sorted(i for i, v in SALE.items() if v[3])
    assert [r["line_id"] for r in rows] == expected
    by_line = {r["line_id"]: r for r in rows}
    assert {i: round(r["qty_delivered"], 6) for i, r in by_line.items()} == {i: SALE[i][1] for i in expected}
    assert by_line[1008]["kits"] == 1 and by_line[1002]["kits"] == 3


# purchase line: (received as of the end of 10 June, as of the end of D, OTIF, late) per Odoo series
PURCHASE = {
    3001: (5, 5, True, False),  # 2 sent back after the day without "Update quantities": ignored
    3002: (3, 5, False, False),  # 2 back on the day with it, received again after it with it
    3003: (5, 3, True, True),  # 2 back after the day with it
    4002: (4, 4, True, False),  # Nested kit N bought: BoM 2 makes 2; C3 6 / 1.5 per unit = 4
}
KIT_K = {"17.0": (4, 4, True, False),  # BoM 13 (template-wide, sequence 1) wins the tie: C1 4 -> 4
         "18.0": (2, 2, False, True)}  # BoM 14 (the variant's own) wins: C2 2 -> 2


def test_supplier_kits_and_returns_kpi(odoo_db):
    kit_purchases(odoo_db)
    expected = {**PURCHASE, 4001: KIT_K[odoo_db.version]}
    otif = sum(v[2] for v in expected.values())
    late = sum(v[3] for v in expected.values())
    got = odoo_db.replica.run(supply.supplier_otif_sums, JUNE, group_by="partner")
    assert _kpi(got) == {10: (5, otif, late)}
    assert (otif, late) == ((4, 1) if odoo_db.version == "17.0" else (3, 2))


def test_supplier_drill_rows_follow_the_kpi(odoo_db):
    kit_purchases(odoo_db)
    expected = {**PURCHASE, 4001: KIT_K[odoo_db.version]}
    rows = {r["line_id"]: r for r in odoo_db.replica.run(supply_drill.supplier_otif_lines, JUNE)}
    for line_id, (on_time, by_end, otif, _late) in expected.items():
        r = rows[line_id]
        assert (r["qty_on_time"], r["qty_received"], r["otif"]) == (on_time, by_end, otif), line_id
    # manufacture, archived, other company's and sequence-less BoMs are never chosen
    assert rows[4001]["kit_bom_id"] == (13 if odoo_db.version == "17.0" else 14)
    assert rows[4002]["kit_bom_id"] == 2
    assert rows[3001]["qty_returned_not_updated"] == 2 and rows[3003]["qty_returned_not_updated"] == 0
    late = [r["line_id"] for r in odoo_db.replica.run(supply_drill.late_po_lines, JUNE)]
    assert late == sorted(i for i, v in expected.items() if v[3])
