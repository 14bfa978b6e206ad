"""Authentication and authorisation, server side and deny by default.

``init_app(server, app_state)`` attaches flask-login, the sign-in views, the request guard, sign-in
throttling, the security headers and the error page. Pages and callbacks ask ``page_access(page)`` /
``@guarded(page)``; nothing here trusts what the browser says about who it is.
"""
from __future__ import annotations

import functools
import hashlib
import logging
from datetime import timedelta

from dash.exceptions import PreventUpdate
from flask import has_request_context, request
from flask_login import current_user

from dashboard.auth import display_session, display_views
from dashboard.auth.access import Access
from dashboard.auth.errors import init_errors
from dashboard.auth.guard import audit_denied, init_guard
from dashboard.auth.headers import init_headers, use_dash_script_hashes
from dashboard.auth.roles import PAGE_ROLES, can_open
from dashboard.auth.throttle import init_throttle
from dashboard.auth.users import LoginUser, load_user  # noqa: F401 (registers the user loader)
from dashboard.auth.views import bp, throttled
from dashboard.extensions import STATE_KEY, login_manager

__all__ = ["init_app", "use_dash_script_hashes", "current_access", "page_access", "guarded"]

log = logging.getLogger(__name__)


def _session_identifier() -> str:
    """Client fingerprint for 'strong' session protection: the address Flask sees (after ProxyFix,
    never a client-sent X-Forwarded-For) and the browser's User-Agent."""
    base = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha512(base.encode("utf-8", "replace")).hexdigest()


def init_app(server, app_state) -> None:
    """Attach authentication to the Flask ``server``; in demo mode create and print the demo users."""
    settings = app_state.settings
    server.extensions.setdefault(STATE_KEY, app_state)
    lifetime = timedelta(hours=settings.session_hours)
    server.config.update(
        PERMANENT_SESSION_LIFETIME=lifetime,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_DURATION=lifetime,
        SESSION_PROTECTION="strong",
    )
    if not server.config.get("SECRET_KEY"):
        server.config["SECRET_KEY"] = settings.secret_key
    login_manager.init_app(server)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager._session_identifier_generator = _session_identifier
    server.register_blueprint(bp)
    server.register_blueprint(display_views.bp)
    server.after_request(display_session.refresh_cookie)
    init_guard(server)
    init_throttle(server, settings, on_breach=throttled, on_token_breach=display_views.throttled)
    init_headers(server, hsts=settings.secure_cookies)
    init_errors(server)
    if settings.demo_mode:
        users = app_state.store.ensure_demo_users()
        print("Demo mode: sign in as one of these users (password 'demo'):")
        for username, role in users:
            print(f"  {username:<8} / demo / {role}")


def current_access() -> Access | None:
    """The signed-in user's role and scope for this request; without a user, a display session's
    (``display_session.board_access``: the plant role on the display's site); else None."""
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated:
        return current_user.access
    board = display_session.current_board()
    return None if board is None else display_session.board_access(board)


def _may_open(access: Access | None, page: str) -> bool:
    """A user by role; a display session its board only."""
    if access is None or not can_open(access.role, page):
        return False
    return page == "tv" or not display_session.is_display_access(access)


def page_access(page: str) -> tuple[Access | None, str | None]:
    """``(access, None)`` when the current user may open ``page``, else ``(None, reason)``.

    ``reason`` is ``"signed_out"`` or ``"forbidden"`` (a forbidden attempt is audited).
    """
    access = current_access()
    if access is None:
        return None, "signed_out"
    if not _may_open(access, page):
        audit_denied(access, f"page={page} reason=forbidden_page")
        return None, "forbidden"
    return access, None


def guarded(page: str):
    """Decorate a Dash callback of ``page``: re-check the role on the server, inject ``access=``.

    The wrapped function takes ``access`` as a keyword-only argument. A user who may not open
    ``page`` (or no user) gets ``PreventUpdate`` and an audit row; the function is not called.
    """
    if page not in PAGE_ROLES:
        raise ValueError(f"unknown page {page!r}")

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            access = current_access()
            if not _may_open(access, page):
                if has_request_context():
                    audit_denied(access, f"callback={func.__name__} page={page} reason=forbidden_callback")
                raise PreventUpdate
            return func(*args, access=access, **kwargs)

        return wrapper

    return decorate
