"""Odoo's own indexes on the demo replica (data_access/odoo_indexes.json), and no others.

The data file names only real tables and columns of the series; the PostgreSQL demos (17.0 and 18.0)
carry exactly its indexes (besides the ``id`` primary keys) with the listed columns, uniqueness, method
and partial predicate; the SQLite demo carries the ones SQLite can express. ``ensure_odoo_indexes`` brings
an existing database up to the list (what is missing is created, what is not Odoo's reported, dropped on
request) and does nothing the second time.
"""
from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import create_engine, insert, text

from data_access.demo.indexes import ensure_odoo_indexes, index_ddl, odoo_indexes
from data_access.schema import SUPPORTED_VERSIONS, odoo_schema
from helpers.pg import drop_database, fresh_database, worker_suffix

_SQL_WORDS = {"is", "not", "null", "and", "or", "in", "true", "false"}


def _column(spec: str) -> str:
    return spec.split()[0]


def _where_columns(where: str) -> set[str]:
    """The identifiers of a partial-index predicate (quoted literals and SQL words left out)."""
    bare = re.sub(r"'[^']*'", "", where)
    return {w for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", bare) if w.lower() not in _SQL_WORDS}


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _entries(version):
    return [(table, e) for table, items in odoo_indexes(version).items() for e in items]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_data_names_only_tables_and_columns_of_the_schema(version):
    schema = odoo_schema(version)
    for table, entry in _entries(version):
        assert table in schema.metadata.tables, (version, table)
        named = [_column(c) for c in entry["columns"] or []] + entry.get("expression_columns", [])
        assert named, (table, entry["name"])
        if entry["where"]:
            named += sorted(_where_columns(entry["where"]))
        for column in named:
            assert schema.has_column(table, column), (version, table, entry["name"], column)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_names_follow_odoo_and_postgresql(version):
    names = [e["name"] for _, e in _entries(version)]
    assert len(names) == len(set(names))
    for table, entry in _entries(version):
        assert len(entry["name"]) <= 63 and entry["source"]
        assert entry["method"] in ("btree", "gin")
        if entry["kind"] == "field":  # models.py: make_index_name(table, column)
            column = entry["columns"][0]
            assert entry["name"] == f"{table}__{column}_index"
            assert entry["where"] == (f"{column} IS NOT NULL" if entry["odoo_index"] == "btree_not_null" else None)
            assert (entry["opclass"] == "gin_trgm_ops") == (entry["odoo_index"] == "trigram")
        if entry["kind"] in ("sql_constraint", "primary_key"):
            assert entry["unique"] and entry["name"].startswith(f"{table}_")


def test_the_series_differ_where_odoo_changed():
    i17, i18 = odoo_indexes("17.0"), odoo_indexes("18.0")
    names = {v: {e["name"] for items in d.values() for e in items} for v, d in (("17.0", i17), ("18.0", i18))}
    assert "stock_move__location_final_id_index" in names["18.0"] - names["17.0"]
    assert "account_move_line_account_id_date_idx" in names["18.0"] - names["17.0"]
    assert "account_move_line__account_id_index" in names["17.0"] - names["18.0"]
    assert "account_move_to_check_idx" in names["17.0"] and "account_move_checked_idx" in names["18.0"]
    assert "res_partner__date_index" in names["17.0"] - names["18.0"]  # 18.0 dropped res.partner.date
    assert "sale_order__team_id_index" in names["17.0"] - names["18.0"]  # 18.0: team_id no longer index=True
    assert "stock_warehouse_orderpoint__warehouse_id_index" in names["17.0"] - names["18.0"]
    assert "sale_order_line__linked_line_id_index" in names["18.0"] - names["17.0"]


def test_the_tables_the_kpis_read_have_their_indexes_in_both_series():
    """Tables read in both series' sources; the translated (jsonb) trigram name of product.template
    indexes its values as Odoo's ORM does."""
    for version in SUPPORTED_VERSIONS:
        names = {e["name"] for _, e in _entries(version)}
        for name in ("mrp_workorder__production_id_index", "mrp_workorder__state_index",
                     "mrp_workcenter_productivity__workcenter_id_index", "mrp_workcenter_productivity__workorder_id_index",
                     "mrp_workcenter__resource_id_index", "res_partner__commercial_partner_id_index",
                     "stock_lot__name_index", "mrp_bom_line__bom_id_index", "mrp_routing_workcenter__bom_id_index",
                     "stock_picking__sale_id_index", "mrp_workcenter_capacity_unique_product",
                     "maintenance_request__equipment_id_index", "maintenance_equipment_serial_no"):
            assert name in names, (version, name)
        tables = odoo_indexes(version)
        assert "stock_scrap" not in tables and "uom_uom" not in tables  # read: Odoo indexes nothing there
        name = next(e for e in tables["product_template"] if e["name"] == "product_template__name_index")
        assert name["method"] == "gin" and name["expression"].startswith('(jsonb_path_query_array("name", ')
        assert index_ddl("product_template", name, "postgresql") == (
            'CREATE INDEX "product_template__name_index" ON "product_template" USING gin '
            """((jsonb_path_query_array("name", '$.*')::text) gin_trgm_ops)""")


def test_ddl_per_dialect():
    line = {"name": "sale_order_date_order_id_idx", "columns": ["date_order DESC", "id DESC"], "expression": None,
            "unique": False, "where": None, "method": "btree", "opclass": None, "kind": "init"}
    assert index_ddl("sale_order", line, "postgresql") == (
        'CREATE INDEX "sale_order_date_order_id_idx" ON "sale_order" ("date_order" DESC, "id" DESC)')
    trigram = {**line, "name": "sale_order__name_index", "columns": ["name"], "method": "gin",
               "opclass": "gin_trgm_ops", "kind": "field"}
    assert index_ddl("sale_order", trigram, "postgresql") == (
        'CREATE INDEX "sale_order__name_index" ON "sale_order" USING gin ("name" gin_trgm_ops)')
    assert index_ddl("sale_order", trigram, "sqlite") is None
    unique = {**line, "name": "stock_picking_name_uniq", "columns": ["name", "company_id"], "unique": True,
              "kind": "sql_constraint"}
    assert index_ddl("stock_picking", unique, "postgresql") == (
        'ALTER TABLE "stock_picking" ADD CONSTRAINT "stock_picking_name_uniq" UNIQUE ("name", "company_id")')
    assert index_ddl("stock_picking", unique, "sqlite") == (
        'CREATE UNIQUE INDEX "stock_picking_name_uniq" ON "stock_picking" ("name", "company_id")')
    partial = {**line, "name": "stock_move__partner_id_index", "columns": ["partner_id"],
               "where": "partner_id IS NOT NULL"}
    assert index_ddl("stock_move", partial, "sqlite").endswith('("partner_id") WHERE partner_id IS NOT NULL')
    assert index_ddl("stock_move", partial, "postgresql", if_not_exists=True).startswith(
        'CREATE INDEX IF NOT EXISTS "stock_move__partner_id_index" ON "stock_move"')


_PG_INDEXES = text("""
    SELECT c.relname AS name, t.relname AS table_name, ix.indisunique AS is_unique, am.amname AS method,
           pg_get_expr(ix.indpred, ix.indrelid) AS predicate, ix.indnatts AS natts, ix.indexrelid AS oid,
           ix.indoption::int2[] AS options, con.contype AS contype
      FROM pg_index ix
      JOIN pg_class c ON c.oid = ix.indexrelid
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
      JOIN pg_am am ON am.oid = c.relam
      LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
""")


def _pg_indexes(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(_PG_INDEXES)]
        for r in rows:
            r["keys"] = [conn.execute(text("SELECT pg_get_indexdef(:oid, :k, true)"), {"oid": r["oid"], "k": k})
                         .scalar_one() for k in range(1, r["natts"] + 1)]
        trigram = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None
    return {r["name"]: r for r in rows}, trigram


def _assert_exactly_odoo_indexes(engine, version: str) -> None:
    """Every listed index of ``version`` is at ``engine`` as listed, and no other (besides the id primary keys)."""
    actual, trigram = _pg_indexes(engine)
    assert trigram  # this server offers pg_trgm, so Odoo (and the demo) create the trigram indexes
    expected = {e["name"]: (table, e) for table, e in _entries(version)}
    assert set(expected) <= set(actual), sorted(set(expected) - set(actual))
    extra = {n for n, r in actual.items() if n not in expected and not (r["contype"] == "p" and r["keys"] == ["id"])}
    assert not extra, sorted(extra)  # nothing beyond Odoo's indexes and the id primary keys
    for name, (table, entry) in expected.items():
        got = actual[name]
        assert got["table_name"] == table, name
        assert got["is_unique"] == entry["unique"], name
        assert got["method"] == entry["method"], name
        assert got["contype"] == {"primary_key": "p", "sql_constraint": "u"}.get(entry["kind"]), name
        if entry["expression"] is None:
            assert got["keys"] == [_column(c) for c in entry["columns"]], name
            descending = [bool(o & 1) for o in got["options"]]
            assert descending == [c.upper().endswith(" DESC") for c in entry["columns"]], name
        else:
            assert all(c in " ".join(got["keys"]) for c in entry["expression_columns"]), name
        if entry["where"] is None:
            assert got["predicate"] is None, name
        elif entry.get("odoo_index") == "btree_not_null":
            assert got["predicate"] == f"({entry['columns'][0]} IS NOT NULL)", name
        else:
            assert got["predicate"] and _where_columns(entry["where"]) <= _where_columns(got["predicate"]), name


@pytest.mark.pg
@pytest.mark.parametrize("fixture", ["demo_pg", "demo_pg18"])
def test_postgresql_demo_has_exactly_odoo_indexes(fixture, request):
    built = request.getfixturevalue(fixture)
    _assert_exactly_odoo_indexes(built.engine, built.version)
    assert built.stats["indexes"] == {"created": len(_entries(built.version)), "skipped": []}


@pytest.mark.pg
@pytest.mark.parametrize("fixture", ["demo_pg", "demo_pg18"])
def test_ensure_on_an_up_to_date_demo_changes_nothing(fixture, request):
    built = request.getfixturevalue(fixture)
    done = ensure_odoo_indexes(built.engine)
    assert done["version"] == built.version
    assert (done["created"], done["present"], done["skipped"], done["failed"], done["extra"], done["analyzed"]) == (
        [], len(_entries(built.version)), [], {}, [], [])


@pytest.mark.pg
@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_ensure_brings_an_existing_postgresql_database_up_to_the_list(version):
    """A database with the Odoo tables and one index that is not Odoo's: the first pass creates every listed
    index and ANALYZEs their tables, reports the stray one and keeps it; ``prune`` drops it; a third pass
    finds nothing to do."""
    name = f"ensure_idx_{version.replace('.', '')}_{worker_suffix()}"
    engine = create_engine(fresh_database(name))
    try:
        schema = odoo_schema(version)
        schema.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(schema.ir_module_module), [
                {"id": 1, "name": "base", "state": "installed", "latest_version": f"{version}.1.3"}])
            conn.exec_driver_sql('CREATE INDEX "stock_move_not_odoos_idx" ON "stock_move" ("date", "state")')
        expected = _entries(version)
        with pytest.raises(ValueError, match=f"is Odoo {version}"):
            ensure_odoo_indexes(engine, "17.0" if version == "18.0" else "18.0")

        first = ensure_odoo_indexes(engine)
        assert first["version"] == version and not first["failed"] and not first["skipped"]
        assert sorted(first["created"]) == sorted(e["name"] for _, e in expected) and first["present"] == 0
        assert first["analyzed"] == sorted({table for table, _ in expected})
        assert first["extra"] == ["stock_move_not_odoos_idx"] and first["dropped"] == []
        assert set(first["seconds"]) == set(first["created"])

        pruned = ensure_odoo_indexes(engine, version, prune=True)
        assert (pruned["created"], pruned["present"], pruned["dropped"]) == (
            [], len(expected), ["stock_move_not_odoos_idx"])
        assert pruned["analyzed"] == ["stock_move"]
        _assert_exactly_odoo_indexes(engine, version)

        again = ensure_odoo_indexes(engine)
        assert (again["created"], again["extra"], again["analyzed"]) == ([], [], [])
    finally:
        engine.dispose()
        drop_database(name)


def test_ensure_restores_missing_indexes_on_an_existing_sqlite_demo(demo_sqlite, tmp_path):
    """A copy of the SQLite demo that lost two of Odoo's indexes (a plain one, a unique one) and gained one
    of its own."""
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(_sqlite_path(demo_sqlite.url), path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql('DROP INDEX "stock_move__picking_id_index"')
            conn.exec_driver_sql('DROP INDEX "stock_picking_name_uniq"')
            conn.exec_driver_sql('CREATE INDEX "sale_order_line_mine" ON "sale_order_line" ("qty_delivered")')
        done = ensure_odoo_indexes(engine)
        assert sorted(done["created"]) == ["stock_move__picking_id_index", "stock_picking_name_uniq"]
        assert done["analyzed"] == ["stock_move", "stock_picking"]
        assert done["extra"] == ["sale_order_line_mine"] and not done["failed"]
        assert set(done["skipped"]) == {e["name"] for t, e in _entries("17.0") if index_ddl(t, e, "sqlite") is None}
        pruned = ensure_odoo_indexes(engine, prune=True)
        assert pruned["created"] == [] and pruned["dropped"] == ["sale_order_line_mine"]
        with engine.connect() as conn:
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")}
            unique = {r[1]: r[2] for r in conn.exec_driver_sql('PRAGMA index_list("stock_picking")')}
        assert names == {e["name"] for t, e in _entries("17.0") if index_ddl(t, e, "sqlite") is not None}
        assert unique["stock_picking_name_uniq"] == 1
    finally:
        engine.dispose()


def test_sqlite_demo_has_the_expressible_ones(demo_sqlite):
    built = demo_sqlite
    expected = {e["name"]: (table, e) for table, e in _entries(built.version)
                if index_ddl(table, e, "sqlite") is not None}
    skipped = {e["name"] for _, e in _entries(built.version)} - set(expected)
    assert skipped and all(e["method"] == "gin" or e.get("sqlite") is False
                           for _, e in _entries(built.version) if e["name"] in skipped)
    with built.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")}
        assert names == set(expected)
        assert built.stats["indexes"]["created"] == len(expected)
        assert set(built.stats["indexes"]["skipped"]) == skipped
        for name, (table, entry) in expected.items():
            listed = {r[1]: r for r in conn.exec_driver_sql(f'PRAGMA index_list("{table}")')}
            assert listed[name][2] == int(entry["unique"]), name
            assert listed[name][4] == int(entry["where"] is not None), name  # the "partial" flag
            if entry["expression"] is None:
                cols = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')]
                assert cols == [_column(c) for c in entry["columns"]], name
