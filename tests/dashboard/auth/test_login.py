"""Sign-in over HTTP: same answer for every failure, CSRF, safe redirects, cookies (sign-out: test_logout.py,
throttling: test_throttle.py)."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from dashboard.auth.views import FAILED, safe_next
from helpers.auth_app import PASSWORD, build_app, csrf_token, login


def test_login_page_is_a_product_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Sign in · Odoo Operations</title>" in page
    assert 'href="/assets/app.css"' in page and 'href="/assets/00-bootstrap.min.css"' in page
    assert "Demo users" not in page  # not demo mode
    assert response.headers["Cache-Control"] == "no-store"


def test_login_success_starts_a_session(client, store):
    user_id = store.add_user("ann", PASSWORD, "plant")
    response = login(client, "ANN")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert store.get_user(user_id).last_login_at is not None
    entry = store.recent_audit(1)[0]
    assert (entry.event, entry.username, entry.remote_addr) == ("login", "ann", "127.0.0.1")


def test_signed_in_user_visiting_login_goes_on(client, store):
    store.add_user("ann", PASSWORD, "plant")
    login(client, "ann")
    response = client.get("/login?next=/plant")
    assert (response.status_code, response.headers["Location"]) == (302, "/plant")


def _normalised(body: str) -> str:
    """The page without the parts that differ by design: the CSRF token and the typed username."""
    body = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", body)
    return re.sub(r'(name="username" required type="text" value=")[^"]*"', r"\1", body)


def test_every_failed_login_looks_the_same(client, store):
    store.add_user("ann", PASSWORD, "plant")
    store.add_user("bob", PASSWORD, "plant")
    store.disable_user("bob")
    pages = set()
    for username, password in [("ann", "wrong"), ("nobody", PASSWORD), ("bob", PASSWORD), ("", "")]:
        response = login(client, username, password)
        assert response.status_code == 401
        body = response.get_data(as_text=True)
        assert FAILED in body
        pages.add(_normalised(body))
    assert len(pages) == 1
    assert client.get("/").status_code == 302
    failed = [e for e in store.recent_audit(10) if e.event == "login_failed"]
    assert [e.username for e in failed] == ["bob", "nobody", "ann"]


def test_login_without_csrf_token_is_400(client, store):
    store.add_user("ann", PASSWORD, "plant")
    client.get("/login")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_with_token_from_another_session_is_400(app, client, store):
    store.add_user("ann", PASSWORD, "plant")
    other = app.server.test_client()
    token = csrf_token(other)
    client.get("/login")
    response = client.post("/login", data={"csrf_token": token, "username": "ann", "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("target,expected", [
    ("https://evil.tld", "/"), ("//evil.tld", "/"), ("/\\evil.tld", "/"), ("javascript:alert(1)", "/"),
    ("/plant", "/plant"), ("/finance?company=2", "/finance?company=2"), ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
])
def test_next_is_honoured_only_for_local_paths(client, store, target, expected):
    from urllib.parse import quote

    store.add_user("ann", PASSWORD, "plant")
    response = login(client, "ann", next_=quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("target", [None, "", "plant", "https://evil.tld/", "//evil.tld", "/\\evil.tld",
                                    "/ok\r\nLocation: x", "/a\\b", "/login?next=//evil", "\t/x"])
def test_safe_next_refuses(target):
    assert safe_next(target) == "/"


def test_session_cookie_flags(client, store):
    store.add_user("ann", PASSWORD, "plant")
    response = login(client, "ann")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie  # secure_cookies=False in these tests
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_secure_cookies_and_lifetime(tmp_path):
    app = build_app(tmp_path, secure_cookies=True, session_hours=8)
    config = app.server.config
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    assert config["REMEMBER_COOKIE_DURATION"] <= timedelta(hours=8)
    store = app.server.extensions["odoo_dash"].store
    store.add_user("ann", PASSWORD, "plant")
    client = app.server.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = login(client, "ann")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    store.dispose()


def test_demo_mode_creates_and_prints_demo_users(tmp_path, capsys):
    app = build_app(tmp_path, replica_url="")
    out = capsys.readouterr().out
    assert "plant    / demo / plant" in out and "exec     / demo / executive" in out
    client = app.server.test_client()
    assert "Demo users: exec, plant, supply, quality, finance, admin" in client.get("/login").get_data(as_text=True)
    assert login(client, "supply", "demo").status_code == 302
    app.server.extensions["odoo_dash"].store.dispose()


def test_no_demo_users_outside_demo_mode(client, store):
    assert store.list_users() == []
    assert login(client, "admin", "demo").status_code == 401


def test_passwords_never_reach_logs_or_audit(client, store, caplog):
    store.add_user("ann", PASSWORD, "plant")
    with caplog.at_level(logging.DEBUG):
        login(client, "ann", "Typo-Secret-123")
        login(client, "ann")
        client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    logged = " ".join(r.getMessage() for r in caplog.records)
    audited = " ".join(f"{e.username} {e.detail}" for e in store.recent_audit(50))
    for secret in ("Typo-Secret-123", PASSWORD):
        assert secret not in logged and secret not in audited
    assert "failed sign-in for 'ann'" in logged
