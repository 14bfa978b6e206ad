"""Throwaway PostgreSQL login roles on a throwaway database, for the replica role tests.

``role_db()`` yields ``(url_as(role), make_role)``: a fresh database with two Odoo-like tables (owned by
postgres) and ``make_role(suffix, *grants)`` that creates a LOGIN role and runs each grant (``{role}`` is
replaced by its name). Roles are cluster-wide: they are dropped, with the database, at the end.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from helpers.pg import admin_engine, drop_database, fresh_database, worker_suffix


@contextmanager
def role_db(prefix: str):
    name = f"{prefix}_{worker_suffix()}"
    url = fresh_database(name)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE res_company (id integer PRIMARY KEY, name varchar)"))
        conn.execute(text("CREATE TABLE mrp_production (id integer PRIMARY KEY, state varchar)"))
        conn.execute(text("INSERT INTO res_company VALUES (1, 'One')"))
    made: list[str] = []

    def make_role(suffix: str, *grants: str) -> str:
        role = f"{prefix}_{suffix}_{worker_suffix()}".lower()
        with admin_engine().connect() as admin:
            admin.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
            admin.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        made.append(role)
        with engine.connect() as conn:
            for grant in grants:
                conn.execute(text(grant.format(role=f'"{role}"')))
        return role

    def url_as(role: str) -> str:
        return make_url(url).set(username=role).render_as_string(hide_password=False)

    try:
        yield url_as, make_role
    finally:
        engine.dispose()
        drop_database(name)
        with admin_engine().connect() as admin:
            for role in made:
                admin.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
