"""Extensions created unbound and attached in ``create_app``; per-app state reached through Flask."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_caching import Cache
from flask_login import LoginManager

from dashboard.settings import Settings

__all__ = ["cache", "login_manager", "AppState", "state"]

cache = Cache()
login_manager = LoginManager()

STATE_KEY = "odoo_dash"


@dataclass
class AppState:
    """What one app instance holds: its settings, the replica (read-only) and its own store."""

    settings: Settings
    replica: object  # data_access.engine.Replica
    store: object  # data_access.app_store.AppStore


def state() -> AppState:
    """The current app's state (inside a request or app context)."""
    return current_app.extensions[STATE_KEY]
