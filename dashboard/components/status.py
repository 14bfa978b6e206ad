"""Status as a person reads it: a badge (icon and word on the grade's colour), a coloured phrase, the legend."""
from __future__ import annotations

from dash import html

from dashboard.vocab import Grade, legend_grades

__all__ = ["status_badge", "status_text", "legend"]

def status_badge(g: Grade, text: str | None = None, **attrs) -> html.Span:
    """A badge in the grade's strong colour with its icon and word (never colour alone)."""
    return html.Span(f"{g.icon} {text or g.word}", className=f"badge status-badge grade-bg-{g.key}", **attrs)

def status_text(g: Grade, phrase: str | None = None, **attrs) -> html.Span:
    """The grade's icon and phrase in its strong colour (for tiles and table cells)."""
    return html.Span(f"{g.icon} {phrase or g.word}", className=f"status-text grade-{g.key}", **attrs)

def legend(extra: str | None = None) -> html.Div:
    """The grades as chips in their fill colours with icon and word; ``extra`` adds a note (arrows...)."""
    chips = [html.Span([html.Span(g.icon, className=f"legend-chip grade-fill-{g.key}"), g.word], className="legend-item")
             for g in legend_grades()]
    if extra:
        chips.append(html.Span(extra, className="legend-item"))
    return html.Div(chips, className="status-legend")

