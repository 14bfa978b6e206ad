"""The app store's Alembic migrations on SQLite and PostgreSQL: a store made by the first release (its tables
and rows, no ``alembic_version``) is stamped and upgraded with every row kept and displays working; an
empty database gets every revision; either way the schema is exactly ``app_store_schema``'s."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from werkzeug.security import generate_password_hash

from data_access import store_migrations
from data_access.app_store import AppStore
from data_access.app_store_schema import metadata
from helpers.pg import drop_database, fresh_database, worker_suffix
from helpers.store_v1 import make_first_release_store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    name = f"storemig_{worker_suffix()}"
    yield fresh_database(name)
    drop_database(name)


def _schema_differences(store: AppStore) -> list:
    with store.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_a_first_release_store_is_upgraded_with_its_rows_kept(url):
    make_first_release_store(url, generate_password_hash("pw-123456", method="pbkdf2:sha256:1"))
    store = AppStore(url)
    try:
        with store.engine.connect() as conn:
            assert store_migrations.current_revision(conn) == store_migrations.BASELINE
            assert not inspect(conn).has_table("display")
        assert store_migrations.upgrade(store.engine) == ["0002"]

        users = {u.username: u for u in store.list_users()}
        assert sorted(users) == ["ann", "boss", "gone"]
        ann = users["ann"]
        assert (ann.role, ann.company_ids, ann.warehouse_ids, ann.auth_epoch, ann.active) == ("plant", (1,), (3,), 2, True)
        assert users["gone"].active is False
        assert store.check_password("ann", "pw-123456").username == "ann"
        assert [(e.event, e.username, e.remote_addr) for e in store.recent_audit(10)] == [
            ("user_disabled", "gone", None), ("login", "ann", "10.0.0.7"), ("user_added", "ann", None)]

        display, token = store.displays.add("Hall", 3, 1, [{"panel": "status", "dwell_s": 20}], 60, "dark", actor="boss")
        assert store.displays.by_token(token) == display
        store.add_user("new", "pw-123456", "quality")  # ids keep counting after the old rows
        assert store.find_user("new").id == 4
        assert _schema_differences(store) == []
        with store.engine.connect() as conn:
            assert store_migrations.current_revision(conn) == store_migrations.head_revision() == "0002"
        assert store_migrations.upgrade(store.engine) == []  # at the head: nothing to do
    finally:
        store.dispose()


def test_an_empty_database_gets_every_revision(url):
    store = AppStore(url)
    try:
        with store.engine.connect() as conn:
            assert store_migrations.current_revision(conn) is None
        assert store_migrations.upgrade(store.engine) == ["0001", "0002"]
        assert _schema_differences(store) == []
        store.add_user("ann", "pw-123456", "plant")
        assert store.create_schema().find_user("ann") is not None  # the start-up path: idempotent
    finally:
        store.dispose()


def test_app_start_migrates_a_first_release_store(tmp_path):
    from helpers.auth_app import build_app

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    make_first_release_store(url, generate_password_hash("pw-123456", method="pbkdf2:sha256:1"))
    app = build_app(tmp_path, store_url=url)
    store = app.server.extensions["odoo_dash"].store
    try:
        assert store.displays.list() == [] and len(store.list_users()) == 3
    finally:
        store.dispose()


def test_the_migrations_ship_with_the_package():
    files = {p.relative_to(store_migrations.MIGRATIONS).as_posix() for p in store_migrations.MIGRATIONS.rglob("*")
             if p.suffix in (".py", ".mako")}
    assert {"env.py", "script.py.mako", "versions/0001_users_audit.py", "versions/0002_displays.py"} <= files
    assert (store_migrations.MIGRATIONS / "__init__.py").exists() and (store_migrations.MIGRATIONS / "versions" / "__init__.py").exists()


def test_workers_upgrading_together_take_turns(url):
    """Six workers start at once on a first-release store: one migrates, the others find it done."""
    import threading

    make_first_release_store(url, generate_password_hash("pw-123456", method="pbkdf2:sha256:1"))
    stores = [AppStore(url) for _ in range(6)]
    barrier, results = threading.Barrier(len(stores)), []

    def start(store):
        barrier.wait(timeout=30)
        try:
            results.append(store_migrations.upgrade(store.engine))
        except Exception as error:  # reported by the assertion below
            results.append(repr(error))

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert sorted(map(str, results)) == sorted(["['0002']"] + ["[]"] * 5)
        assert len(stores[0].list_users()) == 3 and _schema_differences(stores[0]) == []
    finally:
        for store in stores:
            store.dispose()
