"""Hand-built kits, returns and dates for the KPIS.md v2 received / delivered tests (test_supply_kits.py).

On top of ``supply_rows.base``: units 11 Units (rounding 0.01) and 12 Dozens (1/12, rounding 0.01);
components C1 (product 11), C2 (12), C3 (15), a service S (13), all in Units; kits:
- Kit A (product 10, template-wide BoM 1, makes 1 Unit): C1 x 2 Units, C2 x 1 Dozen, S x 1 (service:
  skipped), C1 x 0 (zero: skipped) and Nested kit N x 1.
- Nested kit N (product 14, BoM 2 makes 2 Units): C3 x 3. Per Kit A: C1 2, C2 12 (Units), C3 1.5.
- Kit B (product 16): BoM 3 (sequence 5, C1 x 1), the one its sale moves name; BoM 4 (sequence 1,
  C1 x 5), the one ``_bom_find`` would pick.
- Kit K (product 17) bought: BoM 10 manufacture, 11 archived, 12 company 2 (all sequence 0, never
  chosen), 13 template-wide (sequence 1, C1 x 1), 14 the variant's own (sequence 1, C2 x 1), 15
  template-wide without sequence (C3 x 1).
Sale orders promise 10 June 12:00 (customer 22, WH1); purchase lines are planned 10 June 12:00
(vendor 10, WH1). "On the day" moves are at 10 June 09:00, "after the day" at 15 June 09:00.
"""
from __future__ import annotations

from helpers.odoo_db import dt
from helpers.supply_rows import base

ON_DAY, AFTER = "2026-06-10 09:00", "2026-06-15 09:00"
UNITS, DOZENS = 11, 12


def _products(db) -> None:
    db.insert("uom_uom", {"id": UNITS, "name": {"en_US": "Units"}, "factor": 1.0, "rounding": 0.01, "category_id": 1},
              {"id": DOZENS, "name": {"en_US": "Dozens"}, "factor": 1 / 12, "rounding": 0.01, "category_id": 1})
    tmpl = [(10, "Kit A", "consu"), (11, "C1", "consu"), (12, "C2", "consu"), (13, "S", "service"),
            (14, "Nested kit N", "consu"), (15, "C3", "consu"), (16, "Kit B", "consu"), (17, "Kit K", "consu")]
    db.insert("product_template", *[{"id": i, "name": {"en_US": n}, "type": t, "uom_id": UNITS, "categ_id": 1}
                                    for i, n, t in tmpl])
    db.insert("product_product", *[{"id": i, "product_tmpl_id": i} for i, _n, _t in tmpl])

    def bom(i, tmpl_id, *, qty=1.0, seq=1, product=None, type_="phantom", active=True, company=None):
        return {"id": i, "product_tmpl_id": tmpl_id, "product_id": product, "product_qty": qty, "product_uom_id": UNITS,
                "sequence": seq, "type": type_, "active": active, "company_id": company}

    db.insert("mrp_bom", bom(1, 10), bom(2, 14, qty=2.0), bom(3, 16, seq=5), bom(4, 16, seq=1),
              bom(10, 17, seq=0, type_="normal"), bom(11, 17, seq=0, active=False), bom(12, 17, seq=0, company=2),
              bom(13, 17), bom(14, 17, product=17), bom(15, 17, seq=None))

    def line(i, bom_id, product, qty, uom=UNITS):
        return {"id": i, "bom_id": bom_id, "product_id": product, "product_qty": qty, "product_uom_id": uom}

    db.insert("mrp_bom_line", line(101, 1, 11, 2), line(102, 1, 12, 1, DOZENS), line(103, 1, 13, 1),
              line(104, 1, 14, 1), line(105, 1, 11, 0), line(201, 2, 15, 3), line(301, 3, 11, 1), line(401, 4, 11, 5),
              line(1001, 10, 11, 1), line(1101, 11, 11, 1), line(1201, 12, 11, 1), line(1301, 13, 11, 1),
              line(1401, 14, 12, 1), line(1501, 15, 15, 1))


_ids = iter(range(50000, 60000))


def mv(link: str, line_id: int, product: int, qty: float, when: str, src: int, dst: int, *, bom_line=None,
       uom=UNITS, refund=None, origin=None, state="done", move_id=None) -> dict:
    return {"id": move_id or next(_ids), link: line_id, "product_id": product, "quantity": qty, "product_uom_qty": qty,
            "product_uom": uom, "date": dt(when), "location_id": src, "location_dest_id": dst, "state": state,
            "bom_line_id": bom_line, "to_refund": refund, "origin_returned_move_id": origin, "scrapped": False}


def kit_sales(db) -> None:
    """Sale lines 1001-1008 (kits) and 2001-2004 (C1 sold, returns); expected values in the tests."""
    base(db)
    _products(db)
    db.insert("sale_order", {"id": 90, "name": "S90", "partner_id": 22, "warehouse_id": 1, "company_id": 1,
                             "state": "sale", "commitment_date": dt("2026-06-10 12:00"),
                             "date_order": dt("2026-06-01 08:00")})

    def sl(i, product, qty, uom=UNITS):
        return {"id": i, "order_id": 90, "product_id": product, "product_uom_qty": qty, "product_uom": uom,
                "customer_lead": 0.0, "name": f"line {i}", "display_type": None}

    db.insert("sale_order_line", sl(1001, 10, 4), sl(1002, 10, 4), sl(1003, 10, 4), sl(1004, 10, 4),
              sl(1006, 10, 1, DOZENS), sl(1007, 16, 2), sl(1008, 10, 2),
              sl(2001, 11, 5), sl(2002, 11, 5), sl(2003, 11, 5), sl(2004, 11, 5))
    s, out, back = "sale_line_id", (2, 3), (3, 2)

    def kit(line_id, c1, c2, c3, when=ON_DAY, c3_when=None, c2_uom=UNITS):
        rows = [mv(s, line_id, 11, c1, when, *out, bom_line=101), mv(s, line_id, 12, c2, when, *out, bom_line=102, uom=c2_uom)]
        if c3 is not None:
            rows.append(mv(s, line_id, 15, c3, c3_when or when, *out, bom_line=201))
        return rows

    db.insert("stock_move",
              *kit(1001, 8, 48, 6),  # complete: 4 kits
              *kit(1002, 8, 4, 5, c2_uom=DOZENS),  # C3 5 / 1.5 = 3.33: 3 kits
              *kit(1003, 8, 48, 6, c3_when=AFTER),  # C3 after the day: 0 on time, 4 by D
              *kit(1004, 8, 48, None),  # C3 never moved: 0 kits
              *kit(1006, 20, 144, 18),  # 10 kits = 0.8333 Dozen, rounded up: 0.84
              mv(s, 1007, 11, 2, ON_DAY, *out, bom_line=301),  # BoM 3's line: 2 kits of BoM 3
              mv(s, 1008, 11, 4, ON_DAY, *out, bom_line=101, move_id=59001),
              mv(s, 1008, 12, 24, ON_DAY, *out, bom_line=102), mv(s, 1008, 15, 3, ON_DAY, *out, bom_line=201),
              mv(s, 1008, 11, 2, AFTER, *back, bom_line=101, refund=True, origin=59001),  # component returned
              # 2001: 2 back after the day without "Update quantities": still 5
              mv(s, 2001, 11, 5, ON_DAY, *out, move_id=59101), mv(s, 2001, 11, 2, AFTER, *back, origin=59101),
              # 2002: 2 back on the day with it: 3 on time and by D
              mv(s, 2002, 11, 5, ON_DAY, *out, move_id=59201),
              mv(s, 2002, 11, 2, "2026-06-10 10:00", *back, origin=59201, refund=True),
              # 2003: 2 back without it, sent again as a return of the return (not counted) and as a new
              # delivery (counted): 5 + 2 = 7, more than ordered
              mv(s, 2003, 11, 5, ON_DAY, *out, move_id=59301),
              mv(s, 2003, 11, 2, "2026-06-10 10:00", *back, origin=59301, refund=False, move_id=59302),
              mv(s, 2003, 11, 2, AFTER, *out, origin=59302, refund=False), mv(s, 2003, 11, 2, AFTER, *out),
              # 2004: 2 back after the day with it: OTIF, and 3 at D: late
              mv(s, 2004, 11, 5, ON_DAY, *out, move_id=59401), mv(s, 2004, 11, 2, AFTER, *back, origin=59401, refund=True))


def kit_purchases(db) -> None:
    """Purchase lines 3001-3003 (C1 bought, vendor returns) and 4001-4002 (kits bought)."""
    base(db)
    _products(db)
    db.insert("purchase_order", {"id": 95, "name": "P95", "partner_id": 10, "picking_type_id": 1, "company_id": 1,
                                 "state": "purchase"})

    def pl(i, product, qty):
        return {"id": i, "order_id": 95, "product_id": product, "product_qty": qty, "product_uom_qty": qty,
                "product_uom": UNITS, "date_planned": dt("2026-06-10 12:00"), "name": f"line {i}", "display_type": None}

    db.insert("purchase_order_line", pl(3001, 11, 5), pl(3002, 11, 5), pl(3003, 11, 5), pl(4001, 17, 4), pl(4002, 14, 4))
    p, inn, out = "purchase_line_id", (1, 2), (2, 1)
    db.insert("stock_move",
              # 3001: 2 sent back after the day without "Update quantities": ignored, 5
              mv(p, 3001, 11, 5, ON_DAY, *inn, move_id=59501), mv(p, 3001, 11, 2, AFTER, *out, origin=59501),
              # 3002: 2 sent back on the day with it (3 on time), received again after the day with it (5 by D)
              mv(p, 3002, 11, 5, ON_DAY, *inn, move_id=59601),
              mv(p, 3002, 11, 2, "2026-06-10 10:00", *out, origin=59601, refund=True, move_id=59602),
              mv(p, 3002, 11, 2, AFTER, *inn, origin=59602, refund=True),
              # 3003: 2 sent back after the day with it: OTIF, 3 at D
              mv(p, 3003, 11, 5, ON_DAY, *inn, move_id=59701), mv(p, 3003, 11, 2, AFTER, *out, origin=59701, refund=True),
              # 4001 (Kit K x 4): C1 4 on BoM 13's line, C2 2 on BoM 14's line
              mv(p, 4001, 11, 4, ON_DAY, *inn, bom_line=1301), mv(p, 4001, 12, 2, ON_DAY, *inn, bom_line=1401),
              # 4002 (Nested kit N x 4, BoM 2 makes 2): C3 6 = 4 units
              mv(p, 4002, 15, 6, ON_DAY, *inn, bom_line=201))
