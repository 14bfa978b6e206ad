"""KPI aggregates cached in Redis for real: per role and scope, never shared across scopes, errors not cached."""
import pickle
import time
from dataclasses import replace
from datetime import date
from unittest import mock

import pytest
import redis

from dashboard import create_app, service
from dashboard.auth.access import Access
from dashboard.settings import Settings
from data_access.errors import ReplicaUnavailable
from helpers.odoo_db import OdooTestDB, dt

REDIS_URL = "redis://127.0.0.1:6379/15"
AS_OF = date(2026, 6, 30)


@pytest.fixture
def app(tmp_path):
    db = OdooTestDB(f"sqlite:///{tmp_path / 'odoo.sqlite'}", "17.0", "sqlite").create().reset()
    db.insert("res_company", {"id": 1, "name": "One"}, {"id": 2, "name": "Two"})
    db.insert("stock_warehouse", {"id": 1, "name": "W1", "company_id": 1}, {"id": 2, "name": "W2", "company_id": 2})
    db.insert("stock_picking_type", {"id": 10, "warehouse_id": 1, "company_id": 1}, {"id": 20, "warehouse_id": 2, "company_id": 2})
    db.insert("mrp_production",
              {"id": 1, "state": "done", "company_id": 1, "picking_type_id": 10, "date_deadline": dt("2026-06-20 12:00"),
               "date_finished": dt("2026-06-20 10:00")},
              {"id": 2, "state": "done", "company_id": 2, "picking_type_id": 20, "date_deadline": dt("2026-06-20 12:00"),
               "date_finished": dt("2026-06-21 10:00")})
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    settings = Settings(replica_url=db.url, secret_key="s" * 40, instance_dir=str(tmp_path / "instance"),
                        cache_type="redis", cache_url=REDIS_URL, secure_cookies=False)
    yield create_app(settings)
    client.flushdb()
    db.close()


def _adherence(app, access):
    with app.server.test_request_context():
        data = service.kpi_results(access, AS_OF, 30, kpis=["schedule_adherence"], scope_kinds=["company"])
    return {r["scope_id"]: r["value"] for r in data["results"]}


def test_scopes_never_share_entries(app):
    one = Access(1, "a", "executive", company_ids=(1,))
    two = Access(2, "b", "executive", company_ids=(2,))
    assert _adherence(app, one) == {1: 1.0}
    assert _adherence(app, two) == {2: 0.0}
    keys = redis.Redis.from_url(REDIS_URL).keys("odoo-dash:v*:kpi_results:executive:*")
    assert len(keys) == 2


def test_same_scope_hits_the_cache(app):
    a = Access(1, "a", "executive", company_ids=(1,))
    b = Access(7, "b", "executive", company_ids=(1,))  # another user, same role and scope
    assert _adherence(app, a) == {1: 1.0}
    with mock.patch("dashboard.service.evaluate", side_effect=AssertionError("must come from the cache")):
        assert _adherence(app, b) == {1: 1.0}
        with pytest.raises(AssertionError):  # another role is another key, even with the same companies
            _adherence(app, Access(1, "a", "finance", company_ids=(1,)))


def test_errors_are_not_cached(app):
    access = Access(1, "a", "executive", company_ids=(1,))
    with mock.patch("dashboard.service.evaluate", side_effect=ReplicaUnavailable("down")), pytest.raises(ReplicaUnavailable):
        _adherence(app, access)
    assert _adherence(app, access) == {1: 1.0}


def test_redis_down_fails_open(app):
    access = Access(1, "a", "executive", company_ids=(1,))
    from dashboard.extensions import cache

    cache.init_app(app.server, replace(app.server.extensions["odoo_dash"].settings, cache_url="redis://127.0.0.1:1/0"))
    assert _adherence(app, access) == {1: 1.0}
    with app.server.test_request_context():
        assert {i: c["name"] for i, c in service.companies(access).items()} == {1: "One"}


def _only_key(pattern: str) -> bytes:
    (key,) = [k for k in redis.Redis.from_url(REDIS_URL).keys(pattern) if not k.endswith((b":lock", b":failed"))]
    return key


def test_each_result_lives_for_its_data_domain_ttl(app):
    access = Access(1, "a", "executive", company_ids=(1,))
    r = redis.Redis.from_url(REDIS_URL)
    with app.server.test_request_context():
        assert (service.kpi_ttl(["schedule_adherence"]), service.kpi_ttl(["supplier_otif"]),
                service.kpi_ttl(["gross_margin_pct"])) == (60, 300, 3600)
        assert service.kpi_ttl(["gross_margin_pct", "oee"]) == 60 and service.kpi_ttl(None) == 60  # the shortest
        assert service.domain_ttl("dimensions") > 3600 and service.domain_ttl("no such domain") == 300  # cache_ttl_s
        service.kpi_results(access, AS_OF, 30, kpis=["gross_margin_pct"], scope_kinds=["company"])
        finance_ms = r.pttl(_only_key("odoo-dash:v*:kpi_results:*"))
        r.flushdb()
        service.kpi_results(access, AS_OF, 30, kpis=["gross_margin_pct", "schedule_adherence"], scope_kinds=["company"])
        mixed_ms = r.pttl(_only_key("odoo-dash:v*:kpi_results:*"))
        service.companies(access)
        dimension_ms = r.pttl(_only_key("odoo-dash:v*:data_access.queries.dimensions.companies:*"))
    # kept for TTL + the stale window (10x the TTL, at most a day)
    assert 39_000_000 < finance_ms <= 39_600_000 and 600_000 < mixed_ms <= 660_000
    assert dimension_ms > 86_400_000


def _age(pattern: str, seconds: float) -> None:
    """Make the one entry matching ``pattern`` look ``seconds`` older."""
    r = redis.Redis.from_url(REDIS_URL)
    key = _only_key(pattern)
    computed_at, value = pickle.loads(r.get(key))
    r.set(key, pickle.dumps((computed_at - seconds, value)), px=r.pttl(key))


def test_a_stale_kpi_result_is_served_at_once_and_refreshed_in_the_app_context(app):
    access = Access(1, "a", "executive", company_ids=(1,))
    with app.server.test_request_context():
        first = service.kpi_results(access, AS_OF, 30, kpis=["schedule_adherence"], scope_kinds=["company"])
    _age("odoo-dash:v*:kpi_results:*", 61)
    calls = []
    real = service.evaluate

    def slow_evaluate(*args, **kwargs):
        time.sleep(0.5)
        calls.append(service.state())  # the refresh runs inside the app context
        return real(*args, **kwargs)

    def read():
        return service.kpi_results(access, AS_OF, 30, kpis=["schedule_adherence"], scope_kinds=["company"])

    later = "2099-01-01T00:00:00+00:00"
    with mock.patch("dashboard.service.evaluate", side_effect=slow_evaluate), \
            mock.patch("dashboard.service._now", return_value=later), app.server.test_request_context():
        started = time.monotonic()
        assert read() == first  # the last good value at once, with its own computed_at ("data as of")
        assert time.monotonic() - started < 0.4
        deadline = time.monotonic() + 10
        while read()["computed_at"] != later:  # then the refreshed one
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert len(calls) == 1


def test_rendered_output_is_built_once_per_role_and_scope(app):
    built = []

    def build(label):
        return lambda: built.append(label) or {"figure": label}

    one = Access(1, "a", "executive", company_ids=(1,))
    with app.server.test_request_context():
        assert service.rendered("exec.trends", one, {"days": 30}, build("a")) == {"figure": "a"}
        assert service.rendered("exec.trends", Access(9, "z", "executive", company_ids=(1,)), {"days": 30},
                                build("b")) == {"figure": "a"}  # same role and scope: built once
        service.rendered("exec.trends", Access(1, "a", "finance", company_ids=(1,)), {"days": 30}, build("c"))
        service.rendered("exec.trends", Access(1, "a", "executive", company_ids=(2,)), {"days": 30}, build("d"))
        service.rendered("exec.trends", one, {"days": 7}, build("e"))
        with pytest.raises(ReplicaUnavailable):
            service.rendered("exec.heatmap", one, {}, mock.Mock(side_effect=ReplicaUnavailable("down")))
        assert service.rendered("exec.heatmap", one, {}, build("f"), domain="finance") == {"figure": "f"}
    assert built == ["a", "c", "d", "e", "f"]
    assert redis.Redis.from_url(REDIS_URL).pttl(_only_key("odoo-dash:v*:rendered:exec.heatmap:*")) > 39_000_000


def test_a_rendered_output_is_keyed_on_the_identity_of_the_cached_data_it_is_built_from(app):
    """Keying a rendered page on its whole data meant serialising it at every view (100 ms a warm finance page at
    scale 100): a value a service call returned in this request is named by its cache key and computed_at."""
    access = Access(1, "a", "executive", company_ids=(1,))
    with app.server.test_request_context():
        companies = service.companies(access)
        named = service._identities({"companies": companies, "scale": 1.5, "copy": dict(companies)})
        assert named["scale"] == 1.5 and named["copy"] == dict(companies)  # not from a service call: itself
        key, computed_at = named["companies"]["cached"]
        assert "dimensions.companies" in key and isinstance(computed_at, float)
        builds = []
        for _ in range(2):
            service.rendered("test.page", access, {"companies": service.companies(access)}, lambda: builds.append(1) or "out")
        assert builds == [1]  # the second view's data is the same cached value: the same rendered output
    with app.server.test_request_context():  # another request: the same identity, the same output
        assert service.rendered("test.page", access, {"companies": service.companies(access)}, lambda: "rebuilt") == "out"
