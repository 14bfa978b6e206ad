"""Fixtures for the auth tests: an app built by ``helpers.auth_app.build_app``, its store and a client."""
from __future__ import annotations

import pytest

from dashboard.extensions import STATE_KEY
from data_access.app_store import AppStore
from helpers.auth_app import build_app


@pytest.fixture
def app(tmp_path):
    app = build_app(tmp_path)
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


@pytest.fixture
def store(app) -> AppStore:
    return app.server.extensions[STATE_KEY].store


@pytest.fixture
def client(app):
    return app.server.test_client()
