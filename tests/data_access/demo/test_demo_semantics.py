"""Values respect Odoo's semantics: selection keys, default loss records, modules, 17/18 differences,
balanced invoices, done quantities, translated names."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select

SELECTIONS = {
    ("stock_location", "usage"): {"internal", "supplier", "customer", "production", "inventory", "view", "transit"},
    ("stock_picking_type", "code"): {"incoming", "outgoing", "internal", "mrp_operation"},
    ("mrp_production", "state"): {"draft", "confirmed", "progress", "to_close", "done", "cancel"},
    ("mrp_workorder", "state"): {"pending", "waiting", "ready", "progress", "done", "cancel"},
    ("purchase_order", "state"): {"draft", "sent", "to approve", "purchase", "done", "cancel"},
    ("sale_order", "state"): {"draft", "sent", "sale", "cancel"},
    ("stock_move", "state"): {"draft", "waiting", "confirmed", "partially_available", "assigned", "done", "cancel"},
    ("stock_picking", "state"): {"draft", "waiting", "confirmed", "assigned", "done", "cancel"},
    ("account_move", "move_type"): {"entry", "out_invoice", "out_refund", "in_invoice", "in_refund", "out_receipt",
                                    "in_receipt"},
    ("account_move", "state"): {"draft", "posted", "cancel"},
    ("account_move", "payment_state"): {"not_paid", "in_payment", "paid", "partial", "reversed", "invoicing_legacy"},
    ("account_move_line", "display_type"): {"product", "cogs", "tax", "discount", "rounding", "payment_term",
                                            "line_section", "line_note", "epd"},
    ("mrp_workcenter_productivity", "loss_type"): {"availability", "performance", "quality", "productive"},
    ("stock_scrap", "state"): {"draft", "done"},
    ("purchase_order_line", "display_type"): {None, "line_section", "line_note"},
}


def _values(conn, table, col):
    return {v for (v,) in conn.execute(select(table.c[col]).distinct())}


def test_selection_columns_hold_odoo_keys(demo):
    with demo.engine.connect() as conn:
        for (t, c), allowed in SELECTIONS.items():
            values = _values(conn, demo.schema.table(t), c) - ({None} if (t, c) != ("purchase_order_line", "display_type") else set())
            assert values and values <= allowed, (t, c, values - allowed)
        s = demo.schema
        # the story has cancelled, draft and in-flight records too
        assert {"done", "cancel", "draft", "progress", "confirmed"} <= _values(conn, s.mrp_production, "state")
        assert {"done", "progress", "pending", "ready", "cancel"} <= _values(conn, s.mrp_workorder, "state")
        assert {"purchase", "done", "cancel", "draft"} <= _values(conn, s.purchase_order, "state")
        assert {"sale", "cancel", "draft"} <= _values(conn, s.sale_order, "state")
        assert {"out_invoice", "out_refund"} == _values(conn, s.account_move, "move_type")
        assert {"line_section", None} <= _values(conn, s.purchase_order_line, "display_type")


def test_odoo_default_losses_and_time_logs(demo):
    s = demo.schema
    loss, ltype, prod = s.mrp_workcenter_productivity_loss, s.mrp_workcenter_productivity_loss_type, \
        s.mrp_workcenter_productivity
    with demo.engine.connect() as conn:
        names = {r.name["en_US"]: (r.loss_type, r.lt) for r in conn.execute(
            select(loss.c.name, loss.c.loss_type, ltype.c.loss_type.label("lt")).join(ltype, ltype.c.id == loss.c.loss_id))}
        assert names == {"Material Availability": ("availability",) * 2, "Equipment Failure": ("availability",) * 2,
                         "Setup and Adjustments": ("availability",) * 2, "Reduced Speed": ("performance",) * 2,
                         "Process Defect": ("quality",) * 2, "Reduced Yield": ("quality",) * 2,
                         "Fully Productive Time": ("productive",) * 2}
        mismatched = conn.execute(select(func.count()).select_from(prod.join(loss, loss.c.id == prod.c.loss_id))
                                  .where(prod.c.loss_type != loss.c.loss_type)).scalar_one()
        assert mismatched == 0
        open_logs = conn.execute(select(func.count()).where(prod.c.date_end.is_(None))).scalar_one()
        assert open_logs >= 1
        bad = conn.execute(select(func.count()).where(prod.c.date_end.is_not(None), prod.c.duration <= 0)).scalar_one()
        assert bad == 0


def test_installed_apps_of_the_enterprise_edition(demo):
    m = demo.schema.ir_module_module
    with demo.engine.connect() as conn:
        rows = {r.name: r for r in conn.execute(select(m.c.name, m.c.state, m.c.latest_version))}
    for app in ("base", "product", "uom", "stock", "stock_account", "mrp", "purchase", "purchase_stock", "sale",
                "sale_stock", "account", "maintenance"):
        assert rows[app].state == "installed" and rows[app].latest_version.startswith("17.0."), app
    assert rows["base"].latest_version == "17.0.1.3"
    for app in ("quality", "quality_control", "web_enterprise"):  # the default demo runs Enterprise quality
        assert rows[app].state == "installed", app


def test_storable_products_17(demo_sqlite):
    pt = demo_sqlite.schema.product_template
    with demo_sqlite.engine.connect() as conn:
        rows = list(conn.execute(select(pt.c.type, pt.c.detailed_type, pt.c.name)))
    assert rows and all(r.type == "product" and r.detailed_type == "product" for r in rows)
    assert all(set(r.name) == {"en_US", "de_DE"} for r in rows)


@pytest.mark.pg
def test_storable_products_and_jsonb_cost_18(demo_pg18):
    s = demo_pg18.schema
    assert not s.has_column("product_template", "detailed_type")
    with demo_pg18.engine.connect() as conn:
        rows = list(conn.execute(select(s.product_template.c.type, s.product_template.c.is_storable)))
        costs = list(conn.execute(select(s.product_product.c.standard_price)))
        base = conn.execute(select(s.ir_module_module.c.latest_version)
                            .where(s.ir_module_module.c.name == "base")).scalar_one()
        codes = conn.execute(select(func.count()).select_from(s.account_account_res_company_rel)).scalar_one()
    assert rows and all(r.type == "consu" and r.is_storable for r in rows)
    # one cost per company (3: the USD sales office of KPIS.md v2)
    assert all(set(c.standard_price) == {"1", "2", "3"} and c.standard_price["1"] > 0 for c in costs)
    assert base == "18.0.1.3" and codes > 0
    assert demo_pg18.stats["rows"]["mrp_production"] > 1500


def test_done_moves_carry_their_done_quantity(demo):
    sm, mo = demo.schema.stock_move, demo.schema.mrp_production
    with demo.engine.connect() as conn:
        bad = conn.execute(select(func.count()).where(sm.c.state == "done", sm.c.quantity != sm.c.product_uom_qty)
                           ).scalar_one()
        assert bad == 0
        # every done MO has a done finished move of its product for its quantity
        produced = dict(conn.execute(select(sm.c.production_id, func.sum(sm.c.quantity)).where(
            sm.c.state == "done", sm.c.production_id.is_not(None), sm.c.scrapped.is_(False)).group_by(sm.c.production_id)).all())
        done = list(conn.execute(select(mo.c.id, mo.c.product_qty).where(mo.c.state == "done")))
    assert done and all(abs(produced[i] - q) < 1e-6 for i, q in done)


def test_mo_operation_types_are_their_plants_manufacturing_type(demo):
    s = demo.schema
    mo, pt = s.mrp_production, s.stock_picking_type
    with demo.engine.connect() as conn:
        rows = list(conn.execute(select(pt.c.code, pt.c.warehouse_id, func.count()).select_from(
            mo.join(pt, pt.c.id == mo.c.picking_type_id)).group_by(pt.c.code, pt.c.warehouse_id)))
        no_deadline = conn.execute(select(func.count()).where(mo.c.date_deadline.is_(None))).scalar_one()
    assert {r.code for r in rows} == {"mrp_operation"} and {r.warehouse_id for r in rows} == {1, 2, 3}
    assert no_deadline == 0


def test_invoices_balance_and_carry_their_residual(demo):
    s = demo.schema
    am, aml = s.account_move, s.account_move_line
    with demo.engine.connect() as conn:
        lines = list(conn.execute(select(aml.c.move_id, aml.c.display_type, aml.c.balance, aml.c.debit, aml.c.credit,
                                         aml.c.amount_residual)))
        moves = {r.id: r for r in conn.execute(select(am.c.id, am.c.move_type, am.c.amount_total,
                                                      am.c.amount_residual_signed, am.c.amount_total_signed))}
    total, residual = defaultdict(float), defaultdict(float)
    for l in lines:
        total[l.move_id] += l.balance
        assert abs(l.balance - (l.debit - l.credit)) < 0.005
        sign = 1 if moves[l.move_id].move_type == "out_invoice" else -1
        if l.display_type == "product":
            assert sign * l.balance < 0
        if l.display_type == "payment_term":
            residual[l.move_id] += l.amount_residual
    assert all(abs(v) < 0.011 for v in total.values())
    for mid, m in moves.items():
        assert abs(residual[mid] - m.amount_residual_signed) < 0.011
        assert (m.amount_total_signed > 0) == (m.move_type == "out_invoice")


def test_valuation_layers_follow_the_moves(demo):
    s = demo.schema
    svl, sm, loc = s.stock_valuation_layer, s.stock_move, s.stock_location
    dest = loc.alias("dest")
    src = loc.alias("src")
    with demo.engine.connect() as conn:
        rows = list(conn.execute(select(src.c.usage.label("src"), dest.c.usage.label("dst"), func.min(svl.c.value),
                                        func.max(svl.c.value), func.count()).select_from(
            svl.join(sm, sm.c.id == svl.c.stock_move_id).join(src, src.c.id == sm.c.location_id)
            .join(dest, dest.c.id == sm.c.location_dest_id)).group_by(src.c.usage, dest.c.usage)))
    by = {(r.src, r.dst): r for r in rows}
    assert by[("supplier", "internal")][2] > 0          # receipts: positive value
    assert by[("internal", "customer")][3] < 0          # deliveries: negative value
    assert all((r[2] > 0) == (r.dst == "internal") for r in rows)


def test_history_spans_thirteen_months_to_today(demo):
    TODAY = demo.today
    s = demo.schema
    with demo.engine.connect() as conn:
        first, last = conn.execute(select(func.min(s.sale_order.c.date_order), func.max(s.sale_order.c.date_order))).one()
        last_done = conn.execute(select(func.max(s.stock_move.c.date)).where(s.stock_move.c.state == "done")).scalar_one()
    assert first.date() <= TODAY - timedelta(days=395) and last.date() == TODAY
    assert last_done.date() == TODAY


def test_companies_keep_their_books_in_their_own_currency(demo):
    # Both German GmbHs (Stuttgart, Neuss) keep their books in EUR, the Atlanta centre included. Since KPI
    # contract v2 a third company, the USD sales office (invoices only), keeps its books in USD, so one
    # customer and one product span two currencies; every other document stays in EUR.
    from dashboard.kpis.period import Period
    from data_access.engine import Replica
    from data_access.queries.dimensions import companies

    replica = Replica(demo.url)
    try:
        rows = replica.run(companies, Period(demo.today, 30).context())
    finally:
        replica.dispose()
    assert {cid: (r["currency"], r["currency_symbol"]) for cid, r in rows.items()} == {
        1: ("EUR", "€"), 2: ("EUR", "€"), 3: ("USD", "$")}
    s = demo.schema
    with demo.engine.connect() as conn:
        for table in (s.sale_order, s.purchase_order):
            assert _values(conn, table, "currency_id") == {1}, table.name
        usd = {r.company_id for r in conn.execute(select(s.account_move.c.company_id).where(s.account_move.c.currency_id == 2))}
        assert _values(conn, s.account_move, "currency_id") == {1, 2} and usd == {3}
        assert _values(conn, s.account_move_line, "company_currency_id") == {1, 2}
