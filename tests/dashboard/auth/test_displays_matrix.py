"""Role x page for the displays page (admins only) and the TV board (plant, executive, admin) on the demo replica;
an admin adds, revokes and re-tokens a display through the page's callback; a user opens boards only of sites
in their company and site scope, and only admins preview a display's board."""
from __future__ import annotations

import json
import re

import pytest

from dashboard.auth import display_session, page_access
from dashboard.auth.access import ROLES
from dashboard.auth.roles import can_open
from dashboard.extensions import STATE_KEY
from helpers.auth_app import login
from helpers.matrix import matrix_app, outputs, page_callbacks, page_module

SCOPED = {"m-plant2": {"role": "plant", "warehouse_ids": (2,)}, "m-dist": {"role": "executive", "company_ids": (2,)}}
URL = re.compile(r"http://localhost/tv/([A-Za-z0-9_-]{43})")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = matrix_app(tmp_path_factory.mktemp("displays-matrix"), SCOPED)
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


@pytest.fixture
def store(app):
    return app.server.extensions[STATE_KEY].store


def _deps(app) -> list[dict]:
    """The page's server callbacks, once each (Dash Pages may list one again when page modules are re-imported)."""
    return list({d["output"]: d for d in page_callbacks(app, "displays")}.values())


def _update_body(trigger: str, **values) -> dict:
    dep = _deps(_update_body.app)[0]
    names = {"_mounted": ("displays-grid", "id"), "add": ("displays-add", "n_clicks"),
             "revoke": ("displays-revoke", "submit_n_clicks"), "rotate": ("displays-rotate", "submit_n_clicks")}
    states = {"name": ("displays-name", "value"), "site": ("displays-site", "value"), "panels": ("displays-panels", "value"),
              "dwell": ("displays-dwell", "value"), "refresh": ("displays-refresh", "value"), "theme": ("displays-theme", "value"),
              "selected": ("displays-grid", "selectedRows")}

    keys = {v: k for k, v in {**names, **states}.items()}

    def props(declared):  # in the order the dependency declares them, as Dash's renderer sends them
        return [{"id": d["id"], "property": d["property"], "value": values.get(keys[(d["id"], d["property"])])} for d in declared]

    return {"output": dep["output"], "outputs": outputs(dep["output"]), "inputs": props(dep["inputs"]), "state": props(dep["state"]),
            "changedPropIds": [f"{names[trigger][0]}.{names[trigger][1]}"]}


def _token(response) -> str:
    """The token of the display URL the callback's answer shows."""
    return URL.search(json.dumps(response.get_json())).group(1)


@pytest.fixture
def admin(app):
    _update_body.app = app
    client = app.server.test_client()
    login(client, "m-admin")
    return client


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_open_the_displays_page_and_its_callback(app, as_user, role):
    deps = _deps(app)
    assert len(deps) == 1
    client = app.server.test_client()
    login(client, f"m-{role}")
    status = client.post("/_dash-update-component", json={"output": deps[0]["output"], "outputs": outputs(deps[0]["output"]),
                                                          "inputs": [], "state": []}).status_code
    assert (status == 403) is (role != "admin"), (role, status)
    as_user(f"m-{role}")
    assert ("Not allowed" in str(page_module("displays").layout())) is (role != "admin")
    assert (page_access("tv")[0] is not None) is (role in {"plant", "executive", "admin"})
    assert can_open(role, "tv") is (role in {"plant", "executive", "admin"})


def test_admin_adds_revokes_and_rotates_on_the_page(admin, store):
    response = admin.post("/_dash-update-component", json=_update_body(
        "add", add=1, name="Press hall", site=2, panels=["status", "oee"], dwell=15, refresh=30, theme="dark"))
    assert response.status_code == 200, response.get_data(as_text=True)
    token = _token(response)
    display = store.displays.by_token(token)
    assert (display.name, display.site_id, display.company_id, display.refresh_s) == ("Press hall", 2, 1, 30)
    assert display.playlist == ({"panel": "status", "dwell_s": 15}, {"panel": "oee", "dwell_s": 15})
    rows = response.get_json()["response"]["displays-grid"]["rowData"]
    row = next(r for r in rows if r["id"] == str(display.id))
    assert row["preview"] == f"[Preview](/tv?display={display.id})" and token not in str(rows)
    assert store.recent_audit(1, event="display_added")[0].username == "m-admin"

    rotated = admin.post("/_dash-update-component", json=_update_body("rotate", rotate=1, selected=[{"id": str(display.id)}]))
    new_token = _token(rotated)
    assert new_token != token and store.displays.by_token(token) is None and store.displays.by_token(new_token)

    revoked = admin.post("/_dash-update-component", json=_update_body("revoke", revoke=1, selected=[{"id": str(display.id)}]))
    assert "revoked" in revoked.get_data(as_text=True) and not store.displays.get(display.id).active
    again = admin.post("/_dash-update-component", json=_update_body("revoke", revoke=1, selected=[{"id": str(display.id)}]))
    assert f"No active display {display.id}." in again.get_data(as_text=True)


@pytest.mark.parametrize("values,message", [
    ({"name": "", "site": 2}, "A display needs a name"),
    ({"name": "TV", "site": 999}, "Choose one of the sites in the list."),
    ({"name": "TV", "site": 2, "refresh": 3}, "The refresh interval must be a whole number from 10 to 3600."),
    ({"name": "TV", "site": 2, "dwell": 2.5}, "The dwell time must be a whole number"),
])
def test_the_page_refuses_bad_values_with_a_message(admin, store, values, message):
    before = len(store.displays.list())
    response = admin.post("/_dash-update-component", json=_update_body("add", add=1, **values))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert len(store.displays.list()) == before


def test_users_open_boards_of_their_own_sites_only(app, as_user, store):
    as_user("m-plant2")
    access = page_access("tv")[0]
    board, message = display_session.board_for_user(access, {"site": "2", "panels": "status,oee:30", "refresh": "20"})
    assert message is None and (board.site_id, board.company_id, board.refresh_s, board.preview) == (2, 1, 20, True)
    assert board.playlist == ({"panel": "status", "dwell_s": 20}, {"panel": "oee", "dwell_s": 30})
    assert display_session.board_for_user(access, {})[0].site_id == 2  # the first site in scope
    assert display_session.board_for_user(access, {"site": "1"}) == (None, display_session.NOT_FOUND)
    entry = store.recent_audit(1, event="denied")[0]
    assert (entry.username, entry.detail) == ("m-plant2", "page=tv site=1 reason=site_out_of_scope role=plant")
    assert display_session.board_for_user(access, {"site": "2", "panels": "nope"})[1].startswith("unknown panel 'nope'")
    assert "refresh must be" in display_session.board_for_user(access, {"site": "2", "refresh": "1"})[1]


def test_a_company_scoped_user_cannot_open_another_company_site(as_user):
    as_user("m-dist")
    access = page_access("tv")[0]
    assert display_session.board_for_user(access, {"site": "4"})[0].company_id == 2
    assert display_session.board_for_user(access, {"site": "2"}) == (None, display_session.NOT_FOUND)


def test_only_admins_preview_a_display_board(as_user, store):
    display, _ = store.displays.add("Hall", 2, 1, [{"panel": "status", "dwell_s": 20}], 60, "dark")
    as_user("m-plant")
    assert display_session.board_for_user(page_access("tv")[0], {"display": str(display.id)}) == (None, display_session.NOT_FOUND)
    as_user("m-admin")
    board, message = display_session.board_for_user(page_access("tv")[0], {"display": str(display.id)})
    assert message is None and board == display_session.board_of(display, preview=True)
    store.displays.revoke(display.id)
    assert display_session.board_for_user(page_access("tv")[0], {"display": str(display.id)})[0] is None
