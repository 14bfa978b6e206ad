"""The finance pages' views (pure): URLs, the per-company tiles, the margin heat map (customers x product
categories), the receivables aging, the overdue invoice list, the DIO / inventory value trend and the
customer page's tables.

Amounts are in company currency and always carry it (``dashboard.formats``); a block never adds two
companies' amounts. The breakdowns pool back to the KPI they explain: ``pool_cells`` gives the margin a
company's cells add up to, ``aging_rows`` the buckets that sum to ``overdue_receivables``; across
companies, ``pool_partners`` and ``overdue_partners`` give a customer's partner-scope values, pooled within
one currency and "unavailable" with the reason when its rows span currencies (KPIS.md v2), as the KPI does.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from dashboard.components import Column, kpi_tile
from dashboard.figures import heatmap, kpi_cell, kpi_trend
from dashboard.figures.heatmap import wrap_label
from dashboard.figures.theme import base_layout, empty_figure
from dashboard.formats import fmt_amount, fmt_date, fmt_qty, fmt_value
from dashboard.kpis.finance import margin_value, mixed_currency_reason
from dashboard.kpis.supply import turns_points
from dashboard.urlstate import date_param, days_param, href, id_param
from dashboard.views.plant import md_link, odoo_record_url
from dashboard.vocab import GRADES, MUTED, SERIES, grade_of

__all__ = ["FINANCE_QUERY", "CUSTOMER_QUERY", "FINANCE_KPIS", "AGING", "finance_href", "customer_href", "pool_cells",
           "aging_rows", "company_tiles", "margin_heatmap", "AGING_COLUMNS", "aging_grid_rows", "OVERDUE_COLUMNS",
           "overdue_rows", "dio_trend", "inventory_value_figure", "CATEGORY_COLUMNS", "category_rows",
           "INVOICE_COLUMNS", "invoice_rows", "STOCK_COLUMNS", "stock_rows", "LAYER_COLUMNS", "layer_rows", "OPEN_COLUMNS", "open_rows",
           "age_label", "TOP_CUSTOMERS", "pool_partners", "overdue_partners", "ACROSS_COLUMNS", "across_rows",
           "UNAVAILABLE_PRODUCT_COLUMNS", "unavailable_product_rows", "unavailable_text", "partner_results"]

FINANCE_KPIS = ("gross_margin_pct", "overdue_receivables", "inventory_turns", "dio")
# (key, label, first day, last day or None): the aging buckets of overdue receivables
AGING = (("d1_30", "1-30 days", 1, 30), ("d31_60", "31-60 days", 31, 60), ("d61_90", "61-90 days", 61, 90),
         ("d90p", "90+ days", 91, None))
TOP_CUSTOMERS = 15  # heat map rows; the other customers pool into one row
OTHERS = -1  # the row id of "Other customers"
NONE_ID = 0  # the row / column id of records without a customer / category

FINANCE_QUERY = {"company": id_param("company", "showing every company"), "days": days_param(90),
                 "as_of": date_param()}
CUSTOMER_QUERY = {"company": id_param("company", "showing every company"),
                  "category": id_param("category", "showing every category"), "days": days_param(90),
                  "as_of": date_param()}


def finance_href(company: int | None, days: int, as_of) -> str:
    return href("/finance", company=company, days=days, as_of=as_of)


def customer_href(partner_id: int, days: int, as_of, company: int | None = None, category: int | None = None) -> str:
    return href(f"/finance/customer/{int(partner_id)}", company=company, category=category, days=days, as_of=as_of)


def age_label(days_overdue: int | None) -> str:
    """The aging bucket's label of an invoice ("not due" when it is not past due)."""
    if days_overdue is None or days_overdue < 1:
        return "Not due"
    return next(label for _k, label, low, high in AGING if days_overdue >= low and (high is None or days_overdue <= high))


def _bucket(days_overdue: int) -> str | None:
    return next((k for k, _l, low, high in AGING if days_overdue >= low and (high is None or days_overdue <= high)), None)


def _margin(revenue: float, cogs: float) -> float | None:
    return margin_value(revenue, cogs)  # KPIS.md gross_margin_pct


def pool_cells(cells: Iterable[Mapping]) -> dict[int, dict]:
    """``{company id: {"revenue", "cogs", "margin_pct"}}``: the margin cells pooled per company (the raw sums,
    then the formula), which is the company's ``gross_margin_pct``."""
    out: dict[int, dict] = defaultdict(lambda: {"revenue": 0.0, "cogs": 0.0})
    for c in cells:
        out[c["company_id"]]["revenue"] += c["revenue"]
        out[c["company_id"]]["cogs"] += c["cogs"]
    return {k: {**v, "margin_pct": _margin(v["revenue"], v["cogs"])} for k, v in out.items()}


def _pool_partners(rows: Iterable[Mapping], measures: Sequence[str]) -> dict[int, dict]:
    """Rows of several companies pooled per customer within each company currency (``currency`` of a row)."""
    per: dict[int, dict] = {}
    for r in rows:
        pid = r["partner_id"]
        if pid is None:
            continue
        p = per.setdefault(pid, {"partner_id": pid, "partner_name": r.get("partner_name") or f"Partner {pid}",
                                 "companies": set(), "by_currency": {}})
        p["companies"].add(r["company_id"])
        sums = p["by_currency"].setdefault(r.get("currency") or "", dict.fromkeys(measures, 0.0))
        for m in measures:
            sums[m] += r[m]
    for p in per.values():
        p["companies"] = sorted(p["companies"])
        p["currencies"] = sorted(p["by_currency"])
        p["reason"] = mixed_currency_reason(p["currencies"])
        p["currency"] = None if p["reason"] else (p["currencies"][0] or None)
        for m in measures:
            p[m] = None if p["reason"] else p["by_currency"][p["currencies"][0]][m]
    return per


def pool_partners(cells: Iterable[Mapping]) -> dict[int, dict]:
    """``{partner id: {"partner_name", "companies", "currencies", "by_currency", "currency", "revenue", "cogs",
    "margin_pct", "reason"}}``: each customer's margin cells of every company pooled, which is its
    partner-scope ``gross_margin_pct``; revenue, COGS and margin are None, with ``reason``, when its cells are
    in more than one company currency (KPIS.md v2: never added)."""
    out = _pool_partners(cells, ("revenue", "cogs"))
    for p in out.values():
        p["margin_pct"] = None if p["reason"] else _margin(p["revenue"], p["cogs"])
    return out


def overdue_partners(rows: Iterable[Mapping]) -> dict[int, dict]:
    """``{partner id: {"partner_name", "companies", "currencies", "by_currency", "currency", "residual",
    "reason"}}``: each customer's overdue residuals (``overdue_by_due_date`` rows) of every company pooled,
    which is its partner-scope ``overdue_receivables``; None with ``reason`` across currencies."""
    return _pool_partners(rows, ("residual",))


def partner_results(margin: Mapping | None, overdue: Mapping | None, margin_def, overdue_def) -> dict:
    """A customer's partner-scope results over every company, as tiles read them: ``{"margin": result,
    "overdue": result, "margin_currency", "overdue_currency"}``; a result is ``{"value", "status"[, "reason"]}``,
    ``unavailable`` with the reason when its amounts are in more than one currency."""
    def result(pool, key, definition):
        if pool is None:
            return {"value": None, "status": "no_data"}
        if pool["reason"]:
            return {"value": None, "status": "unavailable", "reason": pool["reason"]}
        value = pool[key]
        return {"value": value, "status": "no_data" if value is None else definition.status(value)}

    return {"margin": result(margin, "margin_pct", margin_def), "overdue": result(overdue, "residual", overdue_def),
            "margin_currency": (margin or {}).get("currency"), "overdue_currency": (overdue or {}).get("currency")}


def unavailable_text(reason: str) -> str:
    """What a cell, tile line or row says for a value Odoo's data cannot give: "n/a · <reason>"."""
    return f"n/a · {reason}"


def _per_currency_text(by_currency: Mapping[str, Mapping], measure: str, label: str) -> str:
    return " · ".join(f"{label} {fmt_amount(v[measure], code or None)}" for code, v in sorted(by_currency.items()))


ACROSS_COLUMNS = [Column("customer", "Customer", "link", pinned=True, width=220),
                  Column("companies", "Companies", width=240), Column("margin", "Gross margin", "status", width=330),
                  Column("overdue", "Overdue receivables", "status", width=330)]


def across_rows(margins: Mapping[int, dict], overdue: Mapping[int, dict], company_names: Mapping[int, str],
                margin_def, overdue_def, link: Callable[[int], str]) -> list[dict]:
    """Customers of more than one company: their partner-scope gross margin and overdue receivables, in
    words: the value and status when the companies share a currency, else "n/a" and why, with each
    currency's own amounts (never added). Unavailable customers first, then by name."""
    out = []
    for pid in sorted(set(margins) | set(overdue)):
        m, o = margins.get(pid), overdue.get(pid)
        companies = sorted(set((m or {}).get("companies", [])) | set((o or {}).get("companies", [])))
        if len(companies) < 2:
            continue
        name = (m or o)["partner_name"]
        row = {"id": str(pid), "customer": md_link(name, link(pid)),
               "companies": ", ".join(company_names.get(c, f"Company {c}") for c in companies)}
        if m is None:
            row.update(margin="", margin_grade="no_data")
        elif m["reason"]:
            row.update(margin=f"{GRADES['unavailable'].icon} {unavailable_text(m['reason'])} ("
                       f"{_per_currency_text(m['by_currency'], 'revenue', 'revenue')})", margin_grade="unavailable")
        else:
            g = GRADES["no_data"] if m["margin_pct"] is None else GRADES[_grade_key(margin_def, m["margin_pct"])]
            row.update(margin=f"{fmt_value(m['margin_pct'], 'ratio')} · {g.icon} {g.word}", margin_grade=g.key)
        if o is None:
            row.update(overdue="", overdue_grade="no_data")
        elif o["reason"]:
            row.update(overdue=f"{GRADES['unavailable'].icon} {unavailable_text(o['reason'])} ("
                       f"{_per_currency_text(o['by_currency'], 'residual', 'overdue')})", overdue_grade="unavailable")
        else:
            g = GRADES[_grade_key(overdue_def, o["residual"])]
            row.update(overdue=f"{fmt_amount(o['residual'], o['currency'])} · {g.icon} {g.word}", overdue_grade=g.key)
        row["_order"] = (not ((m or {}).get("reason") or (o or {}).get("reason")), name)
        out.append(row)
    out.sort(key=lambda r: r["_order"])
    return [{k: v for k, v in r.items() if k != "_order"} for r in out]


UNAVAILABLE_PRODUCT_COLUMNS = [Column("product", "Product", pinned=True, width=260),
                               Column("margin", "Gross margin", "status", width=560)]


def unavailable_product_rows(results: Sequence[Mapping], names: Mapping[int, dict]) -> list[dict]:
    """Products whose ``gross_margin_pct`` is unavailable (KPI results of the product scope): which product and
    why, with each currency's revenue and COGS (from the result's parts)."""
    out = []
    for r in results:
        if r.get("status") != "unavailable" or r.get("scope_kind") != "product":
            continue
        info = names.get(r["scope_id"]) or {}
        name = info.get("name") or f"Product {r['scope_id']}"
        label = f"[{info['code']}] {name}" if info.get("code") else name
        by = (r.get("parts") or {}).get("by_currency") or {}
        terms = "; ".join(f"{code}: revenue {fmt_amount(v['revenue'], code)}, COGS {fmt_amount(v['cogs'], code)}"
                          for code, v in sorted(by.items()))
        out.append({"id": str(r["scope_id"]), "product": label, "margin_grade": "unavailable",
                    "margin": f"{GRADES['unavailable'].icon} {unavailable_text(r.get('reason') or 'unavailable')}"
                              + (f" ({terms})" if terms else "")})
    return sorted(out, key=lambda r: r["product"])


def aging_rows(rows: Iterable[Mapping]) -> dict[int, list[dict]]:
    """``{company id: [customer row, ...]}`` from residuals per due date: each customer's overdue amount per
    bucket (``d1_30`` ... ``d90p``), ``total`` (= its ``overdue_receivables``), ``invoices`` and
    ``oldest_days``; the customers with the most in 90+ first, then by total."""
    per: dict[tuple, dict] = {}
    for r in rows:
        key = (r["company_id"], r["partner_id"])
        row = per.setdefault(key, {"company_id": r["company_id"], "partner_id": r["partner_id"],
                                   "partner_name": r.get("partner_name") or "No customer", "total": 0.0, "invoices": 0,
                                   "oldest_days": 0, **{k: 0.0 for k, *_ in AGING}})
        row[_bucket(r["days_overdue"])] += r["residual"]
        row["total"] += r["residual"]
        row["invoices"] += r["invoices"]
        row["oldest_days"] = max(row["oldest_days"], r["days_overdue"])
    out: dict[int, list[dict]] = defaultdict(list)
    for row in sorted(per.values(), key=lambda r: (-r["d90p"], -r["total"], r["partner_name"])):
        out[row["company_id"]].append(row)
    return dict(out)


def company_tiles(catalogue, per_company: Mapping, company_id: int, days: int, currency: str | None, *,
                  margin: Mapping | None, aging: Sequence[Mapping], tile_id: Callable[[str], str]) -> list:
    """The four tiles of a company: gross margin, overdue receivables, inventory turns, DIO (company-scope
    results of the period; amounts in ``currency``)."""
    def kpi(kpi_id, name, lines):
        definition = catalogue.for_scope(kpi_id, "company", company_id, days)
        return kpi_tile(definition, per_company.get((kpi_id, company_id)), currency=currency, lines=lines,
                        tile_id=tile_id(name))

    m = margin or {}
    over_90 = sum(r["d90p"] for r in aging)
    customers = sum(1 for r in aging if r["total"] > 0)
    return [
        kpi("gross_margin_pct", "margin", [f"Revenue {fmt_amount(m.get('revenue'), currency)} · "
                                           f"COGS {fmt_amount(m.get('cogs'), currency)}"]),
        kpi("overdue_receivables", "overdue", [f"{customers} customers · {fmt_amount(over_90, currency)} over 90 days"]),
        kpi("inventory_turns", "turns", ["COGS of 365 days / average inventory value"]),
        kpi("dio", "dio", ["Days of inventory on hand, 365 days ending D"]),
    ]


def margin_heatmap(cells: Sequence[Mapping], definition, currency: str | None, *, link: Callable[[int], str],
                   top: int = TOP_CUSTOMERS) -> tuple[dict, list, list]:
    """Customers (rows, largest revenue first; beyond ``top`` pooled into "Other customers") x product
    categories (columns, lowest margin first) of one company, each cell graded by ``gross_margin_pct`` with
    its revenue, COGS and margin in the hover. Returns ``(figure, row ids, column ids)``; ids 0 = none,
    -1 = the other customers (positions in the figure map to these lists)."""
    revenue_of: dict[int, float] = defaultdict(float)
    for c in cells:
        revenue_of[c["partner_id"] or NONE_ID] += c["revenue"]
    ranked = sorted((p for p in revenue_of if p != NONE_ID), key=lambda p: (-revenue_of[p], p))
    shown = set(ranked[:top]) | {NONE_ID}  # records without a customer keep their own (last) row
    tail = len(ranked) - top
    names = {NONE_ID: "No customer", OTHERS: f"Other customers ({tail})"}
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    per_cat: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    cat_names = {NONE_ID: "No category"}
    for c in cells:
        pid = c["partner_id"] or NONE_ID
        row = pid if pid in shown else OTHERS
        cat = c["category_id"] or NONE_ID
        if pid != NONE_ID:
            names[pid] = c.get("partner_name") or f"Partner {pid}"
        if cat != NONE_ID:
            cat_names[cat] = c.get("category_name") or f"Category {cat}"
        sums[(row, cat)][0] += c["revenue"]
        sums[(row, cat)][1] += c["cogs"]
        per_cat[cat][0] += c["revenue"]
        per_cat[cat][1] += c["cogs"]
    row_ids = ranked[:top] + ([OTHERS] if tail > 0 else []) + ([NONE_ID] if NONE_ID in revenue_of else [])
    col_ids = sorted(per_cat, key=lambda k: (k == NONE_ID, _sort_margin(*per_cat[k]), cat_names[k]))
    rows = [(p, names[p]) for p in row_ids]
    columns = [(str(k), wrap_label(cat_names[k].split(" / ")[-1], 14)) for k in col_ids]
    figure_cells = {}
    for (row, cat), (revenue, cogs) in sums.items():
        value = _margin(revenue, cogs)
        status = "no_data" if value is None else definition.status(value)
        where = f"{names[row]} · {cat_names[cat]}"
        cell = kpi_cell(definition, {"value": value, "status": status}, where, currency=currency)
        terms = (f"Revenue <b>{fmt_amount(revenue, currency)}</b> · COGS <b>{fmt_amount(cogs, currency)}</b> · "
                 f"margin {fmt_amount(revenue - cogs, currency)}")
        text = cell.text if value is not None else ("no revenue" if cogs else "")
        hover = cell.hover.split("<br>")
        figure_cells[(row, str(cat))] = replace(cell, text=text, hover="<br>".join([hover[0], terms, *hover[1:]]))
    links = {p: link(p) for p in row_ids if p > 0}
    figure = heatmap(rows, columns, figure_cells, links=links, font_size=12, header_height=48, row_height=36,
                     empty_message="No invoices or customer deliveries in this period.")
    if rows:
        figure["layout"]["xaxis"].update(tickfont=dict(size=12), ticklabeloverflow="allow")
    return figure, row_ids, col_ids


def _sort_margin(revenue: float, cogs: float) -> float:
    value = _margin(revenue, cogs)
    return 9.0 if value is None else value


AGING_COLUMNS = [Column("customer", "Customer", "link", pinned=True, width=220),
                 *(Column(k, label, width=120) for k, label, *_ in AGING),
                 Column("total", "Total overdue", width=140), Column("invoices", "Invoices", "number", width=100),
                 Column("oldest", "Oldest", width=100)]


def aging_grid_rows(rows: Sequence[Mapping], currency: str | None, link: Callable[[int], str]) -> list[dict]:
    """Grid rows of the aging table: a link to the customer's page, the amount of each bucket, total."""
    out = []
    for r in rows:
        name = r["partner_name"]
        out.append({"id": str(r["partner_id"] or NONE_ID),
                    "customer": md_link(name, link(r["partner_id"])) if r["partner_id"] else name,
                    **{k: fmt_amount(r[k], currency) if r[k] else "" for k, *_ in AGING},
                    "total": fmt_amount(r["total"], currency), "invoices": r["invoices"],
                    "oldest": f"{r['oldest_days']} d"})
    return out


OVERDUE_COLUMNS = [Column("invoice", "Invoice", "link", pinned=True, width=170), Column("customer", "Customer", "link", width=200),
                   Column("due", "Due", width=120), Column("age", "Age", "status", width=130),
                   Column("days", "Days overdue", "number", width=120), Column("residual", "Open amount", width=140)]

_AGE_GRADE = {"Not due": "on_target", "1-30 days": "tolerance", "31-60 days": "warning", "61-90 days": "critical",
              "90+ days": "critical"}


def _age_cell(days_overdue) -> tuple[str, str]:
    label = age_label(days_overdue)
    g = GRADES[_AGE_GRADE[label]]
    return f"{g.icon} {label}", g.key


def overdue_rows(rows: Sequence[Mapping], currency: str | None, odoo_base_url: str, link: Callable[[int], str]) -> list[dict]:
    """Grid rows of the overdue invoices (oldest first): the invoice (a link to Odoo when configured), the
    customer (its page), due date, aging bucket, days overdue and open amount."""
    out = []
    for r in rows:
        age, grade_key = _age_cell(r["days_overdue"])
        customer = r.get("partner_name") or "No customer"
        out.append({"id": str(r["move_id"]),
                    "invoice": md_link(r["name"] or f"#{r['move_id']}", odoo_record_url(odoo_base_url, "account.move", r["move_id"])),
                    "customer": md_link(customer, link(r["partner_id"])) if r.get("partner_id") else customer,
                    "due": fmt_date(r["invoice_date_due"]), "age": age, "age_grade": grade_key,
                    "days": r["days_overdue"], "residual": fmt_amount(r["residual"], currency)})
    return out


def dio_trend(points: Sequence[Mapping], definition, company_name: str) -> dict:
    """DIO at each month-end of one company (the last point is the DIO tile's day)."""
    fig = kpi_trend([{"bucket": p["bucket"], "value": p.get("dio")} for p in points], definition,
                    title=f"DIO at month-ends · {company_name}", bucket="month",
                    empty_message="No customer deliveries valued in the last year: DIO has no value.")
    return fig


def inventory_value_figure(points: Sequence[Mapping], currency: str | None, company_name: str) -> dict:
    """Inventory value (sum of valuation layers) at each month-end of one company, as a filled line."""
    title = dict(text=f"Inventory value at month-ends · {company_name}", x=0.01, font=dict(size=14))
    pts = sorted(points, key=lambda p: p["bucket"])
    if not pts:
        fig = empty_figure("No valuation layers in the last year.", height=230)
        fig["layout"]["title"] = title
        return fig
    # a filled line, not bars: the last point (D) may be a day after the last month-end
    bars = dict(type="scatter", mode="lines+markers", fill="tozeroy", fillcolor="rgba(113, 75, 103, 0.15)", x=[p["bucket"] for p in pts],
                y=[p["inventory_value"] for p in pts], line=dict(color=SERIES, width=2), marker=dict(color=SERIES, size=6),
                customdata=[fmt_amount(p["inventory_value"], currency) for p in pts],
                hovertemplate="%{x|%Y-%m-%d}<br><b>%{customdata}</b><extra></extra>", name="Inventory value")
    layout = base_layout(height=230, title=title, margin=dict(l=10, r=10, t=40, b=10),
                         xaxis=dict(type="date", showgrid=False, tickformat="%b %Y", tickfont=dict(size=11, color=MUTED)),
                         yaxis=dict(showgrid=False, tickformat="~s", fixedrange=True, tickfont=dict(size=11, color=MUTED),
                                    title=dict(text=currency or "", font=dict(size=11, color=MUTED))))
    return {"data": [bars], "layout": layout}


STOCK_COLUMNS = [Column("category", "Product category", pinned=True, width=220),
                 Column("value", "Inventory value", width=140), Column("share", "Share", "number", width=90),
                 Column("cogs", "COGS, 365 days", width=140), Column("dio", "DIO", "status", width=150)]


def stock_rows(rows: Sequence[Mapping], definition, currency: str | None) -> list[dict]:
    """Inventory value, COGS of 365 days and DIO at D per product category of one company (the terms add up
    to the company's DIO tile), highest DIO first, categories without COGS last."""
    total = sum(r["inventory_values"][0] for r in rows) or None
    out = []
    for r in rows:
        dio = next(p.value for p in turns_points([r], "company") if p.kpi == "dio")
        g = grade_of(definition, dio, "no_data" if dio is None else definition.status(dio))
        out.append({"id": str(r.get("category_id") or NONE_ID), "category": r.get("category_name") or "No category",
                    "value": fmt_amount(r["inventory_values"][0], currency),
                    "share": f"{r['inventory_values'][0] / total * 100:.0f} %" if total else "",
                    "cogs": fmt_amount(r["cogs"], currency),
                    "dio": f"{fmt_value(dio, 'days')} · {g.icon} {g.word}" if dio is not None
                    else f"{g.icon} None sold in 365 days", "dio_grade": g.key, "_dio": dio})
    out.sort(key=lambda row: (row["_dio"] is None, -(row["_dio"] or 0.0)))
    return [{k: v for k, v in row.items() if k != "_dio"} for row in out]


# --- the customer page --------------------------------------------------------------------------------------

CATEGORY_COLUMNS = [Column("category", "Product category", "link", pinned=True, width=220),
                    Column("revenue", "Revenue", width=140), Column("cogs", "COGS", width=140),
                    Column("margin", "Margin", "status", width=150)]


def category_rows(cells: Sequence[Mapping], definition, currency: str | None, link: Callable[[int], str]) -> list[dict]:
    """One customer's margin per product category (lowest margin first), each linking to its records."""
    out = []
    for c in sorted(cells, key=lambda c: (_sort_margin(c["revenue"], c["cogs"]), c.get("category_name") or "")):
        value = _margin(c["revenue"], c["cogs"])
        g = GRADES["no_data"] if value is None else GRADES[_grade_key(definition, value)]
        cat = c["category_id"] or NONE_ID
        out.append({"id": f"{c['company_id']}-{cat}", "category": md_link(c.get("category_name") or "No category", link(cat)),
                    "revenue": fmt_amount(c["revenue"], currency), "cogs": fmt_amount(c["cogs"], currency),
                    "margin": f"{fmt_value(value, 'ratio')} · {g.icon} {g.word}", "margin_grade": g.key})
    return out


def _grade_key(definition, value: float) -> str:
    return grade_of(definition, value, definition.status(value)).key


INVOICE_COLUMNS = [Column("invoice", "Invoice", "link", pinned=True, width=170), Column("kind", "Type", width=110),
                   Column("date", "Date", width=120), Column("revenue", "Revenue", width=140)]


def invoice_rows(rows: Sequence[Mapping], currency: str | None, odoo_base_url: str) -> list[dict]:
    return [{"id": str(r["move_id"]),
             "invoice": md_link(r["name"] or f"#{r['move_id']}", odoo_record_url(odoo_base_url, "account.move", r["move_id"])),
             "kind": "Credit note" if r["move_type"] == "out_refund" else "Invoice",
             "date": fmt_date(r["invoice_date"]), "revenue": fmt_amount(r["revenue"], currency)} for r in rows]


LAYER_COLUMNS = [Column("picking", "Delivery", "link", pinned=True, width=170), Column("product", "Product", width=220),
                 Column("date", "Valued on", width=120), Column("qty", "Quantity", "number", width=110),
                 Column("cogs", "COGS", width=140)]


def layer_rows(rows: Sequence[Mapping], currency: str | None, odoo_base_url: str, lang: str = "en_US") -> list[dict]:
    out = []
    for r in rows:
        name = r.get("product_name")
        if isinstance(name, dict):
            name = name.get(lang) or name.get("en_US") or next(iter(name.values()), "")
        picking = r.get("picking_name") or "No delivery"
        out.append({"id": str(r["layer_id"]),
                    "picking": md_link(picking, odoo_record_url(odoo_base_url, "stock.picking", r["picking_id"]))
                    if r.get("picking_id") else picking,
                    "product": name or "", "date": fmt_date(r["create_date"]), "qty": fmt_qty(abs(r["quantity"])),
                    "cogs": fmt_amount(r["cogs"], currency)})
    return out


OPEN_COLUMNS = [Column("invoice", "Invoice", "link", pinned=True, width=170), Column("due", "Due", width=120),
                Column("age", "Age", "status", width=130), Column("days", "Days overdue", "number", width=120),
                Column("residual", "Open amount", width=140)]


def open_rows(rows: Sequence[Mapping], currency: str | None, odoo_base_url: str) -> list[dict]:
    out = []
    for r in rows:
        age, grade_key = _age_cell(r["days_overdue"])
        out.append({"id": str(r["move_id"]),
                    "invoice": md_link(r["name"] or f"#{r['move_id']}", odoo_record_url(odoo_base_url, "account.move", r["move_id"])),
                    "due": fmt_date(r["invoice_date_due"]), "age": age, "age_grade": grade_key,
                    "days": max(r["days_overdue"] or 0, 0), "residual": fmt_amount(r["residual"], currency)})
    return out
