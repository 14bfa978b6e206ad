"""The page controls and graph frames every page uses: a button-group radio (metric, period, grouping) and
a ``dcc.Graph`` that holds its figure's height (responsive in width: see ``figures.graph_style``)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.figures import empty_figure, graph_style
from dashboard.urlstate import PERIOD_CHOICES

__all__ = ["GRAPH_CONFIG", "radio_group", "graph", "loading_graph", "filter_field", "period_options", "period_field", "site_field"]

GRAPH_CONFIG = {"displayModeBar": False, "responsive": True}


def radio_group(component_id, value, options) -> dbc.RadioItems:
    """Choices as a row of toggle buttons (``options``: ``[{"label", "value"}]``)."""
    return dbc.RadioItems(id=component_id, value=value, inline=True, options=options, className="plant-radio btn-group",
                          inputClassName="btn-check", labelClassName="btn btn-outline-secondary btn-sm",
                          labelCheckedClassName="active")


def graph(component_id, figure, **style) -> dcc.Graph:
    """A graph of ``figure`` at its own height; ``style`` adds to it (e.g. ``minWidth``)."""
    return dcc.Graph(id=component_id, config=GRAPH_CONFIG, figure=figure, style=graph_style(figure, **style))


def loading_graph(component_id, height: int | None = None) -> dcc.Loading:
    """A graph that says "Loading…" until its callback fills it (its figure and style are outputs)."""
    return dcc.Loading(graph(component_id, empty_figure("Loading…", **({"height": height} if height else {}))))


def filter_field(label: str, control) -> html.Div:
    """A page control with its small caps label above it."""
    return html.Div([html.Div(label, className="filter-label"), control])


def period_options(days: int) -> list[dict]:
    """The period picker's options: the usual periods, plus the URL's own length when it is not one."""
    return [{"label": f"{d} days" if d > 1 else "1 day", "value": d} for d in sorted({*PERIOD_CHOICES, int(days)})]


def period_field(component_id, days: int) -> html.Div:
    """The labelled period picker (its value is the number of days)."""
    return filter_field("Period", radio_group(component_id, days, period_options(days)))


def site_field(component_id, site_id: int, sites: dict) -> html.Div:
    """The labelled site picker over the caller's sites (``{id: {"name", "code"}}``)."""
    options = [{"label": f"{s['name']} ({s['code']})" if s.get("code") else s["name"], "value": sid}
               for sid, s in sites.items()]
    return filter_field("Site", dcc.Dropdown(id=component_id, value=site_id, options=options, clearable=False,
                                             className="plant-site-select"))
