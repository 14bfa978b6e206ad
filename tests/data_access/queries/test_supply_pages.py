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
