"""Accounting of the demo: a small chart of accounts per company, customer invoices and refunds.

An invoice has one ``product`` line per product (credit: negative balance on an out_invoice), one
19 % ``tax`` line and one ``payment_term`` line on the receivable account carrying the residual.
Payment states follow the due date; the slow-paying distributor leaves most invoices overdue.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from data_access.demo.common import Ctx
from data_access.demo.scenario import Partner, Product, tr
from data_access.demo.stock import magic

__all__ = ["Accounting"]

_CHART = [  # key, code, name, account_type, reconcile
    ("receivable", "121000", "Account Receivable", "asset_receivable", True),
    ("payable", "211000", "Account Payable", "liability_payable", True),
    ("income", "400000", "Product Sales", "income", False),
    ("tax", "251000", "Tax Received", "liability_current", False),
    ("stock", "110100", "Stock Valuation", "asset_current", False),
    ("cogs", "500000", "Cost of Goods Sold", "expense_direct_cost", False),
    ("bank", "101401", "Bank", "asset_cash", False),
]
TAX = 0.19


class Accounting:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.accounts: dict[tuple[int, str], int] = {}
        self.seq: dict[tuple[int, str, int], int] = {}

    def write_chart(self, created: datetime) -> None:
        """Write the accounts of every company (17: code + company_id; 18: code_store + company_ids)."""
        ctx = self.ctx
        aid = 1
        for cid in ctx.sc.companies:
            for key, code, name, atype, reconcile in _CHART:
                ctx.w.add("account_account", {
                    "id": aid, "name": tr(name), "currency_id": None, "code": code, "code_store": {str(cid): code},
                    "deprecated": False, "account_type": atype, "include_initial_balance": not atype.startswith(
                        ("income", "expense")), "internal_group": atype.split("_")[0], "reconcile": reconcile,
                    "company_id": cid, "non_trade": False, **magic(created)})
                if ctx.version.startswith("18"):
                    ctx.w.add("account_account_res_company_rel", {"account_account_id": aid, "res_company_id": cid})
                self.accounts[(cid, key)] = aid
                aid += 1

    def invoice(self, company: int, cust: Partner, origin: str, inv_date: date,
                lines: list[tuple[Product, float, float]]) -> int:
        """Write a posted out_invoice for (product, qty, unit price) lines; maybe a refund after it."""
        rng, today = self.ctx.rng, self.ctx.today
        due = inv_date + timedelta(days=cust.payment_days)
        total = round(sum(round(q * p, 2) for _pr, q, p in lines) * (1 + TAX), 2)
        if due < today:
            r = rng.random()
            if cust.slow_payer:
                pstate = "not_paid" if r < 0.55 else "partial" if r < 0.7 else "paid"
            else:
                pstate = "not_paid" if r < 0.04 else "partial" if r < 0.07 else "paid"
        else:
            r = rng.random()
            pstate = "paid" if r < 0.15 else "in_payment" if r < 0.2 else "not_paid"
        residual = {"paid": 0.0, "in_payment": 0.0, "partial": round(total * rng.uniform(0.3, 0.7), 2)}.get(pstate, total)
        move_id = self._move("out_invoice", company, cust, origin, inv_date, due, lines, pstate, residual, None)
        if rng.random() < 0.03:
            ref_date = inv_date + timedelta(days=rng.randint(5, 20))
            if ref_date <= today:
                share = rng.uniform(0.05, 0.2)
                ref_lines = [(p, q, round(price * share, 2)) for p, q, price in lines]
                ref_state = "paid" if ref_date < today - timedelta(days=30) else "not_paid"
                ref_total = round(sum(round(q * p, 2) for _pr, q, p in ref_lines) * (1 + TAX), 2)
                self._move("out_refund", company, cust, origin, ref_date, ref_date + timedelta(days=cust.payment_days),
                           ref_lines, ref_state, 0.0 if ref_state == "paid" else ref_total, move_id)
        return move_id

    def _move(self, mtype: str, company: int, cust: Partner, origin: str, day: date, due: date,
              lines: list[tuple[Product, float, float]], pstate: str, residual: float, reversed_id: int | None) -> int:
        ctx = self.ctx
        sign = 1 if mtype == "out_invoice" else -1      # receivable side: debit on invoices, credit on refunds
        mid = ctx.ids("account_move")
        key = (company, mtype, day.year)
        self.seq[key] = self.seq.get(key, 0) + 1
        prefix = "INV" if mtype == "out_invoice" else "RINV"
        name = f"{prefix}/{day.year}/{company}{self.seq[key]:05d}"
        when = datetime.combine(day, time(16, 0))
        untaxed = round(sum(round(q * p, 2) for _pr, q, p in lines), 2)
        tax = round(untaxed * TAX, 2)
        total = round(untaxed + tax, 2)
        currency = ctx.sc.company_currencies.get(company, 1)  # invoiced in the company's own currency
        common = {"move_id": mid, "company_id": company, "company_currency_id": currency, "move_name": name,
                  "parent_state": "posted", "date": day, "invoice_date": day, "currency_id": currency,
                  "partner_id": cust.id, "discount": 0.0, "tax_tag_invert": False, "reconciled": False,
                  "blocked": False, "is_imported": False, **magic(when)}
        rows = []
        for seq, (product, qty, price) in enumerate(lines, start=1):
            sub = round(qty * price, 2)
            rows.append({"sequence": seq, "account_id": self.accounts[(company, "income")], "display_type": "product",
                         "name": f"[{product.code}] {product.name}", "product_id": product.id,
                         "product_uom_id": product.uom_id, "quantity": qty, "price_unit": price,
                         "price_subtotal": sub, "price_total": round(sub * (1 + TAX), 2), "balance": -sign * sub,
                         "amount_residual": 0.0})
        rows.append({"sequence": 90, "account_id": self.accounts[(company, "tax")], "display_type": "tax",
                     "name": "19%", "balance": -sign * tax, "tax_base_amount": untaxed, "amount_residual": 0.0})
        rows.append({"sequence": 99, "account_id": self.accounts[(company, "receivable")],
                     "display_type": "payment_term", "name": name, "balance": sign * total, "date_maturity": due,
                     "amount_residual": sign * residual, "reconciled": residual == 0.0})
        for r in rows:
            b = r["balance"]
            ctx.w.add("account_move_line", {**common, **r, "id": ctx.ids("account_move_line"), "debit": max(b, 0.0),
                                            "credit": max(-b, 0.0), "amount_currency": b,
                                            "amount_residual_currency": r["amount_residual"]})
        ctx.w.add("account_move", {
            "id": mid, "name": name, "ref": origin, "date": day, "state": "posted", "move_type": mtype,
            "is_storno": False, "journal_id": None, "company_id": company, "always_tax_exigible": False,
            "auto_post": "no", "to_check": False, "checked": True, "posted_before": True, "made_sequence_gap": False,
            "invoice_date": day, "invoice_date_due": due, "partner_id": cust.id, "commercial_partner_id": cust.id,
            "partner_shipping_id": cust.contacts[-1], "payment_reference": name, "currency_id": currency,
            "invoice_currency_rate": 1.0, "amount_untaxed": untaxed, "amount_tax": tax, "amount_total": total,
            "amount_residual": residual, "amount_untaxed_signed": sign * untaxed,
            "amount_untaxed_in_currency_signed": sign * untaxed, "amount_tax_signed": sign * tax,
            "amount_total_signed": sign * total, "amount_total_in_currency_signed": sign * total,
            "amount_residual_signed": sign * residual, "payment_state": pstate, "reversed_entry_id": reversed_id,
            "invoice_partner_display_name": cust.name, "is_move_sent": True, "invoice_user_id": 5,
            "invoice_origin": origin, "is_manually_modified": False, **magic(when)})
        return mid
