"""Shared look of every figure: fonts, layout defaults, threshold band fills, the empty-state figure and the
screen type scale. Colours come from the one status vocabulary (``dashboard.vocab``).

Figures are plain dicts (``{"data": [...], "layout": {...}}``), exactly what ``go.Figure(...).to_plotly_json()``
would give: plotly's validation of every property cost more than the figure itself (13 trend charts with
threshold bands: 170-240 ms a request, measured), and ``dcc.Graph`` takes the dict as it is. The builders'
tests pass every figure through ``go.Figure`` so a wrong property still fails, in the tests instead of on
every request.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import plotly.io as pio

from dashboard.vocab import GRADES, INK, LINE, MUTED

__all__ = ["FONT", "SCALE_STORE", "graph_style", "TEMPLATE", "base_layout", "empty_figure", "band_colour", "screen_scale", "for_screen"]

# The shell's store of the browser's type scale (rem / 16 px): figure callbacks read it as State.
SCALE_STORE = "screen-scale"

FONT = dict(family='system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
            size=13, color=INK)

_TRACE_TYPES = ("scatter", "heatmap", "bar", "waterfall")  # every trace type our builders draw


def _default_template() -> dict:
    """plotly's default template as data (what ``go.Figure`` embeds in every figure), read once: its layout
    (automargin, hover mode, axis colours...) and its trace defaults for the trace types we draw only, so the
    browser draws the same figure as before with half the bytes."""
    template = pio.templates[pio.templates.default].to_plotly_json()
    return {"data": {k: v for k, v in template.get("data", {}).items() if k in _TRACE_TYPES},
            "layout": template.get("layout", {})}


TEMPLATE = _default_template()


def band_colour(grade_key: str) -> str:
    """Translucent fill of a threshold band (``on_target``, ``tolerance``, ``warning``, ``critical``):
    the grade's fill colour at a low opacity."""
    fill = GRADES[grade_key].fill.lstrip("#")
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, 0.28)"


def base_layout(**overrides) -> dict:
    """Layout defaults shared by all figures (a new dict each call: callers may change it): white paper,
    system font, tight margins, plotly's default template."""
    layout = dict(
        template=TEMPLATE,  # shared, never changed in place (for_screen copies what it scales)
        font=dict(FONT),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=10, t=36, b=10),
        hoverlabel=dict(bgcolor="#ffffff", font=dict(size=12, color=INK), bordercolor=LINE, align="left"),
        showlegend=False,
    )
    layout.update(overrides)
    return layout


def empty_figure(message: str, height: int = 220) -> dict:
    """A blank figure that says why there is nothing to draw (axes hidden)."""
    return {"data": [], "layout": base_layout(
        height=height, xaxis=dict(visible=False), yaxis=dict(visible=False),
        annotations=[dict(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font=dict(size=14, color=MUTED))])}


def screen_scale(raw) -> float:
    """The browser's reported type scale (rem / 16 px), held to 1..3; anything else is 1."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return 1.0
    return min(max(float(raw), 1.0), 3.0)


def _times(size, scale: float, default: float):
    return (size or default) * scale


def _sized(font: Mapping | None, scale: float, default: float) -> dict:
    """A copy of a font dict with its size (or ``default``) times ``scale``."""
    font = dict(font or {})
    font["size"] = _times(font.get("size"), scale, default)
    return font


_AXIS = re.compile(r"[xy]axis\d*")


def for_screen(fig, scale: float) -> dict:
    """``fig`` (a figure dict, or a ``go.Figure``) with its type, height and margins times ``scale``: the
    page's rem in 16 px (1.5 or 2 on wall and 4K screens, where app.css scales the page's type). Plotly sizes
    in pixels and would stay small. Returns a new dict (``fig`` is left as it was, so a shared or cached
    figure is never scaled twice)."""
    if not isinstance(fig, Mapping):
        fig = fig.to_plotly_json()
    if scale == 1:
        return fig
    layout = dict(fig.get("layout") or {})
    margin = dict(layout.get("margin") or {})
    margin.update({side: _times(margin.get(side), scale, 10) for side in ("l", "r", "t", "b")})
    title = layout.get("title")
    title = dict({"text": title} if isinstance(title, str) else (title or {}))
    title["font"] = _sized(title.get("font"), scale, 14)
    hoverlabel = dict(layout.get("hoverlabel") or {})
    hoverlabel["font"] = _sized(hoverlabel.get("font"), scale, 12)
    layout.update(height=_times(layout.get("height"), scale, 450), margin=margin, title=title, hoverlabel=hoverlabel,
                  font=_sized(layout.get("font"), scale, 13))
    for key in {"xaxis", "yaxis", *(k for k in layout if _AXIS.fullmatch(k))}:
        axis = dict(layout.get(key) or {})
        axis["tickfont"] = _sized(axis.get("tickfont"), scale, 12)
        layout[key] = axis
    if layout.get("annotations"):
        layout["annotations"] = [{**a, "font": _sized(a.get("font"), scale, 12)} for a in layout["annotations"]]
    data = [{**trace, "textfont": _sized(trace.get("textfont"), scale, 13)} for trace in fig.get("data") or ()]
    return {**fig, "data": data, "layout": layout}


def graph_style(fig, **extra) -> dict:
    """The ``dcc.Graph`` style that holds ``fig`` at its own height. A responsive graph (the width follows its
    frame) drops the figure's height and takes its div's: without this, a figure replaced after a resize (a
    new type scale) collapsed to a sliver."""
    layout = (fig if isinstance(fig, Mapping) else fig.to_plotly_json()).get("layout") or {}
    return {"height": f"{layout.get('height') or 450:.0f}px", **extra}

