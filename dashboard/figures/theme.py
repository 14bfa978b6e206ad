"""Shared look of every figure: fonts, layout defaults, threshold band fills and the empty-state figure.
Colours come from the one status vocabulary (``dashboard.vocab``)."""
from __future__ import annotations

import plotly.graph_objects as go

from dashboard.vocab import GRADES, INK, LINE, MUTED

__all__ = ["FONT", "base_layout", "empty_figure", "band_colour"]

FONT = dict(family='system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
            size=13, color=INK)


def band_colour(grade_key: str) -> str:
    """Translucent fill of a threshold band (``on_target``, ``tolerance``, ``warning``, ``critical``):
    the grade's fill colour at a low opacity."""
    fill = GRADES[grade_key].fill.lstrip("#")
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, 0.28)"


def base_layout(**overrides) -> dict:
    """Layout defaults shared by all figures: white paper, system font, tight margins."""
    layout = dict(
        font=FONT,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=10, t=36, b=10),
        hoverlabel=dict(bgcolor="#ffffff", font=dict(size=12, color=INK), bordercolor=LINE, align="left"),
        showlegend=False,
    )
    layout.update(overrides)
    return layout


def empty_figure(message: str, height: int = 220) -> go.Figure:
    """A blank figure that says why there is nothing to draw (axes hidden)."""
    fig = go.Figure()
    fig.update_layout(**base_layout(height=height))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=14, color=MUTED))
    return fig
