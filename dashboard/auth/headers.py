"""Security headers on every response, and ``no-store`` on responses that carry user data.

The CSP allows 'unsafe-inline' scripts because Dash's index page starts its renderer from an
inline ``<script>``, and 'unsafe-eval' because plotly.js's regular bundle builds some functions
at run time (WebGL traces, number formatting). Everything is still limited to this origin
(no CDN: the app serves Dash's files locally).
"""
from __future__ import annotations

from flask import request

__all__ = ["CSP", "init_headers", "NO_STORE_SUFFIXES"]

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
NO_STORE_SUFFIXES = ("/_dash-update-component", "/_dash-layout", "/_dash-dependencies", "/login", "/logout")


def init_headers(server, hsts: bool) -> None:
    """Add the headers to every response of ``server``; ``hsts`` when served over HTTPS only."""

    @server.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.endswith(NO_STORE_SUFFIXES) or response.status_code in (401, 403):
            headers["Cache-Control"] = "no-store"
        return response
