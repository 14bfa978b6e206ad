"""The seeded story shows in simple aggregates (the KPI formulas of KPIS.md, recomputed by hand here):
late vendor, breakdown work center, scrap excursion traced to a vendor lot, poor-margin family,
seasonal demand, overdue receivables, stockouts."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from data_access.demo import STORY

LATE_VENDOR, BREAKDOWN_WC = STORY["late_vendor_id"], STORY["breakdown_workcenter_id"]


def _day_end(d: datetime) -> datetime:
    return datetime.combine(d.date() + timedelta(days=1), time())


def test_late_vendor_has_the_lowest_otif_and_most_late_lines(demo):
    s = demo.schema
    po, pol, sm, loc = s.purchase_order, s.purchase_order_line, s.stock_move, s.stock_location
    end_of_today = datetime.combine(demo.today + timedelta(days=1), time())
    with demo.engine.connect() as conn:
        lines = list(conn.execute(select(pol.c.id, po.c.partner_id, pol.c.product_qty, pol.c.date_planned)
                                  .join(po, po.c.id == pol.c.order_id)
                                  .where(po.c.state.in_(("purchase", "done")), pol.c.display_type.is_(None),
                                         pol.c.product_qty > 0, pol.c.date_planned < end_of_today)))
        moves = list(conn.execute(select(sm.c.purchase_line_id, sm.c.quantity, sm.c.date, loc.c.usage)
                                  .join(loc, loc.c.id == sm.c.location_dest_id)
                                  .where(sm.c.state == "done", sm.c.purchase_line_id.is_not(None))))
    by_line = defaultdict(list)
    for m in moves:
        by_line[m.purchase_line_id].append((m.date, -m.quantity if m.usage == "supplier" else m.quantity))
    otif, late, total = defaultdict(int), defaultdict(int), defaultdict(int)
    for l in lines:
        total[l.partner_id] += 1
        on_time = sum(q for d, q in by_line[l.id] if d < _day_end(l.date_planned))
        otif[l.partner_id] += on_time >= l.product_qty
        if l.date_planned.date() < demo.today and sum(q for d, q in by_line[l.id] if d < end_of_today) < l.product_qty:
            late[l.partner_id] += 1
    rate = {v: otif[v] / total[v] for v in total if total[v] >= 20}
    assert len(rate) >= 10                        # ten vendors and the intercompany supplier
    assert min(rate, key=rate.get) == LATE_VENDOR
    assert rate[LATE_VENDOR] < 0.3 and sorted(rate.values())[1] > 0.75
    assert max(late, key=late.get) == LATE_VENDOR
    # partial receipts (backorders) and returns to the vendor
    assert sum(1 for l in lines if l.partner_id == LATE_VENDOR and len(by_line[l.id]) >= 2) >= 5
    assert any(q < 0 for l in lines if l.partner_id == LATE_VENDOR for _d, q in by_line[l.id])


def test_breakdown_work_center_has_most_downtime_and_lowest_oee(demo):
    s = demo.schema
    log, wo, mo, pt = s.mrp_workcenter_productivity, s.mrp_workorder, s.mrp_production, s.stock_picking_type
    start = datetime.combine(demo.today - timedelta(days=29), time())
    end = datetime.combine(demo.today + timedelta(days=1), time())
    with demo.engine.connect() as conn:
        logs = list(conn.execute(select(log.c.workcenter_id, log.c.loss_type, func.sum(log.c.duration))
                                 .where(log.c.date_end.is_not(None), log.c.date_start >= start, log.c.date_start < end)
                                 .group_by(log.c.workcenter_id, log.c.loss_type)))
        perf = {w: e / d for w, e, d in conn.execute(
            select(wo.c.workcenter_id, func.sum(wo.c.duration_expected), func.sum(wo.c.duration))
            .where(wo.c.state == "done", wo.c.date_finished >= start, wo.c.date_finished < end)
            .group_by(wo.c.workcenter_id))}
        sites = set(conn.execute(select(pt.c.warehouse_id).select_from(wo.join(mo, mo.c.id == wo.c.production_id)
                                 .join(pt, pt.c.id == mo.c.picking_type_id)).where(wo.c.workcenter_id == BREAKDOWN_WC))
                    .scalars())
    down, run, all_min = defaultdict(float), defaultdict(float), defaultdict(float)
    for w, lt, minutes in logs:
        all_min[w] += minutes
        down[w] += minutes if lt == "availability" else 0
        run[w] += minutes if lt in ("productive", "performance") else 0
    oee = {w: run[w] / all_min[w] * min(1.0, perf[w]) for w in perf if all_min[w]}
    assert len(oee) >= 12                                   # every work center is used
    assert max(down, key=down.get) == BREAKDOWN_WC and down[BREAKDOWN_WC] > 2 * sorted(down.values())[-2]
    assert min(oee, key=oee.get) == BREAKDOWN_WC and oee[BREAKDOWN_WC] < 0.7
    assert sorted(oee.values())[1] > 0.75
    assert sites == {STORY["breakdown_warehouse_id"]}


def test_scrap_excursion_is_traced_to_one_vendor_lot(demo):
    s = demo.schema
    sc, lot, ml, sm, pol, po = s.stock_scrap, s.stock_lot, s.stock_move_line, s.stock_move, s.purchase_order_line, \
        s.purchase_order
    with demo.engine.connect() as conn:
        scraps = list(conn.execute(select(sc.c.lot_id, sc.c.date_done, sc.c.production_id, sc.c.workorder_id,
                                          sc.c.product_id, lot.c.product_id.label("lot_product"))
                                   .join(lot, lot.c.id == sc.c.lot_id)))
        lot_ids = {r.lot_id for r in scraps}
        vendors = set(conn.execute(select(po.c.partner_id).select_from(
            ml.join(sm, sm.c.id == ml.c.move_id).join(pol, pol.c.id == sm.c.purchase_line_id)
            .join(po, po.c.id == pol.c.order_id)).where(ml.c.lot_id.in_(lot_ids), sm.c.state == "done")).scalars())
    assert len(scraps) >= 5 and len(lot_ids) == 1
    assert all(r.production_id and r.workorder_id and r.product_id == r.lot_product for r in scraps)
    assert {r.product_id for r in scraps} == {excursion_component(demo)}
    days = sorted(r.date_done for r in scraps)
    assert timedelta(days=10) <= days[-1] - days[0] <= timedelta(days=21)
    assert vendors == {STORY["excursion_vendor_id"]}


def excursion_component(demo) -> int:
    pt = demo.schema.product_template
    with demo.engine.connect() as conn:
        names = {r.id: r.name["en_US"] for r in conn.execute(select(pt.c.id, pt.c.name))}
    return next(i for i, n in names.items() if n == "Brake Caliper Housing Casting")


def _fpy(conn, s, warehouse: int, start: datetime, end: datetime) -> float:
    mo, sm, sc, pt = s.mrp_production, s.stock_move, s.stock_scrap, s.stock_picking_type
    scope = [mo.c.state == "done", mo.c.date_finished >= start, mo.c.date_finished < end, pt.c.warehouse_id == warehouse]
    produced = conn.execute(select(func.sum(sm.c.quantity)).select_from(
        sm.join(mo, mo.c.id == sm.c.production_id).join(pt, pt.c.id == mo.c.picking_type_id))
        .where(*scope, sm.c.state == "done", sm.c.product_id == mo.c.product_id, sm.c.scrapped.is_(False))).scalar_one()
    scrapped = conn.execute(select(func.coalesce(func.sum(sc.c.scrap_qty), 0)).select_from(
        sc.join(mo, mo.c.id == sc.c.production_id).join(pt, pt.c.id == mo.c.picking_type_id))
        .where(*scope, sc.c.state == "done", sc.c.product_id == mo.c.product_id)).scalar_one()
    return (produced - scrapped) / produced


def test_first_pass_yield_of_the_plant_dips_during_the_excursion(demo):
    s = demo.schema
    with demo.engine.connect() as conn:
        window = list(conn.execute(select(s.stock_scrap.c.date_done).where(s.stock_scrap.c.lot_id.is_not(None))).scalars())
        lo, hi = min(window), max(window)
        during = _fpy(conn, s, STORY["excursion_warehouse_id"], lo, hi)
        before = _fpy(conn, s, STORY["excursion_warehouse_id"], lo - timedelta(days=120), lo - timedelta(days=7))
        other_plant = _fpy(conn, s, 3, lo, hi)
    assert during < 0.95 and before > 0.98 and other_plant > 0.98


def test_cable_harnesses_have_the_poorest_gross_margin(demo):
    s = demo.schema
    aml, am, pt, svl, sm, loc = s.account_move_line, s.account_move, s.product_template, s.stock_valuation_layer, \
        s.stock_move, s.stock_location
    with demo.engine.connect() as conn:
        revenue = dict(conn.execute(select(pt.c.categ_id, -func.sum(aml.c.balance)).select_from(
            aml.join(am, am.c.id == aml.c.move_id).join(pt, pt.c.id == aml.c.product_id))
            .where(aml.c.display_type == "product", am.c.state == "posted",
                   am.c.move_type.in_(("out_invoice", "out_refund")))
            .group_by(pt.c.categ_id)).all())
        cogs = dict(conn.execute(select(svl.c.categ_id, -func.sum(svl.c.value)).select_from(
            svl.join(sm, sm.c.id == svl.c.stock_move_id).join(loc, loc.c.id == sm.c.location_dest_id))
            .where(loc.c.usage == "customer").group_by(svl.c.categ_id)).all())
    margin = {c: (revenue[c] - cogs[c]) / revenue[c] for c in revenue}
    assert min(margin, key=margin.get) == STORY["poor_margin_category_id"]
    assert 0 < margin[STORY["poor_margin_category_id"]] < 0.08
    assert all(m > 0.2 for c, m in margin.items() if c != STORY["poor_margin_category_id"])


def test_demand_is_seasonal(demo):
    so = demo.schema.sale_order
    with demo.engine.connect() as conn:
        dates = list(conn.execute(select(so.c.date_order).where(so.c.state == "sale")).scalars())
    per_month = defaultdict(int)
    for d in dates:
        per_month[d.month] += 1
    assert per_month[4] > 1.5 * per_month[8] and per_month[10] > 1.4 * per_month[7]


def test_overdue_receivables_and_stockouts(demo):
    s = demo.schema
    am, rp = s.account_move, s.res_partner
    with demo.engine.connect() as conn:
        overdue = list(conn.execute(select(am.c.company_id, rp.c.name, func.sum(am.c.amount_residual_signed))
                                    .join(rp, rp.c.id == am.c.commercial_partner_id)
                                    .where(am.c.state == "posted", am.c.move_type.in_(("out_invoice", "out_refund")),
                                           am.c.payment_state.in_(("not_paid", "partial")),
                                           am.c.invoice_date_due < demo.today)
                                    .group_by(am.c.company_id, rp.c.name)))
        op, q, loc = s.stock_warehouse_orderpoint, s.stock_quant, s.stock_location
        onhand = (select(func.coalesce(func.sum(q.c.quantity), 0)).select_from(q.join(loc, loc.c.id == q.c.location_id))
                  .where(loc.c.usage == "internal", loc.c.warehouse_id == op.c.warehouse_id,
                         q.c.product_id == op.c.product_id).scalar_subquery())
        rules = list(conn.execute(select(op.c.warehouse_id, onhand.label("onhand")).where(op.c.active.is_(True))))
    dist = {name: amount for company, name, amount in overdue if company == 2}
    assert {c for c, _n, _a in overdue} == {1, 2, 3}  # 3: the USD sales office's invoices past due (KPIS.md v2)
    assert max(dist, key=dist.get) == "Autoteile Krause KG"
    out = [r for r in rules if r.onhand <= 0]
    assert len(rules) >= 40 and 2 <= len(out) <= 6
    assert {r.warehouse_id for r in out} >= {3, 5}


def test_breakdowns_raise_corrective_maintenance_requests(demo):
    mr = demo.schema.maintenance_request
    with demo.engine.connect() as conn:
        rows = list(conn.execute(select(mr.c.equipment_id, mr.c.maintenance_type, func.count())
                                 .group_by(mr.c.equipment_id, mr.c.maintenance_type)))
    corrective = {e: n for e, t, n in rows if t == "corrective"}
    preventive = {e: n for e, t, n in rows if t == "preventive"}
    assert max(corrective, key=corrective.get) == BREAKDOWN_WC
    assert len(preventive) == 13 and all(11 <= n <= 15 for n in preventive.values())


def test_excursion_raises_a_quality_alert_on_the_vendor_lot_that_stays_open_for_weeks(demo):
    s = demo.schema
    qa, lot = s.quality_alert, s.stock_lot
    with demo.engine.connect() as conn:
        alerts = list(conn.execute(select(qa.c.create_date, qa.c.date_close, qa.c.partner_id, qa.c.lot_id, qa.c.priority,
                                          qa.c.company_id, qa.c.stage_id)))
        lots = dict(conn.execute(select(lot.c.id, lot.c.name)).all())
    routine = [a for a in alerts if a.priority != "3"]
    (excursion,) = [a for a in alerts if a.priority == "3"]
    assert excursion.partner_id == STORY["excursion_vendor_id"] and lots[excursion.lot_id].startswith("FB")
    assert (excursion.date_close - excursion.create_date).days >= 14
    closed = [(a.date_close - a.create_date).total_seconds() / 86400 for a in routine if a.date_close]
    assert len(routine) > 100 and 2 < sum(closed) / len(closed) < 6  # routine NCs close in a few days
    assert all(a.stage_id == 4 for a in alerts if a.date_close) and all(a.company_id == 1 for a in alerts)


def test_a_customer_and_a_product_span_two_company_currencies(demo):
    """KPIS.md v2 on the demo: the USD sales office (company 3) and the main company (EUR) both invoice
    Cascadia Trucks and the wheel speed sensor, so their gross margin and the customer's overdue receivables
    are unavailable, while every company keeps its own value."""
    import contextlib
    import io
    import json

    from dashboard.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", "--db-url", demo.url, "--as-of", demo.today.isoformat(), "--days", "30"]) == 0
    got = {(r["kpi"], *next(iter(r["scope"].items()))): r for r in json.loads(out.getvalue())["results"]}
    why = "amounts in more than one company currency: EUR, USD"
    customer = STORY["two_currency_customer_id"]
    for key in (("gross_margin_pct", "partner_id", customer), ("overdue_receivables", "partner_id", customer),
                ("gross_margin_pct", "product_id", 19)):
        assert (got[key]["value"], got[key]["status"], got[key]["reason"]) == (None, "unavailable", why), key
    for company in (1, 2, 3):
        assert got[("gross_margin_pct", "company_id", company)]["value"] is not None
        assert got[("overdue_receivables", "company_id", company)]["value"] > 0
    assert sum(r["status"] == "unavailable" and "currency" in r.get("reason", "") for r in got.values()) == 3
