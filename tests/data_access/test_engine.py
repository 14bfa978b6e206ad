
import pytest
from sqlalchemy import text

from data_access import sqlfuncs
from data_access.errors import DataError, QueryTimeout
from helpers.odoo_db import dt


def test_detects_series_and_modules(odoo_db):
    info = odoo_db.replica.info
    assert info.series == odoo_db.version
    assert info.has("mrp") and not info.has("quality")


def test_series_from_columns_when_base_row_missing(odoo_db):
    with odoo_db.engine.begin() as conn:
        conn.execute(odoo_db.schema.ir_module_module.delete().where(odoo_db.schema.ir_module_module.c.name == "base"))
    assert odoo_db.replica.info.series == odoo_db.version


def test_replica_refuses_writes(odoo_db):
    with pytest.raises(DataError), odoo_db.replica.connect() as conn:
        conn.execute(text("INSERT INTO res_company (id, name) VALUES (99, 'x')"))


def test_statement_timeout(odoo_db):
    from data_access.engine import Replica
    slow = Replica(odoo_db.url, statement_timeout_ms=200)
    sql = "SELECT pg_sleep(3)" if odoo_db.dialect == "postgresql" else (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c")
    with pytest.raises(QueryTimeout), slow.connect() as conn:
        conn.execute(text(sql)).all()
    slow.dispose()


def test_day_helpers_agree_on_both_dialects(odoo_db):
    s = odoo_db.schema
    odoo_db.insert("stock_move", {"id": 1, "date": dt("2026-03-01 22:30:00")}, {"id": 2, "date": dt("2026-03-02 00:00:00")})
    m = s.stock_move
    from sqlalchemy import select
    with odoo_db.replica.connect() as conn:
        d = conn.dialect.name
        rows = conn.execute(select(m.c.id,
                                   sqlfuncs.local_day(m.c.date, 0, d).label("day"),
                                   sqlfuncs.local_day(m.c.date, 120, d).label("day_plus2h"),
                                   sqlfuncs.local_week(m.c.date, 0, d).label("week"),
                                   sqlfuncs.local_day_end(m.c.date, 0, d).label("day_end"),
                                   sqlfuncs.add_days(m.c.date, 1.5, d).label("plus"),
                                   sqlfuncs.days_between(m.c.date, sqlfuncs.add_days(m.c.date, 2.25, d), d).label("gap"),
                                   ).order_by(m.c.id)).all()
    assert [r.day for r in rows] == ["2026-03-01", "2026-03-02"]
    assert [r.day_plus2h for r in rows] == ["2026-03-02", "2026-03-02"]
    assert [r.week for r in rows] == ["2026-02-23", "2026-03-02"]  # Sunday 1 March is in the week of Monday 23 Feb
    assert [str(r.day_end)[:19] for r in rows] == ["2026-03-02 00:00:00", "2026-03-03 00:00:00"]
    assert str(rows[0].plus)[:19] == "2026-03-03 10:30:00"
    assert rows[0].gap == pytest.approx(2.25)


def test_translated_names(odoo_db):
    odoo_db.insert("product_template", {"id": 1, "name": {"en_US": "Bracket", "de_DE": "Halter"}},
                   {"id": 2, "name": {"en_US": "Hinge"}})
    t = odoo_db.schema.product_template
    from sqlalchemy import select
    with odoo_db.replica.connect() as conn:
        got = conn.execute(select(sqlfuncs.translated(t.c.name, "de_DE", conn.dialect.name)).order_by(t.c.id)).scalars().all()
    assert got == ["Halter", "Hinge"]


def test_pool_size_comes_from_the_constructor_not_the_environment(monkeypatch):
    from data_access.engine import Replica
    monkeypatch.setenv("ODOO_DASH_POOL_SIZE", "17")
    replica = Replica("postgresql://nobody@127.0.0.1:1/none", pool_size=3)
    assert replica.engine.pool.size() == 3  # creating the engine does not connect
    replica.dispose()
    assert Replica("postgresql://nobody@127.0.0.1:1/none").engine.pool.size() == 5
    with pytest.raises(DataError):
        Replica("postgresql://nobody@127.0.0.1:1/none", pool_size=0)


def test_replica_sessions_run_without_jit(odoo_db):
    """PostgreSQL's JIT compiles each statement (about 120 ms at scale 100) for short aggregations that
    gain nothing from it: every replica session starts with it off."""
    if odoo_db.dialect != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with odoo_db.replica.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
