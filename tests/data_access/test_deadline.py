"""The client-side deadline (data_access.deadline) on a socket pair standing in for a replica connection:
a blocked read past its deadline is cancelled, then cut; a call that returns in time is never touched."""
from __future__ import annotations

import socket
import time

from data_access.deadline import Deadlines


class FakeConnection:
    """What the watcher uses of a psycopg connection: its socket and a cancel request."""

    def __init__(self, sock: socket.socket, cancel_answers: bool = False):
        self.sock = sock
        self.cancel_answers = cancel_answers
        self.cancels = 0

    def fileno(self) -> int:
        return self.sock.fileno()

    def cancel_safe(self, timeout: float) -> None:
        self.cancels += 1
        if not self.cancel_answers:
            time.sleep(timeout)
            raise TimeoutError("cancellation timeout expired")


def test_a_blocked_read_is_cancelled_then_cut():
    ours, theirs = socket.socketpair()  # "theirs" never writes: a silent server
    conn = FakeConnection(ours)
    deadlines = Deadlines(cancel_wait_s=0.2)
    armed = deadlines.arm(conn, 0.3)
    start = time.monotonic()
    assert ours.recv(10) == b""  # the shut-down socket ends the blocked read
    took = time.monotonic() - start
    assert deadlines.disarm(armed) is True
    assert conn.cancels == 1
    assert 0.3 + 0.2 <= took < 0.3 + 0.2 + 0.5 + 0.5  # deadline, cancel wait, its grace, a tick or so
    ours.close()
    theirs.close()


def test_a_ping_is_cut_without_a_cancel():
    ours, theirs = socket.socketpair()
    conn = FakeConnection(ours)
    armed = Deadlines(cancel_wait_s=5).arm(conn, 0.2, cancel=False)
    start = time.monotonic()
    assert ours.recv(10) == b""
    assert time.monotonic() - start < 1 and conn.cancels == 0 and armed.fired
    ours.close()
    theirs.close()


def test_a_call_that_returns_in_time_is_never_touched():
    ours, theirs = socket.socketpair()
    conn = FakeConnection(ours)
    deadlines = Deadlines(cancel_wait_s=0.1)
    armed = deadlines.arm(conn, 0.2)
    theirs.sendall(b"answer")
    assert ours.recv(10) == b"answer"
    assert deadlines.disarm(armed) is False
    time.sleep(0.5)  # well past the deadline
    theirs.sendall(b"still open")
    assert ours.recv(20) == b"still open" and conn.cancels == 0
    ours.close()
    theirs.close()
