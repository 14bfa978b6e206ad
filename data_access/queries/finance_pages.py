"""The finance page's breakdowns: gross margin per company x product category x customer, overdue
receivables per company x customer x due date (aged by the page), and the records behind a customer.

ONE statement each, with the filters of the KPI sums (``data_access.queries.finance``), so a breakdown
pools back to its KPI for the same period and scope: the margin cells of a company sum to its
``gross_margin_pct`` revenue and COGS (lines or layers without a category or a customer are kept, with
``None``), the aging rows of a company sum to its ``overdue_receivables``. Amounts in company currency;
each row names it (``currency``, the ISO code of ``res_company.currency_id``), so a customer's rows of
several companies pool only within one currency, as the KPI's partner scope does.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal_column, null, or_, select, union_all

from data_access import sqlfuncs
from data_access.context import QueryContext
from data_access.queries.finance import (
    CUSTOMER_INVOICE_TYPES,
    OPEN_PAYMENT_STATES,
    cogs_conditions,
    cogs_join,
    currency_code,
    currency_columns,
    overdue_conditions,
    revenue_conditions,
    revenue_join,
)
from data_access.queries.supply import as_of_day
from data_access.queries.supply_drill import id_filter, valid_limit
from data_access.queries.supply_stock import TURNS_DAYS, TURNS_SAMPLES

__all__ = ["AGING_BUCKETS", "age_bucket", "margin_cells", "overdue_by_due_date", "customer_invoices",
           "customer_layers", "open_invoices", "inventory_at_ends"]

# (key, label, first day overdue, last day overdue or None)
AGING_BUCKETS = (("d1_30", "1-30 days", 1, 30), ("d31_60", "31-60 days", 31, 60), ("d61_90", "61-90 days", 61, 90),
                 ("d90p", "90+ days", 91, None))

_ZERO = literal_column("0")


def age_bucket(days_overdue: int) -> str | None:
    """The aging bucket key of an invoice ``days_overdue`` days past due (None when not overdue)."""
    for key, _label, low, high in AGING_BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return key
    return None


def _category(schema, alias: str):
    pp, pt = schema.product_product.alias(f"pp_{alias}"), schema.product_template.alias(f"pt_{alias}")
    return pp, pt


def _terms(schema, ctx: QueryContext, *, partner_id=None, category_id=None, uncategorised: bool = False):
    """The revenue and COGS records of P (as the ``gross_margin`` family reads them) with their company,
    product category and customer: a subquery ``company_id, category_id, partner_id, revenue, cogs``."""
    aml, am, svl = schema.account_move_line, schema.account_move, schema.stock_valuation_layer
    pp, pt = _category(schema, "rev")
    pp2, pt2 = _category(schema, "cogs")
    revenue = (
        select(am.c.company_id.label("company_id"), pt.c.categ_id.label("category_id"),
               am.c.commercial_partner_id.label("partner_id"), (-aml.c.balance).label("revenue"), _ZERO.label("cogs"))
        .select_from(revenue_join(schema).outerjoin(pp, pp.c.id == aml.c.product_id)
                     .outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(*revenue_conditions(schema, ctx), id_filter(am.c.commercial_partner_id, partner_id),
               *_category_filter(pt.c.categ_id, category_id, uncategorised))
    )
    joined, pk, cp = cogs_join(schema, with_partner=True)
    partner = func.coalesce(cp.c.commercial_partner_id, pk.c.partner_id)
    cogs = (
        select(svl.c.company_id.label("company_id"), pt2.c.categ_id.label("category_id"), partner.label("partner_id"),
               _ZERO.label("revenue"), (-svl.c.value).label("cogs"))
        .select_from(joined.outerjoin(pp2, pp2.c.id == svl.c.product_id).outerjoin(pt2, pt2.c.id == pp2.c.product_tmpl_id))
        .where(*cogs_conditions(schema, ctx), id_filter(partner, partner_id),
               *_category_filter(pt2.c.categ_id, category_id, uncategorised))
    )
    return union_all(revenue, cogs).subquery("margin_terms")


def _category_filter(col, category_id, uncategorised: bool) -> list:
    if uncategorised:
        return [col.is_(None)]
    return [id_filter(col, category_id)]


def margin_cells(conn, schema, ctx: QueryContext, *, partner_id=None) -> list[dict]:
    """Revenue and COGS of P per company x product category x customer (commercial partner), the
    terms of ``gross_margin_pct`` (KPIS.md): invoice product lines by their product's category and the
    invoice's commercial partner; valuation layers of customer moves by their product's category and
    the commercial partner of the move's picking partner. With ``partner_id``, that customer only.

    Dicts ``company_id, currency`` (the company's ISO code), ``category_id, category_name, partner_id,
    partner_name, revenue, cogs``;
    ``category_id`` / ``partner_id`` None for records without one (kept: the cells pool to the KPI).
    """
    terms = _terms(schema, ctx, partner_id=partner_id)
    pc, rp = schema.product_category, schema.res_partner
    joined, (currency_id, currency) = currency_columns(
        schema, terms.c.company_id,
        terms.outerjoin(pc, pc.c.id == terms.c.category_id).outerjoin(rp, rp.c.id == terms.c.partner_id))
    stmt = (
        select(terms.c.company_id, currency_id, currency, terms.c.category_id,
               func.coalesce(pc.c.complete_name, pc.c.name).label("category_name"),
               terms.c.partner_id, rp.c.name.label("partner_name"), func.sum(terms.c.revenue).label("revenue"),
               func.sum(terms.c.cogs).label("cogs"))
        .select_from(joined)
        .group_by(terms.c.company_id, currency_id.element, currency.element, terms.c.category_id, pc.c.complete_name,
                  pc.c.name, terms.c.partner_id, rp.c.name)
    )
    rows = [{"company_id": int(r.company_id), "currency": currency_code(r.currency_id, r.currency),
             "category_id": None if r.category_id is None else int(r.category_id),
             "category_name": r.category_name, "partner_id": None if r.partner_id is None else int(r.partner_id),
             "partner_name": r.partner_name, "revenue": float(r.revenue or 0.0), "cogs": float(r.cogs or 0.0)}
            for r in conn.execute(stmt)]
    return sorted(rows, key=lambda r: (r["company_id"], r["category_id"] is None, r["category_id"] or 0,
                                       r["partner_id"] is None, r["partner_id"] or 0))


def overdue_by_due_date(conn, schema, ctx: QueryContext, *, partner_id=None) -> list[dict]:
    """The residuals ``overdue_receivables`` sums as of D, per company x customer x due date (few rows:
    the page ages them into ``AGING_BUCKETS``). Dicts ``company_id, partner_id, partner_name,
    invoice_date_due, days_overdue, residual, invoices`` and ``currency`` (the company's)."""
    am, rp = schema.account_move, schema.res_partner
    joined, (currency_id, currency) = currency_columns(schema, am.c.company_id,
                                                       am.outerjoin(rp, rp.c.id == am.c.commercial_partner_id))
    stmt = (
        select(am.c.company_id, currency_id, currency, am.c.commercial_partner_id.label("partner_id"),
               rp.c.name.label("partner_name"), am.c.invoice_date_due,
               func.sum(am.c.amount_residual_signed).label("residual"), func.count().label("invoices"))
        .select_from(joined)
        .where(*overdue_conditions(schema, ctx), id_filter(am.c.commercial_partner_id, partner_id))
        .group_by(am.c.company_id, currency_id.element, currency.element, am.c.commercial_partner_id, rp.c.name,
                  am.c.invoice_date_due)
        .order_by(am.c.company_id, am.c.commercial_partner_id, am.c.invoice_date_due)
    )
    d_day = as_of_day(ctx)
    return [{"company_id": int(r.company_id), "currency": currency_code(r.currency_id, r.currency),
             "partner_id": None if r.partner_id is None else int(r.partner_id),
             "partner_name": r.partner_name, "invoice_date_due": r.invoice_date_due,
             "days_overdue": (d_day - r.invoice_date_due).days, "residual": float(r.residual or 0.0),
             "invoices": int(r.invoices)} for r in conn.execute(stmt)]


def customer_invoices(conn, schema, ctx: QueryContext, *, partner_id, category_id=None, uncategorised: bool = False,
                      limit: int = 200) -> list[dict]:
    """A customer's posted invoices and refunds dated in P with their revenue (product lines; with
    ``category_id`` only that category's lines, ``uncategorised`` only lines without one), largest first.
    Dicts ``model, move_id, name, move_type, invoice_date, company_id, revenue``."""
    aml, am = schema.account_move_line, schema.account_move
    pp, pt = _category(schema, "inv")
    revenue = (0.0 - func.sum(aml.c.balance)).label("revenue")
    stmt = (
        select(am.c.id.label("move_id"), am.c.name, am.c.move_type, am.c.invoice_date, am.c.company_id, revenue)
        .select_from(revenue_join(schema).outerjoin(pp, pp.c.id == aml.c.product_id)
                     .outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(*revenue_conditions(schema, ctx), am.c.commercial_partner_id == _required(partner_id),
               *_category_filter(pt.c.categ_id, category_id, uncategorised))
        .group_by(am.c.id, am.c.name, am.c.move_type, am.c.invoice_date, am.c.company_id)
        .order_by(revenue.desc(), am.c.id)
        .limit(valid_limit(limit))
    )
    return [{"model": "account.move", **dict(r._mapping), "revenue": float(r.revenue or 0.0)} for r in conn.execute(stmt)]


def customer_layers(conn, schema, ctx: QueryContext, *, partner_id, category_id=None, uncategorised: bool = False,
                    limit: int = 200) -> list[dict]:
    """The valuation layers behind a customer's COGS in P (moves to or from a customer location whose
    picking partner's commercial partner is the customer), largest cost first. Dicts ``model``
    ('stock.valuation.layer'), ``layer_id, create_date, company_id, product_id, product_name, picking_id,
    picking_name, quantity, cogs``."""
    svl = schema.stock_valuation_layer
    joined, pk, cp = cogs_join(schema, with_partner=True)
    pp, pt = _category(schema, "layer")
    partner = func.coalesce(cp.c.commercial_partner_id, pk.c.partner_id)
    stmt = (
        select(svl.c.id.label("layer_id"), svl.c.create_date, svl.c.company_id, svl.c.product_id,
               pt.c.name.label("product_name"), pk.c.id.label("picking_id"), pk.c.name.label("picking_name"),
               svl.c.quantity, (-svl.c.value).label("cogs"))
        .select_from(joined.outerjoin(pp, pp.c.id == svl.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(*cogs_conditions(schema, ctx), partner == _required(partner_id),
               *_category_filter(pt.c.categ_id, category_id, uncategorised))
        .order_by((-svl.c.value).desc(), svl.c.id)
        .limit(valid_limit(limit))
    )
    return [{"model": "stock.valuation.layer", **dict(r._mapping), "quantity": float(r.quantity or 0.0),
             "cogs": float(r.cogs or 0.0)} for r in conn.execute(stmt)]


def open_invoices(conn, schema, ctx: QueryContext, *, partner_id, limit: int = 200) -> list[dict]:
    """A customer's posted invoices and refunds not (fully) paid as of now, oldest due date first, with
    ``days_overdue`` (to D; zero or less: not due yet). Dicts ``model, move_id, name, move_type,
    company_id, invoice_date, invoice_date_due, residual, days_overdue``."""
    am = schema.account_move
    open_ = [am.c.state == "posted", am.c.move_type.in_(CUSTOMER_INVOICE_TYPES),
             am.c.payment_state.in_(OPEN_PAYMENT_STATES), sqlfuncs.in_ids(am.c.company_id, ctx.company_ids)]
    stmt = (
        select(am.c.id.label("move_id"), am.c.name, am.c.move_type, am.c.company_id, am.c.invoice_date,
               am.c.invoice_date_due, am.c.amount_residual_signed.label("residual"))
        .where(*open_, am.c.commercial_partner_id == _required(partner_id))
        .order_by(am.c.invoice_date_due, am.c.id)
        .limit(valid_limit(limit))
    )
    d_day = as_of_day(ctx)
    return [{"model": "account.move", **dict(r._mapping), "residual": float(r.residual or 0.0),
             "days_overdue": None if r.invoice_date_due is None else (d_day - r.invoice_date_due).days}
            for r in conn.execute(stmt)]


def _required(partner_id) -> int:
    value = int(partner_id)
    if value <= 0 or value != partner_id:
        raise ValueError(f"not an id: {partner_id!r}")
    return value


def inventory_at_ends(conn, schema, ctx: QueryContext, *, ends, by_category: bool = False) -> list[dict]:
    """The terms of ``inventory_turns`` / ``dio`` (``supply_stock.inventory_turns_sums``) at each instant of
    ``ends`` (ISO datetimes: the end of each day D wanted, as ``ctx.end`` would be) from ONE pass over the
    layers: each layer is put in the interval between the instants it precedes (a CASE over the sorted
    instants: every end, end - 30 k days and end - 365 days), the intervals are summed per company, and
    the value before any instant is the sum of the intervals up to it. Only ``ctx.company_ids`` of ``ctx``
    applies. Dicts ``scope_id, end`` (ISO), ``bucket`` (None), ``cogs, inventory_values`` (13),
    ``inventory_value_sum, samples``, the shape of ``inventory_turns_sums``' rows. With ``by_category``
    one row per company and product category (``category_id``, ``category_name``; None for layers whose
    product has none), whose terms add up to the company's.
    """
    svl, m, loc = schema.stock_valuation_layer, schema.stock_move, schema.stock_location
    wanted = [datetime.fromisoformat(str(e)) for e in ends]
    if not wanted:
        return []
    instants = sorted({e - timedelta(days=30 * k) for e in wanted for k in range(TURNS_SAMPLES)}
                      | {e - timedelta(days=TURNS_DAYS) for e in wanted} | set(wanted))
    index = {t: i for i, t in enumerate(instants)}
    customer = select(loc.c.id).where(loc.c.usage == "customer")
    customer_moves = (select(m.c.id).where(or_(m.c.location_id.in_(customer), m.c.location_dest_id.in_(customer)))
                      .subquery("customer_moves"))
    interval = case(*[(svl.c.create_date < t, i) for i, t in enumerate(instants)], else_=len(instants))
    earliest_window = min(wanted) - timedelta(days=TURNS_DAYS)
    pp, pt = _category(schema, "stock")
    category = pt.c.categ_id if by_category else cast(null(), Integer)
    joined = svl.outerjoin(customer_moves, and_(customer_moves.c.id == svl.c.stock_move_id,
                                                svl.c.create_date >= earliest_window))
    if by_category:
        joined = joined.outerjoin(pp, pp.c.id == svl.c.product_id).outerjoin(pt, pt.c.id == pp.c.product_tmpl_id)
    layers = (
        select(svl.c.company_id, category.label("category_id"), interval.label("interval"), svl.c.value,
               case((customer_moves.c.id.is_not(None), svl.c.value), else_=0).label("customer_value"))
        .select_from(joined)
        .where(svl.c.create_date < instants[-1], svl.c.company_id.is_not(None),
               sqlfuncs.in_ids(svl.c.company_id, ctx.company_ids))
        .subquery("layers")
    )
    pc = schema.product_category
    stmt = (select(layers.c.company_id, layers.c.category_id, func.coalesce(pc.c.complete_name, pc.c.name).label("category_name"),
                   layers.c.interval, func.sum(layers.c.value).label("value"),
                   func.sum(layers.c.customer_value).label("customer_value"))
            .select_from(layers.outerjoin(pc, pc.c.id == layers.c.category_id))
            .group_by(layers.c.company_id, layers.c.category_id, pc.c.complete_name, pc.c.name, layers.c.interval))
    per: dict[tuple, tuple[list[float], list[float]]] = {}
    names: dict[tuple, str | None] = {}
    for r in conn.execute(stmt):
        key = (int(r.company_id), None if r.category_id is None else int(r.category_id))
        names[key] = r.category_name
        values, customer_values = per.setdefault(key, ([0.0] * len(instants), [0.0] * len(instants)))
        values[int(r.interval)] += float(r.value or 0.0)
        customer_values[int(r.interval)] += float(r.customer_value or 0.0)

    def before(series: list[float], t) -> float:  # the layers created before instant t
        return sum(series[: index[t] + 1])

    out = []
    for key in sorted(per, key=lambda k: (k[0], k[1] is None, k[1] or 0)):
        company_id, category_id = key
        values, customer_values = per[key]
        for end in wanted:
            samples = [before(values, end - timedelta(days=30 * k)) for k in range(TURNS_SAMPLES)]
            cogs = 0.0 - (before(customer_values, end) - before(customer_values, end - timedelta(days=TURNS_DAYS)))
            out.append({"scope_id": company_id, "end": end.isoformat(), "bucket": None, "cogs": cogs,
                        "inventory_values": samples, "inventory_value_sum": sum(samples), "samples": TURNS_SAMPLES,
                        **({"category_id": category_id, "category_name": names[key]} if by_category else {})})
    return out
