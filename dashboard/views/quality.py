"""The quality pages' views (pure): URLs, tiles, the FPY trend points, the scrap Pareto items, the product,
scrapped lot and open alert grids, and the lot page's facts and tables.

Words and colours come from ``dashboard.vocab``, numbers from ``dashboard.formats``; every row keeps the
Odoo id it shows so links reach the record.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from dashboard.components import Column, kpi_tile, tile
from dashboard.figures import heatmap, kpi_cell
from dashboard.formats import NO_VALUE, fmt_amount, fmt_date, fmt_datetime, fmt_day_short, fmt_qty, fmt_value, to_local
from dashboard.urlstate import choice_param, date_param, days_param, href, id_param
from dashboard.views.plant import md_link, odoo_record_url
from dashboard.vocab import GRADES, grade_of

__all__ = ["PARETO_BY", "QUALITY_QUERY", "LOT_QUERY", "REASON_NOTE", "quality_href", "lot_href", "trend_bucket",
           "site_trend_points", "HEATMAP_PRODUCTS", "product_heatmap", "quality_tiles", "pareto_items", "PRODUCT_COLUMNS",
           "product_rows", "LOT_COLUMNS",
           "lot_rows", "ALERT_COLUMNS", "alert_rows", "RECEIPT_COLUMNS", "receipt_rows", "CONSUMED_COLUMNS",
           "consumed_rows", "SCRAP_COLUMNS", "scrap_rows", "FALLBACK_TEXT"]

PARETO_BY = {"product": "Product", "workcenter": "Work center"}
QUALITY_QUERY = {"site": id_param("site", "showing the first site"),
                 "by": choice_param(PARETO_BY, "product", "grouping", "grouping by product"),
                 "days": days_param(), "as_of": date_param()}
LOT_QUERY = {"days": days_param(), "as_of": date_param(), "site": id_param("site", "no site")}
REASON_NOTE = ("Scrap reasons: Odoo 18's scrap reason tags (stock_scrap_reason_tag) are not in the replica "
               "schema this dashboard reads, so scrap is ranked by product and by work center.")
FALLBACK_TEXT = ("Odoo's Quality app (Enterprise) is not installed on this database, so there are no quality "
                 "alerts and no nonconformance closure time. What is available instead: first pass yield and "
                 "scrap (above), from manufacturing orders and scrap orders.")


def quality_href(site: int | None, by: str, days: int, as_of) -> str:
    """The quality page for a site, Pareto grouping and period."""
    return href("/quality", site=site, by=by, days=days, as_of=as_of)


def lot_href(lot_id: int, as_of, days: int, site: int | None = None) -> str:
    """The lot page (``site`` and the period only say where "back" returns to)."""
    return href(f"/quality/lot/{int(lot_id)}", site=site, days=days, as_of=as_of)


def trend_bucket(days: int) -> str:
    """Daily points up to a quarter, weekly beyond."""
    return "day" if days <= 92 else "week"


def site_trend_points(results: Sequence[Mapping], kpi: str, kind: str, scope_id: int) -> list[dict]:
    """``[{"bucket", "value"}]`` of one KPI and scope from bucketed KPI results."""
    return [{"bucket": r["bucket"][:10], "value": r["value"]} for r in results
            if r["kpi"] == kpi and r["scope_kind"] == kind and r["scope_id"] == scope_id and r.get("bucket")]


HEATMAP_PRODUCTS = 12  # the most scrapped products get a row in the heat map


def product_heatmap(products: Sequence[Mapping], days: Sequence[str], series: Sequence[Mapping], definition, *,
                    empty_message: str) -> dict:
    """Products (most scrapped first) x days of first pass yield, each cell graded by ``definition`` (the
    site's thresholds for one day), the value in %, days without a done MO blank."""
    names = {p["id"]: p.get("name") or f"#{p['id']}" for p in products}
    cells = {}
    for r in series:
        if r["product_id"] not in names or r["qty_produced"] <= 0:
            continue
        value = (r["qty_produced"] - r["qty_scrapped"]) / r["qty_produced"]
        day = fmt_date(r["bucket"])
        cells[(r["product_id"], r["bucket"])] = kpi_cell(definition, {"value": value, "status": definition.status(value)},
                                                         f"{names[r['product_id']]} · {day}")
    fig = heatmap(list(names.items()), [(d, fmt_day_short(d)) for d in days], cells, empty_message=empty_message,
                  font_size=12, header_height=36, row_height=40)
    fig["layout"]["xaxis"].update(tickfont=dict(size=12), ticklabeloverflow="allow")  # as plant's day_heatmap
    return fig


def quality_tiles(catalogue, fpy: Mapping | None, nc: Sequence[Mapping], site_id: int, days: int, *, site_name: str,
                  scrap_qty: float, scrap_cost: float, currency: str | None, has_app: bool,
                  tile_id: Callable[[str], str]) -> list:
    """First pass yield of the site, scrap (quantity and cost), and NC closure days per company (or why not)."""
    d_fpy = catalogue.for_scope("first_pass_yield", "warehouse", site_id, days)
    tiles = [kpi_tile(d_fpy, fpy, label=f"First pass yield · {site_name}", tile_id=tile_id("tile-fpy"))]
    # no threshold judges a quantity: the tile is neutral, first pass yield carries the status
    tiles.append(tile("Scrapped in first pass", fmt_qty(scrap_qty), GRADES["measure"], phrase="units scrapped on their own MOs",
                      lines=[f"Cost {fmt_amount(scrap_cost, currency)} (valuation of the scrap moves)"],
                      tile_id=tile_id("tile-scrap")))
    d_nc = catalogue.for_scope("nc_closure_days", "company", None, days)
    if not has_app:
        tiles.append(kpi_tile(d_nc, {"value": None, "status": "unavailable", "reason": "quality app not installed"},
                              tile_id=tile_id("tile-nc")))
    else:
        tiles.append(kpi_tile(d_nc, nc[0] if nc else None, tile_id=tile_id("tile-nc")))
    return tiles


def pareto_items(rows: Sequence[Mapping], by: str) -> list[tuple[str, float]]:
    """``(label, qty)`` per Pareto row; scraps recorded on the MO without a work order have their own bar."""
    none = "On the MO (no work order)" if by == "workcenter" else "Unknown"
    return [(r.get("name") or (none if r.get("id") is None else f"#{r['id']}"), r["qty"]) for r in rows]


PRODUCT_COLUMNS = [Column("name", "Product", pinned=True), Column("fpy", "First pass yield", "status", width=130),
                   Column("produced", "Produced", "number", width=110), Column("scrapped", "Scrapped", "number", width=110),
                   Column("mos", "MOs", "number", width=80)]


def product_rows(rows: Sequence[Mapping], definition) -> list[dict]:
    """First pass yield per product, graded by the site's FPY thresholds."""
    out = []
    for r in rows:
        produced, scrapped = r["qty_produced"], r["qty_scrapped"]
        value = (produced - scrapped) / produced if produced > 0 else None
        g = grade_of(definition, value, definition.status(value))
        out.append({"id": r["id"], "name": r.get("name") or f"#{r['id']}", "fpy": f"{g.icon} {fmt_value(value, 'ratio')}",
                    "fpy_grade": g.key, "produced": produced, "scrapped": scrapped, "mos": r["mo_count"]})
    return out


LOT_COLUMNS = [Column("name", "Lot", "link", pinned=True, width=150), Column("product", "Product"),
               Column("qty", "Scrapped", "number", width=110), Column("count", "Scraps", "number", width=90)]


def lot_rows(rows: Sequence[Mapping], link: Callable[[int], str]) -> list[dict]:
    """Scrapped lots, each linking to its traceability page."""
    return [{"id": r["id"], "name": md_link(r.get("name") or f"#{r['id']}", link(r["id"])),
             "product": r.get("product") or NO_VALUE, "qty": r["qty"], "count": r["count"]} for r in rows]


ALERT_COLUMNS = [Column("name", "Alert", "link", pinned=True, width=140), Column("age", "Age (days)", "status", width=110),
                 Column("stage", "Stage", width=130), Column("product", "Product"), Column("lot", "Lot", "link", width=130),
                 Column("created", "Created", width=140)]


def alert_rows(rows: Sequence[Mapping], as_of: date, zone: ZoneInfo, odoo_base_url: str,
               lot_link: Callable[[int], str]) -> list[dict]:
    """Open alerts with their age at the end of ``as_of`` (critical past 20 days, warning past 10: the NC
    closure thresholds), linked to Odoo and to the lot page."""
    out = []
    for r in rows:
        created = to_local(r.get("create_date"), zone)
        age = (as_of - created.date()).days if created else None
        grade = "no_data" if age is None else "critical" if age > 20 else "warning" if age > 10 else "on_target"
        out.append({"id": r["id"], "name": md_link(r.get("name") or f"#{r['id']}",
                                                   odoo_record_url(odoo_base_url, "quality.alert", r["id"])),
                    "age": NO_VALUE if age is None else f"{GRADES[grade].icon} {age}", "age_grade": grade,
                    "stage": r.get("stage") or NO_VALUE, "product": r.get("product") or NO_VALUE,
                    "lot": md_link(r["lot"], lot_link(r["lot_id"])) if r.get("lot_id") else "",
                    "created": fmt_datetime(r.get("create_date"), zone) if r.get("create_date") else ""})
    return out


RECEIPT_COLUMNS = [Column("date", "Received", width=140), Column("partner", "Vendor"),
                   Column("order", "Purchase order", "link", width=140), Column("picking", "Receipt", "link", width=140),
                   Column("qty", "Qty", "number", width=90)]


def receipt_rows(rows: Sequence[Mapping], zone: ZoneInfo, odoo_base_url: str) -> list[dict]:
    return [{"id": r["id"], "date": fmt_datetime(r.get("date"), zone) if r.get("date") else "",
             "partner": r.get("partner") or NO_VALUE,
             "order": md_link(r.get("purchase_order") or NO_VALUE,
                              odoo_record_url(odoo_base_url, "purchase.order", r["purchase_order_id"])),
             "picking": md_link(r.get("picking") or NO_VALUE, odoo_record_url(odoo_base_url, "stock.picking", r["picking_id"])
                                if r.get("picking_id") else None),
             "qty": r.get("qty") or 0.0} for r in rows]


CONSUMED_COLUMNS = [Column("name", "MO", "link", pinned=True, width=140), Column("product", "Product"),
                    Column("state", "State", width=110), Column("date", "Consumed", width=140),
                    Column("qty", "Qty of the lot", "number", width=110)]


def consumed_rows(rows: Sequence[Mapping], zone: ZoneInfo, odoo_base_url: str, state_label: Callable[[str, str], str]) -> list[dict]:
    return [{"id": r["id"], "name": md_link(r.get("name") or f"#{r['id']}",
                                            odoo_record_url(odoo_base_url, "mrp.production", r["id"])),
             "product": r.get("product") or NO_VALUE, "state": state_label("mrp.production", r.get("state")),
             "date": fmt_datetime(r.get("date"), zone) if r.get("date") else "", "qty": r.get("qty") or 0.0} for r in rows]


SCRAP_COLUMNS = [Column("name", "Scrap", "link", pinned=True, width=120), Column("date", "Done", width=140),
                 Column("product", "Product"), Column("qty", "Qty", "number", width=80),
                 Column("production", "MO", width=120), Column("workcenter", "Work center", width=140)]


def scrap_rows(rows: Sequence[Mapping], zone: ZoneInfo, odoo_base_url: str) -> list[dict]:
    return [{"id": r["id"], "name": md_link(r.get("name") or f"#{r['id']}", odoo_record_url(odoo_base_url, "stock.scrap", r["id"])),
             "date": fmt_datetime(r.get("date_done"), zone) if r.get("date_done") else "",
             "product": r.get("product") or NO_VALUE, "qty": float(r.get("qty") or 0.0),
             "production": r.get("production") or "", "workcenter": r.get("workcenter") or ""} for r in rows]
