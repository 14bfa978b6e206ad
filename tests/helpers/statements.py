"""Count the SQL statements a call sends to a replica (the one-statement-per-family checks)."""
from __future__ import annotations

from sqlalchemy import event


def statements_of(replica, fn, *args, **kwargs):
    """``(fn(*args, **kwargs), [SQL of each statement it ran])``; the Odoo version is detected first,
    outside the count."""
    _ = replica.info
    seen: list[str] = []

    def record(conn, cursor, statement, *rest):
        seen.append(statement)

    event.listen(replica.engine, "before_cursor_execute", record)
    try:
        return fn(*args, **kwargs), seen
    finally:
        event.remove(replica.engine, "before_cursor_execute", record)
