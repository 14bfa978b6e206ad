"""Sign in with Odoo over HTTP: the real app against the test Odoo endpoint (JSON-RPC and XML-RPC)."""
from __future__ import annotations

import time

import pytest

from dashboard.auth import odoo_login
from dashboard.auth.odoo_login import NO_GROUP, UNREACHABLE, role_for
from dashboard.auth.views import FAILED
from dashboard.extensions import STATE_KEY
from helpers.auth_app import build_app, login
from helpers.fake_odoo import FakeOdoo, FakeUser, demo_replica_url
from helpers.fake_odoo.people import PASSWORD, standard_users


@pytest.fixture(scope="module")
def replica(tmp_path_factory) -> str:
    return demo_replica_url(tmp_path_factory.mktemp("odoo_login"), "17.0")


@pytest.fixture
def fake(replica):
    api = FakeUser("dash.api", "api-key-1", groups=("base.group_user", "base.group_system"), company_ids=(1, 2, 3))
    with FakeOdoo(replica, "17.0", db="prod", users=standard_users() + [api]) as server:
        yield server


@pytest.fixture(params=["jsonrpc", "xmlrpc"])
def odoo_app(request, tmp_path, fake):
    odoo_login._checked.clear()
    app = build_app(tmp_path, auth_odoo=True, odoo_url=fake.url, odoo_db="prod", odoo_transport=request.param,
                    odoo_recheck_s=10, odoo_timeout_s=1, odoo_api_login="dash.api", odoo_api_password="api-key-1")
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


def _store(app):
    return app.server.extensions[STATE_KEY].store


def test_sign_in_maps_group_to_role_and_companies_to_scope(odoo_app):
    client = odoo_app.server.test_client()
    response = login(client, "plant.lead", PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    user = _store(odoo_app).find_user("plant.lead")
    assert (user.role, user.company_ids, user.odoo_uid is not None) == ("plant", (1,), True)
    assert client.get("/plant").status_code == 200


def test_finance_manager_of_three_companies(odoo_app):
    client = odoo_app.server.test_client()
    assert login(client, "controller", PASSWORD).status_code == 302
    user = _store(odoo_app).find_user("controller")
    assert (user.role, user.company_ids) == ("finance", (1, 2, 3))


def test_no_mapped_group_is_refused_with_a_clear_message(odoo_app):
    response = login(odoo_app.server.test_client(), "no.moves", PASSWORD)
    assert response.status_code == 403
    assert NO_GROUP.split(".")[0] in response.get_data(as_text=True)
    assert "mrp.group_mrp_manager" in response.get_data(as_text=True)
    assert _store(odoo_app).find_user("no.moves") is None


def test_wrong_password_gets_the_usual_answer(odoo_app):
    response = login(odoo_app.server.test_client(), "plant.lead", "nope")
    assert response.status_code == 401 and FAILED in response.get_data(as_text=True)
    assert _store(odoo_app).recent_audit(1)[0].event == "login_failed"


def test_odoo_down_says_so(odoo_app, fake):
    fake.mode = "down"
    response = login(odoo_app.server.test_client(), "plant.lead", PASSWORD)
    assert response.status_code == 503 and UNREACHABLE in response.get_data(as_text=True)


def test_odoo_silent_answers_within_the_timeout(odoo_app, fake):
    fake.mode = "silent"
    started = time.monotonic()
    response = login(odoo_app.server.test_client(), "plant.lead", PASSWORD)
    assert response.status_code == 503
    assert time.monotonic() - started < 4  # 1 s call timeout, a timeout is not retried


def test_local_accounts_keep_working(odoo_app, fake):
    _store(odoo_app).add_user("ann", "pw-123456", "quality")
    client = odoo_app.server.test_client()
    fake.mode = "down"  # a local account never asks Odoo
    assert login(client, "ann", "pw-123456").status_code == 302
    assert _store(odoo_app).find_user("ann").odoo_uid is None


def test_recheck_picks_up_a_group_change(odoo_app, fake, monkeypatch):
    client = odoo_app.server.test_client()
    assert login(client, "plant.lead", PASSWORD).status_code == 302
    assert client.get("/plant").status_code == 200
    fake.set_groups("plant.lead", ["base.group_user", "quality.group_quality_manager"])
    assert client.get("/plant").status_code == 200  # before the interval: the role read at sign-in
    user_id = _store(odoo_app).find_user("plant.lead").id
    odoo_login._checked[user_id] -= 11  # the re-check interval (10 s) has passed
    client.get("/")
    assert _store(odoo_app).find_user("plant.lead").role == "quality"  # same session, new role
    assert client.get("/quality").status_code == 200
    fake.set_groups("plant.lead", ["base.group_user"])
    odoo_login._checked[user_id] -= 11
    assert client.get("/quality").status_code in (302, 401)  # no mapped group left: signed out
    assert not _store(odoo_app).find_user("plant.lead").active


def test_highest_role_wins():
    table = odoo_login.DEFAULT_GROUP_ROLES | {"x.group_exec": "executive"}
    assert role_for({"mrp.group_mrp_manager", "account.group_account_manager"}, table) == "finance"
    assert role_for({"mrp.group_mrp_manager", "x.group_exec"}, table) == "executive"
    assert role_for({"base.group_system", "x.group_exec"}, table) == "admin"
    assert role_for({"base.group_user"}, table) is None
