"""Odoo's real tables and columns, as SQLAlchemy Core ``Table`` objects, per Odoo series.

The column list comes from ``odoo_schema.json`` (derived from the project's reading of the Odoo
17.0 and 18.0 model files). Queries use these tables, so a query can only name a column that
exists in real Odoo for the detected version: a wrong name fails at build time, not in the field.
The demo generator creates exactly these tables.
"""
from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["SUPPORTED_VERSIONS", "OdooSchema", "odoo_schema", "column_type"]

SUPPORTED_VERSIONS = ("17.0", "18.0")
_SCHEMA_FILE = Path(__file__).with_name("odoo_schema.json")

# jsonb on PostgreSQL (Odoo's storage of translated and company-dependent fields), JSON text on SQLite.
JsonB = JSON().with_variant(JSONB(), "postgresql")


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(_SCHEMA_FILE.read_text())["tables"]


def column_type(pg_type: str, version: str):
    """Return the SQLAlchemy type for a PostgreSQL type name as Odoo creates it."""
    if "/" in pg_type:  # e.g. "float8 (17) / numeric (18+)"
        pg_type = "float8" if version.startswith("17") else "numeric"
    if pg_type.startswith("varchar"):
        return String()
    return {
        "int4": Integer(),
        "text": Text(),
        "bool": Boolean(),
        "date": Date(),
        "timestamp": DateTime(),
        "numeric": Numeric(asdecimal=False),
        "float8": Float(),
        "jsonb": JsonB,
        "bytea": LargeBinary(),
    }[pg_type]


class OdooSchema:
    """The tables of one Odoo series (``17.0`` or ``18.0``), each with the columns it really has."""

    def __init__(self, version: str):
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f"unsupported Odoo version {version!r}; supported: {SUPPORTED_VERSIONS}")
        self.version = version
        self.metadata = MetaData()
        for name, spec in _raw().items():
            cols = [
                Column(col, column_type(c["type"], version), primary_key=(col == "id"))
                for col, c in spec["columns"].items()
                if version in c["versions"]
            ]
            if cols:
                Table(name, self.metadata, *cols)

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def __getattr__(self, name: str) -> Table:
        try:
            return self.metadata.tables[name]
        except KeyError:
            raise AttributeError(f"Odoo {self.version} has no table {name!r}") from None

    def table(self, name: str) -> Table:
        return self.metadata.tables[name]

    def has_column(self, table: str, column: str) -> bool:
        t = self.metadata.tables.get(table)
        return t is not None and column in t.c

    def module_of(self, table: str) -> str:
        """The Odoo module that defines a table (``mrp``, ``quality (Odoo Enterprise)``...)."""
        return _raw()[table]["module"]


@cache
def odoo_schema(version: str) -> OdooSchema:
    """Return the (shared, immutable) schema of an Odoo series."""
    return OdooSchema(version)
