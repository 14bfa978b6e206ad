"""The demo's cast: a Tier-1 automotive supplier (companies, sites, work centers, partners, products).

``build_scenario(scale, rng)`` returns a ``Scenario`` holding plain dataclasses with every id the
history generators need. Ids are fixed for the story's named actors (see ``STORY``), so a viewer and
the tests can find them; scale adds products and customers after them.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

__all__ = ["Scenario", "Plant", "WorkCenter", "Product", "Partner", "build_scenario", "STORY", "tr"]


def tr(en: str, de: str | None = None) -> dict:
    """A translated value as Odoo stores it (jsonb): ``{"en_US": ..., "de_DE": ...}``."""
    return {"en_US": en, "de_DE": de or en}


# Fixed ids of the story's actors (documented in the report and used by the tests).
STORY = {
    "company_main": 1,
    "company_distribution": 2,
    "company_usd": 3,                # Nordwerk Automotive USA Inc.: books in USD, invoices only (no site)
    "two_currency_customer_id": 53,  # Cascadia Trucks Inc.: buys from company 1 (EUR) and company 3 (USD)
    "late_vendor_id": 20,            # Shenzhen Lianfa Electronics Co., Ltd.
    "excursion_vendor_id": 22,       # Fonderia Bresciana S.p.A.
    "breakdown_workcenter_id": 6,    # PLZ Hydraulic Press 2
    "breakdown_warehouse_id": 2,     # PLZ plant
    "excursion_warehouse_id": 1,     # STU plant
    "poor_margin_category_id": 7,    # Cable Harnesses
}


@dataclass
class WorkCenter:
    id: int
    name: str
    code: str
    costs_hour: float
    breakdown: bool = False


@dataclass
class Plant:
    """A stock.warehouse: a plant (manufactures) or a distribution centre (company 2)."""
    id: int
    code: str
    name: str
    company_id: int
    partner_id: int
    manufactures: bool
    view_loc: int = 0
    stock_loc: int = 0
    in_type: int = 0
    out_type: int = 0
    int_type: int = 0
    mrp_type: int | None = None
    workcenters: list[WorkCenter] = field(default_factory=list)


@dataclass
class Partner:
    id: int
    name: str
    kind: str                        # vendor | oem | aftermarket | intercompany
    country: str
    company_id: int | None = None    # for customers: the selling company
    contacts: list[int] = field(default_factory=list)
    lead_days: int = 10
    payment_days: int = 30
    late: bool = False
    slow_payer: bool = False


@dataclass
class Product:
    """A product.product (and its template, same id): finished good or purchased component."""
    id: int
    name: str
    name_de: str
    code: str
    categ_id: int
    kind: str                        # fg | comp
    cost: float
    price: float = 0.0
    vendor_id: int | None = None
    plant_id: int | None = None      # fg: the plant that makes it
    bom_id: int | None = None
    components: list[tuple[Product, float]] = field(default_factory=list)
    operations: list[tuple[int, WorkCenter, float]] = field(default_factory=list)  # (routing id, wc, min/unit)
    lot_tracked: bool = False
    uom_id: int = 1
    markup: float = 1.0


@dataclass
class Scenario:
    scale: int
    companies: dict[int, str]
    plants: list[Plant]
    vendors: list[Partner]
    customers: list[Partner]
    categories: dict[int, tuple[str, int | None]]
    finished: list[Product]
    components: list[Product]
    locations: dict[str, int]        # shared/virtual locations by key ('supplier', 'customer', 'production_1', ...)
    excursion_component_id: int = 0
    # res_currency id of each company (1 EUR, 2 USD); a company not named here keeps its books in EUR
    company_currencies: dict[int, int] = field(default_factory=dict)
    company_partners: dict[int, int] = field(default_factory=dict)  # res_partner of a company, when not its id

    def plant(self, wid: int) -> Plant:
        return next(p for p in self.plants if p.id == wid)

    @property
    def products(self) -> list[Product]:
        return self.finished + self.components


_PLANTS = [
    (1, "STU", "Stuttgart Plant", 1, [("Press Line 1", "PRS1", 95), ("CNC Machining Cell", "CNC1", 110),
                                       ("Robot Welding", "WLD1", 105), ("Assembly Line A", "ASMA", 80),
                                       ("End-of-Line Test", "EOLT", 70)]),
    (2, "PLZ", "Plzen Plant", 1, [("Hydraulic Press 2", "HPR2", 90), ("Die Casting Cell", "DCC1", 120),
                                   ("Harness Assembly", "HAS1", 55), ("Final Assembly PLZ", "FAP1", 60)]),
    (3, "QRO", "Queretaro Plant", 1, [("Stamping Line", "STP1", 70), ("Injection Moulding", "INJ1", 85),
                                       ("Sensor Assembly", "SNA1", 65), ("Packing & Test QRO", "PKT1", 45)]),
]
_DCS = [(4, "NEU", "Neuss Distribution Center"), (5, "ATL", "Atlanta Distribution Center")]

_CATEGORIES = {1: ("All", None), 2: ("Finished Goods", 1), 3: ("Components", 1),
               4: ("Brake Systems", 2), 5: ("Steering & Chassis", 2), 6: ("Powertrain Sensors", 2),
               7: ("Cable Harnesses", 2), 8: ("Castings", 3), 9: ("Electronics", 3), 10: ("Fasteners & Rubber", 3),
               11: ("Raw Materials", 3)}

_VENDORS = [  # (name, country, lead days, component category)
    ("Shenzhen Lianfa Electronics Co., Ltd.", "CN", 21, 9),
    ("Fonderia Bresciana S.p.A.", "IT", 10, 8),
    ("Boehlerit Stahl GmbH", "AT", 8, 11),
    ("Schrauben Wagner GmbH", "DE", 5, 10),
    ("Elastomer Technik Kft.", "HU", 9, 10),
    ("Kabelwerk Lausitz GmbH", "DE", 7, 11),
    ("Precision Sensors s.r.o.", "CZ", 6, 9),
    ("Aceros del Bajio S.A. de C.V.", "MX", 9, 11),
    ("Polimeros Industriales S.A.", "MX", 8, 11),
    ("Castech Alloys Ltd.", "GB", 12, 8),
    ("Nordic Bearings AB", "SE", 10, 10),
    ("Yazaki Connect Europe B.V.", "NL", 11, 9),
]
_OEMS = [("Bayerische Fahrzeugwerke AG", "DE", 45), ("Volta Motors S.A.", "FR", 60),
         ("Stellar Automotive N.V.", "NL", 60), ("Cascadia Trucks Inc.", "US", 30), ("Maya Motores S.A.", "MX", 45)]
_DISTRIBUTORS = [("Autoteile Krause KG", "DE", 30), ("Pieces Auto Lefebvre SARL", "FR", 30),
                 ("PartsPoint UK Ltd.", "GB", 30), ("Ricambi Nord S.r.l.", "IT", 60),
                 ("Midwest Auto Supply LLC", "US", 30), ("Iberia Recambios S.L.", "ES", 45),
                 ("Polmoto Sp. z o.o.", "PL", 30), ("Nordic Car Parts AS", "NO", 30)]
_FAMILIES = {  # category -> (plant, [(name en, name de)], markup range)
    4: (1, [("Brake Caliper Assembly", "Bremssattel-Baugruppe"), ("Brake Booster Unit", "Bremskraftverstaerker"),
            ("Parking Brake Actuator", "Feststellbremsaktuator")], (1.32, 1.55)),
    5: (2, [("Steering Knuckle", "Achsschenkel"), ("Control Arm", "Querlenker"),
            ("Tie Rod Assembly", "Spurstange")], (1.30, 1.50)),
    6: (3, [("Wheel Speed Sensor", "Raddrehzahlsensor"), ("Crankshaft Position Sensor", "Kurbelwellensensor"),
            ("Exhaust Temperature Sensor", "Abgastemperatursensor")], (1.40, 1.65)),
    7: (2, [("Engine Cable Harness", "Motorkabelbaum"), ("Door Cable Harness", "Tuerkabelbaum"),
            ("Battery Cable Set", "Batteriekabelsatz")], (1.02, 1.06)),
}
_COMPONENTS = {  # category -> [(name en, name de, cost)]
    8: [("Brake Caliper Housing Casting", "Bremssattel-Gussgehaeuse", 14.8), ("Knuckle Casting AlSi7", "Achsschenkel-Guss AlSi7", 21.5),
        ("Sensor Housing Die Cast", "Sensorgehaeuse Druckguss", 2.4)],
    9: [("Hall Sensor IC", "Hall-Sensor-IC", 1.85), ("Control PCB Assembly", "Steuerplatine", 12.9),
        ("Connector 12-pin", "Steckverbinder 12-polig", 0.95)],
    10: [("M10 Flange Bolt", "M10 Flanschschraube", 0.12), ("Piston Seal Kit", "Kolbendichtungssatz", 1.4),
         ("Ball Joint", "Kugelgelenk", 4.6)],
    11: [("Steel Coil DC04", "Stahlband DC04", 3.1), ("Copper Wire 2.5mm2", "Kupferdraht 2,5mm2", 2.2),
         ("PA66 Granulate", "PA66-Granulat", 1.7)],
}


def build_scenario(scale: int, rng: random.Random) -> Scenario:
    """Return the master data of the story; ``scale`` multiplies products and customers by ~sqrt(scale)."""
    k = max(1, int(math.sqrt(scale)))
    plants: list[Plant] = []
    wc_id = 1
    for wid, code, name, company, wcs in _PLANTS:
        p = Plant(wid, code, name, company, partner_id=1, manufactures=True)
        for wname, wcode, cost in wcs:
            full = wname if wname.endswith(code) else f"{code} {wname}"
            p.workcenters.append(WorkCenter(wc_id, full, f"{code}-{wcode}", float(cost),
                                            breakdown=(wc_id == STORY["breakdown_workcenter_id"])))
            wc_id += 1
        plants.append(p)
    for wid, code, name in _DCS:
        plants.append(Plant(wid, code, name, 2, partner_id=2, manufactures=False))

    pid = 20
    vendors = []
    for name, country, lead, _cat in _VENDORS:
        v = Partner(pid, name, "vendor", country, lead_days=lead, late=(pid == STORY["late_vendor_id"]))
        v.contacts = [pid + 1]
        vendors.append(v)
        pid += 2
    customers = []
    for rep in range(k):
        suffix = "" if rep == 0 else f" ({rep + 1})"
        for name, country, days in _OEMS:
            c = Partner(pid, name + suffix, "oem", country, company_id=1, payment_days=days)
            c.contacts = [pid + 1, pid + 2]
            customers.append(c)
            pid += 3
        for i, (name, country, days) in enumerate(_DISTRIBUTORS):
            c = Partner(pid, name + suffix, "aftermarket", country, company_id=2, payment_days=days,
                        slow_payer=(i == 0))
            c.contacts = [pid + 1, pid + 2]
            customers.append(c)
            pid += 3

    components: list[Product] = []
    prod_id = 1
    for rep in range(k):
        for categ, items in _COMPONENTS.items():
            for en, de, cost in items:
                vendor = _vendor_for(categ, en, vendors, sum(1 for c in components if c.categ_id == categ))
                c = Product(prod_id, en if rep == 0 else f"{en} V{rep + 1}", de, f"C{prod_id:05d}", categ, "comp",
                            round(cost * rng.uniform(0.95, 1.05), 4), vendor_id=vendor.id,
                            lot_tracked=(categ == 8 and en.startswith("Brake Caliper")))
                c.price = round(c.cost * 1.3, 2)
                components.append(c)
                prod_id += 1
    finished: list[Product] = []
    for rep in range(k):
        for categ, (plant_id, names, (lo, hi)) in _FAMILIES.items():
            for n, (en, de) in enumerate(names):
                fg = Product(prod_id, en if rep == 0 else f"{en} Gen{rep + 1}", de, f"FG{prod_id:05d}", categ, "fg", 0.0,
                             plant_id=plant_id)
                fg.components = _pick_components(categ, components, rng)
                plant = next(p for p in plants if p.id == plant_id)
                fg.operations = [(0, plant.workcenters[i], round(rng.uniform(0.4, 1.6), 2))
                                 for i in _FAMILY_OPERATIONS[categ][n]]
                fg.markup = rng.uniform(lo, hi)
                fg.cost = round(sum(c.cost * q for c, q in fg.components)
                                + sum(m * wc.costs_hour / 60 for _r, wc, m in fg.operations), 4)
                fg.price = round(fg.cost * fg.markup, 2)
                finished.append(fg)
                prod_id += 1
    excursion = next(c for c in components if c.lot_tracked)
    return Scenario(scale, {1: "Nordwerk Automotive GmbH", 2: "Nordwerk Parts Distribution GmbH",
                            3: "Nordwerk Automotive USA Inc."}, plants, vendors, customers, dict(_CATEGORIES), finished,
                    components, {}, excursion.id, company_currencies={1: 1, 2: 1, 3: 2},
                    company_partners={3: 8})  # partners 3..7 are the users'



def _vendor_for(categ: int, name: str, vendors: list[Partner], turn: int) -> Partner:
    if name.startswith("Brake Caliper Housing"):
        return next(v for v in vendors if v.id == STORY["excursion_vendor_id"])
    if name in ("Hall Sensor IC", "Control PCB Assembly"):
        return next(v for v in vendors if v.id == STORY["late_vendor_id"])
    pool = [v for v, (_n, _c, _l, cat) in zip(vendors, _VENDORS) if cat == categ and not v.late
            and v.id != STORY["excursion_vendor_id"]]
    return pool[turn % len(pool)]


_FAMILY_OPERATIONS = {  # per product of the family: indexes of the plant's work centers, in routing order
    4: [[0, 1, 3, 4], [0, 2, 3, 4], [1, 2, 3, 4]], 5: [[0, 1, 3], [0, 1, 3], [1, 0, 3]],
    6: [[1, 2, 3], [0, 2, 3], [0, 1, 2, 3]], 7: [[2, 0, 3], [2, 3], [2, 0, 3]]}
_FAMILY_COMPONENTS = {4: [8, 10, 11], 5: [8, 10, 11], 6: [9, 8, 11], 7: [11, 9, 10]}


def _pick_components(categ: int, components: list[Product], rng: random.Random) -> list[tuple[Product, float]]:
    chosen = []
    for comp_categ in _FAMILY_COMPONENTS[categ]:
        pool = [c for c in components if c.categ_id == comp_categ]
        if categ == 4 and comp_categ == 8:
            pool = [c for c in pool if c.lot_tracked]
        if categ == 6 and comp_categ == 9:
            pool = [c for c in pool if c.vendor_id == STORY["late_vendor_id"]]
        comp = pool[rng.randrange(len(pool))]
        chosen.append((comp, 1.0 if comp.lot_tracked else float(rng.choice([1, 1, 2, 4]))))
    return chosen
