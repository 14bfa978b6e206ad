"""Odoo's own indexes on the demo replica, and no others.

A real Odoo database has exactly the indexes its models declare (``index=True`` fields, indexes made in
``init()``/``_auto_init()``, ``_sql_constraints`` UNIQUE, many2many relation keys); a physical standby can
have no others, so the dashboard's queries may rely on those alone. ``odoo_indexes.json`` lists them per
series with the Odoo source each comes from; ``create_odoo_indexes`` builds them after the bulk load.

PostgreSQL gets every entry. The trigram (GIN ``gin_trgm_ops``) ones need the ``pg_trgm`` extension, which
Odoo creates with each new database where the server has it; without it they are skipped, as Odoo skips
them. SQLite gets what it can express: plain and partial btree indexes (unique constraints and relation
primary keys as unique indexes); GIN indexes are skipped.
"""
from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

__all__ = ["odoo_indexes", "create_odoo_indexes", "ensure_odoo_indexes", "index_ddl"]

_FILE = Path(__file__).resolve().parent.parent / "odoo_indexes.json"


@cache
def _data() -> dict:
    return json.loads(_FILE.read_text())


def odoo_indexes(version: str) -> dict[str, list[dict]]:
    """``{table: [entry, ...]}`` of Odoo's indexes for a series (``17.0``/``18.0``), as in the data file."""
    return _data()["series"][version]


def _column(spec: str) -> str:
    """``"date DESC"`` -> ``"date" DESC``: a quoted column and its optional sort order."""
    name, *order = spec.split()
    return " ".join([f'"{name}"', *order])


def index_ddl(table: str, entry: dict, dialect: str, if_not_exists: bool = False) -> str | None:
    """The DDL that creates one entry on ``dialect`` (``postgresql``/``sqlite``), or None where the dialect
    cannot express it (GIN and PostgreSQL-only expressions on SQLite). ``if_not_exists`` makes the
    ``CREATE INDEX`` statements idempotent (PostgreSQL constraints have no such form: check them first)."""
    name, kind = entry["name"], entry["kind"]
    if entry["expression"] is not None:
        body = entry["expression"]
    elif entry["opclass"]:
        body = ", ".join(f"{_column(c)} {entry['opclass']}" for c in entry["columns"])
    else:
        body = ", ".join(_column(c) for c in entry["columns"])
    if dialect == "postgresql":
        if kind == "primary_key":
            return f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" PRIMARY KEY ({body})'
        if kind == "sql_constraint":
            return f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ({body})'
        using = "" if entry["method"] == "btree" else f" USING {entry['method']}"
    else:
        if entry["method"] != "btree" or entry.get("sqlite", True) is False:
            return None
        using = ""
    unique = "UNIQUE " if entry["unique"] else ""
    where = f" WHERE {entry['where']}" if entry["where"] else ""
    guard = "IF NOT EXISTS " if if_not_exists else ""
    return f'CREATE {unique}INDEX {guard}"{name}" ON "{table}"{using} ({body}){where}'


def _has_trigram(conn, autocommit: bool = False) -> bool:
    """pg_trgm in this database, created as Odoo's database creation does when the server offers it."""
    if conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        return False
    try:
        if autocommit:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        else:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # no privilege: Odoo logs a warning and goes on without trigram indexes
        return False
    return True


def create_odoo_indexes(engine: Engine, version: str, progress=None) -> dict:
    """Create Odoo's indexes of ``version`` on the demo tables at ``engine`` (after the bulk load).

    ``progress`` is an optional object with ``step(name, total)`` and ``advance(handle, n)``.
    Returns ``{"created": int, "skipped": [index names]}``.
    """
    dialect = engine.dialect.name
    entries = [(table, e) for table, items in sorted(odoo_indexes(version).items()) for e in items]
    handle = progress.step("Odoo indexes", total=len(entries)) if progress is not None else None
    created, skipped = 0, []
    with engine.begin() as conn:
        trigram = False
        if dialect == "postgresql":
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            trigram = _has_trigram(conn)
        for table, entry in entries:
            ddl = index_ddl(table, entry, dialect)
            if ddl is None or (entry["opclass"] == "gin_trgm_ops" and not trigram):
                skipped.append(entry["name"])
            else:
                conn.exec_driver_sql(ddl)
                created += 1
            if handle is not None:
                progress.advance(handle, 1)
    return {"created": created, "skipped": skipped}


_PG_EXISTING = text("""
    SELECT c.relname AS name, t.relname AS table_name, con.contype AS contype,
           ix.indnatts = 1 AND pg_get_indexdef(ix.indexrelid, 1, true) = 'id' AS on_id
      FROM pg_index ix
      JOIN pg_class c ON c.oid = ix.indexrelid
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
      LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
""")


def _existing(conn, dialect: str) -> dict[str, dict]:
    """``{index name: {"table", "contype", "on_id"}}`` of the indexes the database has (SQLite's automatic
    ones left out)."""
    if dialect == "postgresql":
        return {r.name: {"table": r.table_name, "contype": r.contype, "on_id": bool(r.on_id)}
                for r in conn.execute(_PG_EXISTING)}
    rows = conn.exec_driver_sql("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "
                                "AND name NOT LIKE 'sqlite_autoindex%'")
    return {name: {"table": table, "contype": None, "on_id": False} for name, table in rows}


def _drop_ddl(name: str, found: dict, dialect: str) -> str:
    if dialect == "postgresql" and found["contype"]:  # a constraint's index goes with its constraint
        return f'ALTER TABLE "{found["table"]}" DROP CONSTRAINT IF EXISTS "{name}"'
    return f'DROP INDEX IF EXISTS "{name}"'


def ensure_odoo_indexes(target: Engine | str, version: str | None = None, progress=None, prune: bool = False) -> dict:
    """Bring the existing demo database at ``target`` (an engine or a URL) up to Odoo's index list of its
    series, without a rebuild.

    Creates every listed index that is missing (``CREATE INDEX IF NOT EXISTS``; a UNIQUE constraint only
    when no index of its name exists), each in its own transaction, then ANALYZEs the tables that gained
    one. Indexes of the Odoo tables that are not in the list (besides the ``id`` primary keys) are
    reported as ``extra``; ``prune`` drops them. ``version`` defaults to the series the database says it
    is (``odoo_meta.detect``); a different one is refused.

    Returns ``{"version": str, "created": [names], "present": int, "skipped": [names], "failed": {name:
    error}, "extra": [names], "dropped": [names], "analyzed": [tables], "seconds": {name: s}, "total_seconds":
    float}`` (``skipped``: what the dialect cannot express, or trigram indexes without pg_trgm).
    """
    if isinstance(target, str):
        engine = create_engine(target)
        try:
            return ensure_odoo_indexes(engine, version, progress, prune)
        finally:
            engine.dispose()
    from data_access.odoo_meta import detect
    from data_access.schema import odoo_schema

    engine = target
    started = time.monotonic()
    dialect = engine.dialect.name
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        found_version = detect(conn).series
        if version is not None and version != found_version:
            raise ValueError(f"the database is Odoo {found_version}, not {version}")
        version = found_version
        tables = set(odoo_schema(version).metadata.tables)
        trigram = False
        if dialect == "postgresql":
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
            trigram = _has_trigram(conn, autocommit=True)
        existing = _existing(conn, dialect)
        entries = [(table, e) for table, items in sorted(odoo_indexes(version).items()) for e in items]
        listed = {e["name"] for _, e in entries}
        todo, skipped, present = [], [], 0
        for table, entry in entries:
            ddl = index_ddl(table, entry, dialect, if_not_exists=True)
            if ddl is None or (entry["opclass"] == "gin_trgm_ops" and not trigram):
                skipped.append(entry["name"])
            elif entry["name"] in existing:
                present += 1
            else:
                todo.append((table, entry["name"], ddl))
        handle = progress.step("Odoo indexes", total=len(todo)) if progress is not None and todo else None
        created, failed, seconds, touched = [], {}, {}, set()
        for table, name, ddl in todo:
            began = time.monotonic()
            try:
                conn.exec_driver_sql(ddl)
            except Exception as error:  # e.g. data that breaks a UNIQUE constraint: report, go on with the rest
                failed[name] = str(error).strip().splitlines()[0]
            else:
                created.append(name)
                touched.add(table)
            seconds[name] = round(time.monotonic() - began, 3)
            if handle is not None:
                progress.advance(handle, 1)
        extra = sorted(name for name, f in existing.items()
                       if f["table"] in tables and name not in listed and not (f["contype"] == "p" and f["on_id"]))
        dropped = []
        if prune:
            for name in extra:
                conn.exec_driver_sql(_drop_ddl(name, existing[name], dialect))
                dropped.append(name)
                touched.add(existing[name]["table"])
        for table in sorted(touched):
            conn.exec_driver_sql(f'ANALYZE "{table}"')
    return {"version": version, "created": created, "present": present, "skipped": skipped, "failed": failed,
            "extra": extra, "dropped": dropped, "analyzed": sorted(touched), "seconds": seconds,
            "total_seconds": round(time.monotonic() - started, 3)}
