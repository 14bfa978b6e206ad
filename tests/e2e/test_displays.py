"""Wall displays in a real browser: an admin adds a display on /admin/displays (its URL shown once) and previews
its board; the display URL opens /tv with no sign-in and leaves no token in the address bar; that browser's
forged user-page callback gets 403; once the display is revoked its board's requests get 401."""
import re

from dashboard.auth import display_session
from dashboard.extensions import STATE_KEY
from helpers.browser import login, screenshot, settled

FETCH = """const done = arguments[arguments.length - 1];
fetch('/_dash-update-component', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: arguments[0]})
  .then(r => done(r.status), e => done(String(e)));"""
PLANT_BODY = ('{"output": "plant-body.children", "outputs": {"id": "plant-body", "property": "children"},'
              ' "inputs": [], "state": []}')
ROUTER_BODY = ('{"output": ".._pages_content.children..._pages_store.data..", "outputs": [{"id": "_pages_content",'
               ' "property": "children"}, {"id": "_pages_store", "property": "data"}], "inputs": [{"id": "_pages_location",'
               ' "property": "pathname", "value": "/tv"}, {"id": "_pages_location", "property": "search", "value": ""}], "state": []}')


def _post(duo, body: str):
    return duo.driver.execute_async_script(FETCH, body)


def test_admin_adds_a_display_and_the_display_url_opens_its_board_without_login(app_duo, demo_app):
    duo = app_duo
    store = demo_app.server.extensions[STATE_KEY].store
    login(duo, "admin", next_path="/admin/displays")
    duo.wait_for_element("#displays-name", timeout=30).send_keys("Press hall TV")
    duo.find_element("#displays-add").click()
    url = duo.wait_for_element("#displays-url", timeout=30).text
    token = re.fullmatch(r"http://[^/]+/tv/([A-Za-z0-9_-]{43})", url).group(1)
    display = store.displays.by_token(token)
    duo.wait_for_contains_text("#displays-grid", "Press hall TV", timeout=15)
    assert token not in duo.find_element("#displays-grid").text
    screenshot(duo, "displays-admin")
    assert duo.get_logs() == []

    duo.driver.get(f"{duo.server_url}/tv?display={display.id}")  # the grid's Preview link
    duo.wait_for_element("#tv-board", timeout=30)

    settled(duo)
    duo.driver.get(f"{duo.server_url}/_favicon.ico")  # no callback of the admin's still running to set a cookie again
    duo.driver.delete_all_cookies()  # a fresh TV: nobody signed in
    duo.driver.get(url)
    duo.wait_for_element("#tv-board", timeout=30)
    assert duo.driver.current_url == f"{duo.server_url}/tv"
    assert not duo.find_elements("#username")
    cookie = next(c for c in duo.driver.get_cookies() if c["name"] == display_session.COOKIE)
    assert cookie["httpOnly"] and token not in cookie["value"]
    assert not duo.find_elements(".shell-navbar .nav-link")  # no navigation for a display

    assert _post(duo, PLANT_BODY) == 403
    assert "reason=display_session" in store.recent_audit(1, event="denied")[0].detail
    assert _post(duo, ROUTER_BODY) == 200
    store.displays.revoke(display.id, actor="test")
    display_session.forget(display.id)  # the server's lookup, at most LOOKUP_TTL_S old, has expired
    assert _post(duo, ROUTER_BODY) == 401
