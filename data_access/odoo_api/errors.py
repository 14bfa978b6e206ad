"""Every failure of the Odoo API client as one exception class with a message safe to show a user.

``transient`` errors (connection refused or reset, HTTP 502/503/504 from a proxy in front of Odoo) are
the only ones the client retries. No message carries a password, a session id or the URL's user info.
"""
from __future__ import annotations

__all__ = [
    "OdooApiError",
    "OdooUnavailable",
    "OdooTimeout",
    "UnknownDatabase",
    "WrongCredentials",
    "ModelAccessDenied",
    "UnsupportedVersion",
    "OdooServerError",
]


class OdooApiError(Exception):
    """Base class; ``str(error)`` is one line a user may read."""

    transient = False


class OdooUnavailable(OdooApiError):
    """The server could not be reached (refused, reset, DNS) or a proxy answered 502/503/504."""

    transient = True


class OdooTimeout(OdooUnavailable):
    """The server accepted the connection but did not answer within the call timeout. Not retried:
    a silent server would only make the caller wait several times as long."""

    transient = False


class UnknownDatabase(OdooApiError):
    """The Odoo server has no database by that name."""


class WrongCredentials(OdooApiError):
    """Odoo refused the login and password (or API key)."""


class ModelAccessDenied(OdooApiError):
    """The signed-in Odoo user may not read this model (Odoo's AccessError)."""

    def __init__(self, model: str, detail: str = ""):
        super().__init__(f"the Odoo user may not read {model}" + (f" ({detail})" if detail else ""))
        self.model = model


class UnsupportedVersion(OdooApiError):
    """The server runs an Odoo series this app does not support (only 17 and 18)."""


class OdooServerError(OdooApiError):
    """Any other error Odoo answered with (its exception name and first line)."""
