"""A replica that is down, silent (sockets open, no byte back), slow or in recovery conflict, on the real
PostgreSQL behind a TCP proxy: every query gives up within the statement timeout plus 5 s with a clear
error, and the replica is used again, by itself, once the proxy forwards again."""
from __future__ import annotations

import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from data_access.engine import Replica
from data_access.errors import QueryTimeout, RecoveryConflict, ReplicaNotAnswering, ReplicaUnavailable
from helpers.odoo_db import OdooTestDB
from helpers.pg import drop_database, fresh_database, worker_suffix
from helpers.tcp_proxy import TcpProxy

pytestmark = pytest.mark.pg

TIMEOUT_MS = 1500
BUDGET_S = TIMEOUT_MS / 1000 + 5  # the bound: statement timeout plus 5 s


@pytest.fixture(scope="module")
def pg_db():
    name = f"odt_faults_{worker_suffix()}"
    db = OdooTestDB(fresh_database(name), "17.0", "postgresql").create().reset()
    db.insert("res_company", {"id": 1, "name": "One"})
    yield db
    db.close()
    drop_database(name)


@pytest.fixture
def proxy():
    with TcpProxy("127.0.0.1", 5432) as p:
        yield p


@pytest.fixture
def replica(pg_db, proxy):
    url = make_url(pg_db.url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    r = Replica(url, statement_timeout_ms=TIMEOUT_MS, pool_size=3)
    yield r
    proxy.mode = "forward"
    r.dispose()


def company_names(conn, schema):
    return conn.execute(select(schema.res_company.c.name)).scalars().all()


def timed(fn, *args):
    """(exception raised or None, seconds taken)."""
    start = time.monotonic()
    try:
        fn(*args)
    except Exception as error:  # the tests assert on its type
        return error, time.monotonic() - start
    return None, time.monotonic() - start


def sleep_query(seconds: float):
    def pg_sleep(conn, schema):
        return conn.execute(text("SELECT pg_sleep(:s)"), {"s": seconds}).all()
    return pg_sleep


def test_silent_replica_gives_up_on_a_pooled_connection_and_recovers(replica, proxy):
    assert replica.run(company_names) == ["One"]  # the pool holds a connection that worked
    proxy.mode = "silent"
    error, took = timed(replica.run, company_names)
    assert isinstance(error, ReplicaUnavailable), error
    assert took < BUDGET_S
    proxy.mode = "forward"
    assert replica.run(company_names) == ["One"]


def test_silence_in_the_middle_of_a_statement_is_cut_by_the_client_deadline(replica, proxy):
    replica.run(company_names)
    threading.Timer(0.3, lambda: setattr(proxy, "mode", "silent")).start()
    error, took = timed(replica.run, sleep_query(0.6))  # the answer comes after the proxy went silent
    assert isinstance(error, ReplicaNotAnswering), error
    assert error.user_message.startswith("The Odoo replica is not answering")
    assert TIMEOUT_MS / 1000 < took < BUDGET_S
    proxy.mode = "forward"
    assert replica.run(company_names) == ["One"]  # the cut connection left the pool


def test_three_concurrent_queries_on_a_silent_replica_all_return_in_time(replica, proxy):
    """The finding: three callbacks at once hung 61.6 s and gunicorn killed every worker."""
    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(lambda _: replica.run(company_names), range(3))) == [["One"]] * 3
    proxy.mode = "silent"
    start = time.monotonic()
    with ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(lambda _: timed(replica.run, company_names), range(3)))
    assert all(isinstance(error, ReplicaUnavailable) for error, _ in outcomes), outcomes
    assert time.monotonic() - start < BUDGET_S
    proxy.mode = "forward"
    assert replica.run(company_names) == ["One"]


def test_during_an_outage_one_query_probes_and_the_others_fail_at_once(replica, proxy):
    replica.run(company_names)
    proxy.mode = "silent"
    assert isinstance(timed(replica.run, company_names)[0], ReplicaUnavailable)  # the outage begins
    with ThreadPoolExecutor(1) as pool:
        probe = pool.submit(timed, replica.run, company_names)
        time.sleep(0.3)
        error, took = timed(replica.run, company_names)
        assert isinstance(error, ReplicaUnavailable) and took < 0.2, (error, took)
        assert "another query is probing the replica" in str(error)
        error, took = probe.result()
    assert isinstance(error, ReplicaUnavailable) and took < BUDGET_S
    proxy.mode = "forward"
    assert replica.run(company_names) == ["One"]  # the next probe finds it back
    assert replica.outage.down_since is None


def test_replica_down_fails_fast_and_recovers(replica, proxy):
    replica.run(company_names)
    proxy.mode = "down"
    error, took = timed(replica.run, company_names)
    assert isinstance(error, ReplicaUnavailable) and not isinstance(error, ReplicaNotAnswering), error
    assert took < 2
    error, took = timed(replica.ping)  # and again, now on a new connection attempt
    assert isinstance(error, ReplicaUnavailable) and took < 2
    proxy.mode = "forward"
    assert replica.run(company_names) == ["One"]


def test_connection_refused_fails_fast(pg_db):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = make_url(pg_db.url).set(port=port).render_as_string(hide_password=False)
    replica = Replica(url, statement_timeout_ms=TIMEOUT_MS)
    error, took = timed(replica.ping)
    assert isinstance(error, ReplicaUnavailable), error
    assert "cannot be reached" in error.user_message
    assert took < 2
    replica.dispose()


def test_slow_query_is_cancelled_by_the_server(replica):
    error, took = timed(replica.run, sleep_query(30))
    assert isinstance(error, QueryTimeout), error
    assert error.user_message == "The Odoo replica took too long to answer. Try a shorter period or try again shortly."
    assert took < TIMEOUT_MS / 1000 + 1
    assert replica.run(company_names) == ["One"]  # the connection is still good


def test_query_blocked_by_a_lock_times_out(replica, pg_db):
    """A replayed ACCESS EXCLUSIVE lock (or a migration on the primary) holds the table: lock_timeout."""
    with pg_db.engine.connect() as locker:
        locker.execute(text("LOCK TABLE res_company IN ACCESS EXCLUSIVE MODE"))
        error, took = timed(replica.run, company_names)
        locker.rollback()
    assert isinstance(error, QueryTimeout), error
    assert took < BUDGET_S


# A standby cancels a query whose snapshot or lock conflicts with the WAL it replays with SQLSTATE 40001
# and this message. Raised here by the real server (a DO block is allowed in a read-only session).
CONFLICT = text("DO $$ BEGIN RAISE EXCEPTION 'canceling statement due to conflict with recovery' "
                "USING ERRCODE = '40001', DETAIL = 'User query might have needed to see row versions that must be removed.'; END $$")


def conflicting(times: int):
    calls = []

    def query(conn, schema):
        calls.append(1)
        if len(calls) <= times:
            conn.execute(CONFLICT)
        return company_names(conn, schema)
    return query, calls


def test_recovery_conflict_is_retried_once(replica):
    query, calls = conflicting(1)
    assert replica.run(query) == ["One"]
    assert len(calls) == 2


def test_second_recovery_conflict_is_a_clear_error(replica):
    query, calls = conflicting(5)
    with pytest.raises(RecoveryConflict) as raised:
        replica.run(query)
    assert len(calls) == 2
    assert "cancelled the query while it was catching up" in raised.value.user_message


def test_an_outage_is_logged_once_and_its_end_once(replica, proxy, caplog):
    replica.run(company_names)
    proxy.mode = "down"
    with caplog.at_level(logging.INFO, logger="data_access"):
        for _ in range(4):
            with pytest.raises(ReplicaUnavailable):
                replica.run(company_names)
        proxy.mode = "forward"
        replica.run(company_names)
        replica.run(company_names)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("replica outage began") and warnings[1].startswith("replica answers again")
