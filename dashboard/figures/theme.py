"""Shared look of every figure: fonts, layout defaults, threshold band fills and the empty-state figure.
Colours come from the one status vocabulary (``dashboard.vocab``)."""
from __future__ import annotations

import plotly.graph_objects as go

from dashboard.vocab import GRADES, INK, LINE, MUTED

__all__ = ["FONT", "SCALE_STORE", "base_layout", "empty_figure", "band_colour", "screen_scale", "for_screen"]

# The shell's store of the browser's type scale (rem / 16 px): figure callbacks read it as State.
SCALE_STORE = "screen-scale"

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


def screen_scale(raw) -> float:
    """The browser's reported type scale (rem / 16 px), held to 1..3; anything else is 1."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return 1.0
    return min(max(float(raw), 1.0), 3.0)


def _times(size, scale: float, default: float):
    return (size or default) * scale


def for_screen(fig: go.Figure, scale: float) -> go.Figure:
    """``fig`` with its type, height and margins times ``scale``: the page's rem in 16 px (1.5 or 2 on wall
    and 4K screens, where app.css scales the page's type). Plotly sizes in pixels and would stay small."""
    if scale == 1:
        return fig
    layout = fig.layout
    margin = {side: _times(getattr(layout.margin, side), scale, 10) for side in ("l", "r", "t", "b")}
    fig.update_layout(height=_times(layout.height, scale, 450), margin=margin, font_size=_times(layout.font.size, scale, 13),
                      hoverlabel_font_size=_times(layout.hoverlabel.font.size, scale, 12),
                      title_font_size=_times(layout.title.font.size, scale, 14))
    fig.for_each_xaxis(lambda ax: ax.update(tickfont_size=_times(ax.tickfont.size, scale, 12)))
    fig.for_each_yaxis(lambda ax: ax.update(tickfont_size=_times(ax.tickfont.size, scale, 12)))
    fig.for_each_trace(lambda t: t.update(textfont_size=_times(t.textfont.size, scale, 13)) if "textfont" in t else None)
    fig.for_each_annotation(lambda a: a.update(font_size=_times(a.font.size, scale, 12)))
    return fig
