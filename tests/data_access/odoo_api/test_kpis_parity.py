"""The API data path gives exactly the SQL path's KPI values on the demo replica (Odoo 17 and 18 shapes,
both transports), reports what it does not compute as unavailable with the reason, honours the API
user's access rights (a model denied: those KPIs unavailable, the rest computed) and company scope."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from data_access.engine import Replica
from data_access.odoo_api import OdooClient
from data_access.odoo_api.families import NOT_SERVED
from data_access.odoo_api.kpi_source import ApiSource
from helpers.fake_odoo import FakeOdoo, FakeUser
from helpers.kpi_parity import differences

AS_OF = date(2026, 6, 30)
PASSWORD = "api-Pa55word"
NOT_COMPUTED = {"supplier_otif", "late_po_lines", "customer_otif", "late_so_lines"}
API_USERS = [FakeUser("api.all", PASSWORD, company_ids=(1, 2, 3)),
             FakeUser("api.main", PASSWORD, company_ids=(1,)),
             FakeUser("api.no_layers", PASSWORD, company_ids=(1, 2, 3), denied_models={"stock.valuation.layer"})]


def _api(server, login: str, transport: str = "jsonrpc") -> ApiSource:
    client = OdooClient(server.url, "prod", transport=transport)
    client.authenticate(login, PASSWORD)
    return ApiSource(client)


def _results(source, company_ids=None) -> list[dict]:
    ctx = Period(AS_OF, 30, "UTC").context(company_ids)
    return [r.as_json() for r in evaluate(source, ctx, Catalogue())]


@pytest.fixture(scope="module", params=["17.0", "18.0"])
def served(request, tmp_path_factory):
    """(replica URL, the SQL results of every company, the fake endpoint) per Odoo series."""
    from helpers.fake_odoo import demo_replica_url

    url = demo_replica_url(tmp_path_factory.mktemp(f"parity{request.param}"), request.param)
    replica = Replica(url)
    sql = _results(replica)
    with FakeOdoo(url, request.param, db="prod", users=API_USERS) as server:
        yield url, replica, sql, server
    replica.dispose()


@pytest.mark.parametrize("transport", ["jsonrpc", "xmlrpc"])
def test_every_kpi_the_api_computes_equals_the_sql_path(served, transport):
    _, replica, sql, server = served
    source = _api(server, "api.all", transport)
    api = _results(source)
    assert source.info.series == replica.info.series
    assert differences(sql, api, unavailable=NOT_COMPUTED) == []
    computed = [r for r in api if r["status"] != "unavailable"]
    assert {r["kpi"] for r in computed} == {r["kpi"] for r in sql} - NOT_COMPUTED  # 13 KPIs
    assert len(computed) > 140  # at every scope: 146 results on the demo, not a handful


def test_kpis_not_computed_through_the_api_name_their_reason(served):
    _, _, _, server = served
    api = _results(_api(server, "api.all"))
    otif = [r for r in api if r["kpi"] in NOT_COMPUTED]
    assert {r["kpi"] for r in otif} == NOT_COMPUTED
    assert {r["scope"]["company_id"] for r in otif} == {1, 2, 3}  # once per company the user may read
    assert all(r["status"] == "unavailable" and r["value"] is None for r in otif)
    assert {r["reason"] for r in otif} == set(NOT_SERVED.values())
    assert all("not computed through the Odoo API path" in r["reason"] for r in otif)


def test_a_model_the_user_may_not_read_makes_only_its_kpis_unavailable(served):
    _, _, sql, server = served
    api = _results(_api(server, "api.no_layers"))
    needs_layers = {"gross_margin_pct", "inventory_turns", "dio"}
    for r in (r for r in api if r["kpi"] in needs_layers):
        assert r == {"kpi": r["kpi"], "scope": r["scope"], "value": None, "status": "unavailable",
                     "reason": "the Odoo user may not read stock.valuation.layer"}
    assert differences(sql, api, unavailable=NOT_COMPUTED | needs_layers) == []


def test_the_api_user_sees_only_its_companies(served):
    """A user allowed company 1 only gets exactly what the SQL path gives for company 1's scope, although the
    dashboard asked for every company: Odoo's record rules, not the dashboard, keep the others out."""
    _, replica, _, server = served
    api = _results(_api(server, "api.main"))
    sql_main = _results(replica, company_ids=(1,))
    assert differences(sql_main, api, unavailable=NOT_COMPUTED) == []
    assert {r["scope"]["company_id"] for r in api if "company_id" in r["scope"]} == {1}
