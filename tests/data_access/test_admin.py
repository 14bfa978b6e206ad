"""Tool chores on the real PostgreSQL server: make a database, statistics, size, recorded SQL."""
import pytest
from sqlalchemy import select

from data_access.admin import analyze, database_size, ensure_database, has_odoo_tables, recorded_statements
from data_access.engine import Replica
from data_access.schema import odoo_schema
from helpers.pg import ADMIN_URL, drop_database, worker_suffix

pytestmark = pytest.mark.pg


def test_database_chores_and_recorded_sql():
    name = f"odt_admin_{worker_suffix()}"
    try:
        url = ensure_database(ADMIN_URL, name, recreate=True)
        assert ensure_database(ADMIN_URL, name) == url  # idempotent
        assert not has_odoo_tables(url)
        from sqlalchemy import create_engine

        engine = create_engine(url)
        odoo_schema("17.0").metadata.create_all(engine)
        engine.dispose()
        assert has_odoo_tables(url)
        analyze(url)
        assert database_size(url) > 1_000_000
        replica = Replica(url)
        t = odoo_schema("17.0").res_company
        with recorded_statements(replica.engine) as statements, replica.connect() as conn:
            conn.execute(select(t.c.id).where(t.c.name == "O'Brien; DROP")).all()
        assert any("'O''Brien; DROP'" in s for s in statements)  # inlined and quoted by the driver
        replica.dispose()
    finally:
        drop_database(name)
