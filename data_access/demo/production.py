"""Manufacturing history: MOs with work orders, time logs, component and finished moves, scrap.

Story hooks: the breakdown work center runs slower and its work orders wait for repairs (late MOs);
at the excursion plant, MOs that consume the bad vendor lot of the lot-tracked casting inside the
excursion window scrap 8-18 % of their output: the castings are scrapped at the machining work order
(lot_id = the vendor lot, production_id and workorder_id set, one casting per part), and the finished
parts on the MO (production_id set, no work order, so no quantity is counted twice).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from data_access.demo.common import Ctx, at, count
from data_access.demo.scenario import STORY, Plant, Product
from data_access.demo.stock import magic

__all__ = ["produce_day", "lot_name", "excursion_window", "bad_lot_day", "MO_RATE"]

MO_RATE = 2.4  # MOs per plant per working day at scale 1 (before season)


def excursion_window(today: date) -> tuple[date, date]:
    """Days (inclusive) in which the bad casting lot is consumed: inside the default 30-day view."""
    return today - timedelta(days=26), today - timedelta(days=10)


def bad_lot_day(today: date) -> date:
    """A day of the ISO week in which the bad casting lot was received."""
    return today - timedelta(days=33)


def lot_name(product: Product, day: date) -> str:
    """Vendor lots of the tracked casting: one per ISO week of receipt."""
    y, wk, _ = day.isocalendar()
    return f"FB{y % 100:02d}{wk:02d}-{product.id}"


def produce_day(ctx: Ctx, day: date) -> None:
    """Write the MOs planned to start on ``day`` at every plant, and the day's downtime logs."""
    if day.weekday() >= 5:
        return
    for plant in ctx.sc.plants:
        if not plant.manufactures:
            continue
        fgs = [p for p in ctx.sc.finished if p.plant_id == plant.id]
        for _ in range(count(ctx.rng, MO_RATE * ctx.scale * ctx.season(day))):
            _mo(ctx, plant, fgs[ctx.rng.randrange(len(fgs))], day)
        for wc in plant.workcenters:
            _downtime(ctx, plant, wc, day)
            if day.day <= 7 and day.weekday() == 3 + wc.id % 2:  # monthly preventive check, first week
                start = at(day, 5)
                _maintenance(ctx, plant, wc, start, start + timedelta(hours=2) if start + timedelta(hours=2) <= ctx.now
                             else None, "preventive")


def _mo(ctx: Ctx, plant: Plant, fg: Product, day: date) -> None:
    rng, now, w = ctx.rng, ctx.now, ctx.w
    qty = float(rng.choice((60, 80, 100, 120, 150, 200, 250)))
    planned = at(day, rng.uniform(5, 15))
    expected = [round(qty * minutes, 1) for _r, _wc, minutes in fg.operations]
    deadline = planned + timedelta(hours=sum(expected) / 60 + 40)
    lo, hi = excursion_window(ctx.today)
    bad_lot = plant.id == STORY["excursion_warehouse_id"] and lo <= day <= hi and any(
        c.lot_tracked for c, _q in fg.components)
    # simulate the work orders
    t = planned + timedelta(minutes=rng.uniform(0, 60))
    slots = []
    for (_rid, wc, _m), exp in zip(fg.operations, expected):
        if wc.breakdown and rng.random() < 0.45:
            t += timedelta(hours=rng.uniform(4, 40))        # waiting for the press to be repaired
        elif rng.random() < 0.04:
            t += timedelta(hours=rng.uniform(12, 60))       # material shortage / priority change
        factor = rng.uniform(1.05, 1.4) if wc.breakdown else rng.uniform(1.0, 1.12)
        dur = round(exp * factor, 1)
        slots.append((t, t + timedelta(minutes=dur), dur))
        t = slots[-1][1] + timedelta(hours=rng.uniform(0.3, 5))
    finish = slots[-1][1]
    cancelled = planned < now and rng.random() < 0.02
    if cancelled:
        state = "cancel"
    elif finish <= now:
        state = "to_close" if finish > now - timedelta(hours=6) and rng.random() < 0.5 else "done"
    elif slots[0][0] <= now:
        state = "progress"
    else:
        state = "draft" if planned > now + timedelta(days=2) and rng.random() < 0.3 else "confirmed"
    mo_id = ctx.ids("mrp_production")
    name = f"{plant.code}/MO/{mo_id:05d}"
    started = state in ("progress", "to_close", "done")
    w.add("mrp_production", {
        "id": mo_id, "name": name, "priority": "1" if rng.random() < 0.1 else "0", "backorder_sequence": 0,
        "origin": f"OP/{plant.code}", "product_id": fg.id, "product_qty": qty, "product_uom_id": fg.uom_id,
        "product_uom_qty": qty, "qty_producing": qty if state in ("done", "to_close") else 0.0,
        "picking_type_id": plant.mrp_type, "location_src_id": plant.stock_loc, "location_dest_id": plant.stock_loc,
        "location_final_id": None, "date_deadline": deadline, "date_start": slots[0][0] if started else planned,
        "date_finished": finish if state == "done" else planned + timedelta(minutes=sum(expected) + 240),
        "bom_id": fg.bom_id, "state": state, "reservation_state": None if state in ("done", "cancel", "draft") else "assigned",
        "user_id": 3, "company_id": plant.company_id, "propagate_cancel": False, "is_locked": True,
        "is_planned": state != "draft", "production_location_id": ctx.sc.locations[f"production_{plant.company_id}"],
        "consumption": "warning", "allow_workorder_dependencies": False, "is_outdated_bom": False,
        **magic(planned - timedelta(days=2))})
    wo_ids = _workorders(ctx, fg, mo_id, name, qty, state, slots, expected, planned)
    _moves(ctx, plant, fg, mo_id, name, qty, state, finish, planned, deadline, day, bad_lot)
    if state == "done":
        _scrap(ctx, plant, fg, mo_id, name, qty, wo_ids, slots, bad_lot)


def _workorders(ctx: Ctx, fg: Product, mo_id: int, mo_name: str, qty: float, state: str, slots, expected,
                planned: datetime) -> list[int]:
    ids, now, w = [], ctx.now, ctx.w
    ready_seen = False
    for seq, ((rid, wc, _m), (start, end, dur), exp) in enumerate(zip(fg.operations, slots, expected), start=1):
        wid = ctx.ids("mrp_workorder")
        ids.append(wid)
        if state == "cancel":
            wstate = "cancel"
        elif state in ("done", "to_close") or (state == "progress" and end <= now):
            wstate = "done"
        elif state == "progress" and start <= now:
            wstate = "progress"
        else:
            wstate = "pending" if ready_seen or state == "draft" else "ready"
            ready_seen = True
        actual = dur if wstate == "done" else (round((now - start).total_seconds() / 60, 1) if wstate == "progress" else 0.0)
        w.add("mrp_workorder", {
            "id": wid, "name": wc.name.split(" ", 1)[-1], "sequence": seq * 10, "barcode": f"{mo_name}/{seq}",
            "workcenter_id": wc.id, "product_id": fg.id, "product_uom_id": fg.uom_id, "production_id": mo_id,
            "production_availability": "assigned", "qty_produced": qty if wstate == "done" else 0.0, "state": wstate,
            "date_start": start if wstate in ("done", "progress") else planned,
            "date_finished": end if wstate == "done" else planned + timedelta(minutes=exp),
            "duration_expected": exp, "duration": actual, "duration_unit": round(actual / qty, 4),
            "duration_percent": int(round(100 * exp / actual)) if actual else 0, "operation_id": rid,
            "costs_hour": wc.costs_hour, "production_date": start, "qty_reported_from_previous_wo": 0.0,
            **magic(planned - timedelta(days=2))})
        if wstate == "done":
            prod_end = start + timedelta(minutes=min(exp, dur))
            _log(ctx, wc, wid, 7, start, prod_end)
            if dur > exp:
                _log(ctx, wc, wid, 4, prod_end, end)
        elif wstate == "progress":
            _log(ctx, wc, wid, 7, start, None)
    return ids


def _log(ctx: Ctx, wc, wo_id: int | None, loss: int, start: datetime, end: datetime | None,
         description: str | None = None) -> None:
    from data_access.demo.masterdata import LOSS_TYPES, LOSSES
    ctx.w.add("mrp_workcenter_productivity", {
        "id": ctx.ids("mrp_workcenter_productivity"), "workcenter_id": wc.id, "company_id": 1, "workorder_id": wo_id,
        "user_id": 3, "loss_id": loss, "loss_type": LOSS_TYPES[LOSSES[loss][2]], "description": description,
        "date_start": start, "date_end": end,
        "duration": round((end - start).total_seconds() / 60, 2) if end else 0.0, **magic(start)})


def _moves(ctx: Ctx, plant: Plant, fg: Product, mo_id: int, name: str, qty: float, state: str, finish: datetime,
           planned: datetime, deadline: datetime, day: date, bad_lot: bool) -> None:
    led, sc = ctx.ledger, ctx.sc
    prod_loc = sc.locations[f"production_{plant.company_id}"]
    mstate = {"done": "done", "cancel": "cancel", "draft": "draft", "confirmed": "confirmed"}.get(state, "assigned")
    when = finish if state == "done" else planned
    for comp, per_unit in fg.components:
        lot = None
        if comp.lot_tracked and mstate in ("done", "assigned"):
            lot_day = bad_lot_day(ctx.today) if bad_lot else day - timedelta(days=7)
            lot = led.lot(comp, lot_name(comp, lot_day), plant.company_id, when)
        led.move(comp, qty * per_unit, plant.stock_loc, prod_loc, state=mstate, date=when, company=plant.company_id,
                 warehouse=plant.id, name=name, ptype=plant.mrp_type, lot=lot, raw_material_production_id=mo_id,
                 deadline=deadline)
    led.move(fg, qty, prod_loc, plant.stock_loc, state=mstate if mstate != "assigned" else "confirmed", date=when,
             company=plant.company_id, warehouse=plant.id, name=name, ptype=plant.mrp_type, production_id=mo_id,
             deadline=deadline)


def _scrap(ctx: Ctx, plant: Plant, fg: Product, mo_id: int, name: str, qty: float, wo_ids: list[int], slots,
           bad_lot: bool) -> None:
    rng = ctx.rng
    if bad_lot:
        idx = 1 if len(wo_ids) > 1 else 0                      # found at machining
        scrap_qty = float(max(1, round(qty * rng.uniform(0.08, 0.18))))
    elif rng.random() < 0.12:
        idx = rng.randrange(len(wo_ids))
        scrap_qty = float(max(1, round(qty * rng.uniform(0.005, 0.03))))
    else:
        return
    when = slots[idx][1]
    if not bad_lot:
        _scrap_row(ctx, plant, fg, scrap_qty, None, mo_id, wo_ids[idx], name, when)
        return
    # porous castings: the operator scraps them at the work order (lot-tracked, one per part) and the
    # finished parts already built from them are scrapped on the MO after the final test
    comp, per_unit = next((c, q) for c, q in fg.components if c.lot_tracked)
    lot = ctx.ledger.lot(comp, lot_name(comp, bad_lot_day(ctx.today)), plant.company_id, when)
    _scrap_row(ctx, plant, comp, scrap_qty * per_unit, lot, mo_id, wo_ids[idx], name, when)
    _scrap_row(ctx, plant, fg, scrap_qty, None, mo_id, None, name, slots[-1][1])


def _scrap_row(ctx: Ctx, plant: Plant, product: Product, qty: float, lot: int | None, mo_id: int, wo_id: int | None,
               origin: str, when: datetime) -> None:
    sid = ctx.ids("stock_scrap")
    scrap_loc = ctx.sc.locations[f"scrap_{plant.company_id}"]
    ctx.w.add("stock_scrap", {
        "id": sid, "name": f"SP/{sid:05d}", "company_id": plant.company_id, "origin": origin, "product_id": product.id,
        "product_uom_id": product.uom_id, "lot_id": lot, "location_id": plant.stock_loc, "scrap_location_id": scrap_loc,
        "scrap_qty": qty, "state": "done", "date_done": when, "should_replenish": False, "production_id": mo_id,
        "workorder_id": wo_id, "bom_id": product.bom_id, **magic(when)})
    ctx.ledger.move(product, qty, plant.stock_loc, scrap_loc, state="done", date=when, company=plant.company_id,
                    warehouse=plant.id, name=f"SP/{sid:05d}", lot=lot, scrap_id=sid, scrapped=True)


def _downtime(ctx: Ctx, plant: Plant, wc, day: date) -> None:
    rng, now = ctx.rng, ctx.now
    if wc.breakdown:
        events = [(2, rng.uniform(45, 240)) for _ in range(count(rng, 1.0 * ctx.scale))]
        events += [(3, rng.uniform(20, 45)) for _ in range(count(rng, 1.0 * ctx.scale))]
    else:
        events = [(3, rng.uniform(15, 40)) for _ in range(count(rng, 0.7 * ctx.scale))]
        if rng.random() < 0.03 * ctx.scale:
            events.append((2, rng.uniform(30, 120)))
        if rng.random() < 0.05 * ctx.scale:
            events.append((1, rng.uniform(20, 90)))
    if wc.breakdown and day == ctx.today:
        events.append((2, None))  # the press is down right now: an open log
    for loss, minutes in events:
        if minutes is None:
            _log(ctx, wc, None, loss, now - timedelta(minutes=50), None, "Hydraulic pressure loss")
            continue
        start = at(day, rng.uniform(5, 20))
        end = start + timedelta(minutes=round(minutes, 1))
        if start > now:
            continue
        _log(ctx, wc, None, loss, start, end if end <= now else None,
             "Hydraulic leak, main cylinder" if loss == 2 and wc.breakdown else None)
        if loss == 2:
            _maintenance(ctx, plant, wc, start, end if end <= now else None, "corrective")


def _maintenance(ctx: Ctx, plant: Plant, wc, start: datetime, end: datetime | None, kind: str) -> None:
    rid = ctx.ids("maintenance_request")
    ctx.w.add("maintenance_request", {
        "id": rid, "name": f"{'Breakdown' if kind == 'corrective' else 'Preventive check'}: {wc.name}",
        "company_id": plant.company_id, "request_date": start.date(), "owner_user_id": 3, "category_id": 1,
        "equipment_id": wc.id, "user_id": 3, "stage_id": 3 if end else (1 if start > ctx.now else 2), "priority": "3" if wc.breakdown else "2",
        "close_date": end.date() if end else None, "kanban_state": "done" if end else "normal", "archive": False,
        "maintenance_type": kind, "schedule_date": start, "maintenance_team_id": 1,
        "duration": round((end - start).total_seconds() / 3600, 2) if end else 0.0, "recurring_maintenance": False,
        **magic(start)})
