"""The frame around every page: a navbar built from ``dash.page_registry`` for the user's role, that folds
behind a toggler on narrow screens (never wider than the screen), and the page container."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard.auth import current_access
from dashboard.auth.display_session import is_display_access
from dashboard.auth.roles import can_open
from dashboard.figures import SCALE_STORE

__all__ = ["init_app", "layout", "nav_pages", "ROLE_LABELS"]

ROLE_LABELS = {"plant": "Plant", "supply_chain": "Supply chain", "quality": "Quality", "finance": "Finance",
               "executive": "Executive", "admin": "Admin"}

# Open or close the folded navigation on a toggler click; close it when the page changes.
_TOGGLE = """function (clicks, path, open) {
    const hit = (dash_clientside.callback_context.triggered || []).map(t => t.prop_id);
    return hit.includes("shell-toggler.n_clicks") ? !open : false;
}"""


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
    ], className="shell-user-menu d-flex align-items-center")


def layout():
    """The root layout: evaluated per request, so the navigation matches who is signed in."""
    access = current_access()
    links, menu = [], None
    if access is not None and not is_display_access(access):  # a wall display has no navigation and no user
        links = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="partial" if p["path"] != "/" else "exact",
                                         id=f"shell-nav-{p['page_key']}"))
                 for p in nav_pages(access.role)]
        menu = _user_menu(access)
    navbar = dbc.Navbar(dbc.Container([
        html.A(html.Span([html.Span("◆", className="brand-mark"), " Odoo Operations"]), href="/", className="navbar-brand"),
        dbc.NavbarToggler(id="shell-toggler", n_clicks=0, className="shell-toggler"),
        dbc.Collapse([dbc.Nav(links, navbar=True, className="me-auto"), menu], id="shell-collapse", is_open=False,
                     navbar=True),
    ], fluid=True), color="dark", dark=True, expand="lg", className="shell-navbar")
    return html.Div([
        navbar,
        dcc.Store(id=SCALE_STORE),
        dbc.Container(dash.page_container, fluid=True, className="shell-main"),
    ])


def init_app(app: dash.Dash) -> None:
    """Make ``layout`` the app's root layout and wire the navbar toggler and the screen scale (in the browser:
    no round trip)."""
    app.layout = layout
    app.clientside_callback(_TOGGLE, Output("shell-collapse", "is_open"),
                            Input("shell-toggler", "n_clicks"), Input("_pages_location", "pathname"),
                            State("shell-collapse", "is_open"), prevent_initial_call=True)
    # The page's type scale (app.css grows rem on wall and 4K screens), read in the browser before any page's
    # figures are built (those need a server round trip): figures, sized in pixels, follow it.
    # Unchanged, it is not set again (page callbacks take it as an Input: a resize across a breakpoint,
    # assets/screen-scale.js, rebuilds the figures; a navigation does not).
    app.clientside_callback(
        "function (_, now) { var s = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16;"
        " return s === now ? dash_clientside.no_update : s; }",
        Output(SCALE_STORE, "data"), Input("_pages_location", "pathname"), State(SCALE_STORE, "data"))
