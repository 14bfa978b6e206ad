"""Data health: how big and how fresh the replica is, and whether it lags its primary."""
from __future__ import annotations

from sqlalchemy import func, select, text

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


def newest_writes(conn, schema) -> dict[str, object]:
    """Newest ``write_date`` (naive UTC) per domain, None where the domain has no rows or tables."""
    existing = set(conn.dialect.get_table_names(conn))
    out = {}
    for domain, tables in DOMAIN_TABLES.items():
        parts = [select(func.max(schema.table(t).c.write_date).label("w")) for t in tables
                 if t in schema.metadata.tables and t in existing]
        if not parts:
            out[domain] = None
            continue
        values = [conn.execute(p).scalar() for p in parts]
        values = [v for v in values if v is not None]
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
