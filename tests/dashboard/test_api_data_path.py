"""The API data path in the app (``data_path`` = api) against the test Odoo endpoint over the demo replica:
the settings it needs, ``kpi_results`` reading the API source under the same cache key per role and scope as
the SQL path, the dimension lists served through the API, every SQL-only call refused with ``NeedsReplica``
when no replica is configured (never the demo replica), and with a replica the drills reading it."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dashboard import create_app, service, service_finance, service_supply
from dashboard.auth.access import Access
from dashboard.extensions import STATE_KEY, cache
from dashboard.settings import Settings, SettingsError
from data_access.errors import NeedsReplica
from data_access.odoo_api.kpi_source import ApiSource
from helpers.fake_odoo import FakeOdoo, FakeUser, demo_replica_url

AS_OF = date(2026, 6, 30)  # the fake's demo clock
KPI = "overdue_receivables"  # every demo company has invoices
SECRET = "s" * 40
API_LOGIN, API_PASSWORD = "dash.reader", "api-Pa55word"
EXEC = Access(1, "exec", "executive")
DIST = Access(2, "dist", "executive", company_ids=(2,))


@pytest.fixture(scope="module")
def replica_url(tmp_path_factory) -> str:
    return demo_replica_url(tmp_path_factory.mktemp("api-path"), "17.0")


@pytest.fixture(scope="module")
def fake(replica_url):
    with FakeOdoo(replica_url, "17.0", db="prod", users=[FakeUser(API_LOGIN, API_PASSWORD, company_ids=(1, 2, 3))]) as server:
        yield server


def api_settings(fake, instance, **more) -> Settings:
    return Settings(instance_dir=str(instance), secret_key=SECRET, cache_type="simple", secure_cookies=False,
                    data_path="api", odoo_url=fake.url, odoo_db="prod", odoo_api_login=API_LOGIN,
                    odoo_api_password=API_PASSWORD, **more)


@pytest.fixture(scope="module")
def api_app(fake, tmp_path_factory):
    instance = tmp_path_factory.mktemp("api-app") / "instance"
    app = create_app(api_settings(fake, instance))
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


@pytest.fixture(scope="module")
def sql_app(replica_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("sql-app") / "instance"
    app = create_app(Settings(replica_url=replica_url, instance_dir=str(instance), secret_key=SECRET,
                              cache_type="simple", secure_cookies=False))
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


# --- settings -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["odoo_url", "odoo_db", "odoo_api_login", "odoo_api_password"])
def test_data_path_api_needs_every_odoo_login_setting(missing):
    values = dict(secret_key=SECRET, data_path="api", odoo_url="https://erp.example.com", odoo_db="prod",
                  odoo_api_login="reader", odoo_api_password="pw")
    Settings(**values).validate()
    with pytest.raises(SettingsError, match="data_path api needs odoo_url, odoo_db, odoo_api_login and odoo_api_password"):
        Settings(**{**values, missing: ""}).validate()


def test_api_only_is_not_demo_mode_and_needs_a_secret():
    values = dict(data_path="api", odoo_url="https://erp.example.com", odoo_db="prod", odoo_api_login="r",
                  odoo_api_password="pw")
    settings = Settings(**values, secret_key=SECRET)
    assert settings.api_only and not settings.demo_mode  # no demo users, no demo replica
    assert not Settings(**values, secret_key=SECRET, replica_url="postgresql://r@db/odoo").api_only
    with pytest.raises(SettingsError, match="SECRET_KEY must be set"):
        Settings(**values).validate()
    assert Settings().demo_mode and not Settings().api_only


# --- kpi_results ---------------------------------------------------------------------------------------------

def _kpi(app, access: Access) -> dict:
    with app.server.test_request_context():
        return service.kpi_results(access, AS_OF, 30, kpis=[KPI], scope_kinds=["company"])


def _cached_key(app, access: Access) -> str:
    """The key ``kpi_results`` files the call above under, as the SQL path names it."""
    arguments = {"as_of": AS_OF, "days": 30, "kpis": (KPI,), "scope_kinds": ("company",), "bucket": None}
    with app.server.app_context():
        return cache.current.key("kpi_results", access.role, access.company_ids, access.warehouse_ids, arguments)


@pytest.mark.parametrize("access", [EXEC, DIST], ids=["all-companies", "company-2"])
def test_kpi_results_read_the_api_under_the_sql_paths_cache_key(api_app, sql_app, access):
    with api_app.server.app_context():
        source = service.kpi_source()
    assert isinstance(source, ApiSource)
    calls = source.reader.calls
    api = _kpi(api_app, access)
    assert source.reader.calls > calls  # read through the API
    sql = _kpi(sql_app, access)
    values = {r["scope_id"]: r["value"] for r in sql["results"]}
    assert {r["scope_id"] for r in api["results"]} == set(values) == ({1, 2, 3} if access is EXEC else {2})
    assert {r["scope_id"]: pytest.approx(r["value"], rel=1e-9) for r in api["results"]} == values
    key = _cached_key(api_app, access)
    assert key == _cached_key(sql_app, access)  # one key shape whichever path computed it
    with api_app.server.app_context():
        held = cache.current.get_or_compute(key, 60, lambda: pytest.fail("kpi_results was not cached under this key"))
    assert held["results"] == api["results"]
    calls = source.reader.calls
    assert _kpi(api_app, access)["results"] == api["results"] and source.reader.calls == calls  # from the cache


# --- dimension lists through the API, SQL-only calls refused -----------------------------------------------------

def test_dimension_lists_come_from_the_api_and_equal_the_sql_paths(api_app, sql_app):
    def dims(app, access):
        with app.server.test_request_context():
            sites = service.sites(access, AS_OF, 30)
            return {"companies": service.companies(access), "sites": sites,
                    "workcenters": service.workcenters(access, [1, 2, 3, 4, 5, 6]),
                    "partners": service.partners(access, [1, 2, 3, 7, 9]),
                    "products": service_finance.products(access, [1, 2, 3, 10]),
                    "workcenter_sites": service.workcenter_sites(access, AS_OF, 30),
                    "vendors": {v: service_supply.vendor_in_scope(replace(access, warehouse_ids=(w,)) if w else access, v, AS_OF)
                                for v in (1, 20, 26, 999) for w in (None, 1, 4)}}

    with api_app.server.app_context():
        source = service.kpi_source()
    for access in (EXEC, DIST):
        calls = source.reader.calls
        api = dims(api_app, access)
        assert source.reader.calls > calls
        assert api == dims(sql_app, access)
        assert api["companies"] and api["sites"] and api["partners"] and api["products"]
    assert dims(api_app, EXEC)["workcenters"] and dims(api_app, EXEC)["workcenter_sites"]
    assert set(dims(api_app, EXEC)["vendors"].values()) == {True, False}
    assert {s["company_id"] for s in dims(api_app, DIST)["sites"].values()} == {2}


def test_sql_only_calls_say_they_need_a_replica(api_app):
    with api_app.server.test_request_context():
        for call in (lambda: service.data_health(EXEC), lambda: service.late_mos(EXEC, AS_OF, 30, 1),
                     lambda: service.workorder_detail(EXEC, 1, AS_OF, 30),
                     lambda: service_supply.late_po_lines(EXEC, AS_OF, 30)):
            with pytest.raises(NeedsReplica) as raised:
                call()
            assert raised.value.reason == "api_path"
            assert "needs a read-only replica" in raised.value.user_message
    instance = api_app.server.extensions[STATE_KEY].settings.instance_path
    assert sorted(p.name for p in instance.iterdir() if p.suffix == ".sqlite") == ["app-store.sqlite"]


def test_with_a_replica_the_drills_read_it_and_the_kpis_the_api(fake, replica_url, tmp_path):
    app = create_app(api_settings(fake, tmp_path / "instance", replica_url=replica_url))
    with app.server.test_request_context():
        assert isinstance(service.kpi_source(), ApiSource)
        assert service.query_source(service.dimensions.companies) is service.kpi_source()
        late = service.late_mos(EXEC, AS_OF, 30, 1)
    assert isinstance(late, list) and late  # the replica answers the drill
    app.server.extensions[STATE_KEY].store.dispose()


def test_readyz_checks_odoo_and_the_start_line_says_where_reads_go(fake, replica_url, tmp_path, caplog):
    with caplog.at_level("INFO", logger="dashboard"):
        app = create_app(api_settings(fake, tmp_path / "api-only"))
        both = create_app(api_settings(fake, tmp_path / "both", replica_url=replica_url))
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("data path api:")]
    assert len(lines) == 2 and f"read Odoo's API at {fake.url}" in lines[0]
    assert lines[0].endswith("need a replica and say so (none configured)") and lines[1].endswith("read the replica")
    ready = app.server.test_client().get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ok", "data_path": "api", "odoo_series": "17.0"}
    assert both.server.test_client().get("/readyz").get_json()["status"] == "ok"  # the replica's own check
    for one in (app, both):
        one.server.extensions[STATE_KEY].store.dispose()
