"""The result cache of the data API: a TTL per data domain, one computation per key across workers and
hosts, the last good value served at once while one caller refreshes it, errors never stored, and a
cache that is down skipped.

Every cached function of ``dashboard.service`` goes through ``Cache.fetch``:

- **Keys** are ``<prefix>:v<VERSION>:<function>:<role>:<sha256>`` where the hash covers the canonical JSON of
  (function, role, sorted company ids, sorted warehouse ids, arguments): plain values only, never an object
  repr, so every worker and host computes the same key. ``VERSION`` is bumped when a cached payload changes
  shape, so a deploy never reads values of the old shape; ``prefix`` (setting ``cache_prefix``) separates
  deployments sharing one Redis.
- **Entries** hold ``(computed_at, value)`` and live TTL + a stale window (``stale_window``: 10x the TTL, at
  most a day). Younger than their TTL they are served; older, they are served at once (``Hit.stale``, with
  their ``computed_at``) while exactly one caller, the one that takes the key's lock, refreshes them in a
  background thread.
- **Single flight**: on a miss one caller takes the key's lock (Redis ``SET NX PX`` with a random token,
  renewed while it computes, deleted only by its owner) and computes; the others poll for the value for at
  most ``wait_s`` seconds. A holder that dies stops renewing, its lock expires after ``lock_ttl_s`` and the
  next caller computes. The 'simple' backend keeps the same entries and locks in the process's memory.
- **Errors** are never stored. A ``DataError`` raises to the caller that computed and to the callers that
  waited on that same computation (later callers try again); the lock is released either way. When the
  refresh of a stale value fails, the stale value stays and keeps being served, with a logged warning.
- **A cache that is down** (Redis unreachable) fails open: values are computed directly, without caching or
  single flight; a warning is logged at most once a minute and Redis is not tried again for a few seconds.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import pickle
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from data_access.errors import DataError, QueryTimeout

__all__ = ["VERSION", "Cache", "Hit", "in_background", "WarmStats", "scope_key", "stale_window", "refresh_ahead", "LocalStore",
           "RedisStore", "StoreDown"]

log = logging.getLogger(__name__)

VERSION = 1  # bump when the shape of a cached payload changes: a deploy then never reads the old shape
MAX_STALE_S = 86400
WAIT_S = 50.0  # longest wait for another worker's computation: below gunicorn's --timeout 60 (Procfile)


def stale_window(ttl: float) -> float:
    """How long past its TTL an entry is still served (while it is refreshed): 10x the TTL, at most a day."""
    return min(10 * ttl, MAX_STALE_S)


# --- keys ----------------------------------------------------------------------------------------------

def _plain(value):
    """``value`` as plain JSON data, or TypeError: a key must never depend on an object's repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    raise TypeError(f"cache key parts must be plain data, not {type(value).__name__}")


def _ids(ids) -> list[int] | None:
    return None if ids is None else sorted({int(i) for i in ids})


def scope_key(prefix: str, function: str, role: str, company_ids, warehouse_ids, arguments) -> str:
    """The key of ``function``'s value for one role and scope and its arguments (plain data)."""
    raw = json.dumps([function, role, _ids(company_ids), _ids(warehouse_ids), _plain(arguments)],
                     sort_keys=True, separators=(",", ":"))
    return f"{prefix}:v{VERSION}:{function}:{role}:{hashlib.sha256(raw.encode()).hexdigest()}"


# --- stores: the few operations the cache needs, in Redis or in this process --------------------------

class StoreDown(Exception):
    """The store did not answer (Redis unreachable, timed out)."""


_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"


class RedisStore:
    """Shared by every worker and host. Short socket timeouts: a cache that hangs must not hang pages."""

    def __init__(self, url: str):
        import redis

        self._errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1, health_check_interval=30)
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
    """One process's store ('simple'): the same operations with the same expiry, under one lock. Holds at
    most ``max_bytes`` of values (rendered figures are large): expired entries go first, then those closest
    to expiry."""

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


# --- warm-up: recompute what would expire soon -----------------------------------------------------------

@dataclass
class WarmStats:
    """What a warm-up pass did to the keys it read."""

    computed: int = 0
    fresh: int = 0  # still fresh beyond the horizon: left alone
    busy: int = 0  # another caller was computing it


_AHEAD: contextvars.ContextVar[tuple[float, WarmStats] | None] = contextvars.ContextVar("cache_refresh_ahead", default=None)


@contextmanager
def refresh_ahead(seconds: float) -> Iterator[WarmStats]:
    """Within this block (the ``warm`` command), a value that would be stale within ``seconds`` is recomputed
    now, in the caller's thread, instead of served; the block's counts are in the yielded ``WarmStats``."""
    stats = WarmStats()
    token = _AHEAD.set((float(seconds), stats))
    try:
        yield stats
    finally:
        _AHEAD.reset(token)


# --- the cache -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    """A value with the time it was computed (epoch seconds) and whether it is past its TTL."""

    value: Any
    computed_at: float
    stale: bool = False


_background = threading.local()


def in_background() -> bool:
    """True inside a stale-while-revalidate refresh: nobody waits for it, so it should take the replica's
    cores gently (one KPI family at a time) and leave them to the requests served meanwhile."""
    return getattr(_background, "active", False)


def _loads(raw: bytes | None):
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:  # an entry of another build or a torn write: a miss, never a crash
        log.warning("unreadable cache entry ignored", exc_info=True)
        return None


class Cache:
    """Entries and locks in one store (``None``: no cache, every call computes).

    ``lock_ttl_s`` must exceed the replica's statement timeout (a live holder renews its lock every third of
    it, so a long computation keeps it); ``wait_s`` bounds how long a caller waits for another's computation
    before it gives up with ``QueryTimeout``; at most ``max_refreshes`` background refreshes run per process.
    """

    def __init__(self, store: RedisStore | LocalStore | None, *, prefix: str = "odoo-dash", lock_ttl_s: float = 20.0,
                 wait_s: float = WAIT_S, max_refreshes: int = 1, retry_s: float = 5.0):
        self.store = store
        self.prefix = prefix
        self.lock_ttl_s = lock_ttl_s
        self.wait_s = wait_s
        self.retry_s = retry_s
        self._refreshes = threading.BoundedSemaphore(max_refreshes)
        self._skip_until = 0.0
        self._next_log = 0.0
        self._down_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> Cache:
        """The cache the settings name: none ('null'), this process's memory ('simple') or Redis ('redis'); its
        locks outlive the statement timeout by 5 s."""
        store = {"null": lambda: None, "simple": LocalStore, "redis": lambda: RedisStore(settings.cache_url)}[settings.cache_type]()
        return cls(store, prefix=settings.cache_prefix, lock_ttl_s=settings.statement_timeout_ms / 1000 + 5)

    # -- public -------------------------------------------------------------------------------------------
    def key(self, function: str, role: str, company_ids, warehouse_ids, arguments) -> str:
        """See ``scope_key``: this cache's prefix, the function, role, scope and arguments."""
        return scope_key(self.prefix, function, role, company_ids, warehouse_ids, arguments)

    def get_or_compute(self, key: str, ttl: float, compute: Callable[[], Any]) -> Any:
        """``compute()``'s value for ``key``, from the cache when it holds one (see ``fetch``)."""
        return self.fetch(key, ttl, compute).value

    def fetch(self, key: str, ttl: float, compute: Callable[[], Any]) -> Hit:
        """The value for ``key``: fresh from the cache; stale from the cache at once while one caller refreshes it
        in the background; or computed once across workers (the others wait for it). A ``DataError`` of the
        computation raises here and is not stored; a cache that is down computes directly."""
        if self.store is None or time.monotonic() < self._skip_until:
            return Hit(compute(), time.time())
        try:
            entry = _loads(self.store.get(key))
            ahead = _AHEAD.get()
            if entry is not None:
                computed_at, value = entry
                age = time.time() - computed_at
                if ahead is not None:
                    return self._warm(key, ttl, compute, age, Hit(value, computed_at, age >= ttl), *ahead)
                if age < ttl:
                    return Hit(value, computed_at)
                try:
                    self._refresh_in_background(key, ttl, compute)
                except StoreDown as error:  # the stale value is still the best answer
                    self._down(error)
                return Hit(value, computed_at, stale=True)
            hit = self._compute_once(key, ttl, compute)
            if ahead is not None:
                ahead[1].computed += 1
            return hit
        except StoreDown as error:
            self._down(error)
            return Hit(compute(), time.time())

    # -- single flight ------------------------------------------------------------------------------------
    def _compute_once(self, key: str, ttl: float, compute) -> Hit:
        """Take the lock and compute, or wait for the holder's value (raises StoreDown before computing only)."""
        lock, seen = f"{key}:lock", set()
        deadline, pause = time.monotonic() + self.wait_s, 0.01
        while True:
            token = self._acquire(lock)
            if token is not None:
                # The holder before us may have stored its value and let go between our miss and our lock.
                entry = _loads(self.store.get(key))
                if entry is not None:
                    self._release_quietly(lock, token)
                    return Hit(entry[1], entry[0])
                return self._compute_and_store(key, ttl, compute, lock, token)
            seen.add(self.store.get(lock))
            while True:
                if time.monotonic() >= deadline:
                    raise QueryTimeout(f"waited {self.wait_s:.0f} s for another worker computing {key}")
                time.sleep(pause)
                pause = min(pause * 1.5, 0.2)
                entry = _loads(self.store.get(key))
                if entry is not None:
                    return Hit(entry[1], entry[0])
                holder = self.store.get(lock)
                if holder is None:
                    failed = _loads(self.store.get(f"{key}:failed"))
                    if failed is not None and failed[0] in seen:
                        raise failed[1]  # the computation this caller waited for failed: not retried by every waiter
                    break  # free, without a value (holder died or failed before we saw it): take the lock
                seen.add(holder)

    def _acquire(self, lock: str) -> bytes | None:
        token = secrets.token_hex(16).encode()
        return token if self.store.add(lock, token, int(self.lock_ttl_s * 1000)) else None

    def _release_quietly(self, lock: str, token: bytes) -> None:
        try:
            self.store.delete_if(lock, token)
        except StoreDown as error:
            self._down(error)  # the lock expires by itself

    @contextmanager
    def _holding(self, lock: str, token: bytes):
        """Keep the lock renewed while the block runs; release it (only if still ours) after."""
        stop = threading.Event()
        ttl_ms = int(self.lock_ttl_s * 1000)

        def renew():
            while not stop.wait(self.lock_ttl_s / 3):
                try:
                    if not self.store.renew_if(lock, token, ttl_ms):
                        return
                except StoreDown:
                    return

        renewer = threading.Thread(target=renew, name="cache-lock-renewal", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            try:
                self.store.delete_if(lock, token)
            except StoreDown as error:
                self._down(error)  # the lock expires by itself

    def _compute_and_store(self, key: str, ttl: float, compute, lock: str, token: bytes) -> Hit:
        with self._holding(lock, token):
            try:
                value = compute()
            except DataError as error:
                self._share_failure(key, token, error)
                raise
            computed_at = time.time()
            self._store(key, ttl, computed_at, value)
        return Hit(value, computed_at)

    def _store(self, key: str, ttl: float, computed_at: float, value) -> None:
        try:
            raw = pickle.dumps((computed_at, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            log.warning("value of %s cannot be cached (not picklable); served uncached", key, exc_info=True)
            return
        try:
            self.store.set(key, raw, int((ttl + stale_window(ttl)) * 1000))
        except StoreDown as error:
            self._down(error)

    def _share_failure(self, key: str, token: bytes, error: DataError) -> None:
        """Tell the callers waiting on this computation that it failed (they raise it too, and do not each
        retry it); kept only as long as a caller waits, and never read as a value."""
        try:
            raw = pickle.dumps((token, error))
        except Exception:
            return
        try:
            self.store.set(f"{key}:failed", raw, int((self.wait_s + 5) * 1000))
        except StoreDown as error:
            self._down(error)

    # -- stale-while-revalidate -----------------------------------------------------------------------------
    def _refresh_in_background(self, key: str, ttl: float, compute) -> None:
        """Refresh a stale entry in a thread, if this caller takes the key's lock.

        Why a thread: the web workers are gunicorn sync workers, so work done in the request (even after the
        response, with ``call_on_close``) holds the worker for the whole recomputation (19 s at scale 100) and
        the page waits behind it; a thread lets the request return the stale value at once while the
        refresh, which mostly waits on PostgreSQL, runs beside it. It is bounded: one thread per key across
        every worker (the lock), at most ``max_refreshes`` per process (otherwise the lock is given back and a
        later request refreshes), and it runs inside the Flask app context the service functions need. A
        worker that exits mid-refresh takes the thread with it (daemon); the lock then expires.
        """
        if not self._refreshes.acquire(blocking=False):
            return
        lock = f"{key}:lock"
        try:
            token = self._acquire(lock)
        except StoreDown:
            self._refreshes.release()
            raise
        if token is None:  # someone is already refreshing it
            self._refreshes.release()
            return
        # One refresh at a time across every worker and host: refreshes are work nobody waits for, and all of a
        # scope's entries tend to pass their TTL together; run at once they took every core of the replica from
        # the requests being served stale. Without the slot the key's lock is given back: a later request (or
        # the warm worker) refreshes it, and the stale value is served meanwhile.
        slot = f"{self.prefix}:refresh-slot"
        try:
            slot_token = self._acquire(slot)
        except StoreDown:
            slot_token = None
        if slot_token is None:
            self._release_quietly(lock, token)
            self._refreshes.release()
            return
        from flask import current_app, has_app_context

        app = current_app._get_current_object() if has_app_context() else None

        def refresh():
            _background.active = True
            try:
                with self._holding(slot, slot_token), app.app_context() if app is not None else nullcontext():
                    self._compute_and_store(key, ttl, compute, lock, token)
            except Exception:
                log.warning("refresh of stale %s failed; its last good value is still served", key, exc_info=True)
            finally:
                self._refreshes.release()

        threading.Thread(target=refresh, name="cache-refresh", daemon=True).start()

    def _warm(self, key: str, ttl: float, compute, age: float, current: Hit, ahead: float, stats: WarmStats) -> Hit:
        """Warm-up: recompute now what is stale or would be within ``ahead`` seconds (unless another caller is
        computing it); leave the rest."""
        if age < ttl - ahead:
            stats.fresh += 1
            return current
        lock = f"{key}:lock"
        token = self._acquire(lock)
        if token is None:
            stats.busy += 1
            return current
        hit = self._compute_and_store(key, ttl, compute, lock, token)
        stats.computed += 1
        return hit

    # -- a cache that is down ----------------------------------------------------------------------------------
    def _down(self, error: StoreDown) -> None:
        now = time.monotonic()
        with self._down_lock:
            self._skip_until = now + self.retry_s
            if now < self._next_log:
                return
            self._next_log = now + 60
        log.warning("cache unavailable (%s): computing without it for now (logged once a minute)", error)
