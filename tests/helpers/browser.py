"""Browser-test helpers: sign in through the real form, take screenshots."""
from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def login(duo, username: str, password: str = "demo", next_path: str = "/") -> None:
    """Sign in through the real login form and wait for the app shell.

    ``next_path`` goes into the query string as given: URL-encode one that has its own query.
    """
    duo.driver.get(f"{duo.server_url}/login?next={next_path}")
    duo.wait_for_element("#username").send_keys(username)
    duo.find_element("#password").send_keys(password)
    duo.find_element("button[type=submit]").click()
    duo.wait_for_element(".shell-navbar", timeout=15)


def screenshot(duo, name: str) -> Path:
    """Save a 1920x1080 screenshot to test-artifacts/ (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # the page's viewport itself is 1920x1080 (a window of that size would lose the browser's chrome)
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    duo.driver.save_screenshot(str(path))
    duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return path
