"""Odoo operations dashboards: ``create_app(settings)`` is the only factory."""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import dash
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.settings import Settings

__all__ = ["create_app", "ROOT"]

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def _demo_secret(settings: Settings) -> str:
    """Demo mode only: a random key made once and kept in the instance folder (0600), shared by every
    worker. Written under a temporary name and linked into place, so workers starting together agree."""
    import os
    import secrets

    path = settings.instance_path / "demo-secret-key"
    if not path.exists():
        tmp = path.with_name(f".demo-secret-key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # fails if another worker was first: then its key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the Flask server and the Dash app on it, with every subsystem attached.

    With no replica URL (demo mode) the embedded demo replica is built on first start into the
    instance folder.
    """
    from dashboard import auth, health, shell
    from dashboard.demo import ensure_demo_replica
    from dashboard.extensions import STATE_KEY, AppState, cache
    from data_access.app_store import AppStore
    from data_access.engine import Replica

    settings = (settings or Settings.from_env()).validate()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    if settings.demo_mode:
        ensure_demo_replica(settings)

    server = Flask("dashboard", instance_path=str(settings.instance_path))
    if settings.proxy_count:  # client address and scheme from the configured proxies' headers, no one else's
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count)
    server.config.update(
        SECRET_KEY=settings.secret_key or _demo_secret(settings),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    store = AppStore(settings.effective_store_url)
    store.create_schema()
    if settings.api_only:  # never the demo replica beside the real KPIs: SQL-only views say they need a replica
        from data_access.no_replica import NoReplica

        replica = NoReplica()
    else:
        replica = Replica(settings.effective_replica_url, settings.statement_timeout_ms, pool_size=settings.pool_size)
    if settings.data_path == "api":
        log.info("data path api: KPI results and dimension lists read Odoo's API at %s (database %s) as %s; drills, data "
                 "health and TV activity panels %s", settings.odoo_url, settings.odoo_db, settings.odoo_api_login,
                 "read the replica" if settings.replica_url else "need a replica and say so (none configured)")
    app_state = AppState(settings=settings, replica=replica, store=store)
    server.extensions[STATE_KEY] = app_state
    cache.init_app(server, settings)
    auth.init_app(server, app_state)
    health.init_app(server)

    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        title="Odoo Operations",
        update_title=None,
        # Layouts depend on the signed-in user, so no single validation layout can hold every page's ids.
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    shell.init_app(app)
    auth.use_dash_script_hashes(app.server, app)
    return app
