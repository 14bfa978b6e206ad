"""Demo replicas built once per test session: SQLite and PostgreSQL (17.0), PostgreSQL 18.0, and a
SQLite build with another seed. All use a fixed clock (``TODAY`` at 14:00 UTC, the latest story hour)
so the results are deterministic, whatever the real day."""
from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from sqlalchemy import create_engine, func, insert, select

from dashboard.cli import main
from data_access.demo import build_demo
from data_access.schema import odoo_schema
from helpers.pg import drop_database, fresh_database, worker_suffix

TODAY = date(2026, 6, 30)
CLOCK = datetime.combine(TODAY, time(14, 0))


@dataclass
class Built:
    url: str
    version: str
    dialect: str
    stats: dict
    engine: object
    today: date = TODAY

    @property
    def schema(self):
        return odoo_schema(self.version)


def _build(url: str, version: str, dialect: str, seed: int = 42) -> Built:
    stats = build_demo(url, scale=1, seed=seed, version=version, now=CLOCK)
    return Built(url, version, dialect, stats, create_engine(url))


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> Built:
    built = _build(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo17.sqlite'}", "17.0", "sqlite")
    yield built
    built.engine.dispose()


@pytest.fixture(scope="session")
def demo_sqlite_other_seed(tmp_path_factory) -> Built:
    """Seed 7, built through the ``demo-db`` command over a file that already holds Odoo tables
    (with a stray row), as when the demo is rebuilt. ``stats`` holds the row counts and the output."""
    path = tmp_path_factory.mktemp("demo") / "demo17_s7.sqlite"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    schema = odoo_schema("17.0")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(schema.res_company), [{"id": 99, "name": "Stray Company"}])
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["demo-db", "--url", str(path), "--seed", "7", "--today", TODAY.isoformat()])
    with engine.connect() as conn:
        rows = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in schema.metadata.sorted_tables}
    built = Built(url, "17.0", "sqlite", {"rows": rows, "status": status,
                                          "output": out.getvalue()}, engine)
    yield built
    engine.dispose()


def _pg(version: str):
    name = f"demo_{version.replace('.', '')}_{worker_suffix()}"
    built = _build(fresh_database(name), version, "postgresql")
    return name, built


@pytest.fixture(scope="session")
def demo_pg() -> Built:
    name, built = _pg("17.0")
    yield built
    built.engine.dispose()
    drop_database(name)


@pytest.fixture(scope="session")
def demo_pg18() -> Built:
    name, built = _pg("18.0")
    yield built
    built.engine.dispose()
    drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def demo(request) -> Built:
    """The 17.0 demo on each backend."""
    return request.getfixturevalue("demo_sqlite" if request.param == "sqlite" else "demo_pg")
