"""Role x page x callback for the quality pages on the demo replica: only quality, executive and admin open
/quality and /quality/lot/<id> (others get "not allowed" layouts and 403 on every callback); a user scoped to
one company or one site never sees another's rows, by URL or by a forged callback."""
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

ALLOWED = {"quality", "executive", "admin"}
SITE = STORY["excursion_warehouse_id"]  # Stuttgart, company 1
OTHER_SITE = 2  # another plant of company 1


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = matrix_app(tmp_path_factory.mktemp("quality-matrix"), {
        "m-company2": {"role": "quality", "company_ids": (2,)},
        "m-site2": {"role": "quality", "company_ids": (1,), "warehouse_ids": (OTHER_SITE,)}})
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


def _deps(app) -> list[dict]:
    return page_callbacks(app, "quality", "lot")


@pytest.fixture(scope="module")
def lot_id(app) -> int:
    """The lot scrapped most at the excursion plant (read as the quality lead, in a context of its own)."""
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user("m-quality")))
        page = page_module("quality")
        rows = page._body.__wrapped__({"site": SITE, "days": 30}, 1.0, access=page_access("quality")[0])["lots"]
    return int(rows[0]["name"].split("/quality/lot/")[1].split("?")[0])


@pytest.mark.parametrize("role", ROLES)
def test_layouts_and_callbacks_per_role(app, as_user, lot_id, role):
    deps = _deps(app)
    assert len(deps) >= 2  # the URL callback and the body
    client = app.server.test_client()
    login(client, f"m-{role}")
    for dep in deps:
        status = client.post("/_dash-update-component", json={"output": dep["output"], "outputs": outputs(dep["output"]),
                                                               "inputs": [], "state": []}).status_code
        assert (status == 403) is (role not in ALLOWED), (role, dep["output"], status)
    as_user(f"m-{role}")
    quality, lot = str(page_module("quality").layout(site=str(SITE))), str(page_module("lot").layout(lot_id=str(lot_id)))
    for text in (quality, lot):
        assert ("Not allowed" in text) is (role not in ALLOWED), role


def _forged_body(app, username: str, site: int) -> str:
    """The body callback posted over HTTP with a store naming ``site``: the response text."""
    dep = next(d for d in _deps(app) if "quality-tiles.children" in d["output"])
    values = {"quality-params": {"site": site, "days": 30, "by": "product"}, SCALE_STORE: 1.0}
    client = app.server.test_client()
    login(client, username)
    body = {"output": dep["output"], "outputs": outputs(dep["output"]), "changedPropIds": ["quality-params.data"],
            "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_scoped_user_never_sees_another_scopes_rows(app, as_user, lot_id):
    own = json.loads(_forged_body(app, "m-quality", SITE))["response"]
    assert own["quality-lots"]["rowData"]  # the forged-body shape is right: the allowed user gets rows
    for user in ("m-company2", "m-site2"):
        text = _forged_body(app, user, SITE)
        assert "outside your scope" in text and "quality-lots" not in text and "Brake" not in text, user
    for user in ("m-company2", "m-site2"):  # by URL (after the HTTP posts: a pushed login would shadow them)
        as_user(user)
        assert "outside your scope" in str(page_module("quality").layout(site=str(SITE))), user
    # the lot: another company's user gets "not found"; a user of one site sees only that site's MOs
    as_user("m-company2")
    assert "outside your scope" in str(page_module("lot").layout(lot_id=str(lot_id)))
    as_user("m-site2")
    page = str(page_module("lot").layout(lot_id=str(lot_id)))
    assert "STU/MO/" not in page and "PLZ/MO/" in page
