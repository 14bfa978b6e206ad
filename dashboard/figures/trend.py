"""A KPI over time (one point per bucket) with its target line and amber/red bands shaded, as a figure dict
(see ``figures.theme``: no plotly validation on the request path). A series longer than ``MAX_POINTS`` is
drawn as bucket means, so a long history never sends thousands of markers to the browser."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from dashboard.figures.theme import band_colour, base_layout, empty_figure
from dashboard.formats import fmt_value
from dashboard.vocab import MUTED, SERIES, grade_of

__all__ = ["MAX_POINTS", "kpi_trend", "threshold_bands", "downsample"]

MAX_POINTS = 400  # per trace; beyond, points are averaged in equal runs (a 90-day or 57-week series stays whole)


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


def downsample(points: Sequence[Mapping], cap: int = MAX_POINTS) -> tuple[list[dict], int]:
    """``(points, n)``: ``points`` (sorted, with ``bucket`` and ``value``) unchanged with ``n`` 1 when there
    are at most ``cap``; else runs of ``n`` consecutive points as one point each, at the run's first bucket,
    valued at the mean of its values (None when the run has none, so gaps stay gaps). A mean keeps the
    per-bucket scale, so the bucket's thresholds still judge it."""
    if len(points) <= cap:
        return list(points), 1
    n = -(-len(points) // cap)  # ceil: at most ``cap`` runs
    out = []
    for i in range(0, len(points), n):
        run = points[i:i + n]
        values = [p["value"] for p in run if p.get("value") is not None]
        out.append({"bucket": run[0]["bucket"], "value": sum(values) / len(values) if values else None})
    return out, n


def _hover(bucket: str, n: int) -> str:
    if n > 1:
        return f"Mean of {n} {bucket}s from %{{x|%Y-%m-%d}}<br><b>%{{customdata}}</b><extra></extra>"
    return ("Week of " if bucket == "week" else "") + "%{x|%Y-%m-%d}<br><b>%{customdata}</b><extra></extra>"


def _tick_format(x: Sequence[str], bucket: str) -> str:
    """Days ("%d %b", the day style of formats.fmt_day_short) for daily points and for weeks spanning under
    half a year (13 weeks of months would repeat "Sep 2026" under two ticks); months ("%b %Y") beyond."""
    if bucket == "day" or len(x) < 2:
        return "%d %b"
    span = (date.fromisoformat(x[-1][:10]) - date.fromisoformat(x[0][:10])).days
    return "%d %b" if span < 183 else "%b %Y"


def kpi_trend(points: Sequence[Mapping], definition, *, title: str | None = None, height: int = 230,
              empty_message: str = "No data in these weeks.", bucket: str = "week") -> dict:
    """A line of ``points`` (dicts with ``bucket`` ISO date and ``value``, any order) for one KPI, as a
    figure dict.

    Shades the critical/warning/ok bands of ``definition`` (a catalogue ``KpiDef``), draws the target
    as a dashed line and colours each marker by its status. Buckets without a value are gaps. With
    no value at all, an empty-state figure saying ``empty_message``. ``bucket`` (week or day) names the
    points in the hover. More than ``MAX_POINTS`` points are drawn as means of equal runs (``downsample``).
    """
    pts = sorted((p for p in points if p.get("bucket")), key=lambda p: p["bucket"])
    values = [p["value"] for p in pts if p.get("value") is not None]
    heading = dict(text=title if title is not None else definition.label, x=0.01, font=dict(size=14))
    if not values:
        fig = empty_figure(empty_message, height=height)
        fig["layout"]["title"] = heading
        return fig
    pts, run = downsample(pts)
    x = [p["bucket"] for p in pts]
    y = [p.get("value") for p in pts]
    lo, hi = _axis_range(values, definition)
    shapes = [dict(type="rect", xref="x domain", x0=0, x1=1, yref="y", y0=b_lo, y1=b_hi, fillcolor=band_colour(status),
                   line=dict(width=0), layer="below")
              for status, b_lo, b_hi in threshold_bands(definition, lo, hi)]
    annotations = []
    if definition.target is not None:
        shapes.append(dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=definition.target, y1=definition.target,
                           line=dict(color=MUTED, dash="dash", width=1.2)))
        annotations.append(dict(text=f"target {fmt_value(definition.target, definition.unit)}", showarrow=False,
                                xref="x domain", x=0, xanchor="left", yref="y", y=definition.target, yanchor="bottom",
                                font=dict(size=11, color=MUTED)))
    colours = [grade_of(definition, v, definition.status(v)).strong for v in y]
    line = dict(type="scatter", x=x, y=y, mode="lines+markers", connectgaps=False, line=dict(color=SERIES, width=2),
                marker=dict(color=colours, size=7, line=dict(color="#ffffff", width=1)),
                customdata=[fmt_value(v, definition.unit) for v in y], hovertemplate=_hover(bucket, run),
                name=definition.label)
    layout = base_layout(
        height=height, title=heading, margin=dict(l=10, r=10, t=40, b=10), shapes=shapes,
        xaxis=dict(type="date", showgrid=False, tickfont=dict(size=11, color=MUTED), tickformat=_tick_format(x, bucket)),
        yaxis=dict(range=[lo, hi], showgrid=False, tickfont=dict(size=11, color=MUTED),
                   tickformat=".0%" if definition.unit == "ratio" else "~s", fixedrange=True))
    if annotations:
        layout["annotations"] = annotations
    return {"data": [line], "layout": layout}
