"""Sign-in throttling (Flask-Limiter): the attacker is slowed, never the account.

Failed sign-ins (answers with status 401) are counted per client address and per (client address,
username), each over several windows (``login_limits_address`` / ``login_limits_user``: a minute, then
longer ones, so an attacker who keeps going waits longer each time). Nothing is counted per username
alone, so wrong passwords sent from elsewhere never stop the real user signing in from their own
address. A request over a limit gets 429 and the sign-in page says how long to wait.

The client address is ``request.remote_addr``: the socket's peer, or the address the configured
number of reverse proxies put in X-Forwarded-For (``proxy_count``, applied with ProxyFix in
``create_app``), never a header a client sent itself.

Counts live in Redis when ``cache_type`` is ``redis`` (shared by every worker; short socket timeouts),
else in each process's memory. Wrong display tokens (``GET /tv/<token>`` answering 404) are counted per
client address the same way, so display tokens cannot be guessed at speed. When Redis does not answer, Flask-Limiter counts in memory until it
is back (one log line each way).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import request
from flask_limiter import Limiter, RequestLimit

from dashboard.settings import Settings

__all__ = ["init_throttle", "client_address", "address_and_username", "wait_text", "LOGIN_ENDPOINT"]

LOGIN_ENDPOINT = "auth.login"
DISPLAY_TOKEN_ENDPOINT = "display.open_display"
REDIS_TIMEOUT_S = 0.5


def client_address() -> str:
    """The client's address as Flask sees it (after ProxyFix when proxies are configured)."""
    return request.remote_addr or "unknown"


def address_and_username() -> str:
    """``"<address>|<username>"`` with the username as the sign-in form normalises it."""
    username = str(request.form.get("username", "")).strip().lower()[:64]
    return f"{client_address()}|{username}"


def _failed(response) -> bool:
    return response.status_code == 401


def wait_text(reset_at: float, now: float | None = None) -> str:
    """How long until ``reset_at`` (epoch seconds), rounded up: '1 minute', '14 minutes', '3 hours'.

    Flask-Limiter's ``reset_at`` is a whole second past the window's end: that second is not counted.
    """
    seconds = reset_at - 1 - (time.time() if now is None else now)
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 120:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def _storage(settings: Settings) -> tuple[str, dict]:
    if settings.cache_type == "redis":
        return settings.cache_url, {"socket_timeout": REDIS_TIMEOUT_S, "socket_connect_timeout": REDIS_TIMEOUT_S}
    return "memory://", {}


def _not_found(response) -> bool:
    return response.status_code == 404


def init_throttle(server, settings: Settings, on_breach: Callable[[str, RequestLimit], object],
                  on_token_breach: Callable[[str, RequestLimit], object] | None = None) -> Limiter:
    """Attach a limiter to ``server`` that throttles failed POSTs to the sign-in view and, with
    ``on_token_breach``, wrong display tokens (404s of ``GET /tv/<token>``) per client address over
    ``login_limits_address``.

    ``on_breach(kind, limit)`` (``kind`` is ``"address"`` or ``"user"``) returns the 429 response.
    Returns the limiter (kept in ``server.extensions["limiter"]`` by Flask-Limiter).
    """
    uri, options = _storage(settings)
    limiter = Limiter(
        client_address,
        storage_uri=uri,
        storage_options=options,
        strategy="moving-window",
        key_prefix=f"{settings.cache_prefix}-login",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.init_app(server)
    watched = {LOGIN_ENDPOINT} | ({DISPLAY_TOKEN_ENDPOINT} if on_token_breach else set())
    limiter.request_filter(lambda: request.endpoint not in watched)  # nothing else is looked at
    view = server.view_functions[LOGIN_ENDPOINT]
    view = limiter.limit(settings.login_limits_user, key_func=address_and_username, methods=["POST"],
                         deduct_when=_failed, on_breach=lambda limit: on_breach("user", limit))(view)
    view = limiter.limit(settings.login_limits_address, key_func=client_address, methods=["POST"],
                         deduct_when=_failed, on_breach=lambda limit: on_breach("address", limit))(view)
    server.view_functions[LOGIN_ENDPOINT] = view
    if on_token_breach is not None:
        token_view = server.view_functions[DISPLAY_TOKEN_ENDPOINT]
        server.view_functions[DISPLAY_TOKEN_ENDPOINT] = limiter.limit(
            settings.login_limits_address, key_func=client_address, methods=["GET"], deduct_when=_not_found,
            on_breach=lambda limit: on_token_breach("token", limit))(token_view)
    return limiter
