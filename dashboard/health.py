"""Liveness and readiness endpoints: ``/healthz`` (process up) and ``/readyz`` (replica answers, its role
is read-only), and the replica role check at start (``startup_refusal``)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app, jsonify

from dashboard.extensions import STATE_KEY, state
from data_access.errors import DataError
from data_access.queries.health import replica_lag_seconds
from data_access.replica_role import check_role

__all__ = ["init_app", "LAG_WARNING_SECONDS", "check_replica_role", "replica_role", "startup_refusal"]

log = logging.getLogger(__name__)
LAG_WARNING_SECONDS = 300
ROLE_KEY = "odoo_dash.replica_role"
ALLOW_ENV = "ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE"


def check_replica_role(server) -> dict | None:
    """Check the replica's role now and record the result on ``server`` (for ``/readyz`` and the data
    health page). Returns ``RoleCheck.as_dict()`` plus ``allowed`` (the setting) and ``checked_at``, or None
    on SQLite. Raises ``DataError`` when the replica does not answer."""
    app_state = server.extensions[STATE_KEY]
    with app_state.replica.connect("checking the replica role") as conn:
        check = check_role(conn)
    record = None if check is None else {
        **check.as_dict(), "allowed": app_state.settings.allow_writable_replica_role,
        "checked_at": datetime.now(UTC).replace(microsecond=0).isoformat()}
    server.extensions[ROLE_KEY] = record
    return record


def replica_role() -> dict | None:
    """The current app's last recorded role check; checked now if none is recorded (None: SQLite, or the
    replica does not answer)."""
    server = current_app
    if ROLE_KEY in server.extensions:
        return server.extensions[ROLE_KEY]
    try:
        return check_replica_role(server)
    except DataError:
        return None


def startup_refusal(app) -> str | None:
    """At start (``run`` and the WSGI module): the one-line reason not to serve, or None.

    A role that can write refuses unless ``allow_writable_replica_role`` is set (then one warning line).
    A replica that does not answer yet lets the app start (it recovers by itself): ``/readyz`` checks
    the role once the replica answers and stays unready while a refused role can write.
    """
    if app.server.extensions[STATE_KEY].settings.api_only:
        return None  # no replica: nothing can write through the API path's read calls
    try:
        record = check_replica_role(app.server)
    except DataError as error:
        log.warning("replica role not checked at start (%s): /readyz checks it once the replica answers", error.reason)
        return None
    if record is None:
        return None
    if not record["can_write"]:
        log.info("%s", record["reason"])
        return None
    if record["allowed"]:
        log.warning("%s; starting anyway because %s is set", record["reason"], ALLOW_ENV)
        return None
    return (f"{record['reason']}: refusing to start. Connect with a SELECT-only role (README: A SELECT-only "
            f"replica role) or set {ALLOW_ENV}=true")


def init_app(server) -> None:
    @server.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @server.get("/readyz")
    def readyz():
        if state().settings.api_only:
            return _api_ready()
        replica = state().replica
        try:
            with replica.connect("readiness") as conn:
                standby, lag = replica_lag_seconds(conn)
            info = replica.info
            role = check_replica_role(server)
        except DataError as error:
            log.warning("readyz: replica not ready: %s", error.reason)
            return jsonify(status="unavailable", reason=error.reason), 503
        body = {"status": "ok", "odoo_series": info.series, "standby": standby, "lag_seconds": lag}
        if role is not None:
            body["replica_role"] = {k: role[k] for k in ("role", "can_write", "allowed", "reason")}
            if role["can_write"] and not role["allowed"]:
                body["status"] = "writable_role"
                return jsonify(body), 503
        if lag is not None and lag > LAG_WARNING_SECONDS:
            body["status"] = "lagging"
            return jsonify(body), 503
        return jsonify(body)


def _api_ready():
    """``/readyz`` of a deployment on Odoo's API without a replica: ready once Odoo's version and apps are read
    as the API user (read once per process, then cached)."""
    from dashboard.service import kpi_source

    try:
        info = kpi_source().info
    except DataError as error:
        log.warning("readyz: Odoo API not ready: %s", error.reason)
        return jsonify(status="unavailable", reason=error.reason), 503
    return jsonify(status="ok", data_path="api", odoo_series=info.series)
