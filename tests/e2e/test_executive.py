"""Executive page in a real browser: heat map of the demo's sites, the breakdown site in red, drill to the
plant page and back, a KPI detail panel, a site outside the scope refused."""
from urllib.parse import quote

from selenium.webdriver.common.by import By

from helpers.browser import login, screenshot

BREAKDOWN_SITE = 2  # data_access.demo.scenario.STORY["breakdown_warehouse_id"]: PLZ plant
DEMO_SITES = ("Stuttgart", "Plzen", "Queretaro", "Neuss", "Atlanta")


def _tick_labels(duo, graph_id):
    ticks = duo.driver.find_elements(By.CSS_SELECTOR, f"#{graph_id} .yaxislayer-above .ytick text")
    return [t.text for t in ticks]


def test_executive_heat_map_drill_and_back(app_duo):
    duo = app_duo
    login(duo, "exec", next_path="/executive")
    duo.wait_for_element("#executive-heatmap .heatmap, #executive-heatmap .hm", timeout=60)
    duo.wait_for_element("#executive-exceptions table", timeout=60)
    labels = _tick_labels(duo, "executive-heatmap")
    assert all(any(site in label for label in labels) for site in DEMO_SITES), labels
    duo.wait_for_element("#executive-trends .dash-graph", timeout=60)
    screenshot(duo, "executive")
    duo.driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    screenshot(duo, "executive-trends")
    duo.driver.execute_script("window.scrollTo(0, 0)")

    # The table twin carries each cell's status in words: the breakdown site has a critical plant KPI.
    duo.driver.execute_script("document.querySelector('#executive-table-toggle').click()")
    cells = {kpi: duo.find_element(f"#executive-cell-{BREAKDOWN_SITE}-{kpi}") for kpi in ("oee", "downtime_hours")}
    critical = [kpi for kpi, link in cells.items() if "Critical" in link.text]
    assert critical, {k: v.text for k, v in cells.items()}
    assert "status-critical" in cells[critical[0]].find_element(By.XPATH, "..").get_attribute("class")

    # Clicking the red cell of the heat map itself opens the plant page for that site (Dash hands the
    # callback the clicked cell's x/y positions, as a real click would).
    kpi = critical[0]
    row = next(i for i, label in enumerate(labels) if "Plzen" in label)
    col = ["oee", "schedule_adherence", "downtime_hours"].index(kpi)
    duo.driver.execute_script(
        """const gd = document.querySelector('#executive-heatmap .js-plotly-plot');
           const [row, col] = arguments;
           gd.emit('plotly_click', {points: [{curveNumber: 0, x: col, y: row, z: 2, pointNumber: [row, col],
                                             data: gd.data[0], fullData: gd._fullData[0]}]});""",
        row, col)
    metric = "oee" if kpi == "oee" else "downtime"
    _wait_url(duo, f"/plant?site={BREAKDOWN_SITE}&metric={metric}")
    duo.driver.back()
    _wait_url(duo, "/executive")
    duo.wait_for_element("#executive-heatmap .heatmap, #executive-heatmap .hm", timeout=60)

    # A supply KPI has no page yet: its cell opens the detail panel here, for that site.
    duo.driver.execute_script("document.querySelector('#executive-table-toggle').click()")
    link = duo.wait_for_element(f"#executive-cell-{BREAKDOWN_SITE}-supplier_otif")
    duo.driver.execute_script("arguments[0].click()", link)  # (screenshots reset the viewport metrics)
    _wait_url(duo, f"site={BREAKDOWN_SITE}&kpi=supplier_otif")
    duo.wait_for_contains_text("#executive-detail-card", "Supplier OTIF · Plzen", timeout=60)
    assert duo.get_logs() == []


def test_executive_detail_panel_and_scope(app_duo):
    duo = app_duo
    login(duo, "exec", next_path=quote(f"/executive?site={BREAKDOWN_SITE}&kpi=supplier_otif&days=90", safe="/"))

    for text in ("Supplier OTIF · Plzen", "Vendor", "Breakdown limited to lines of this site."):
        duo.wait_for_contains_text("#executive-detail-card", text, timeout=60)
    duo.driver.execute_script("document.getElementById('executive-detail-card').scrollIntoView()")
    screenshot(duo, "executive-detail")
    assert "/executive" in duo.driver.current_url and "days=90" in duo.driver.current_url
    duo.driver.get(f"{duo.server_url}/executive?site=999&as_of=not-a-date")
    duo.wait_for_contains_text(".msg-not-found", "Site 999", timeout=30)
    duo.wait_for_contains_text("#executive-notice", "not a date")
    assert not duo.find_element("#executive-content").is_displayed()
    assert "site=999" in duo.driver.current_url  # the refusal stays: no other view replaces it
    assert duo.get_logs() == []


def _wait_url(duo, fragment, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(duo.driver, timeout).until(lambda d: fragment in d.current_url, f"url never held {fragment}")
