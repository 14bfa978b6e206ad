"""Browser-test helpers: sign in through the real form, take screenshots at the sizes users have."""
from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Laptop, desktop and a 4K wall screen; phones only where a page is meant for one (PHONE).
SIZES = ((1280, 800), (1920, 1080), (3840, 2160))
PHONE = (390, 844)


def login(duo, username: str, password: str = "demo", next_path: str = "/") -> None:
    """Sign in through the real login form and wait for the app shell.

    ``next_path`` goes into the query string as given: URL-encode one that has its own query.
    """
    duo.driver.get(f"{duo.server_url}/login?next={next_path}")
    duo.wait_for_element("#username").send_keys(username)
    duo.find_element("#password").send_keys(password)
    duo.find_element("button[type=submit]").click()
    duo.wait_for_element(".shell-navbar", timeout=15)


def set_viewport(duo, width: int, height: int) -> None:
    """Make the page's viewport exactly ``width`` x ``height`` CSS pixels (a window of that size would lose
    the browser's chrome). ``clear_viewport`` undoes it."""
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768})


def clear_viewport(duo) -> None:
    duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def page_overflow_x(duo) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(duo.driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;"))


def settled(duo, timeout: float = 60) -> None:
    """Every callback has answered (no component loading)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(duo.driver, timeout).until(
        lambda d: d.execute_script("return document.querySelectorAll('[data-dash-is-loading]').length") == 0)


def _resized(duo, settle_s: float) -> None:
    """After a resize: assets/screen-scale.js waits 250 ms, then figures crossing a type-scale breakpoint are
    rebuilt on the server; plotly re-lays out responsive graphs."""
    import time

    time.sleep(0.35)
    settled(duo)
    time.sleep(settle_s)


def resize_to(duo, width: int, height: int) -> None:
    """``set_viewport``, then wait until the page has followed (figures rebuilt for the type scale)."""
    set_viewport(duo, width, height)
    _resized(duo, 0.3)


def screenshot(duo, name: str, sizes=SIZES, settle_s: float = 0.6) -> list[Path]:
    """Save ``test-artifacts/<name>-<w>x<h>.png`` at each size (not committed), each as a screen of that size
    shows it (figures rebuilt for its type scale); returns the paths. The page is back at the window's size
    and settled when it returns."""
    ARTIFACTS.mkdir(exist_ok=True)
    paths = []
    for width, height in sizes:
        set_viewport(duo, width, height)
        _resized(duo, settle_s)
        path = ARTIFACTS / f"{name}-{width}x{height}.png"
        duo.driver.save_screenshot(str(path))
        paths.append(path)
    clear_viewport(duo)
    _resized(duo, 0)
    return paths
