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
from functools import cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

__all__ = ["odoo_indexes", "create_odoo_indexes", "index_ddl"]

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


def index_ddl(table: str, entry: dict, dialect: str) -> str | None:
    """The DDL that creates one entry on ``dialect`` (``postgresql``/``sqlite``), or None where the dialect
    cannot express it (GIN and PostgreSQL-only expressions on SQLite)."""
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
    return f'CREATE {unique}INDEX "{name}" ON "{table}"{using} ({body}){where}'


def _has_trigram(conn) -> bool:
    """pg_trgm in this database, created as Odoo's database creation does when the server offers it."""
    if conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        return False
    try:
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
