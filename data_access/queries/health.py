"""Data health: how big and how fresh the replica is, and whether it lags its primary."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text

from data_access import sqlfuncs

__all__ = ["KEY_TABLES", "DOMAIN_TABLES", "table_rows", "newest_writes", "replica_lag_seconds"]

# Domain -> the tables whose newest write_date tells how fresh that domain's data is.
DOMAIN_TABLES = {
    "production": ("mrp_production", "mrp_workorder", "mrp_workcenter_productivity"),
    "inventory": ("stock_move", "stock_quant", "stock_valuation_layer"),
    "purchase": ("purchase_order", "purchase_order_line"),
    "sales": ("sale_order", "sale_order_line"),
    "accounting": ("account_move", "account_move_line"),
    "quality": ("stock_scrap", "quality_alert"),
}
KEY_TABLES = tuple(dict.fromkeys(t for tables in DOMAIN_TABLES.values() for t in tables))


def table_rows(conn, schema, tables=KEY_TABLES) -> dict[str, dict]:
    """Rows per table: exact on SQLite, the planner's estimate on PostgreSQL (no full scans).

    Returns ``{table: {"rows": int | None, "estimate": bool}}``; ``rows`` is None for a missing table.
    """
    present = [t for t in tables if t in schema.metadata.tables]
    out: dict[str, dict] = {t: {"rows": None, "estimate": False} for t in tables}
    if conn.dialect.name == "postgresql":
        stmt = text(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint AS n FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(:names)"
        )
        for name, n in conn.execute(stmt, {"names": present}):
            out[name] = {"rows": int(n), "estimate": True}
        return out
    existing = set(conn.dialect.get_table_names(conn))
    for name in present:
        if name in existing:
            out[name] = {"rows": conn.execute(select(func.count()).select_from(schema.table(name))).scalar_one(), "estimate": False}
    return out


# Scoping a table's writes to companies and sites: a table without its own company (or asked for sites) goes
# through its parent record; a site is reached through the operation type (or the record's own warehouse).
# A table with no path to a site is left out for a site-scoped user (what it says may be another site's).
_PARENT = {"mrp_workorder": ("production_id", "mrp_production"),
           "purchase_order_line": ("order_id", "purchase_order"),
           "sale_order_line": ("order_id", "sale_order")}
_SITE_BY_PICKING_TYPE = frozenset({"mrp_production", "stock_move", "purchase_order"})
_SITE_BY_WAREHOUSE = frozenset({"sale_order"})


def _newest_in_scope(schema, name: str, since: datetime, company_ids, warehouse_ids):
    """``SELECT max(write_date)`` of table ``name`` since ``since`` within the scope, or None when the table has
    no way to the scope. Sargable: a range on ``write_date`` and ``IN`` lists on plain columns."""
    t = schema.table(name)
    source, owner, owner_name = t, t, name
    if name in _PARENT and (warehouse_ids is not None or (company_ids is not None and "company_id" not in t.c)):
        fk, owner_name = _PARENT[name]
        owner = schema.table(owner_name)
        source = source.join(owner, owner.c.id == t.c[fk])
    conditions = [t.c.write_date >= since]
    if company_ids is not None:
        if "company_id" not in owner.c:
            return None
        conditions.append(sqlfuncs.in_ids(owner.c.company_id, company_ids))
    if warehouse_ids is not None:
        if owner_name in _SITE_BY_WAREHOUSE:
            conditions.append(sqlfuncs.in_ids(owner.c.warehouse_id, warehouse_ids))
        elif owner_name in _SITE_BY_PICKING_TYPE:
            pt = schema.table("stock_picking_type")
            source = source.join(pt, pt.c.id == owner.c.picking_type_id)
            conditions.append(sqlfuncs.in_ids(pt.c.warehouse_id, warehouse_ids))
        else:
            return None
    return select(func.max(t.c.write_date)).select_from(source).where(*conditions)


def newest_writes(conn, schema, since: datetime, company_ids=None, warehouse_ids=None) -> dict[str, object]:
    """Newest ``write_date`` (naive UTC) per domain since ``since`` (naive UTC), among the records of the given
    companies and sites (``None``: no restriction; an empty tuple matches nothing); None where the domain has
    no such write, no tables, or no way to the scope."""
    existing = set(conn.dialect.get_table_names(conn))
    out = {}
    for domain, tables in DOMAIN_TABLES.items():
        values = []
        for name in tables:
            needed = {name, *([_PARENT[name][1]] if name in _PARENT else [])}
            if not all(n in schema.metadata.tables for n in needed) or name not in existing:
                continue
            stmt = _newest_in_scope(schema, name, since, company_ids, warehouse_ids)
            value = None if stmt is None else conn.execute(stmt).scalar()
            if value is not None:
                values.append(value)
        out[domain] = max(values) if values else None
    return out


def replica_lag_seconds(conn) -> tuple[bool, float | None]:
    """(is a standby, lag in seconds). Lag is 0 when all received WAL is replayed (an idle primary is
    not lag), else the age of the last replayed transaction. Not a standby or not PostgreSQL: (False, None).
    """
    if conn.dialect.name != "postgresql":
        return False, None
    in_recovery = conn.execute(text("SELECT pg_is_in_recovery()")).scalar()
    if not in_recovery:
        return False, None
    lag = conn.execute(text(
        "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
    )).scalar()
    return True, float(lag)
