"""``Cache``: fetch a value by key from the store, computing it once across workers on a miss, serving a
stale one at once while one caller refreshes it, and skipping a store that is down (see the package
docstring for the whole story)."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from dashboard.cache import lock as locks
from dashboard.cache.breaker import Breaker
from dashboard.cache.entries import Hit, dumps, failed_at, loads, mark_failed
from dashboard.cache.keys import scope_key, stale_window
from dashboard.cache.refresh import WarmStats, ahead, background
from dashboard.cache.stores import LocalStore, RedisStore, StoreDown
from data_access.errors import DataError, QueryTimeout

__all__ = ["Cache", "WAIT_S"]

log = logging.getLogger(__name__)

WAIT_S = 50.0  # longest wait for another worker's computation: below gunicorn's --timeout 60 (Procfile)


class Cache:
    """Entries and locks in one store (``None``: no cache, every call computes).

    ``lock_ttl_s`` must exceed the replica's statement timeout (a live holder renews its lock every third of
    it, so a long computation keeps it); ``wait_s`` bounds how long a caller waits for another's computation
    before it gives up with ``QueryTimeout``; at most ``max_refreshes`` background refreshes run per process.
    While ``breaker`` holds the store for down, the ``fallback`` store (this process's memory) serves instead,
    or, without one, every call computes.
    """

    def __init__(self, store: RedisStore | LocalStore | None, *, prefix: str = "odoo-dash", lock_ttl_s: float = 20.0,
                 wait_s: float = WAIT_S, max_refreshes: int = 1, fallback: LocalStore | None = None,
                 breaker: Breaker | None = None):
        self.store = store
        self.fallback = fallback
        self.breaker = breaker or Breaker()
        self.prefix = prefix
        self.lock_ttl_s = lock_ttl_s
        self.wait_s = wait_s
        self._refreshes = threading.BoundedSemaphore(max_refreshes)

    @classmethod
    def from_settings(cls, settings) -> Cache:
        """The cache the settings name: none ('null'), this process's memory ('simple') or Redis ('redis', with
        this process's memory while Redis is down); its locks outlive the statement timeout by 5 s."""
        if settings.cache_type == "redis":
            store, fallback = RedisStore(settings.cache_url), LocalStore(max_bytes=32 * 1024 * 1024)
        else:
            store, fallback = (LocalStore() if settings.cache_type == "simple" else None), None
        return cls(store, prefix=settings.cache_prefix, lock_ttl_s=settings.statement_timeout_ms / 1000 + 5,
                   fallback=fallback)

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
        computation raises here and is not stored. A store that does not answer costs one short timeout: the
        breaker then skips it (the fallback store serves) until a probe finds it back."""
        if self.store is None:
            return Hit(compute(), time.time(), ttl=ttl)
        decision = self.breaker.allow()
        if decision == "skip":
            return self._fetch_without_store(key, ttl, compute)
        try:
            return self._fetch(self.store, key, ttl, compute)
        except StoreDown as error:
            self._down(error)
            return self._fetch_without_store(key, ttl, compute)
        finally:
            if decision == "probe":
                self.breaker.settle()

    def _fetch_without_store(self, key: str, ttl: float, compute) -> Hit:
        if self.fallback is None:
            return Hit(compute(), time.time(), ttl=ttl)
        return self._fetch(self.fallback, key, ttl, compute)

    def _fetch(self, store, key: str, ttl: float, compute) -> Hit:
        entry = loads(store.get(key))
        warm = ahead()
        if entry is None:
            hit = self._compute_once(store, key, ttl, compute)
            if warm is not None:
                warm[1].computed += 1
            return hit
        computed_at, value = entry
        age = time.time() - computed_at
        if warm is not None:
            return self._warm(store, key, ttl, compute, age, Hit(value, computed_at, age >= ttl, ttl), *warm)
        if age < ttl:
            return Hit(value, computed_at, ttl=ttl)
        failed = failed_at(store, key, computed_at)
        try:
            self._refresh_in_background(store, key, ttl, compute, computed_at)
        except StoreDown as error:  # the stale value is still the best answer
            self._down(error)
        return Hit(value, computed_at, stale=True, ttl=ttl, failed_at=failed)

    # -- single flight ------------------------------------------------------------------------------------
    def _compute_once(self, store, key: str, ttl: float, compute) -> Hit:
        """Take the lock and compute, or wait for the holder's value (raises StoreDown before computing only)."""
        lock, seen = f"{key}:lock", set()
        deadline, pause = time.monotonic() + self.wait_s, 0.01
        while True:
            token = locks.acquire(store, lock, self.lock_ttl_s)
            if token is not None:
                # The holder before us may have stored its value and let go between our miss and our lock.
                entry = loads(store.get(key))
                if entry is not None:
                    locks.release_quietly(store, lock, token, self._down)
                    return Hit(entry[1], entry[0], ttl=ttl)
                return self._compute_and_store(store, key, ttl, compute, lock, token)
            seen.add(store.get(lock))
            while True:
                if time.monotonic() >= deadline:
                    raise QueryTimeout(f"waited {self.wait_s:.0f} s for another worker computing {key}")
                time.sleep(pause)
                pause = min(pause * 1.5, 0.2)
                entry = loads(store.get(key))
                if entry is not None:
                    return Hit(entry[1], entry[0], ttl=ttl)
                holder = store.get(lock)
                if holder is None:
                    failed = loads(store.get(f"{key}:failed"))
                    if failed is not None and failed[0] in seen:
                        raise failed[1]  # the computation this caller waited for failed: not retried by every waiter
                    break  # free, without a value (holder died or failed before we saw it): take the lock
                seen.add(holder)

    def _compute_and_store(self, store, key: str, ttl: float, compute, lock: str, token: bytes) -> Hit:
        with locks.holding(store, lock, token, self.lock_ttl_s, self._down):
            try:
                value = compute()
            except DataError as error:
                self._share_failure(store, key, token, error)
                raise
            computed_at = time.time()
            self._store(store, key, ttl, computed_at, value)
        return Hit(value, computed_at, ttl=ttl)

    def _store(self, store, key: str, ttl: float, computed_at: float, value) -> None:
        try:
            raw = dumps((computed_at, value))
        except Exception:
            log.warning("value of %s cannot be cached (not picklable); served uncached", key, exc_info=True)
            return
        try:
            store.set(key, raw, int((ttl + stale_window(ttl)) * 1000))
        except StoreDown as error:
            self._down(error)

    def _share_failure(self, store, key: str, token: bytes, error: DataError) -> None:
        """Tell the callers waiting on this computation that it failed (they raise it too, and do not each
        retry it); kept only as long as a caller waits, and never read as a value."""
        try:
            raw = dumps((token, error))
        except Exception:
            return
        try:
            store.set(f"{key}:failed", raw, int((self.wait_s + 5) * 1000))
        except StoreDown as error:
            self._down(error)

    # -- stale-while-revalidate -----------------------------------------------------------------------------
    def _refresh_in_background(self, store, key: str, ttl: float, compute, computed_at: float) -> None:
        """Refresh a stale entry in a thread, if this caller takes the key's lock; a refresh that fails leaves
        the entry as it is and marks it (``entries.mark_failed``) so pages show it as stale.

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
            token = locks.acquire(store, lock, self.lock_ttl_s)
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
            slot_token = locks.acquire(store, slot, self.lock_ttl_s)
        except StoreDown:
            slot_token = None
        if slot_token is None:
            locks.release_quietly(store, lock, token, self._down)
            self._refreshes.release()
            return
        from flask import current_app, has_app_context

        app = current_app._get_current_object() if has_app_context() else None
        mark_ms = int((ttl + stale_window(ttl)) * 1000)

        def refresh():
            background()
            try:
                with locks.holding(store, slot, slot_token, self.lock_ttl_s, self._down), \
                        app.app_context() if app is not None else nullcontext():
                    self._compute_and_store(store, key, ttl, compute, lock, token)
            except DataError as error:  # the replica's trouble: one line per stale entry, its reason only
                if mark_failed(store, key, computed_at, mark_ms):
                    log.warning("refresh of stale %s failed (%s); its last good value is still served, marked stale",
                                key, error.reason)
            except Exception:
                if mark_failed(store, key, computed_at, mark_ms):
                    log.warning("refresh of stale %s failed; its last good value is still served, marked stale", key,
                                exc_info=True)
            finally:
                self._refreshes.release()

        threading.Thread(target=refresh, name="cache-refresh", daemon=True).start()

    def _warm(self, store, key: str, ttl: float, compute, age: float, current: Hit, horizon: float,
              stats: WarmStats) -> Hit:
        """Warm-up: recompute now what is stale or would be within ``horizon`` seconds (unless another caller
        is computing it); leave the rest."""
        if age < ttl - horizon:
            stats.fresh += 1
            return current
        lock = f"{key}:lock"
        token = locks.acquire(store, lock, self.lock_ttl_s)
        if token is None:
            stats.busy += 1
            return current
        hit = self._compute_and_store(store, key, ttl, compute, lock, token)
        stats.computed += 1
        return hit

    # -- a store that is down ----------------------------------------------------------------------------------
    def _down(self, error: StoreDown) -> None:
        """The shared store did not answer: the breaker skips it for a while (and logs the outage once). The
        fallback store never raises, so every StoreDown is the shared store's."""
        self.breaker.failed(str(error))
