"""Plant and work center pages in a real browser, and the plant callbacks over HTTP with a forged site."""
import json
import time
from urllib.parse import quote

from selenium.webdriver.common.by import By

from data_access.demo.scenario import STORY
from helpers.auth_app import csrf_token
from helpers.browser import login, screenshot

WC = STORY["breakdown_workcenter_id"]
SITE = STORY["breakdown_warehouse_id"]


def _wait_url(duo, fragment: str, timeout: float = 15) -> None:
    end = time.time() + timeout
    while fragment not in duo.driver.current_url:
        if time.time() > end:
            raise AssertionError(f"url {duo.driver.current_url!r} never contained {fragment!r}")
        time.sleep(0.2)


def test_plant_heatmap_to_workcenter_and_work_order_then_back(app_duo):
    login(app_duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=downtime", safe="/"))
    app_duo.wait_for_element("#plant-heatmap .heatmaplayer", timeout=30)
    app_duo.wait_for_contains_text("#plant-heatmap-title", "Downtime hours", timeout=20)
    link = app_duo.wait_for_element(f"#plant-wc-link-{WC}", timeout=20)
    assert "Hydraulic Press 2" in link.text
    assert app_duo.find_elements("#plant-late table tbody tr") or app_duo.find_elements("#plant-late .empty-state")
    assert "%" in app_duo.find_element("#plant-adherence-value").text or "–" in app_duo.find_element("#plant-adherence-value").text
    screenshot(app_duo, "plant")

    link.click()
    _wait_url(app_duo, f"/plant/workcenter/{WC}")
    app_duo.wait_for_contains_text("#workcenter-header .page-title", "Hydraulic Press 2", timeout=30)
    app_duo.wait_for_element("#workcenter-wo-table td.dash-cell", timeout=30)
    app_duo.wait_for_element("#workcenter-oee .waterfall, #workcenter-oee .main-svg", timeout=20)
    cell = app_duo.find_elements("#workcenter-wo-table td.dash-cell")[1]
    cell.click()
    app_duo.wait_for_element("#workcenter-wo-title", timeout=20)
    panel = app_duo.find_element("#workcenter-wo-panel").text
    assert "Time logs" in panel and "Scraps" in panel and "MO" in panel
    _wait_url(app_duo, "wo=")
    screenshot(app_duo, "workcenter")

    app_duo.driver.back()
    _wait_url(app_duo, f"/plant?site={SITE}")
    app_duo.wait_for_element(f"#plant-wc-link-{WC}", timeout=30)
    assert app_duo.get_logs() == []


def test_metric_control_updates_the_url_and_a_bookmarked_work_order_opens(app_duo):
    login(app_duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=oee&days=14", safe="/"))
    app_duo.wait_for_element(f"#plant-wc-link-{WC}", timeout=30)
    app_duo.driver.find_element(By.XPATH, "//label[normalize-space()='Quality']").click()
    _wait_url(app_duo, "metric=quality")
    app_duo.wait_for_contains_text("#plant-heatmap-title", "Quality", timeout=20)
    assert "days=14" in app_duo.driver.current_url
    # a bookmark with a work order reproduces the panel
    app_duo.driver.get(f"{app_duo.server_url}/plant/workcenter/{WC}?days=28")
    app_duo.wait_for_element("#workcenter-wo-table td.dash-cell", timeout=30)
    first = app_duo.find_elements("#workcenter-wo-table td.dash-cell")[1]
    first.click()
    app_duo.wait_for_element("#workcenter-wo-title", timeout=20)
    _wait_url(app_duo, "wo=")
    url = app_duo.driver.current_url
    title = app_duo.find_element("#workcenter-wo-title").text
    app_duo.driver.get(url)
    app_duo.wait_for_text_to_equal("#workcenter-wo-title", title, timeout=30)
    assert app_duo.get_logs() == []


def test_heatmap_row_label_and_cell_open_the_work_center(app_duo):
    login(app_duo, "plant", next_path=quote(f"/plant?site={SITE}&metric=oee&days=28", safe="/"))
    app_duo.wait_for_element(f"#plant-wc-link-{WC}", timeout=30)
    label = next(a for a in app_duo.find_elements("#plant-heatmap .ytick a") if "Hydraulic Press 2" in a.text)
    label.click()
    _wait_url(app_duo, f"/plant/workcenter/{WC}")
    app_duo.wait_for_contains_text("#workcenter-header .page-title", "Hydraulic Press 2", timeout=30)
    assert "days=28" in app_duo.driver.current_url
    app_duo.driver.back()
    app_duo.wait_for_element(f"#plant-wc-link-{WC}", timeout=30)
    # a heat map cell (the middle of the plot area) opens its work center too
    app_duo.wait_for_element("#plant-heatmap .nsewdrag").click()
    _wait_url(app_duo, "/plant/workcenter/")
    app_duo.wait_for_element("#workcenter-header .page-title", timeout=30)
    assert "as_of=" in app_duo.driver.current_url and "days=28" in app_duo.driver.current_url
    assert app_duo.get_logs() == []


def test_forbidden_unknown_and_bad_values_show_not_found(app_duo):
    login(app_duo, "plant", next_path=quote("/plant?site=4&metric=bogus", safe="/"))  # site 4: company 2, outside the scope
    app_duo.wait_for_element("#plant-message .msg-not-found", timeout=30)
    assert "Ignored the metric" in app_duo.find_element("#plant-notice").text
    assert not app_duo.find_elements(".plant-wc-table")
    app_duo.driver.get(f"{app_duo.server_url}/plant?site=999")
    app_duo.wait_for_element("#plant-message .msg-not-found", timeout=30)
    app_duo.driver.get(f"{app_duo.server_url}/plant/workcenter/abc")
    app_duo.wait_for_element(".msg-not-found", timeout=30)
    app_duo.driver.get(f"{app_duo.server_url}/plant/workcenter/99999")
    app_duo.wait_for_element("#workcenter-message .msg-not-found", timeout=30)
    assert app_duo.get_logs() == []


def _callback_key(app, output_id: str) -> str:
    return next(k for k in app.callback_map if f"{output_id}." in k)


def _outputs(key: str) -> list:
    parts = key[2:-2].split("...")
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def _forge(client, app, site: int, today: str):
    key = _callback_key(app, "plant-heatmap")
    params = {"site": site, "metric": "oee", "days": 28, "as_of": today}
    body = {"output": key, "outputs": _outputs(key), "changedPropIds": ["plant-params.data"],
            "inputs": [{"id": "plant-params", "property": "data", "value": params}], "state": []}
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def test_forged_callback_cannot_read_another_sites_rows(demo_app):
    from datetime import date

    server = demo_app.server
    store = server.extensions["odoo_dash"].store
    if "stu_only" not in {u.username for u in store.list_users()}:
        store.add_user("stu_only", "pw-123456", "plant", (1,), (1,))
    client = server.test_client()
    token = csrf_token(client)
    assert client.post("/login", data={"csrf_token": token, "username": "stu_only", "password": "pw-123456"}).status_code in (302, 303)
    today = date.today().isoformat()
    own = _forge(client, demo_app, 1, today)
    assert own.status_code == 200 and "Press Line 1" in own.get_data(as_text=True)  # the control: own site works
    forged = _forge(client, demo_app, SITE, today)
    text = forged.get_data(as_text=True)
    for name in ("Hydraulic Press 2", "Die Casting Cell", "Harness Assembly", "Final Assembly PLZ"):
        assert name not in text
    assert forged.status_code == 204 or "Not found" in text


def _post(client, app, output_id: str, inputs: list, state_=()):
    key = _callback_key(app, output_id)
    body = {"output": key, "outputs": _outputs(key) if key.startswith("..") else _outputs(f"..{key}.."),
            "changedPropIds": [], "inputs": inputs, "state": list(state_)}
    if not key.startswith(".."):
        body["outputs"] = body["outputs"][0]
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def _site_user_client(demo_app):
    store = demo_app.server.extensions["odoo_dash"].store
    if "stu_only" not in {u.username for u in store.list_users()}:
        store.add_user("stu_only", "pw-123456", "plant", (1,), (1,))
    client = demo_app.server.test_client()
    token = csrf_token(client)
    client.post("/login", data={"csrf_token": token, "username": "stu_only", "password": "pw-123456"})
    return client


def _breakdown_work_order(demo_app) -> int:
    from datetime import date

    from dashboard import service
    from dashboard.auth.access import Access
    from data_access.queries.production_drill import workcenter_workorders

    with demo_app.server.app_context():
        rows = service.run_query(Access(1, "t", "admin"), workcenter_workorders, date.today(), 28, workcenter_id=WC)
    return rows[0]["id"]


def test_forged_work_center_callbacks_cannot_read_another_sites_work_center(demo_app):
    from datetime import date

    client = _site_user_client(demo_app)
    params = {"workcenter_id": WC, "days": 28, "as_of": date.today().isoformat(), "wo": None}
    body = _post(client, demo_app, "workcenter-header", [{"id": "workcenter-params", "property": "data", "value": params}])
    text = body.get_data(as_text=True)
    assert body.status_code == 200 and "Not found" in text
    assert "Hydraulic Press 2" not in text and json.loads(text)["response"]["workcenter-wo-table"]["data"] == []
    own = dict(params, workcenter_id=1)  # Press Line 1 at Stuttgart: the control
    mine = json.loads(_post(client, demo_app, "workcenter-header",
                            [{"id": "workcenter-params", "property": "data", "value": own}]).get_data(as_text=True))
    assert "Press Line 1" in json.dumps(mine["response"]["workcenter-header"])
    assert mine["response"]["workcenter-wo-table"]["data"]
    wo_id = _breakdown_work_order(demo_app)
    for wc_params in (params, own):  # the other site's work center, or the WO smuggled under an own work center
        panel = _post(client, demo_app, "workcenter-wo-panel",
                      [{"id": "workcenter-wo-table", "property": "active_cell", "value": {"row": 0, "column": 0, "row_id": wo_id}},
                       {"id": "workcenter-params", "property": "data", "value": wc_params}],
                      [{"id": "workcenter-selected", "property": "data", "value": None}])
        text = panel.get_data(as_text=True)
        assert panel.status_code == 200 and "Not found" in text and "workcenter-wo-detail" not in text
    # the control: a user who may see the Plzen plant gets that work order's panel
    plant = demo_app.server.test_client()
    plant.post("/login", data={"csrf_token": csrf_token(plant), "username": "plant", "password": "demo"})
    panel = _post(plant, demo_app, "workcenter-wo-panel",
                  [{"id": "workcenter-wo-table", "property": "active_cell", "value": {"row": 0, "column": 0, "row_id": wo_id}},
                   {"id": "workcenter-params", "property": "data", "value": params}],
                  [{"id": "workcenter-selected", "property": "data", "value": None}])
    assert "workcenter-wo-detail" in panel.get_data(as_text=True)
