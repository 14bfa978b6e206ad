"""Executive page panels, pure: heat maps of sites and companies, their table twin, the worst exceptions,
the drilled KPI's detail card and the weekly trends. Data in, components and figures out.

Every status word, colour, number and amount comes from the shared vocabulary (``dashboard.vocab``,
``dashboard.formats``) and builders (``figures.heatmap``, ``components``), so a value below target is
never called "on target" and an amount always carries its company's currency.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth.roles import PAGES
from dashboard.components import GRAPH_CONFIG, Column, data_grid, empty_state, kpi_tile, status_badge
from dashboard.figures import change_arrow, for_screen, graph_style, heatmap, kpi_cell, kpi_trend
from dashboard.figures.heatmap import wrap_label
from dashboard.formats import NO_VALUE, fmt_value
from dashboard.kpis.catalogue import HEADLINE_SITE_KPIS
from dashboard.views.executive import HEADLINE, NO_TREND_KPIS, View, drill_href, series_points
from dashboard.vocab import grade_of, status_phrase, threshold_text

__all__ = ["GRAPH_CONFIG", "NO_TREND_NOTE", "kpi_heatmap", "twin_rows", "twin_grid",
           "exceptions_list", "breakdown_grid", "detail_card", "detail_trend", "trend_panels"]

_id = PAGES["executive"].id
NO_TREND_NOTE = ("Inventory turns and DIO are 365-day measures, stockout rate and overdue receivables are snapshots "
                 "of now: no weekly trend.")
_NO_TREND_WHY = {"inventory_turns": "A 365-day measure: no weekly trend.", "dio": "A 365-day measure: no weekly trend.",
                 "stockout_rate": "A snapshot of now: no weekly trend.",
                 "overdue_receivables": "A snapshot of now: no weekly trend."}


def _cells(rows: Sequence[tuple[int, str]], kpis: Sequence[str], kind: str, current: Mapping, previous: Mapping, catalogue,
           days: int, currency_of: Mapping[int, str | None]) -> Iterator[tuple]:
    """``(row id, row label, kpi, definition, result, previous value, currency)`` of every cell; the
    definition is the one the status was judged by (scoped to the row, scaled to the period)."""
    for row_id, label in rows:
        for kpi in kpis:
            yield (row_id, label, kpi, catalogue.for_scope(kpi, kind, row_id, days), current.get((row_id, kpi)),
                   previous.get((row_id, kpi)), currency_of.get(row_id))


def kpi_heatmap(rows: Sequence[tuple[int, str]], kpis: Sequence[str], kind: str, current: Mapping, previous: Mapping,
                catalogue, *, days: int, currency_of: Mapping[int, str | None], empty_message: str,
                scale: float = 1) -> dict:
    """Rows (sites or companies) x KPIs, each cell its value, the ▲/▼ change against the previous period
    and the status true to the value in its hover. A click arrives as the cell's x/y positions
    (``views.executive.cell_target`` maps them back); ``customdata`` names ``[row id, kpi]``."""
    cells = {(row_id, kpi): kpi_cell(d, result, label, previous=prev, compare=True, currency=currency)
             for row_id, label, kpi, d, result, prev, currency in _cells(rows, kpis, kind, current, previous, catalogue,
                                                                          days, currency_of)}
    columns = [(kpi, wrap_label(catalogue[kpi].label)) for kpi in kpis]
    fig = heatmap(rows, columns, cells, empty_message=empty_message)
    # Headers stay visible on a zoomed 4K page (plotly measures zoomed labels as overflowing the div).
    for axis in ("xaxis", "yaxis"):
        fig["layout"][axis]["ticklabeloverflow"] = "allow"
    return for_screen(fig, scale)


def twin_rows(view: View, rows: Sequence[tuple[int, str]], kpis: Sequence[str], kind: str, current: Mapping,
              previous: Mapping, catalogue, *, currency_of: Mapping[int, str | None],
              company_of: Mapping[int, int] | None = None) -> list[dict]:
    """The heat map as grid rows, one per cell: entity, KPI (a link to the cell's drill target), value,
    change against the previous period and the status in words (``status_grade`` colours it)."""
    out = []
    for row_id, label, kpi, d, result, prev, currency in _cells(rows, kpis, kind, current, previous, catalogue,
                                                                 view.days, currency_of):
        value, status = (result or {}).get("value"), (result or {}).get("status") or "no_data"
        g = grade_of(d, value, status)
        if kind == "warehouse":
            target = drill_href(kpi, view, site=row_id, company=(company_of or {}).get(row_id))
        else:
            target = drill_href(kpi, view, company=row_id, site=view.site)
        arrow, verdict = change_arrow(d, value, prev)
        out.append({"id": f"{kind}-{row_id}-{kpi}", "entity": label, "kpi": f"[{d.label}]({target})",
                    "value": "n/a" if status == "unavailable" else fmt_value(value, d.unit, currency),
                    "change": f"{arrow} {verdict}" if arrow else "", "status": f"{g.icon} {status_phrase(d, value, status)}",
                    "status_grade": g.key})
    return out


def twin_grid(rows: Sequence[dict]) -> html.Div:
    """The table twin of both heat maps: every cell readable and drillable without colour or a mouse."""
    columns = [Column("entity", "Site / company", pinned=True), Column("kpi", "KPI", kind="link"),
               Column("value", "Value"), Column("change", "vs previous"), Column("status", "Status", kind="status")]
    return data_grid(_id("cells"), columns, rows, height=420, csv_name="executive-heat-map")


def _age(weeks: int | None, history: bool) -> str:
    if not history:
        return NO_VALUE
    if weeks is None:
        return "snapshot"
    if weeks == 0:
        return "this period"
    return f"{weeks} week{'s' if weeks != 1 else ''} in breach"


def _pct(share: float) -> str:
    """A share as a percentage: one decimal below 10 % (so a small breach never reads "0 %")."""
    pct = share * 100
    return f"{pct:.1f} %" if pct < 10 else f"{pct:,.0f} %"


def exceptions_list(rows: Sequence[Mapping], view: View, *, company_of: Mapping[int, int],
                    currency_of: Mapping[int, str | None], history: bool = True) -> html.Div:
    """The worst breaches as a list (reads on a phone): status badge, KPI (a link to its drill), site or
    company, value, how far past the breached threshold, weeks in breach and owner. ``history`` False:
    the weekly series failed, ages show "–"."""
    if not rows:
        return empty_state("No KPI is past its warning threshold in this period.", id=_id("exceptions-empty"))
    items = []
    for r in rows:
        d = r["definition"]
        g = grade_of(d, r["value"], r["status"])
        site = r["scope_id"] if r["scope_kind"] == "warehouse" else None
        company = company_of.get(site) if site is not None else r["scope_id"]
        target = drill_href(r["kpi"], view, site=site, company=company)
        items.append(html.Li([
            status_badge(g),
            html.Div([dcc.Link(d.label, href=target, className="exec-exc-kpi"),
                      html.Span(r["entity"], className="exec-exc-where")], className="exec-exc-what"),
            html.Span(fmt_value(r["value"], d.unit, currency_of.get(company)), className="exec-exc-value",
                      title=threshold_text(d, currency_of.get(company))),
            html.Span(f"{_pct(r['distance'])} past {g.word.lower()}", className="exec-exc-breach"),
            html.Span(_age(r["age_weeks"], history), className="exec-exc-age", title="Consecutive recent weeks in breach"),
            html.Span(d.owner.replace("_", " "), className="exec-exc-owner"),
        ], className="exec-exc"))
    return html.Ul(items, className="exec-exceptions", id=_id("exceptions-list"))


def breakdown_grid(results: Sequence[Mapping], names: Mapping[int, str], definition, *, entity: str,
                   currency: str | None = None, limit: int = 50) -> html.Div:
    """Per-partner results (e.g. per vendor) worst first: status, then value in the bad direction."""
    rank = {"critical": 0, "warning": 1, "ok": 2, "no_data": 3, "unavailable": 4}
    sign = 1 if definition.direction == "higher" else -1
    ordered = sorted(results, key=lambda r: (rank.get(r["status"], 5), sign * r["value"] if r["value"] is not None else 0.0))
    rows = []
    for r in ordered[:limit]:
        g = grade_of(definition, r["value"], r["status"])
        why = f": {r['reason']}" if r["status"] == "unavailable" and r.get("reason") else ""  # e.g. two currencies
        rows.append({"id": r["scope_id"], "partner": names.get(r["scope_id"], f"#{r['scope_id']}"),
                     "value": "n/a" if r["status"] == "unavailable" else fmt_value(r["value"], definition.unit, currency),
                     "status": f"{g.icon} {status_phrase(definition, r['value'], r['status'])}{why}", "status_grade": g.key})
    columns = [Column("partner", entity, pinned=True), Column("value", "Value"), Column("status", "Status", kind="status")]
    return html.Div([html.H5(f"By {entity.lower()}, worst first", className="exec-sub"),
                     data_grid(_id("breakdown"), columns, rows, height=300,
                               empty_message=f"No {entity.lower()} figures in this period.")])


def detail_trend(kpi: str, points: Sequence[Mapping], weekly_definition, scale: float = 1) -> html.Div | dcc.Graph:
    """The drilled KPI's weekly trend, or why there is none (365-day measures and snapshots)."""
    if kpi in NO_TREND_KPIS:
        return empty_state(_NO_TREND_WHY[kpi])
    fig = for_screen(kpi_trend(points, weekly_definition, title="By week, 13 months", height=260), scale)
    return dcc.Graph(figure=fig, config=GRAPH_CONFIG, id=_id("detail-trend"), style=graph_style(fig))


def detail_card(d, *, where: str, period: str, result: Mapping | None, currency: str | None, breakdown, trend,
                close_href: str, note: str | None = None, plant_href: str | None = None) -> dbc.Card:
    """The drilled KPI's panel: its tile (value, status true to the value, thresholds), formula, owner (and
    ``note``, a link to the plant page), then the per-partner ``breakdown`` (None: there is none) and ``trend``."""
    lines = [f"Owner: {d.owner.replace('_', ' ')}", f"Formula: {d.formula}", note]
    facts = [kpi_tile(d, result, label=period, currency=currency, lines=lines, tile_id=_id("detail-value"))]
    if plant_href:
        facts.append(dcc.Link("Open the plant page for this site →", href=plant_href, className="exec-plant-link"))
    close = dcc.Link("Close ×", href=close_href, id=_id("detail-close"), className="exec-detail-close")
    return dbc.Card(dbc.CardBody([
        html.Div([html.H4(f"{d.label} · {where}", className="section-title mt-0"), close], className="exec-section-head"),
        dbc.Row([
            dbc.Col(facts, xs=12, lg=4, xl=3),
            dbc.Col(breakdown if breakdown is not None else empty_state("No per-partner breakdown for this KPI."),
                    xs=12, lg=8, xl=5),
            dbc.Col(trend, xs=12, xl=4),
        ], className="g-3"),
    ]), className="exec-detail mt-3", id=_id("detail-card"))


def trend_panels(weekly: Sequence[Mapping], catalogue, *, site: int | None, company: int | None,
                 scale: float = 1) -> tuple[list, str]:
    """``(chart columns, note)``: one weekly chart per headline KPI with a series (the site's when a site
    is chosen, else the company's); KPIs without a weekly series are left out and the note says why."""
    charts, empty = [], []
    for kpi in HEADLINE:
        if kpi in NO_TREND_KPIS:
            continue
        kind, scope_id = ("warehouse", site) if kpi in HEADLINE_SITE_KPIS and site is not None else ("company", company)
        points = series_points(weekly, kpi, kind, scope_id)
        if not any(p["value"] is not None for p in points):
            empty.append(catalogue[kpi].label)
            continue
        fig = for_screen(kpi_trend(points, catalogue.for_scope(kpi, kind, scope_id, 7), height=210), scale)
        charts.append(dbc.Col(dcc.Graph(figure=fig, config=GRAPH_CONFIG, id=_id(f"trend-{kpi}"), style=graph_style(fig)),
                              xs=12, md=6, xl=4,
                              className="exec-trend"))
    note = NO_TREND_NOTE
    if empty:
        note += f" No values in these weeks: {', '.join(empty)}."
    return charts, note
