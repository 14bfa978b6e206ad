"""Tables of the app's own store (users and the audit log): never part of the Odoo replica."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

__all__ = ["metadata", "app_user", "audit_log", "AUDIT_EVENTS"]

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

AUDIT_EVENTS = (
    "login",
    "login_failed",
    "logout",
    "denied",
    "user_added",
    "user_disabled",
    "role_changed",
    "password_changed",
)
