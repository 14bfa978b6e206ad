"""The replica's outages in this process: logged once when one begins and once when it ends, not once per
query, and a short cut for queries while one lasts.

While the replica is out, one query at a time probes it (its connection attempt can take the client
deadline when the replica is silent); the queries that arrive meanwhile fail at once with the same
error instead of each waiting for the same timeout. The first probe that succeeds ends the outage.
"""
from __future__ import annotations

import logging
import threading
import time

__all__ = ["Outage"]

log = logging.getLogger("data_access.replica")


class Outage:
    """The current replica outage of this process, if any.

    ``failed`` logs a warning for the first failure of an outage (the failures after it go to debug);
    ``answered`` logs once, with the outage's length, when a query succeeds again. ``enter`` / ``leave``
    bracket each query.
    """

    def __init__(self) -> None:
        self._since: float | None = None
        self._failures = 0
        self._last: tuple[type, str] | None = None
        self._probing = False
        self._lock = threading.Lock()

    @property
    def down_since(self) -> float | None:
        """``time.time()`` of the outage's first failure, or None while the replica answers."""
        return self._since

    def enter(self) -> bool:
        """Before a query: True when it is the outage's probe, False when there is no outage; raises the
        outage's ``ReplicaUnavailable`` at once while another query probes. Call ``leave(probe)`` after it."""
        if self._since is None:
            return False
        with self._lock:
            if self._since is None:
                return False
            if not self._probing:
                self._probing = True
                return True
            cls, detail = self._last
            self._failures += 1
            since = self._since
        raise cls(f"another query is probing the replica, out for {time.time() - since:.0f} s: {detail}")

    def leave(self, probe: bool) -> None:
        if probe:
            self._probing = False

    def failed(self, what: str, error) -> None:
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.time()
            self._failures += 1
            self._last = (type(error), error.detail)
        if first:
            line = error.detail.strip().splitlines()[0] if error.detail.strip() else ""
            log.warning("replica outage began during %s (%s): %s; further failures are logged at debug until it "
                        "answers", what, error.reason, line)
        else:
            log.debug("replica still out during %s (%s): %s", what, error.reason, error.detail)

    def answered(self) -> None:
        if self._since is None:
            return
        with self._lock:
            since, failures, self._since, self._failures = self._since, self._failures, None, 0
        if since is not None:
            log.warning("replica answers again after %.1f s out (%d failed queries)", time.time() - since, failures)
