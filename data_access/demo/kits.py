"""The kits and returns story of KPIS.md v2: kits sold and bought, returns with and without "Update
quantities on SO/PO" (``stock_move.to_refund``), goods sent again after a return, a return after the
promise day.

Written after the history with its own random stream and its own ids (products 9001+, BoMs 9001+), so
every other story keeps its rows. The component moves are written without valuation layers or quants:
a kit's components leave and enter stock in the same tiny quantities, and the stockout, turns and
margin stories stay exactly as they were.

- Service Kit (product 9001, Units, a kit BoM for the template): 2 x a component in Units, 1 Dozen of a
  second component, 1 x Fastener Pack (a nested kit: its BoM makes 2 Units from 3 x a third component).
  Per Service Kit: 2, 12 and 1.5 of the three components.
- Sale lines (company 1, an OEM customer, promised in the last 30 days):
  complete (5 kits on time); a component short (4 of 5 kits); a component returned with "Update
  quantities" after the promise day (OTIF, late at D); a plain line returned without it and sent again
  as a new delivery (counted again: more than ordered); a plain line returned with it after the day.
- A purchase line of 4 Fastener Packs (BoM makes 2: 6 components = 4 packs) and a plain purchase line
  whose return to the vendor did not update the order (still received in full).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from data_access.demo.common import Ctx, at
from data_access.demo.scenario import STORY
from data_access.demo.stock import magic

__all__ = ["write_kit_story", "SERVICE_KIT_ID", "FASTENER_PACK_ID"]

SERVICE_KIT_ID, FASTENER_PACK_ID = 9001, 9002
_DOZENS = 2  # masterdata's uom_uom: 1 Units, 2 Dozens


def _products(ctx: Ctx, comps) -> None:
    w = ctx.w
    m = magic(at(ctx.start, 8))
    storable = {"detailed_type": "product", "type": "product"} if ctx.version.startswith("17") else \
        {"type": "consu", "is_storable": True}
    for pid, name, name_de, code, price in ((SERVICE_KIT_ID, "Service Kit", "Servicesatz", "KIT-SVC", 95.0),
                                            (FASTENER_PACK_ID, "Fastener Pack", "Befestigungssatz", "KIT-FST", 12.0)):
        w.add("product_template", {"id": pid, "name": {"en_US": name, "de_DE": name_de}, "sequence": 1, **storable,
                                   "categ_id": 1,
                                   "list_price": price, "sale_ok": True, "purchase_ok": True, "uom_id": 1, "uom_po_id": 1,
                                   "active": True, "default_code": code, "priority": "0", "is_favorite": False, **m})
        prod = {"id": pid, "product_tmpl_id": pid, "default_code": code, "active": True, "combination_indices": "", **m}
        if ctx.version.startswith("18"):  # a kit's cost is its components'; the demo keeps a nominal one
            prod["standard_price"] = {str(cid): round(price * 0.6, 2) for cid in ctx.sc.companies}
        w.add("product_product", prod)
    for bom_id, tmpl, qty in ((9001, SERVICE_KIT_ID, 1.0), (9002, FASTENER_PACK_ID, 2.0)):
        w.add("mrp_bom", {"id": bom_id, "code": f"KIT-{bom_id}", "active": True, "type": "phantom",
                          "product_tmpl_id": tmpl, "product_id": None, "product_qty": qty, "product_uom_id": 1,
                          "sequence": 1, "company_id": None, "consumption": "warning", **m})
    lines = [(90011, 9001, comps[0].id, 2.0, 1), (90012, 9001, comps[1].id, 1.0, _DOZENS),
             (90013, 9001, FASTENER_PACK_ID, 1.0, 1), (90021, 9002, comps[2].id, 3.0, 1)]
    for lid, bom_id, pid, qty, uom in lines:
        w.add("mrp_bom_line", {"id": lid, "bom_id": bom_id, "product_id": pid, "product_tmpl_id": pid,
                               "product_qty": qty, "product_uom_id": uom, "sequence": lid % 10, "company_id": 1, **m})


def _move(ctx: Ctx, product_id: int, qty: float, src: int, dst: int, when: datetime, company: int, wid: int, name: str,
          **links) -> int:
    mid = ctx.ids("stock_move")
    ctx.w.add("stock_move", {
        "id": mid, "name": name, "sequence": 10, "priority": "0", "date": when, "company_id": company,
        "product_id": product_id, "product_qty": qty, "product_uom_qty": qty, "product_uom": links.pop("uom", 1),
        "quantity": qty, "picked": True, "location_id": src, "location_dest_id": dst, "state": "done",
        "origin": name, "procure_method": "make_to_stock", "scrapped": False, "is_inventory": False,
        "warehouse_id": wid, "additional": False, "reference": name, "propagate_cancel": False, "is_done": True,
        "unit_factor": 1.0, "manual_consumption": False, **links, **magic(when)})
    return mid


def write_kit_story(ctx: Ctx, seed: int = 4212) -> None:
    """Write the kit products, BoMs, sale and purchase orders of the story (see the module doc)."""
    rng = random.Random(seed)
    sc = ctx.sc
    plant = next(p for p in sc.plants if p.manufactures and p.company_id == 1)
    comps = [c for c in sc.components if c.uom_id == 1 and c.vendor_id != STORY["late_vendor_id"]][:3]
    if len(comps) < 3:
        return
    _products(ctx, comps)
    cust = next(c for c in sc.customers if c.kind == "oem")
    vendor = next(v for v in sc.vendors if not v.late and v.id != STORY["excursion_vendor_id"])
    stock, cust_loc = plant.stock_loc, sc.locations["customer"]
    company = plant.company_id
    so_id = ctx.ids("sale_order")
    name = f"S{so_id:05d}"
    promise = at(ctx.today - timedelta(days=rng.randint(12, 16)), 6)
    before, after = promise - timedelta(hours=20), promise + timedelta(days=3)

    def out(pid, qty, line, when=before, **kw):
        return _move(ctx, pid, qty, stock, cust_loc, when, company, plant.id, name, sale_line_id=line, **kw)

    def back(pid, qty, line, when, origin, refund, **kw):
        return _move(ctx, pid, qty, cust_loc, stock, when, company, plant.id, f"Return of {name}", sale_line_id=line,
                     origin_returned_move_id=origin, to_refund=refund, **kw)

    c1, c2, c3 = (c.id for c in comps)
    lines = []  # (line id, product, qty, qty_delivered as Odoo stores it now)
    # complete: 5 kits = C1 10, C2 5 Dozens, C3 7.5
    l1 = ctx.ids("sale_order_line")
    out(c1, 10, l1, bom_line_id=90011)
    out(c2, 5, l1, bom_line_id=90012, uom=_DOZENS)
    out(c3, 7.5, l1, bom_line_id=90021)
    lines.append((l1, SERVICE_KIT_ID, 5.0, 5.0))
    # a component short: C3 6 of 7.5 -> 4 kits
    l2 = ctx.ids("sale_order_line")
    out(c1, 10, l2, bom_line_id=90011)
    out(c2, 60, l2, bom_line_id=90012)
    out(c3, 6, l2, bom_line_id=90021)
    lines.append((l2, SERVICE_KIT_ID, 5.0, 4.0))
    # a component returned with "Update quantities" after the promise day: 2 kits on time, 1 now
    l3 = ctx.ids("sale_order_line")
    first = out(c1, 4, l3, bom_line_id=90011)
    out(c2, 24, l3, bom_line_id=90012)
    out(c3, 3, l3, bom_line_id=90021)
    back(c1, 2, l3, after, first, True, bom_line_id=90011)
    lines.append((l3, SERVICE_KIT_ID, 2.0, 1.0))
    # a plain line: 3 back without "Update quantities", then sent again as a new delivery: 10 + 3 = 13
    l4 = ctx.ids("sale_order_line")
    first = out(c1, 10, l4)
    back(c1, 3, l4, before + timedelta(hours=2), first, False)
    out(c1, 3, l4, after)
    lines.append((l4, c1, 10.0, 13.0))
    # a plain line: 4 back with it after the promise day: OTIF, 6 now (late)
    l5 = ctx.ids("sale_order_line")
    first = out(c2, 10, l5)
    back(c2, 4, l5, after, first, True)
    lines.append((l5, c2, 10.0, 6.0))
    ctx.w.add("sale_order", {
        "id": so_id, "name": name, "company_id": company, "partner_id": cust.id, "state": "sale", "locked": False,
        "commitment_date": promise, "date_order": promise - timedelta(days=10), "partner_invoice_id": cust.id,
        "partner_shipping_id": cust.contacts[-1], "currency_id": 1, "currency_rate": 1.0, "user_id": 5,
        "picking_policy": "direct", "warehouse_id": plant.id, "invoice_status": "no", **magic(promise - timedelta(days=10))})
    for seq, (lid, pid, qty, delivered) in enumerate(lines, start=1):
        ctx.w.add("sale_order_line", {
            "id": lid, "order_id": so_id, "sequence": seq * 10, "company_id": company, "currency_id": 1,
            "order_partner_id": cust.id, "state": "sale", "display_type": None, "product_id": pid,
            "name": f"line {seq}", "product_uom_qty": qty, "product_uom": 1, "price_unit": 10.0, "customer_lead": 0.0,
            "qty_delivered_method": "stock_move", "qty_delivered": delivered, "qty_invoiced": 0.0,
            "invoice_status": "no", **magic(promise - timedelta(days=10))})
    _purchase(ctx, plant, vendor, c1, c3, promise - timedelta(days=2))


def _purchase(ctx: Ctx, plant, vendor, plain_id: int, comp_id: int, planned: datetime) -> None:
    po_id = ctx.ids("purchase_order")
    name = f"P{po_id:05d}"
    sup, stock, company = ctx.sc.locations["supplier"], plant.stock_loc, plant.company_id
    kit_line, plain_line = ctx.ids("purchase_order_line"), ctx.ids("purchase_order_line")
    when = planned - timedelta(hours=5)
    # 4 Fastener Packs (BoM makes 2 from 3 components): 6 components = 4 packs
    _move(ctx, comp_id, 6, sup, stock, when, company, plant.id, name, purchase_line_id=kit_line, bom_line_id=90021)
    # 20 received, 5 sent back without "Update quantities": Odoo still shows 20 received
    first = _move(ctx, plain_id, 20, sup, stock, when, company, plant.id, name, purchase_line_id=plain_line)
    _move(ctx, plain_id, 5, stock, sup, when + timedelta(days=1), company, plant.id, f"Return of {name}",
          purchase_line_id=plain_line, origin_returned_move_id=first, to_refund=False)
    ctx.w.add("purchase_order", {
        "id": po_id, "name": name, "partner_id": vendor.id, "company_id": company, "state": "purchase",
        "picking_type_id": plant.in_type, "date_order": planned - timedelta(days=10), "date_planned": planned,
        "currency_id": 1, "receipt_status": "full", **magic(planned - timedelta(days=10))})
    for seq, (lid, pid, qty) in enumerate(((kit_line, FASTENER_PACK_ID, 4.0), (plain_line, plain_id, 20.0)), start=1):
        ctx.w.add("purchase_order_line", {
            "id": lid, "order_id": po_id, "sequence": seq * 10, "name": f"line {seq}", "product_id": pid,
            "product_qty": qty, "product_uom_qty": qty, "product_uom": 1, "date_planned": planned, "price_unit": 5.0,
            "company_id": company, "state": "purchase", "qty_received_method": "stock_moves", "qty_received": qty,
            "qty_invoiced": 0.0, "partner_id": vendor.id, "currency_id": 1, "display_type": None,
            **magic(planned - timedelta(days=10))})
