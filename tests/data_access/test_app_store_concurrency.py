"""Several gunicorn workers start at once: opening the store (WAL mode), creating its schema and the
demo users must not race.

Each round starts fresh processes on a new SQLite file and releases them together from a barrier,
the moment gunicorn forks its workers. Switching a new file to WAL can answer "database is locked"
at once, without waiting on the busy timeout (seen in about 1 of 50 starts of 16 raw connections);
that race is rare, so the retry itself is tested deterministically below with a locked cursor.
"""
import multiprocessing
from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from data_access import app_store  # imported before the fork, as gunicorn's preload does

WORKERS = 6
ROUNDS = 4


def _start_worker(url: str, barrier, results) -> None:
    try:
        # A cheap hash keeps the workers' writes close together (scrypt takes ~1 s per user here).
        app_store.generate_password_hash = partial(generate_password_hash, method="pbkdf2:sha256:1")
        barrier.wait(timeout=60)
        store = app_store.AppStore(url).create_schema()
        users = store.ensure_demo_users()
        mode = store.engine.connect().exec_driver_sql("PRAGMA journal_mode").scalar()
        store.dispose()
        results.put(("ok", users, mode))
    except Exception as error:  # reported to the test, which fails with it
        results.put(("error", repr(error), None))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_workers_starting_together_share_one_schema_and_one_set_of_demo_users(tmp_path, round_):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [context.Process(target=_start_worker, args=(url, barrier, results)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert [o for o in outcomes if o[0] != "ok"] == []
    assert all(o[1] == outcomes[0][1] for o in outcomes)
    assert {o[2] for o in outcomes} == {"wal"}
    store = app_store.AppStore(url)
    assert sorted(u.username for u in store.list_users()) == sorted(u for u, _ in outcomes[0][1])
    store.dispose()


class _LockedCursor:
    """A DB-API cursor whose database is locked for the first ``busy`` attempts to switch to WAL."""

    def __init__(self, busy: int):
        self.busy, self.mode, self.statements = busy, "delete", []

    def execute(self, sql):
        self.statements.append(sql)
        if sql == "PRAGMA journal_mode=WAL":
            if self.busy:
                self.busy -= 1
                raise app_store.sqlite3.OperationalError("database is locked")
            self.mode = "wal"
        return self

    def fetchone(self):
        return (self.mode,)

    def fetchall(self):
        return [(self.mode,)]

    def close(self):
        pass


class _Conn:
    def __init__(self, cursor):
        self._cursor = cursor

    def cursor(self):
        return self._cursor


def test_switching_to_wal_waits_out_a_lock_the_busy_handler_does_not_cover():
    # SQLite answers "database is locked" at once, without the busy timeout, when two new connections
    # switch the same file to WAL together (waiting could deadlock); the switch is retried instead.
    cursor = _LockedCursor(busy=3)
    app_store._sqlite_wal(_Conn(cursor))
    assert cursor.mode == "wal"
    assert cursor.statements[0].startswith("PRAGMA busy_timeout=")  # set before anything takes a lock
    assert cursor.statements.count("PRAGMA journal_mode=WAL") == 4


def test_a_file_already_in_wal_is_not_switched_again():
    cursor = _LockedCursor(busy=0)
    cursor.mode = "wal"
    app_store._sqlite_wal(_Conn(cursor))
    assert "PRAGMA journal_mode=WAL" not in cursor.statements


def test_other_sqlite_errors_are_not_retried():
    class Broken(_LockedCursor):
        def execute(self, sql):
            if sql == "PRAGMA journal_mode":
                raise app_store.sqlite3.OperationalError("disk I/O error")
            return super().execute(sql)

    with pytest.raises(app_store.sqlite3.OperationalError, match="disk I/O"):
        app_store._sqlite_wal(_Conn(Broken(busy=0)))
