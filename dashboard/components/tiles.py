"""The one tile: a card with a label, a big value, the status in words and icon, and a line or two of
context. ``kpi_tile`` fills it from a KPI result and its definition; ``tile`` takes any figure."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.status import status_text
from dashboard.formats import fmt_value
from dashboard.vocab import Grade, grade_of, status_phrase, threshold_text

__all__ = ["tile", "kpi_tile", "tile_grid"]


def tile(label: str, value: str, g: Grade, *, phrase: str | None = None, lines: Sequence = (), tile_id: str | None = None,
         title: str | None = None, href: str | None = None) -> dbc.Card:
    """A tile: ``label``, ``value`` (with ``tile_id`` on it, for tests and links), the grade's icon and
    ``phrase`` (its word by default), then ``lines``. ``href`` makes the label a link (a drill);
    ``title`` (the formula) is the label's tooltip."""
    head = (dcc.Link(label, href=href, className="tile-label", title=title) if href
            else html.Div(label, className="tile-label", title=title))
    body = [head, html.Div(value, className="tile-value", **({"id": tile_id} if tile_id else {})),
            html.Div(status_text(g, phrase), className="tile-status")]
    body += [html.Div(line, className="tile-line") for line in lines if line]
    return dbc.Card(dbc.CardBody(body), className=f"kpi-tile grade-border-{g.key}")


def kpi_tile(definition, result: Mapping | None, *, label: str | None = None, currency: str | None = None,
             lines: Sequence = (), tile_id: str | None = None, href: str | None = None) -> dbc.Card:
    """A KPI's tile: value in its unit (and currency), the status phrase true to the value, the reason
    when unavailable, else the thresholds the status was judged by, then ``lines``."""
    value = (result or {}).get("value")
    status = (result or {}).get("status") or "no_data"
    g = grade_of(definition, value, status)
    reason = (result or {}).get("reason")
    context = [reason] if reason else [threshold_text(definition, currency)]
    shown = "n/a" if status == "unavailable" else fmt_value(value, definition.unit, currency)
    return tile(label or definition.label, shown, g, phrase=status_phrase(definition, value, status),
                lines=[*lines, *context], tile_id=tile_id, title=definition.formula, href=href)


def tile_grid(tiles: Sequence, *, wide: bool = False, **attrs) -> dbc.Row:
    """Tiles in a responsive grid: one per row on a phone, two on a tablet, up to four (``wide``: six)
    on a desktop."""
    sizes = dict(xs=12, sm=6, lg=4, xl=3) if not wide else dict(xs=12, sm=6, lg=4, xl=2)
    return dbc.Row([dbc.Col(t, **sizes) for t in tiles], className="g-3 mb-3 tile-grid", **attrs)
