"""Where entries and locks live: Redis (shared by every worker and host) or one process's memory. Both
offer the same few operations; a Redis that does not answer raises ``StoreDown`` within a fraction of a
second (short socket timeouts, no retries), so a cache that hangs never hangs a page."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

__all__ = ["StoreDown", "RedisStore", "LocalStore", "CONNECT_TIMEOUT_S", "SOCKET_TIMEOUT_S"]

# A Redis next to the app answers in a millisecond; these bound what a frozen or unreachable one costs a
# request (one operation: the circuit breaker then skips Redis, see dashboard.cache.breaker).
CONNECT_TIMEOUT_S = 0.3
SOCKET_TIMEOUT_S = 0.3


class StoreDown(Exception):
    """The store did not answer (Redis unreachable, timed out)."""


_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"


class RedisStore:
    """Shared by every worker and host. Fails fast: short connect and socket timeouts and no retries (the
    client library's default retries a timed-out command with backoff, seconds per call on a silent Redis)."""

    def __init__(self, url: str, *, connect_timeout_s: float = CONNECT_TIMEOUT_S, socket_timeout_s: float = SOCKET_TIMEOUT_S):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=socket_timeout_s, socket_connect_timeout=connect_timeout_s,
                                           retry=Retry(NoBackoff(), 0), retry_on_timeout=False, health_check_interval=30)
        self._release = self.client.register_script(_RELEASE)
        self._renew = self.client.register_script(_RENEW)

    @contextmanager
    def _answering(self):
        try:
            yield
        except self._errors as error:
            raise StoreDown(f"{type(error).__name__}: {error}") from error

    def get(self, key: str) -> bytes | None:
        with self._answering():
            return self.client.get(key)

    def set(self, key: str, value: bytes, ttl_ms: int) -> None:
        with self._answering():
            self.client.set(key, value, px=max(int(ttl_ms), 1))

    def add(self, key: str, value: bytes, ttl_ms: int) -> bool:
        """Set ``key`` only when it does not exist (a lock: ``SET NX PX``)."""
        with self._answering():
            return bool(self.client.set(key, value, px=max(int(ttl_ms), 1), nx=True))

    def delete_if(self, key: str, value: bytes) -> bool:
        """Delete ``key`` only while it still holds ``value`` (a lock released by its owner only)."""
        with self._answering():
            return bool(self._release(keys=[key], args=[value]))

    def renew_if(self, key: str, value: bytes, ttl_ms: int) -> bool:
        with self._answering():
            return bool(self._renew(keys=[key], args=[value, max(int(ttl_ms), 1)]))


class LocalStore:
    """One process's store ('simple', and the fallback while Redis is down): the same operations with the
    same expiry, under one lock. Holds at most ``max_bytes`` of values (rendered figures are large): expired
    entries go first, then those closest to expiry."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._data: dict[str, tuple[bytes, float]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._data.pop(key)[0])

    def _live(self, key: str) -> bytes | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] <= time.monotonic():
            self._drop(key)
            return None
        return item[0]

    def _put(self, key: str, value: bytes, ttl_ms: int) -> None:
        if key in self._data:
            self._drop(key)
        self._data[key] = (value, time.monotonic() + ttl_ms / 1000)
        self._bytes += len(value)
        if self._bytes > self.max_bytes:
            now = time.monotonic()
            for k in [k for k, (_, until) in self._data.items() if until <= now]:
                self._drop(k)
            for k, _ in sorted(self._data.items(), key=lambda kv: kv[1][1]):
                if self._bytes <= self.max_bytes:
                    break
                self._drop(k)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: bytes, ttl_ms: int) -> None:
        with self._lock:
            self._put(key, value, ttl_ms)

    def add(self, key: str, value: bytes, ttl_ms: int) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._put(key, value, ttl_ms)
            return True

    def delete_if(self, key: str, value: bytes) -> bool:
        with self._lock:
            if self._live(key) != value:
                return False
            self._drop(key)
            return True

    def renew_if(self, key: str, value: bytes, ttl_ms: int) -> bool:
        with self._lock:
            if self._live(key) != value:
                return False
            self._put(key, value, ttl_ms)
            return True
