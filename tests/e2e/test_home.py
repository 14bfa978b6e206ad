"""Home, data health and the 404 page in a real browser: every role lands on its own KPIs (tiles with
values, status words true to the value, a per-site heat map where its KPIs are per site), page cards only
when there is a page to open, freshness with the time zone in the header, a navbar that folds on a phone
and no sideways scrolling; an unknown URL gets a styled page naming it with a way home."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers.browser import PHONE, clear_viewport, login, page_overflow_x, resize_to, screenshot

# A company-1 tile each role must see with a value, the words its header names, whether sites x KPIs shows.
ROLES = {
    "supply": ("supplier_otif", ("Supply chain KPIs", "Supplier OTIF", "Stockout rate"), True),
    "quality": ("first_pass_yield", ("Quality KPIs", "First pass yield", "NC closure time"), True),
    "finance": ("overdue_receivables", ("Finance KPIs", "Gross margin", "Overdue receivables"), False),
    "plant": ("oee", ("Plant KPIs", "OEE", "Schedule adherence"), True),
    "exec": ("oee", ("Executive KPIs", "OEE", "Overdue receivables"), False),
}
NO_VALUE = "–"


def _visible(duo, css, timeout=10):
    WebDriverWait(duo.driver, timeout).until(lambda d: d.find_element(By.CSS_SELECTOR, css).is_displayed(),
                                             f"{css} never became visible")


def _body_text(duo) -> str:
    return duo.find_element(".shell-main").text


@pytest.mark.parametrize("username", sorted(ROLES))
def test_each_role_lands_on_its_kpis(app_duo, username):
    duo = app_duo
    kpi, words, by_site = ROLES[username]
    login(duo, username)
    value = f"#home-kpi-{kpi}-1"
    duo.wait_for_element(value, timeout=30)
    WebDriverWait(duo.driver, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, value).text not in ("", NO_VALUE))
    header = duo.find_element(".page-header").text
    for word in words:
        assert word in header
    duo.wait_for_contains_text("#home-freshness", "times in UTC", timeout=20)
    assert duo.find_element("#home-freshness").text.startswith("Data as of ")
    tiles = duo.find_elements("#home-kpis .kpi-tile")
    assert len(tiles) >= 2
    assert all(t.find_element(By.CSS_SELECTOR, ".tile-status").text.strip() for t in tiles)
    text = _body_text(duo)
    assert "Pick the view you act on" not in text
    # cards exactly for the pages the navbar offers besides Home
    nav = {a.get_attribute("id").removeprefix("shell-nav-") for a in duo.find_elements(".shell-navbar .nav-link")}
    cards = {b.get_attribute("id").removeprefix("home-open-") for b in duo.find_elements(".home-card .btn")}
    assert cards == nav - {"home"}
    if username == "exec":
        assert {"executive", "plant"} <= cards
    assert bool(duo.find_elements("#home-sites")) is by_site
    if by_site:
        duo.wait_for_element("#home-sites .js-plotly-plot", timeout=20)
        ticks = duo.driver.execute_script(
            "return document.querySelector('#home-sites .js-plotly-plot').layout.yaxis.ticktext;")
        assert len(ticks) >= 2  # the demo's sites
    duo.wait_for_element("#home-health .home-health-line", timeout=20)
    assert duo.find_element("#home-health").text.startswith("Data: Odoo ")
    if username in ("supply", "finance", "exec"):
        screenshot(duo, f"home-{username}")
    assert duo.get_logs() == []


def test_home_on_a_phone_and_a_laptop_folds_the_navbar_and_never_scrolls_sideways(app_duo):
    duo = app_duo
    login(duo, "exec")
    duo.wait_for_element("#home-kpi-oee-1", timeout=30)
    duo.wait_for_element("#home-health .home-health-line", timeout=20)
    resize_to(duo, *PHONE)
    WebDriverWait(duo.driver, 10).until(lambda d: not d.find_element(By.ID, "shell-nav-executive").is_displayed())
    assert page_overflow_x(duo) == 0
    duo.find_element("#shell-toggler").click()
    _visible(duo, "#shell-nav-executive")
    _visible(duo, "#shell-logout")
    assert page_overflow_x(duo) == 0
    duo.find_element("#shell-nav-plant").click()  # navigating folds the menu again
    WebDriverWait(duo.driver, 10).until(lambda d: "/plant" in d.current_url)
    WebDriverWait(duo.driver, 10).until(lambda d: not d.find_element(By.ID, "shell-nav-executive").is_displayed())
    duo.driver.back()
    duo.wait_for_element("#home-kpi-oee-1", timeout=30)
    screenshot(duo, "home-exec-phone", sizes=[PHONE])
    resize_to(duo, 1280, 800)
    _visible(duo, "#shell-nav-executive")
    assert not duo.find_element("#shell-toggler").is_displayed()
    assert page_overflow_x(duo) <= 0  # negative: the vertical scrollbar's width, nothing to scroll sideways
    clear_viewport(duo)
    assert duo.get_logs() == []


def test_data_health_page(app_duo):
    duo = app_duo
    login(duo, "admin", next_path="/health")
    duo.wait_for_element("#health-tile-version", timeout=30)
    assert duo.find_element("#health-tile-version").text == "17.0"
    duo.wait_for_contains_text("#health-freshness", "times in UTC", timeout=20)
    duo.wait_for_element("#health-apps .ag-row", timeout=20)
    duo.wait_for_element("#health-fresh .ag-row", timeout=20)
    duo.wait_for_element("#health-tables .ag-row", timeout=20)
    assert "Newest change per domain (UTC)" in _body_text(duo)
    screenshot(duo, "health")
    assert duo.get_logs() == []


def test_unknown_path_names_it_and_leads_home(app_duo):
    duo = app_duo
    login(duo, "plant")
    duo.wait_for_element("#home-kpi-oee-1", timeout=30)
    duo.driver.get(f"{duo.server_url}/nope")
    duo.wait_for_text_to_equal("#notfound-message", "The page /nope does not exist.", timeout=15)
    assert duo.find_element(".page-title").text == "Page not found"
    assert duo.driver.title == "Not found · Odoo Operations"
    screenshot(duo, "notfound")
    duo.find_element(".problem-back").click()
    duo.wait_for_element("#home-kpi-oee-1", timeout=30)
    assert duo.driver.current_url.rstrip("/") == duo.server_url.rstrip("/")
    assert duo.get_logs() == []
