"""The circuit breaker in front of Redis: after one failed operation Redis is skipped for ``open_s``
seconds, then one caller probes it while the others keep skipping it. One log line when it goes down and
one when it is back, never one per call."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

__all__ = ["Breaker", "OPEN_S"]

log = logging.getLogger(__name__)

OPEN_S = 30.0  # how long Redis is skipped after a failure before one caller tries it again


class Breaker:
    """``allow()`` says what a caller does with the store: ``"use"`` it (it answered last time), ``"probe"``
    it (the one caller trying it again after ``open_s``) or ``"skip"`` it. A caller that sees the store fail
    calls ``failed(reason)``; a prober calls ``settle()`` when done, which closes the breaker unless a
    failure was reported meanwhile."""

    def __init__(self, open_s: float = OPEN_S, clock: Callable[[], float] = time.monotonic):
        self.open_s = open_s
        self._clock = clock
        self._lock = threading.Lock()
        self._down_since: float | None = None  # epoch seconds of the outage's first failure
        self._retry_at = 0.0
        self._probe_until: float | None = None  # a probe in flight (expires, should its caller never settle)

    @property
    def down_since(self) -> float | None:
        """When the current outage began (epoch seconds), or None while the store answers."""
        return self._down_since

    def allow(self) -> str:
        if self._down_since is None:  # the common case, without the lock
            return "use"
        with self._lock:
            if self._down_since is None:
                return "use"
            now = self._clock()
            probing = self._probe_until is not None and now < self._probe_until
            if probing or now < self._retry_at:
                return "skip"
            self._probe_until = now + self.open_s
            return "probe"

    def failed(self, reason: str) -> None:
        """The store did not answer: skip it for ``open_s`` (logged once per outage)."""
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = time.time()
            self._retry_at = self._clock() + self.open_s
            self._probe_until = None
        if first:
            log.warning("cache store down: %s; serving without shared cache", reason)

    def settle(self) -> None:
        """A probe finished without a failure: the store is back (logged once)."""
        with self._lock:
            if self._down_since is None or self._probe_until is None:
                return
            outage = time.time() - self._down_since
            self._down_since = self._probe_until = None
        log.warning("cache store back after %.0f s: serving with shared cache again", outage)
