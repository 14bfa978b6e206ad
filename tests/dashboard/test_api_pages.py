"""Pages of a deployment on Odoo's API without a replica (``data_path`` = api, no replica URL), against the test
Odoo endpoint over the demo replica: home and executive show KPI values read through the API, with their
company and site names; the data health line and page say in words that they need a replica; and no demo
replica file is ever created in the instance folder."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard import create_app, service
from dashboard.auth import current_access
from dashboard.extensions import STATE_KEY
from dashboard.formats import fmt_value
from dashboard.settings import Settings
from dashboard.urlstate import DEFAULT_DAYS
from dashboard.views.home import home_kpis
from helpers.auth_app import PASSWORD
from helpers.fake_odoo import FakeOdoo, FakeUser, demo_replica_url
from helpers.matrix import page_module
from helpers.tree import find_id

AS_OF = date(2026, 6, 30)  # the fake's demo clock: the pages' "today"
API_LOGIN, API_PASSWORD = "dash.reader", "api-Pa55word"
NEEDS_REPLICA = "Not available through the Odoo API path: this part needs a read-only replica"


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    url = demo_replica_url(tmp_path_factory.mktemp("api-pages"), "17.0")
    with FakeOdoo(url, "17.0", db="prod", users=[FakeUser(API_LOGIN, API_PASSWORD, company_ids=(1, 2, 3))]) as server:
        yield server


@pytest.fixture(scope="module")
def app(fake, tmp_path_factory):
    instance = tmp_path_factory.mktemp("api-pages-app") / "instance"
    app = create_app(Settings(instance_dir=str(instance), secret_key="k" * 40, cache_type="simple", secure_cookies=False,
                              data_path="api", odoo_url=fake.url, odoo_db="prod", odoo_api_login=API_LOGIN,
                              odoo_api_password=API_PASSWORD))
    store = app.server.extensions[STATE_KEY].store
    assert store.find_user("exec") is None  # not demo mode: no demo users with a known password
    store.add_user("exec", PASSWORD, "executive")
    store.add_user("plant", PASSWORD, "plant", company_ids=(1,))
    store.add_user("admin", PASSWORD, "admin")
    yield app
    store.dispose()


@pytest.fixture(autouse=True)
def demo_day(monkeypatch):
    monkeypatch.setattr(service, "today", lambda: AS_OF)


def _api_calls(app) -> int:
    with app.server.app_context():
        return service.kpi_source().reader.calls


def test_home_shows_the_apis_kpis_and_says_data_health_needs_a_replica(app, as_user):
    page = page_module("home")
    before = _api_calls(app)
    as_user("plant")
    out = page._kpis(_mounted="home-kpis", scale=None)
    text = str(out["kpis"])
    assert _api_calls(app) > before and "msg-error" not in text
    access = current_access()
    data = service.kpi_results(access, AS_OF, DEFAULT_DAYS, kpis=home_kpis("plant", service.catalogue()),
                               scope_kinds=("company", "warehouse"))
    oee = next(r for r in data["results"] if r["kpi"] == "oee" and r["scope_kind"] == "company" and r["scope_id"] == 1)
    assert oee["value"] is not None and fmt_value(oee["value"], "ratio") in text
    sites = service.sites(access, AS_OF, DEFAULT_DAYS)
    assert sites and all(s["name"] in text for s in sites.values())  # the sites' names, through the API
    health = str(page._health(_mounted="home-health"))
    assert NEEDS_REPLICA in health and "msg-error" in health


def test_executive_filters_and_heat_maps_come_from_the_api(app, as_user):
    page = page_module("executive")
    as_user("exec")
    layout = page.layout(company="2")
    company, site = find_id(layout, "executive-company"), find_id(layout, "executive-site")
    assert {o["value"] for o in company.options} == {1, 2, 3}
    assert {o["value"] for o in site.options} == {4, 5}  # the distribution company's sites, read as stock.warehouse
    out = page._heatmaps(data=find_id(page.layout(), "executive-view").data)
    values = [v for row in out["companies"]["data"][0]["z"] for v in row if v is not None]
    assert values and "msg-error" not in str(out["table"])


def test_the_health_page_says_it_needs_a_replica(app, as_user):
    as_user("admin")
    body = page_module("health")._body(_mounted="health-body")["body"]
    assert NEEDS_REPLICA in str(body)


def test_no_demo_replica_is_ever_created(app):
    settings = app.server.extensions[STATE_KEY].settings
    assert settings.api_only and not settings.demo_replica_path.exists()
    assert not [p.name for p in settings.instance_path.iterdir() if p.name.startswith("demo-")]
