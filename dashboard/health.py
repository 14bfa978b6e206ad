"""Liveness and readiness endpoints: ``/healthz`` (process up) and ``/readyz`` (replica answers)."""
from __future__ import annotations

import logging

from flask import jsonify

from dashboard.extensions import state
from data_access.errors import DataError
from data_access.queries.health import replica_lag_seconds

__all__ = ["init_app", "LAG_WARNING_SECONDS"]

log = logging.getLogger(__name__)
LAG_WARNING_SECONDS = 300


def init_app(server) -> None:
    @server.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @server.get("/readyz")
    def readyz():
        replica = state().replica
        try:
            with replica.connect("readiness") as conn:
                standby, lag = replica_lag_seconds(conn)
            info = replica.info
        except DataError as error:
            log.warning("readyz: replica not ready: %s", error.reason)
            return jsonify(status="unavailable", reason=error.reason), 503
        body = {"status": "ok", "odoo_series": info.series, "standby": standby, "lag_seconds": lag}
        if lag is not None and lag > LAG_WARNING_SECONDS:
            body["status"] = "lagging"
            return jsonify(body), 503
        return jsonify(body)
