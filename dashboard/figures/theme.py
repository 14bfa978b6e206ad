"""Shared look of every figure: status colours (the same as ``assets/app.css``), fonts, layout defaults."""
from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["STATUS_COLOURS", "STATUS_LABELS", "STATUS_ORDER", "BETTER_COLOUR", "WORSE_COLOUR", "INK", "MUTED",
           "LINE", "SERIES", "FONT", "base_layout", "empty_figure", "band_colour"]

# One colour per KPI status; "unavailable" (app not installed) shares the neutral grey of "no data".
STATUS_COLOURS = {
    "ok": "#2e7d32",
    "warning": "#e0a100",
    "critical": "#c62828",
    "no_data": "#9aa1ab",
    "unavailable": "#c4c8cf",
}
STATUS_LABELS = {"ok": "OK", "warning": "Warning", "critical": "Critical", "no_data": "No data",
                 "unavailable": "Unavailable"}
STATUS_ORDER = ("ok", "warning", "critical", "no_data", "unavailable")

BETTER_COLOUR = "#1b5e20"
WORSE_COLOUR = "#b71c1c"
INK = "#1f2933"
MUTED = "#6b7280"
LINE = "#e3e7ec"
SERIES = "#714b67"  # brand purple: the measured series in trends and Pareto bars
FONT = dict(family='system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
            size=13, color=INK)

_BANDS = {"ok": "rgba(46, 125, 50, 0.07)", "warning": "rgba(224, 161, 0, 0.13)", "critical": "rgba(198, 40, 40, 0.10)"}


def band_colour(status: str) -> str:
    """Translucent fill for a threshold band of ``status`` (ok, warning, critical)."""
    return _BANDS[status]


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
