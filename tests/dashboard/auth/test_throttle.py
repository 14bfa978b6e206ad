"""Sign-in throttling over HTTP: the attacker's address is slowed, the victim still signs in from theirs.

Client addresses are set per request with REMOTE_ADDR (the socket's peer as the WSGI server reports it).
"""
from __future__ import annotations

import time
import uuid

import pytest
import redis

from dashboard.auth.throttle import wait_text
from dashboard.auth.views import THROTTLED
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings, SettingsError
from helpers.auth_app import PASSWORD, build_app, login
from helpers.tcp_proxy import TcpProxy

ATTACKER, VICTIM = "10.0.0.1", "10.0.0.2"
REDIS = ("127.0.0.1", 6379)


def _client(app, address: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _statuses(client, username: str, password: str, times: int) -> list[int]:
    return [login(client, username, password).status_code for _ in range(times)]


@pytest.fixture
def users(store):
    store.add_user("ann", PASSWORD, "plant")
    store.add_user("admin", PASSWORD, "admin")
    return store


def test_twenty_wrong_passwords_do_not_lock_the_user_out(app, users):
    attacker = _client(app, ATTACKER)
    statuses = _statuses(attacker, "ann", "wrong", 20)
    assert statuses == [401] * 5 + [429] * 15
    victim = _client(app, VICTIM)
    assert login(victim, "ann").status_code == 302
    assert victim.get("/").status_code == 200
    assert login(_client(app, ATTACKER), "ann").status_code == 429  # even the right password, from there
    assert login(_client(app, ATTACKER), "admin").status_code == 302  # other users from that address: no
    failed = users.recent_audit(100, event="login_failed")
    assert len(failed) == 5 and {e.remote_addr for e in failed} == {ATTACKER}


def test_fifty_failures_from_one_address_throttle_that_address_only(app, users):
    attacker = _client(app, ATTACKER)
    statuses = [login(attacker, f"guess{n}", "wrong").status_code for n in range(50)]
    assert statuses == [401] * 20 + [429] * 30
    assert login(attacker, "admin").status_code == 429
    admin = _client(app, VICTIM)
    assert login(admin, "admin").status_code == 302
    assert admin.get("/health").status_code == 200
    assert len(users.recent_audit(200, event="login_failed")) == 20
    denied = users.recent_audit(200, event="denied")
    assert len(denied) == 31
    assert denied[0].detail == "reason=login_throttled by=address limit=20 per 1 minute"
    assert denied[0].remote_addr == ATTACKER


def test_throttled_answer_is_the_sign_in_page_with_the_wait(app, users):
    attacker = _client(app, ATTACKER)
    _statuses(attacker, "ann", "wrong", 5)
    response = login(attacker, "ann", "wrong", next_="/plant")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert THROTTLED["user"].format(wait="1 minute") in page
    assert '<form method="post" action="/login?next=%2Fplant"' in page and 'name="password"' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_only_failures_count(app, users):
    client = _client(app, ATTACKER)
    for _ in range(8):
        assert login(client, "ann").status_code == 302
        client.post("/logout", data={"csrf_token": _logout_token(client)})
    assert _statuses(client, "ann", "wrong", 5) == [401] * 5


def _logout_token(client) -> str:
    from helpers.auth_app import csrf_token

    return csrf_token(client, "/logout")


def test_windows_grow_for_an_attacker_who_keeps_going(tmp_path, monkeypatch):
    """After the minute's allowance, the next window makes a persistent attacker wait much longer."""
    app = build_app(tmp_path, login_limits_user="2 per minute; 3 per hour")
    store = app.server.extensions[STATE_KEY].store
    store.add_user("ann", PASSWORD, "plant")
    attacker = _client(app, ATTACKER)
    start = time.time()
    now = [start]
    monkeypatch.setattr(time, "time", lambda: now[0])
    assert _statuses(attacker, "ann", "wrong", 3) == [401, 401, 429]
    now[0] = start + 61
    first = login(attacker, "ann", "wrong")
    assert first.status_code == 401  # the minute freed one attempt, the hour allows a third
    throttled = login(attacker, "ann", "wrong")
    assert throttled.status_code == 429
    assert THROTTLED["user"].format(wait="59 minutes") in throttled.get_data(as_text=True)
    store.dispose()


def test_forwarded_for_is_ignored_without_a_proxy(app, users):
    client = _client(app, ATTACKER)
    statuses = [login(client, "ann", "wrong", X_Forwarded_For=f"10.9.9.{n}").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert {e.remote_addr for e in users.recent_audit(10, event="login_failed")} == {ATTACKER}


def test_forwarded_for_is_the_client_behind_one_proxy(tmp_path):
    app = build_app(tmp_path, proxy_count=1)
    store = app.server.extensions[STATE_KEY].store
    store.add_user("ann", PASSWORD, "plant")
    proxy = _client(app, "10.0.0.254")  # every request arrives from the proxy's address
    statuses = [login(proxy, "ann", "wrong", X_Forwarded_For="6.6.6.6, 10.9.9.9").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    assert login(proxy, "ann", X_Forwarded_For="10.8.8.8").status_code == 302
    failed = store.recent_audit(10, event="login_failed")
    assert {e.remote_addr for e in failed} == {"10.9.9.9"}  # the address the proxy saw, not the client's claim
    assert store.recent_audit(1, event="login")[0].remote_addr == "10.8.8.8"
    store.dispose()


def _redis_app(tmp_path, prefix: str, url: str):
    return build_app(tmp_path, cache_type="redis", cache_url=url, cache_prefix=prefix)


def test_redis_counts_are_shared_by_workers(tmp_path):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    conn = redis.Redis(*REDIS, db=15)
    apps = [_redis_app(tmp_path / name, prefix, f"redis://{REDIS[0]}:{REDIS[1]}/15") for name in "ab"]
    try:
        for app in apps:  # two workers: each its own process memory, one Redis
            app.server.extensions[STATE_KEY].store.add_user("ann", PASSWORD, "plant")
        assert _statuses(_client(apps[0], ATTACKER), "ann", "wrong", 3) == [401] * 3
        assert _statuses(_client(apps[1], ATTACKER), "ann", "wrong", 3) == [401, 401, 429]
        keys = conn.keys(f"LIMITS:LIMITER/{prefix}-login/*")
        assert b"LIMITS:LIMITER/" + prefix.encode() + b"-login/10.0.0.1|ann/auth.login/5/1/minute" in keys
    finally:
        for key in conn.scan_iter(f"LIMITS:LIMITER/{prefix}-login/*"):
            conn.delete(key)
        for app in apps:
            app.server.extensions[STATE_KEY].store.dispose()


@pytest.mark.parametrize("mode", ["down", "silent"])
def test_a_dead_redis_costs_no_sign_in(tmp_path, mode, caplog):
    """Redis down or silent: counts move to process memory (still throttled), no request waits long."""
    with TcpProxy(*REDIS) as proxy:
        app = _redis_app(tmp_path, f"test-{uuid.uuid4().hex[:8]}", f"redis://127.0.0.1:{proxy.port}/15")
        store = app.server.extensions[STATE_KEY].store
        store.add_user("ann", PASSWORD, "plant")
        proxy.mode = mode
        attacker, victim = _client(app, ATTACKER), _client(app, VICTIM)
        took = []
        statuses = []
        for _ in range(7):
            start = time.monotonic()
            statuses.append(login(attacker, "ann", "wrong").status_code)
            took.append(time.monotonic() - start)
        assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
        assert login(victim, "ann").status_code == 302
        assert max(took) < 2.0, took
        proxy.mode = "forward"
        store.dispose()
    warnings = [r for r in caplog.records if "falling back to in-memory" in r.getMessage()]
    assert len(warnings) == 1


def test_wait_text():
    assert wait_text(100, now=100) == "1 minute"
    assert wait_text(100 + 61, now=100) == "1 minute"  # reset_at is a second past the window's end
    assert wait_text(100 + 62, now=100) == "2 minutes"
    assert wait_text(100 + 14 * 60 + 1, now=100) == "14 minutes"
    assert wait_text(100 + 5 * 3600 + 1, now=100) == "5 hours"


@pytest.mark.parametrize("values, message", [
    ({"proxy_count": -1}, "proxy_count"),
    ({"proxy_count": 9}, "proxy_count"),
    ({"login_limits_address": ""}, "login_limits_address"),
    ({"login_limits_user": "5 per fortnight"}, "login_limits_user"),
])
def test_bad_throttle_settings_are_refused(values, message):
    with pytest.raises(SettingsError, match=message):
        Settings(**values).validate()
