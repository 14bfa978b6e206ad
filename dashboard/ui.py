"""Small shared components: messages, freshness badges, number formatting."""
from __future__ import annotations

from datetime import UTC, datetime

import dash_bootstrap_components as dbc
from dash import html

__all__ = ["not_permitted", "signed_out", "error_alert", "empty_state", "freshness", "fmt_value", "page_header"]


def not_permitted(what: str = "this page") -> dbc.Alert:
    return dbc.Alert([html.H5("Not allowed", className="alert-heading"),
                      html.P(f"Your role does not give access to {what}. Ask an administrator if you need it.")],
                     color="warning", className="msg-not-permitted")


def signed_out() -> dbc.Alert:
    return dbc.Alert(["You are signed out. ", html.A("Sign in", href="/login")], color="secondary")


def not_found(what: str) -> dbc.Alert:
    return dbc.Alert([html.H5("Not found", className="alert-heading"),
                      html.P(f"{what} does not exist or is outside your scope.")], color="warning", className="msg-not-found")


def error_alert(message: str) -> dbc.Alert:
    """A user-safe error (the details are in the server log)."""
    return dbc.Alert(message, color="danger", className="msg-error")


def empty_state(message: str) -> html.Div:
    return html.Div(message, className="empty-state")


def freshness(computed_at: str | None, stale_after_s: int | None = None) -> html.Span:
    """'Data as of HH:MM UTC' with a stale badge when older than ``stale_after_s``."""
    if not computed_at:
        return html.Span("No data yet", className="freshness")
    at = datetime.fromisoformat(computed_at)
    age = (datetime.now(UTC) - at).total_seconds()
    children = [f"Data as of {at.strftime('%Y-%m-%d %H:%M')} UTC"]
    if stale_after_s is not None and age > stale_after_s:
        children.append(dbc.Badge("stale", color="warning", className="ms-2"))
    return html.Span(children, className="freshness")


def fmt_value(value: float | None, unit: str) -> str:
    """Human formatting per unit: 71.3 %, 12.5 h, 1.2 M, 42 d."""
    if value is None:
        return "–"
    if unit == "ratio":
        return f"{value * 100:.1f} %"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "days":
        return f"{value:,.0f} d"
    if unit == "turns":
        return f"{value:.1f}×"
    if unit == "count":
        return f"{value:,.0f}"
    for limit, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= limit:
            return f"{value / limit:,.1f}{suffix}"
    return f"{value:,.0f}"


def page_header(title: str, subtitle: str | None = None, right=None) -> html.Div:
    return html.Div([html.Div([html.H2(title, className="page-title"),
                               html.Div(subtitle, className="page-subtitle") if subtitle else None]),
                     html.Div(right, className="page-header-right")], className="page-header")
