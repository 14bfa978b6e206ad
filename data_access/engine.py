"""The read-only replica: one lazily created engine per process, with a time limit on every query.

PostgreSQL sessions start with ``default_transaction_read_only`` and ``statement_timeout`` set at
connect, and with ``jit`` off: the dashboard's statements are short aggregations, for which LLVM
compilation costs more than it saves (about 120 ms a statement measured at scale 100). Statements
run in autocommit (each its own read-only transaction: no BEGIN or ROLLBACK round trips, so nothing
can block when a connection goes back to the pool). The server's limit does not help when the
replica stops answering altogether, so the client keeps its own: TCP keepalives and
``tcp_user_timeout`` for a dead network, ``connect_timeout`` for new connections, and a deadline on
every statement and pool ping (``data_access.deadline``) that cancels, then cuts, a statement the
server does not answer. SQLite files (the embedded demo) are opened read-only and a progress handler
interrupts a statement that runs past the limit. The engine is created on first use in each process,
so a gunicorn worker never inherits a socket from its parent.
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
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine, make_url

from data_access.deadline import Deadlines
from data_access.errors import DataError, RecoveryConflict, ReplicaNotAnswering, ReplicaUnavailable, translated_errors
from data_access.odoo_meta import OdooInfo, detect
from data_access.outage import Outage
from data_access.schema import OdooSchema, odoo_schema

__all__ = ["Replica", "make_readonly_engine", "client_deadline_s"]

log = logging.getLogger(__name__)

DEADLINE_GRACE_S = 1.0  # past statement_timeout before the client cancels a statement itself
PING_DEADLINE_S = 2.0  # a pooled connection's "SELECT 1" on checkout (capped by statement_timeout)
_DEADLINES = Deadlines(cancel_wait_s=1.0)


def client_deadline_s(statement_timeout_ms: int) -> float:
    """Seconds a statement may block the client: the server's limit plus a grace for its answer."""
    return statement_timeout_ms / 1000.0 + DEADLINE_GRACE_S


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


def _install_pg_deadlines(engine: Engine, deadline_s: float, ping_s: float) -> None:
    """Every statement, and the ping of a pooled connection on checkout, gives up after its deadline.

    The ping replaces SQLAlchemy's ``pool_pre_ping`` (which has no time limit): a connection that does
    not answer it is cut and the whole pool invalidated, as a failed pre-ping would.
    """
    @event.listens_for(engine, "connect")
    def _fresh(dbapi_conn, record):
        record.info["fresh"] = True

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, proxy):
        if record.info.pop("fresh", False):
            return  # just connected: nothing to ping
        armed = _DEADLINES.arm(dbapi_conn, ping_s, cancel=False, what="pool ping")
        try:
            dbapi_conn.execute("SELECT 1")
        except Exception as error:  # any failure means this connection is not usable
            raise sa_exc.InvalidatePoolError(f"replica ping failed: {error}") from error
        finally:
            _DEADLINES.disarm(armed)

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany):
        conn.info["deadline"] = _DEADLINES.arm(conn.connection.dbapi_connection, deadline_s)

    @event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn, cursor, statement, parameters, context, executemany):
        armed = conn.info.pop("deadline", None)
        if armed is not None:
            _DEADLINES.disarm(armed)

    @event.listens_for(engine, "handle_error")
    def _cut(ctx):
        armed = ctx.connection.info.pop("deadline", None) if ctx.connection is not None else None
        if armed is None or not _DEADLINES.disarm(armed) or ctx.is_pre_ping:
            return None
        if getattr(ctx.original_exception, "sqlstate", None) == "57014":
            return None  # the client's cancel was honoured: the server answers, the query was too long
        ctx.is_disconnect = True  # the socket was shut down: the pool drops this connection
        return ReplicaNotAnswering(f"no answer within the client deadline of {deadline_s:.1f} s: "
                                   f"{ctx.original_exception}")


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
        deadline_s = client_deadline_s(statement_timeout_ms)
        engine = create_engine(
            parsed,
            isolation_level="AUTOCOMMIT",
            pool_size=pool_size,
            max_overflow=5,
            pool_timeout=10,
            pool_recycle=1800,
            connect_args={
                "options": options,
                # libpq's minimum is 2 s; short statement limits get short connection attempts too
                "connect_timeout": max(2, min(5, math.ceil(statement_timeout_ms / 1000))),
                "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                "tcp_user_timeout": int(deadline_s * 1000),  # unacknowledged bytes: the network is gone
            },
        )
        _install_pg_deadlines(engine, deadline_s, min(PING_DEADLINE_S, statement_timeout_ms / 1000.0))
        return engine
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
        self.outage = Outage()

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
        """A read-only connection; any database failure leaves as a ``DataError``. While the replica is out,
        one query at a time tries it and the others fail at once (``data_access.outage``)."""
        probe = self.outage.enter()
        try:
            with translated_errors(what, self.outage), self.engine.connect() as conn:
                yield conn
        finally:
            self.outage.leave(probe)

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
        """Call ``fn(conn, schema, *args, **kwargs)`` on a fresh connection (the query entry point).

        A standby that cancels the query because replaying the primary's changes conflicted with it
        (``RecoveryConflict``) gets one more try on another connection; a second conflict is raised.
        """
        schema = self.schema
        info = self.info
        what = getattr(fn, "__name__", "query")
        try:
            with self.connect(what) as conn:
                conn.info["odoo_info"] = info  # installed apps, for queries whose tables depend on them
                return fn(conn, schema, *args, **kwargs)
        except RecoveryConflict as error:
            log.info("%s cancelled by a recovery conflict on the standby; retrying once: %s", what, error.detail)
        with self.connect(what) as conn:
            conn.info["odoo_info"] = info
            return fn(conn, schema, *args, **kwargs)


def connection_dialect(conn: Connection) -> str:
    return conn.dialect.name
