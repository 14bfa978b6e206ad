"""KPI aggregates cached in Redis for real: per role and scope, never shared across scopes, errors not cached."""
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
    keys = redis.Redis.from_url(REDIS_URL).keys("odoo-dash:kpi:*")
    assert len(keys) >= 2


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
    app.server.config["CACHE_REDIS_URL"] = "redis://127.0.0.1:1/0"
    from dashboard.extensions import cache

    cache.init_app(app.server, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0",
                                       "CACHE_KEY_PREFIX": "odoo-dash:kpi:"})
    assert _adherence(app, access) == {1: 1.0}
    with app.server.test_request_context():
        assert {i: c["name"] for i, c in service.companies(access).items()} == {1: "One"}
