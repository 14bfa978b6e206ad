"""The request guard over HTTP: deny by default, public list, callback outputs checked by page."""
from __future__ import annotations

import json

import pytest

from dashboard.auth.guard import PUBLIC_PATHS, BadCallback, callback_output_ids, is_public
from helpers.auth_app import build_app, callback_body, login

PLANT_OUT = {"id": "plant-out", "property": "children"}
FINANCE_OUT = {"id": "finance-out", "property": "children"}


def _sample_path(rule) -> str:
    """A concrete URL for a rule (every converter filled with a harmless value)."""
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<path:{arg}>", "x/y").replace(f"<string:{arg}>", "x").replace(f"<{arg}>", "x")
    return path


def test_every_rule_needs_a_session_except_the_public_list(app, client):
    checked = 0
    for rule in app.server.url_map.iter_rules():
        path = _sample_path(rule)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if is_public(path):
            assert path in {"/login", "/healthz", "/readyz", "/_favicon.ico"} or path.startswith("/assets/"), path
            continue
        for method in methods:
            response = client.open(path, method=method)
            assert response.status_code in (302, 401), (method, path, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login?next="), path
            checked += 1
    assert checked >= 10  # the Dash routes, the catch-all pages, /logout, /boom, /static


@pytest.mark.parametrize("path", ["/", "/plant", "/finance?company=2", "/static/x.css", "/assets/app.js",
                                  "/assets/other.css", "/favicon.ico"])
def test_signed_out_page_get_redirects_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=" + path.replace("/", "%2F").replace("?", "%3F").replace("=", "%3D")


@pytest.mark.parametrize("method,path", [
    ("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"), ("GET", "/_reload-hash"),
    ("GET", "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.v4_4_1m.min.js"),
    ("POST", "/_dash-update-component"), ("POST", "/plant"),
])
def test_signed_out_dash_endpoints_and_posts_get_401_json(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401
    assert response.get_json() == {"error": "signed out"}


def test_public_routes_are_the_explicit_list():
    assert {"/login", "/healthz", "/readyz", "/assets/00-bootstrap.min.css", "/assets/app.css",
                            "/_favicon.ico"} == PUBLIC_PATHS


@pytest.mark.parametrize("path,public", [
    ("/login", True), ("/assets/app.css", True), ("/assets/00-bootstrap.min.css", True),
    ("/assets/../app.css", False), ("/assets/./app.css", False), ("/assets//app.css", False),
    ("/assets/executive.css", False), ("/assets\\app.css", False),
    ("/login/", False), ("/loginx", False), ("/assets/app.js", False), ("/_dash-layout", False),
])
def test_is_public(path, public):
    assert is_public(path) is public


def test_public_assets_served_without_session(client):
    assert client.get("/assets/app.css").status_code == 200
    assert client.get("/assets/00-bootstrap.min.css").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_garbage_session_cookie_is_signed_out(client):
    client.set_cookie("session", "eyJfdXNlcl9pZCI6IjE6MCJ9.forged.signature")
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json=callback_body("plant-out.children", PLANT_OUT)).status_code == 401


def _signed_in(client, store, role="plant"):
    store.add_user("ann", "pw-123456", role)
    assert login(client, "ann").status_code == 302
    return client


def test_allowed_output_passes_the_guard(client, store):
    _signed_in(client, store)
    body = callback_body("plant-out.children", PLANT_OUT, [{"id": "plant-in", "property": "value", "value": 3}])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert response.get_json()["response"] == {"plant-out": {"children": "plant 3"}}


def test_shared_output_allowed_for_any_role(client, store):
    _signed_in(client, store, role="finance")
    body = callback_body("shell-clock.children", {"id": "shell-clock", "property": "children"},
                         [{"id": "shell-tick", "property": "n_intervals", "value": 1}])
    assert client.post("/_dash-update-component", json=body).status_code == 200


def test_forbidden_page_output_is_403_and_audited(client, store):
    _signed_in(client, store, role="plant")
    body = callback_body("finance-out.children", FINANCE_OUT, [{"id": "finance-in", "property": "value", "value": 1}])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 403
    assert response.get_json() == {"error": "forbidden"}
    entry = store.recent_audit(1)[0]
    assert (entry.event, entry.username) == ("denied", "ann")
    assert entry.detail == "output=finance-out page=finance reason=forbidden_page role=plant"


def test_forbidden_output_logged_as_warning(client, store, caplog):
    _signed_in(client, store, role="plant")
    with caplog.at_level("WARNING", logger="dashboard.auth.guard"):
        client.post("/_dash-update-component", json=callback_body("finance-out.children", FINANCE_OUT))
    assert any("denied: user=ann role=plant output=finance-out" in r.getMessage() for r in caplog.records)


def test_unknown_output_is_403(client, store):
    _signed_in(client, store, role="admin")
    body = callback_body("mystery-out.children", {"id": "mystery-out", "property": "children"})
    assert client.post("/_dash-update-component", json=body).status_code == 403
    assert "reason=unknown_output" in store.recent_audit(1)[0].detail


def test_no_output_callback_hash_is_403(client, store):
    _signed_in(client, store, role="admin")
    body = {"output": "a" * 64, "inputs": []}
    assert client.post("/_dash-update-component", json=body).status_code == 403


def test_smuggled_output_in_either_field_is_403(client, store):
    _signed_in(client, store, role="plant")
    # Dash dispatches on "output": an allowed "outputs" must not cover a forbidden "output"...
    assert client.post("/_dash-update-component", json=callback_body("finance-out.children", PLANT_OUT)).status_code == 403
    # ... nor the other way round, and one forbidden id among several is enough.
    assert client.post("/_dash-update-component", json=callback_body("plant-out.children", FINANCE_OUT)).status_code == 403
    multi = callback_body("..plant-out.children...finance-out.children..", [PLANT_OUT, FINANCE_OUT])
    assert client.post("/_dash-update-component", json=multi).status_code == 403


def test_pattern_matching_output_checked_by_type(client, store):
    _signed_in(client, store, role="plant")
    output = '{"index":["ALL"],"type":"plant-cell"}.children'
    outputs = [[{"id": {"type": "plant-cell", "index": 0}, "property": "children"}]]
    body = callback_body(output, outputs, [{"id": "plant-in", "property": "value", "value": 5}])
    assert client.post("/_dash-update-component", json=body).status_code != 403
    forbidden = callback_body('{"index":["ALL"],"type":"finance-cell"}.children',
                              [[{"id": {"type": "finance-cell", "index": 0}, "property": "children"}]])
    assert client.post("/_dash-update-component", json=forbidden).status_code == 403


def test_signed_in_plant_user_cannot_reach_finance_even_with_prefix_path(client, store):
    _signed_in(client, store, role="plant")
    response = client.post("/app/_dash-update-component", json=callback_body("finance-out.children", FINANCE_OUT))
    assert response.status_code == 403


@pytest.mark.parametrize("data", ["{not json", "[1, 2]", '"text"', '{"inputs": []}', '{"output": 5}',
                                  '{"output": "plant-out.children", "outputs": 7}',
                                  '{"output": "{bad json}.children"}'])
def test_malformed_callback_body_is_400(client, store, data):
    _signed_in(client, store)
    response = client.post("/_dash-update-component", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"error": "malformed callback request"}
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_callback_must_be_json(client, store, content_type):
    _signed_in(client, store)
    body = json.dumps(callback_body("plant-out.children", PLANT_OUT))
    headers = {"Content-Type": content_type} if content_type else {}
    assert client.post("/_dash-update-component", data=body, headers=headers).status_code == 415


def test_callback_output_ids_parses_dash_formats():
    assert callback_output_ids({"output": "plant-a.figure"}) == ["plant-a"]
    assert callback_output_ids({"output": "..plant-a.children...plant-b.figure@abc.."}) == ["plant-a", "plant-b"]
    dotted = '{"index":"a\\.b","type":"plant-x"}.children'
    assert callback_output_ids({"output": dotted}) == [{"index": "a.b", "type": "plant-x"}]
    both = callback_output_ids({"output": "plant-a.figure", "outputs": [{"id": "shell-x", "property": "c"}, []]})
    assert both == ["plant-a", "shell-x"]
    with pytest.raises(BadCallback):
        callback_output_ids({"output": "plant-a.figure", "outputs": [{"property": "c"}]})


def test_disabled_user_old_cookie_stops_working(client, store):
    _signed_in(client, store)
    assert client.get("/").status_code == 200
    store.disable_user("ann")
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json=callback_body("plant-out.children", PLANT_OUT)).status_code == 401


def test_role_change_ends_the_session(client, store):
    _signed_in(client, store)
    store.set_role("ann", "finance")
    assert client.get("/").status_code == 302


def test_other_browser_with_copied_cookie_is_signed_out(client, store):
    _signed_in(client, store)
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"User-Agent": "Other/1.0"}).status_code == 302


def test_spoofed_forwarded_for_does_not_change_the_client(tmp_path):
    app = build_app(tmp_path)
    store = app.server.extensions["odoo_dash"].store
    store.add_user("ann", "pw-123456", "plant")
    client = app.server.test_client()
    assert login(client, "ann").status_code == 302
    assert client.get("/", headers={"X-Forwarded-For": "6.6.6.6"}).status_code == 200
    store.dispose()


def test_a_workers_first_request_may_be_a_callback(tmp_path):
    """A browser left open across a restart posts callbacks to a worker that has served nothing yet: Dash fills
    its callback map on the first request, after the guard; the guard must not answer 404 meanwhile. The session
    cookie is made as a sign-in makes it, without a request reaching this app."""
    from dashboard.auth import _session_identifier
    from dashboard.extensions import STATE_KEY
    from helpers.matrix import matrix_app

    app = matrix_app(tmp_path, {})
    server = app.server
    user = server.extensions[STATE_KEY].store.find_user("m-admin")
    headers = {"User-Agent": "first-request-test"}
    with server.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _session_identifier()
    client = server.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": f"{user.id}:{user.auth_epoch}", "_fresh": True, "_id": identifier, "_permanent": True})
    assert not app._got_first_request.get("setup_server")
    body = {"output": "..home-kpis.children...home-freshness.children..",
            "outputs": [{"id": "home-kpis", "property": "children"}, {"id": "home-freshness", "property": "children"}],
            "inputs": [{"id": "home-kpis", "property": "id", "value": "home-kpis"},
                       {"id": "screen-scale", "property": "data", "value": None}],
            "state": [], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:200]
