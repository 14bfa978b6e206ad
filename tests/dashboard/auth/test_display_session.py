"""Display sessions over real HTTP: a token becomes an HttpOnly cookie and leaves the URL; the cookie reaches
its board only (403 and an audit row for every other page and callback); revoking or rotating ends it at
the next request; wrong tokens are a plain 404, audited and throttled like failed sign-ins."""
from __future__ import annotations

import pytest
from dash import Input, Output

from dashboard.auth import display_session
from dashboard.auth.display_guard import REVOKED_TEXT
from dashboard.auth.guard import is_public
from dashboard.auth.roles import PAGES
from dashboard.extensions import STATE_KEY
from helpers.auth_app import build_app, callback_body, login

TV_OUT = {"id": "tv-out", "property": "children"}
PLANT_OUT = {"id": "plant-out", "property": "children"}
ROUTER = ".._pages_content.children..._pages_store.data.."
PLAYLIST = [{"panel": "status", "dwell_s": 20}, {"panel": "oee", "dwell_s": 30}]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(display_session, "LOOKUP_TTL_S", 0.0)  # every request reads the store (see the cache test)
    app = build_app(tmp_path, login_limits_address="5 per minute")

    @app.callback(Output("tv-out", "children"), Input("tv-in", "value"))
    def tv_out(value):
        return f"tv {value}"

    yield app
    app.server.extensions[STATE_KEY].store.dispose()


@pytest.fixture
def added(store):
    """An active display of site 3 and its token."""
    return store.displays.add("Line 1", 3, 1, PLAYLIST, 60, "dark", actor="test")


def _router_body(path: str) -> dict:
    inputs = [{"id": "_pages_location", "property": "pathname", "value": path},
              {"id": "_pages_location", "property": "search", "value": ""}]
    return {"output": ROUTER, "outputs": [{"id": "_pages_content", "property": "children"},
                                          {"id": "_pages_store", "property": "data"}], "inputs": inputs, "state": []}


def _open(client, token: str):
    return client.get(f"/tv/{token}")


def test_token_exchange_sets_an_httponly_cookie_and_redirects_to_tv_without_the_token(client, store, added):
    display, token = added
    assert is_public(f"/tv/{token}") and not is_public("/tv") and not is_public("/tv/short")
    response = _open(client, token)
    assert response.status_code == 303
    assert response.headers["Location"] == "/tv"
    assert token not in response.headers["Location"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{display_session.COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert token not in cookie
    assert "Max-Age=34560000" in cookie
    assert client.get("/tv").status_code == 200
    assert store.recent_audit(1, event="display_opened")[0].username == f"display:{display.id}"


def test_secure_cookie_when_settings_say_so(tmp_path):
    app = build_app(tmp_path, secure_cookies=True)
    store = app.server.extensions[STATE_KEY].store
    _, token = store.displays.add("Line 1", 3, None, PLAYLIST, 60, "dark")
    assert "Secure" in app.server.test_client().get(f"/tv/{token}").headers["Set-Cookie"]
    store.dispose()


def test_the_store_keeps_only_a_hash_and_a_prefix(store, added):
    display, token = added
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM display").all()
    assert token not in repr(rows)
    assert display.token_prefix == token[:6] and len(token) >= 43


def test_display_session_reaches_its_board_callbacks_and_router(client, added):
    _open(client, added[1])
    tv = client.post("/_dash-update-component", json=callback_body("tv-out.children", TV_OUT,
                                                                  [{"id": "tv-in", "property": "value", "value": 1}]))
    assert tv.status_code == 200 and "tv 1" in tv.get_data(as_text=True)
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 200
    for path in ("/_dash-layout", "/_dash-dependencies", "/_reload-hash", "/assets/app.css", "/_favicon.ico"):
        assert client.get(path).status_code == 200, path


def test_display_session_gets_403_and_an_audit_row_for_every_other_page_and_callback(app, client, store, added):
    display, token = added
    _open(client, token)
    pages = [spec.path.replace("<", "").replace(">", "") for spec in PAGES.values() if spec.key != "tv"]
    for path in pages + ["/login?next=/plant", "/logout", "/nope"]:
        path = path.split("?")[0]
        if is_public(path):
            continue
        before = len(store.recent_audit(1000, event="denied"))
        assert client.get(path).status_code == 403, path
        assert len(store.recent_audit(1000, event="denied")) == before + 1, path
        # the page's layout through Dash's router, as a browser navigating there would ask for it
        assert client.post("/_dash-update-component", json=_router_body(path)).status_code == 403, path
    callbacks = [output for output, spec in app.callback_map.items() if "callback" in spec]
    assert len(callbacks) > 20
    for output in callbacks:
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        ids = [part.rpartition(".")[0] for part in parts]
        if all(i.startswith("tv-") for i in ids) or output == ROUTER:
            continue
        outputs = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]
        before = len(store.recent_audit(1000, event="denied"))
        response = client.post("/_dash-update-component", json={"output": output, "outputs": outputs if len(outputs) > 1
                                                                 else outputs[0], "inputs": [], "state": []})
        assert response.status_code == 403, output
        entry = store.recent_audit(1, event="denied")[0]
        assert len(store.recent_audit(1000, event="denied")) == before + 1
        assert entry.username == f"display:{display.id}" and "reason=display_session" in entry.detail
    assert client.post("/logout", data={}).status_code == 403


def test_a_signed_in_user_browser_opening_a_token_becomes_the_display(client, store, added):
    store.add_user("ann", "pw-123456", "admin")
    login(client, "ann")
    assert client.get("/health").status_code == 200
    _open(client, added[1])
    assert client.get("/health").status_code == 403
    assert "signed_out=ann" in store.recent_audit(1, event="display_opened")[0].detail


def test_revoke_ends_the_session_at_the_next_callback(client, store, added):
    display, token = added
    _open(client, token)
    body = callback_body("tv-out.children", TV_OUT, [{"id": "tv-in", "property": "value", "value": 1}])
    assert client.post("/_dash-update-component", json=body).status_code == 200
    store.displays.revoke(display.id, actor="test")
    response = client.post("/_dash-update-component", json=body)
    assert (response.status_code, response.get_json()) == (401, {"error": "display revoked"})
    page = client.get("/tv")
    assert (page.status_code, page.get_data(as_text=True)) == (401, REVOKED_TEXT)
    assert _open(client, token).status_code == 404  # the token is dead too


def test_rotate_ends_the_old_cookie_and_the_new_token_works(app, store, added):
    display, token = added
    old, new = app.server.test_client(), app.server.test_client()
    _open(old, token)
    _, fresh = store.displays.rotate(display.id, actor="test")
    assert fresh != token
    assert old.post("/_dash-update-component", json=_router_body("/tv")).status_code == 401
    assert _open(new, token).status_code == 404
    assert _open(new, fresh).status_code == 303
    assert new.post("/_dash-update-component", json=_router_body("/tv")).status_code == 200


def test_lookups_are_cached_a_few_seconds_per_worker(client, store, added, monkeypatch):
    monkeypatch.setattr(display_session, "LOOKUP_TTL_S", 60.0)
    display, token = added
    _open(client, token)
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 200
    store.displays.revoke(display.id)  # from another process: this worker still has the lookup
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 200
    display_session.forget(display.id)  # the TTL passing
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 401


def test_a_forged_cookie_is_signed_out(client, store, added):
    client.set_cookie(display_session.COOKIE, '{"d": 1, "g": 1}')
    assert client.get("/tv").status_code == 302
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 401


def test_a_wrong_token_is_a_plain_404_with_an_audit_row_and_is_throttled(client, store, added):
    for n in range(5):
        response = _open(client, "x" * 30 + str(n))
        assert response.status_code == 404
        assert response.get_data(as_text=True) == "Not found."
        assert "Set-Cookie" not in response.headers
    assert store.recent_audit(1, event="denied")[0].detail == "reason=bad_display_token prefix=xxxxxx"
    throttled = _open(client, added[1])  # even the right token waits: the address guessed too often
    assert throttled.status_code == 429 and "Retry-After" in throttled.headers
    assert "display_token_throttled" in store.recent_audit(1, event="denied")[0].detail


def test_a_display_request_records_last_seen(client, store, added):
    display, token = added
    assert store.displays.get(display.id).last_seen_at is None
    _open(client, token)
    assert client.post("/_dash-update-component", json=_router_body("/tv")).status_code == 200
    assert store.displays.get(display.id).last_seen_at is not None


def test_last_seen_is_recorded_at_most_once_a_minute(app, store, added):
    display, _ = added
    board = display_session.board_of(display)
    with app.server.test_request_context("/_dash-update-component"):
        display_session.touch(board)
        first = store.displays.get(display.id).last_seen_at
        display_session.touch(board)
    assert first is not None and store.displays.get(display.id).last_seen_at == first
    assert store.displays.seen(display.id) is False  # the store's own throttle too


def test_board_access_is_the_plant_role_on_the_display_site(added):
    board = display_session.board_of(added[0])
    access = display_session.board_access(board)
    assert (access.role, access.company_ids, access.warehouse_ids) == ("plant", (1,), (3,))
    assert display_session.is_display_access(access)
    assert board.playlist == tuple(PLAYLIST) and board.refresh_s == 60 and board.theme == "dark" and not board.preview


def test_the_cookie_is_signed_again_when_a_day_old_so_it_never_expires_while_active(client, added, monkeypatch):
    _open(client, added[1])
    fresh = client.post("/_dash-update-component", json=_router_body("/tv"))
    assert "Set-Cookie" not in fresh.headers  # signed less than a day ago: left alone
    monkeypatch.setattr(display_session, "REFRESH_COOKIE_AFTER_S", -1)  # as if a day had passed
    later = client.post("/_dash-update-component", json=_router_body("/tv"))
    cookie = later.headers["Set-Cookie"]
    assert cookie.startswith(f"{display_session.COOKIE}=") and "Max-Age=34560000" in cookie and "HttpOnly" in cookie
