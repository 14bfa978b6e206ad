"""Plant and work center pages in a real browser, and their callbacks over HTTP with a forged site.

The executive drill (``/plant?site=2&metric=downtime&days=30``) keeps its period; the heat map is graded,
blank where there is no data, and opens work centers; the work order grid opens its panel (kept in the
URL); bad URL values are named; nothing scrolls sideways on a laptop."""
import json
import re
import time
from datetime import date
from urllib.parse import quote

from selenium.webdriver.common.by import By

from dashboard.figures import SCALE_STORE
from data_access.demo.scenario import STORY
from helpers.auth_app import csrf_token
from helpers.browser import clear_viewport, login, page_overflow_x, resize_to, screenshot

WC = STORY["breakdown_workcenter_id"]
SITE = STORY["breakdown_warehouse_id"]
GRID_ROW = "#{} .ag-center-cols-container .ag-row"


def _wait_url(duo, fragment: str, timeout: float = 20) -> None:
    end = time.time() + timeout
    while fragment not in duo.driver.current_url:
        if time.time() > end:
            raise AssertionError(f"url {duo.driver.current_url!r} never contained {fragment!r}")
        time.sleep(0.2)


def _trace(duo, graph_id: str, timeout: float = 30, days: int | None = None) -> dict:
    """Text, day ticks and colour-bar flag of a heat map, once drawn (with ``days`` columns, when given: the
    figure of a new period replaces the old one only when its callback answers)."""
    end = time.time() + timeout
    while time.time() < end:
        found = duo.driver.execute_script(
            "const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');"
            "if (!gd || !gd.data || !gd.data[0] || gd.data[0].type !== 'heatmap') { return null; }"
            "return {text: gd.data[0].text, ticks: gd.layout.xaxis.ticktext, scale: gd.data[0].showscale};",
            f"#{graph_id}")
        if found and (days is None or len(found["ticks"]) == days):
            return found
        time.sleep(0.3)
    raise AssertionError(f"{graph_id} was never drawn" + (f" with {days} days" if days else ""))


def _click(duo, element) -> None:
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    time.sleep(0.3)
    element.click()


def _waterfall(duo, timeout: float = 30) -> list:
    """``[x labels, texts]`` of the OEE decomposition, once drawn."""
    end = time.time() + timeout
    while time.time() < end:
        found = duo.driver.execute_script(
            "const gd = document.querySelector('#workcenter-oee .js-plotly-plot');"
            "return gd && gd.data && gd.data[0] && gd.data[0].type === 'waterfall' ? [gd.data[0].x, gd.data[0].text] : null;")
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("the OEE decomposition was never drawn")


def _wait_plant(duo) -> None:
    duo.wait_for_element("#plant-heatmap .heatmaplayer", timeout=30)
    duo.wait_for_element(GRID_ROW.format("plant-workcenters"), timeout=30)


def test_drill_from_the_executive_keeps_the_period_then_work_center_and_work_order(app_duo):
    duo = app_duo
    login(duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=downtime&days=30", safe="/"))
    _wait_plant(duo)
    duo.wait_for_contains_text("#plant-heatmap-title", "Downtime hours", timeout=20)
    assert duo.find_element("#plant-notice").text == ""  # 30 days is a period like any other
    assert duo.find_element("#plant-days .active").text == "30 days"
    assert re.fullmatch(r"[\d,]+\.\d h", duo.find_element("#plant-tile-downtime").text)
    assert re.fullmatch(r"\d+\.\d %", duo.find_element("#plant-tile-adherence").text)
    late_tile = duo.find_element("#plant-tile-late").text
    assert re.fullmatch(r"\d+", late_tile) and int(late_tile) > 0  # the demo's breakdown makes Plzen MOs late
    assert "still open ·" in duo.find_element("#plant-tile-late").find_element(By.XPATH, "..").text
    # one palette, values in their unit, no-data cells blank
    trace = _trace(duo, "plant-heatmap")
    assert len(trace["ticks"]) == 30 and re.fullmatch(r"\d\d [A-Z][a-z]{2}", trace["ticks"][0])
    texts = [t for row in trace["text"] for t in row]
    assert any(re.fullmatch(r"\d+\.\d h", t) for t in texts) and not trace["scale"]
    assert all(t == "" or re.fullmatch(r"[\d,]+\.\d h", t) for t in texts)
    # late MOs: rows with Odoo-style words, never "0 h late"
    duo.wait_for_element(GRID_ROW.format("plant-late"), timeout=20)
    late_text = duo.find_element("#plant-late").text
    assert "late" in late_text and " 0 h late" not in late_text
    # laptop: no sideways page scroll, the long heat map scrolls in its frame
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0  # negative: the vertical scroll bar
    clear_viewport(duo)
    screenshot(duo, "plant")

    link = duo.find_element(f"#plant-workcenters a[href^='/plant/workcenter/{WC}?']")
    assert link.text == "PLZ Hydraulic Press 2"
    _click(duo, link)
    _wait_url(duo, f"/plant/workcenter/{WC}?")
    assert "days=30" in duo.driver.current_url
    duo.wait_for_contains_text(".page-title", "Hydraulic Press 2", timeout=30)
    duo.wait_for_element("#workcenter-tile-oee", timeout=30)
    waterfall = _waterfall(duo)
    assert waterfall[0][0] == "Logged time" and "All time" not in waterfall[0]
    assert not any(t in ("−0.0 pt", "-0.0 pt") for t in waterfall[1])
    _click(duo, duo.wait_for_element(GRID_ROW.format("workcenter-wo-table") + " [col-id='product']", timeout=30))
    duo.wait_for_element("#workcenter-wo-title", timeout=20)
    panel = duo.find_element("#workcenter-wo-panel").text
    assert "Time logs" in panel and "Scraps" in panel and "MO" in panel
    _wait_url(duo, "wo=")
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0  # negative: the vertical scroll bar
    clear_viewport(duo)
    screenshot(duo, "workcenter")

    _click(duo, duo.find_element("#workcenter-back"))
    _wait_url(duo, f"/plant?site={SITE}")
    _wait_plant(duo)
    assert duo.get_logs() == []


def _column_texts(duo, grid_id: str, col_id: str) -> set[str]:
    """The texts of a grid column's rendered cells, read in one script (the grid re-renders its cells when it
    shares out its width, which would leave element handles stale)."""
    return set(duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);",
        f"#{grid_id} .ag-center-cols-container [col-id='{col_id}']"))


def test_work_order_states_are_odoos_labels_and_late_is_a_word(app_duo):
    duo = app_duo
    login(duo, "plant", next_path=quote(f"/plant/workcenter/{WC}?days=28", safe="/"))
    duo.wait_for_element(GRID_ROW.format("workcenter-wo-table"), timeout=30)
    states = _column_texts(duo, "workcenter-wo-table", "state")
    assert states and states <= {"Finished", "In Progress", "Ready", "Waiting for components",
                                 "Waiting for another WO", "Blocked", "Cancelled"}
    late = _column_texts(duo, "workcenter-wo-table", "late")
    assert late and late <= {"✕ Late", "✓ On time"}
    assert duo.get_logs() == []


def test_metric_and_period_controls_update_the_url_and_a_bookmarked_work_order_opens(app_duo):
    duo = app_duo
    login(duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=oee&days=14", safe="/"))
    _wait_plant(duo)
    duo.driver.find_element(By.XPATH, "//label[normalize-space()='Quality']").click()
    _wait_url(duo, "metric=quality")
    duo.wait_for_contains_text("#plant-heatmap-title", "Quality", timeout=20)
    assert "days=14" in duo.driver.current_url
    duo.driver.find_element(By.XPATH, "//label[normalize-space()='90 days']").click()
    _wait_url(duo, "days=90")
    _wait_plant(duo)
    assert len(_trace(duo, "plant-heatmap", days=90)["ticks"]) == 90
    # a bookmark with a work order reproduces the panel
    duo.driver.get(f"{duo.server_url}/plant/workcenter/{WC}?days=28")
    _click(duo, duo.wait_for_element(GRID_ROW.format("workcenter-wo-table") + " [col-id='product']", timeout=30))
    duo.wait_for_element("#workcenter-wo-title", timeout=20)
    _wait_url(duo, "wo=")
    url = duo.driver.current_url
    title = duo.find_element("#workcenter-wo-title").text
    duo.driver.get(url)
    duo.wait_for_text_to_equal("#workcenter-wo-title", title, timeout=30)
    assert duo.get_logs() == []


def test_heatmap_row_label_and_cell_open_the_work_center(app_duo):
    duo = app_duo
    login(duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=oee&days=28", safe="/"))
    _wait_plant(duo)
    label = next(a for a in duo.find_elements("#plant-heatmap .ytick a") if "Hydraulic Press 2" in a.text)
    label.click()
    _wait_url(duo, f"/plant/workcenter/{WC}")
    duo.wait_for_contains_text(".page-title", "Hydraulic Press 2", timeout=30)
    assert "days=28" in duo.driver.current_url
    duo.driver.back()
    _wait_plant(duo)
    duo.wait_for_element("#plant-heatmap .nsewdrag").click()  # the middle of the plot area: a cell
    _wait_url(duo, "/plant/workcenter/")
    duo.wait_for_element("#workcenter-tile-oee", timeout=30)
    assert "as_of=" in duo.driver.current_url and "days=28" in duo.driver.current_url
    assert duo.get_logs() == []


def test_bad_values_are_named_and_unknown_records_have_a_way_back(app_duo):
    duo = app_duo
    login(duo, "plant", next_path=quote("/plant?site=abc&days=-5", safe="/"))
    _wait_plant(duo)
    notice = duo.find_element("#plant-notice").text
    assert "Ignored site='abc'" in notice and "Ignored days='-5'" in notice
    assert duo.find_element(".page-title").text == "Plant"
    duo.driver.get(f"{duo.server_url}/plant?site=4&metric=bogus")  # site 4: company 2, outside the scope
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert "Ignored metric='bogus'" in duo.find_element(".problem-page").text
    assert duo.find_element(".problem-back").get_attribute("href").endswith("/plant")
    duo.driver.get(f"{duo.server_url}/plant/workcenter/abc")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert duo.find_element(".page-title").text == "Work center"
    duo.find_element(".problem-back").click()
    _wait_plant(duo)
    duo.driver.get(f"{duo.server_url}/plant/workcenter/99999")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert "Work center 99999" in duo.find_element(".problem-page").text
    assert duo.get_logs() == []


# Callbacks over HTTP --------------------------------------------------------------------------------------

def _callback_key(app, output_id: str) -> str:
    return next(k for k in app.callback_map if f"{output_id}." in k)


def _outputs(key: str) -> list:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


# The shell's screen scale, an Input of every figure callback (the browser sends it with the others).
SCALE = [{"id": SCALE_STORE, "property": "data", "value": 1}]


def _post(client, app, output_id: str, inputs: list, state_=()):
    key = _callback_key(app, output_id)
    outputs = _outputs(key)
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0], "changedPropIds": [],
            "inputs": inputs, "state": list(state_)}
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def _site_user_client(demo_app):
    store = demo_app.server.extensions["odoo_dash"].store
    if "stu_only" not in {u.username for u in store.list_users()}:
        store.add_user("stu_only", "pw-123456", "plant", (1,), (1,))
    client = demo_app.server.test_client()
    token = csrf_token(client)
    assert client.post("/login", data={"csrf_token": token, "username": "stu_only",
                                       "password": "pw-123456"}).status_code in (302, 303)
    return client


def _plant_body(client, app, site: int):
    params = {"site": site, "metric": "oee", "days": 28, "as_of": date.today().isoformat()}
    return _post(client, app, "plant-heatmap", [{"id": "plant-params", "property": "data", "value": params}, *SCALE])


def test_forged_plant_callback_cannot_read_another_sites_rows(demo_app):
    client = _site_user_client(demo_app)
    own = _plant_body(client, demo_app, 1)
    assert own.status_code == 200 and "Press Line 1" in own.get_data(as_text=True)  # the control: own site works
    forged = _plant_body(client, demo_app, SITE)
    text = forged.get_data(as_text=True)
    assert forged.status_code == 200 and "Not found" in text
    for name in ("Hydraulic Press 2", "Die Casting Cell", "Harness Assembly", "Final Assembly PLZ"):
        assert name not in text


def _breakdown_work_order(demo_app) -> int:
    from dashboard import service
    from dashboard.auth.access import Access

    with demo_app.server.app_context():
        rows = service.workcenter_workorders(Access(1, "t", "admin"), date.today(), 28, WC)
    return rows[0]["id"]


def test_forged_work_center_callbacks_cannot_read_another_sites_work_center(demo_app):
    client = _site_user_client(demo_app)
    params = {"workcenter_id": WC, "days": 28, "as_of": date.today().isoformat()}
    body = _post(client, demo_app, "workcenter-tiles", [{"id": "workcenter-params", "property": "data", "value": params},
                                                                        *SCALE])
    text = body.get_data(as_text=True)
    assert body.status_code == 200 and "Not found" in text and "Hydraulic Press 2" not in text
    assert json.loads(text)["response"]["workcenter-wo-table"]["rowData"] == []
    own = dict(params, workcenter_id=1)  # Press Line 1 at Stuttgart: the control
    mine = json.loads(_post(client, demo_app, "workcenter-tiles",
                            [{"id": "workcenter-params", "property": "data", "value": own}, *SCALE]).get_data(as_text=True))
    assert mine["response"]["workcenter-wo-table"]["rowData"]
    wo_id = _breakdown_work_order(demo_app)

    def panel(c, wc_params):
        return _post(c, demo_app, "workcenter-wo-panel",
                     [{"id": "workcenter-wo-table", "property": "selectedRows", "value": [{"id": wo_id}]},
                      {"id": "workcenter-params", "property": "data", "value": wc_params}],
                     [{"id": "workcenter-selected", "property": "data", "value": None}]).get_data(as_text=True)

    for wc_params in (params, own):  # the other site's work center, or the WO smuggled under an own work center
        text = panel(client, wc_params)
        assert "Not found" in text and "workcenter-wo-detail" not in text
    # the control: a user who may see the Plzen plant gets that work order's panel
    plant = demo_app.server.test_client()
    plant.post("/login", data={"csrf_token": csrf_token(plant), "username": "plant", "password": "demo"})
    assert "workcenter-wo-detail" in panel(plant, params)
