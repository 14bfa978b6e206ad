"""current_access / page_access / @guarded: decisions from the server-side session only."""
from __future__ import annotations

import pytest
from dash.exceptions import PreventUpdate
from flask_login import login_user

from dashboard.auth import current_access, guarded, page_access
from dashboard.auth.access import Access
from dashboard.auth.users import LoginUser, load_user
from helpers.auth_app import PASSWORD


def _sign_in(store, username, role, **scope):
    store.add_user(username, PASSWORD, role, **scope)
    login_user(LoginUser(store.find_user(username)))


def test_no_request_or_no_user_means_no_access(app):
    assert current_access() is None
    with app.server.test_request_context("/"):
        assert current_access() is None
        assert page_access("plant") == (None, "signed_out")


def test_current_access_carries_role_and_scope(app, store):
    with app.server.test_request_context("/"):
        _sign_in(store, "ann", "plant", company_ids=[1], warehouse_ids=[3])
        access = current_access()
        assert access == Access(access.user_id, "ann", "plant", (1,), (3,))


def test_page_access_allows_and_forbids_with_audit(app, store):
    with app.server.test_request_context("/finance"):
        _sign_in(store, "ann", "plant")
        access, reason = page_access("plant")
        assert (access.role, reason) == ("plant", None)
        assert page_access("finance") == (None, "forbidden")
    entry = store.recent_audit(1)[0]
    assert (entry.event, entry.detail) == ("denied", "page=finance reason=forbidden_page role=plant")


def test_guarded_injects_access_for_allowed_roles(app, store):
    calls = []

    @guarded("finance")
    def update(value, *, access):
        calls.append((value, access.username, access.role))
        return f"ok {value}"

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        _sign_in(store, "fin", "finance")
        assert update(7) == "ok 7"
    assert calls == [(7, "fin", "finance")]
    assert update.__name__ == "update"


def test_guarded_refuses_other_roles_without_calling(app, store):
    calls = []

    @guarded("finance")
    def update(value, *, access):
        calls.append(value)  # would touch the replica
        return value

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        _sign_in(store, "ann", "plant")
        with pytest.raises(PreventUpdate):
            update(1)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        with pytest.raises(PreventUpdate):  # nobody signed in
            update(2)
    with pytest.raises(PreventUpdate):  # no request at all
        update(3)
    assert calls == []
    entry = store.recent_audit(1, event="denied")[0]
    assert entry.detail == "callback=update page=finance reason=forbidden_callback role=None"


def test_guarded_rejects_unknown_page():
    with pytest.raises(ValueError):
        guarded("payroll")


def test_load_user_checks_epoch_activity_and_format(app, store):
    with app.server.test_request_context("/"):
        user_id = store.add_user("ann", PASSWORD, "plant")
        assert load_user(f"{user_id}:0").user.username == "ann"
        for bad in ["", "x", f"{user_id}", f"{user_id}:1", f"{user_id}:-1", f"{user_id + 9}:0", "1:0:0"]:
            assert load_user(bad) is None, bad
        store.disable_user("ann")
        assert load_user(f"{user_id}:1") is None


def test_load_user_refuses_a_role_this_build_does_not_know(app, store):
    with app.server.test_request_context("/"):
        user_id = store.add_user("ann", PASSWORD, "plant")
        store.set_role("ann", "retired_role")
        assert load_user(f"{user_id}:1") is None
