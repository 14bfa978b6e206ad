"""The app store of the first release, exactly as it made it (``metadata.create_all`` of its
``data_access/app_store_schema.py``, before migrations existed): users and the audit log, no
``alembic_version``. Frozen here so the migration tests start from what real deployments have."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, insert

metadata = MetaData()

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    Column("company_ids", Text, nullable=True),
    Column("warehouse_ids", Text, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_login_at", DateTime, nullable=True),
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


def make_first_release_store(url: str, password_hash: str) -> None:
    """Create the first release's tables at ``url`` and fill them: three users (one scoped, one disabled) and
    their audit rows."""
    engine = create_engine(url)
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(app_user), [
                dict(username="ann", password_hash=password_hash, role="plant", company_ids="[1]", warehouse_ids="[3]",
                     active=True, created_at=datetime(2026, 1, 5, 8), last_login_at=datetime(2026, 3, 1, 7, 30), auth_epoch=2),
                dict(username="boss", password_hash=password_hash, role="admin", company_ids=None, warehouse_ids=None,
                     active=True, created_at=datetime(2026, 1, 5, 8), last_login_at=None, auth_epoch=0),
                dict(username="gone", password_hash=password_hash, role="finance", company_ids=None, warehouse_ids=None,
                     active=False, created_at=datetime(2026, 1, 6, 9), last_login_at=None, auth_epoch=1),
            ])
            conn.execute(insert(audit_log), [
                dict(at=datetime(2026, 1, 5, 8), username="ann", event="user_added", detail="role=plant", remote_addr=None),
                dict(at=datetime(2026, 3, 1, 7, 30), username="ann", event="login", detail="", remote_addr="10.0.0.7"),
                dict(at=datetime(2026, 3, 2, 9), username="gone", event="user_disabled", detail="by=cli", remote_addr=None),
            ])
    finally:
        engine.dispose()
