"""The supply chain pages' own queries (a vendor's scope check, its lead times) on hand-built rows, and the
numbers that agree: the vendor rows of the OTIF heat map equal ``supplier_otif`` per partner from the ``kpis``
command, and its weeks pool to those rows. SQLite and PostgreSQL, Odoo 17 and 18 (the ``odoo_db`` fixture)."""
import contextlib
import io
import json
from datetime import date

import pytest

from dashboard.cli import main
from dashboard.formats import fmt_value
from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from dashboard.views.plant import index_results
from dashboard.views.supply import vendor_heatmap, vendor_order, week_columns
from data_access.context import QueryContext
from data_access.queries import supply_pages
from helpers.odoo_db import dt
from helpers.supply_rows import JUNE, JUNE_ALL, base, move, pol, purchases


def _po(order_id, partner, picking_type, company, state="purchase", approved="2026-06-01 08:00"):
    return {"id": order_id, "name": f"P{order_id:05d}", "partner_id": partner, "picking_type_id": picking_type,
            "company_id": company, "state": state, "date_approve": dt(approved) if approved else None}


def lead_rows(db) -> None:
    """Vendor 10: P1 (WH1, confirmed 1 June 08:00, first receipt 4 June 08:00 = 3.0 d; a move not done on 2 June
    does not count), P2 (WH2, first received 30 May: before P), P3 (cancelled), P4 (company 2, 10.0 d), P6 (no
    date_approve), P7 (received 1 July: after P). Vendor 11: P5, company 2 only."""
    base(db)
    db.insert("purchase_order", _po(1, 10, 1, 1), _po(2, 10, 2, 1, approved="2026-05-20 00:00"), _po(3, 10, 1, 1, "cancel"),
              _po(4, 10, 3, 2), _po(5, 11, 3, 2), _po(6, 10, 1, 1, approved=None), _po(7, 10, 1, 1, "done"))
    db.insert("purchase_order_line", pol(101, 1, 5, "2026-06-03 09:00"), pol(102, 1, 5, "2026-06-03 09:00"),
              pol(201, 2, 5, "2026-05-30 09:00"), pol(301, 3, 5, "2026-06-03 09:00"), pol(401, 4, 5, "2026-06-03 09:00"),
              pol(501, 5, 5, "2026-06-03 09:00"), pol(601, 6, 5, "2026-06-03 09:00"), pol(701, 7, 5, "2026-06-03 09:00"))
    p = "purchase_line_id"
    db.insert("stock_move", move(p, 101, 5, "2026-06-02 08:00", 1, 2, state="assigned"),
              move(p, 101, 5, "2026-06-04 08:00", 1, 2), move(p, 102, 5, "2026-06-06 08:00", 1, 2),
              move(p, 201, 2, "2026-05-30 12:00", 1, 4), move(p, 201, 3, "2026-06-10 12:00", 1, 4),
              move(p, 301, 5, "2026-06-04 08:00", 1, 2), move(p, 401, 5, "2026-06-11 08:00", 1, 5),
              move(p, 501, 5, "2026-06-11 08:00", 1, 5), move(p, 601, 5, "2026-06-11 08:00", 1, 2),
              move(p, 701, 5, "2026-07-01 00:00", 1, 2))


def test_vendor_lead_times_from_confirmation_to_first_receipt(odoo_db):
    lead_rows(odoo_db)
    run = odoo_db.replica.run
    rows = run(supply_pages.vendor_lead_times, JUNE, partner_id=10)
    assert [(r["order_name"], r["lead_days"]) for r in rows] == [("P00001", pytest.approx(3.0))]
    assert rows[0]["first_receipt"] == dt("2026-06-04 08:00") and rows[0]["date_approve"] == dt("2026-06-01 08:00")
    everywhere = run(supply_pages.vendor_lead_times, JUNE_ALL, partner_id=10)
    assert [(r["order_id"], r["lead_days"]) for r in everywhere] == [(1, pytest.approx(3.0)), (4, pytest.approx(10.0))]
    wh2 = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(2,))
    assert run(supply_pages.vendor_lead_times, wh2, partner_id=10) == []
    assert run(supply_pages.vendor_lead_times, JUNE, partner_id=11) == []


def test_vendor_has_orders_in_scope_only(odoo_db):
    lead_rows(odoo_db)
    run = odoo_db.replica.run
    assert run(supply_pages.vendor_has_orders, JUNE, partner_id=10)
    assert not run(supply_pages.vendor_has_orders, JUNE, partner_id=11)  # company 2 only
    assert run(supply_pages.vendor_has_orders, JUNE_ALL, partner_id=11)
    assert not run(supply_pages.vendor_has_orders, JUNE_ALL, partner_id=20)  # a customer
    wh3 = QueryContext(JUNE.start, JUNE.end, warehouse_ids=(3,))
    assert run(supply_pages.vendor_has_orders, wh3, partner_id=11)
    assert not run(supply_pages.vendor_has_orders, QueryContext(JUNE.start, JUNE.end, warehouse_ids=(2,)), partner_id=11)


AS_OF = date(2026, 6, 28)  # a Sunday: the 91 days are exactly 13 ISO weeks
DAYS = 91


def _command(url: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", "--db-url", url, "--as-of", AS_OF.isoformat(), "--days", str(DAYS)]) == 0
    return {r["scope"]["partner_id"]: r for r in json.loads(out.getvalue())["results"]
            if r["kpi"] == "supplier_otif" and "partner_id" in r["scope"]}


def test_vendor_rows_of_the_heat_map_equal_the_kpis_command(odoo_db):
    purchases(odoo_db)
    command = _command(odoo_db.url)
    cat = Catalogue()
    ctx = Period(AS_OF, DAYS).context(None, None, "en_US")
    # what the page reads (service_supply.vendor_period / vendor_weeks), from the same engine
    period = [r.as_dict() for r in evaluate(odoo_db.replica, ctx, cat, kpis=("supplier_otif", "late_po_lines"),
                                            scope_kinds=("partner",))]
    weekly = [r.as_dict() for r in evaluate(odoo_db.replica, ctx, cat, kpis=("supplier_otif",), scope_kinds=("partner",),
                                            bucket="week")]
    per_vendor = index_results(period, "partner", ("supplier_otif", "late_po_lines"))
    vendors = vendor_order(per_vendor, {10: {"name": "Vendor A"}, 11: {"name": "Vendor B"}})
    weeks = week_columns(AS_OF, 13)
    fig = vendor_heatmap(vendors, weeks, weekly, per_vendor, cat, {})
    text = fig["data"][0]["text"]
    with_value = {pid for pid, r in command.items() if r["value"] is not None}
    assert with_value == {10, 11}
    for row, (pid, _) in enumerate(vendors):
        want = command.get(pid, {"value": None})["value"]
        assert text[row][0] == ("" if want is None else fmt_value(want, "ratio")), pid
        assert (per_vendor.get(("supplier_otif", pid)) or {}).get("value") == (None if want is None else pytest.approx(want))
    values = [command[pid]["value"] for pid, _ in vendors if pid in with_value]
    assert values == sorted(values)  # worst first
    # the weeks pool to the vendor's row: same lines, same OTIF lines
    for pid in with_value:
        parts = per_vendor[("supplier_otif", pid)]["parts"]
        mine = [r for r in weekly if r["scope_id"] == pid and r["kpi"] == "supplier_otif"]
        assert {r["bucket"] for r in mine} <= set(weeks)
        assert sum(r["parts"]["lines"] for r in mine) == parts["lines"]
        assert sum(r["parts"]["otif_lines"] for r in mine) == parts["otif_lines"]


def runout_rows(db) -> None:
    """Rules at WH1 (location 2) unless said. Consumption in June 2026 (30 days), lead from purchase lines:
    OP1 product 1: 30 on hand, 60 delivered (2/day) -> 15 days; lead 20 d -> at risk, runs out 15 July.
    OP2 product 2: 100 on hand, 30 consumed by production (1/day) -> 100 d; lead 20 d -> safe.
    OP3 product 1 at WH2 (location 4): 10 on hand, 3 packs of 10 delivered (1/day) -> 10 d -> at risk.
    OP4 product 1 at WH1 inactive; OP5 product 2 at WH2: nothing on hand (a stockout, not a projection).
    Moves that do not count: internal transfer 2 -> 6, a receipt, a move not done, a delivery in May."""
    base(db)
    db.insert("stock_location", {"id": 8, "name": "Production", "usage": "production", "warehouse_id": None,
                                 "company_id": 1})

    def op(i, wh, product, active=True):
        return {"id": i, "name": f"OP{i}", "warehouse_id": wh, "product_id": product, "active": active,
                "company_id": 1, "location_id": 2, "trigger": "auto"}

    db.insert("stock_warehouse_orderpoint", op(1, 1, 1), op(2, 1, 2), op(3, 2, 1), op(4, 1, 1, active=False), op(5, 2, 2))
    db.insert("stock_quant", *[{"id": i + 1, "location_id": loc, "product_id": p, "quantity": q, "company_id": 1}
                               for i, (loc, p, q) in enumerate(((2, 1, 30), (2, 2, 100), (4, 1, 10), (4, 2, 0)))])

    def mv(i, product, qty, when, src, dst, state="done", uom=1):
        return {"id": i, "product_id": product, "quantity": qty, "product_uom_qty": qty, "date": dt(when),
                "location_id": src, "location_dest_id": dst, "state": state, "product_uom": uom}

    db.insert("stock_move", mv(1, 1, 60, "2026-06-10 10:00", 2, 3), mv(2, 2, 30, "2026-06-11 10:00", 2, 8),
              mv(3, 1, 3, "2026-06-12 10:00", 4, 3, uom=2), mv(4, 1, 500, "2026-06-12 10:00", 2, 6),
              mv(5, 1, 500, "2026-06-12 10:00", 1, 2), mv(6, 1, 500, "2026-06-13 10:00", 2, 3, state="assigned"),
              mv(7, 1, 500, "2026-05-20 10:00", 2, 3))
    db.insert("purchase_order", _po(1, 10, 1, 1, approved="2026-04-01 00:00"), _po(2, 10, 1, 1, approved="2026-05-01 00:00"))
    db.insert("purchase_order_line", pol(101, 1, 5, "2026-04-21 00:00"), dict(pol(201, 2, 5, "2026-05-21 00:00"), product_id=2))


def test_runout_risk_projects_on_hand_over_the_last_30_days_consumption(odoo_db):
    runout_rows(odoo_db)
    rows = odoo_db.replica.run(supply_pages.runout_risk, JUNE)
    assert [r["orderpoint_id"] for r in rows] == [3, 1]  # soonest first
    by_id = {r["orderpoint_id"]: r for r in rows}
    assert by_id[1]["daily"] == pytest.approx(2.0) and by_id[1]["lead_days"] == pytest.approx(20.0)
    assert by_id[1]["runout_days"] == pytest.approx(15.0) and by_id[1]["runout_date"] == "2026-07-15"
    assert by_id[3]["daily"] == pytest.approx(1.0) and by_id[3]["runout_date"] == "2026-07-10"
    assert by_id[3]["product_name"] == "Bolt" and by_id[3]["warehouse_name"] == "WH2"
    wh1 = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(1,))
    assert [r["orderpoint_id"] for r in odoo_db.replica.run(supply_pages.runout_risk, wh1)] == [1]
    assert odoo_db.replica.run(supply_pages.runout_risk, QueryContext(JUNE.start, JUNE.end, company_ids=(2,))) == []


def waiting_rows(db) -> None:
    """Product 1 (Bolt) is awaited by MO 1 (WH1, open, two component moves of 4 and 6 not done), MO 5 (WH2) and
    sale order 1 (WH1, 10 ordered, 4 delivered); not by MO 2 (done), MO 3 (its move done), MO 4 (another
    product), sale order 2 (delivered in full), sale order 3 (a quotation) or sale order 4 (company 2)."""
    base(db)

    def mo(i, state, deadline, picking_type=1, company=1):
        return {"id": i, "name": f"MO{i}", "state": state, "date_deadline": dt(deadline) if deadline else None,
                "date_start": dt("2026-06-20 08:00"), "picking_type_id": picking_type, "company_id": company,
                "product_id": 2, "product_qty": 1}

    db.insert("mrp_production", mo(1, "confirmed", "2026-07-03 10:00"), mo(2, "done", "2026-07-01 10:00"),
              mo(3, "progress", "2026-07-02 10:00"), mo(4, "confirmed", "2026-07-02 10:00"),
              mo(5, "progress", None, picking_type=2))

    def raw(i, mo_id, qty, product=1, state="confirmed"):
        return {"id": i, "raw_material_production_id": mo_id, "product_id": product, "product_uom_qty": qty,
                "quantity": 0, "state": state, "product_uom": 1, "location_id": 2, "location_dest_id": 8,
                "date": dt("2026-06-20 08:00")}

    db.insert("stock_move", raw(1, 1, 4), raw(2, 1, 6), raw(3, 2, 5, state="done"), raw(4, 3, 5, state="done"),
              raw(5, 4, 5, product=2), raw(6, 5, 2, state="assigned"))

    def order(i, state, wh=1, company=1):
        return {"id": i, "name": f"S{i}", "state": state, "warehouse_id": wh, "company_id": company, "partner_id": 20,
                "commitment_date": dt("2026-07-05 10:00") if i == 1 else None, "date_order": dt("2026-06-01 10:00")}

    db.insert("sale_order", order(1, "sale"), order(2, "sale"), order(3, "draft"), order(4, "sale", wh=3, company=2))

    def line(i, order_id, qty, delivered):
        return {"id": i, "order_id": order_id, "product_id": 1, "product_uom_qty": qty, "qty_delivered": delivered,
                "product_uom": 1, "display_type": None, "name": f"line {i}", "customer_lead": 0}

    db.insert("sale_order_line", line(1, 1, 10, 4), line(2, 2, 5, 5), line(3, 3, 5, 0), line(4, 4, 5, 0))


def test_waiting_on_products_lists_open_mos_and_sale_orders(odoo_db):
    waiting_rows(odoo_db)
    run = odoo_db.replica.run
    rows = run(supply_pages.waiting_on_products, JUNE, product_ids=[1])
    assert [(r["model"], r["name"], r["qty"], r["warehouse_id"]) for r in rows] == [
        ("mrp.production", "MO5", 2.0, 2), ("mrp.production", "MO1", 10.0, 1), ("sale.order", "S1", 6.0, 1)]
    assert rows[0]["due"] == dt("2026-06-20 08:00") and rows[2]["due"] == dt("2026-07-05 10:00")
    wh1 = QueryContext(JUNE.start, JUNE.end, company_ids=(1,), warehouse_ids=(1,))
    assert [r["name"] for r in run(supply_pages.waiting_on_products, wh1, product_ids=[1])] == ["MO1", "S1"]
    everywhere = [r["name"] for r in run(supply_pages.waiting_on_products, JUNE_ALL, product_ids=["1"])]
    assert everywhere == ["S4", "MO5", "MO1", "S1"]  # S4: no commitment date, ordered 1 June
    assert run(supply_pages.waiting_on_products, JUNE, product_ids=[]) == []
    with pytest.raises(ValueError):
        run(supply_pages.waiting_on_products, JUNE, product_ids=["1; drop"])
