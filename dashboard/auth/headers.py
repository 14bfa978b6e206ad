"""Security headers on every response, and ``no-store`` on responses that carry user data.

Content-Security-Policy: everything from this origin only (Dash's files are served locally).
Dash starts its renderer from inline ``<script>``s: once ``use_dash_script_hashes(server, app)``
has been called, only those scripts are allowed (by their sha256, A11); before that, and for a
bare Flask server, inline scripts fall back to 'unsafe-inline'. No 'unsafe-eval': the executive,
plant and work center pages (plotly heat maps and charts) ran without a CSP violation in headless
Chromium without it.
"""
from __future__ import annotations

from flask import request

__all__ = ["csp", "init_headers", "use_dash_script_hashes", "NO_STORE_SUFFIXES"]

NO_STORE_SUFFIXES = ("/_dash-update-component", "/_dash-layout", "/_dash-dependencies", "/login", "/logout")
_HASHES_KEY = "odoo_dash_csp_script_hashes"


def csp(script_sources: str = "'unsafe-inline'") -> str:
    """The Content-Security-Policy value, with ``script_sources`` allowed besides 'self'."""
    return (
        f"default-src 'self'; script-src 'self' {script_sources}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )


def use_dash_script_hashes(server, dash_app) -> None:
    """Allow exactly Dash's inline scripts (``dash_app.csp_hashes()``) instead of 'unsafe-inline'.

    Call after creating the Dash app. The hashes are read per response, because Dash adds the
    pages script during its first-request setup.
    """
    server.extensions[_HASHES_KEY] = dash_app.csp_hashes


def init_headers(server, hsts: bool) -> None:
    """Add the headers to every response of ``server``; ``hsts`` when served over HTTPS only."""

    @server.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        hashes = server.extensions.get(_HASHES_KEY)
        headers.setdefault("Content-Security-Policy", csp(" ".join(hashes()) if hashes else "'unsafe-inline'"))
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.endswith(NO_STORE_SUFFIXES) or response.status_code in (401, 403):
            headers["Cache-Control"] = "no-store"
        return response
