"""The frame around every page: navigation built from ``dash.page_registry`` for the user's role."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard.auth import current_access
from dashboard.auth.roles import can_open

__all__ = ["layout", "nav_pages"]

ROLE_LABELS = {"plant": "Plant", "supply_chain": "Supply chain", "quality": "Quality", "finance": "Finance",
               "executive": "Executive", "admin": "Admin"}


def nav_pages(role: str | None) -> list[dict]:
    """Registered pages with ``nav=True`` that ``role`` may open, in ``order``."""
    pages = [p for p in dash.page_registry.values() if p.get("nav") and can_open(role, p.get("page_key", ""))]
    return sorted(pages, key=lambda p: p.get("order", 99))


def _user_menu(access) -> html.Div:
    return html.Div([
        html.Span(access.username, className="shell-user"),
        dbc.Badge(ROLE_LABELS.get(access.role, access.role), color="light", text_color="dark", className="ms-2"),
        html.Form([dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                   html.Button("Sign out", type="submit", className="btn btn-sm btn-outline-light ms-3",
                               id="shell-logout")],
                  method="POST", action="/logout", className="d-inline"),
    ], className="d-flex align-items-center")


def layout():
    """The root layout: evaluated per request, so the navigation matches who is signed in."""
    access = current_access()
    links = []
    if access is not None:
        links = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="partial" if p["path"] != "/" else "exact",
                                         id=f"shell-nav-{p['page_key']}"))
                 for p in nav_pages(access.role)]
    navbar = dbc.Navbar(dbc.Container([
        html.A(html.Span([html.Span("◆", className="brand-mark"), " Odoo Operations"]), href="/", className="navbar-brand"),
        dbc.Nav(links, navbar=True, className="me-auto"),
        _user_menu(access) if access is not None else None,
    ], fluid=True), color="dark", dark=True, className="shell-navbar")
    return html.Div([
        navbar,
        dbc.Container(dash.page_container, fluid=True, className="shell-main"),
    ])
