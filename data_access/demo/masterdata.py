"""Master data rows of the demo: companies, users, partners, units, locations, warehouses, operation
types, work centers and losses, products, BoMs and routings, installed modules.

``write_master(w, sc, version, created)`` writes them through a ``RowWriter`` and fills the ids the
history needs into the ``Scenario`` (locations, operation types, BoM and routing ids).
"""
from __future__ import annotations

from datetime import datetime

from data_access.demo.scenario import Scenario, tr
from data_access.demo.writer import RowWriter

__all__ = ["write_master", "LOSSES", "MODULES", "ADMIN"]

ADMIN = 2  # res_users id of the administrator (create_uid of everything)

# Odoo's default loss records (addons/mrp/data/mrp_data.xml): id -> (name, de, loss type id, sequence, manual)
LOSS_TYPES = {1: "availability", 2: "performance", 3: "quality", 4: "productive"}
LOSSES = {
    1: ("Material Availability", "Materialverfuegbarkeit", 1, 1, True),
    2: ("Equipment Failure", "Anlagenausfall", 1, 2, True),
    3: ("Setup and Adjustments", "Ruesten und Einstellen", 1, 3, True),
    4: ("Reduced Speed", "Reduzierte Geschwindigkeit", 2, 5, False),
    5: ("Process Defect", "Prozessfehler", 3, 6, True),
    6: ("Reduced Yield", "Reduzierte Ausbeute", 3, 7, True),
    7: ("Fully Productive Time", "Voll produktive Zeit", 4, 0, False),
}
MODULES = {"base": "1.3", "product": "1.2", "uom": "1.0", "stock": "1.1", "stock_account": "1.1", "mrp": "2.0",
           "purchase": "1.2", "purchase_stock": "1.0", "sale": "1.2", "sale_stock": "1.0", "account": "1.2",
           "maintenance": "1.0", "resource": "1.1", "web": "1.0", "mail": "1.15"}
_USERS = [(1, 3, "__system__", "OdooBot", False), (2, 4, "admin", "Administrator", True),
          (3, 5, "jana.novak", "Jana Novak", True), (4, 6, "markus.weber", "Markus Weber", True),
          (5, 7, "laura.schmidt", "Laura Schmidt", True)]


def _magic(created: datetime) -> dict:
    return {"create_uid": ADMIN, "write_uid": ADMIN, "create_date": created, "write_date": created}


def write_master(w: RowWriter, sc: Scenario, version: str, created: datetime, modules: dict | None = None) -> None:
    """Write every master-data row and record the generated ids in ``sc``."""
    m = _magic(created)
    for i, (code, name, sym, pos) in enumerate([("EUR", "Euro", "€", "after"), ("USD", "US Dollar", "$", "before"),
                                                 ("MXN", "Mexican Peso", "$", "before")], start=1):
        w.add("res_currency", {"id": i, "name": code, "full_name": name, "symbol": sym, "rounding": 0.01,
                               "decimal_places": 2, "active": True, "position": pos, **m})
    w.add("res_currency_rate", {"id": 1, "name": created.date(), "rate": 1.08, "currency_id": 2, "company_id": 1, **m})
    w.add("res_currency_rate", {"id": 2, "name": created.date(), "rate": 19.4, "currency_id": 3, "company_id": 1, **m})
    for cid, name in sc.companies.items():
        partner = sc.company_partners.get(cid, cid)
        w.add("res_company", {"id": cid, "name": name, "active": True, "sequence": cid * 10, "partner_id": partner,
                              "currency_id": sc.company_currencies.get(cid, 1), "parent_path": f"{cid}/",
                              "email": f"info{cid}@nordwerk.example", "layout_background": "Blank", **m})
        country, city = {1: ("DE", "Stuttgart"), 2: ("DE", "Neuss")}.get(cid, ("US", "Atlanta"))
        _partner(w, m, partner, name, True, country, None, None, city)
    for uid, pid, login, name, active in _USERS:
        _partner(w, m, pid, name, False, "DE", None, None, "Stuttgart", email=f"{login}@nordwerk.example", active=active)
        w.add("res_users", {"id": uid, "partner_id": pid, "login": login, "active": active, "share": False,
                            "company_id": 1, **m})
        w.add("res_groups_users_rel", {"gid": 1, "uid": uid})
        for cid in sc.companies:
            w.add("res_company_users_rel", {"cid": cid, "user_id": uid})
    w.add("res_groups", {"id": 1, "name": tr("Internal User", "Interner Benutzer"), "share": False, **m})
    for v in sc.vendors:
        _partner(w, m, v.id, v.name, True, v.country, None, None, None, supplier=1)
        _partner(w, m, v.contacts[0], f"Key Account {v.country}", False, v.country, v.id, v.name, None, supplier=0)
    for c in sc.customers:
        _partner(w, m, c.id, c.name, True, c.country, None, None, None, customer=1)
        for n, contact in enumerate(c.contacts):
            _partner(w, m, contact, ("Purchasing" if n == 0 else "Logistics") + f" {c.country}", False, c.country,
                     c.id, c.name, None, ptype="contact" if n == 0 else "delivery")
    _units(w, m)
    for cat_id, (name, parent) in sc.categories.items():
        full = name if parent is None else f"{_full(sc, parent)} / {name}"
        path = f"{cat_id}/" if parent is None else f"{_path(sc, parent)}{cat_id}/"
        w.add("product_category", {"id": cat_id, "name": name, "complete_name": full, "parent_id": parent,
                                   "parent_path": path, **m})
    _locations(w, m, sc, version)
    _workcenters(w, m, sc)
    _products(w, m, sc, version)
    for i, (name, ver) in enumerate(sorted((modules or MODULES).items()), start=1):
        w.add("ir_module_module", {"id": i, "name": name, "state": "installed", "latest_version": f"{version}.{ver}",
                                   "shortdesc": tr(name.replace("_", " ").title()), "author": "Odoo S.A.",
                                   "license": "LGPL-3", "application": name in ("stock", "mrp", "purchase", "sale",
                                                                                 "account", "maintenance"),
                                   "auto_install": False, "demo": False, **m})


def _full(sc: Scenario, cat: int) -> str:
    name, parent = sc.categories[cat]
    return name if parent is None else f"{_full(sc, parent)} / {name}"


def _path(sc: Scenario, cat: int) -> str:
    parent = sc.categories[cat][1]
    return f"{cat}/" if parent is None else f"{_path(sc, parent)}{cat}/"


def _partner(w, m, pid, name, is_company, country, parent_id, parent_name, city, *, supplier=0, customer=0,
             email=None, active=True, ptype="contact"):
    w.add("res_partner", {
        "id": pid, "name": name, "complete_name": f"{parent_name}, {name}" if parent_name else name,
        "parent_id": parent_id, "commercial_partner_id": parent_id or pid, "commercial_company_name":
        parent_name or (name if is_company else None), "is_company": is_company, "type": ptype, "active": active,
        "lang": "de_DE" if country in ("DE", "AT") else "en_US", "tz": "Europe/Berlin", "city": city,
        "email": email or f"contact{pid}@partner.example", "customer_rank": customer, "supplier_rank": supplier,
        "partner_share": pid > 7, "employee": False, "ref": f"P{pid:05d}" if is_company else None, **m})


def _units(w, m) -> None:
    w.add("uom_category", {"id": 1, "name": tr("Unit", "Einheit"), **m})
    w.add("uom_category", {"id": 2, "name": tr("Weight", "Gewicht"), **m})
    for uid, (en, de, cat, factor, utype) in enumerate([("Units", "Stk", 1, 1.0, "reference"),
                                                         ("Dozens", "Dutzend", 1, 1 / 12, "bigger"),
                                                         ("kg", "kg", 2, 1.0, "reference"),
                                                         ("g", "g", 2, 1000.0, "smaller")], start=1):
        w.add("uom_uom", {"id": uid, "name": tr(en, de), "category_id": cat, "factor": factor, "rounding": 0.01,
                          "active": True, "uom_type": utype, **m})


def _loc(w, m, lid, name, full, usage, parent, path, company, wh=None, scrap=False):
    w.add("stock_location", {"id": lid, "name": name, "complete_name": full, "active": True, "usage": usage,
                             "location_id": parent, "parent_path": path, "company_id": company, "warehouse_id": wh,
                             "scrap_location": scrap, "return_location": False, "replenish_location":
                             usage == "internal" and name == "Stock", **m})


def _locations(w: RowWriter, m: dict, sc: Scenario, version: str) -> None:
    L = sc.locations
    _loc(w, m, 1, "Physical Locations", "Physical Locations", "view", None, "1/", None)
    _loc(w, m, 2, "Partners", "Partners", "view", None, "2/", None)
    _loc(w, m, 3, "Virtual Locations", "Virtual Locations", "view", None, "3/", None)
    _loc(w, m, 4, "Vendors", "Partners/Vendors", "supplier", 2, "2/4/", None)
    _loc(w, m, 5, "Customers", "Partners/Customers", "customer", 2, "2/5/", None)
    _loc(w, m, 6, "Inter-warehouse transit", "Physical Locations/Inter-warehouse transit", "transit", 1, "1/6/", None)
    L.update(supplier=4, customer=5, transit=6)
    lid = 7
    for cid in sc.companies:
        for key, name, usage, scrap in (("production", "Production", "production", False),
                                        ("scrap", "Scrap", "inventory", True),
                                        ("inventory", "Inventory adjustment", "inventory", False)):
            _loc(w, m, lid, name, f"Virtual Locations/{name}", usage, 3, f"3/{lid}/", cid, scrap=scrap)
            L[f"{key}_{cid}"] = lid
            lid += 1
    lid, ptid = 20, 1
    for p in sc.plants:
        p.view_loc, p.stock_loc = lid, lid + 1
        _loc(w, m, lid, p.code, p.code, "view", 1, f"1/{lid}/", p.company_id, p.id)
        _loc(w, m, lid + 1, "Stock", f"{p.code}/Stock", "internal", lid, f"1/{lid}/{lid + 1}/", p.company_id, p.id)
        lid += 2
        types = [("in_type", "Receipts", "Wareneingang", "incoming", "IN", L["supplier"], p.stock_loc),
                 ("out_type", "Delivery Orders", "Lieferungen", "outgoing", "OUT", p.stock_loc, L["customer"]),
                 ("int_type", "Internal Transfers", "Interne Transfers", "internal", "INT", p.stock_loc, p.stock_loc)]
        if p.manufactures:
            types.append(("mrp_type", "Manufacturing", "Fertigung", "mrp_operation", "MO", p.stock_loc, p.stock_loc))
        for seq, (attr, en, de, code, seq_code, src, dst) in enumerate(types):
            setattr(p, attr, ptid)
            w.add("stock_picking_type", {"id": ptid, "name": tr(en, de), "code": code, "sequence": seq,
                                         "sequence_code": seq_code, "default_location_src_id": src,
                                         "default_location_dest_id": dst, "warehouse_id": p.id, "active": True,
                                         "company_id": p.company_id, "reservation_method": "at_confirm",
                                         "create_backorder": "ask", "use_create_lots": code == "incoming",
                                         "use_existing_lots": True, "show_operations": False, "show_reserved": True,
                                         "move_type": "direct", "color": seq, **m})
            ptid += 1
        w.add("stock_warehouse", {"id": p.id, "name": p.name, "code": p.code, "active": True,
                                  "company_id": p.company_id, "partner_id": p.partner_id, "view_location_id": p.view_loc,
                                  "lot_stock_id": p.stock_loc, "reception_steps": "one_step",
                                  "delivery_steps": "ship_only", "in_type_id": p.in_type, "out_type_id": p.out_type,
                                  "int_type_id": p.int_type, "sequence": p.id, "buy_to_resupply": True, **m})


def _workcenters(w: RowWriter, m: dict, sc: Scenario) -> None:
    for tid, lt in LOSS_TYPES.items():
        w.add("mrp_workcenter_productivity_loss_type", {"id": tid, "loss_type": lt, **m})
    for lid, (en, de, tid, seq, manual) in LOSSES.items():
        w.add("mrp_workcenter_productivity_loss", {"id": lid, "name": tr(en, de), "loss_id": tid, "sequence": seq,
                                                   "manual": manual, "loss_type": LOSS_TYPES[tid], **m})
    w.add("maintenance_team", {"id": 1, "name": tr("Internal Maintenance", "Instandhaltung"), "active": True,
                               "company_id": 1, **m})
    for sid, (en, de, done) in enumerate([("New Request", "Neue Anfrage", False), ("In Progress", "In Bearbeitung", False),
                                          ("Repaired", "Repariert", True), ("Scrap", "Verschrottet", True)], start=1):
        w.add("maintenance_stage", {"id": sid, "name": tr(en, de), "sequence": sid, "fold": done, "done": done, **m})
    w.add("maintenance_equipment_category", {"id": 1, "name": tr("Production Machines", "Produktionsmaschinen"),
                                             "company_id": 1, "fold": False, **m})
    for p in sc.plants:
        for wc in p.workcenters:
            w.add("resource_resource", {"id": wc.id, "name": wc.name, "active": True, "company_id": p.company_id,
                                        "resource_type": "material", "time_efficiency": 100.0, "tz": "Europe/Berlin", **m})
            w.add("mrp_workcenter", {"id": wc.id, "name": wc.name, "code": wc.code, "active": True,
                                     "time_efficiency": 100.0, "default_capacity": 1.0, "sequence": wc.id,
                                     "costs_hour": wc.costs_hour, "time_start": 10.0, "time_stop": 5.0,
                                     "working_state": "blocked" if wc.breakdown else "normal", "oee_target": 85.0,
                                     "resource_id": wc.id, "company_id": p.company_id, "color": wc.id % 12, **m})
            w.add("maintenance_equipment", {"id": wc.id, "name": tr(wc.name), "active": True, "category_id": 1,
                                            "company_id": p.company_id, "maintenance_team_id": 1,
                                            "serial_no": f"SN-{wc.code}-{wc.id:04d}", "model": wc.code,
                                            "location": p.name, "expected_mtbf": 30 if wc.breakdown else 180,
                                            "effective_date": m["create_date"].date(), "cost": wc.costs_hour * 1000,
                                            **m})


def _products(w: RowWriter, m: dict, sc: Scenario, version: str) -> None:
    storable = {"detailed_type": "product", "type": "product"} if version.startswith("17") else \
        {"type": "consu", "is_storable": True}
    bom_id = rt_id = line_id = op_id = 1
    for p in sc.products:
        fg = p.kind == "fg"
        w.add("product_template", {"id": p.id, "name": tr(p.name, p.name_de), "sequence": 1, **storable,
                                   "categ_id": p.categ_id, "list_price": p.price, "sale_ok": fg, "purchase_ok": not fg,
                                   "uom_id": p.uom_id, "uom_po_id": p.uom_id, "active": True, "default_code": p.code,
                                   "priority": "0", "is_favorite": False, "service_tracking": "no",
                                   "weight": 1.2 if fg else 0.3, **m})
        prod = {"id": p.id, "product_tmpl_id": p.id, "default_code": p.code, "active": True,
                "combination_indices": "", **m}
        if version.startswith("18"):
            prod["standard_price"] = {str(cid): p.cost for cid in sc.companies}
        w.add("product_product", prod)
        if version.startswith("17"):
            for cid in sc.companies:
                w.add("ir_property", {"id": p.id * 10 + cid, "name": "standard_price", "type": "float",
                                      "res_id": f"product.product,{p.id}", "company_id": cid, "value_float": p.cost,
                                      **m})
        if not fg:
            continue
        plant = sc.plant(p.plant_id)
        p.bom_id = bom_id
        w.add("mrp_bom", {"id": bom_id, "code": f"BOM-{p.code}", "active": True, "type": "normal",
                          "product_tmpl_id": p.id, "product_qty": 1.0, "product_uom_id": 1, "sequence": 1,
                          "ready_to_produce": "all_available", "picking_type_id": plant.mrp_type, "company_id": 1,
                          "consumption": "warning", "allow_operation_dependencies": False, "produce_delay": 2,
                          "days_to_prepare_mo": 0, **m})
        ops = []
        for seq, (_r, wc, minutes) in enumerate(p.operations, start=1):
            w.add("mrp_routing_workcenter", {"id": rt_id, "name": wc.name.split(" ", 1)[-1], "active": True,
                                             "workcenter_id": wc.id, "sequence": seq * 10, "bom_id": bom_id,
                                             "worksheet_type": "text", "time_mode": "manual", "time_mode_batch": 10,
                                             "time_cycle_manual": minutes, **m})
            ops.append((rt_id, wc, minutes))
            rt_id += 1
        p.operations = ops
        for seq, (comp, qty) in enumerate(p.components, start=1):
            w.add("mrp_bom_line", {"id": line_id, "product_id": comp.id, "product_tmpl_id": comp.id, "company_id": 1,
                                   "product_qty": qty, "product_uom_id": 1, "sequence": seq, "bom_id": bom_id,
                                   "operation_id": ops[0][0], "manual_consumption": False, **m})
            line_id += 1
        bom_id += 1
        op_id += 1
