"""A Redis that is down (connections refused) or silent (sockets open, no byte back), on the real Redis behind a
TCP proxy the tests start and stop: the cache costs one short timeout, then skips Redis (this process's memory
serves meanwhile), logs the outage once and its end once, without a traceback, and goes back to Redis by itself.
At page level, the home and data health callbacks spend well under a second in cache operations while Redis is
out. And a warm value whose refresh fails (the replica is gone) is served with the stale badge."""
from __future__ import annotations

import logging
import pickle
import time
import uuid
from unittest import mock

import pytest
import redis

from dashboard import create_app
from dashboard.cache import Breaker, Cache, LocalStore, RedisStore
from dashboard.extensions import CACHE_KEY, STATE_KEY
from dashboard.settings import Settings
from data_access.errors import ReplicaUnavailable
from helpers.auth_app import PASSWORD, login
from helpers.odoo_db import OdooTestDB, dt
from helpers.tcp_proxy import TcpProxy

DB = 13
OPEN_S = 1.0  # the breaker's pause, short for the tests (30 s in the app)


@pytest.fixture
def proxy():
    with TcpProxy("127.0.0.1", 6379) as p:
        yield p


@pytest.fixture
def real():
    r = redis.Redis.from_url(f"redis://127.0.0.1:6379/{DB}")
    yield r
    r.flushdb()


def _outage_lines(caplog) -> tuple[list[str], list[str]]:
    down = [m for m in caplog.messages if "cache store down" in m]
    back = [m for m in caplog.messages if "cache store back" in m]
    return down, back


# --- the cache itself ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["down", "silent"])
def test_a_page_worth_of_cache_calls_costs_well_under_a_second_and_redis_comes_back(proxy, real, mode, caplog):
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    cache = Cache(RedisStore(f"redis://127.0.0.1:{proxy.port}/{DB}"), prefix=prefix, fallback=LocalStore(),
                  breaker=Breaker(open_s=OPEN_S))
    assert cache.get_or_compute(f"{prefix}:warm", 60, lambda: "warm") == "warm"
    assert real.exists(f"{prefix}:warm")
    proxy.mode = mode
    with caplog.at_level(logging.INFO, logger="dashboard.cache"):
        started = time.monotonic()
        values = [cache.get_or_compute(f"{prefix}:k{i % 6}", 60, lambda i=i: i % 6) for i in range(30)]
        spent = time.monotonic() - started
        assert values == [i % 6 for i in range(30)]
        assert spent < 0.8, f"30 cache calls with Redis {mode} took {spent:.2f} s"
        # the memory fallback served meanwhile: the second round of each key came from it, not a new computation
        assert cache.get_or_compute(f"{prefix}:k1", 60, lambda: "computed again") == 1
        proxy.mode = "forward"
        time.sleep(OPEN_S + 0.1)
        assert cache.get_or_compute(f"{prefix}:after", 60, lambda: "after") == "after"  # the probe, on Redis
        assert cache.get_or_compute(f"{prefix}:after2", 60, lambda: "after2") == "after2"
    down, back = _outage_lines(caplog)
    assert len(down) == 1 and len(back) == 1, caplog.messages
    assert not any(r.exc_info for r in caplog.records), "no traceback for an outage"
    assert real.exists(f"{prefix}:after") and real.exists(f"{prefix}:after2")  # back on the shared store
    assert cache.breaker.down_since is None


def test_a_failed_probe_keeps_redis_skipped_without_another_log_line(proxy, real, caplog):
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    cache = Cache(RedisStore(f"redis://127.0.0.1:{proxy.port}/{DB}"), prefix=prefix, breaker=Breaker(open_s=0.3))
    proxy.mode = "silent"
    with caplog.at_level(logging.INFO, logger="dashboard.cache"):
        for _ in range(3):
            started = time.monotonic()
            for i in range(10):
                assert cache.get_or_compute(f"{prefix}:{i}", 60, lambda i=i: i) == i
            assert time.monotonic() - started < 0.8  # one timeout at most per round (the probe's)
            time.sleep(0.35)
    down, back = _outage_lines(caplog)
    assert len(down) == 1 and back == []


def test_a_failed_refresh_marks_the_value_stale_since_it_failed(real):
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    cache = Cache(RedisStore(f"redis://127.0.0.1:6379/{DB}"), prefix=prefix)
    key = f"{prefix}:kpis"
    computed_at = time.time() - 90  # past its 60 s TTL, under twice it
    cache._store(cache.store, key, 60, computed_at, "last good")
    gone = mock.Mock(side_effect=ReplicaUnavailable("gone"))  # every refresh fails (the replica stays away)
    first = cache.fetch(key, 60, gone)
    assert (first.value, first.stale, first.stale_since()) == ("last good", True, None)  # not yet: 1.5 TTL, no failure
    deadline = time.monotonic() + 5
    while cache.fetch(key, 60, gone).failed_at is None:
        assert time.monotonic() < deadline, "the failed refresh was never marked"
        time.sleep(0.02)
    hit = cache.fetch(key, 60, gone)
    assert hit.value == "last good" and hit.stale_since() == hit.failed_at > computed_at
    old = Cache(RedisStore(f"redis://127.0.0.1:6379/{DB}"), prefix=prefix)
    old._store(old.store, f"{key}-old", 60, time.time() - 150, "older")  # 2.5 TTL: stale by age alone
    assert old.fetch(f"{key}-old", 60, lambda: "new").stale_since() == pytest.approx(time.time() - 30, abs=2)


# --- at page level ------------------------------------------------------------------------------------------

@pytest.fixture
def app(tmp_path, proxy, real):
    db = OdooTestDB(f"sqlite:///{tmp_path / 'odoo.sqlite'}", "17.0", "sqlite").create().reset()
    db.insert("res_company", {"id": 1, "name": "One"})
    db.insert("stock_warehouse", {"id": 1, "name": "W1", "company_id": 1})
    db.insert("stock_picking_type", {"id": 10, "warehouse_id": 1, "company_id": 1})
    db.insert("mrp_production", {"id": 1, "state": "done", "company_id": 1, "picking_type_id": 10,
                                 "date_deadline": dt("2026-06-20 12:00"), "date_finished": dt("2026-06-20 10:00")})
    settings = Settings(replica_url=db.url, secret_key="r" * 40, instance_dir=str(tmp_path / "instance"),
                        cache_type="redis", cache_url=f"redis://127.0.0.1:{proxy.port}/{DB}", secure_cookies=False,
                        cache_prefix=f"t-{uuid.uuid4().hex[:8]}")
    app = create_app(settings)
    app.server.extensions[STATE_KEY].store.add_user("boss", PASSWORD, "admin")
    app.server.extensions[CACHE_KEY].breaker.open_s = OPEN_S
    yield app
    db.close()


def _post(client, output_part: str, inputs: list[dict]) -> str:
    output = next(d["output"] for d in client.get("/_dash-dependencies").get_json() if output_part in d["output"])
    outputs = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in output.strip(".").split("...")]
    body = {"output": output, "outputs": outputs if output.startswith("..") else outputs[0], "inputs": inputs,
            "state": [], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _home(client) -> str:
    return _post(client, "home-kpis.children", [{"id": "home-kpis", "property": "id", "value": "home-kpis"},
                                               {"id": "screen-scale", "property": "data", "value": None}])


def _home_health(client) -> str:
    return _post(client, "home-health.children", [{"id": "home-health", "property": "id", "value": "home-health"}])


def _timed_store(store) -> list[float]:
    """Wrap ``store``'s operations to record the seconds each one took."""
    spent: list[float] = []
    for name in ("get", "set", "add", "delete_if", "renew_if"):
        real_op = getattr(store, name)

        def timed(*args, _op=real_op, **kwargs):
            started = time.monotonic()
            try:
                return _op(*args, **kwargs)
            finally:
                spent.append(time.monotonic() - started)
        setattr(store, name, timed)
    return spent


@pytest.mark.parametrize("mode", ["down", "silent"])
def test_home_spends_well_under_a_second_in_the_cache_while_redis_is_out(app, proxy, mode, caplog):
    client = app.server.test_client()
    assert login(client, "boss").status_code == 302
    assert "Data as of" in _home(client) and "Odoo" in _home_health(client)  # warm, on Redis
    bound = app.server.extensions[CACHE_KEY]
    spent = _timed_store(bound.store)
    proxy.mode = mode
    with caplog.at_level(logging.INFO, logger="dashboard.cache"):
        started = time.monotonic()
        for _ in range(3):
            assert "Data as of" in _home(client) and "Odoo" in _home_health(client)
        elapsed = time.monotonic() - started
        assert sum(spent) < 0.6, f"{sum(spent):.2f} s in Redis calls over 3 home views with Redis {mode}"
        proxy.mode = "forward"
        time.sleep(OPEN_S + 0.1)
        assert "Data as of" in _home(client)
    down, back = _outage_lines(caplog)
    assert len(down) == 1 and len(back) == 1, caplog.messages
    assert not any(r.exc_info for r in caplog.records)
    assert elapsed < 10  # the views themselves (computed again from the replica the first time) stay quick


def test_the_replica_gone_and_the_cache_warm_shows_last_good_values_with_the_stale_badge(app, real):
    client = app.server.test_client()
    assert login(client, "boss").status_code == 302
    assert "Stale since" not in _home(client)
    prefix = app.server.extensions[STATE_KEY].settings.cache_prefix
    (key,) = real.keys(f"{prefix}:v*:kpi_results:*")
    computed_at, value = pickle.loads(real.get(key))
    aged = computed_at - 3 * 60  # three TTLs of the production domain ago: older than twice its TTL
    real.set(key, pickle.dumps((aged, value)), px=600_000)
    with mock.patch("dashboard.service.evaluate", side_effect=ReplicaUnavailable("replica gone")):
        page = _home(client)
        assert "Stale since" in page and "Data as of" in page  # the last good tiles, said to be stale
        deadline = time.monotonic() + 5
        while "could not refresh" not in page:  # the background refresh failed: the tooltip says so
            assert time.monotonic() < deadline, page[:500]
            time.sleep(0.05)
            page = _home(client)
    assert "Stale since" in page
