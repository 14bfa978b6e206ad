"""Messages: URL notices, not found, not allowed, signed out, errors and empty states (one look each)."""
from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

__all__ = ["notice", "notices", "not_found", "not_permitted", "signed_out", "error_alert", "empty_state"]


def notice(text: str) -> dbc.Alert:
    """A short information line (a bad URL value and what is shown instead)."""
    return dbc.Alert(text, color="info", className="notice py-1 px-2 small mb-2")


def notices(texts: Sequence[str], **attrs) -> html.Div:
    """A block of notices (empty when there are none)."""
    return html.Div([notice(t) for t in texts], **attrs)


def not_found(what: str) -> dbc.Alert:
    """``what`` does not exist or is outside the caller's scope (the two are never told apart)."""
    return dbc.Alert([html.H5("Not found", className="alert-heading"),
                      html.P(f"{what} does not exist or is outside your scope.", className="mb-0")],
                     color="warning", className="msg-not-found")


def not_permitted(what: str = "this page") -> dbc.Alert:
    return dbc.Alert([html.H5("Not allowed", className="alert-heading"),
                      html.P(f"Your role does not give access to {what}. Ask an administrator if you need it.",
                             className="mb-0")], color="warning", className="msg-not-permitted")


def signed_out() -> dbc.Alert:
    return dbc.Alert(["You are signed out. ", html.A("Sign in", href="/login")], color="secondary")


def error_alert(message: str) -> dbc.Alert:
    """A user-safe error (the details are in the server log)."""
    return dbc.Alert(message, color="danger", className="msg-error")


def empty_state(message: str, **attrs) -> html.Div:
    """Why there is nothing to show here."""
    return html.Div(message, className="empty-state", **attrs)
