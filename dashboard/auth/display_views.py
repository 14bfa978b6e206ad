"""``GET /tv/<token>``: a display token becomes this browser's display session, and the token leaves the URL.

A known, active display's token sets the display session cookie and redirects to ``/tv`` (a user signed
in on this browser is signed out of it: the browser is now the display). Any other token gets a plain 404
with nothing to learn from it, an audit row and one log line; failed attempts are throttled per client
address like failed sign-ins (``throttle``), so tokens cannot be guessed at speed.
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, redirect, request, session
from flask_login import current_user, logout_user

from dashboard.auth.display_guard import TV_PATH
from dashboard.auth.display_session import forget, set_cookie
from dashboard.auth.guard import DISPLAY_TOKEN_PATH
from dashboard.extensions import state

__all__ = ["bp", "throttled"]

log = logging.getLogger(__name__)
bp = Blueprint("display", __name__)
NOT_FOUND = "Not found."
THROTTLED = "Too many wrong display addresses from your address. Try again in {wait}."


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@bp.get("/tv/<token>")
def open_display(token: str):
    """Exchange a display token for the display session cookie; redirect to the board."""
    store = state().store
    display = store.displays.by_token(token) if DISPLAY_TOKEN_PATH.fullmatch(request.path) else None
    if display is None:
        store.audit("denied", None, f"reason=bad_display_token prefix={token[:6]}", request.remote_addr)
        log.warning("unknown display token %s... from %s", token[:6], request.remote_addr)
        return _plain(NOT_FOUND, 404)
    user = current_user.user.username if current_user.is_authenticated else None
    if user:
        logout_user()
        session.clear()
    forget(display.id)
    store.audit("display_opened", f"display:{display.id}", f"display={display.id} name={display.name}"
                + (f" signed_out={user}" if user else ""), request.remote_addr)
    response = redirect(TV_PATH, code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    set_cookie(response, display)
    return response


def throttled(kind: str, limit):
    """429 for a client over the limit of wrong display tokens (called by Flask-Limiter before the view)."""
    from dashboard.auth.throttle import wait_text

    wait = wait_text(limit.reset_at)
    state().store.audit("denied", None, f"reason=display_token_throttled limit={limit.limit}", request.remote_addr)
    log.warning("display tokens throttled for %s: over %s, wait %s", request.remote_addr, limit.limit, wait)
    response = _plain(THROTTLED.format(wait=wait), 429)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response
