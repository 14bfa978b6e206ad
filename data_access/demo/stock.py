"""Stock ledger of the demo: pickings, stock moves (+ their move lines), valuation layers and the
running on-hand per (product, location, lot) that becomes ``stock_quant`` at the end.

A done move that enters or leaves an internal location gets a ``stock_valuation_layer`` (positive
value in, negative value out) at the product's cost, created at the move's date.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from data_access.demo.masterdata import ADMIN
from data_access.demo.scenario import Product, Scenario
from data_access.demo.writer import RowWriter

__all__ = ["Ids", "Ledger"]


class Ids:
    """Sequential ids per table (and named sequences for document numbers)."""

    def __init__(self):
        self._next: dict[str, int] = defaultdict(int)

    def __call__(self, key: str) -> int:
        self._next[key] += 1
        return self._next[key]


def magic(when: datetime) -> dict:
    return {"create_uid": ADMIN, "write_uid": ADMIN, "create_date": when, "write_date": when}


class Ledger:
    """Writes pickings, moves, move lines and valuation layers; keeps on-hand quantities."""

    def __init__(self, w: RowWriter, sc: Scenario, ids: Ids, rng: random.Random):
        self.w, self.sc, self.ids, self.rng = w, sc, ids, rng
        self.internal = {p.stock_loc: p for p in sc.plants}
        self.onhand: dict[tuple[int, int, int | None], float] = defaultdict(float)
        self.totals: dict[tuple[int, int], float] = defaultdict(float)   # (product, location), all lots
        self.products = {p.id: p for p in sc.products}
        self.lots: dict[str, int] = {}

    # -- documents -------------------------------------------------------------------------------
    def picking(self, *, prefix: str, ptype: int, company: int, src: int, dst: int, partner: int | None,
                scheduled: datetime, done: datetime | None, state: str, origin: str, sale_id: int | None = None,
                backorder_id: int | None = None, return_id: int | None = None) -> int:
        pid = self.ids("stock_picking")
        # created the day before it is due, but not after it was done nor after the story's clock
        created = min(d for d in (scheduled - timedelta(days=1), done if state == "done" else None, self.w.clock)
                      if d is not None)
        self.w.add("stock_picking", {
            "id": pid, "name": f"{prefix}/{pid:06d}", "origin": origin, "backorder_id": backorder_id,
            "return_id": return_id, "move_type": "direct", "state": state, "priority": "0",
            "scheduled_date": scheduled, "date_deadline": scheduled, "has_deadline_issue": False,
            "date": created, "date_done": done if state == "done" else None,
            "location_id": src, "location_dest_id": dst, "picking_type_id": ptype, "partner_id": partner,
            "company_id": company, "user_id": ADMIN, "printed": state == "done", "is_locked": True, "sale_id": sale_id,
            **magic(created)})
        return pid

    def lot(self, product: Product, name: str, company: int, when: datetime) -> int:
        """The stock.lot named ``name`` of ``product`` (created on first use)."""
        if name not in self.lots:
            lid = self.ids("stock_lot")
            self.lots[name] = lid
            self.w.add("stock_lot", {"id": lid, "name": name, "ref": f"Vendor charge {name[-4:]}", "product_id": product.id,
                                     "product_uom_id": product.uom_id, "company_id": company, **magic(when)})
        return self.lots[name]

    def move(self, product: Product, qty: float, src: int, dst: int, *, state: str, date: datetime, company: int,
             warehouse: int | None, name: str, ptype: int | None = None, picking: int | None = None,
             lot: int | None = None, partner: int | None = None, deadline: datetime | None = None, **links) -> int:
        """Write a stock move of ``qty`` (done when ``state == 'done'``); return its id.

        ``links`` are stock_move link columns (production_id, raw_material_production_id, purchase_line_id,
        sale_line_id, workorder_id, scrap_id, scrapped, is_inventory, origin_returned_move_id, ...).
        """
        mid = self.ids("stock_move")
        done = state == "done"
        reserved = qty if state in ("assigned", "done") else 0.0
        self.w.add("stock_move", {
            "id": mid, "name": name, "sequence": 10, "priority": "0", "date": date, "date_deadline": deadline,
            "company_id": company, "product_id": product.id, "product_qty": qty, "product_uom_qty": qty,
            "product_uom": product.uom_id, "quantity": reserved, "picked": done, "location_id": src,
            "location_dest_id": dst, "location_final_id": None, "partner_id": partner, "picking_id": picking,
            "state": state, "price_unit": product.cost, "origin": name, "procure_method": "make_to_stock",
            "scrapped": links.pop("scrapped", False), "picking_type_id": ptype, "is_inventory": links.pop("is_inventory", False),
            "warehouse_id": warehouse, "additional": False, "reference": name, "propagate_cancel": False,
            "is_done": done, "unit_factor": 1.0, "manual_consumption": False, **links, **magic(date)})
        if state in ("assigned", "done"):
            self.w.add("stock_move_line", {
                "id": self.ids("stock_move_line"), "picking_id": picking, "move_id": mid, "company_id": company,
                "product_id": product.id, "product_uom_id": product.uom_id, "quantity": qty,
                "quantity_product_uom": qty, "picked": done, "lot_id": lot, "date": date, "location_id": src,
                "location_dest_id": dst, "state": state, "reference": name,
                "workorder_id": links.get("workorder_id"), "production_id": links.get("production_id"),
                "product_category_name": self.sc.categories[product.categ_id][0], **magic(date)})
        if done:
            self._book(product, qty, src, dst, lot, mid, company, date, name)
        return mid

    def _book(self, product: Product, qty: float, src: int, dst: int, lot, mid: int, company: int, when: datetime,
              name: str) -> None:
        sign = 0
        if src in self.internal:
            self.onhand[(product.id, src, lot)] -= qty
            self.totals[(product.id, src)] -= qty
            sign -= 1
        if dst in self.internal:
            self.onhand[(product.id, dst, lot)] += qty
            self.totals[(product.id, dst)] += qty
            sign += 1
        if sign:
            value = round(sign * qty * product.cost, 2)
            self.w.add("stock_valuation_layer", {
                "id": self.ids("stock_valuation_layer"), "company_id": company, "product_id": product.id,
                "categ_id": product.categ_id, "quantity": sign * qty, "unit_cost": product.cost, "value": value,
                "remaining_qty": qty if sign > 0 else 0.0, "remaining_value": value if sign > 0 else 0.0,
                "description": name, "stock_move_id": mid, **magic(when)})

    # -- end of history --------------------------------------------------------------------------
    def write_quants(self, when: datetime) -> None:
        """One stock_quant per (product, internal location, lot) with a non-zero on-hand."""
        for (pid, loc, lot), qty in sorted(self.onhand.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)):
            if abs(qty) < 1e-9:
                continue
            plant = self.internal[loc]
            self.w.add("stock_quant", {"id": self.ids("stock_quant"), "product_id": pid, "company_id": plant.company_id,
                                       "location_id": loc, "lot_id": lot, "quantity": round(qty, 4),
                                       "reserved_quantity": 0.0, "in_date": when, "inventory_quantity": 0.0,
                                       "inventory_diff_quantity": 0.0, "inventory_quantity_set": False,
                                       **magic(when)})

