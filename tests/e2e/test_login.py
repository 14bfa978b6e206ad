"""Login, role navigation and logout in a real browser."""
import pytest

from helpers.browser import login

NAV = {
    "exec": {"Executive", "Plant"},
    "plant": {"Plant"},
    "admin": {"Executive", "Plant", "Data health"},
    "supply": {"Home"},
    "quality": {"Home"},
    "finance": {"Home"},
}
# A KPI tile each user must find on the home page (company 1), from the KPIs their role owns.
TILE = {"exec": "oee", "plant": "oee", "admin": "gross_margin_pct", "supply": "supplier_otif",
        "quality": "first_pass_yield", "finance": "overdue_receivables"}


@pytest.mark.parametrize("username", sorted(NAV))
def test_each_demo_user_sees_only_their_pages(app_duo, username):
    login(app_duo, username)
    app_duo.wait_for_element("#home-kpis", timeout=15)
    links = {a.text for a in app_duo.find_elements(".shell-navbar .nav-link")}
    assert NAV[username] <= links
    if username != "admin":
        assert "Data health" not in links
    if username in ("plant", "supply", "quality", "finance"):
        assert "Executive" not in links
    app_duo.wait_for_element(f"#home-kpi-{TILE[username]}-1", timeout=30)
    app_duo.wait_for_element("#home-health .home-health-line", timeout=20)
    assert app_duo.get_logs() == []


def test_wrong_password_then_login_and_logout(app_duo):
    app_duo.driver.get(f"{app_duo.server_url}/login")
    app_duo.wait_for_element("#username").send_keys("plant")
    app_duo.find_element("#password").send_keys("nope")
    app_duo.find_element("button[type=submit]").click()
    app_duo.wait_for_text_to_equal(".alert-danger", "Wrong username or password.")
    login(app_duo, "plant")
    app_duo.wait_for_element("#home-kpi-oee-1", timeout=30)
    app_duo.wait_for_element("#home-health .home-health-line", timeout=30)
    app_duo.find_element("#shell-logout").click()
    app_duo.wait_for_element("#username", timeout=10)
    app_duo.driver.get(f"{app_duo.server_url}/plant")
    app_duo.wait_for_element("#username", timeout=10)  # signed out: back to the login form
    assert "/login" in app_duo.driver.current_url


def test_forbidden_page_by_url(app_duo):
    login(app_duo, "plant", next_path="/health")
    app_duo.wait_for_element(".msg-not-permitted", timeout=15)
    assert app_duo.get_logs() == []
