"""Scaffolding of the role x page x callback tests: a demo app with one user per role (and scoped users),
a signed-in request context, the page callbacks as served, and a page module by its key."""
from __future__ import annotations

import sys

from flask_login import login_user

from dashboard import create_app
from dashboard.auth.access import ROLES
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from helpers.auth_app import PASSWORD, login

__all__ = ["matrix_app", "signer", "page_module", "page_callbacks", "outputs"]


def matrix_app(tmp, scoped: dict[str, dict]):
    """The demo app in ``tmp`` with ``m-<role>`` for every role and the ``scoped`` users
    (``{username: {"role", "company_ids", "warehouse_ids"}}``), all with the test password."""
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    for role in ROLES:
        store.add_user(f"m-{role}", PASSWORD, role)
    for username, user in scoped.items():
        store.add_user(username, PASSWORD, user["role"], company_ids=user.get("company_ids"),
                       warehouse_ids=user.get("warehouse_ids"))
    return app


def signer(app):
    """``(sign_in, close)``: ``sign_in(username)`` pushes a callback request context signed in as them."""
    contexts = []

    def sign_in(username):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        contexts.append(ctx)
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user(username)))

    def close():
        for ctx in reversed(contexts):
            ctx.pop()

    return sign_in, close


def page_module(key: str):
    """The imported module of page ``key`` (Dash Pages imports them under their file path)."""
    return next(m for m in list(sys.modules.values()) if getattr(getattr(m, "spec", None), "key", None) == key)


def page_callbacks(app, *prefixes: str) -> list[dict]:
    """The server callbacks whose outputs belong to pages with these id prefixes, as the app serves them."""
    client = app.server.test_client()
    login(client, "m-admin")
    return [d for d in client.get("/_dash-dependencies").get_json()
            if not d.get("clientside_function") and any(f"{p}-" in d["output"] for p in prefixes)]


def outputs(output: str) -> list[dict]:
    """A callback's ``outputs`` field from its output key."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]
