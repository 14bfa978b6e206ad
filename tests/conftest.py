"""Shared fixtures: Odoo-shaped test databases on SQLite and on the real PostgreSQL server."""
from __future__ import annotations

import pytest

from helpers.odoo_db import OdooTestDB
from helpers.pg import drop_database, fresh_database, worker_suffix

BACKENDS = [("sqlite", "17.0"), ("sqlite", "18.0"), ("postgresql", "17.0"), ("postgresql", "18.0")]


@pytest.fixture(scope="session")
def _pg_odoo_dbs():
    """One PostgreSQL database per Odoo series for the whole run (tables created once)."""
    made = {}
    yield made
    for name, db in made.items():
        db.close()
        drop_database(name)


@pytest.fixture(params=BACKENDS, ids=[f"{d}-{v}" for d, v in BACKENDS])
def odoo_db(request, tmp_path, _pg_odoo_dbs) -> OdooTestDB:
    """An empty Odoo database (every table of the series), usual apps installed."""
    dialect, version = request.param
    if dialect == "sqlite":
        db = OdooTestDB(f"sqlite:///{tmp_path / 'odoo.sqlite'}", version, dialect).create().reset()
        yield db
        db.close()
        return
    name = f"odt_{version.replace('.', '')}_{worker_suffix()}"
    if name not in _pg_odoo_dbs:
        _pg_odoo_dbs[name] = OdooTestDB(fresh_database(name), version, dialect).create()
        if request.node.get_closest_marker("pg") is None:
            request.node.add_marker(pytest.mark.pg)
    yield _pg_odoo_dbs[name].reset()


@pytest.fixture
def as_user(app):
    """``as_user(username)``: a callback request context signed in as them, for the test module's ``app``
    (each page test module builds its own demo app)."""
    from helpers.matrix import signer

    sign_in, close = signer(app)
    yield sign_in
    close()
