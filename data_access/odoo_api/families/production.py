"""Production sums through Odoo's API: the rows ``data_access.queries.production`` returns, from
``mrp.workcenter.productivity``, ``mrp.workorder``, ``mrp.production``, ``stock.scrap`` and
``stock.picking.type`` read with period-bounded domains and only the fields the sums need."""
from __future__ import annotations

from collections import Counter, defaultdict

from data_access.context import QueryContext
from data_access.odoo_api.families.common import bucket_of, company_domain, dt, group_sums, ids_of, wire

__all__ = ["oee_sums_by_kinds", "schedule_adherence_sums_by_kinds", "workcenter_sites", "warehouse_of_types",
           "period_domain"]

OEE_KEYS = ("productive_min", "total_min", "availability_loss_min", "expected_min", "real_min",
            "qty_produced", "qty_scrapped")
_ZERO = dict.fromkeys(OEE_KEYS, 0.0)


def period_domain(field: str, ctx: QueryContext) -> list:
    """``start <= field < end`` (half-open, naive UTC)."""
    return [(field, ">=", wire(ctx.start)), (field, "<", wire(ctx.end))]


def warehouse_of_types(reader, type_ids) -> dict[int, int | None]:
    """``{picking_type_id: warehouse_id or None}`` (archived operation types too)."""
    return {r["id"]: r.get("warehouse_id") for r in reader.by_ids("stock.picking.type", type_ids, ["warehouse_id"])}


def _in(value, ids) -> bool:
    """``sqlfuncs.in_ids``: None means no restriction; a NULL value is in no list."""
    return ids is None or (value is not None and value in ids)


def workcenter_sites(reader, ctx: QueryContext, pins=()) -> dict[int, int]:
    """``{workcenter_id: warehouse_id}``: the site of most of each work center's work orders (not cancelled,
    MO not cancelled, in the company scope; ties: the lowest warehouse id), pins replacing the vote."""
    mos = reader.rows("mrp.production", [("state", "!=", "cancel"), *company_domain("company_id", ctx)],
                      ["picking_type_id"])
    types = warehouse_of_types(reader, ids_of(mos, "picking_type_id"))
    mo_site = {m["id"]: types.get(m.get("picking_type_id")) for m in mos}
    wos = reader.rows("mrp.workorder", [("state", "!=", "cancel"), ("production_id", "in", sorted(mo_site))],
                      ["workcenter_id", "production_id"]) if mo_site else []
    votes: dict[int, Counter] = defaultdict(Counter)
    for wo in wos:
        site = mo_site.get(wo.get("production_id"))
        if site is not None and wo.get("workcenter_id"):
            votes[wo["workcenter_id"]][site] += 1
    sites = {wc: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for wc, c in votes.items()}
    pinned = dict(pins.items() if isinstance(pins, dict) else pins)
    sites.update({int(wc): int(wh) for wc, wh in pinned.items()})
    return sites


def oee_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None, pins=()) -> dict[str, list[dict]]:
    """``queries.production.oee_sums_by_kinds`` through the API: closed time logs with ``date_start`` in P,
    done work orders with ``date_finished`` in P and the done scraps of those work orders."""
    kinds = tuple(kinds)
    site = None
    if "warehouse" in kinds or ctx.warehouse_ids is not None:
        site = workcenter_sites(reader, ctx, pins)
    records = []
    logs = reader.rows("mrp.workcenter.productivity",
                       [("date_end", "!=", False), *period_domain("date_start", ctx), *company_domain("company_id", ctx)],
                       ["workcenter_id", "company_id", "date_start", "duration", "loss_type"])
    for log in logs:
        wh = site.get(log.get("workcenter_id")) if site is not None else None
        if site is not None and not _in(wh, ctx.warehouse_ids):
            continue
        dur = float(log.get("duration") or 0)
        loss = log.get("loss_type")
        records.append({"workcenter": log.get("workcenter_id"), "company": log.get("company_id"), "warehouse": wh,
                        "bucket": bucket_of(dt(log["date_start"]), bucket, ctx), **_ZERO,
                        "productive_min": dur if loss in ("productive", "performance") else 0.0, "total_min": dur,
                        "availability_loss_min": dur if loss == "availability" else 0.0})
    wos = reader.rows("mrp.workorder", [("state", "=", "done"), *period_domain("date_finished", ctx)],
                      ["workcenter_id", "production_id", "date_finished", "duration_expected", "duration", "qty_produced"])
    mo_company = {m["id"]: m.get("company_id") for m in reader.by_ids("mrp.production", ids_of(wos, "production_id"),
                                                                       ["company_id"])}
    scraps: dict[int, float] = defaultdict(float)
    for s in reader.rows("stock.scrap", [("workorder_id", "in", ids_of(wos)), ("state", "=", "done")],
                         ["workorder_id", "scrap_qty"]) if wos else []:
        scraps[s["workorder_id"]] += float(s.get("scrap_qty") or 0)
    for wo in wos:
        if wo.get("production_id") not in mo_company:
            continue  # its MO is not readable (another company) or gone: the SQL path's inner join
        company = mo_company[wo["production_id"]]
        if not _in(company, ctx.company_ids):
            continue
        wh = site.get(wo.get("workcenter_id")) if site is not None else None
        if site is not None and not _in(wh, ctx.warehouse_ids):
            continue
        records.append({"workcenter": wo.get("workcenter_id"), "company": company, "warehouse": wh,
                        "bucket": bucket_of(dt(wo["date_finished"]), bucket, ctx), **_ZERO,
                        "expected_min": float(wo.get("duration_expected") or 0), "real_min": float(wo.get("duration") or 0),
                        "qty_produced": float(wo.get("qty_produced") or 0), "qty_scrapped": scraps.get(wo["id"], 0.0)})
    return group_sums(records, kinds, OEE_KEYS, bucket=bucket is not None)


def schedule_adherence_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.production.schedule_adherence_sums_by_kinds`` through the API: MOs not cancelled whose
    ``date_deadline`` is in P; on time = done and ``date_finished <= date_deadline``."""
    kinds = tuple(kinds)
    mos = reader.rows("mrp.production", [("state", "!=", "cancel"), ("date_deadline", "!=", False),
                                         *period_domain("date_deadline", ctx), *company_domain("company_id", ctx)],
                      ["state", "date_finished", "date_deadline", "company_id", "picking_type_id"])
    types = warehouse_of_types(reader, ids_of(mos, "picking_type_id"))
    records = []
    for mo in mos:
        wh = types.get(mo.get("picking_type_id"))
        if not _in(wh, ctx.warehouse_ids):
            continue
        deadline, finished = dt(mo["date_deadline"]), dt(mo.get("date_finished"))
        on_time = mo.get("state") == "done" and finished is not None and finished <= deadline
        records.append({"warehouse": wh, "company": mo.get("company_id"), "bucket": bucket_of(deadline, bucket, ctx),
                        "on_time": 1.0 if on_time else 0.0, "total": 1.0})
    return group_sums(records, kinds, ("on_time", "total"), bucket=bucket is not None)
