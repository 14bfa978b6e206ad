"""Gunicorn hooks for the benchmarks only: count the statements each worker sends to the replica.

``callback_bench`` and ``load_test`` start the Procfile's gunicorn command with ``--config`` pointing
here. After the fork, each worker listens to SQLAlchemy's ``before_cursor_execute`` on every engine
and counts the statements whose database is ``BENCH_REPLICA_DB`` (the app's own store and the cache
are not counted). The count goes to ``$BENCH_STATEMENTS_DIR/<worker pid>`` (20 digits, rewritten in
place on every statement: statements are cache misses, so this is rare), where the benchmark sums it.
Without ``BENCH_STATEMENTS_DIR`` the hooks do nothing; the app never imports this file.
"""
from __future__ import annotations

import os
import threading


def post_fork(server, worker) -> None:
    directory = os.environ.get("BENCH_STATEMENTS_DIR")
    replica_db = os.environ.get("BENCH_REPLICA_DB")
    if not directory or not replica_db:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    fd = os.open(os.path.join(directory, str(os.getpid())), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.pwrite(fd, b"%020d" % 0, 0)
    lock = threading.Lock()
    count = [0]

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if conn.engine.url.database != replica_db:
            return
        with lock:
            count[0] += 1
            os.pwrite(fd, b"%020d" % count[0], 0)

    event.listen(Engine, "before_cursor_execute", on_execute)
