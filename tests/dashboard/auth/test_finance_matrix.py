"""Role x page x callback for the finance pages on the demo replica: only finance, executive and admin open
/finance and /finance/customer/<id> (others get "not allowed" layouts and 403 on every callback); a user
scoped to one company never sees another company's block or rows, by URL or by a forged callback."""
from __future__ import annotations

import json
import sys

import pytest
from flask_login import login_user

from dashboard import create_app
from dashboard.auth import page_access
from dashboard.auth.access import ROLES
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.figures import SCALE_STORE
from dashboard.settings import Settings
from data_access.demo.scenario import STORY
from helpers.auth_app import PASSWORD, login

ALLOWED = {"finance", "executive", "admin"}
MAIN, DIST = STORY["company_main"], STORY["company_distribution"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("finance-matrix")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    for role in ROLES:
        store.add_user(f"m-{role}", PASSWORD, role)
    store.add_user("m-company2", PASSWORD, "finance", company_ids=(DIST,))
    yield app
    store.dispose()


def _module(key):
    return next(m for m in list(sys.modules.values()) if getattr(getattr(m, "spec", None), "key", None) == key)


@pytest.fixture
def as_user(app):
    contexts = []

    def sign_in(username):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        contexts.append(ctx)
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user(username)))

    yield sign_in
    for ctx in reversed(contexts):
        ctx.pop()


def _deps(app) -> list[dict]:
    client = app.server.test_client()
    login(client, "m-admin")
    return [d for d in client.get("/_dash-dependencies").get_json()
            if not d.get("clientside_function") and ("finance-" in d["output"] or "customer-" in d["output"])]


def _outputs(output: str) -> list[dict]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]


@pytest.fixture(scope="module")
def customer_id(app) -> int:
    """The main company's largest customer of the period (read as the finance lead)."""
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user("m-finance")))
        page = _module("finance")
        body = page._body.__wrapped__({"days": 90}, 1.0, access=page_access("finance")[0])
    return int(body["cells"][str(MAIN)]["rows"][0])


@pytest.mark.parametrize("role", ROLES)
def test_layouts_and_callbacks_per_role(app, as_user, customer_id, role):
    deps = _deps(app)
    assert len(deps) >= 4  # finance: URL, cell click, body; customer: body
    client = app.server.test_client()
    login(client, f"m-{role}")
    for dep in deps:
        status = client.post("/_dash-update-component", json={"output": dep["output"], "outputs": _outputs(dep["output"]),
                                                               "inputs": [], "state": []}).status_code
        assert (status == 403) is (role not in ALLOWED), (role, dep["output"], status)
    as_user(f"m-{role}")
    texts = (str(_module("finance").layout()), str(_module("customer").layout(partner_id=str(customer_id))))
    for text in texts:
        assert ("Not allowed" in text) is (role not in ALLOWED), role


def _forged(app, username: str, output: str, values: dict) -> str:
    """A body callback posted over HTTP with the store values given: the response as JSON text."""
    dep = next(d for d in _deps(app) if output in d["output"])
    client = app.server.test_client()
    login(client, username)
    body = {"output": dep["output"], "outputs": _outputs(dep["output"]),
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
            "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)  # Dash escapes "/" in its JSON


def test_a_company_scoped_user_never_sees_another_companys_rows(app, as_user, customer_id):
    finance = {"finance-params": {"company": MAIN, "days": 90}, SCALE_STORE: 1.0}
    own = json.loads(_forged(app, "m-finance", "finance-blocks.children", finance))["response"]
    assert f"finance-company-{MAIN}" in json.dumps(own)  # the forged-body shape is right for an allowed user
    text = _forged(app, "m-company2", "finance-blocks.children", finance)
    assert "outside your scope" in text and f"finance-company-{MAIN}" not in text
    text = _forged(app, "m-company2", "finance-blocks.children", {"finance-params": {"days": 90}, SCALE_STORE: 1.0})
    assert f"finance-company-{DIST}" in text and f"finance-company-{MAIN}" not in text
    assert f"finance-tile-margin-{MAIN}" not in text and f'"{MAIN}":' not in json.dumps(
        json.loads(text)["response"]["finance-cells"]["data"])
    # the customer page: the main company's customer shows nothing of the main company to this user
    customer = {"customer-params": {"partner": customer_id, "days": 90}}
    own = _forged(app, "m-finance", "customer-blocks.children", customer)
    assert f"customer-company-{MAIN}" in own and "INV/" in own
    text = _forged(app, "m-company2", "customer-blocks.children", customer)
    assert f"customer-company-{MAIN}" not in text
    text = _forged(app, "m-company2", "customer-blocks.children", {"customer-params": {**customer["customer-params"],
                                                                                       "company": MAIN}})
    assert "outside your scope" in text and "INV/" not in text
    as_user("m-company2")  # by URL (after the HTTP posts: a pushed login would shadow them)
    assert "outside your scope" in str(_module("finance").layout(company=str(MAIN)))
    assert "outside your scope" in str(_module("customer").layout(partner_id=str(customer_id), company=str(MAIN)))
