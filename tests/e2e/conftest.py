"""Browser tests: one app on the embedded demo replica for the whole run (Dash's page registry and
callback map are process-global), headless Chromium through dash[testing]."""
from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DASH_TEST_CHROMEPATH", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory):
    from dashboard.settings import Settings

    instance = tmp_path_factory.mktemp("e2e-instance")
    return Settings(instance_dir=str(instance), cache_type="simple", secure_cookies=False).validate()


@pytest.fixture(scope="session")
def demo_app(demo_settings):
    """The app on today's demo replica (built once per run)."""
    from dashboard import create_app

    return create_app(demo_settings)


@pytest.fixture
def app_duo(dash_duo, demo_app):
    """``dash_duo`` with the demo app started, at a 1920x1080 window."""
    # signed out, '/' redirects to the login form (not a Dash page): do not wait for Dash there
    dash_duo.start_server(demo_app, navigate=False)
    dash_duo._url = dash_duo.server.url
    dash_duo.driver.set_window_size(1920, 1080)
    return dash_duo
