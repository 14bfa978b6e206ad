"""Role x page x callback for the finance pages on the demo replica: only finance, executive and admin open
/finance and /finance/customer/<id> (others get "not allowed" layouts and 403 on every callback); a user
scoped to one company never sees another company's block or rows, by URL or by a forged callback."""
from __future__ import annotations

import json

import pytest
from flask_login import login_user

from dashboard.auth import page_access
from dashboard.auth.access import ROLES
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.figures import SCALE_STORE
from data_access.demo.scenario import STORY
from helpers.auth_app import login
from helpers.matrix import matrix_app, outputs, page_callbacks, page_module

ALLOWED = {"finance", "executive", "admin"}
MAIN, DIST = STORY["company_main"], STORY["company_distribution"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = matrix_app(tmp_path_factory.mktemp("finance-matrix"), {"m-company2": {"role": "finance", "company_ids": (DIST,)}})
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


def _deps(app) -> list[dict]:
    return page_callbacks(app, "finance", "customer")


@pytest.fixture(scope="module")
def customer_id(app) -> int:
    """The main company's largest customer of the period (read as the finance lead)."""
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user("m-finance")))
        page = page_module("finance")
        body = page._body.__wrapped__({"days": 90}, 1.0, access=page_access("finance")[0])
    return int(body["cells"][str(MAIN)]["rows"][0])


@pytest.mark.parametrize("role", ROLES)
def test_layouts_and_callbacks_per_role(app, as_user, customer_id, role):
    deps = _deps(app)
    assert len(deps) >= 4  # finance: URL, cell click, body; customer: body
    client = app.server.test_client()
    login(client, f"m-{role}")
    for dep in deps:
        status = client.post("/_dash-update-component", json={"output": dep["output"], "outputs": outputs(dep["output"]),
                                                               "inputs": [], "state": []}).status_code
        assert (status == 403) is (role not in ALLOWED), (role, dep["output"], status)
    as_user(f"m-{role}")
    texts = (str(page_module("finance").layout()), str(page_module("customer").layout(partner_id=str(customer_id))))
    for text in texts:
        assert ("Not allowed" in text) is (role not in ALLOWED), role


def _forged(app, username: str, output: str, values: dict) -> str:
    """A body callback posted over HTTP with the store values given: the response as JSON text."""
    dep = next(d for d in _deps(app) if output in d["output"])
    client = app.server.test_client()
    login(client, username)
    body = {"output": dep["output"], "outputs": outputs(dep["output"]),
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
    assert "outside your scope" in str(page_module("finance").layout(company=str(MAIN)))
    assert "outside your scope" in str(page_module("customer").layout(partner_id=str(customer_id), company=str(MAIN)))
