"""The TV board in a real browser, as a signed-in user: /tv?site=.. opens a full-screen board (no navbar) whose
panels rotate by their dwell times, with a clock, the site and "data as of" always in view; a refresh that
fails (the server unreachable) keeps the panels and shows "Stale since HH:MM" until a refresh succeeds again;
the refresh gate skips a tick while a refresh is running. Screenshots of every panel at 1080p and 4K."""
import re
import time

import pytest
from selenium.webdriver.common.by import By

from dashboard.tv_panels import PANELS
from data_access.demo.scenario import STORY
from helpers.browser import login, screenshot

SITE = STORY["breakdown_warehouse_id"]
TV_SIZES = ((1920, 1080), (3840, 2160))


def _wait(duo, condition, what: str, timeout: float = 30):
    end = time.time() + timeout
    while time.time() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"never: {what}")


def _shown_panel(duo) -> str | None:
    """The id of the panel on screen (exactly one is displayed)."""
    shown = [s.get_attribute("id") for s in duo.driver.find_elements(By.CSS_SELECTOR, "#tv-deck > .tv-panel") if s.is_displayed()]
    assert len(shown) <= 1, shown
    return shown[0] if shown else None


def _loaded(duo) -> bool:
    return "Data as of" in duo.find_element("#tv-fresh").text


def test_a_site_board_rotates_with_clock_and_data_as_of(app_duo):
    duo = app_duo
    login(duo, "plant", next_path="/")
    duo.driver.get(f"{duo.server_url}/tv?site={SITE}&panels=status:5,oee:5,downtime:5&refresh=30")
    duo.wait_for_element("#tv-board", timeout=30)
    _wait(duo, lambda: _loaded(duo), "data as of shown")
    assert not duo.find_element(".shell-navbar").is_displayed()  # full screen
    assert re.fullmatch(r"\d\d:\d\d · \w{3} \d\d \w{3}", duo.find_element("#tv-clock").text)
    assert duo.find_element(".tv-site").text
    seen = [_shown_panel(duo)]
    for _ in range(2):
        seen.append(_wait(duo, lambda: _shown_panel(duo) != seen[-1] and _shown_panel(duo), "the next panel", timeout=9))
    assert seen == ["tv-panel-0", "tv-panel-1", "tv-panel-2"]
    assert "Running" in duo.find_element("#tv-panel-0").get_attribute("textContent") or \
        "Idle" in duo.find_element("#tv-panel-0").get_attribute("textContent")
    assert duo.find_element("#tv-clock").is_displayed() and duo.find_element("#tv-fresh").is_displayed()
    assert not duo.find_element("#tv-stale").is_displayed()
    assert duo.get_logs() == []


def test_a_failed_refresh_keeps_the_panels_and_shows_stale_since(app_duo):
    duo = app_duo
    login(duo, "plant", next_path="/")
    duo.driver.get(f"{duo.server_url}/tv?site={SITE}&panels=status&refresh=10")
    duo.wait_for_element("#tv-board", timeout=30)
    _wait(duo, lambda: _loaded(duo), "data as of shown")
    before = duo.find_element("#tv-panel-0").get_attribute("textContent")
    duo.driver.execute_cdp_cmd("Network.enable", {})
    duo.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*_dash-update-component*"]})
    try:
        banner = _wait(duo, lambda: duo.find_element("#tv-stale").is_displayed() and duo.find_element("#tv-stale").text,
                       "the stale banner", timeout=25)
        assert re.match(r"! Stale since \d\d:\d\d · The server cannot be reached\.", banner)
        assert duo.find_element("#tv-panel-0").get_attribute("textContent") == before  # the last good values stay
    finally:
        duo.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    _wait(duo, lambda: not duo.find_element("#tv-stale").is_displayed(), "the banner gone after a refresh", timeout=25)


def test_the_refresh_gate_skips_a_tick_while_a_refresh_runs(app_duo):
    duo = app_duo
    login(duo, "plant", next_path="/")
    duo.driver.get(f"{duo.server_url}/tv?site={SITE}&panels=status&refresh=3600")
    duo.wait_for_element("#tv-board", timeout=30)
    _wait(duo, lambda: _loaded(duo), "data as of shown")
    first, second = duo.driver.execute_script(
        "const gate = window.dash_clientside.tv.gate, cfg = {refresh_s: 3600};"
        "const a = gate(1, cfg); const b = gate(2, cfg);"
        "return [typeof a, b === window.dash_clientside.no_update];")
    assert (first, second) == ("number", True)


@pytest.mark.parametrize("panel", list(PANELS))
def test_screenshot_of_each_panel(app_duo, panel):
    duo = app_duo
    login(duo, "plant", next_path="/")
    duo.driver.get(f"{duo.server_url}/tv?site={SITE}&panels={panel}&refresh=600")
    duo.wait_for_element("#tv-board", timeout=30)
    _wait(duo, lambda: _loaded(duo), "data as of shown")
    body = duo.find_element("#tv-panel-0").get_attribute("textContent")
    assert "Loading…" not in body and PANELS[panel] in body
    screenshot(duo, f"tv-{panel}", sizes=TV_SIZES, settle_s=0.3)
    assert duo.get_logs() == []


def test_a_display_board_says_it_was_revoked_at_its_next_refresh(app_duo, demo_app):
    from dashboard.auth import display_session
    from dashboard.extensions import STATE_KEY

    duo = app_duo
    store = demo_app.server.extensions[STATE_KEY].store
    display, token = store.displays.add("Revoked TV", SITE, 1, [{"panel": "status", "dwell_s": 20}], 10, "dark", actor="test")
    duo.driver.get(f"{duo.server_url}/tv/{token}")  # no sign-in: the display's own URL
    duo.wait_for_element("#tv-board", timeout=30)
    _wait(duo, lambda: _loaded(duo), "data as of shown")
    assert not duo.find_element("#tv-revoked").is_displayed()
    store.displays.revoke(display.id, actor="test")
    display_session.forget(display.id)
    _wait(duo, lambda: duo.find_element("#tv-revoked").is_displayed(), "the revoked screen", timeout=30)
    assert "This display was revoked" in duo.find_element("#tv-revoked").text


def test_a_board_whose_layout_never_came_up_reloads_by_itself(app_duo):
    """A TV that boots while its layout request fails (the server restarting) shows nothing; nothing else would
    retry it, so the page reloads once the server answers and the board comes up."""
    duo = app_duo
    login(duo, "plant", next_path="/")
    driver = duo.driver
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "window.tvWatchdogMs = 3000;"})
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*_dash-update-component*"]})
    driver.get(f"{duo.server_url}/tv?site={SITE}&panels=status:20&refresh=30")
    time.sleep(4)
    assert not driver.find_elements(By.ID, "tv-board")  # the layout request failed: an empty page
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    duo.wait_for_element("#tv-board", timeout=30)  # reloaded by the watchdog, no one touched it
    _wait(duo, lambda: _loaded(duo), "data as of shown")
