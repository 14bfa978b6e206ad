"""Sign-out over HTTP: a POST that must carry this session's CSRF token; GET only asks."""
from __future__ import annotations

import json
import time

import pytest

from helpers.auth_app import PASSWORD, csrf_token, login


@pytest.fixture
def signed_in(client, store):
    store.add_user("ann", PASSWORD, "plant")
    assert login(client, "ann").status_code == 302
    return client


def _still_signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _navbar_token(client) -> str:
    """The token in the navbar's Sign out form, as the browser gets it (the shell layout)."""
    layout = client.get("/_dash-layout").get_json()
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("name") == "csrf_token":
                found.append(props["value"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(layout)
    assert len(found) == 1, json.dumps(layout)[:300]
    return found[0]


def test_sign_in_sets_a_new_csrf_secret(client, store):
    """In the sign-in redirect's cookie, before the page loads (Dash's parallel requests cannot drop it then),
    and not the one of the session before sign-in (which someone else may have planted)."""
    store.add_user("ann", PASSWORD, "plant")
    client.get("/login")
    with client.session_transaction() as session:
        before = session["csrf_token"]
    assert login(client, "ann").status_code == 302
    with client.session_transaction() as session:
        assert session.get("csrf_token") not in (None, before)


def test_post_without_token_is_400_and_the_session_stays(signed_in, store):
    epoch = store.find_user("ann").auth_epoch
    response = signed_in.post("/logout")
    assert response.status_code == 400
    assert "This sign-out form has expired" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert _still_signed_in(signed_in)
    assert store.find_user("ann").auth_epoch == epoch  # the user's other sessions stay too
    assert all(e.event != "logout" for e in store.recent_audit(20))


@pytest.mark.parametrize("token", ["", "nonsense", "IjAxMjM0NTY3ODlhYmNkZWYi.Zz.forged"])
def test_post_with_a_bad_token_is_400(signed_in, token):
    assert signed_in.post("/logout", data={"csrf_token": token}).status_code == 400
    assert _still_signed_in(signed_in)


def test_token_of_another_session_is_400(app, signed_in, store):
    store.add_user("bob", PASSWORD, "plant")
    other = app.server.test_client()
    login(other, "bob")
    response = signed_in.post("/logout", data={"csrf_token": csrf_token(other, "/logout")})
    assert response.status_code == 400
    assert _still_signed_in(signed_in) and _still_signed_in(other)


def test_get_asks_and_does_not_sign_out(signed_in):
    response = signed_in.get("/logout")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/logout"' in page and 'name="csrf_token"' in page and 'id="logout-confirm"' in page
    assert _still_signed_in(signed_in)


def test_confirm_page_signs_out(signed_in, store):
    response = signed_in.post("/logout", data={"csrf_token": csrf_token(signed_in, "/logout")})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert not _still_signed_in(signed_in)
    assert store.recent_audit(1)[0].event == "logout"


def test_navbar_form_signs_out_and_the_old_cookie_is_dead(app, signed_in):
    old_cookie = signed_in.get_cookie("session").value
    response = signed_in.post("/logout", data={"csrf_token": _navbar_token(signed_in)})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert signed_in.get("/").status_code == 302
    replay = app.server.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/").status_code == 302


def test_navbar_token_outlives_the_default_hour(signed_in, monkeypatch):
    """A dashboard stays open for hours before Sign out: its token is good for the session's lifetime."""
    token = _navbar_token(signed_in)
    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    response = signed_in.post("/logout", data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")


def test_signed_out_post_is_refused_by_the_guard(client):
    assert client.post("/logout").status_code == 401
