"""The read-only replica: one lazily created engine per process, with a time limit on every query.

PostgreSQL sessions start with ``default_transaction_read_only`` and ``statement_timeout`` set at
connect, and with ``jit`` off: the dashboard's statements are short aggregations, for which LLVM
compilation costs more than it saves (about 120 ms a statement measured at scale 100). SQLite files
(the embedded demo) are opened read-only and a progress handler interrupts a statement that runs
past the limit. The engine is created on first use in each process, so a
gunicorn worker never inherits a socket from its parent.
"""
from __future__ import annotations

import logging
import math
import os
import threading
import time
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url

from data_access.errors import DataError, ReplicaUnavailable, translated_errors
from data_access.odoo_meta import OdooInfo, detect
from data_access.schema import OdooSchema, odoo_schema

__all__ = ["Replica", "make_readonly_engine"]

log = logging.getLogger(__name__)


def _sqlite_readonly_url(url):
    database = url.database
    if not database or database == ":memory:":
        raise DataError("an in-memory SQLite database cannot be a replica")
    path = Path(database)
    if not path.exists():
        raise ReplicaUnavailable(f"no SQLite file at {path}")
    return url.set(database=f"file:{path.resolve()}?mode=ro", query={"uri": "true"})


def _install_sqlite_time_limit(engine: Engine, timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, record):
        state = record.info
        state["deadline"] = math.inf
        dbapi_conn.set_progress_handler(lambda: 1 if time.monotonic() > state["deadline"] else 0, 2000)

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany):
        conn.info["deadline"] = time.monotonic() + timeout_s

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn, cursor, statement, parameters, context, executemany):
        conn.info["deadline"] = math.inf


def make_readonly_engine(url: str, statement_timeout_ms: int, pool_size: int = 5) -> Engine:
    """Create an engine whose sessions cannot write and whose statements stop after the limit.

    ``pool_size`` connections stay open per process on PostgreSQL (plus 5 on bursts); SQLite files
    use SQLAlchemy's default pool.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(_sqlite_readonly_url(parsed), pool_pre_ping=True)
        _install_sqlite_time_limit(engine, statement_timeout_ms / 1000.0)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = (
            f"-c default_transaction_read_only=on -c statement_timeout={int(statement_timeout_ms)}"
            f" -c idle_in_transaction_session_timeout={int(statement_timeout_ms) * 4}"
            f" -c lock_timeout={int(statement_timeout_ms)} -c application_name=odoo-ops-dashboard"
            " -c jit=off"
        )
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=5,
            pool_timeout=10,
            pool_recycle=1800,
            connect_args={"options": options, "connect_timeout": 5},
        )
    raise DataError(f"unsupported database backend {backend!r}", user_message="Unsupported replica database type.")


class Replica:
    """A read-only Odoo database: lazy engine, Odoo version, installed modules, schema."""

    def __init__(self, url: str, statement_timeout_ms: int = 15000, pool_size: int = 5):
        if pool_size < 1:
            raise DataError(f"pool_size must be at least 1, not {pool_size}")
        self.url = url
        self.statement_timeout_ms = statement_timeout_ms
        self.pool_size = pool_size
        self._engine: Engine | None = None
        self._pid: int | None = None
        self._info: OdooInfo | None = None
        self._lock = threading.Lock()

    @cached_property
    def dialect(self) -> str:
        """``postgresql`` or ``sqlite``."""
        return make_url(self.url).get_backend_name()

    @property
    def engine(self) -> Engine:
        pid = os.getpid()
        if self._engine is None or self._pid != pid:
            with self._lock:
                if self._engine is None or self._pid != pid:
                    with translated_errors("opening the replica"):
                        self._engine = make_readonly_engine(self.url, self.statement_timeout_ms, self.pool_size)
                    self._pid = pid
        return self._engine

    @contextmanager
    def connect(self, what: str = "query"):
        """A read-only connection; any database failure leaves as a ``DataError``."""
        with translated_errors(what), self.engine.connect() as conn:
            yield conn

    @property
    def info(self) -> OdooInfo:
        """Odoo series and installed modules (read once per process)."""
        if self._info is None:
            with self.connect("detecting the Odoo version") as conn:
                self._info = detect(conn)
        return self._info

    @property
    def schema(self) -> OdooSchema:
        return odoo_schema(self.info.series)

    def ping(self) -> None:
        """Raise a ``DataError`` unless the replica answers ``SELECT 1``."""
        with self.connect("ping") as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._info = None

    def run(self, fn, *args, **kwargs):
        """Call ``fn(conn, schema, *args, **kwargs)`` on a fresh connection (the query entry point)."""
        schema = self.schema
        with self.connect(getattr(fn, "__name__", "query")) as conn:
            return fn(conn, schema, *args, **kwargs)


def connection_dialect(conn: Connection) -> str:
    return conn.dialect.name
