"""Supply chain and vendor pages in a real browser on the demo: the story's late vendor is the worst row of
the OTIF heat map, its row opens the vendor page (trend, lead times, late lines), back returns; the site filter
goes into the URL; bad URL values are named; no console errors; screenshots at the three sizes."""
import re
import time
from urllib.parse import quote

from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from data_access.demo.scenario import STORY
from helpers.browser import clear_viewport, login, page_overflow_x, resize_to, screenshot

LATE = STORY["late_vendor_id"]
GRID_ROW = "#{} .ag-center-cols-container .ag-row"


def _wait_url(duo, fragment: str, timeout: float = 20) -> None:
    end = time.time() + timeout
    while fragment not in duo.driver.current_url:
        if time.time() > end:
            raise AssertionError(f"url {duo.driver.current_url!r} never contained {fragment!r}")
        time.sleep(0.2)


def _trace(duo, timeout: float = 60) -> dict:
    end = time.time() + timeout
    while time.time() < end:
        found = duo.driver.execute_script(
            "const gd = document.querySelector('#supply-heatmap .js-plotly-plot');"
            "if (!gd || !gd.data || !gd.data[0] || gd.data[0].type !== 'heatmap') { return null; }"
            "return {text: gd.data[0].text, ticks: gd.layout.xaxis.ticktext, rows: gd.layout.yaxis.ticktext};")
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("the OTIF heat map was never drawn")


def _click_vendor(duo, name: str, tries: int = 5) -> None:
    """Click a vendor's row label (looked up again when a resize re-drew the figure under the handle)."""
    for attempt in range(tries):
        try:
            link = next(a for a in duo.find_elements("#supply-heatmap .ytick a") if name in a.text)
            duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
            time.sleep(0.3)
            link.click()
            return
        except (StaleElementReferenceException, ElementClickInterceptedException, StopIteration):
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


def _wait_supply(duo) -> None:
    duo.wait_for_element("#supply-heatmap .heatmaplayer", timeout=90)
    duo.wait_for_element("#supply-tiles .kpi-tile", timeout=60)


def test_the_late_vendor_is_the_worst_row_and_opens_its_page(app_duo):
    duo = app_duo
    login(duo, "supply", next_path="/supply")
    _wait_supply(duo)
    assert duo.find_element("#supply-notice").text == ""
    duo.wait_for_element(GRID_ROW.format("supply-late-po"), timeout=60)
    trace = _trace(duo)
    assert len(trace["ticks"]) == 14 and "13 weeks" in trace["ticks"][0]
    assert "Shenzhen Lianfa" in trace["rows"][0] and f"/supply/vendor/{LATE}?" in trace["rows"][0]
    values = [float(row[0].rstrip(" %")) for row in trace["text"] if row[0]]
    assert values == sorted(values) and values[0] < 80
    assert all(t == "" or re.fullmatch(r"\d+\.\d %", t) for row in trace["text"] for t in row)
    # tiles: one block per company, the seven headline KPIs each
    assert re.fullmatch(r"\d+\.\d %", duo.find_element("#supply-supplier_otif-1").text)
    assert re.fullmatch(r"\d+", duo.find_element("#supply-late_po_lines-1").text)
    assert re.fullmatch(r"[\d.,]+ d(ays)?", duo.find_element("#supply-dio-1").text) or duo.find_element("#supply-dio-1").text
    duo.wait_for_element(GRID_ROW.format("supply-customers"), timeout=30)
    duo.wait_for_element(GRID_ROW.format("supply-runout"), timeout=30)  # the demo projects run-outs
    duo.wait_for_element(GRID_ROW.format("supply-late-so"), timeout=30)
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "supply")
    duo.driver.execute_script("document.getElementById('supply-heatmap').scrollIntoView({block: 'start'})")
    screenshot(duo, "supply-vendors", sizes=((1280, 800), (1920, 1080)))
    duo.driver.execute_script("document.getElementById('supply-stockouts').scrollIntoView({block: 'start'})")
    screenshot(duo, "supply-stock", sizes=((1920, 1080),))

    _click_vendor(duo, "Shenzhen")
    _wait_url(duo, f"/supply/vendor/{LATE}")
    duo.wait_for_contains_text(".page-title", "Shenzhen Lianfa", timeout=30)
    duo.wait_for_element("#vendor-tile-supplier_otif", timeout=60)
    duo.wait_for_element(GRID_ROW.format("vendor-late"), timeout=60)
    duo.wait_for_element(GRID_ROW.format("vendor-orders"), timeout=60)
    duo.wait_for_element(GRID_ROW.format("vendor-waiting"), timeout=60)  # MOs waiting on the late vendor's parts
    assert "orders first received" in duo.find_element("#vendor-lead-note").text
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "vendor")
    duo.driver.back()
    _wait_url(duo, "/supply")
    _wait_supply(duo)
    assert "Shenzhen Lianfa" in _trace(duo)["rows"][0]
    assert duo.get_logs() == []


def test_site_filter_goes_into_the_url_and_bad_values_are_named(app_duo):
    duo = app_duo
    login(duo, "supply", next_path=quote("/supply?site=abc&days=-5", safe="/"))
    _wait_supply(duo)
    notice = duo.find_element("#supply-notice").text
    assert "Ignored site='abc'" in notice and "Ignored days='-5'" in notice
    duo.select_dcc_dropdown("#supply-site", index=1)
    _wait_url(duo, "site=")
    _wait_supply(duo)
    assert re.search(r"site=\d+", duo.driver.current_url)
    # one site: one block (waited for: the page re-renders from the new URL after the URL changes)
    WebDriverWait(duo.driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#supply-tiles .kpi-tile")) == 7)
    duo.driver.find_element(By.XPATH, "//label[normalize-space()='90 days']").click()
    _wait_url(duo, "days=90")
    duo.driver.get(f"{duo.server_url}/supply?company=77")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert "Company 77" in duo.find_element(".problem-page").text
    duo.driver.get(f"{duo.server_url}/supply/vendor/abc")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    duo.find_element(".problem-back").click()
    _wait_supply(duo)
    assert duo.get_logs() == []
