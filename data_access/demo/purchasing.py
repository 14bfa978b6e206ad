"""Purchasing history: weekly POs per vendor and plant (and intercompany POs of the distribution
centres), their receipts (with partial receipts, backorders and vendor returns) and the opening stock.

Story hook: the late vendor receives days to weeks after ``date_planned``, often partially, and
sometimes gets goods sent back; every other vendor is mostly on time.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from data_access.demo.common import Ctx, at
from data_access.demo.production import MO_RATE, lot_name
from data_access.demo.scenario import Partner, Plant, Product
from data_access.demo.stock import magic

__all__ = ["Purchasing", "AVG_MO_QTY", "dc_of"]

AVG_MO_QTY = 137.0
COVER_WEEKS = 2.5        # stock a purchase order tops up to, on top of the lead time
AFTERMARKET_RATE = 9.0   # aftermarket SOs per day (company 2) at scale 1
AFTERMARKET_LINE_QTY = 2.0 * 16.0


def dc_of(customer: Partner, sc) -> Plant:
    """The distribution centre that serves an aftermarket customer (Atlanta for the Americas)."""
    dcs = [p for p in sc.plants if not p.manufactures]
    return dcs[1] if customer.country in ("US", "MX") else dcs[0]


class Purchasing:
    """Plans and writes the purchase history; ``weekly[(plant, product)]`` is the base weekly need."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.weekly: dict[tuple[int, int], float] = defaultdict(float)
        self.pending: dict[tuple[int, int], float] = defaultdict(float)   # ordered, received after now
        sc = ctx.sc
        for plant in sc.plants:
            if plant.manufactures:
                fgs = [p for p in sc.finished if p.plant_id == plant.id]
                for fg in fgs:
                    for comp, per_unit in fg.components:
                        self.weekly[(plant.id, comp.id)] += 5 * MO_RATE * ctx.scale * AVG_MO_QTY * per_unit / len(fgs)
            else:
                dists = [c for c in sc.customers if c.kind == "aftermarket"]
                share = sum(1 for c in dists if dc_of(c, sc) is plant) / len(dists)
                for fg in sc.finished:
                    self.weekly[(plant.id, fg.id)] += 7 * AFTERMARKET_RATE * ctx.scale * AFTERMARKET_LINE_QTY * share / (
                        len(sc.finished))
        self.by_vendor: dict[int, list[tuple[Plant, Product]]] = defaultdict(list)
        for (wid, pid), _q in sorted(self.weekly.items()):
            plant, product = sc.plant(wid), ctx.ledger.products[pid]
            self.by_vendor[product.vendor_id if plant.manufactures else 1].append((plant, product))

    def opening_stock(self) -> None:
        """Inventory adjustments on the first day: three weeks of need in every warehouse."""
        ctx = self.ctx
        when = at(ctx.start, 6)
        for (wid, pid), weekly in sorted(self.weekly.items()):
            plant, product = ctx.sc.plant(wid), ctx.ledger.products[pid]
            lot = ctx.ledger.lot(product, lot_name(product, ctx.start - timedelta(days=14)), plant.company_id, when) \
                if product.lot_tracked else None
            ctx.ledger.move(product, round(3 * weekly), ctx.sc.locations[f"inventory_{plant.company_id}"],
                            plant.stock_loc, state="done", date=when, company=plant.company_id, warehouse=plant.id,
                            name="Product Quantity Updated", lot=lot, is_inventory=True)

    def day(self, day: date) -> None:
        """Write the POs ordered on ``day``."""
        if day.weekday() >= 5:
            return
        ctx = self.ctx
        vendors = [(v, v.id) for v in ctx.sc.vendors] + [(None, 1)]
        for vendor, vid in vendors:
            if vid % 5 != day.weekday() and not (vid == 1 and day.weekday() == 3):
                continue
            per_plant: dict[int, list[Product]] = defaultdict(list)
            for plant, product in self.by_vendor.get(vid, []):
                per_plant[plant.id].append(product)
            for wid, products in sorted(per_plant.items()):
                share = 0.5 if vid == 1 else 1.0
                self._order(ctx.sc.plant(wid), vendor, vid, products, day, share)

    def _order(self, plant: Plant, vendor: Partner | None, vid: int, products: list[Product], day: date,
               share: float) -> None:
        ctx, rng, now = self.ctx, self.ctx.rng, self.ctx.now
        lead = vendor.lead_days if vendor else 3
        ordered = at(day, rng.uniform(7, 11))
        if ordered > now:
            return  # later today: not ordered yet
        planned = at(day + timedelta(days=lead), 10)
        r = rng.random()
        if ordered > now - timedelta(days=6) and r < 0.5:
            state = rng.choice(("draft", "sent", "to approve"))
        elif r > 0.98:
            state = "cancel"
        else:
            state = "purchase"
        lines, untaxed = [], 0.0
        seq = 1
        if rng.random() < 0.1:
            lines.append({"display_type": "line_section", "name": "Call-off against blanket order", "sequence": seq,
                          "product_qty": 0.0, "product_uom_qty": 0.0, "price_unit": 0.0, "price_subtotal": 0.0,
                          "price_total": 0.0, "price_tax": 0.0, "qty_received": 0.0, "date_planned": planned})
            seq += 1
        for product in products:
            # order up to (cover + lead time) weeks of need, counting stock and open receipts
            need = self.weekly[(plant.id, product.id)] * ctx.season(planned.date())
            target = need * (COVER_WEEKS + lead / 7) * rng.uniform(0.95, 1.1)
            position = ctx.ledger.totals[(product.id, plant.stock_loc)] + self.pending[(plant.id, product.id)]
            if target - position < 0.2 * need * share:
                continue
            qty = max(10.0, round(target - position, -1))
            price = product.cost if vid != 1 else round(product.cost * 1.08, 4)
            sub = round(qty * price, 2)
            untaxed += sub
            lines.append({"product": product, "name": f"[{product.code}] {product.name}", "sequence": seq,
                          "product_qty": qty, "product_uom_qty": qty, "price_unit": price, "price_subtotal": sub,
                          "price_tax": round(sub * 0.19, 2), "price_total": round(sub * 1.19, 2), "date_planned": planned})
            seq += 1
        if not any("product" in l for l in lines):
            return
        po_id = ctx.ids("purchase_order")
        name = f"P{po_id:05d}"
        receipts = self._receipts(plant, vendor, vid, po_id, name, lines, state, planned)
        received_all = all(l.get("qty_received", 0) >= l["product_qty"] for l in lines if "product" in l)
        if state == "purchase" and received_all and planned < now - timedelta(days=60) and rng.random() < 0.4:
            state = "done"
        first_done = min((d for d in receipts if d is not None), default=None)
        ctx.w.add("purchase_order", {
            "id": po_id, "name": name, "priority": "0", "origin": f"OP/{plant.code}", "date_order": ordered,
            "date_approve": min(ordered + timedelta(hours=2), now) if state in ("purchase", "done") else None,
            "partner_id": vid, "currency_id": 1, "state": state, "invoice_count": 0,
            "invoice_status": "to invoice" if first_done else "no", "date_planned": planned,
            "amount_untaxed": round(untaxed, 2), "amount_tax": round(untaxed * 0.19, 2),
            "amount_total": round(untaxed * 1.19, 2), "amount_total_cc": round(untaxed * 1.19, 2), "user_id": 4,
            "company_id": plant.company_id, "currency_rate": 1.0, "mail_reminder_confirmed": False,
            "mail_reception_confirmed": False, "picking_type_id": plant.in_type, "effective_date": first_done,
            "receipt_status": None if state not in ("purchase", "done") else (
                "full" if received_all else ("partial" if first_done else "pending")), **magic(ordered)})
        for l in lines:
            product = l.pop("product", None)
            ctx.w.add("purchase_order_line", {
                **l, "id": l.pop("id", None) or ctx.ids("purchase_order_line"), "order_id": po_id, "discount": 0.0,
                "product_uom": product.uom_id if product else None, "product_id": product.id if product else None,
                "company_id": plant.company_id, "state": state, "qty_invoiced": 0.0,
                "qty_received_method": "stock_moves" if product else None, "qty_received_manual": 0.0,
                "qty_to_invoice": l.get("qty_received", 0.0), "partner_id": vid, "currency_id": 1,
                "display_type": l.get("display_type"), "is_downpayment": False, **magic(ordered)})

    def _receipts(self, plant: Plant, vendor: Partner | None, vid: int, po_id: int, name: str, lines: list[dict],
                  state: str, planned: datetime) -> list[datetime | None]:
        """Write the receipts of a confirmed PO; fill each line's id and qty_received; return done dates."""
        if state not in ("purchase",):
            return []
        ctx, rng, now, led = self.ctx, self.ctx.rng, self.ctx.now, self.ctx.ledger
        late = bool(vendor and vendor.late)
        if late:
            delay = rng.choice((0, 2, 3, 4, 5, 6, 8, 10, 13, 16))
        else:
            r = rng.random()
            delay = rng.choice((-2, -1, 0, 0, 0, 0)) if r < 0.93 else rng.randint(1, 2) if r < 0.98 else rng.randint(3, 6)
        first = planned + timedelta(days=delay, hours=rng.uniform(-3, 5))
        partial = late and rng.random() < 0.5 or (not late and rng.random() < 0.03)
        second = first + timedelta(days=rng.uniform(4, 14))
        src, dst = ctx.sc.locations["supplier"], plant.stock_loc
        done_dates: list[datetime | None] = []
        pickings: dict[int, int] = {}
        for part, when in ((0, first), (1, second)):
            if part == 1 and not partial:
                break
            done = when <= now
            pstate = "done" if done else "assigned"
            pickings[part] = led.picking(prefix=f"{plant.code}/IN", ptype=plant.in_type, company=plant.company_id,
                                         src=src, dst=dst, partner=vid, scheduled=planned, done=when, state=pstate,
                                         origin=name, backorder_id=pickings.get(0))
            done_dates.append(when if done else None)
        for l in lines:
            l["id"] = ctx.ids("purchase_order_line")
            product = l.get("product")
            if product is None:
                continue
            qty, received = l["product_qty"], 0.0
            portions = [(0, qty)] if not partial else [(0, round(qty * rng.uniform(0.5, 0.8))), (1, None)]
            for part, q in portions:
                q = qty - portions[0][1] if q is None else q
                when = first if part == 0 else second
                done = when <= now
                lot = led.lot(product, lot_name(product, when.date()), plant.company_id, when) \
                    if product.lot_tracked and done else None
                mid = led.move(product, q, src, dst, state="done" if done else "assigned", date=when,
                               company=plant.company_id, warehouse=plant.id, name=name, ptype=plant.in_type,
                               picking=pickings[part], lot=lot, partner=vid, purchase_line_id=l["id"], deadline=planned)
                if not done:
                    self.pending[(plant.id, product.id)] += q
                if done:
                    received += q
                    if late and part == 0 and rng.random() < 0.12:
                        received -= self._vendor_return(plant, vid, product, q, mid, l["id"], when, name, lot)
            l["qty_received"] = received
        return done_dates

    def _vendor_return(self, plant: Plant, vid: int, product: Product, qty: float, move_id: int, line_id: int,
                       received: datetime, origin: str, lot: int | None) -> float:
        ctx, led = self.ctx, self.ctx.ledger
        when = received + timedelta(days=2, hours=3)
        if when > ctx.now:
            return 0.0
        back = float(max(1, round(qty * 0.15)))
        pick = led.picking(prefix=f"{plant.code}/OUT", ptype=plant.out_type, company=plant.company_id,
                           src=plant.stock_loc, dst=ctx.sc.locations["supplier"], partner=vid, scheduled=when, done=when,
                           state="done", origin=f"Return of {origin}")
        led.move(product, back, plant.stock_loc, ctx.sc.locations["supplier"], state="done", date=when,
                 company=plant.company_id, warehouse=plant.id, name=f"Return of {origin}", ptype=plant.out_type,
                 picking=pick, lot=lot, partner=vid, purchase_line_id=line_id, origin_returned_move_id=move_id,
                 to_refund=True)  # "Update quantities on SO/PO", ticked by default in Odoo's return wizard
        return back
