"""The result cache of the data API: a TTL per data domain, one computation per key across workers and
hosts, the last good value served at once while one caller refreshes it (and marked stale when that refresh
fails), errors never stored, and a store that is down skipped within a fraction of a second.

Every cached function of ``dashboard.service`` goes through ``Cache.fetch`` (``result_cache``):

- **Keys** (``keys``) are ``<prefix>:v<VERSION>:<function>:<role>:<sha256>`` where the hash covers the
  canonical JSON of (function, role, sorted company ids, sorted warehouse ids, arguments): plain values only,
  never an object repr, so every worker and host computes the same key. ``VERSION`` is bumped when a cached
  payload changes shape; ``prefix`` (setting ``cache_prefix``) separates deployments sharing one Redis.
- **Entries** (``entries``) hold ``(computed_at, value)`` and live TTL + a stale window (``stale_window``:
  10x the TTL, at most a day). Younger than their TTL they are served; older, they are served at once
  (``Hit.stale``, with their ``computed_at``) while exactly one caller, the one that takes the key's lock,
  refreshes them in a background thread. A refresh that fails keeps the entry and marks it; ``Hit.stale_since``
  tells the page when to show the value as stale (its refresh failed, or it is older than twice its TTL).
- **Single flight** (``lock``): on a miss one caller takes the key's lock (Redis ``SET NX PX`` with a random
  token, renewed while it computes, deleted only by its owner) and computes; the others poll for the value
  for at most ``wait_s`` seconds. A holder that dies stops renewing, its lock expires after ``lock_ttl_s`` and
  the next caller computes. The 'simple' backend keeps the same entries and locks in the process's memory.
- **Errors** are never stored. A ``DataError`` raises to the caller that computed and to the callers that
  waited on that same computation (later callers try again); the lock is released either way.
- **A store that is down** (``stores``, ``breaker``): Redis is asked with short timeouts and no retries; after a
  failure the circuit breaker skips it for 30 s (then one caller probes it), and meanwhile this process's
  memory serves as the store. One log line when the outage begins, one when Redis is back.
"""
from dashboard.cache.breaker import Breaker
from dashboard.cache.entries import STALE_FACTOR, Hit
from dashboard.cache.keys import MAX_STALE_S, VERSION, scope_key, stale_window
from dashboard.cache.refresh import WarmStats, in_background, refresh_ahead
from dashboard.cache.result_cache import WAIT_S, Cache
from dashboard.cache.stores import LocalStore, RedisStore, StoreDown

__all__ = ["VERSION", "MAX_STALE_S", "WAIT_S", "STALE_FACTOR", "Cache", "Hit", "Breaker", "in_background", "WarmStats",
           "scope_key", "stale_window", "refresh_ahead", "LocalStore", "RedisStore", "StoreDown"]
