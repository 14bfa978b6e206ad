"""Tables of the app's own store (users, wall displays and the audit log): never part of the Odoo replica.

The schema is changed only by the Alembic migrations in ``data_access/migrations`` (``store_migrations``);
these definitions are what the newest migration leaves, for the store's queries to use.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

__all__ = ["metadata", "app_user", "audit_log", "display", "AUDIT_EVENTS"]

metadata = MetaData()

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    # JSON lists of ids as text; NULL means "all companies" / "all sites".
    Column("company_ids", Text, nullable=True),
    Column("warehouse_ids", Text, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_login_at", DateTime, nullable=True),
    # Bumped when the user is disabled, changes role/scope or password: ends every open session.
    Column("auth_epoch", Integer, nullable=False, default=0),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("username", String(64), nullable=True, index=True),
    Column("event", String(32), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("remote_addr", String(64), nullable=True),
)

display = Table(
    "display",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("site_id", Integer, nullable=False),  # stock.warehouse id on the replica
    Column("company_id", Integer, nullable=True),  # the site's res.company (NULL: not known when added)
    Column("playlist", Text, nullable=False),  # JSON [{"panel": key, "dwell_s": seconds}, ...]
    Column("refresh_s", Integer, nullable=False),
    Column("theme", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    # Only a SHA-256 of the token is kept; the prefix (a few characters of it) tells tokens apart in lists.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("token_prefix", String(8), nullable=False),
    # Bumped by every rotation: display session cookies carry it, so an old cookie stops working.
    Column("token_generation", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("token_rotated_at", DateTime, nullable=True),
    Column("revoked_at", DateTime, nullable=True),
    Column("last_seen_at", DateTime, nullable=True),
)

AUDIT_EVENTS = (
    "login",
    "login_failed",
    "logout",
    "denied",
    "user_added",
    "user_disabled",
    "role_changed",
    "password_changed",
    "display_added",
    "display_revoked",
    "display_rotated",
    "display_opened",
)
