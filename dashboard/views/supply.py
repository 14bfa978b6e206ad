"""The supply chain pages' views (pure): their URLs, the headline tiles, the vendor x week OTIF heat map, the
late purchase and sale line tables, the stockout list, customer OTIF rows and a vendor's lead times.

Words and colours come from ``dashboard.vocab``, numbers from ``dashboard.formats``, tiles, grids and the
heat map from the shared builders; every value shown is a KPI result or a drill row of exactly the URL's
period and scope.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc

from dashboard.components import Column, kpi_tile, tile
from dashboard.figures import heatmap, kpi_cell
from dashboard.figures.theme import base_layout, empty_figure
from dashboard.formats import fmt_amount, fmt_date, fmt_datetime, fmt_day_short, fmt_qty, fmt_value
from dashboard.kpis.supply import turns_points
from dashboard.urlstate import date_param, days_param, href, id_param
from dashboard.views.plant import index_results, md_link, odoo_record_url
from dashboard.vocab import GRADES, SERIES, grade_of

__all__ = ["SUPPLY_QUERY", "VENDOR_QUERY", "SITE_TILE_KPIS", "COMPANY_TILE_KPIS", "supply_href", "vendor_href",
           "week_columns", "vendor_order", "vendor_heatmap", "supply_tiles", "LATE_PO_COLUMNS", "VENDOR_LATE_COLUMNS", "late_po_rows", "line_note",
           "LATE_SO_COLUMNS", "late_so_rows", "STOCKOUT_COLUMNS", "stockout_rows", "RUNOUT_COLUMNS", "runout_rows",
           "CATEGORY_COLUMNS", "category_rows", "CUSTOMER_COLUMNS",
           "customer_rows", "lead_time_figure", "lead_summary", "vendor_trend_points", "OTIF_LABEL", "LEAD_COLUMNS",
           "lead_rows", "oldest_late_tile", "tile_row",
           "WAITING_COLUMNS", "waiting_rows"]

SUPPLY_QUERY = {"company": id_param("company", "all companies"), "site": id_param("site", "all sites"),
                "days": days_param(), "as_of": date_param()}
VENDOR_QUERY = {"days": days_param(90), "as_of": date_param()}
# Site-scope headline KPIs (KPIS.md) and the company-scope ones
SITE_TILE_KPIS = ("supplier_otif", "late_po_lines", "customer_otif", "late_so_lines", "stockout_rate")
COMPANY_TILE_KPIS = ("inventory_turns", "dio")
OTIF_LABEL = "13 weeks"


def supply_href(company: int | None, site: int | None, days: int, as_of) -> str:
    """The supply chain page for a company / site filter and period."""
    return href("/supply", company=company, site=site, days=days, as_of=as_of)


def vendor_href(partner_id: int, as_of, days: int = 90) -> str:
    """A vendor's page for one period."""
    return href(f"/supply/vendor/{int(partner_id)}", as_of=as_of, days=days)


def week_columns(as_of: date, weeks: int) -> list[str]:
    """The ISO Mondays (``YYYY-MM-DD``) of the ``weeks`` weeks ending with the week of ``as_of``, oldest first."""
    monday = as_of - timedelta(days=as_of.weekday())
    return [(monday - timedelta(weeks=n)).isoformat() for n in range(weeks - 1, -1, -1)]


def vendor_order(per_vendor: Mapping, names: Mapping[int, Mapping]) -> list[tuple[int, str]]:
    """``(partner id, name)`` of every vendor with a ``supplier_otif`` result: worst OTIF first (lowest), those
    without a value (no line planned in the period, only late lines) after them, then by name."""
    ids = {pid for (kpi, pid) in per_vendor if kpi in ("supplier_otif", "late_po_lines")}

    def key(pid):
        value = (per_vendor.get(("supplier_otif", pid)) or {}).get("value")
        name = (names.get(pid) or {}).get("name") or f"Partner {pid}"
        return (1, 0.0, name) if value is None else (0, value, name)

    return [(pid, (names.get(pid) or {}).get("name") or f"Partner {pid}") for pid in sorted(ids, key=key)]


def vendor_heatmap(vendors: Sequence[tuple[int, str]], weeks: Sequence[str], weekly: Iterable[Mapping],
                   per_vendor: Mapping, catalogue, links: Mapping[int, str]) -> dict:
    """Vendors x weeks of ``supplier_otif``, with a first column holding the vendor's value over the 13 weeks
    (what orders the rows); each cell graded, no-data cells blank, row labels link to the vendor page."""
    week_def = catalogue.for_scope("supplier_otif", "partner", None, 7)
    period_def = catalogue.for_scope("supplier_otif", "partner", None, 7 * len(weeks))
    names = dict(vendors)
    cells = {}
    for r in weekly:
        if r["kpi"] != "supplier_otif" or r["scope_kind"] != "partner" or r["scope_id"] not in names:
            continue
        if r.get("bucket") in weeks:
            cells[(r["scope_id"], r["bucket"])] = kpi_cell(week_def, r, f"{names[r['scope_id']]} · week of {fmt_date(r['bucket'])}")
    for pid, name in vendors:
        result = per_vendor.get(("supplier_otif", pid))
        if result is not None:
            cells[(pid, OTIF_LABEL)] = kpi_cell(period_def, result, f"{name} · {OTIF_LABEL}")
    columns = [(OTIF_LABEL, f"<b>{OTIF_LABEL}</b>"), *((w, fmt_day_short(w)) for w in weeks)]
    fig = heatmap(list(vendors), columns, cells, links=links, font_size=12, header_height=36, row_height=40,
                  empty_message="No purchase line was planned in these 13 weeks in this scope.")
    if vendors:
        fig["layout"]["xaxis"].update(tickfont=dict(size=12), ticklabeloverflow="allow")
    return fig


def supply_tiles(catalogue, results: Iterable[Mapping], *, kind: str, scope_id: int, company_id: int, days: int,
                 tile_id: Callable[[str], str]) -> list:
    """The headline tiles of one site (``kind`` 'warehouse') or company: the five site KPIs at that scope and
    inventory turns and DIO of its company."""
    mine = index_results(results, kind, SITE_TILE_KPIS)
    company = index_results(results, "company", COMPANY_TILE_KPIS)
    tiles = [kpi_tile(catalogue.for_scope(k, kind, scope_id, days),
                      mine.get((k, scope_id)), tile_id=tile_id(f"{k}-{scope_id}"), lines=[_parts_line(k, mine.get((k, scope_id)))])
             for k in SITE_TILE_KPIS]
    tiles += [kpi_tile(catalogue.for_scope(k, "company", company_id, days), company.get((k, company_id)), tile_id=tile_id(f"{k}-{scope_id}"),
                       lines=["Company scope, last 365 days"]) for k in COMPANY_TILE_KPIS]
    return tiles


def tile_row(tiles: Sequence) -> dbc.Row:
    """The seven headline tiles of one scope: a row of seven from a laptop up (``tile_grid`` stops at six),
    four then three on a small laptop, two on a tablet, one on a phone."""
    return dbc.Row([dbc.Col(t, xs=12, sm=6, lg=3, xl=True) for t in tiles], className="g-3 mb-3 tile-grid")


def _parts_line(kpi: str, result: Mapping | None) -> str | None:
    parts = (result or {}).get("parts") or {}
    if kpi in ("supplier_otif", "customer_otif") and parts.get("lines") is not None:
        return f"{parts.get('otif_lines', 0):.0f} of {parts['lines']:.0f} lines in full and on time"
    if kpi == "stockout_rate" and parts.get("rules") is not None:
        return f"{parts.get('stockout_rules', 0):.0f} of {parts['rules']:.0f} reordering rules at or below zero"
    return None


LATE_PO_COLUMNS = [Column("order", "Purchase order", "link", pinned=True, width=150), Column("vendor", "Vendor", "link", width=220),
                   Column("product", "Product", width=220), Column("planned", "Planned", width=120),
                   Column("days_late", "Days late", "number", width=110), Column("open", "Qty open", "number", width=110),
                   Column("ordered", "Ordered", "number", width=110), Column("note", "Note", width=260,
                                                                            tooltip="Kits and returns behind the quantity")]

VENDOR_LATE_COLUMNS = [c for c in LATE_PO_COLUMNS if c.field != "vendor"]  # on the vendor's own page


def late_po_rows(rows: Sequence[Mapping], odoo_base_url: str = "",
                 vendor_link: Callable[[int], str] | None = None) -> list[dict]:
    """Grid rows of late purchase lines: the order (a link to Odoo when configured), vendor (a link to its
    page), product, planned day, days late and the quantity still open at the end of D."""
    return [{"id": str(r["line_id"]),
             "order": md_link(r["order_name"], odoo_record_url(odoo_base_url, "purchase.order", r["order_id"])),
             "vendor": md_link(r.get("partner_name") or "", vendor_link(r["partner_id"]) if vendor_link and r.get("partner_id") else None),
             "product": r.get("product_name") or "", "planned": fmt_date(r.get("planned_day")),
             "days_late": r.get("days_late"), "open": _open(r["product_qty"], r["qty_received"]),
             "ordered": float(r["product_qty"]), "note": line_note(r, "received")} for r in rows]


def line_note(r: Mapping, done: str) -> str:
    """What stands behind a line's received or delivered quantity (KPIS.md v2), in words: a kit line counts
    whole kits (the lowest component ratio, floored), and a return made without "Update quantities on SO/PO"
    does not reduce the line."""
    notes = []
    if r.get("kit_bom_id") is not None:
        kits = r.get("kits")
        notes.append(f"kit: {fmt_qty(kits or 0)} whole kits {done}")
    if r.get("qty_returned_not_updated"):
        notes.append(f"{fmt_qty(r['qty_returned_not_updated'])} returned without updating the order")
    return " · ".join(notes)


def _open(ordered, done) -> float:
    return round(max(0.0, float(ordered) - float(done)), 4)


LATE_SO_COLUMNS = [Column("order", "Sale order", "link", pinned=True, width=150), Column("customer", "Customer", width=220),
                   Column("product", "Product", width=220), Column("promise", "Promised", width=120),
                   Column("age_days", "Age (days)", "number", width=110), Column("open", "Qty open", "number", width=110),
                   Column("site", "Site", width=150), Column("note", "Note", width=260,
                                                             tooltip="Kits and returns behind the quantity")]


def late_so_rows(rows: Sequence[Mapping], sites: Mapping[int, Mapping], odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the open late sale lines (the order exceptions), oldest first as the query gives them."""
    return [{"id": str(r["line_id"]),
             "order": md_link(r["order_name"], odoo_record_url(odoo_base_url, "sale.order", r["order_id"])),
             "customer": r.get("partner_name") or "", "product": r.get("product_name") or "",
             "promise": fmt_date(r.get("promise_day")), "age_days": r.get("age_days"),
             "open": _open(r["product_uom_qty"], r["qty_delivered"]),
             "site": (sites.get(r.get("warehouse_id")) or {}).get("name", ""), "note": line_note(r, "delivered")}
            for r in rows]


STOCKOUT_COLUMNS = [Column("rule", "Reordering rule", "link", pinned=True, width=170), Column("product", "Product", width=220),
                    Column("site", "Site", width=150), Column("on_hand", "On hand", "number", width=110),
                    Column("min", "Min", "number", width=100)]


def stockout_rows(rows: Sequence[Mapping], odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the reordering rules at or below zero now (most negative first)."""
    return [{"id": str(r["orderpoint_id"]),
             "rule": md_link(r.get("name") or f"Rule {r['orderpoint_id']}",
                             odoo_record_url(odoo_base_url, "stock.warehouse.orderpoint", r["orderpoint_id"])),
             "product": r.get("product_name") or "", "site": r.get("warehouse_name") or "",
             "on_hand": float(r["on_hand"]), "min": float(r.get("product_min_qty") or 0)} for r in rows]


RUNOUT_COLUMNS = [Column("rule", "Reordering rule", "link", pinned=True, width=170), Column("product", "Product", width=220),
                  Column("site", "Site", width=150), Column("on_hand", "On hand", "number", width=110),
                  Column("daily", "Use per day", "number", width=120), Column("runout_days", "Runs out in (d)", "number", width=140),
                  Column("runout_date", "Projected date", width=140), Column("lead_days", "Lead time (d)", "number", width=130)]


def runout_rows(rows: Sequence[Mapping], odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the rules projected to run out within the vendor lead time (soonest first)."""
    return [{"id": str(r["orderpoint_id"]),
             "rule": md_link(r.get("name") or f"Rule {r['orderpoint_id']}",
                             odoo_record_url(odoo_base_url, "stock.warehouse.orderpoint", r["orderpoint_id"])),
             "product": r.get("product_name") or "", "site": r.get("warehouse_name") or "",
             "on_hand": round(float(r["on_hand"]), 3), "daily": round(float(r["daily"]), 2),
             "runout_days": round(float(r["runout_days"]), 1), "runout_date": fmt_date(r["runout_date"]),
             "lead_days": round(float(r["lead_days"]), 1)} for r in rows]


CATEGORY_COLUMNS = [Column("category", "Product category", pinned=True, width=240), Column("company", "Company", width=200),
                    Column("inventory_turns", "Inventory turns", "status", width=180),
                    Column("dio", "DIO", "status", width=170), Column("average", "Average inventory", width=170),
                    Column("cogs", "COGS, 365 days", width=160)]


def category_rows(rows: Iterable[Mapping], companies: Mapping[int, Mapping], catalogue) -> list[dict]:
    """Inventory turns and DIO per company and product category (the rows of ``inventory_at_ends`` by
    category, whose terms add up to the company's): slowest stock first (highest DIO), amounts in the
    company's currency."""
    out = []
    for r in rows:
        cid = r["scope_id"]
        if cid not in companies:
            continue
        points = turns_points([r], "company")
        values, parts = {p.kpi: p.value for p in points}, points[0].parts
        currency = companies[cid].get("currency")
        row = {"id": f"{cid}-{r.get('category_id')}", "category": r.get("category_name") or "No category",
               "company": companies[cid]["name"], "average": fmt_amount(parts["average_inventory_value"], currency),
               "cogs": fmt_amount(parts["cogs"], currency), "_dio": values.get("dio")}
        for kpi in ("inventory_turns", "dio"):
            definition = catalogue.for_scope(kpi, "company", cid)
            g = grade_of(definition, values.get(kpi), definition.status(values.get(kpi)))
            row[kpi] = f"{fmt_value(values.get(kpi), definition.unit)} · {g.icon} {g.word}"
            row[f"{kpi}_grade"] = g.key
        out.append(row)
    out.sort(key=lambda x: (x["_dio"] is None, -(x["_dio"] or 0.0), x["category"]))
    for row in out:
        del row["_dio"]
    return out


CUSTOMER_COLUMNS = [Column("name", "Customer or site", pinned=True, width=240), Column("kind", "Scope", width=100),
                    Column("customer_otif", "Customer OTIF", "status", width=200),
                    Column("lines", "Lines", "number", width=100), Column("late_so_lines", "Late lines", "number", width=110)]


def customer_rows(results: Iterable[Mapping], customers: Mapping[int, Mapping], sites: Mapping[int, Mapping],
                  catalogue, days: int) -> list[dict]:
    """Customer OTIF per site, then per customer (worst first), with line counts and late lines."""
    results = list(results)
    out = []
    for kind, names, word in (("warehouse", sites, "Site"), ("partner", customers, "Customer")):
        per = index_results(results, kind, ("customer_otif", "late_so_lines"))
        ids = {sid for (_, sid) in per}
        if kind == "warehouse":
            ids &= set(names)

        def key(sid, per=per, names=names):
            value = (per.get(("customer_otif", sid)) or {}).get("value")
            return (value is None, value or 0.0, (names.get(sid) or {}).get("name") or "")

        for sid in sorted(ids, key=key):
            result = per.get(("customer_otif", sid)) or {}
            definition = catalogue.for_scope("customer_otif", kind, sid, days)
            g = grade_of(definition, result.get("value"), result.get("status"))
            late = (per.get(("late_so_lines", sid)) or {}).get("value")
            out.append({"id": f"{kind}-{sid}", "name": (names.get(sid) or {}).get("name") or f"{word} {sid}", "kind": word,
                        "customer_otif": f"{fmt_value(result.get('value'), definition.unit)} · {g.icon} {g.word}",
                        "customer_otif_grade": g.key, "lines": ((result.get("parts") or {}).get("lines")),
                        "late_so_lines": late})
    return out


def vendor_trend_points(weekly: Iterable[Mapping], partner_id: int, weeks: Sequence[str]) -> list[dict]:
    """The vendor's weekly ``supplier_otif`` points of the heat map's weeks."""
    return [{"bucket": r["bucket"], "value": r.get("value")} for r in weekly
            if r["kpi"] == "supplier_otif" and r["scope_kind"] == "partner" and r["scope_id"] == partner_id
            and r.get("bucket") in weeks]


def lead_summary(rows: Sequence[Mapping]) -> str:
    """"12 orders · median 9.5 d · longest 21.0 d" of the lead time rows."""
    days = sorted(float(r["lead_days"]) for r in rows)
    if not days:
        return "No purchase order of this vendor was first received in this period."
    mid = len(days) // 2
    median = days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
    return f"{len(days)} orders first received · median {median:.1f} d · longest {days[-1]:.1f} d, confirmation to receipt"


def lead_time_figure(rows: Sequence[Mapping], zone: ZoneInfo, *, height: int = 300) -> dict:
    """A histogram of whole days from confirmation to first receipt, one bar per day count (a figure dict)."""
    if not rows:
        return empty_figure("No purchase order of this vendor was first received in this period.", height=height)
    counts: dict[int, list[str]] = {}
    for r in rows:
        counts.setdefault(int(float(r["lead_days"])), []).append(r["order_name"])
    xs = list(range(min(counts), max(counts) + 1))
    hover = [", ".join(counts.get(x, [])[:6]) + (" …" if len(counts.get(x, [])) > 6 else "") for x in xs]
    trace = dict(type="bar", x=xs, y=[len(counts.get(x, [])) for x in xs], marker=dict(color=SERIES),
                 customdata=hover, hovertemplate="%{x} days: %{y} orders<br>%{customdata}<extra></extra>")
    layout = base_layout(height=height, margin=dict(l=10, r=10, t=20, b=10), bargap=0.15,
                         xaxis=dict(title=dict(text="Days from confirmation to first receipt"), dtick=1 if len(xs) <= 30 else None),
                         yaxis=dict(title=dict(text="Orders"), rangemode="tozero",
                                    dtick=1 if max(len(v) for v in counts.values()) <= 10 else None))
    return {"data": [trace], "layout": layout}


def oldest_late_tile(late: Sequence[Mapping], tile_id: str | None = None):
    """A vendor's late lines in one tile: the oldest one's days late, how many lines and units are open."""
    open_qty = sum(_open(r["product_qty"], r["qty_received"]) for r in late)
    worst = max((r.get("days_late") or 0 for r in late), default=0)
    g = GRADES["critical" if late else "on_target"]
    return tile("Oldest late line", f"{worst} d" if late else "–", g,
                phrase="Days past its planned day" if late else "No line late",
                lines=[f"{len(late)} lines open · {fmt_qty(open_qty)} units short"], tile_id=tile_id)


WAITING_COLUMNS = [Column("record", "Waiting record", "link", pinned=True, width=150), Column("kind", "Kind", width=130),
                   Column("product", "Product", width=220), Column("qty", "Qty needed", "number", width=120),
                   Column("due", "Due", width=170), Column("site", "Site", width=150)]
_KINDS = {"mrp.production": "Manufacturing", "sale.order": "Sale order"}


def waiting_rows(rows: Sequence[Mapping], products: Mapping[int, str], sites: Mapping[int, Mapping], zone: ZoneInfo,
                 odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the MOs and sale orders waiting on the late lines' products (each a link to Odoo)."""
    return [{"id": f"{r['model']}-{r['record_id']}-{r['product_id']}",
             "record": md_link(r["name"], odoo_record_url(odoo_base_url, r["model"], r["record_id"])),
             "kind": _KINDS.get(r["model"], r["model"]), "product": products.get(r["product_id"], ""),
             "qty": round(float(r["qty"]), 3), "due": fmt_datetime(r.get("due"), zone),
             "site": (sites.get(r.get("warehouse_id")) or {}).get("name", ""), "note": line_note(r, "delivered")}
            for r in rows]


def lead_rows(rows: Sequence[Mapping], zone: ZoneInfo, odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the lead times: order (link to Odoo), confirmed, first receipt, days."""
    return [{"id": str(r["order_id"]),
             "order": md_link(r["order_name"], odoo_record_url(odoo_base_url, "purchase.order", r["order_id"])),
             "confirmed": fmt_datetime(r["date_approve"], zone), "received": fmt_datetime(r["first_receipt"], zone),
             "lead": round(float(r["lead_days"]), 1)} for r in rows]


LEAD_COLUMNS = [Column("order", "Purchase order", "link", pinned=True, width=150), Column("confirmed", "Confirmed", width=170),
                Column("received", "First receipt", width=170), Column("lead", "Lead time (d)", "number", width=130)]

