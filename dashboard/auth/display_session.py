"""Display sessions: a wall TV's board, from a signed cookie checked against the app store on each request.

``/tv/<token>`` (``display_views``) exchanges a display token for the cookie ``COOKIE``: the display's id and
token generation, signed with the app's secret key (itsdangerous, its own salt). The cookie carries no
token and never expires while the display is active (a long max-age, refreshed on use); revoking the
display or rotating its token ends it at the display's next request, within ``LOOKUP_TTL_S`` (each
worker keeps a store lookup that long).

Users (not displays) open boards with ``/tv?display=<id>`` (admins: a display's board) or
``/tv?site=<id>[&panels=a,b][&dwell=S][&refresh=S]`` (a site in their scope): ``board_for_user``.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.auth.access import Access
from dashboard.extensions import state
from dashboard.tv_panels import DEFAULT_DWELL_S, DEFAULT_PLAYLIST, DEFAULT_REFRESH_S, MIN_DWELL_S, MIN_REFRESH_S, parse_playlist

__all__ = ["Board", "current_board", "board_access", "board_for_user", "touch", "session_status", "is_display_access",
           "set_cookie", "board_of", "COOKIE", "LOOKUP_TTL_S", "forget"]

log = logging.getLogger(__name__)

COOKIE = "odoo_dash_display"
COOKIE_MAX_AGE_S = 400 * 86400  # the longest a browser keeps a cookie; refreshed daily while the display runs
REFRESH_COOKIE_AFTER_S = 86400
LOOKUP_TTL_S = 5.0
SEEN_EVERY = timedelta(minutes=1)
MAX_REFRESH_S = 3600
_SALT = "odoo-dash-display-session"
_USERNAME_PREFIX = "display:"
NOT_FOUND = "No board here: that site or display is not in your scope."

_lookups: dict[tuple[str, int], tuple[float, object]] = {}
_seen: dict[tuple[str, int], float] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Board:
    """What a TV board shows: one site, a playlist of panels with their dwell times, a refresh interval."""

    display_id: int | None
    name: str
    site_id: int
    company_id: int | None
    playlist: tuple[dict, ...]  # ({"panel": key, "dwell_s": int}, ...)
    refresh_s: int
    theme: str
    preview: bool  # a user viewing the board, not a wall display


def board_of(display, preview: bool = False) -> Board:
    """The board of a stored display (``data_access.display_store.Display``)."""
    return Board(display.id, display.name, display.site_id, display.company_id, tuple(display.playlist), display.refresh_s,
                 display.theme, preview)


def board_access(board: Board) -> Access:
    """The access a board reads data with: the plant role scoped to its site (and its company when known), so
    every TV of a site shares the same cache keys."""
    who = board.display_id if board.display_id is not None else f"site{board.site_id}"
    companies = None if board.company_id is None else (int(board.company_id),)
    return Access(0, f"{_USERNAME_PREFIX}{who}", "plant", companies, (int(board.site_id),))


def is_display_access(access: Access | None) -> bool:
    """True for the access of a display session (no user can be named ``display:...``)."""
    return access is not None and access.user_id == 0 and access.username.startswith(_USERNAME_PREFIX)


# --- the cookie ---------------------------------------------------------------------------------------------
def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def set_cookie(response, display) -> None:
    """Put the display session cookie of ``display`` (id and token generation) on ``response``."""
    value = _serializer().dumps({"d": int(display.id), "g": int(display.token_generation)})
    response.set_cookie(COOKIE, value, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="Lax",
                        secure=bool(state().settings.secure_cookies), path="/")


def _claim() -> tuple[int, int, float] | None:
    """``(display id, generation, signed at)`` from the request's cookie, or None (none, forged or malformed)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data, signed_at = _serializer().loads(raw, return_timestamp=True)
        return int(data["d"]), int(data["g"]), signed_at.timestamp()
    except (BadSignature, KeyError, TypeError, ValueError):
        log.warning("display session cookie with a bad signature or shape from %s", request.remote_addr)
        return None


# --- the store lookup, cached a few seconds per worker --------------------------------------------------------
def _lookup(display_id: int):
    store = state().store
    key, now = (store.url, display_id), time.monotonic()
    with _lock:
        hit = _lookups.get(key)
    if hit is not None and now - hit[0] < LOOKUP_TTL_S:
        return hit[1]
    display = store.displays.get(display_id)
    with _lock:
        _lookups[key] = (now, display)
    return display


def forget(display_id: int | None = None) -> None:
    """Drop this worker's cached lookups (of one display, or all): a change made here is seen at once."""
    with _lock:
        for key in [k for k in _lookups if display_id is None or k[1] == display_id]:
            del _lookups[key]


def session_status() -> tuple[str, Board | None]:
    """``("none", None)`` without a (valid) display cookie, ``("revoked", None)`` for a display revoked or
    whose token was rotated since, ``("active", board)`` otherwise. Worked out once per request."""
    if "display_session" not in g:
        g.display_session = _status()
    return g.display_session


def _status() -> tuple[str, Board | None]:
    claim = _claim()
    if claim is None:
        return "none", None
    display_id, generation, signed_at = claim
    display = _lookup(display_id)
    if display is None or not display.active or display.token_generation != generation:
        return "revoked", None
    g.display_cookie_age = time.time() - signed_at
    g.display_row = display
    return "active", board_of(display)


def current_board() -> Board | None:
    """The request's display session's board, or None (no request, no display session, revoked or rotated)."""
    if not has_request_context():
        return None
    status, board = session_status()
    return board if status == "active" else None


def refresh_cookie(response):
    """``after_request``: a display session's cookie older than a day is signed again (a new max-age)."""
    if g.get("display_session", ("none",))[0] == "active" and g.get("display_cookie_age", 0) > REFRESH_COOKIE_AFTER_S:
        set_cookie(response, g.display_row)
    return response


def touch(board: Board) -> None:
    """Record that the display's board was refreshed (at most one store write a minute per display and worker)."""
    if board.display_id is None or board.preview:
        return
    store = state().store
    key, now = (store.url, board.display_id), time.monotonic()
    with _lock:
        if now - _seen.get(key, -1e9) < SEEN_EVERY.total_seconds():
            return
        _seen[key] = now
    try:
        store.displays.seen(board.display_id, SEEN_EVERY)
    except Exception:  # last seen is a convenience: the board goes on
        log.exception("could not record display %s as seen", board.display_id)


# --- users' boards --------------------------------------------------------------------------------------------
def _one(query: dict, name: str) -> str | None:
    value = query.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value).strip()


def _whole(text: str | None, name: str, low: int, high: int, default: int) -> int:
    if text in (None, ""):
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{name} must be a whole number of seconds from {low} to {high}")
    return int(text)


def _refuse(access: Access, detail: str) -> tuple[None, str]:
    from dashboard.auth.guard import audit_denied

    audit_denied(access, f"page=tv {detail}")
    return None, NOT_FOUND


def board_for_user(access: Access, query: dict) -> tuple[Board | None, str | None]:
    """A signed-in user's board from the /tv query: ``(board, None)`` or ``(None, message)``.

    ``display=<id>``: an admin's preview of that active display. ``site=<id>`` (default: the first site in
    the user's scope) with optional ``panels`` (``status,oee:30``), ``dwell`` and ``refresh`` seconds: a
    board of a site in the user's company and site scope. Anything else is "not found" with an audit row.
    """
    from dashboard import service

    display_text, site_text = _one(query, "display"), _one(query, "site")
    if display_text is not None:
        if access.role != "admin" or not display_text.isdigit():
            return _refuse(access, f"display={display_text[:20]} reason=preview_not_allowed")
        display = state().store.displays.get(int(display_text))
        if display is None or not display.active:
            return None, "That display does not exist or was revoked."
        return board_of(display, preview=True), None
    try:
        sites = service.sites(access, service.today(), 1)
    except service.DataError as error:
        return None, error.user_message
    if site_text is None:
        if not sites:
            return None, "No site is in your scope."
        site_text = str(min(sites))
    if not site_text.isdigit() or int(site_text) not in sites:
        return _refuse(access, f"site={site_text[:20]} reason=site_out_of_scope")
    site_id = int(site_text)
    try:
        dwell = _whole(_one(query, "dwell"), "dwell", MIN_DWELL_S, 3600, DEFAULT_DWELL_S)
        playlist = parse_playlist(_one(query, "panels") or ",".join(DEFAULT_PLAYLIST), dwell)
        refresh = _whole(_one(query, "refresh"), "refresh", MIN_REFRESH_S, MAX_REFRESH_S, DEFAULT_REFRESH_S)
    except ValueError as error:
        return None, str(error)
    site = sites[site_id]
    return Board(None, site.get("name") or f"Site {site_id}", site_id, site.get("company_id"), tuple(playlist), refresh,
                 "dark", True), None
