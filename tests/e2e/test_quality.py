"""Quality and lot pages in a real browser on the demo: the excursion plant's tiles, FPY trend and scrap
Pareto; its most scrapped lot opens the lot page, which traces it back to the vendor (Fonderia Bresciana)
and forward to the MOs that consumed it; back returns; screenshots at the three sizes; no console errors."""
import time
from urllib.parse import quote

from data_access.demo.scenario import STORY
from helpers.browser import clear_viewport, login, page_overflow_x, resize_to, screenshot

SITE = STORY["excursion_warehouse_id"]
GRID_ROW = "#{} .ag-center-cols-container .ag-row"


def _wait_url(duo, fragment: str, timeout: float = 20) -> None:
    end = time.time() + timeout
    while fragment not in duo.driver.current_url:
        if time.time() > end:
            raise AssertionError(f"url {duo.driver.current_url!r} never contained {fragment!r}")
        time.sleep(0.2)


def _figure(duo, graph_id: str, kind: str, timeout: float = 30) -> dict:
    end = time.time() + timeout
    while time.time() < end:
        found = duo.driver.execute_script(
            "const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');"
            "return gd && gd.data && gd.data[0] && gd.data[0].type === arguments[1] ? {x: gd.data[0].x, y: gd.data[0].y} : null;",
            f"#{graph_id}", kind)
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{graph_id} was never drawn as {kind}")


def _click(duo, element) -> None:
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    time.sleep(0.3)
    element.click()


def test_the_scrap_excursion_traces_to_its_vendor_lot(app_duo):
    duo = app_duo
    login(duo, "quality", next_path=quote(f"/quality?site={SITE}&days=30", safe="/"))
    duo.wait_for_element("#quality-tile-fpy", timeout=30)
    assert duo.find_element("#quality-tile-fpy").text.endswith("%")
    pareto = _figure(duo, "quality-pareto", "bar")
    assert pareto["x"] and all(v > 0 for v in pareto["y"])
    _figure(duo, "quality-trend", "scatter")
    grid = _figure(duo, "quality-heatmap", "heatmap")
    assert len(grid["x"]) == 30 and grid["y"]  # products x the period's days
    duo.wait_for_element(GRID_ROW.format("quality-products"), timeout=30)
    duo.wait_for_element(GRID_ROW.format("quality-lots"), timeout=30)
    duo.wait_for_element("#quality-nc-app", timeout=30)  # the demo is Enterprise: open alerts and closure time
    duo.wait_for_element(GRID_ROW.format("quality-alerts"), timeout=30)
    # by work center: the URL follows
    _click(duo, duo.find_element("#quality-by label[for$='1'], #quality-by .form-check:nth-child(2) label"))
    _wait_url(duo, "by=workcenter")
    duo.wait_for_element("#quality-tile-fpy", timeout=30)
    _figure(duo, "quality-pareto", "bar")
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "quality")

    # the most scrapped lot is the excursion's casting lot: its page names the vendor and the MOs
    duo.wait_for_element(GRID_ROW.format("quality-lots"), timeout=30)
    link = duo.find_element("#quality-lots .ag-center-cols-container .ag-row[row-index='0'] a[href^='/quality/lot/'],"
                            " #quality-lots .ag-pinned-left-cols-container .ag-row[row-index='0'] a[href^='/quality/lot/']")
    _click(duo, link)
    _wait_url(duo, "/quality/lot/")
    duo.wait_for_element("#lot-facts", timeout=30)
    assert "Fonderia Bresciana" in duo.find_element("#lot-facts").text
    duo.wait_for_element(GRID_ROW.format("lot-receipts"), timeout=30)
    duo.wait_for_element(GRID_ROW.format("lot-consumed"), timeout=30)
    assert "Fonderia Bresciana" in duo.find_element("#lot-receipts").text
    assert "STU/MO/" in duo.find_element("#lot-consumed").text  # the excursion plant's MOs consumed it
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "lot")

    _click(duo, duo.find_element("#lot-back"))
    _wait_url(duo, f"/quality?site={SITE}")
    duo.wait_for_element("#quality-tile-fpy", timeout=30)
    assert duo.get_logs() == []
