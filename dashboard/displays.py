"""Managing wall displays, for the displays page and ``python -m dashboard displays``: values checked here
(one message per refusal), kept by the app store (``data_access.display_store``), tokens shown once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.auth import display_session
from dashboard.tv_panels import DEFAULT_DWELL_S, DEFAULT_PLAYLIST, DEFAULT_REFRESH_S, MIN_REFRESH_S, PANELS, THEMES, parse_playlist

__all__ = ["DisplayError", "Spec", "spec", "add", "revoke", "rotate", "rows", "display_url", "request_base", "MAX_REFRESH_S"]

MAX_REFRESH_S = display_session.MAX_REFRESH_S
MAX_ID = 2**31 - 1


class DisplayError(ValueError):
    """A display value or request refused; the message says why (safe to show to an admin)."""


@dataclass(frozen=True)
class Spec:
    """A checked display: what the store keeps besides the token."""

    name: str
    site_id: int
    playlist: list[dict]
    refresh_s: int
    theme: str


def spec(name: str, site_id, panels: str | None = None, dwell_s=None, refresh_s=None, theme: str | None = None) -> Spec:
    """The checked values of a new display, or ``DisplayError`` naming the first bad one.

    ``panels``: ``"status,oee:30"`` (default every panel), each for ``dwell_s`` seconds unless it says."""
    name = (name or "").strip()
    if not name or len(name) > 64 or any(ord(c) < 32 for c in name):
        raise DisplayError("A display needs a name of 1 to 64 characters.")
    site = _whole(site_id, "The site", 1, MAX_ID)
    dwell = DEFAULT_DWELL_S if dwell_s in (None, "") else _whole(dwell_s, "The dwell time", 1, 3600)
    try:
        playlist = parse_playlist(panels or ",".join(DEFAULT_PLAYLIST), dwell)
    except ValueError as error:
        raise DisplayError(f"Playlist: {error}.") from None
    refresh = DEFAULT_REFRESH_S if refresh_s in (None, "") else _whole(refresh_s, "The refresh interval", MIN_REFRESH_S, MAX_REFRESH_S)
    theme = theme or THEMES[0]
    if theme not in THEMES:
        raise DisplayError(f"The theme is one of {', '.join(THEMES)}.")
    return Spec(name, site, playlist, refresh, theme)


def _whole(value, what: str, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise DisplayError(f"{what} must be a whole number from {low} to {high}.")
    return number


def _store(store):
    if store is not None:
        return store
    from dashboard.extensions import state

    return state().store


def add(checked: Spec, company_id: int | None, actor: str, store=None):
    """Add an active display; return it and its token (shown this once)."""
    return _store(store).displays.add(checked.name, checked.site_id, company_id, checked.playlist, checked.refresh_s,
                                      checked.theme, actor=actor)


def _change(action: str, display_id, actor: str, store):
    from data_access.display_store import UnknownDisplay

    number = _whole(display_id, "The display id", 1, MAX_ID)
    try:
        result = getattr(_store(store).displays, action)(number, actor=actor)
    except UnknownDisplay:
        raise DisplayError(f"No active display {number}.") from None
    display_session.forget(number)  # this worker sees the change at once
    return result


def revoke(display_id, actor: str, store=None):
    """Revoke the active display: its board stops at its next refresh. Returns it."""
    return _change("revoke", display_id, actor, store)


def rotate(display_id, actor: str, store=None):
    """Give the active display a new token (the old one and its sessions stop); return it and the token."""
    return _change("rotate", display_id, actor, store)


def request_base() -> str:
    """This request's scheme and host (``https://ops.example.com``): the base of URLs shown in the browser."""
    from flask import request

    return request.host_url.rstrip("/")


def display_url(token: str, base: str = "") -> str:
    """The URL a display opens: ``<base>/tv/<token>`` (a path when ``base`` is empty)."""
    return f"{base.rstrip('/')}/tv/{token}"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def rows(store=None, site_names: dict[int, str] | None = None) -> list[dict]:
    """One plain row per display (never a token): id, name, site, playlist, refresh, theme, status, token prefix,
    last seen (UTC), active first."""
    names = site_names or {}
    return [{
        "id": d.id, "name": d.name, "site_id": d.site_id, "site": names.get(d.site_id, f"site {d.site_id}"),
        "playlist": ", ".join(f"{p['panel']}:{p['dwell_s']}" for p in d.playlist),
        "panels": ", ".join(PANELS.get(p["panel"], p["panel"]) for p in d.playlist),
        "refresh_s": d.refresh_s, "theme": d.theme, "status": "active" if d.active else "revoked",
        "token": f"{d.token_prefix}…", "last_seen": _when(d.last_seen_at), "created": _when(d.created_at),
    } for d in _store(store).displays.list()]
