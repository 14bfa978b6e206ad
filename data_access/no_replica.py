"""The replica of a deployment that has none (``data_path`` = api, no replica URL): every read refuses with
``NeedsReplica``, so a SQL-only view says it needs a replica instead of opening a database (never the embedded
demo replica beside the real KPIs)."""
from __future__ import annotations

from data_access.errors import NeedsReplica

__all__ = ["NoReplica"]


class NoReplica:
    """Stands where ``data_access.engine.Replica`` would: same entry points, each raising ``NeedsReplica``."""

    url = ""
    dialect = "none"

    def _refuse(self, what: str):
        raise NeedsReplica(f"{what}: no replica configured (data_path api)")

    def connect(self, what: str = "query"):
        self._refuse(what)

    def run(self, fn, *args, **kwargs):
        self._refuse(getattr(fn, "__name__", "query"))

    @property
    def info(self):
        self._refuse("detecting the Odoo version")

    @property
    def schema(self):
        self._refuse("reading the schema")

    def ping(self) -> None:
        self._refuse("ping")

    def dispose(self) -> None:
        return None
