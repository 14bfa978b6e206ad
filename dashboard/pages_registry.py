"""Registering a page with Dash from its one declaration in ``dashboard.auth.roles.PAGES``."""
from __future__ import annotations

import dash

from dashboard.auth.roles import PAGES, PageSpec

__all__ = ["register"]


def register(module: str, key: str) -> PageSpec:
    """``dash.register_page`` for the page ``key`` (route, name, order, nav flag and description from its
    declaration) and return the declaration, whose ``id(name)`` makes the page's component ids."""
    spec = PAGES[key]
    route = {"path_template": spec.path} if "<" in spec.path else {"path": spec.path}
    dash.register_page(module, name=spec.name, order=spec.order, page_key=key, nav=spec.nav,
                       description=spec.description, title=f"{spec.name} · Odoo Operations", **route)
    return spec
