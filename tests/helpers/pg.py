"""The PostgreSQL server the tests use for real (never skipped: the replica is PostgreSQL)."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("ODOO_DASH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def worker_suffix() -> str:
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def admin_engine():
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


def fresh_database(name: str) -> str:
    """Drop and create database ``name``; return its URL. Raises if the server is not reachable."""
    eng = admin_engine()
    try:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        eng.dispose()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    eng = admin_engine()
    try:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        eng.dispose()
