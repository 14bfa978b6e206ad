"""The one ``before_request`` guard: deny by default, public routes listed, callbacks checked by output.

Signed-out requests: a page GET is sent to ``/login?next=<path>``; Dash endpoints (``/_dash-*``,
``/_reload-hash``) and any non-GET get 401 JSON. Signed-in callback POSTs must be JSON and may
only write components of pages the user's role can open (``roles.page_of_component``); anything
else is refused with 403 and an audit row. Without a user, a wall display's session reaches only its
board (``display_guard``); ``/tv/<token>`` (a display token's exchange) is public.

A malformed callback request never reaches Dash: a body that is not JSON, nests deeper than
``MAX_DEPTH`` or is not in the shape Dash reads (``validation.CallbackRequest``), or whose inputs and
states do not match its callback's count, gets 400; an output no callback writes gets 404. A callback
input that does not pass its declared type (``validation.accepts``) answers 400 too; a missing Dash
component file 404. Each refusal logs one line.
"""
from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlencode

import dash
from dash.exceptions import DependencyException
from flask import current_app, jsonify, redirect, request
from flask_login import current_user
from pydantic import ValidationError

from dashboard.auth.display_guard import display_guard, revoked
from dashboard.auth.display_session import session_status, touch
from dashboard.auth.roles import can_open, page_of_component
from dashboard.extensions import state
from dashboard.validation import NOT_UNDERSTOOD, ROUTER_INPUTS, BadInput, CallbackRequest, first_reason, json_depth

__all__ = ["PUBLIC_PATHS", "DISPLAY_TOKEN_PATH", "is_public", "callback_output_ids", "init_guard", "audit_denied",
           "MAX_DEPTH"]

log = logging.getLogger(__name__)

# Reachable without a session: the login page, health probes and the static CSS the login page uses.
PUBLIC_PATHS = frozenset({"/login", "/healthz", "/readyz", "/assets/00-bootstrap.min.css", "/assets/app.css",
                          "/_favicon.ico"})
_DASH_INTERNAL = ("_dash-", "_reload-hash")
CALLBACK_SUFFIX = "/_dash-update-component"
MAX_DEPTH = 64  # no callback input nests deeper (a plotly clickData is about 5)
DASH_KEY = "odoo_dash_app"  # server.extensions: the Dash app, for its callback map
# Dash's own page router (its inputs are checked with ``validation.ROUTER_INPUTS``).
_ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


# A display token's exchange (``display_views``): the one public path with a variable part, matched whole.
DISPLAY_TOKEN_PATH = re.compile(r"/tv/[A-Za-z0-9_-]{20,100}")


def is_public(path: str) -> bool:
    """True for the explicit public routes only (exact paths: no prefix, so no dot-segment tricks), and a
    display token's exchange URL."""
    return path in PUBLIC_PATHS or DISPLAY_TOKEN_PATH.fullmatch(path) is not None


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


def _malformed(reason: str):
    log.warning("malformed callback request from %s: %s", request.remote_addr, reason)
    return jsonify(error="malformed callback request"), 400


def _read_body():
    """``(body, None)``: the parsed JSON of a callback request in Dash's shape; else ``(None, reason)``."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # json gives up on very deep nesting before Dash would
        return None, "nested too deeply"
    if json_depth(body, MAX_DEPTH) > MAX_DEPTH:
        return None, "nested too deeply"
    try:
        CallbackRequest.model_validate(body)
    except ValidationError as error:
        return None, first_reason(error)
    return body, None


def _dash_callback(body: dict):
    """``(None, None)`` when Dash has a callback for ``body["output"]`` taking its inputs and states, else
    ``(status, reason)``."""
    app = current_app.extensions.get(DASH_KEY)
    if app is None:
        return None, None
    if not app._got_first_request.get("setup_server"):
        # Dash copies the @callback functions into callback_map on a worker's first request, in a hook that runs
        # after this guard: a worker whose first request is a callback (a browser left open across a restart)
        # would otherwise answer 404 to every known callback once.
        app._setup_server()
    callback = app.callback_map.get(body["output"])
    if callback is None or "callback" not in callback:  # a clientside callback has no server function
        return 404, "no callback writes this output"
    written = body["output"][2:-2].split("...") if body["output"].startswith("..") else [body["output"]]
    outputs = body.get("outputs")
    if not callback.get("no_output") and (outputs is None or (len(written) > 1 and (
            not isinstance(outputs, list) or len(outputs) != len(written)))):
        return 400, f"outputs do not match the {len(written)} the output names"
    for part in ("inputs", "state"):
        if len(body.get(part, [])) != len(callback[part]):
            return 400, f"{part}: {len(body.get(part, []))} given for {len(callback[part])}"
    if body["output"] == _ROUTER_OUTPUT:
        try:
            ROUTER_INPUTS.validate_python(body["inputs"][:2])
        except ValidationError as error:
            return 400, f"page router {first_reason(error)}"
    return None, None


def _check_callback(access, may_write=None):
    """None when the callback request may go to Dash, else the refusal. ``may_write(component_id, body)``, when
    given, decides which components ``access`` may write (a display session's rule) instead of its role."""
    if request.mimetype != "application/json":
        return jsonify(error="callbacks must be JSON"), 415
    body, reason = _read_body()
    if body is None:
        return _malformed(reason)
    try:
        ids = callback_output_ids(body)
    except BadCallback as error:
        return _malformed(str(error))
    for component_id in ids:
        page = page_of_component(component_id)
        if page is None:
            audit_denied(access, f"output={_short(component_id)} reason=unknown_output")
            return jsonify(error="forbidden"), 403
        if may_write is not None:
            if not may_write(component_id, body):
                audit_denied(access, f"output={_short(component_id)} page={page or 'shared'} reason=display_session")
                return jsonify(error="forbidden"), 403
        elif page and not can_open(access.role, page):
            audit_denied(access, f"output={_short(component_id)} page={page} reason=forbidden_page")
            return jsonify(error="forbidden"), 403
    status, reason = _dash_callback(body)
    if status == 404:
        log.warning("unknown callback from %s: output=%s", request.remote_addr, _short(body["output"]))
        return jsonify(error="no such callback"), 404
    if status is not None:
        return _malformed(reason)
    return None


def _short(component_id) -> str:
    text = component_id if isinstance(component_id, str) else json.dumps(component_id, sort_keys=True)
    return text[:200]


def guard():
    """Flask ``before_request`` hook: None lets the request through, else the refusal response.

    A signed-in user is checked by role; without one, a display session (``display_session``) by
    ``display_guard``; with neither, the request is signed out."""
    if is_public(request.path):
        return None
    if current_user.is_authenticated:
        if request.method == "POST" and request.path.endswith(CALLBACK_SUFFIX):
            return _check_callback(current_user.access)
        return None
    status, board = session_status()
    if status == "active":
        refusal = display_guard(board, _check_callback)
        if refusal is None:
            touch(board)  # last seen: at most one store write a minute per display and worker
        return refusal
    if status == "revoked":
        return revoked()
    return _signed_out()


def _bad_input(error: BadInput):
    log.warning("bad callback input from %s: %s", request.remote_addr, error.reason)
    return jsonify(error=NOT_UNDERSTOOD), 400


def _missing_file(error: DependencyException):
    log.warning("no such Dash component file: %s", request.path[:200])
    return jsonify(error="not found"), 404


def init_guard(server) -> None:
    """Install the guard as the server's first ``before_request`` hook, and the answers to a callback input
    that does not pass its type (400) and to a Dash component file that does not exist (404)."""
    server.before_request_funcs.setdefault(None, []).insert(0, guard)
    server.register_error_handler(BadInput, _bad_input)
    server.register_error_handler(DependencyException, _missing_file)


@dash.hooks.setup()
def _attach_dash(app) -> None:
    """Every Dash app, as it is built, lets the guard of its server read its callback map."""
    app.server.extensions[DASH_KEY] = app
