"""Data health on the demo replica is scoped: a company-2 user's newest Odoo write is company 2's, never company
1's (which the home page used to show to everyone); an admin sees the newest of all."""
from __future__ import annotations

import pytest

from dashboard import create_app, service
from dashboard.auth.access import Access
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("service-health")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


def _health(app, access: Access) -> dict:
    with app.server.test_request_context():
        return service.data_health(access)


def test_a_company_2_user_sees_company_2s_newest_write_only(app):
    one = _health(app, Access(1, "one", "executive", company_ids=(1,)))
    two = _health(app, Access(2, "two", "executive", company_ids=(2,)))
    everyone = _health(app, Access(3, "root", "admin"))
    # Company 2 (the distributor) makes nothing: company 1's production writes are not its own.
    assert one["newest_writes"]["production"] and two["newest_writes"]["production"] is None
    assert everyone["newest_write"] == max(one["newest_write"], two["newest_write"])
    for domain, at in two["newest_writes"].items():  # no domain of company 2 newer than the whole replica's
        assert at is None or at <= everyone["newest_writes"][domain]
    assert two["stale_since"] is None and two["refresh_failed"] is False  # just computed: current
