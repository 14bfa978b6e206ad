"""The work center page's views (pure): its URL, tiles, the OEE trend points, the losses for the Pareto,
the work orders grid and the work order panel.

States are Odoo's own labels (``data_access.odoo_labels``, pure data); an unfinished work order's
``date_finished`` is Odoo's planned end, so it is shown as "Planned end", never as "Finished".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components import Column, data_grid, empty_state, kpi_tile
from dashboard.formats import NO_VALUE, fmt_datetime, fmt_minutes, fmt_qty
from dashboard.urlstate import date_param, days_param, id_param, period_days
from dashboard.views.plant import OEE_KPIS, odoo_record_url
from dashboard.vocab import GRADES
from data_access.odoo_labels import label as odoo_label

__all__ = ["WORKCENTER_QUERY", "TILE_NAMES", "workcenter_tiles", "trend_points", "loss_items", "WO_COLUMNS",
           "workorder_rows", "workorder_panel", "state_label"]

WORKCENTER_QUERY = {"days": days_param(), "as_of": date_param(), "wo": id_param("work order", "no work order opened")}
TILE_NAMES = {"oee": "oee", "oee_availability": "availability", "oee_performance": "performance",
              "oee_quality": "quality", "downtime_hours": "downtime"}


def state_label(model: str, value: str | None) -> str:
    """Odoo's own label of a record state ("In Progress", "Waiting for components", ...)."""
    return odoo_label(model, "state", value) if value else NO_VALUE


def workcenter_tiles(catalogue, results: Mapping[str, Mapping], workcenter_id: int, days: int,
                     tile_id: Callable[[str], str]) -> list:
    """One tile per OEE KPI of the work center (``results``: kpi -> result), judged by its thresholds for
    ``days``."""
    return [kpi_tile(catalogue.for_scope(kpi, "workcenter", workcenter_id, days), results.get(kpi),
                     tile_id=tile_id(f"tile-{TILE_NAMES[kpi]}")) for kpi in OEE_KPIS]


def trend_points(daily: Sequence[Mapping], workcenter_id: int, as_of, days: int, kpi: str = "oee") -> list[dict]:
    """One point per day of the period (``value`` None for a day without data: a gap in the line)."""
    by_day = {r["bucket"][:10]: r["value"] for r in daily
              if r["kpi"] == kpi and r["scope_kind"] == "workcenter" and r["scope_id"] == workcenter_id and r.get("bucket")}
    return [{"bucket": d, "value": by_day.get(d)} for d in period_days(as_of, days)]


def _loss_name(row: Mapping) -> str:
    """A time log's loss reason, else its type's label ("Availability"), else "Unspecified"."""
    if row.get("loss"):
        return row["loss"]
    if not row.get("loss_type"):
        return "Unspecified"
    return odoo_label("mrp.workcenter.productivity.loss", "loss_type", row["loss_type"])


def loss_items(rows: Sequence[Mapping]) -> list[tuple[str, float]]:
    """``(reason, lost hours)`` per Odoo loss reason."""
    return [(_loss_name(r), (r.get("minutes") or 0.0) / 60.0) for r in rows]


WO_COLUMNS = [Column("production", "MO", pinned=True, width=125), Column("name", "Operation", width=125),
              Column("state", "State", width=120), Column("product", "Product"),
              Column("started", "Started", width=135), Column("finished", "Finished", width=135),
              Column("expected", "Expected (min)", "number", width=115), Column("real", "Real (min)", "number", width=85),
              Column("produced", "Produced", "number", width=110), Column("scrap", "Scrap", "number", width=85),
              Column("late", "Late", "status", width=95)]


def workorder_rows(rows: Sequence[Mapping], zone: ZoneInfo) -> list[dict]:
    """Grid rows of a work center's work orders: Odoo's state label, times in the display zone, minutes,
    quantities and "Late" / "On time" coloured by grade."""
    out = []
    for r in rows:
        late = bool(r.get("late"))
        out.append({"id": str(r["id"]), "name": r["name"], "state": state_label("mrp.workorder", r.get("state")),
                    "production": r.get("production_name") or "", "product": r.get("product") or "",
                    "started": fmt_datetime(r.get("date_start"), zone) if r.get("date_start") else "",
                    # Odoo's date_finished of an unfinished work order is its planned end: not a finish time
                    "finished": fmt_datetime(r.get("date_finished"), zone)
                    if r.get("state") == "done" and r.get("date_finished") else "",
                    "expected": round(r.get("duration_expected") or 0.0, 1), "real": round(r.get("duration") or 0.0, 1),
                    "produced": r.get("qty_produced") or 0.0, "scrap": r.get("scrap_qty") or 0.0,
                    "late": f"{GRADES['critical'].icon} Late" if late else f"{GRADES['on_target'].icon} On time",
                    "late_grade": "critical" if late else "on_target"})
    return out


def _facts(pairs) -> dbc.Table:
    return dbc.Table(html.Tbody([html.Tr([html.Th(k, className="text-muted fw-normal"), html.Td(v)]) for k, v in pairs]),
                     size="sm", borderless=True, className="mb-2 workcenter-wo-facts")


_LOG_COLUMNS = [Column("start", "Start", width=140), Column("end", "End", width=140),
                Column("duration", "Duration", width=110), Column("loss", "Reason")]
_SCRAP_COLUMNS = [Column("name", "Scrap", width=120), Column("product", "Product"), Column("qty", "Qty", "number", width=80),
                  Column("lot", "Lot", width=110)]


def workorder_panel(detail: Mapping, zone: ZoneInfo, odoo_base_url: str = "", *, id_of: Callable[[str], str]) -> html.Div:
    """The panel of one work order: Odoo's state, its MO, times ("Finished" only when done, else
    "Planned end"), durations, quantity, a link to Odoo, its time logs and scraps."""
    wo, mo = detail["workorder"], detail["production"]
    done = wo.get("state") == "done"
    end = fmt_datetime(wo.get("date_finished"), zone) if wo.get("date_finished") else NO_VALUE
    url = odoo_record_url(odoo_base_url, "mrp.workorder", wo["id"])
    logs = [{"id": str(r["id"]), "start": fmt_datetime(r.get("date_start"), zone),
             "end": fmt_datetime(r.get("date_end"), zone) if r.get("date_end") else "open",
             "duration": fmt_minutes(r.get("duration")) if r.get("date_end") else "running",
             "loss": _loss_name(r)}
            for r in detail.get("time_logs", [])]
    scraps = [{"id": str(r["id"]), "name": r.get("name") or "", "product": r.get("product") or NO_VALUE,
               "qty": r.get("qty") or 0.0, "lot": r.get("lot") or ""} for r in detail.get("scraps", [])]
    return html.Div([
        html.H5([wo["name"], " ", html.Span(state_label("mrp.workorder", wo.get("state")),
                                            className="badge bg-secondary ms-1")], id=id_of("wo-title")),
        _facts([
            ("MO", f"{mo.get('name') or NO_VALUE} ({state_label('mrp.production', mo.get('state'))})"),
            ("Product", mo.get("product") or NO_VALUE),
            ("MO deadline", fmt_datetime(mo.get("date_deadline"), zone) if mo.get("date_deadline") else "none"),
            ("Started", fmt_datetime(wo.get("date_start"), zone) if wo.get("date_start") else "not started"),
            ("Finished" if done else "Planned end", end),
            ("Expected / real", f"{fmt_minutes(wo.get('duration_expected') or 0)} / {fmt_minutes(wo.get('duration') or 0)}"),
            ("Produced", fmt_qty(wo.get("qty_produced") or 0)),
        ]),
        html.A("Open in Odoo ↗", href=url, target="_blank", rel="noopener", id=id_of("wo-odoo"),
               className="btn btn-sm btn-outline-primary mb-2") if url else None,
        html.H6(f"Time logs ({len(logs)})"),
        data_grid(id_of("wo-logs"), _LOG_COLUMNS, logs) if logs else empty_state("No time logs for this work order."),
        html.H6(f"Scraps ({len(scraps)})"),
        data_grid(id_of("wo-scraps"), _SCRAP_COLUMNS, scraps) if scraps else empty_state("No scrap recorded on this work order."),
    ], className="workcenter-wo-detail")
