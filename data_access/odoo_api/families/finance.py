"""Finance sums through Odoo's API: the rows ``data_access.queries.finance`` returns. Revenue from
``account.move.line`` ``read_group`` over the period's posted customer invoices, COGS from the period's
``stock.valuation.layer`` rows and their moves, overdue receivables from ``account.move``; every amount
tagged with its company's currency and never added across currencies (the SQL path's ``_per_currency``)."""
from __future__ import annotations

from data_access.context import QueryContext
from data_access.odoo_api.families import common
from data_access.odoo_api.families.common import bucket_of, company_domain, date_bucket, day, dt, group_sums, ids_of
from data_access.odoo_api.families.production import period_domain
from data_access.queries.finance import CURRENCY_SPLIT, CUSTOMER_INVOICE_TYPES, OPEN_PAYMENT_STATES, _per_currency

__all__ = ["gross_margin_sums_by_kinds", "overdue_sums_by_kinds", "company_currencies", "customer_locations"]


def company_currencies(reader, company_ids) -> dict[int, tuple[int | None, str | None]]:
    """``{company_id: (currency_id, ISO code)}`` of the companies named."""
    companies = reader.by_ids("res.company", company_ids, ["currency_id"])
    names = {c["id"]: c.get("name") for c in reader.by_ids("res.currency", ids_of(companies, "currency_id"), ["name"])}
    return {c["id"]: (c.get("currency_id"), names.get(c.get("currency_id"))) for c in companies}


def customer_locations(reader) -> set[int]:
    """Ids of every location of usage ``customer`` (archived too)."""
    return {r["id"] for r in reader.rows("stock.location", [("usage", "=", "customer")], ["id"])}


def _tag(records: list[dict], currencies) -> list[dict]:
    for r in records:
        r["currency_id"], r["currency"] = currencies.get(r.pop("_company"), (None, None))
    return records


def _revenue_records(reader, ctx: QueryContext, kinds, bucket) -> list[dict]:
    moves = reader.rows("account.move", [("state", "=", "posted"), ("move_type", "in", list(CUSTOMER_INVOICE_TYPES)),
                                         ("invoice_date", ">=", common.wire_day(common.first_day(ctx))),
                                         ("invoice_date", "<=", common.wire_day(common.as_of_day(ctx))),
                                         *company_domain("company_id", ctx)],
                        ["company_id", "commercial_partner_id", "invoice_date"])
    if not moves:
        return []
    by_id = {m["id"]: m for m in moves}
    groups = reader.groups("account.move.line", [("move_id", "in", sorted(by_id)), ("display_type", "=", "product")],
                           ["balance:sum"], ["move_id", "product_id"])
    out = []
    for g in groups:
        move = by_id[g["move_id"]]
        # invoice_date is a DATE, already a local day: no zone shift (the SQL path's _date_bucket)
        b = None if bucket is None else date_bucket(day(move["invoice_date"]), bucket)
        out.append({"company": move.get("company_id"), "product": g.get("product_id"),
                    "partner": move.get("commercial_partner_id"), "bucket": b, "_company": move.get("company_id"),
                    "revenue": -float(g.get("balance") or 0), "cogs": 0.0})
    return out


def _cogs_records(reader, ctx: QueryContext, kinds, bucket) -> list[dict]:
    layers = reader.rows("stock.valuation.layer", [*period_domain("create_date", ctx), *company_domain("company_id", ctx)],
                         ["company_id", "product_id", "value", "stock_move_id", "create_date"])
    if not layers:
        return []
    moves = {m["id"]: m for m in reader.by_ids("stock.move", ids_of(layers, "stock_move_id"),
                                                 ["location_id", "location_dest_id", "picking_id"])}
    customer = customer_locations(reader)
    partner_of_picking: dict[int, int | None] = {}
    if "partner" in kinds:
        pickings = reader.by_ids("stock.picking", ids_of(moves.values(), "picking_id"), ["partner_id"])
        commercial = {p["id"]: p.get("commercial_partner_id")
                      for p in reader.by_ids("res.partner", ids_of(pickings, "partner_id"), ["commercial_partner_id"])}
        partner_of_picking = {p["id"]: commercial.get(p.get("partner_id")) or p.get("partner_id") for p in pickings}
    out = []
    for layer in layers:
        move = moves.get(layer.get("stock_move_id"))
        if move is None or not (move.get("location_id") in customer or move.get("location_dest_id") in customer):
            continue
        out.append({"company": layer.get("company_id"), "product": layer.get("product_id"),
                    "partner": partner_of_picking.get(move.get("picking_id")),
                    "bucket": bucket_of(dt(layer["create_date"]), bucket, ctx), "_company": layer.get("company_id"),
                    "revenue": 0.0, "cogs": -float(layer.get("value") or 0)})
    return out


def gross_margin_sums_by_kinds(reader, ctx: QueryContext, kinds, *, bucket: str | None = None) -> dict[str, list[dict]]:
    """``queries.finance.gross_margin_sums_by_kinds`` through the API."""
    kinds = tuple(kinds)
    records = _revenue_records(reader, ctx, kinds, bucket) + _cogs_records(reader, ctx, kinds, bucket)
    _tag(records, company_currencies(reader, sorted({r["_company"] for r in records if r["_company"]})))
    sums = group_sums(records, kinds, ("revenue", "cogs"), bucket=bucket is not None, split=CURRENCY_SPLIT)
    return _per_currency(sums, ("revenue", "cogs"))


def overdue_sums_by_kinds(reader, ctx: QueryContext, kinds) -> dict[str, list[dict]]:
    """``queries.finance.overdue_sums_by_kinds`` through the API: posted customer invoices / refunds not
    (fully) paid, due before D."""
    kinds = tuple(kinds)
    moves = reader.rows("account.move", [("state", "=", "posted"), ("move_type", "in", list(CUSTOMER_INVOICE_TYPES)),
                                         ("payment_state", "in", list(OPEN_PAYMENT_STATES)),
                                         ("invoice_date_due", "<", common.wire_day(common.as_of_day(ctx))),
                                         *company_domain("company_id", ctx)],
                        ["company_id", "commercial_partner_id", "amount_residual_signed"])
    records = [{"company": m.get("company_id"), "partner": m.get("commercial_partner_id"), "_company": m.get("company_id"),
                "residual": float(m.get("amount_residual_signed") or 0), "invoices": 1.0} for m in moves]
    _tag(records, company_currencies(reader, sorted({r["_company"] for r in records if r["_company"]})))
    sums = group_sums(records, kinds, ("residual", "invoices"), split=CURRENCY_SPLIT)
    merged = _per_currency(sums, ("residual",), counts=("invoices",))
    return {kind: [dict(r, invoices=int(r["invoices"])) for r in rows] for kind, rows in merged.items()}
