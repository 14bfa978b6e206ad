"""Security headers on responses, no-store where user data travels, and the 500 page."""
from __future__ import annotations

import logging

from helpers.auth_app import PASSWORD, callback_body, login


def test_security_headers_on_public_and_private_responses(client, store):
    store.add_user("ann", PASSWORD, "plant")
    for response in (client.get("/login"), client.get("/healthz"), client.get("/")):
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
        assert "Strict-Transport-Security" not in headers  # plain HTTP in these tests


def test_no_store_where_user_data_travels(client, store):
    store.add_user("ann", PASSWORD, "plant")
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    login(client, "ann")
    assert client.get("/_dash-layout").headers["Cache-Control"] == "no-store"
    body = callback_body("plant-out.children", {"id": "plant-out", "property": "children"},
                         [{"id": "plant-in", "property": "value", "value": 1}])
    assert client.post("/_dash-update-component", json=body).headers["Cache-Control"] == "no-store"
    assert client.post("/logout").headers["Cache-Control"] == "no-store"


def test_refusals_are_not_cached(client):
    assert client.post("/_dash-update-component", json={}).headers["Cache-Control"] == "no-store"


def test_unhandled_error_page_has_a_reference_and_no_traceback(client, store, caplog):
    store.add_user("ann", PASSWORD, "plant")
    login(client, "ann")
    with caplog.at_level(logging.ERROR, logger="dashboard.auth.errors"):
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert body.startswith("Something went wrong; the error was logged (ref ")
    assert "Traceback" not in body and "/srv/app.py" not in body and "RuntimeError" not in body
    ref = body.rsplit("ref ", 1)[1].rstrip(").")
    record = next(r for r in caplog.records if ref in r.getMessage())
    assert record.exc_info[0] is RuntimeError


def test_unknown_page_is_left_to_dash(client, store):
    store.add_user("ann", PASSWORD, "plant")
    login(client, "ann")
    assert client.get("/no-such-page").status_code == 200  # Dash's catch-all renders its 404 page


def _script_src(response) -> str:
    return next(d for d in response.headers["Content-Security-Policy"].split("; ") if d.startswith("script-src"))


def test_csp_allows_only_dash_inline_scripts(app, client, store):
    """``create_app`` allows exactly Dash's inline scripts (their hashes), never 'unsafe-inline'."""
    store.add_user("ann", PASSWORD, "plant")
    login(client, "ann")
    script_src = _script_src(client.get("/"))
    hashes = app.csp_hashes()
    assert hashes and all(h.startswith("'sha256-") for h in hashes)
    assert script_src == "script-src 'self' " + " ".join(hashes)
    assert "unsafe" not in script_src
