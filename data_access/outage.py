"""One log line when the replica stops answering and one when it answers again, not one per query."""
from __future__ import annotations

import logging
import threading
import time

__all__ = ["Outage"]

log = logging.getLogger("data_access.replica")


class Outage:
    """The current replica outage of this process, if any.

    ``failed`` logs a warning for the first failure of an outage (the failures after it go to debug);
    ``answered`` logs once, with the outage's length, when a query succeeds again.
    """

    def __init__(self) -> None:
        self._since: float | None = None
        self._failures = 0
        self._lock = threading.Lock()

    @property
    def down_since(self) -> float | None:
        """``time.time()`` of the outage's first failure, or None while the replica answers."""
        return self._since

    def failed(self, what: str, reason: str, detail: str) -> None:
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.time()
            self._failures += 1
        if first:
            log.warning("replica outage began during %s (%s): %s; further failures are logged at debug "
                        "until it answers", what, reason, detail.strip().splitlines()[0] if detail.strip() else "")
        else:
            log.debug("replica still out during %s (%s): %s", what, reason, detail)

    def answered(self) -> None:
        if self._since is None:
            return
        with self._lock:
            since, failures, self._since, self._failures = self._since, self._failures, None, 0
        if since is not None:
            log.warning("replica answers again after %.1f s out (%d failed queries)", time.time() - since, failures)
