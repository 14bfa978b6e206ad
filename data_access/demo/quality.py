"""Quality alerts of the Enterprise ``quality`` app: the non-conformances each plant raises and closes.

Routine alerts come at a steady rate and close in a few days; the scrap excursion raises one alert
against the foundry's casting lot (lot, product and vendor set) that stays open for weeks, so the NC
closure time of its plant rises in the period it closes.
"""
from __future__ import annotations

from datetime import timedelta

from data_access.demo.common import Ctx, at
from data_access.demo.masterdata import ADMIN
from data_access.demo.production import bad_lot_day, excursion_window, lot_name
from data_access.demo.scenario import STORY, tr
from data_access.demo.stock import magic

__all__ = ["write_quality", "QUALITY_MODULES"]

# Enterprise modules whose presence makes quality alerts (and nc_closure_days) available.
QUALITY_MODULES = {"quality": "1.0", "quality_control": "1.0", "web_enterprise": "1.0"}
# quality.alert.stage records of Odoo's quality data: (id, en, de, done)
STAGES = [(1, "New", "Neu", False), (2, "Confirmed", "Bestätigt", False), (3, "Action Proposed", "Maßnahme vorgeschlagen", False),
          (4, "Solved", "Gelöst", True)]
ALERT_RATE = 0.12  # routine alerts per plant and day
ISSUES = ("Burr on machined face", "Dimension out of tolerance", "Label missing", "Surface scratches",
          "Torque value not documented", "Wrong packaging")


def write_quality(ctx: Ctx) -> None:
    """Stages, one team per plant, and the alerts of the whole history."""
    w, rng, now = ctx.w, ctx.rng, ctx.now
    created = at(ctx.start - timedelta(days=30), 8)
    for sid, en, de, done in STAGES:
        w.add("quality_alert_stage", {"id": sid, "name": tr(en, de), "sequence": sid, "folded": done, "done": done,
                                      **magic(created)})
    plants = [p for p in ctx.sc.plants if p.manufactures]
    for team_id, plant in enumerate(plants, start=1):
        w.add("quality_alert_team", {"id": team_id, "name": f"Quality {plant.code}", "company_id": plant.company_id,
                                     "sequence": team_id, "color": team_id, **magic(created)})
    next_id = 1
    day = ctx.start
    while day <= ctx.today:
        for team_id, plant in enumerate(plants, start=1):
            if rng.random() >= ALERT_RATE:
                continue
            made = [p for p in ctx.sc.finished if p.plant_id == plant.id] or ctx.sc.finished
            product = rng.choice(made)
            opened = at(day, rng.uniform(6.5, 16))
            if opened > now:
                continue  # later today: not found yet
            closed = opened + timedelta(days=rng.lognormvariate(1.2, 0.5))
            _alert(ctx, next_id, team_id, plant.company_id, f"{rng.choice(ISSUES)} on {product.code}", opened,
                   closed if closed <= now else None, product.id, None, None, str(rng.choice((0, 0, 1, 2))))
            next_id += 1
        day += timedelta(days=1)
    _excursion_alert(ctx, next_id, plants)


def _excursion_alert(ctx: Ctx, alert_id: int, plants) -> None:
    casting = next(c for c in ctx.sc.components if c.id == ctx.sc.excursion_component_id)
    first, last = excursion_window(ctx.today)
    opened = at(first + timedelta(days=2), 9.5)
    lot = ctx.ledger.lot(casting, lot_name(casting, bad_lot_day(ctx.today)), plants[0].company_id, opened)
    closed = at(last + timedelta(days=4), 15)
    team = next(i for i, p in enumerate(plants, start=1) if p.id == STORY["excursion_warehouse_id"])
    _alert(ctx, alert_id, team, plants[0].company_id, f"Porosity in castings of lot {lot_name(casting, bad_lot_day(ctx.today))}",
           opened, closed if closed <= ctx.now else None, casting.id, lot, STORY["excursion_vendor_id"], "3",
           corrective="Lot blocked and returned to the foundry; 100 % inspection of castings in stock.",
           preventive="Foundry to add X-ray sampling per charge; incoming inspection tightened for 3 lots.")


def _alert(ctx: Ctx, alert_id: int, team: int, company: int, title: str, opened, closed, product: int, lot, partner,
           priority: str, *, corrective: str | None = None, preventive: str | None = None) -> None:
    stage = 4 if closed else (1 if ctx.now - opened < timedelta(days=1) else 2)
    row = {"id": alert_id, "name": f"QA/{opened:%Y}/{alert_id:05d}", "description": title, "stage_id": stage,
           "company_id": company, "date_assign": min(opened + timedelta(hours=2), ctx.now), "date_close": closed, "user_id": ADMIN,
           "team_id": team, "partner_id": partner, "product_tmpl_id": product, "product_id": product, "lot_id": lot,
           "priority": priority, "action_corrective": corrective, "action_preventive": preventive, **magic(opened)}
    row["write_date"] = closed or opened
    ctx.w.add("quality_alert", row)
