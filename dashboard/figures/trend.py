"""A KPI over time (one point per bucket) with its target line and amber/red bands shaded."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from dashboard.figures.theme import band_colour, base_layout, empty_figure
from dashboard.formats import fmt_value
from dashboard.vocab import MUTED, SERIES, grade_of

__all__ = ["kpi_trend", "threshold_bands"]


def threshold_bands(definition, y_low: float, y_high: float) -> list[tuple[str, float, float]]:
    """``[(grade, from, to), ...]`` covering ``[y_low, y_high]``: critical beyond red, warning between
    red and amber, tolerance between amber and the target, on target beyond it (direction-aware). Empty
    bands are left out."""
    amber, red, target = definition.amber, definition.red, definition.target
    if definition.direction == "higher":
        cuts = [("critical", y_low, red), ("warning", red, amber), ("tolerance", amber, target),
                ("on_target", target, y_high)]
    else:
        cuts = [("on_target", y_low, target), ("tolerance", target, amber), ("warning", amber, red),
                ("critical", red, y_high)]
    bands, floor = [], y_low
    for status, lo, hi in cuts:
        lo = floor if lo is None else max(lo, floor)
        hi = y_high if hi is None else min(hi, y_high)
        if hi > lo:
            bands.append((status, lo, hi))
            floor = hi
    return bands


def _axis_range(values: list[float], definition) -> tuple[float, float]:
    """A y range holding every value and threshold with a little air; never below 0 for
    non-negative measures."""
    marks = values + [v for v in (definition.target, definition.amber, definition.red) if v is not None]
    lo, hi = min(marks), max(marks)
    pad = (hi - lo) * 0.08 or (abs(hi) * 0.1 or 1.0)
    low, high = lo - pad, hi + pad
    if lo >= 0:
        low = max(low, 0.0)
    return low, high


def kpi_trend(points: Sequence[Mapping], definition, *, title: str | None = None, height: int = 230,
              empty_message: str = "No data in these weeks.", bucket: str = "week") -> go.Figure:
    """A line of ``points`` (dicts with ``bucket`` ISO date and ``value``, any order) for one KPI.

    Shades the critical/warning/ok bands of ``definition`` (a catalogue ``KpiDef``), draws the target
    as a dashed line and colours each marker by its status. Buckets without a value are gaps. With
    no value at all, an empty-state figure saying ``empty_message``. ``bucket`` (week or day) names the
    points in the hover.
    """
    pts = sorted((p for p in points if p.get("bucket")), key=lambda p: p["bucket"])
    values = [p["value"] for p in pts if p.get("value") is not None]
    heading = title if title is not None else definition.label
    if not values:
        fig = empty_figure(empty_message, height=height)
        fig.update_layout(title=dict(text=heading, x=0.01, font=dict(size=14)))
        return fig
    x = [p["bucket"] for p in pts]
    y = [p.get("value") for p in pts]
    lo, hi = _axis_range(values, definition)
    fig = go.Figure()
    for status, b_lo, b_hi in threshold_bands(definition, lo, hi):
        fig.add_hrect(y0=b_lo, y1=b_hi, fillcolor=band_colour(status), line_width=0, layer="below")
    if definition.target is not None:
        fig.add_hline(y=definition.target, line=dict(color=MUTED, dash="dash", width=1.2),
                      annotation_text=f"target {fmt_value(definition.target, definition.unit)}",
                      annotation_position="top left", annotation_font=dict(size=11, color=MUTED))
    colours = [grade_of(definition, v, definition.status(v)).strong for v in y]
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines+markers", connectgaps=False, line=dict(color=SERIES, width=2),
        marker=dict(color=colours, size=7, line=dict(color="#ffffff", width=1)),
        customdata=[fmt_value(v, definition.unit) for v in y],
        hovertemplate=("Week of " if bucket == "week" else "") + "%{x|%Y-%m-%d}<br><b>%{customdata}</b><extra></extra>", name=definition.label))
    fig.update_layout(**base_layout(height=height, title=dict(text=heading, x=0.01, font=dict(size=14)),
                                    margin=dict(l=10, r=10, t=40, b=10)))
    fig.update_xaxes(type="date", showgrid=False, tickfont=dict(size=11, color=MUTED),
                     tickformat="%d %b" if bucket == "day" else "%b %Y")  # the day style of formats.fmt_day_short
    fig.update_yaxes(range=[lo, hi], showgrid=False, tickfont=dict(size=11, color=MUTED),
                     tickformat=".0%" if definition.unit == "ratio" else "~s", fixedrange=True)
    return fig
