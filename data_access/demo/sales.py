"""Sales history: OEM orders shipped from the plants (company 1, promised with ``commitment_date``)
and aftermarket orders shipped from the distribution centres (company 2, promised with
``date_order + customer_lead``); deliveries, a few customer returns, invoices and refunds.

Story hooks: seasonal order volume (``SEASON``); the cable harness family sells barely above cost.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from data_access.demo.accounting import Accounting
from data_access.demo.common import Ctx, at, count
from data_access.demo.purchasing import AFTERMARKET_RATE, dc_of
from data_access.demo.scenario import STORY, Partner, Plant, Product
from data_access.demo.stock import magic

__all__ = ["Sales", "OEM_RATE"]

OEM_RATE = 5.0  # OEM orders per working day at scale 1


class Sales:
    def __init__(self, ctx: Ctx, accounting: Accounting):
        self.ctx, self.acc = ctx, accounting
        sc = ctx.sc
        self.oems = [c for c in sc.customers if c.kind == "oem"]
        self.dists = [c for c in sc.customers if c.kind == "aftermarket"]
        self.plants = [p for p in sc.plants if p.manufactures]
        self.dcs = [p for p in sc.plants if not p.manufactures]

    def day(self, day: date) -> None:
        """Write the sale orders of ``day``."""
        ctx, rng = self.ctx, self.ctx.rng
        season = ctx.season(day)
        if day.weekday() < 5:
            for _ in range(count(rng, OEM_RATE * ctx.scale * season)):
                cust = self.oems[rng.randrange(len(self.oems))]
                plant = self.plants[rng.randrange(len(self.plants))]
                self._order(cust, plant, [p for p in ctx.sc.finished if p.plant_id == plant.id], day, oem=True)
        for _ in range(count(rng, AFTERMARKET_RATE * ctx.scale * season * (0.5 if day.weekday() >= 5 else 1.2))):
            cust = self.dists[rng.randrange(len(self.dists))]
            dc = dc_of(cust, ctx.sc)
            self._order(cust, dc, ctx.sc.finished, day, oem=False)

    def _order(self, cust: Partner, wh: Plant, products: list[Product], day: date, oem: bool) -> None:
        ctx, rng, now, w = self.ctx, self.ctx.rng, self.ctx.now, self.ctx.w
        ordered = at(day, rng.uniform(6, 18))
        if ordered > now:
            return  # later today: not ordered yet
        commitment = at((ordered + timedelta(days=rng.randint(5, 14))).date(), 6) if oem else None
        lead = 0.0 if oem else float(rng.randint(3, 7))
        promise = commitment or ordered + timedelta(days=lead)
        r = rng.random()
        if ordered > now - timedelta(days=2) and r < 0.3:
            state = rng.choice(("draft", "sent"))
        elif r > 0.97:
            state = "cancel"
        else:
            state = "sale"
        so_id = ctx.ids("sale_order")
        name = f"S{so_id:05d}"
        company = wh.company_id
        lines = []
        for seq in range(1, 1 + rng.choice((1, 1, 2, 2, 3))):
            p = products[rng.randrange(len(products))]
            qty = float(rng.randrange(20, 210, 10) if oem else rng.randint(2, 30))
            uplift = 1.0 if oem or p.categ_id == STORY["poor_margin_category_id"] else 1.22
            price = round(p.price * uplift * rng.uniform(0.98, 1.02), 2)
            sub = round(qty * price, 2)
            lines.append({"id": ctx.ids("sale_order_line"), "product": p, "sequence": seq * 10, "qty": qty,
                          "price": price, "sub": sub, "delivered": 0.0, "invoiced": 0.0})
        untaxed = round(sum(l["sub"] for l in lines), 2)
        done_dates = self._deliveries(cust, wh, so_id, name, lines, promise) if state == "sale" else []
        all_done = bool(done_dates) and all(d is not None for d in done_dates)
        delivered_any = any(d is not None for d in done_dates)
        invoice = None
        if all_done:
            inv_date = max(done_dates).date()
            self.acc.invoice(company, cust, name, inv_date, [
                (l["product"], l["delivered"], l["price"]) for l in lines if l["delivered"] > 0])
            invoice = inv_date
            for l in lines:
                l["invoiced"] = l["delivered"]
        w.add("sale_order", {
            "id": so_id, "name": name, "company_id": company, "partner_id": cust.id, "state": state,
            "locked": bool(invoice and invoice < ctx.today - timedelta(days=30)), "client_order_ref": f"PO-{cust.id}-{so_id}",
            "commitment_date": commitment, "date_order": ordered, "origin": None, "require_signature": False,
            "require_payment": False, "prepayment_percent": 1.0, "partner_invoice_id": cust.id,
            "partner_shipping_id": cust.contacts[-1], "currency_id": 1, "currency_rate": 1.0, "user_id": 5,
            "amount_untaxed": untaxed, "amount_tax": round(untaxed * 0.19, 2), "amount_total": round(untaxed * 1.19, 2),
            "amount_to_invoice": 0.0 if invoice else round(untaxed * 1.19, 2) if state == "sale" else 0.0,
            "invoice_status": "invoiced" if invoice else ("to invoice" if delivered_any else "no"),
            "picking_policy": "direct", "warehouse_id": wh.id,
            "delivery_status": None if not done_dates else "full" if all_done else "partial" if delivered_any else "pending",
            "effective_date": min((d for d in done_dates if d), default=None), **magic(ordered)})
        for l in lines:
            p = l["product"]
            w.add("sale_order_line", {
                "id": l["id"], "order_id": so_id, "sequence": l["sequence"], "company_id": company, "currency_id": 1,
                "order_partner_id": cust.id, "salesman_id": 5, "state": state, "display_type": None,
                "is_downpayment": False, "is_expense": False, "product_id": p.id, "name": f"[{p.code}] {p.name}",
                "product_uom_qty": l["qty"], "product_uom": p.uom_id, "price_unit": l["price"], "discount": 0.0,
                "price_subtotal": l["sub"], "price_tax": round(l["sub"] * 0.19, 2), "price_total": round(l["sub"] * 1.19, 2),
                "price_reduce_taxexcl": l["price"], "price_reduce_taxinc": round(l["price"] * 1.19, 2),
                "customer_lead": lead, "qty_delivered_method": "stock_move", "qty_delivered": l["delivered"],
                "qty_invoiced": l["invoiced"], "qty_to_invoice": l["delivered"] - l["invoiced"],
                "invoice_status": "invoiced" if l["invoiced"] else ("to invoice" if l["delivered"] else "no"),
                "untaxed_amount_invoiced": round(l["invoiced"] * l["price"], 2),
                "untaxed_amount_to_invoice": round((l["qty"] - l["invoiced"]) * l["price"], 2) if state == "sale" else 0.0,
                "purchase_price": p.cost, "margin": round(l["sub"] - l["qty"] * p.cost, 2),
                "margin_percent": round((l["sub"] - l["qty"] * p.cost) / l["sub"], 4) if l["sub"] else 0.0,
                **magic(ordered)})

    def _deliveries(self, cust: Partner, wh: Plant, so_id: int, name: str, lines: list[dict],
                    promise: datetime) -> list[datetime | None]:
        ctx, rng, now, led = self.ctx, self.ctx.rng, self.ctx.now, self.ctx.ledger
        if rng.random() < 0.94:
            first = promise - timedelta(hours=rng.uniform(0, 40))
        else:
            first = promise + timedelta(days=rng.uniform(1, 6))
        partial = rng.random() < 0.04
        second = first + timedelta(days=rng.uniform(2, 6))
        cust_loc = ctx.sc.locations["customer"]
        dates: list[datetime | None] = []
        picks: dict[int, int] = {}
        for part, when in ((0, first), (1, second)):
            if part == 1 and not partial:
                break
            done = when <= now
            picks[part] = led.picking(prefix=f"{wh.code}/OUT", ptype=wh.out_type, company=wh.company_id,
                                      src=wh.stock_loc, dst=cust_loc, partner=cust.contacts[-1], scheduled=promise,
                                      done=when, state="done" if done else "assigned", origin=name, sale_id=so_id,
                                      backorder_id=picks.get(0))
            dates.append(when if done else None)
        for l in lines:
            qty = l["qty"]
            portions = [(0, qty)] if not partial else [(0, round(qty * 0.7)), (1, qty - round(qty * 0.7))]
            for part, q in portions:
                when = first if part == 0 else second
                done = when <= now
                mid = led.move(l["product"], q, wh.stock_loc, cust_loc, state="done" if done else "assigned", date=when,
                               company=wh.company_id, warehouse=wh.id, name=name, ptype=wh.out_type, picking=picks[part],
                               partner=cust.contacts[-1], sale_line_id=l["id"], deadline=promise)
                if done:
                    l["delivered"] += q
                    if rng.random() < 0.01:
                        l["delivered"] -= self._return(cust, wh, so_id, name, l, q, mid, when)
        return dates

    def _return(self, cust: Partner, wh: Plant, so_id: int, name: str, line: dict, qty: float, move_id: int,
                delivered: datetime) -> float:
        ctx, led = self.ctx, self.ctx.ledger
        when = delivered + timedelta(days=ctx.rng.uniform(3, 10))
        if when > ctx.now:
            return 0.0
        back = float(max(1, round(qty * 0.1)))
        cust_loc = ctx.sc.locations["customer"]
        pick = led.picking(prefix=f"{wh.code}/IN", ptype=wh.in_type, company=wh.company_id, src=cust_loc,
                           dst=wh.stock_loc, partner=cust.contacts[-1], scheduled=when, done=when, state="done",
                           origin=f"Return of {name}", sale_id=so_id)
        led.move(line["product"], back, cust_loc, wh.stock_loc, state="done", date=when, company=wh.company_id,
                 warehouse=wh.id, name=f"Return of {name}", ptype=wh.in_type, picking=pick, partner=cust.contacts[-1],
                 sale_line_id=line["id"], origin_returned_move_id=move_id, to_refund=True)  # the wizard's default
        # the customer gets replacement parts two days later
        again = when + timedelta(days=2)
        done = again <= ctx.now
        pick = led.picking(prefix=f"{wh.code}/OUT", ptype=wh.out_type, company=wh.company_id, src=wh.stock_loc,
                           dst=cust_loc, partner=cust.contacts[-1], scheduled=again, done=again,
                           state="done" if done else "assigned", origin=name, sale_id=so_id)
        led.move(line["product"], back, wh.stock_loc, cust_loc, state="done" if done else "assigned", date=again,
                 company=wh.company_id, warehouse=wh.id, name=name, ptype=wh.out_type, picking=pick,
                 partner=cust.contacts[-1], sale_line_id=line["id"])
        return 0.0 if done else back
