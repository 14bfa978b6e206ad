"""The real app (``create_app``): every route needs a session except the public list, and every
server callback's outputs map to a page, so the guard's policy covers each of them (A1, A2)."""
from __future__ import annotations

import pytest

from dashboard import create_app
from dashboard.auth.access import ROLES
from dashboard.auth.guard import _parse_output_string, is_public
from dashboard.auth.roles import can_open, page_of_component
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from helpers.auth_app import PASSWORD, login


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real-app")
    settings = Settings(instance_dir=str(tmp / "instance"), replica_url=f"sqlite:///{tmp / 'no-replica.sqlite'}",
                        secret_key="r" * 40, secure_cookies=False)
    app = create_app(settings)
    store = app.server.extensions[STATE_KEY].store
    for role in ROLES:
        store.add_user(f"u-{role}", PASSWORD, role)
    yield app
    store.dispose()


def _sample_path(rule) -> str:
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<path:{arg}>", "x/y").replace(f"<string:{arg}>", "x").replace(f"<{arg}>", "x")
    return path


def test_every_route_of_the_real_app_needs_a_session(real_app):
    client = real_app.server.test_client()
    public = set()
    for rule in real_app.server.url_map.iter_rules():
        path = _sample_path(rule)
        if is_public(path):
            public.add(rule.rule)
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert client.open(path, method=method).status_code in (302, 401), (method, path)
    assert public == {"/login", "/healthz", "/readyz", "/_favicon.ico"}


def _callback_outputs(real_app) -> list[str]:
    client = real_app.server.test_client()
    login(client, "u-admin")
    dependencies = client.get("/_dash-dependencies").get_json()
    return [dep["output"] for dep in dependencies if not dep.get("clientside_function")]


def test_every_server_callback_output_belongs_to_a_page(real_app):
    outputs = _callback_outputs(real_app)
    assert outputs, "the app registers callbacks"
    for output in outputs:
        for component_id in _parse_output_string(output):
            assert page_of_component(component_id) is not None, f"{output}: no page owns {component_id!r}"


@pytest.mark.parametrize("role", ROLES)
def test_callbacks_are_refused_exactly_for_pages_the_role_cannot_open(real_app, role):
    outputs = _callback_outputs(real_app)
    client = real_app.server.test_client()
    assert login(client, f"u-{role}").status_code == 302
    for output in outputs:
        pages = {page_of_component(i) for i in _parse_output_string(output)} - {""}
        allowed = all(can_open(role, page) for page in pages)
        status = client.post("/_dash-update-component", json={"output": output, "inputs": [], "state": []}).status_code
        assert (status != 403) is allowed, (role, output, status)
