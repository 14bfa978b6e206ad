"""Browser-test helpers: sign in through the real form, take screenshots."""
from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def login(duo, username: str, password: str = "demo", next_path: str = "/") -> None:
    """Sign in through the real login form and wait for the app shell."""
    duo.driver.get(f"{duo.server_url}/login?next={next_path}")
    duo.wait_for_element("#username").send_keys(username)
    duo.find_element("#password").send_keys(password)
    duo.find_element("button[type=submit]").click()
    duo.wait_for_element(".shell-navbar", timeout=15)


def screenshot(duo, name: str) -> Path:
    """Save a 1920x1080 screenshot to test-artifacts/ (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    duo.driver.set_window_size(1920, 1080)
    duo.driver.save_screenshot(str(path))
    return path
