"""The app store on SQLite and PostgreSQL: users, password checks, session epochs, audit log."""
from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from data_access.app_store import AppStore, AppStoreError, DuplicateUser, UnknownUser
from data_access.app_store_schema import app_user
from helpers.pg import drop_database, fresh_database, worker_suffix


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = AppStore(f"sqlite:///{tmp_path / 'nested' / 'store.sqlite'}").create_schema()
        yield s
        s.dispose()
        return
    name = f"appstore_{worker_suffix()}"
    s = AppStore(fresh_database(name)).create_schema()
    yield s
    s.dispose()
    drop_database(name)


def test_create_schema_is_idempotent(store):
    store.create_schema()
    store.add_user("ann", "pw-123456", "plant")
    store.create_schema()
    assert [u.username for u in store.list_users()] == ["ann"]


def test_add_and_read_user(store):
    user_id = store.add_user("Ann", "pw-123456", "plant", company_ids=[2, 1], warehouse_ids=[3])
    user = store.get_user(user_id)
    assert user.username == "ann"
    assert user.role == "plant"
    assert user.company_ids == (1, 2)
    assert user.warehouse_ids == (3,)
    assert user.active is True
    assert user.auth_epoch == 0
    assert user.last_login_at is None
    assert store.find_user("ANN ") == user
    assert store.get_user(user_id + 100) is None
    assert store.find_user("bob") is None


def test_unscoped_user_has_none_scopes(store):
    user = store.get_user(store.add_user("exec", "pw-123456", "executive"))
    assert user.company_ids is None and user.warehouse_ids is None


def test_password_hash_is_scrypt(store):
    store.add_user("ann", "pw-123456", "plant")
    with store.engine.connect() as conn:
        stored = conn.execute(app_user.select()).one().password_hash
    assert stored.startswith("scrypt:")
    assert "pw-123456" not in stored


def test_duplicate_and_bad_input_refused(store):
    store.add_user("ann", "pw-123456", "plant")
    with pytest.raises(DuplicateUser):
        store.add_user("ANN", "other-pass", "finance")
    with pytest.raises(AppStoreError):
        store.add_user("bad name", "pw-123456", "plant")
    with pytest.raises(AppStoreError):
        store.add_user("bob", "", "plant")
    with pytest.raises(AppStoreError):
        store.add_user("bob", "pw-123456", "Robert'); DROP TABLE app_user;--")


def test_check_password(store):
    store.add_user("ann", "pw-123456", "plant")
    assert store.check_password("ann", "pw-123456").username == "ann"
    assert store.check_password("ANN", "pw-123456").username == "ann"
    assert store.check_password("ann", "wrong") is None
    assert store.check_password("nobody", "pw-123456") is None
    assert store.check_password("ann", "") is None


def test_disabled_user_cannot_log_in_and_epoch_moves(store):
    store.add_user("ann", "pw-123456", "plant")
    updated = store.disable_user("ann", actor="admin")
    assert updated.active is False
    assert updated.auth_epoch == 1
    assert store.check_password("ann", "pw-123456") is None
    with pytest.raises(UnknownUser):
        store.disable_user("nobody")


def test_set_role_changes_scope_and_epoch(store):
    store.add_user("ann", "pw-123456", "plant", company_ids=[1])
    updated = store.set_role("ann", "finance", company_ids=None, warehouse_ids=[4, 5])
    assert (updated.role, updated.company_ids, updated.warehouse_ids, updated.auth_epoch) == ("finance", None, (4, 5), 1)
    with pytest.raises(UnknownUser):
        store.set_role("nobody", "finance")
    with pytest.raises(AppStoreError):
        store.set_role("ann", "")


def test_set_password_ends_sessions(store):
    store.add_user("ann", "pw-123456", "plant")
    assert store.set_password("ann", "new-pass-1").auth_epoch == 1
    assert store.check_password("ann", "pw-123456") is None
    assert store.check_password("ann", "new-pass-1") is not None


def test_legacy_hash_is_upgraded_on_login(store):
    store.add_user("ann", "pw-123456", "plant")
    with store.engine.begin() as conn:
        conn.execute(app_user.update().values(password_hash=generate_password_hash("pw-123456", method="pbkdf2")))
    assert store.check_password("ann", "pw-123456") is not None
    with store.engine.connect() as conn:
        assert conn.execute(app_user.select()).one().password_hash.startswith("scrypt:")


def test_record_login(store):
    user_id = store.add_user("ann", "pw-123456", "plant")
    store.record_login(user_id)
    stamped = store.get_user(user_id).last_login_at
    assert stamped is not None
    assert abs((stamped - store.recent_audit(1)[0].at).total_seconds()) < 60


def test_audit_rows_newest_first_and_user_events(store):
    store.add_user("ann", "pw-123456", "plant", company_ids=[1])
    store.set_role("ann", "quality")
    store.disable_user("ann", actor="root")
    store.audit("login_failed", "ann", remote_addr="10.0.0.1")
    store.audit("denied", "ann", detail="output=finance-x.figure role=quality")
    events = [e.event for e in store.recent_audit(10)]
    assert events == ["denied", "login_failed", "user_disabled", "role_changed", "user_added"]
    added = store.recent_audit(10, event="user_added")[0]
    assert added.detail == "role=plant companies=1 sites=all"
    assert store.recent_audit(10, event="user_disabled")[0].detail == "by=root"
    assert store.recent_audit(2)[1].remote_addr == "10.0.0.1"
    with pytest.raises(AppStoreError):
        store.audit("hacked")


def test_demo_users(store):
    listed = store.ensure_demo_users()
    assert listed == [("exec", "executive"), ("plant", "plant"), ("supply", "supply_chain"),
                      ("quality", "quality"), ("finance", "finance"), ("admin", "admin")]
    assert store.check_password("plant", "demo").company_ids == (1,)
    store.set_role("plant", "quality")
    store.ensure_demo_users()  # existing users are left alone
    assert store.find_user("plant").role == "quality"
    assert len(store.list_users()) == 6


def test_end_sessions_only_moves_the_epoch(store):
    store.add_user("ann", "pw-123456", "plant")
    updated = store.end_sessions("ann")
    assert (updated.auth_epoch, updated.active, updated.role) == (1, True, "plant")
    assert [e.event for e in store.recent_audit(10)] == ["user_added"]
    with pytest.raises(UnknownUser):
        store.end_sessions("nobody")
