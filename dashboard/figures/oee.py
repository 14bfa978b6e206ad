"""Plant figures (pure: rows in, ``go.Figure`` out): the work center x day heat map (status colours or
hours, row labels as links), the OEE decomposition waterfall and the daily OEE trend of one work center.
The loss Pareto uses the shared ``dashboard.figures.pareto``."""
from __future__ import annotations

import html
import math

import plotly.graph_objects as go

from dashboard.figures.theme import INK, LINE, SERIES, STATUS_COLOURS, base_layout, empty_figure

__all__ = ["STATUS_CODES", "cell_text", "workcenter_day_heatmap", "oee_decomposition", "oee_trend"]

# Status -> z value of the discrete heat map (no data stays NaN: the grey plot background shows through).
STATUS_CODES = {"ok": 0, "warning": 1, "critical": 2}
_STATUS_SCALE = [[0.0, STATUS_COLOURS["ok"]], [0.333, STATUS_COLOURS["ok"]],
                 [0.333, STATUS_COLOURS["warning"]], [0.667, STATUS_COLOURS["warning"]],
                 [0.667, STATUS_COLOURS["critical"]], [1.0, STATUS_COLOURS["critical"]]]
_DOWNTIME_SCALE = [[0.0, "#fff5f0"], [0.35, "#fcae91"], [0.7, "#fb6a4a"], [1.0, "#a50f15"]]
NO_DATA_BG = "#e6e8ec"


def cell_text(value: float | None, unit: str) -> str:
    """The number shown in a cell: '71 %', '3.5 h', or 'no data'."""
    if value is None:
        return "no data"
    if unit == "ratio":
        return f"{value * 100:.0f} %"
    return f"{value:.1f} h"


def _safe_href(href: str) -> str:
    """An href for plotly's pseudo-HTML: characters that could end the attribute or tag percent-encoded."""
    return href.replace('"', "%22").replace("<", "%3C").replace(">", "%3E").replace("'", "%27")


def _short_day(day: str) -> str:
    return day[5:].replace("-", "/") if len(day) == 10 else day


def workcenter_day_heatmap(rows: list[tuple[int, str]], days: list[str], cells: list[dict], *, unit: str,
                           mode: str = "status", title: str = "", links: dict[int, str] | None = None) -> go.Figure:
    """Work centers (rows, top to bottom) x days heat map.

    ``cells``: ``{"row_id", "day", "value", "status"}``; a missing (row, day) or a None value is a
    grey 'no data' cell. ``mode`` "status" colours by the KPI status (ok/warning/critical), "continuous"
    by the value (downtime hours, 0 = white). The cell text carries the value, ``customdata`` the row id
    (for click-through); ``links`` (row id -> href) turns the row labels into links.
    """
    if mode not in ("status", "continuous"):
        raise ValueError(f"bad mode {mode!r}")
    if not rows or not days:
        return empty_figure("No work centers with a site in this period" if not rows else "No days in the period")
    by_key = {(int(c["row_id"]), c["day"]): c for c in cells}
    z, text, custom, hover = [], [], [], []
    labels = [label for _, label in rows]
    for row_id, label in rows:
        zr, tr, cr, hr = [], [], [], []
        for day in days:
            cell = by_key.get((int(row_id), day))
            value = None if cell is None else cell.get("value")
            status = "no_data" if cell is None or value is None else cell.get("status", "no_data")
            if value is None:
                zr.append(math.nan)
            elif mode == "status":
                zr.append(STATUS_CODES.get(status, math.nan))
            else:
                zr.append(float(value))
            tr.append(cell_text(value, unit))
            cr.append(int(row_id))
            hr.append(f"{label}<br>{day}: {cell_text(value, unit)}" + (f" ({status.replace('_', ' ')})" if value is not None and mode == "status" else ""))
        z.append(zr), text.append(tr), custom.append(cr), hover.append(hr)
    if mode == "status":
        colour = dict(colorscale=_STATUS_SCALE, zmin=0, zmax=2, showscale=False)
    else:
        top = max([v for r in z for v in r if not math.isnan(v)] or [1.0])
        colour = dict(colorscale=_DOWNTIME_SCALE, zmin=0, zmax=max(top, 1.0), showscale=True,
                      colorbar=dict(title=dict(text="h", side="top"), thickness=12, len=0.8))
    fig = go.Figure(go.Heatmap(
        z=z, x=[_short_day(d) for d in days], y=labels, text=text, texttemplate="%{text}",
        textfont=dict(size=11), customdata=custom, hovertext=hover, hoverinfo="text",
        xgap=2, ygap=2, **colour))
    height = max(220, 60 + 38 * len(rows))
    fig.update_layout(**base_layout(height=height, title=dict(text=title, x=0, font=dict(size=14)) if title else None,
                                    plot_bgcolor=NO_DATA_BG, margin=dict(l=10, r=10, t=36 if title else 10, b=10)))
    fig.update_yaxes(autorange="reversed", showgrid=False, ticksuffix="  ", type="category")
    if links:
        fig.update_yaxes(tickmode="array", tickvals=labels,
                         ticktext=[f'<a href="{_safe_href(links[rid])}" target="_self">{html.escape(label)}</a>'
                                   if rid in links else html.escape(label) for rid, label in rows])
    fig.update_xaxes(showgrid=False, side="top", type="category", tickangle=0, tickfont=dict(size=11))
    return fig


def oee_decomposition(availability: float | None, performance: float | None, quality: float | None) -> go.Figure:
    """Waterfall from 100 % down to OEE: the loss of availability, then performance, then quality.

    Each loss is measured on what the previous factor left (so the bars add up exactly to OEE).
    """
    factors = (availability, performance, quality)
    if any(f is None for f in factors):
        missing = [n for n, f in zip(("availability", "performance", "quality"), factors) if f is None]
        return empty_figure(f"No OEE: no data for {', '.join(missing)} in this period", height=300)
    a, p, q = (float(f) for f in factors)
    loss_a = 1.0 - a
    loss_p = a * (1.0 - p)
    loss_q = a * p * (1.0 - q)
    oee = a * p * q
    labels = ["All time", "Availability", "Performance", "Quality", "OEE"]
    values = [1.0, -loss_a, -loss_p, -loss_q, oee]
    texts = ["100 %", f"−{loss_a * 100:.1f} pt", f"−{loss_p * 100:.1f} pt", f"−{loss_q * 100:.1f} pt", f"{oee * 100:.1f} %"]
    hover = ["All recorded time", f"Availability {a * 100:.1f} %", f"Performance {p * 100:.1f} %",
             f"Quality {q * 100:.1f} %", f"OEE = {a * 100:.1f} % × {p * 100:.1f} % × {q * 100:.1f} %"]
    fig = go.Figure(go.Waterfall(
        x=labels, y=values, measure=["absolute", "relative", "relative", "relative", "total"],
        text=texts, textposition="outside", hovertext=hover, hoverinfo="text",
        connector=dict(line=dict(color=LINE)),
        increasing=dict(marker=dict(color=SERIES)), decreasing=dict(marker=dict(color=STATUS_COLOURS["critical"])),
        totals=dict(marker=dict(color=SERIES))))
    fig.update_layout(**base_layout(height=320, margin=dict(l=10, r=10, t=20, b=10)))
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%", gridcolor=LINE)
    fig.update_xaxes(tickangle=0)
    return fig


def oee_trend(points: list[dict], *, target: float | None = None, amber: float | None = None) -> go.Figure:
    """OEE of one work center per bucket (``{"bucket", "value"}``, sorted by bucket), with the target line.

    Buckets without a value leave a gap (the line does not pretend the work center ran).
    """
    points = sorted(points, key=lambda p: p["bucket"])
    if not any(p.get("value") is not None for p in points):
        return empty_figure("No OEE in this period: no closed time logs and done work orders", height=300)
    x = [p["bucket"] for p in points]
    y = [p.get("value") for p in points]
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines+markers", line=dict(color=SERIES, width=2.5),
                               marker=dict(size=7), connectgaps=False, name="OEE",
                               hovertemplate="%{x}: OEE %{y:.1%}<extra></extra>"))
    if target is not None:
        fig.add_hline(y=target, line=dict(color=STATUS_COLOURS["ok"], dash="dash", width=1.5),
                      annotation_text=f"target {target:.0%}", annotation_position="top left",
                      annotation_font=dict(color=STATUS_COLOURS["ok"], size=11))
    if amber is not None:
        fig.add_hline(y=amber, line=dict(color=STATUS_COLOURS["warning"], dash="dot", width=1.2),
                      annotation_text=f"warning below {amber:.0%}", annotation_position="bottom left",
                      annotation_font=dict(color=STATUS_COLOURS["warning"], size=11))
    fig.update_layout(**base_layout(height=320, margin=dict(l=10, r=10, t=20, b=10)))
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", gridcolor=LINE)
    shown = x[::max(1, len(x) // 7)]
    fig.update_xaxes(type="category", tickfont=dict(size=11, color=INK), tickangle=0,
                     tickmode="array", tickvals=shown, ticktext=[_short_day(b) for b in shown])
    return fig
