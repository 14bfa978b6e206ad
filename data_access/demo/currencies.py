"""The demo's company in another currency: Nordwerk Automotive USA Inc. (company 3, books in USD), a sales
office without a site of its own that resells the Queretaro plant's wheel speed sensors to Cascadia Trucks,
a customer the main company (EUR) invoices too.

Only invoices: every two weeks over the history, paid 30 days after, the last ones still open and a few of
them past due. So the customer's and the product's gross margin and overdue receivables span EUR and USD
and read "unavailable" (KPIS.md v2: amounts in different company currencies are never added), while each
company keeps its own values. A seeded random source of its own: the rest of the story is unchanged.
"""
from __future__ import annotations

import random
from datetime import timedelta

from data_access.demo.accounting import Accounting
from data_access.demo.common import Ctx
from data_access.demo.scenario import STORY

__all__ = ["write_usd_invoices", "USD_PRODUCT_NAME", "USD_MARKUP"]

USD_PRODUCT_NAME = "Wheel Speed Sensor"
USD_MARKUP = 1.18  # the list price in EUR, times this, in USD
_EVERY_DAYS, _PAYMENT_DAYS, _SEED = 14, 30, 1203


def write_usd_invoices(ctx: Ctx, accounting: Accounting) -> list[int]:
    """Write company 3's invoices to the two-currency customer; returns their move ids."""
    company = STORY["company_usd"]
    if company not in ctx.sc.companies:
        return []
    rng = random.Random(_SEED)
    cust = next(c for c in ctx.sc.customers if c.id == STORY["two_currency_customer_id"])
    product = next(p for p in ctx.sc.finished if p.name == USD_PRODUCT_NAME)
    price = round(product.price * USD_MARKUP, 2)
    moves, n = [], 0
    day = ctx.start + timedelta(days=3)
    while day <= ctx.today:
        n += 1
        qty = float(rng.choice((40, 60, 80, 120)))
        total = round(round(qty * price, 2) * 1.19, 2)
        due = day + timedelta(days=_PAYMENT_DAYS)
        late = ctx.today - due  # paid on time until six weeks ago; since then open (some of it past due)
        state, residual = ("paid", 0.0) if late.days > 42 else ("not_paid", total)
        moves.append(accounting._move("out_invoice", company, cust, f"US-SO{n:04d}", day, due,
                                      [(product, qty, price)], state, residual, None))
        day += timedelta(days=_EVERY_DAYS)
    return moves
