"""Supply-chain sums through Odoo's API: the rows ``data_access.queries.supply`` returns for supplier OTIF /
late PO lines and customer OTIF / late SO lines, with received / delivered quantities of KPIS.md v2
(``families.received``: to_refund, kits, per-move rounding) computed from the same fields the SQL reads.

Reads: the confirmed order lines planned / promised before the end of P (only the fields the sums need), the
stock moves of the lines that count (any state: a sale line's kit BoM is the one its moves name, a purchase
line is a kit line only when it has moves), their locations, returned-from moves, units, products and, when
mrp is installed, the kit BoMs and their lines. The lines are filtered exactly as the SQL filters them
(period, backlog candidates: still short in Odoo's stored quantity, or moved after D), in Python.
"""
from __future__ import annotations

from datetime import timedelta

from data_access.context import QueryContext
from data_access.odoo_api.families.common import (
    as_of_day,
    bucket_of,
    company_domain,
    dt,
    first_day,
    group_sums,
    ids_of,
    local_day,
    local_day_end,
    wire,
)
from data_access.odoo_api.families.production import _in, warehouse_of_types
from data_access.odoo_api.families.received import KitData, line_quantities
from data_access.odoo_api.kpi_reader import CHUNK
from data_access.queries.supply import OTIF_MEASURES, PURCHASE_ORDER_STATES, PURCHASE_SCOPES, QTY_EPSILON, SALE_SCOPES

__all__ = ["supplier_otif_sums_by_kinds", "customer_otif_sums_by_kinds", "read_quantity_data"]

_MOVE_FIELDS = ["product_id", "product_uom", "quantity", "state", "date", "location_id", "location_dest_id",
                "origin_returned_move_id", "scrapped"]
_BOM_FIELDS = ["type", "active", "product_tmpl_id", "product_id", "sequence", "product_qty", "product_uom_id",
               "company_id", "picking_type_id"]
_RESTRICTION = "bom_product_template_attribute_value_ids"
_COMBINATION = "product_template_attribute_value_ids"


def _kits_and_major(reader) -> tuple[bool, int]:
    info = getattr(reader, "info", None)
    if info is None:
        raise RuntimeError("the Odoo series and apps are read before the supply sums (ApiSource.run sets them)")
    return info.has("mrp"), int(info.series.split(".")[0])


def _moved_since(reader, link: str, since) -> set[int]:
    """``queries.supply._moved_since``: lines with a done move dated at or after ``since``."""
    rows = reader.rows("stock.move", [("date", ">=", wire(since)), ("state", "=", "done"), (link, "!=", False)], [link])
    return {r[link] for r in rows if r.get(link)}


def read_quantity_data(reader, link: str, lines: list[dict], *, kits: bool) -> KitData:
    """Every row ``received.line_quantities`` needs for ``lines`` (``link``: the moves' ``purchase_line_id`` /
    ``sale_line_id``)."""
    ids = sorted({x["line_id"] for x in lines})
    # fields of apps that may be absent: ``to_refund`` (stock_account; absent reads as false, as the SQL's NULL) and
    # ``bom_line_id`` (mrp)
    fields = [link, *_MOVE_FIELDS, *(["to_refund"] if reader.info.has("stock_account") else []),
              *(["bom_line_id"] if kits else [])]
    moves: dict[int, list[dict]] = {}
    for at in range(0, len(ids), CHUNK):
        for m in reader.rows("stock.move", [(link, "in", ids[at:at + CHUNK])], fields):
            m["date"] = dt(m.get("date"))
            moves.setdefault(m[link], []).append(m)
    every = [m for ms in moves.values() for m in ms]
    origins = {o["id"]: o for o in reader.by_ids("stock.move", ids_of(every, "origin_returned_move_id"),
                                                 ["location_id", "location_dest_id"])}
    locations = set(ids_of(every, "location_id")) | set(ids_of(every, "location_dest_id")) | \
        set(ids_of(origins.values(), "location_id")) | set(ids_of(origins.values(), "location_dest_id"))
    usage = {r["id"]: r.get("usage") for r in reader.by_ids("stock.location", locations, ["usage"])}
    uoms = {r["id"]: r for r in reader.rows("uom.uom", [], ["factor", "rounding"])}
    boms, bom_lines = {}, {}
    if kits:
        boms = {b["id"]: b for b in reader.rows("mrp.bom", [("type", "=", "phantom")], _BOM_FIELDS)}
        # an unset sequence reads 0 but sorts last in _bom_find's ORDER BY: ask which are unset
        for b in reader.rows("mrp.bom", [("type", "=", "phantom"), ("sequence", "=", False)], ["id"]):
            boms[b["id"]]["sequence"] = None
        if boms:
            for bl in reader.rows("mrp.bom.line", [("bom_id", "in", sorted(boms))],
                                  ["bom_id", "product_id", "product_qty", "product_uom_id", _RESTRICTION]):
                bom_lines.setdefault(bl["bom_id"], []).append(bl)
    every_line = [bl for bls in bom_lines.values() for bl in bls]
    product_ids = set(ids_of(lines, "product_id")) | set(ids_of(every, "product_id")) | set(ids_of(every_line, "product_id")) | \
        set(ids_of(boms.values(), "product_id"))
    return _with_products(reader, product_ids, moves, usage, origins, uoms, boms, bom_lines)


def _with_products(reader, product_ids, moves, usage, origins, uoms, boms, bom_lines) -> KitData:
    every_line = [bl for bls in bom_lines.values() for bl in bls]
    line_values = {bl["id"]: set(bl.get(_RESTRICTION) or ()) for bl in every_line if bl.get(_RESTRICTION)}
    fields = ["product_tmpl_id", *([_COMBINATION] if line_values else [])]
    products = reader.by_ids("product.product", product_ids, fields)
    tmpl_ids = set(ids_of(products, "product_tmpl_id")) | set(ids_of(boms.values(), "product_tmpl_id"))
    templates = {t["id"]: t for t in reader.by_ids("product.template", tmpl_ids, ["type", "uom_id"])}
    data = KitData(moves=moves, usage=usage, origins=origins, uoms=uoms,
                   product_tmpl={p["id"]: p.get("product_tmpl_id") for p in products}, templates=templates,
                   boms=boms, bom_lines=bom_lines, line_values=line_values)
    if line_values:  # variant-restricted BoM lines (mrp ``_skip_bom_line``): their values and attributes
        values = reader.by_ids("product.template.attribute.value",
                               set().union(*line_values.values()) | {v for p in products for v in p.get(_COMBINATION) or ()},
                               ["attribute_id"])
        data.value_attribute = {v["id"]: v.get("attribute_id") for v in values}
        data.attribute_kind = {a["id"]: a.get("create_variant") for a in reader.by_ids(
            "product.attribute", ids_of(values, "attribute_id"), ["create_variant"])}
        data.variant_values = {p["id"]: set(p.get(_COMBINATION) or ()) for p in products}
    return data


def _otif_rows(records, kinds, bucket) -> dict[str, list[dict]]:
    """``queries.supply._otif_sums`` over per-line records: counts per scope kind (and bucket)."""
    sums = group_sums(records, kinds, OTIF_MEASURES, bucket=bucket is not None)
    return {kind: [{**r, **{m: int(r[m]) for m in OTIF_MEASURES}} for r in rows] for kind, rows in sums.items()}


def _check(kinds, allowed, bucket) -> tuple[str, ...]:
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in allowed:
            raise ValueError(f"unknown scope kind {kind!r}; expected one of {allowed}")
    if bucket not in (None, "day", "week"):
        raise ValueError(f"unknown bucket {bucket!r}; expected one of ('day', 'week')")
    return kinds


_SALE_ORDER_FIELDS = ["partner_id", "warehouse_id", "company_id", "commitment_date", "date_order"]


def _promise_window_orders(reader, ctx: QueryContext, widest_days: float) -> dict[int, dict]:
    """Confirmed orders with a commitment in [start - 1 day, end), or none and an order date in that window widened
    by ``widest_days`` (every order with a line promised in P is among them; the exact day test follows)."""
    lo, hi, wide = ctx.start - timedelta(days=1), ctx.end, timedelta(days=widest_days)
    domain = [("state", "=", "sale"), *company_domain("company_id", ctx),
              "|", "&", ("commitment_date", ">=", wire(lo)), ("commitment_date", "<", wire(hi)),
              "&", "&", ("commitment_date", "=", False), ("date_order", ">=", wire(lo - wide)),
              ("date_order", "<", wire(hi + wide))]
    return {o["id"]: o for o in reader.rows("sale.order", domain, _SALE_ORDER_FIELDS)}


def supplier_otif_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.supply.supplier_otif_sums_by_kinds`` through the API."""
    kinds = _check(kinds, PURCHASE_SCOPES, bucket)
    kits, major = _kits_and_major(reader)
    backlog = bucket is None
    domain = [("order_id.state", "in", list(PURCHASE_ORDER_STATES)), ("display_type", "=", False),
              ("product_qty", ">", 0), ("date_planned", "<", wire(ctx.end)),
              *company_domain("order_id.company_id", ctx)]
    if not backlog:
        domain.append(("date_planned", ">=", wire(ctx.start)))
    fields = ["order_id", "product_id", "product_qty", "product_uom_qty", "product_uom", "date_planned",
              "qty_received", "qty_received_method"]
    moved = _moved_since(reader, "purchase_line_id", ctx.end) if backlog else set()
    keep = []  # a first read without relations (cheap per row), then every field of the lines that can count
    for r in reader.rows("purchase.order.line", domain, ["date_planned", "product_qty", "qty_received",
                                                        "qty_received_method"]):
        planned = dt(r.get("date_planned"))
        if planned is None:
            continue
        if planned < ctx.start:  # the backlog: still short in Odoo's stored quantity, or moved after D
            still_open = float(r.get("qty_received") or 0) < float(r["product_qty"]) or \
                r.get("qty_received_method") != "stock_moves"
            if not (backlog and (still_open or r["id"] in moved)):
                continue
        keep.append(r["id"])
    kept = reader.by_ids("purchase.order.line", keep, fields)
    for r in kept:
        r["planned"] = dt(r["date_planned"])
    # the orders of the lines that can count only (the lines' domain already holds their state and company)
    orders = {o["id"]: o for o in reader.by_ids("purchase.order", ids_of(kept, "order_id"),
                                                ["partner_id", "company_id", "picking_type_id"])}
    site = warehouse_of_types(reader, ids_of(orders.values(), "picking_type_id"))
    lines = []
    for r in kept:
        order, planned = orders.get(r.get("order_id")), r["planned"]
        if order is None or not _in(site.get(order.get("picking_type_id")), ctx.warehouse_ids):
            continue
        lines.append({"line_id": r["id"], "product_id": r.get("product_id"), "line_uom": r.get("product_uom"),
                      "company_id": order.get("company_id"), "day_end": local_day_end(planned, ctx.day_offset_minutes),
                      "order_qty": r.get("product_uom_qty") or r["product_qty"],  # unset reads 0.0: product_qty > 0
                      "planned": planned, "qty": float(r["product_qty"]), "partner": order.get("partner_id"),
                      "warehouse": site.get(order.get("picking_type_id")), "company": order.get("company_id")})
    q = line_quantities(lines, "purchase", read_quantity_data(reader, "purchase_line_id", lines, kits=kits), ctx.end, major=major, kits=kits)
    d_start = ctx.end - timedelta(days=1)
    records = []
    for x in lines:
        got = q[x["line_id"]]
        in_p = x["planned"] >= ctx.start
        late = x["planned"] < d_start and got["by_end_qty"] < x["qty"] - QTY_EPSILON
        if not (in_p if bucket else (in_p or late)):
            continue
        records.append({"partner": x["partner"], "warehouse": x["warehouse"], "company": x["company"],
                        "bucket": bucket_of(x["planned"], bucket, ctx), "lines": int(in_p),
                        "otif_lines": int(in_p and got["on_time_qty"] >= x["qty"] - QTY_EPSILON),
                        "late_lines": int(late)})
    return _otif_rows(records, kinds, bucket)


def customer_otif_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.supply.customer_otif_sums_by_kinds`` through the API (promise = ``commitment_date``, else
    ``date_order + customer_lead`` days; partner = the customer's commercial partner)."""
    kinds = _check(kinds, SALE_SCOPES, bucket)
    kits, major = _kits_and_major(reader)
    backlog = bucket is None
    off = ctx.day_offset_minutes
    domain = [("order_id.state", "=", "sale"), ("display_type", "=", False), ("product_uom_qty", ">", 0),
              *company_domain("order_id.company_id", ctx)]
    fields = ["order_id", "product_id", "product_uom_qty", "product_uom", "customer_lead", "qty_delivered",
              "qty_delivered_method"]
    first, d_day = first_day(ctx).isoformat(), as_of_day(ctx).isoformat()
    moved = _moved_since(reader, "sale_line_id", ctx.end) if backlog else set()
    # a first read without relations (cheap per row): the largest lead and the backlog candidates (still short in
    # Odoo's stored quantity, or moved after D); then the orders whose lines may be promised in P
    # (``queries.supply._promise_window``, widened by that lead) and every field of the lines that can count
    light = reader.rows("sale.order.line", domain, ["customer_lead", "product_uom_qty", "qty_delivered",
                                                   "qty_delivered_method"])
    orders = _promise_window_orders(reader, ctx, max((abs(float(r.get("customer_lead") or 0)) for r in light),
                                                     default=0.0))
    candidates = {r["id"] for r in light if backlog and (
        r["id"] in moved or r.get("qty_delivered_method") != "stock_move"
        or float(r.get("qty_delivered") or 0) < float(r["product_uom_qty"]))}
    rows = reader.rows("sale.order.line", [*domain, ("order_id", "in", sorted(orders))], fields) if orders else []
    rows += reader.by_ids("sale.order.line", candidates - {r["id"] for r in rows}, fields)
    rows.sort(key=lambda r: r["id"])
    orders.update({o["id"]: o for o in reader.by_ids("sale.order", set(ids_of(rows, "order_id")) - set(orders),
                                                     _SALE_ORDER_FIELDS)})
    commercial = {p["id"]: p.get("commercial_partner_id") for p in reader.by_ids(
        "res.partner", ids_of(orders.values(), "partner_id"), ["commercial_partner_id"])}
    lines = []
    for r in rows:
        order = orders.get(r.get("order_id"))
        if order is None or not _in(order.get("warehouse_id"), ctx.warehouse_ids):
            continue
        promise = dt(order.get("commitment_date"))
        if promise is None and dt(order.get("date_order")) is not None:
            promise = dt(order["date_order"]) + timedelta(days=float(r.get("customer_lead") or 0))
        if promise is None:
            continue
        p_day = local_day(promise, off)
        if p_day > d_day:
            continue
        if p_day < first:  # the backlog: still short in Odoo's stored quantity, or moved after D
            still_open = float(r.get("qty_delivered") or 0) < float(r["product_uom_qty"]) or \
                r.get("qty_delivered_method") != "stock_move"
            if not (backlog and (still_open or r["id"] in moved)):
                continue
        partner = order.get("partner_id")
        lines.append({"line_id": r["id"], "product_id": r.get("product_id"), "line_uom": r.get("product_uom"),
                      "company_id": order.get("company_id"), "day_end": local_day_end(promise, off),
                      "order_qty": r["product_uom_qty"], "promise": promise, "promise_day": p_day,
                      "qty": float(r["product_uom_qty"]), "partner": commercial.get(partner) or partner,
                      "warehouse": order.get("warehouse_id"), "company": order.get("company_id")})
    q = line_quantities(lines, "sale", read_quantity_data(reader, "sale_line_id", lines, kits=kits), ctx.end, major=major, kits=kits)
    records = []
    for x in lines:
        got = q[x["line_id"]]
        in_p = x["promise_day"] >= first
        late = x["promise_day"] < d_day and got["by_end_qty"] < x["qty"] - QTY_EPSILON
        if not (in_p if bucket else (in_p or late)):
            continue
        records.append({"partner": x["partner"], "warehouse": x["warehouse"], "company": x["company"],
                        "bucket": bucket_of(x["promise"], bucket, ctx), "lines": int(in_p),
                        "otif_lines": int(in_p and got["on_time_qty"] >= x["qty"] - QTY_EPSILON),
                        "late_lines": int(late)})
    return _otif_rows(records, kinds, bucket)
