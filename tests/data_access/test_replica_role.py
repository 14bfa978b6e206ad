"""The replica role check on real PostgreSQL roles: SELECT-only, one INSERT grant, pg_write_all_data,
pg_read_all_data, table owner, superuser; and nothing to check on SQLite."""
from __future__ import annotations

import pytest

from data_access.engine import Replica
from data_access.replica_role import check_role
from helpers.pg_roles import role_db

pytestmark = pytest.mark.pg

SELECT_ONLY = ("GRANT USAGE ON SCHEMA public TO {role}", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")


@pytest.fixture(scope="module")
def roles():
    with role_db("odt_roles") as made:
        yield made


def check_as(url: str):
    replica = Replica(url, statement_timeout_ms=2000)
    try:
        with replica.connect() as conn:
            return check_role(conn)
    finally:
        replica.dispose()


def test_select_only_role_cannot_write(roles):
    url_as, make_role = roles
    role = make_role("ro", *SELECT_ONLY)
    check = check_as(url_as(role))
    assert (check.role, check.superuser, check.write_all_data, check.writable) == (role, False, False, 0)
    assert (check.tables, check.readable) == (2, 2)
    assert not check.can_write
    assert check.reason == f"replica role {role!r} is read-only (SELECT on 2 of 2 Odoo tables)"


def test_one_insert_grant_makes_a_role_writable(roles):
    url_as, make_role = roles
    role = make_role("ins", *SELECT_ONLY, "GRANT INSERT ON mrp_production TO {role}")
    check = check_as(url_as(role))
    assert check.can_write and check.writable == 1 and check.examples == ("mrp_production",)
    assert check.reason == f"replica role {role!r} may INSERT, UPDATE, DELETE or TRUNCATE 1 of 2 Odoo tables (e.g. mrp_production)"


@pytest.mark.parametrize("privilege", ["UPDATE", "DELETE", "TRUNCATE"])
def test_every_write_privilege_counts(roles, privilege):
    url_as, make_role = roles
    role = make_role(f"w{privilege[:3]}", *SELECT_ONLY, f"GRANT {privilege} ON res_company TO {{role}}")
    assert check_as(url_as(role)).examples == ("res_company",)


def test_table_owner_can_write(roles):
    url_as, make_role = roles
    role = make_role("own", *SELECT_ONLY, "CREATE TABLE stock_move (id integer)", "ALTER TABLE stock_move OWNER TO {role}")
    assert check_as(url_as(role)).examples == ("stock_move",)


def test_predefined_roles(roles):
    url_as, make_role = roles
    writer = make_role("wall", "GRANT pg_write_all_data TO {role}", "GRANT USAGE ON SCHEMA public TO {role}")
    check = check_as(url_as(writer))
    assert check.write_all_data and check.can_write
    assert check.reason.endswith("is a member of pg_write_all_data")
    reader = make_role("rall", "GRANT pg_read_all_data TO {role}")
    check = check_as(url_as(reader))
    assert check.read_all_data and not check.can_write
    assert check.reason.endswith("is read-only (pg_read_all_data)")


def test_superuser_can_write(roles):
    url_as, _ = roles
    check = check_as(url_as("postgres"))
    assert check.superuser and check.can_write
    assert check.reason == "replica role 'postgres' is a superuser"


def test_nothing_to_check_on_sqlite(tmp_path):
    from sqlalchemy import create_engine
    path = tmp_path / "odoo.sqlite"
    create_engine(f"sqlite:///{path}").connect().close()
    replica = Replica(f"sqlite:///{path}")
    with replica.connect() as conn:
        assert check_role(conn) is None
    replica.dispose()


def _readme_sql() -> list[str]:
    """The statements of the README's 'A SELECT-only replica role' SQL block."""
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### A SELECT-only replica role", 1)[1]
    block = section.split("```sql", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("--")]
    return [s.strip() for s in " ".join(lines).split(";") if s.strip()]


def test_the_readme_role_is_select_only(roles):
    """The README's SQL, run as written (role and database names swapped for this test's), gives a role the
    check calls read-only and that reads every Odoo table, including one created after the grants."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    url_as, make_role = roles
    role = make_role("readme")  # created by the fixture so that it is dropped at the end
    database = make_url(url_as(role)).database
    create, *grants = _readme_sql()
    assert create.startswith("CREATE ROLE odoo_dashboard LOGIN")
    engine = create_engine(url_as("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in grants:
            conn.execute(text(statement.replace("odoo_dashboard", f'"{role}"')
                              .replace("DATABASE odoo", f'DATABASE "{database}"').replace("FOR ROLE odoo", "FOR ROLE postgres")))
        conn.execute(text("CREATE TABLE quality_alert (id integer)"))  # Odoo installs a module later
    engine.dispose()
    check = check_as(url_as(role))
    assert len(grants) == 4 and not check.can_write
    assert check.readable == check.tables >= 3  # quality_alert too
