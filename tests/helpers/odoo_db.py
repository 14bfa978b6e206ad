"""Small hand-built Odoo databases for tests: exact Odoo tables, empty, filled row by row.

``OdooTestDB`` creates every table of one Odoo series (17.0 or 18.0) on SQLite or PostgreSQL,
marks the usual apps installed in ``ir_module_module`` and gives a read-only ``Replica`` on it.
Tests insert only the columns they care about; ids are explicit so expected values can be
computed by hand.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, insert, text

from data_access.engine import Replica
from data_access.schema import odoo_schema

DEFAULT_MODULES = ("base", "product", "uom", "stock", "stock_account", "mrp", "purchase", "purchase_stock",
                   "sale", "sale_stock", "account")


class OdooTestDB:
    def __init__(self, url: str, version: str, dialect: str):
        self.url = url
        self.version = version
        self.dialect = dialect
        self.schema = odoo_schema(version)
        self.engine = create_engine(url)
        self._replica: Replica | None = None

    def create(self):
        self.schema.metadata.create_all(self.engine)
        return self

    def reset(self, modules=DEFAULT_MODULES):
        """Empty every table, then mark ``modules`` installed (base carries the series)."""
        names = [t.name for t in self.schema.metadata.sorted_tables]
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names)))
            else:
                for n in names:
                    conn.execute(self.schema.table(n).delete())
        self.install(*modules)
        if self._replica is not None:
            self._replica.dispose()
        self._replica = None
        return self

    def install(self, *modules: str):
        rows = [{"name": m, "state": "installed", "latest_version": f"{self.version}.1.0" if m != "base" else f"{self.version}.1.3"}
                for m in modules]
        if rows:
            self.insert("ir_module_module", *rows)
        if self._replica is not None:
            self._replica.dispose()
        return self

    def insert(self, table: str, *rows: dict):
        """Insert rows (dicts of column -> value) into an Odoo table."""
        if rows:
            # executemany takes its columns from the first row: give every row every key used by any row
            keys = list(dict.fromkeys(k for r in rows for k in r))
            with self.engine.begin() as conn:
                conn.execute(insert(self.schema.table(table)), [{k: r.get(k) for k in keys} for r in rows])
        return self

    @property
    def replica(self) -> Replica:
        if self._replica is None:
            self._replica = Replica(self.url, statement_timeout_ms=10000)
        return self._replica

    def close(self):
        if self._replica is not None:
            self._replica.dispose()
        self.engine.dispose()


def dt(s: str) -> datetime:
    """'2026-06-30 23:59' -> naive datetime (Odoo's UTC)."""
    return datetime.fromisoformat(s)
