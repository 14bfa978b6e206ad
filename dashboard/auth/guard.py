"""The one ``before_request`` guard: deny by default, public routes listed, callbacks checked by output.

Signed-out requests: a page GET is sent to ``/login?next=<path>``; Dash endpoints (``/_dash-*``,
``/_reload-hash``) and any non-GET get 401 JSON. Signed-in callback POSTs must be JSON and may
only write components of pages the user's role can open (``roles.page_of_component``); anything
else is refused with 403 and an audit row.
"""
from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

from flask import jsonify, redirect, request
from flask_login import current_user

from dashboard.auth.roles import can_open, page_of_component
from dashboard.extensions import state

__all__ = ["PUBLIC_PATHS", "is_public", "callback_output_ids", "init_guard", "audit_denied"]

log = logging.getLogger(__name__)

# Reachable without a session: the login page, health probes and the static CSS the login page uses.
PUBLIC_PATHS = frozenset({"/login", "/healthz", "/readyz", "/assets/00-bootstrap.min.css", "/assets/app.css",
                          "/_favicon.ico"})
_DASH_INTERNAL = ("_dash-", "_reload-hash")
CALLBACK_SUFFIX = "/_dash-update-component"


def is_public(path: str) -> bool:
    """True for the explicit public routes only (exact paths: no prefix, so no dot-segment tricks)."""
    return path in PUBLIC_PATHS


def _is_dash_internal(path: str) -> bool:
    return any(segment.startswith(_DASH_INTERNAL) for segment in path.split("/"))


class BadCallback(ValueError):
    """The callback request body does not name its outputs in a form Dash would accept."""


def _parse_output_string(output: str) -> list:
    """Component ids named by Dash's ``output`` string (what Dash dispatches on)."""
    if not isinstance(output, str) or not output:
        raise BadCallback("missing output")
    parts = output[2:-2].split("...") if output.startswith("..") and output.endswith("..") else [output]
    ids = []
    for part in parts:
        id_part, dot, _prop = part.rpartition(".")
        if not dot or not id_part:
            # No property: a no-output callback (a hash), which maps to no page.
            ids.append(None)
            continue
        if id_part.startswith("{"):
            try:
                ids.append(json.loads(id_part.replace("\\.", ".")))
            except ValueError:
                raise BadCallback("bad pattern-matching id") from None
        else:
            ids.append(id_part)
    return ids


def _collect_ids(outputs) -> list:
    """Component ids in ``outputs``: a {id, property} dict, or (nested) lists of them."""
    if isinstance(outputs, dict):
        if "id" not in outputs:
            raise BadCallback("output without id")
        return [outputs["id"]]
    if isinstance(outputs, list):
        return [i for item in outputs for i in _collect_ids(item)]
    raise BadCallback("bad outputs")


def callback_output_ids(body) -> list:
    """Every component id a callback request would write: ``output`` and ``outputs`` together.

    Dash picks the function by ``output``; ``outputs`` reaches the callback context. Both are
    checked so neither can be used to smuggle another page's component. Raises ``BadCallback``.
    """
    if not isinstance(body, dict):
        raise BadCallback("body is not a JSON object")
    ids = _parse_output_string(body.get("output"))
    if "outputs" in body and body["outputs"] is not None:
        ids += _collect_ids(body["outputs"])
    return ids


def audit_denied(access_or_user, detail: str) -> None:
    """Write a 'denied' audit row and a warning log line for the current request."""
    username = getattr(access_or_user, "username", None)
    role = getattr(access_or_user, "role", None)
    log.warning("denied: user=%s role=%s %s path=%s", username, role, detail, request.path)
    try:
        state().store.audit("denied", username, f"{detail} role={role}", request.remote_addr)
    except Exception:  # the refusal stands even when the audit write fails
        log.exception("could not write the audit row for a denial")


def _signed_out():
    path = request.path
    if request.method in ("GET", "HEAD") and not _is_dash_internal(path):
        target = path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")
        return redirect("/login?" + urlencode({"next": target}), code=302)
    return jsonify(error="signed out"), 401


def _check_callback():
    if request.mimetype != "application/json":
        return jsonify(error="callbacks must be JSON"), 415
    body = request.get_json(silent=True)
    try:
        ids = callback_output_ids(body)
    except BadCallback as error:
        log.warning("malformed callback request from %s: %s", request.remote_addr, error)
        return jsonify(error="malformed callback request"), 400
    access = current_user.access
    for component_id in ids:
        page = page_of_component(component_id)
        if page is None:
            audit_denied(access, f"output={_short(component_id)} reason=unknown_output")
            return jsonify(error="forbidden"), 403
        if page and not can_open(access.role, page):
            audit_denied(access, f"output={_short(component_id)} page={page} reason=forbidden_page")
            return jsonify(error="forbidden"), 403
    return None


def _short(component_id) -> str:
    text = component_id if isinstance(component_id, str) else json.dumps(component_id, sort_keys=True)
    return text[:200]


def guard():
    """Flask ``before_request`` hook: None lets the request through, else the refusal response."""
    if is_public(request.path):
        return None
    if not current_user.is_authenticated:
        return _signed_out()
    if request.method == "POST" and request.path.endswith(CALLBACK_SUFFIX):
        return _check_callback()
    return None


def init_guard(server) -> None:
    """Install the guard as the server's first ``before_request`` hook."""
    server.before_request_funcs.setdefault(None, []).insert(0, guard)
