"""One statement, several scope kinds: the same sums as one GROUP BY per kind, on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, insert, select

from data_access.grouping import sums_by_kinds
from helpers.pg import drop_database, fresh_database, worker_suffix

META = MetaData()
RECS = Table("recs", META, Column("id", Integer, primary_key=True), Column("workcenter", Integer),
             Column("warehouse", Integer), Column("company", Integer), Column("day", String), Column("minutes", Float),
             Column("qty", Float))
ROWS = [  # workcenter, warehouse, company, day, minutes, qty
    (1, 10, 100, "2026-11-01", 30.0, 2.0),
    (1, 10, 100, "2026-11-02", 15.0, 0.0),
    (2, 10, 100, "2026-11-01", 60.0, 5.0),
    (3, None, 100, "2026-11-01", 7.0, 1.0),  # no site: counts for its work center and company only
    (4, 20, 200, "2026-11-02", 10.0, 3.0),
    (None, 20, 200, "2026-11-02", 1.5, 0.0),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def conn(request, tmp_path):
    if request.param == "sqlite":
        engine, name = create_engine(f"sqlite:///{tmp_path / 'g.sqlite'}"), None
    else:
        name = f"grouping_{worker_suffix()}"
        engine = create_engine(fresh_database(name))
    META.create_all(engine)
    with engine.begin() as c:
        c.execute(insert(RECS), [dict(zip(("workcenter", "warehouse", "company", "day", "minutes", "qty"), r)) for r in ROWS])
    with engine.connect() as c:
        yield c
    engine.dispose()
    if name:
        drop_database(name)


def _records(bucket: bool):
    cols = [RECS.c.workcenter, RECS.c.warehouse, RECS.c.company, RECS.c.minutes, RECS.c.qty]
    return select(*cols, RECS.c.day.label("bucket")) if bucket else select(*cols)


def test_each_kind_gets_its_own_sums_and_records_without_an_entity_drop_out_of_that_kind_only(conn):
    got = sums_by_kinds(conn, _records(False), ("workcenter", "warehouse", "company"), ("minutes", "qty"))
    assert got["workcenter"] == [
        {"scope_id": 1, "bucket": None, "minutes": 45.0, "qty": 2.0},
        {"scope_id": 2, "bucket": None, "minutes": 60.0, "qty": 5.0},
        {"scope_id": 3, "bucket": None, "minutes": 7.0, "qty": 1.0},
        {"scope_id": 4, "bucket": None, "minutes": 10.0, "qty": 3.0},
    ]
    assert got["warehouse"] == [{"scope_id": 10, "bucket": None, "minutes": 105.0, "qty": 7.0},
                                {"scope_id": 20, "bucket": None, "minutes": 11.5, "qty": 3.0}]
    assert got["company"] == [{"scope_id": 100, "bucket": None, "minutes": 112.0, "qty": 8.0},
                              {"scope_id": 200, "bucket": None, "minutes": 11.5, "qty": 3.0}]


def test_buckets_split_every_kind(conn):
    got = sums_by_kinds(conn, _records(True), ("warehouse", "company"), ("minutes",), bucket=True)
    assert got["warehouse"] == [{"scope_id": 10, "bucket": "2026-11-01", "minutes": 90.0},
                                {"scope_id": 10, "bucket": "2026-11-02", "minutes": 15.0},
                                {"scope_id": 20, "bucket": "2026-11-02", "minutes": 11.5}]
    assert got["company"] == [{"scope_id": 100, "bucket": "2026-11-01", "minutes": 97.0},
                              {"scope_id": 100, "bucket": "2026-11-02", "minutes": 15.0},
                              {"scope_id": 200, "bucket": "2026-11-02", "minutes": 11.5}]


def test_one_kind_is_a_plain_group_by_and_no_kind_asks_nothing(conn):
    assert sums_by_kinds(conn, _records(False), ("company",), ("qty",)) == {
        "company": [{"scope_id": 100, "bucket": None, "qty": 8.0}, {"scope_id": 200, "bucket": None, "qty": 3.0}]}
    assert sums_by_kinds(conn, _records(False), (), ("qty",)) == {}


def test_one_statement_reads_the_records_for_every_kind(conn):
    from sqlalchemy import event
    seen = []
    event.listen(conn, "before_cursor_execute", lambda *a: seen.append(a[2]))
    sums_by_kinds(conn, _records(False), ("workcenter", "warehouse", "company"), ("qty",))
    assert len(seen) == 1
    assert ("GROUPING SETS" if conn.dialect.name == "postgresql" else "UNION ALL") in seen[0].upper()
