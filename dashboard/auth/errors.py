"""Unhandled errors become a plain page with a reference; the traceback goes to the log only."""
from __future__ import annotations

import logging
import secrets

from flask import Response

__all__ = ["init_errors"]

log = logging.getLogger(__name__)


def init_errors(server) -> None:
    """Register the 500 handler on ``server`` (404s stay Dash's: its catch-all route renders pages)."""

    @server.errorhandler(500)
    def _internal_error(error):
        ref = secrets.token_hex(4)
        original = getattr(error, "original_exception", None) or error
        log.error("unhandled error (ref %s)", ref, exc_info=(type(original), original, original.__traceback__))
        body = f"Something went wrong; the error was logged (ref {ref})."
        return Response(body, status=500, mimetype="text/plain", headers={"Cache-Control": "no-store"})
