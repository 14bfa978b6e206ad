"""The test Odoo endpoint on the demo replica (17.0 and 18.0, built once per session) with a few users."""
from __future__ import annotations

import pytest

from helpers.fake_odoo import FakeOdoo, demo_replica_url
from helpers.fake_odoo.people import standard_users


@pytest.fixture(scope="session")
def replica17(tmp_path_factory) -> str:
    return demo_replica_url(tmp_path_factory.mktemp("odoo_api"), "17.0")


@pytest.fixture(scope="session")
def replica18(tmp_path_factory) -> str:
    return demo_replica_url(tmp_path_factory.mktemp("odoo_api"), "18.0")


@pytest.fixture
def fake(replica17):
    with FakeOdoo(replica17, "17.0", db="prod", users=standard_users()) as server:
        yield server


@pytest.fixture(params=["jsonrpc", "xmlrpc"])
def transport(request) -> str:
    return request.param
