"""The result cache on the real Redis: one computation for N concurrent callers (threads and processes), stale
values served at once while one refresh runs, errors never stored and locks always released, a dead holder's
lock expiring, a Redis that is down skipped. Every test has its own key prefix in Redis db 14; computations
are counted in Redis (``INCR``), so callers in other processes count too."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis

from dashboard.cache import VERSION, Cache, LocalStore, RedisStore, refresh_ahead, scope_key, stale_window
from data_access.errors import QueryTimeout, ReplicaUnavailable

REDIS_URL = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]
N = 20


@pytest.fixture
def r():
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def prefix(r):
    name = f"t-{uuid.uuid4().hex[:12]}"
    yield name
    for key in r.scan_iter(f"{name}*"):
        r.delete(key)


@pytest.fixture
def make(prefix):
    def build(**options) -> Cache:
        return Cache(RedisStore(REDIS_URL), prefix=prefix, **options)
    return build


def _key(cache: Cache, name: str = "kpi_results") -> str:
    return cache.key(name, "executive", (2, 1), None, {"as_of": "2026-06-30", "days": 30})


def _counting(r, counter: str, value="fresh", seconds: float = 0.0, error: Exception | None = None):
    def compute():
        r.incr(counter)
        time.sleep(seconds)
        if error is not None:
            raise error
        return value
    return compute


def _together(n: int, call) -> list:
    """``call()`` from ``n`` threads released at once; results (or raised exceptions) in thread order."""
    barrier, out = threading.Barrier(n), [None] * n

    def run(i):
        barrier.wait()
        try:
            out[i] = call()
        except Exception as error:  # returned to the test
            out[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def _until(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _count(r, counter: str) -> int:
    return int(r.get(counter) or 0)


# --- single flight ---------------------------------------------------------------------------------------

def test_twenty_threads_on_a_missing_key_compute_once(r, make, prefix):
    cache = make()
    key, counter = _key(cache), f"{prefix}:count"
    results = _together(N, lambda: cache.get_or_compute(key, 60, _counting(r, counter, {"rows": [1, 2]}, 0.5)))
    assert results == [{"rows": [1, 2]}] * N
    assert _count(r, counter) == 1
    assert r.exists(f"{key}:lock") == 0


def test_the_simple_backend_computes_once_within_a_process(r, prefix):
    cache = Cache(LocalStore(), prefix=prefix)
    counter = f"{prefix}:count"
    results = _together(N, lambda: cache.get_or_compute("k", 60, _counting(r, counter, 7, 0.3)))
    assert results == [7] * N and _count(r, counter) == 1


_CHILD = """
import json, os, sys, time
import redis
from dashboard.cache import Cache, RedisStore, scope_key
url, prefix, mode = sys.argv[1:4]
r = redis.Redis.from_url(url)
cache = Cache(RedisStore(url), prefix=prefix, lock_ttl_s=1.0)
key = scope_key(prefix, "kpi_results", "executive", [1, 2], None, {"as_of": "2026-06-30", "days": 30})
def compute():
    r.incr(prefix + ":count")
    if mode == "die":
        os._exit(3)  # a holder that dies with the lock
    time.sleep(0.5)
    return {"pid": os.getpid()}
r.rpush(prefix + ":ready", os.getpid())
while not r.exists(prefix + ":go"):
    time.sleep(0.005)
print(json.dumps({"key": key, "value": cache.get_or_compute(key, 60, compute)}))
"""


def _children(prefix: str, n: int, mode: str = "ok") -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [subprocess.Popen([sys.executable, "-c", _CHILD, REDIS_URL, prefix, mode], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT) for _ in range(n)]


def _release(r, prefix: str, n: int) -> None:
    _until(lambda: r.llen(f"{prefix}:ready") == n, timeout=120)  # every child imported and connected
    r.set(f"{prefix}:go", 1)


def test_twenty_processes_on_a_missing_key_compute_once(r, prefix):
    procs = _children(prefix, N)
    _release(r, prefix, N)
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outputs.append(json.loads(out))
    assert _count(r, f"{prefix}:count") == 1
    assert len({o["key"] for o in outputs}) == 1  # the same key in every process (no per-process hash or repr)
    assert len({o["value"]["pid"] for o in outputs}) == 1  # every process got the one computed value


def test_a_holder_that_dies_loses_its_lock_and_another_computes(r, prefix):
    (dying,) = _children(prefix, 1, mode="die")
    _release(r, prefix, 1)
    dying.communicate(timeout=60)
    assert dying.returncode == 3
    key = scope_key(prefix, "kpi_results", "executive", [1, 2], None, {"as_of": "2026-06-30", "days": 30})
    assert r.exists(f"{key}:lock") == 1 and r.exists(key) == 0  # died holding it, value never stored
    cache = Cache(RedisStore(REDIS_URL), prefix=prefix, lock_ttl_s=1.0)
    started = time.monotonic()
    assert cache.get_or_compute(key, 60, _counting(r, f"{prefix}:count", "second")) == "second"
    assert time.monotonic() - started < 3.0  # waited about as long as the lock had left (1 s), no more
    assert _count(r, f"{prefix}:count") == 2


def test_a_live_holder_keeps_its_lock_past_the_lock_timeout(r, make, prefix):
    cache = make(lock_ttl_s=0.3)
    key, counter = _key(cache), f"{prefix}:count"
    results = _together(5, lambda: cache.get_or_compute(key, 60, _counting(r, counter, "slow", 1.2)))
    assert results == ["slow"] * 5 and _count(r, counter) == 1


def test_waiting_is_bounded(r, make, prefix):
    holder, waiter = make(), make(wait_s=0.3)
    key = _key(holder)
    slow = threading.Thread(target=holder.get_or_compute, args=(key, 60, _counting(r, f"{prefix}:count", 1, 2.0)))
    slow.start()
    _until(lambda: r.exists(f"{key}:lock"))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        waiter.get_or_compute(key, 60, _counting(r, f"{prefix}:other", 2))
    assert time.monotonic() - started < 1.5 and _count(r, f"{prefix}:other") == 0
    slow.join()


# --- stale-while-revalidate ------------------------------------------------------------------------------

def test_a_stale_value_is_served_at_once_while_one_refresh_runs(r, make, prefix):
    cache = make()
    key, counter = _key(cache), f"{prefix}:count"
    old = time.time() - 61
    cache._store(cache.store, key, 60, old, "old")
    started = time.monotonic()
    hits = _together(N, lambda: cache.fetch(key, 60, _counting(r, counter, "new", 2.0)))
    assert time.monotonic() - started < 1.0  # nobody waited for the 2 s refresh
    assert {(h.value, h.computed_at, h.stale) for h in hits} == {("old", old, True)}  # with its age
    _until(lambda: cache.fetch(key, 60, _counting(r, counter, "again")).value == "new")
    assert _count(r, counter) == 1
    fresh = cache.fetch(key, 60, _counting(r, counter, "again"))
    assert not fresh.stale and time.time() - fresh.computed_at < 5 and r.exists(f"{key}:lock") == 0


def test_one_refresh_at_a_time_across_workers_and_the_others_wait_for_a_later_request(r, make, prefix):
    caches = [make(), make()]  # two worker processes' caches on one Redis
    keys = [f"{prefix}:scope-a", f"{prefix}:scope-b"]
    old = time.time() - 61
    for key in keys:
        caches[0]._store(caches[0].store, key, 60, old, "old")
    counter = f"{prefix}:count"
    first = caches[0].fetch(keys[0], 60, _counting(r, counter, "new", 1.0))
    second = caches[1].fetch(keys[1], 60, _counting(r, counter, "new"))
    assert (first.value, second.value) == ("old", "old")  # both served stale at once
    _until(lambda: caches[0].fetch(keys[0], 60, lambda: "unused").value == "new")
    assert _count(r, counter) == 1  # the second waited: the slot was taken, its key's lock given back
    assert caches[1].fetch(keys[1], 60, _counting(r, counter, "new")).value == "old"  # a later request refreshes it
    _until(lambda: caches[1].fetch(keys[1], 60, lambda: "unused").value == "new")
    assert _count(r, counter) == 2 and r.exists(f"{prefix}:refresh-slot") == 0


def test_entries_outlive_their_ttl_by_the_stale_window(r, make):
    cache = make()
    key = _key(cache)
    cache.get_or_compute(key, 60, lambda: 1)
    assert 60_000 + 600_000 - 5_000 < r.pttl(key) <= 660_000
    assert (stale_window(60), stale_window(3600), stale_window(10800)) == (600, 36000, 86400)  # 10x, at most a day


def test_a_failed_refresh_keeps_serving_the_stale_value_with_a_warning(r, make, prefix, caplog):
    cache = make()
    key, counter = _key(cache), f"{prefix}:count"
    old = time.time() - 120
    cache._store(cache.store, key, 60, old, "old")
    with caplog.at_level(logging.WARNING, logger="dashboard.cache"):
        hit = cache.fetch(key, 60, _counting(r, counter, error=ReplicaUnavailable("down")))
        assert (hit.value, hit.stale) == ("old", True)
        _until(lambda: _count(r, counter) == 1 and r.exists(f"{key}:lock") == 0)
        _until(lambda: any("refresh of stale" in m for m in caplog.messages))
    assert cache.fetch(key, 60, lambda: "unused").value == "old"  # still served; the error was not stored


# --- errors ----------------------------------------------------------------------------------------------

def test_errors_are_not_cached_and_release_the_lock(r, make, prefix):
    cache = make()
    key, counter = _key(cache), f"{prefix}:count"
    with pytest.raises(ReplicaUnavailable):
        cache.get_or_compute(key, 60, _counting(r, counter, error=ReplicaUnavailable("down")))
    assert r.exists(key) == 0 and r.exists(f"{key}:lock") == 0
    assert cache.get_or_compute(key, 60, _counting(r, counter, "back")) == "back"  # the next call tries again
    assert _count(r, counter) == 2


def test_callers_waiting_on_a_failing_computation_get_its_error_not_a_retry_each(r, make, prefix):
    cache = make()
    key, counter = _key(cache), f"{prefix}:count"
    outcomes = _together(10, lambda: cache.get_or_compute(
        key, 60, _counting(r, counter, seconds=0.5, error=ReplicaUnavailable("replica down"))))
    assert all(isinstance(o, ReplicaUnavailable) for o in outcomes), outcomes
    assert {o.user_message for o in outcomes} == {ReplicaUnavailable.user_message}
    assert _count(r, counter) == 1 and r.exists(f"{key}:lock") == 0 and r.exists(key) == 0


def test_a_bug_is_not_cached_either(r, make):
    cache = make()
    key = _key(cache)
    with pytest.raises(ZeroDivisionError):
        cache.get_or_compute(key, 60, lambda: 1 / 0)
    assert r.exists(key) == 0 and r.exists(f"{key}:lock") == 0


# --- a cache that is down ---------------------------------------------------------------------------------

def test_redis_down_computes_and_logs_once_per_outage(caplog):
    cache = Cache(RedisStore("redis://127.0.0.1:1/0"), prefix="down")
    calls = []
    with caplog.at_level(logging.WARNING, logger="dashboard.cache"):
        for i in range(5):
            assert cache.get_or_compute(f"down:{i}", 60, lambda i=i: calls.append(i) or i) == i
        cache.breaker._retry_at = 0  # the breaker's 30 s are over: one probe, failing again, not logged again
        assert cache.breaker.allow() == "probe"
        cache.breaker._probe_until = None
        assert cache.get_or_compute("down:x", 60, lambda: "x") == "x"
    assert calls == [0, 1, 2, 3, 4]
    assert len([m for m in caplog.messages if "cache store down" in m]) == 1
    assert cache.breaker.down_since is not None


def test_the_null_backend_always_computes():
    cache, calls = Cache(None), []
    assert [cache.get_or_compute("k", 60, lambda: calls.append(1) or len(calls)) for _ in range(3)] == [1, 2, 3]


# --- keys --------------------------------------------------------------------------------------------------

def test_keys_hold_prefix_version_function_role_and_scope():
    key = scope_key("odoo-dash", "kpi_results", "plant", (3, 1, 3), (7,), {"days": 30})
    assert key.startswith(f"odoo-dash:v{VERSION}:kpi_results:plant:")
    assert key == scope_key("odoo-dash", "kpi_results", "plant", [1, 3], [7], {"days": 30})  # a scope is a set
    others = [scope_key("odoo-dash", "kpi_results", "finance", (1, 3), (7,), {"days": 30}),
              scope_key("odoo-dash", "kpi_results", "plant", (1,), (7,), {"days": 30}),
              scope_key("odoo-dash", "kpi_results", "plant", (1, 3), None, {"days": 30}),
              scope_key("odoo-dash", "kpi_results", "plant", (1, 3), (7,), {"days": 7}),
              scope_key("odoo-dash", "late_mos", "plant", (1, 3), (7,), {"days": 30}),
              scope_key("other", "kpi_results", "plant", (1, 3), (7,), {"days": 30})]
    assert len({key, *others}) == 7
    with pytest.raises(TypeError, match="plain data"):
        scope_key("odoo-dash", "rendered:x", "plant", None, None, {"parts": object()})


# --- warm-up ------------------------------------------------------------------------------------------------

def test_refresh_ahead_recomputes_what_expires_within_the_horizon_only(r, make, prefix):
    cache = make()
    soon, later = cache.key("a", "plant", None, None, {}), cache.key("b", "plant", None, None, {})
    cache._store(cache.store, soon, 60, time.time() - 50, "old soon")  # stale in 10 s
    cache._store(cache.store, later, 3600, time.time() - 50, "old later")  # stale in an hour
    with refresh_ahead(30) as stats:
        assert cache.get_or_compute(soon, 60, lambda: "new soon") == "new soon"
        assert cache.get_or_compute(later, 3600, lambda: "new later") == "old later"
        assert cache.get_or_compute(cache.key("c", "plant", None, None, {}), 60, lambda: "c") == "c"
    assert (stats.computed, stats.fresh, stats.busy) == (2, 1, 0)
    assert cache.fetch(soon, 60, lambda: "unused").value == "new soon"


def test_the_local_store_keeps_redis_semantics_within_its_memory_bound():
    store = LocalStore(max_bytes=1000)
    assert store.add("lock", b"me", 50) and not store.add("lock", b"you", 50)
    assert not store.delete_if("lock", b"you") and store.renew_if("lock", b"me", 50) and store.delete_if("lock", b"me")
    store.set("short", b"x", 1)
    time.sleep(0.01)
    assert store.get("short") is None  # expired
    for i in range(5):
        store.set(f"big{i}", b"x" * 300, 60_000 + i)  # 1500 bytes asked, 1000 allowed: the soonest to expire go
    assert [store.get(f"big{i}") is not None for i in range(5)] == [False, False, True, True, True]
