"""Table components of the executive page: data in, Dash components out (no database, no callbacks).

The heat map's table twin (``cell_table``) repeats every cell as a link with its value and status in
words: the accessible way to read and drill the heat map without colour or a mouse.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.executive_view import drill_href
from dashboard.figures.heatmap import CELL_FILLS, change_arrow
from dashboard.ui import fmt_value

__all__ = ["STATUS_WORDS", "legend", "cell_table", "exceptions_table", "breakdown_table", "detail_card", "EMPTY_WHY",
           "empty_why"]

STATUS_WORDS = {"ok": "OK", "warning": "Warning", "critical": "Critical", "no_data": "No data",
                "unavailable": "Unavailable"}

# Why a weekly trend can be empty, per KPI (shown instead of a blank chart).
EMPTY_WHY = {
    "oee": "No time logs or finished work orders in these weeks.",
    "schedule_adherence": "No manufacturing orders due in these weeks.",
    "downtime_hours": "No time logs in these weeks.",
    "supplier_otif": "No purchase lines planned in these weeks.",
    "late_po_lines": "No purchase lines planned in these weeks.",
    "customer_otif": "No sale lines promised in these weeks.",
    "late_so_lines": "No sale lines promised in these weeks.",
    "stockout_rate": "A snapshot of now: no weekly history.",
    "first_pass_yield": "No manufacturing orders finished in these weeks.",
    "inventory_turns": "No stock valuation in these weeks.",
    "dio": "No stock valuation in these weeks.",
    "gross_margin_pct": "No posted customer invoices in these weeks.",
    "overdue_receivables": "A snapshot of now: no weekly history.",
}


def empty_why(kpi: str) -> str:
    return EMPTY_WHY.get(kpi, "No data in these weeks.")


def legend() -> html.Div:
    """Status chips in the heat map's colours, with the arrow key."""
    chips = [html.Span([html.Span(className="executive-chip", style={"background": CELL_FILLS[s]}), STATUS_WORDS[s]],
                       className="executive-legend-item") for s in CELL_FILLS]
    chips.append(html.Span("▲▼ change vs previous period: green better, red worse", className="executive-legend-item"))
    return html.Div(chips, className="executive-legend")


def _cell_text(d, result: Mapping | None, previous: float | None) -> str:
    status = (result or {}).get("status") or "no_data"
    value = (result or {}).get("value")
    arrow, verdict = change_arrow(d, value, previous)
    shown = "n/a" if status == "unavailable" else fmt_value(value, d.unit)
    change = f" {arrow} {verdict}" if arrow else ""
    return f"{shown}{change} · {STATUS_WORDS.get(status, status)}"


def cell_table(rows: Sequence[tuple[int, str]], kpis: Sequence[str], current: Mapping, previous: Mapping, catalogue, *,
               as_of: str, days: int, kind: str = "warehouse", company_of: Mapping[int, int] | None = None) -> dbc.Table:
    """Rows x KPIs as a table of links (``executive-cell-<site>-<kpi>``, or ``executive-company-cell-<id>-<kpi>``
    for companies), each cell "value arrow verdict · Status" and the drill target as its link."""
    head = html.Thead(html.Tr([html.Th("Site" if kind == "warehouse" else "Company")]
                              + [html.Th(catalogue[k].label) for k in kpis]))
    body = []
    for row_id, label in rows:
        cells = [html.Th(label, scope="row")]
        for kpi in kpis:
            d = catalogue.for_scope(kpi, kind, row_id, days)
            result = current.get((row_id, kpi))
            status = (result or {}).get("status") or "no_data"
            if kind == "warehouse":
                href = drill_href(kpi, as_of=as_of, days=days, site=row_id, company=(company_of or {}).get(row_id))
                cid = f"executive-cell-{row_id}-{kpi}"
            else:
                href = drill_href(kpi, as_of=as_of, days=days, company=row_id)
                cid = f"executive-company-cell-{row_id}-{kpi}"
            cells.append(html.Td(dcc.Link(_cell_text(d, result, previous.get((row_id, kpi))), href=href, id=cid),
                                 className=f"status-{status} executive-cell"))
        body.append(html.Tr(cells))
    return dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, className="executive-cell-table")


def _pct(share: float) -> str:
    """A share as a percentage: one decimal below 10 % (so a small breach never reads "0 %")."""
    pct = share * 100
    return f"{pct:.1f}" if pct < 10 else f"{pct:,.0f}"


def _age(weeks: int | None, history: bool = True) -> str:
    if not history:
        return "–"
    if weeks is None:
        return "snapshot"
    if weeks == 0:
        return "this period"
    return f"{weeks} week" + ("s" if weeks != 1 else "")


def exceptions_table(rows: Sequence[Mapping], *, as_of: str, days: int, company_of: Mapping[int, int],
                     history: bool = True) -> html.Div:
    """The worst breaches as a table (status, KPI link, site or company, value, how far past, age, owner);
    an empty state when nothing is in breach. ``history`` False: the weekly series failed, ages show "–"."""
    if not rows:
        return html.Div("No KPI is past its amber threshold in this period.", className="empty-state",
                        id="executive-exceptions-empty")
    body = []
    for r in rows:
        site = r["scope_id"] if r["scope_kind"] == "warehouse" else None
        company = company_of.get(r["scope_id"]) if site is not None else r["scope_id"]
        href = drill_href(r["kpi"], as_of=as_of, days=days, site=site, company=company)
        past = "red" if r["status"] == "critical" else "amber"
        body.append(html.Tr([
            html.Td(dbc.Badge(STATUS_WORDS[r["status"]], className=f"badge-status-{r['status']}")),
            html.Td(dcc.Link(r["label"], href=href)),
            html.Td(r["entity"]),
            html.Td(fmt_value(r["value"], r["unit"]), className="text-end text-nowrap"),
            html.Td(f"{_pct(r['distance'])} % past {past}", className="text-end text-nowrap"),
            html.Td(_age(r["age_weeks"], history), className="text-nowrap"),
            html.Td(r["owner"].replace("_", "\u00a0")),  # "supply chain" on one line
        ]))
    head = html.Thead(html.Tr([html.Th("Status"), html.Th("KPI"), html.Th("Site / company"),
                               html.Th("Value", className="text-end"), html.Th("Breach", className="text-end"),
                               html.Th("Age", title="Consecutive recent weeks in breach"), html.Th("Owner")]))
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, className="executive-exceptions-table")


def breakdown_table(results: Sequence[Mapping], names: Mapping[int, str], definition, *, entity: str,
                    limit: int = 15) -> html.Div:
    """Per-entity results (e.g. per vendor) worst first: status, then value in the bad direction."""
    rank = {"critical": 0, "warning": 1, "ok": 2, "no_data": 3, "unavailable": 4}
    sign = 1 if definition.direction == "higher" else -1
    rows = sorted(results, key=lambda r: (rank.get(r["status"], 5),
                                          sign * r["value"] if r["value"] is not None else 0.0))
    if not rows:
        return html.Div(f"No {entity.lower()} figures in this period.", className="empty-state")
    body = [html.Tr([html.Td(names.get(r["scope_id"], f"#{r['scope_id']}")),
                     html.Td(fmt_value(r["value"], definition.unit), className="text-end"),
                     html.Td(STATUS_WORDS.get(r["status"], r["status"]), className=f"status-{r['status']}")])
            for r in rows[:limit]]
    more = len(rows) - limit
    return html.Div([
        dbc.Table([html.Thead(html.Tr([html.Th(entity), html.Th("Value", className="text-end"), html.Th("Status")])),
                   html.Tbody(body)], size="sm", striped=True, className="executive-breakdown-table"),
        html.Div(f"and {more} more", className="text-muted small") if more > 0 else None,
    ])


def detail_card(d, *, where: str, result: Mapping, breakdown, trend, close_href: str, note: str | None = None,
                plant_href: str | None = None) -> dbc.Card:
    """The drilled KPI's panel: value, formula, target and thresholds, owner (and ``note``, a link to the
    plant page), then the per-partner ``breakdown`` (None: there is none) and the ``trend`` component."""
    sign = "<" if d.direction == "higher" else ">"
    facts = [html.Li([html.Strong("Formula: "), d.formula]),
             html.Li([html.Strong("Target: "), fmt_value(d.target, d.unit),
                      html.Strong(" · amber "), f"{sign} {fmt_value(d.amber, d.unit)}",
                      html.Strong(" · red "), f"{sign} {fmt_value(d.red, d.unit)}"]),
             html.Li([html.Strong("Owner: "), d.owner.replace("_", " ")])]
    if note:
        facts.append(html.Li(note, className="text-muted"))
    if plant_href:
        facts.append(html.Li(dcc.Link("Open the plant page for this site", href=plant_href)))
    close = dcc.Link("Close ×", href=close_href, id="executive-detail-close", className="executive-detail-close")
    status = result.get("status") or "no_data"
    return dbc.Card(dbc.CardBody([
        html.Div([html.H4(f"{d.label} · {where}", className="section-title mt-0"), close],
                 className="executive-section-head"),
        dbc.Row([
            dbc.Col([html.Div(fmt_value(result.get("value"), d.unit), className=f"kpi-value status-{status}"),
                     html.Ul(facts, className="list-unstyled executive-facts")], xl=4),
            dbc.Col(breakdown if breakdown is not None else html.Div("No per-partner breakdown for this KPI.",
                                                                     className="empty-state"), xl=4),
            dbc.Col(trend, xl=4),
        ]),
    ]), className=f"executive-detail kpi-tile status-{status} mt-3", id="executive-detail-card")
