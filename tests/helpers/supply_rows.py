"""Hand-built purchase and sale rows shared by the supply query tests (expected values are in the tests).

Period P = June 2026 (UTC), D = 2026-06-30. Companies 1 and 2; warehouses 1, 2 (company 1) and
3 (company 2). Locations: 1 vendors (supplier), 2 WH1/Stock, 4 WH2/Stock, 5 WH3/Stock (internal),
3 customers (customer), 6 WH1/Output (internal). Units: 1 Units (factor 1), 2 Pack of 10 (0.1).
"""
from __future__ import annotations

from data_access.context import QueryContext
from helpers.odoo_db import dt

JUNE = QueryContext(dt("2026-06-01 00:00"), dt("2026-07-01 00:00"), company_ids=(1,))
JUNE_ALL = QueryContext(dt("2026-06-01 00:00"), dt("2026-07-01 00:00"))


def base(db) -> None:
    db.insert("res_company", {"id": 1, "name": "Main"}, {"id": 2, "name": "Other"})
    db.insert("stock_warehouse", {"id": 1, "name": "WH1", "company_id": 1}, {"id": 2, "name": "WH2", "company_id": 1},
              {"id": 3, "name": "WH3", "company_id": 2})
    db.insert("stock_picking_type", *[{"id": i, "name": {"en_US": "Receipts"}, "code": "incoming", "warehouse_id": i,
                                       "company_id": 1 if i < 3 else 2} for i in (1, 2, 3)])
    # executemany takes its columns from the first row: every row names the same columns
    db.insert("stock_location", *[{"id": i, "name": n, "usage": u, "warehouse_id": w, "company_id": c} for i, n, u, w, c in (
        (1, "Vendors", "supplier", None, None), (2, "Stock", "internal", 1, 1), (3, "Customers", "customer", None, None),
        (4, "Stock", "internal", 2, 1), (5, "Stock", "internal", 3, 2), (6, "Output", "internal", 1, 1))])
    db.insert("uom_uom", {"id": 1, "name": {"en_US": "Units"}, "factor": 1.0, "category_id": 1},
              {"id": 2, "name": {"en_US": "Pack of 10"}, "factor": 0.1, "category_id": 1})
    db.insert("res_partner", *[{"id": i, "name": n, "commercial_partner_id": c, "parent_id": p} for i, n, c, p in (
        (10, "Vendor A", 10, None), (11, "Vendor B", 11, None), (20, "Customer Co", 20, None),
        (21, "Customer Co, Ann", 20, 20), (22, "Other Customer", 22, None))])
    db.insert("product_template", {"id": 1, "name": {"en_US": "Bolt", "fr_FR": "Boulon"}, "categ_id": 1},
              {"id": 2, "name": {"en_US": "Nut"}, "categ_id": 1})
    db.insert("product_product", {"id": 1, "product_tmpl_id": 1}, {"id": 2, "product_tmpl_id": 2})


_move_id = iter(range(1000, 100000))


def move(line_field: str, line_id: int, qty: float, when: str, src: int, dst: int, state: str = "done",
         uom: int = 1) -> dict:
    return {"id": next(_move_id), line_field: line_id, "quantity": qty, "product_uom_qty": qty, "date": dt(when),
            "location_id": src, "location_dest_id": dst, "state": state, "product_uom": uom, "product_id": 1}


def pol(line_id: int, order_id: int, qty: float, planned: str, *, uom: int = 1, display_type=None) -> dict:
    return {"id": line_id, "order_id": order_id, "product_qty": qty, "product_uom": uom, "date_planned": dt(planned),
            "display_type": display_type, "product_id": 1, "name": f"line {line_id}"}


def purchases(db) -> None:
    """PO lines; see test_supply.py for which count where."""
    base(db)
    db.insert("purchase_order",
              {"id": 1, "name": "P00001", "partner_id": 10, "picking_type_id": 1, "company_id": 1, "state": "purchase"},
              {"id": 2, "name": "P00002", "partner_id": 11, "picking_type_id": 2, "company_id": 1, "state": "done"},
              {"id": 3, "name": "P00003", "partner_id": 10, "picking_type_id": 1, "company_id": 1, "state": "cancel"},
              {"id": 4, "name": "P00004", "partner_id": 10, "picking_type_id": 1, "company_id": 1, "state": "draft"},
              {"id": 5, "name": "P00005", "partner_id": 10, "picking_type_id": 3, "company_id": 2, "state": "purchase"})
    db.insert("purchase_order_line",
              pol(101, 1, 10, "2026-06-10 09:00"), pol(102, 1, 10, "2026-06-11 09:00"),
              pol(103, 1, 10, "2026-06-12 09:00"), pol(104, 1, 10, "2026-06-13 09:00"),
              pol(105, 1, 5, "2026-06-13 09:00", display_type="line_section"),
              pol(106, 1, 0, "2026-06-14 09:00"), pol(107, 1, 20, "2026-06-15 09:00"),
              pol(108, 1, 4, "2026-05-31 23:59:59"), pol(109, 1, 4, "2026-06-30 10:00"),
              pol(110, 1, 3, "2026-07-01 00:00"), pol(111, 1, 5, "2026-06-16 09:00"),
              pol(112, 1, 5, "2026-06-17 09:00"),
              pol(201, 2, 8, "2026-06-20 09:00"), pol(301, 3, 5, "2026-06-20 09:00"),
              pol(401, 4, 5, "2026-06-20 09:00"), pol(501, 5, 5, "2026-06-20 09:00"))
    p = "purchase_line_id"
    db.insert("stock_move",
              move(p, 101, 10, "2026-06-10 23:59:59", 1, 2),  # last second of the planned day: on time
              move(p, 102, 10, "2026-06-12 00:00:00", 1, 2),  # first second of the next day: late
              move(p, 103, 6, "2026-06-12 10:00", 1, 2),  # partial
              move(p, 104, 10, "2026-06-13 10:00", 1, 2), move(p, 104, 2, "2026-06-20 10:00", 2, 1),  # return 2
              move(p, 106, 1, "2026-06-14 10:00", 1, 2),
              move(p, 107, 2, "2026-06-15 10:00", 1, 2, uom=2),  # 2 packs of 10 = 20 units
              move(p, 111, 5, "2026-06-16 10:00", 1, 2, state="assigned"),  # not done
              move(p, 112, 5, "2026-07-01 00:00", 1, 2),  # after the end of D
              move(p, 201, 8, "2026-06-19 10:00", 1, 4),
              move(p, 301, 5, "2026-06-20 10:00", 1, 2), move(p, 401, 5, "2026-06-20 10:00", 1, 2))


def sol(line_id: int, order_id: int, qty: float, lead: float = 0.0, display_type=None) -> dict:
    return {"id": line_id, "order_id": order_id, "product_uom_qty": qty, "customer_lead": lead, "product_uom": 1,
            "display_type": display_type, "product_id": 1, "name": f"line {line_id}"}


def so(order_id: int, partner: int, wh: int, state: str = "sale", commitment: str | None = None,
       ordered: str = "2026-05-01 08:00", company: int = 1) -> dict:
    return {"id": order_id, "name": f"S{order_id:05d}", "partner_id": partner, "warehouse_id": wh, "company_id": company,
            "state": state, "commitment_date": dt(commitment) if commitment else None, "date_order": dt(ordered)}


def sales(db) -> None:
    """SO lines; see test_supply.py for which count where."""
    base(db)
    db.insert("sale_order",
              so(1, 21, 1, commitment="2026-06-10 15:00"),
              so(2, 22, 2, ordered="2026-06-05 08:00"),
              so(3, 22, 2, state="cancel", ordered="2026-06-05 08:00"),
              so(4, 22, 2, state="draft", ordered="2026-06-05 08:00"),
              so(5, 20, 1, commitment="2026-05-20 10:00"),
              so(6, 22, 3, commitment="2026-06-15 10:00", company=2),
              so(7, 22, 2, ordered="2026-05-31 00:00"))
    db.insert("sale_order_line",
              sol(101, 1, 5), sol(102, 1, 5), sol(103, 1, 5, display_type="line_note"), sol(104, 1, 4),
              sol(201, 2, 10, 3), sol(202, 2, 2, 25.5), sol(203, 2, 2, 26), sol(204, 2, 0, 1), sol(205, 2, 3, 0),
              sol(301, 3, 1, 1), sol(401, 4, 1, 1), sol(501, 5, 2), sol(601, 6, 1), sol(701, 7, 1, 1.0),
              sol(702, 7, 1, 0.5))
    s = "sale_line_id"
    db.insert("stock_move",
              move(s, 101, 5, "2026-06-10 23:59:59", 2, 3),
              move(s, 102, 5, "2026-06-11 00:00:00", 2, 3),
              move(s, 103, 5, "2026-06-10 10:00", 2, 3),
              move(s, 104, 4, "2026-06-09 10:00", 2, 6),  # pick to output: not a delivery
              move(s, 104, 4, "2026-06-10 10:00", 6, 3, state="assigned"),
              move(s, 201, 10, "2026-06-08 10:00", 4, 3), move(s, 201, 3, "2026-06-20 10:00", 3, 4),  # return 3
              move(s, 204, 1, "2026-06-06 10:00", 4, 3),
              move(s, 205, 3, "2026-06-05 09:00", 4, 3),
              move(s, 301, 1, "2026-06-06 10:00", 4, 3), move(s, 401, 1, "2026-06-06 10:00", 4, 3),
              move(s, 701, 1, "2026-06-01 12:00", 4, 3))


def stock_rules(db):
    """Reordering rules and quants; see test_supply_stock.py."""
    base(db)
    db.insert("stock_location", {"id": 7, "name": "Transit", "usage": "transit", "warehouse_id": 1, "company_id": 1})

    def op(i, wh, product, active=True, company=1):
        return {"id": i, "name": f"OP{i}", "warehouse_id": wh, "product_id": product, "active": active,
                "company_id": company, "location_id": 2, "trigger": "auto"}

    db.insert("stock_warehouse_orderpoint", op(1, 1, 1), op(2, 1, 2), op(3, 1, 3), op(4, 1, 4, active=False),
              op(5, 2, 1), op(6, 2, 2), op(7, 3, 1, company=2), op(8, 1, 5))
    quants = [(2, 1, 5), (2, 2, 3), (6, 2, -3), (7, 3, 10), (3, 3, 4), (4, 2, 2), (4, 2, -1), (5, 1, 0), (2, 5, -2)]
    db.insert("stock_quant", *[{"id": i + 1, "location_id": loc, "product_id": p, "quantity": q, "company_id": 1}
                               for i, (loc, p, q) in enumerate(quants)])


def valuation_layers(db):
    """Valuation layers for inventory turns; see test_supply_stock.py."""
    base(db)
    db.insert("stock_move",
              {"id": 1, "location_id": 1, "location_dest_id": 2, "state": "done"},  # receipt
              {"id": 2, "location_id": 2, "location_dest_id": 3, "state": "done"},  # delivery
              {"id": 3, "location_id": 3, "location_dest_id": 2, "state": "done"})  # customer return

    def layer(i, when, value, move_id=None, company=1):
        return {"id": i, "create_date": dt(when), "value": value, "stock_move_id": move_id, "company_id": company,
                "product_id": 1, "quantity": 1}

    db.insert("stock_valuation_layer",
              layer(1, "2025-06-01 10:00", 1000, 1), layer(2, "2026-03-01 10:00", 300, 1),
              layer(3, "2026-06-15 10:00", -200, 2), layer(4, "2026-06-20 10:00", 50, 3),
              layer(5, "2025-06-30 23:59:59", -100, 2), layer(6, "2025-07-01 00:00:00", -40, 2),
              layer(7, "2026-07-01 00:00:00", -500, 2), layer(8, "2026-06-30 23:59:59", -10),
              layer(9, "2026-05-31 23:59:59", 999, 1, company=2))
