"""Database chores for tools (benchmarks, the demo command): never used by the app on a replica.

Make a PostgreSQL database for a demo replica, refresh planner statistics, measure size, and record
the exact SQL a piece of code sends (to re-run it in psql).
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url

__all__ = ["ensure_database", "has_odoo_tables", "analyze", "database_size", "recorded_statements"]


def ensure_database(admin_url: str, name: str, *, recreate: bool = False) -> str:
    """Create PostgreSQL database ``name`` (dropped first when ``recreate``) if missing; return its URL.

    A database name cannot be a bound parameter: psycopg's ``sql.Identifier`` quotes it."""
    from psycopg import sql

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            cursor = conn.connection.driver_connection.cursor()
            if exists and recreate:
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = False
            if not exists:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def has_odoo_tables(url: str) -> bool:
    engine = create_engine(url)
    try:
        return "mrp_production" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def analyze(url: str) -> None:
    """Refresh planner statistics (a live Odoo database has them; a fresh bulk load may not)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def database_size(url: str) -> int:
    """Bytes on disk of a PostgreSQL database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())
    finally:
        engine.dispose()


@contextmanager
def recorded_statements(engine):
    """Collect every statement ``engine`` runs in the block, with its parameters inlined by the
    driver (PostgreSQL/psycopg), as a list of SQL strings ready for psql."""
    import psycopg

    raw: list[tuple[str, object]] = []
    out: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        raw.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        connection = engine.raw_connection()
        try:
            cursor = psycopg.ClientCursor(connection.driver_connection)
            out.extend(cursor.mogrify(s, p) for s, p in raw)
        finally:
            connection.close()
