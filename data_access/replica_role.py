"""What the replica's database role may do: the dashboard needs SELECT and nothing more.

``default_transaction_read_only`` is only a default: any role may ``SET`` it off, so it guards
against accidents, not against a role that can write. A superuser can also read server files and
run programs. One statement asks the server what the connected role may do in the Odoo schema.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import text

__all__ = ["RoleCheck", "check_role"]

WRITE_PRIVILEGES = "INSERT, UPDATE, DELETE, TRUNCATE"

# pg_write_all_data / pg_read_all_data exist from PostgreSQL 14; on older servers the subquery is empty.
_ROLE_SQL = text(
    "SELECT current_user AS role,"
    " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,"
    " COALESCE((SELECT pg_has_role(current_user, oid, 'USAGE') FROM pg_roles WHERE rolname = 'pg_write_all_data'), false)"
    "   AS write_all_data,"
    " COALESCE((SELECT pg_has_role(current_user, oid, 'USAGE') FROM pg_roles WHERE rolname = 'pg_read_all_data'), false)"
    "   AS read_all_data,"
    " count(c.oid) AS tables,"
    " count(c.oid) FILTER (WHERE has_table_privilege(c.oid, :write)) AS writable,"
    " count(c.oid) FILTER (WHERE has_table_privilege(c.oid, 'SELECT')) AS readable,"
    " (array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE has_table_privilege(c.oid, :write)))[1:5] AS examples"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
    " WHERE c.relkind IN ('r', 'p')"
)


@dataclass(frozen=True)
class RoleCheck:
    """The connected role's powers over the tables of the Odoo schema (``current_schema()``)."""

    role: str
    superuser: bool
    write_all_data: bool
    read_all_data: bool
    tables: int
    writable: int
    readable: int
    examples: tuple[str, ...] = ()

    @property
    def can_write(self) -> bool:
        return self.superuser or self.write_all_data or self.writable > 0

    @property
    def reason(self) -> str:
        """One line: why the role can write, or what it may read."""
        if self.superuser:
            return f"replica role {self.role!r} is a superuser"
        if self.write_all_data:
            return f"replica role {self.role!r} is a member of pg_write_all_data"
        if self.writable:
            return (f"replica role {self.role!r} may INSERT, UPDATE, DELETE or TRUNCATE {self.writable} of "
                    f"{self.tables} Odoo tables (e.g. {', '.join(self.examples)})")
        reads = "pg_read_all_data" if self.read_all_data else f"SELECT on {self.readable} of {self.tables} Odoo tables"
        return f"replica role {self.role!r} is read-only ({reads})"

    def as_dict(self) -> dict:
        return {**asdict(self), "examples": list(self.examples), "can_write": self.can_write, "reason": self.reason}


def check_role(conn) -> RoleCheck | None:
    """The connected role's check on PostgreSQL; None on SQLite (files are opened read-only)."""
    if conn.dialect.name != "postgresql":
        return None
    row = conn.execute(_ROLE_SQL, {"write": WRITE_PRIVILEGES}).mappings().one()
    return RoleCheck(role=row["role"], superuser=bool(row["superuser"]), write_all_data=bool(row["write_all_data"]),
                     read_all_data=bool(row["read_all_data"]), tables=int(row["tables"]), writable=int(row["writable"]),
                     readable=int(row["readable"]), examples=tuple(row["examples"] or ()))
