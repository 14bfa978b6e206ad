"""Wall displays in the app store: their site, playlist and refresh, and their token, kept only as a hash.

A token (``secrets.token_urlsafe(32)``: 256 random bits) is returned once, by ``add`` and ``rotate``; the
store keeps its SHA-256 and its first characters (to tell tokens apart in lists, useless for guessing the
rest). Revoking deactivates the display; rotating replaces its token and bumps its generation, which
display session cookies carry, so every session opened with the old token ends. Times are naive UTC.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from data_access.app_store_schema import display

__all__ = ["DisplayStore", "Display", "UnknownDisplay", "new_token", "token_hash", "PREFIX_LENGTH"]

PREFIX_LENGTH = 6
_NAME_MAX = 64


class UnknownDisplay(LookupError):
    """No display by that id (or it is revoked, for changes that need an active one)."""


@dataclass(frozen=True)
class Display:
    """One display, without its token. ``playlist``: ``({"panel": key, "dwell_s": seconds}, ...)``."""

    id: int
    name: str
    site_id: int
    company_id: int | None
    playlist: tuple[dict, ...]
    refresh_s: int
    theme: str
    active: bool
    token_prefix: str
    token_generation: int
    created_at: datetime
    token_rotated_at: datetime | None
    revoked_at: datetime | None
    last_seen_at: datetime | None


def new_token() -> str:
    """A fresh display token: 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The hex SHA-256 the store keeps of ``token``."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _display(row) -> Display:
    return Display(
        id=row.id, name=row.name, site_id=row.site_id, company_id=row.company_id,
        playlist=tuple(json.loads(row.playlist)), refresh_s=int(row.refresh_s), theme=row.theme, active=bool(row.active),
        token_prefix=row.token_prefix, token_generation=int(row.token_generation), created_at=row.created_at,
        token_rotated_at=row.token_rotated_at, revoked_at=row.revoked_at, last_seen_at=row.last_seen_at,
    )


class DisplayStore:
    """The displays of one ``AppStore`` (its engine and audit log). Values are checked by the caller
    (``dashboard.displays``): this layer stores them."""

    def __init__(self, store):
        self._store = store

    def add(self, name: str, site_id: int, company_id: int | None, playlist: list[dict], refresh_s: int, theme: str,
            actor: str | None = None) -> tuple[Display, str]:
        """Create an active display; return it and its token (the only time the token is seen)."""
        token = new_token()
        values = dict(
            name=str(name).strip()[:_NAME_MAX], site_id=int(site_id), company_id=None if company_id is None else int(company_id),
            playlist=json.dumps([{"panel": str(p["panel"]), "dwell_s": int(p["dwell_s"])} for p in playlist]),
            refresh_s=int(refresh_s), theme=str(theme), active=True, token_hash=token_hash(token),
            token_prefix=token[:PREFIX_LENGTH], token_generation=1, created_at=_now(),
        )
        with self._store.engine.begin() as conn:
            display_id = conn.execute(insert(display).values(**values).returning(display.c.id)).scalar_one()
            self._store._audit(conn, "display_added", actor, f"display={display_id} name={values['name']} site={site_id}")
            row = conn.execute(select(display).where(display.c.id == display_id)).one()
        return _display(row), token

    def get(self, display_id: int) -> Display | None:
        """The display with this id (active or not), or None."""
        with self._store.engine.connect() as conn:
            row = conn.execute(select(display).where(display.c.id == int(display_id))).first()
        return _display(row) if row else None

    def by_token(self, token: str) -> Display | None:
        """The active display whose token this is, or None."""
        with self._store.engine.connect() as conn:
            row = conn.execute(select(display).where(display.c.token_hash == token_hash(token),
                                                     display.c.active.is_(True))).first()
        return _display(row) if row else None

    def list(self) -> list[Display]:
        """Every display, active first, then by name."""
        with self._store.engine.connect() as conn:
            rows = conn.execute(select(display).order_by(display.c.active.desc(), display.c.name, display.c.id)).all()
        return [_display(r) for r in rows]

    def revoke(self, display_id: int, actor: str | None = None) -> Display:
        """Deactivate the display: its token and sessions stop working. Raises ``UnknownDisplay``."""
        with self._store.engine.begin() as conn:
            done = conn.execute(update(display).where(display.c.id == int(display_id), display.c.active.is_(True))
                                .values(active=False, revoked_at=_now()))
            if done.rowcount == 0:
                raise UnknownDisplay(f"no active display {display_id}")
            self._store._audit(conn, "display_revoked", actor, f"display={display_id}")
            row = conn.execute(select(display).where(display.c.id == int(display_id))).one()
        return _display(row)

    def rotate(self, display_id: int, actor: str | None = None) -> tuple[Display, str]:
        """Give the active display a new token and end the sessions of the old one; return it and the token."""
        token = new_token()
        with self._store.engine.begin() as conn:
            done = conn.execute(
                update(display).where(display.c.id == int(display_id), display.c.active.is_(True))
                .values(token_hash=token_hash(token), token_prefix=token[:PREFIX_LENGTH],
                        token_generation=display.c.token_generation + 1, token_rotated_at=_now()))
            if done.rowcount == 0:
                raise UnknownDisplay(f"no active display {display_id}")
            self._store._audit(conn, "display_rotated", actor, f"display={display_id}")
            row = conn.execute(select(display).where(display.c.id == int(display_id))).one()
        return _display(row), token

    def seen(self, display_id: int, every: timedelta = timedelta(minutes=1)) -> bool:
        """Stamp the display's last-seen time unless it was stamped less than ``every`` ago; True if stamped."""
        now = _now()
        with self._store.engine.begin() as conn:
            done = conn.execute(update(display).where(
                display.c.id == int(display_id),
                (display.c.last_seen_at.is_(None)) | (display.c.last_seen_at < now - every)).values(last_seen_at=now))
        return done.rowcount > 0
