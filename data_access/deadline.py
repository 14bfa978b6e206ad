"""A client-side deadline on every replica statement, so a silent replica cannot hold a worker.

``statement_timeout`` runs on the server: a server that is frozen, or a network that swallows bytes
while both kernels still acknowledge them, never sends the cancellation, and the client's blocking
read waits for ever (TCP keepalives and ``tcp_user_timeout`` do not fire while the peer's kernel
answers). One watcher thread per process keeps the armed statements; when one passes its deadline
the watcher asks the server to cancel it (``cancel_safe``, the way that does not block without
limit) and, if the statement is still blocked a moment later, shuts the connection's socket down so
the blocked read returns with an error. The connection is then dead and the pool drops it.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field

__all__ = ["Deadlines", "Armed"]

log = logging.getLogger(__name__)
TICK_S = 0.1


@dataclass(eq=False)
class Armed:
    """One statement under watch: ``fired`` tells, after it returned, whether the watcher cut it."""

    conn: object
    at: float
    cancel: bool
    what: str
    fired: bool = False
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    finished: threading.Event = field(default_factory=threading.Event)


class Deadlines:
    """Arm a deadline around one blocking call on a psycopg connection; ``disarm`` when it returns.

    ``cancel_wait_s`` is how long the server may take to honour the cancel request (and the
    statement to return) before the socket is shut down.
    """

    def __init__(self, cancel_wait_s: float = 1.0):
        self.cancel_wait_s = cancel_wait_s
        self._armed: set[Armed] = set()
        self._lock = threading.Lock()
        self._pid: int | None = None

    def arm(self, conn, seconds: float, *, cancel: bool = True, what: str = "statement") -> Armed:
        entry = Armed(conn, time.monotonic() + seconds, cancel, what)
        with self._lock:
            self._ensure_watcher()
            self._armed.add(entry)
        return entry

    def disarm(self, entry: Armed) -> bool:
        """Stop watching; True when the deadline had fired (the statement was cut or cancelled)."""
        with entry.lock:
            entry.done = True
        entry.finished.set()
        with self._lock:
            self._armed.discard(entry)
        return entry.fired

    # --- the watcher -----------------------------------------------------------------
    def _ensure_watcher(self) -> None:
        pid = os.getpid()
        if self._pid != pid:  # threads do not survive a fork: each process starts its own
            self._pid = pid
            threading.Thread(target=self._watch, name="replica-deadlines", daemon=True).start()

    def _watch(self) -> None:
        # A tick rather than a wake-up per statement: arming stays a set insertion (waking the watcher on
        # every statement cost about 90 us each); deadlines fire within one tick of their time.
        while True:
            time.sleep(TICK_S)
            now = time.monotonic()
            with self._lock:
                due = [e for e in self._armed if e.at <= now]
                self._armed.difference_update(due)
            for entry in due:
                entry.fired = True
                threading.Thread(target=self._cut, args=(entry,), name="replica-deadline-cut", daemon=True).start()

    def _cut(self, entry: Armed) -> None:
        if entry.cancel:
            threading.Thread(target=_cancel, args=(entry.conn, self.cancel_wait_s), daemon=True).start()
            if entry.finished.wait(self.cancel_wait_s + 0.5):
                log.debug("replica %s passed its client deadline; the server cancelled it", entry.what)
                return
        with entry.lock:  # the socket stays open while the statement has not returned
            if entry.done:
                return
            _shutdown(entry.conn)
        log.debug("replica %s passed its client deadline with no answer: connection cut", entry.what)


def _cancel(conn, timeout: float) -> None:
    try:
        conn.cancel_safe(timeout=timeout)
    except Exception as error:  # a cancel that fails is followed by the cut
        log.debug("cancel request failed: %s", error)


def _shutdown(conn) -> None:
    """Shut the connection's socket down for both directions (a blocked read then returns)."""
    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
    except Exception:  # psycopg raises its own error once the connection is closed
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()
