"""Extensions created unbound and attached in ``create_app``; per-app state reached through Flask."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import LoginManager

from dashboard.cache import Cache
from dashboard.settings import Settings

__all__ = ["cache", "login_manager", "AppState", "state", "ResultCache"]

STATE_KEY = "odoo_dash"
CACHE_KEY = "odoo_dash_cache"


class ResultCache:
    """The data API's cache (``dashboard.cache.Cache``), attached per app by ``init_app(server, settings)``."""

    def init_app(self, app, settings: Settings) -> Cache:
        app.extensions[CACHE_KEY] = bound = Cache.from_settings(settings)
        return bound

    @property
    def current(self) -> Cache:
        """The current app's cache (inside a request or app context)."""
        return current_app.extensions[CACHE_KEY]


cache = ResultCache()
login_manager = LoginManager()


@dataclass
class AppState:
    """What one app instance holds: its settings, the replica (read-only) and its own store."""

    settings: Settings
    replica: object  # data_access.engine.Replica
    store: object  # data_access.app_store.AppStore


def state() -> AppState:
    """The current app's state (inside a request or app context)."""
    return current_app.extensions[STATE_KEY]
