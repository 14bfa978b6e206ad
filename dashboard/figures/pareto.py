"""Pareto chart: the largest contributors as bars, with the cumulative share as a line (a figure dict, see
``figures.theme``)."""
from __future__ import annotations

from collections.abc import Sequence

from dashboard.figures.theme import base_layout, empty_figure
from dashboard.formats import fmt_value
from dashboard.vocab import MUTED, SERIES

__all__ = ["pareto", "pareto_rows"]


def pareto_rows(items: Sequence[tuple[str, float]], top: int = 12) -> list[tuple[str, float, float]]:
    """``[(label, value, cumulative share), ...]`` largest first; items after ``top`` pooled as "Other".
    Items with a value <= 0 are left out; empty when nothing is left."""
    kept = sorted(((label, float(v)) for label, v in items if v is not None and v > 0), key=lambda t: -t[1])
    if not kept:
        return []
    if len(kept) > top:
        rest = sum(v for _, v in kept[top - 1:])
        kept = kept[:top - 1] + [(f"Other ({len(kept) - top + 1})", rest)]
    total = sum(v for _, v in kept)
    out, running = [], 0.0
    for label, v in kept:
        running += v
        out.append((label, v, running / total))
    return out


def pareto(items: Sequence[tuple[str, float]], *, unit: str, value_label: str, title: str | None = None,
           top: int = 12, height: int = 300, empty_message: str = "Nothing to rank in this period.") -> dict:
    """Bars of ``items`` (``(label, value)``) largest first, and the cumulative % on a right axis
    (0-100 %), with an 80 % guide. With nothing positive to rank, an empty-state figure."""
    rows = pareto_rows(items, top)
    if not rows:
        return empty_figure(empty_message, height=height)
    labels = [r[0] for r in rows]
    values = [fmt_value(r[1], unit) for r in rows]
    bars = dict(type="bar", x=labels, y=[r[1] for r in rows], marker=dict(color=SERIES), name=value_label, text=values,
                textposition="outside", cliponaxis=False, customdata=values,
                hovertemplate="<b>%{x}</b><br>" + value_label + ": %{customdata}<extra></extra>")
    cumulative = dict(type="scatter", x=labels, y=[r[2] for r in rows], yaxis="y2", mode="lines+markers", name="Cumulative",
                      line=dict(color=MUTED, width=2), marker=dict(size=6),
                      hovertemplate="Cumulative: %{y:.0%}<extra></extra>")
    layout = base_layout(
        height=height, margin=dict(l=10, r=10, t=40 if title else 16, b=10), bargap=0.25,
        yaxis=dict(title=dict(text=value_label), showgrid=True, gridcolor="#eef0f3", rangemode="tozero"),
        yaxis2=dict(overlaying="y", side="right", range=[0, 1.05], tickformat=".0%", showgrid=False),
        xaxis=dict(tickangle=-30, type="category"),
        shapes=[dict(type="line", xref="x domain", x0=0, x1=1, yref="y2", y0=0.8, y1=0.8,
                     line=dict(color=MUTED, dash="dot", width=1))])  # the 80 % guide
    if title:
        layout["title"] = dict(text=title, x=0.01, font=dict(size=14))
    return {"data": [bars, cumulative], "layout": layout}
