"""Streaming writer of the demo replica: rows are buffered per table and written in chunks.

PostgreSQL gets ``COPY ... FROM STDIN`` through psycopg's ``cursor.copy()`` on the raw driver
connection (jsonb values as JSON text); SQLite gets the SQL of a Core ``insert()`` for all the table's
columns, run as one executemany per chunk with bound parameters (values converted to SQLAlchemy's own
SQLite storage formats), all inside one transaction. Memory holds at most one chunk per table.

An optional ``progress`` object (``step(name, total)`` -> handle, ``advance(handle, n)``; e.g.
``dashboard.progress.Progress``) hears of every chunk written, one step per table.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, insert
from sqlalchemy.engine import Engine

from data_access.schema import OdooSchema, _raw

__all__ = ["RowWriter"]


_MAGIC_DATES = ("create_date", "write_date")


class RowWriter:
    """Buffer rows (dicts of column -> value) per table and write them in chunks of ``chunk`` rows.

    A key that is a real Odoo column of another series only (e.g. ``detailed_type`` on 18.0) is
    dropped, so generators can set both spellings; a key that is no Odoo column at all raises.
    """

    def __init__(self, engine: Engine, schema: OdooSchema, chunk: int = 5000, clock: datetime | None = None,
                 progress=None):
        self.engine = engine
        self.progress = progress
        self._steps: dict[str, object] = {}
        # Records planned for later were still created and last written before the story's "now".
        self.clock = clock
        self.schema = schema
        self.chunk = chunk
        self.dialect = engine.dialect.name
        self.counts: Counter[str] = Counter()
        self._buffers: dict[str, list[tuple]] = {}
        self._columns: dict[str, list[str]] = {}
        self._specs: dict[str, tuple] = {}
        self._insert: dict[str, str] = {}
        self._raw_conn = None
        self._conn = None

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> RowWriter:
        if self.dialect == "postgresql":
            self._raw_conn = self.engine.raw_connection()
        else:
            self._conn = self.engine.connect()
            self._conn.exec_driver_sql("PRAGMA synchronous=OFF")
            self._conn.exec_driver_sql("PRAGMA journal_mode=MEMORY")
            self._conn.commit()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.flush()
                if self._raw_conn is not None:
                    self._raw_conn.commit()
                else:
                    self._conn.commit()
            else:
                if self._raw_conn is not None:
                    self._raw_conn.rollback()
                else:
                    self._conn.rollback()
        finally:
            if self._raw_conn is not None:
                self._raw_conn.close()
            if self._conn is not None:
                self._conn.close()

    # -- rows ----------------------------------------------------------------------------------
    def add(self, table: str, row: dict) -> None:
        """Queue one row of ``table``; write the table's buffer when it is full."""
        spec = self._specs.get(table) or self._prepare(table)
        index, converters, known = spec
        out = [None] * len(converters)
        for key, value in row.items():
            i = index.get(key)
            if i is None:
                if key not in known:
                    raise KeyError(f"{table} has no Odoo column {key!r}")
                continue  # a column of the other Odoo series
            if value is not None:
                if self.clock is not None and key in _MAGIC_DATES and value > self.clock:
                    value = self.clock
                conv = converters[i]
                out[i] = conv(value) if conv else value
        buf = self._buffers[table]
        buf.append(tuple(out))
        if len(buf) >= self.chunk:
            self._write(table)

    def flush(self) -> None:
        """Write every buffered row."""
        for table in list(self._buffers):
            self._write(table)

    def _prepare(self, table: str):
        t: Table = self.schema.table(table)
        cols = [c.name for c in t.columns]
        self._columns[table] = cols
        converters = [_converter(c.type, self.dialect) for c in t.columns]
        spec = ({c: i for i, c in enumerate(cols)}, converters, frozenset(_raw()[table]["columns"]))
        self._specs[table] = spec
        self._buffers[table] = []
        if self.dialect != "postgresql":
            # Core's INSERT for exactly these columns, executed as one executemany per chunk.
            self._insert[table] = str(insert(t).compile(dialect=self.engine.dialect, column_keys=cols))
        return spec

    def _write(self, table: str) -> None:
        rows = self._buffers[table]
        if not rows:
            return
        self.counts[table] += len(rows)
        if self.progress is not None:
            if table not in self._steps:
                self._steps[table] = self.progress.step(table, total=None)
            self.progress.advance(self._steps[table], len(rows))
        if self.dialect == "postgresql":
            self._copy(table, self._columns[table], rows)
        else:
            self._conn.exec_driver_sql(self._insert[table], rows)
        rows.clear()

    def _copy(self, table: str, cols: list[str], rows: list[tuple]) -> None:
        from psycopg import sql

        stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in cols))
        with self._raw_conn.cursor() as cur, cur.copy(stmt) as copy:
            for r in rows:
                copy.write_row(r)


def _sqlite_datetime(value: datetime) -> str:
    """SQLAlchemy's SQLite DATETIME storage format (so reads and comparisons match Core inserts),
    truncated to the second like Odoo's Datetime fields."""
    return value.replace(microsecond=0).isoformat(" ") + ".000000"


def _whole_second(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def _converter(col_type, dialect: str):
    """The Python -> driver value conversion for one column, or None when the driver takes it as is."""
    if isinstance(col_type, JSON):
        return _json_text
    if dialect == "postgresql":
        return _whole_second if isinstance(col_type, DateTime) else None
    if isinstance(col_type, DateTime):
        return _sqlite_datetime
    if isinstance(col_type, Date):
        return date.isoformat
    if isinstance(col_type, Boolean):
        return int
    return None


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)
