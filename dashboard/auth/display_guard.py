"""What a display session (a wall TV, no user signed in) may reach: its board and nothing else.

Allowed: ``GET /tv``, the static files and Dash internals the page loads, Dash's page router for ``/tv``,
and callbacks whose every output is a component of page ``tv``. Anything else gets 403 (JSON for Dash
requests and non-GETs, a plain page otherwise) and an audit row. A revoked or rotated display's cookie
gets 401: ``{"error": "display revoked"}`` for Dash requests (the board says so), a plain page for a GET.
"""
from __future__ import annotations

from flask import Response, jsonify, request

from dashboard.auth.display_session import board_access
from dashboard.auth.roles import page_of_component

__all__ = ["display_guard", "revoked", "REVOKED_TEXT", "TV_PATH"]

TV_PATH = "/tv"
REVOKED_TEXT = "This display was revoked, or its token was replaced. Open the display's new URL on this screen."
_STATIC = ("/assets/", "/_dash-component-suites/")
_OPEN_GETS = ("/_dash-layout", "/_dash-dependencies", "/_reload-hash", "/_favicon.ico")


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _dash_request(path: str) -> bool:
    return any(segment.startswith(("_dash-", "_reload-hash")) for segment in path.split("/"))


def revoked() -> Response:
    """The answer to a revoked or rotated display's request."""
    if request.method in ("GET", "HEAD") and not _dash_request(request.path):
        return _plain(REVOKED_TEXT, 401)
    return jsonify(error="display revoked"), 401


def _forbidden(board, detail: str):
    from dashboard.auth.guard import audit_denied

    audit_denied(board_access(board), f"{detail} reason=display_session")
    if request.method in ("GET", "HEAD") and not _dash_request(request.path):
        return _plain("This screen shows its own board only.", 403)
    return jsonify(error="forbidden"), 403


def _router_path(body: dict) -> str | None:
    """The pathname Dash's page router was asked to render (None when the body does not say)."""
    try:
        return str(body["inputs"][0]["value"]).split("?", 1)[0]
    except (KeyError, IndexError, TypeError):
        return None


def display_guard(board, check_callback):
    """``before_request`` for a display session: None lets the request through, else the refusal.

    ``check_callback(may_write)`` is the guard's callback check; ``may_write(component_id, body)`` says
    whether this session may write that component."""
    path = request.path
    if request.method in ("GET", "HEAD"):
        if path == TV_PATH or path.startswith(_STATIC) or path in _OPEN_GETS or path.endswith(_OPEN_GETS):
            return None
        return _forbidden(board, f"get={path[:200]}")
    if request.method == "POST" and path.endswith("/_dash-update-component"):
        def may_write(component_id, body) -> bool:
            page = page_of_component(component_id)
            if page == "tv":
                return True
            return page == "" and component_id in ("_pages_content", "_pages_store") and _router_path(body) == TV_PATH

        return check_callback(board_access(board), may_write)
    return _forbidden(board, f"{request.method.lower()}={path[:200]}")

