"""The plant and work center pages on the demo replica, called on the server as a signed-in user: every bad
URL value is named in a notice under the page header, an unknown or forbidden site or work center is a
problem page with a way back, the site tiles equal the executive cell of the same period, and the callbacks
re-check the scope of the stores the browser holds."""
from __future__ import annotations

import sys

import pytest
from flask_login import login_user

from dashboard import create_app
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from data_access.demo.scenario import STORY

SITE, WC = STORY["breakdown_warehouse_id"], STORY["breakdown_workcenter_id"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plant-pages")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("stu_only", "pw-123456", "plant", company_ids=(1,), warehouse_ids=(1,))
    yield app
    store.dispose()


def _module(suffix: str):
    return next(m for name, m in sys.modules.items() if name.endswith(suffix) and hasattr(m, "spec")
                and getattr(m.spec, "key", None) == suffix)


@pytest.fixture(scope="module")
def plant(app):
    return _module("plant")


@pytest.fixture(scope="module")
def workcenter(app):
    return _module("workcenter")


@pytest.fixture
def as_user(app):
    pushed = []

    def sign_in(username: str):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        pushed.append(ctx)
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user(username)))

    yield sign_in
    for ctx in reversed(pushed):
        ctx.pop()


def _text(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _find(component, cls: str) -> list:
    found = []
    if isinstance(component, (list, tuple)):
        for c in component:
            found += _find(c, cls)
        return found
    if cls in (getattr(component, "className", None) or "").split():
        found.append(component)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += _find(children, cls)
    return found


def _by_id(component, wanted: str):
    if isinstance(component, (list, tuple)):
        return next((f for f in (_by_id(c, wanted) for c in component) if f is not None), None)
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    return None if children is None or isinstance(children, str) else _by_id(children, wanted)


@pytest.mark.parametrize("query,named", [
    ({"site": "abc"}, "site='abc'"), ({"site": "-1"}, "site='-1'"), ({"site": "1.5"}, "site='1.5'"),
    ({"site": "9" * 400}, "site='99999"), ({"days": "-5"}, "days='-5'"), ({"as_of": "garbage"}, "as_of='garbage'"),
    ({"metric": "bogus"}, "metric='bogus'"),
])
def test_a_bad_plant_url_value_is_named_and_the_first_site_shown(plant, as_user, query, named):
    as_user("plant")
    page = plant.layout(**query)
    notice = _by_id(page, "plant-notice")
    assert len(notice.children) == 1 and named in _text(notice)
    assert _find(page, "page-header") and _by_id(page, "plant-params").data["site"] == 1


@pytest.mark.parametrize("site", ["99", "4"])  # 99 does not exist; 4 is the distribution company's
def test_an_unknown_or_forbidden_site_is_a_problem_page_with_a_way_back(plant, as_user, site):
    as_user("plant")
    page = plant.layout(site=site, days="-5")
    assert "problem-page" in page.className
    assert f"Site {site} does not exist or is outside your scope." in _text(page)
    assert "Ignored days='-5'" in _text(page)  # the other notices survive
    back = _find(page, "problem-back")[0]
    assert back.href == "/plant" and _find(page, "page-title")[0].children == "Plant"


@pytest.mark.parametrize("wc", ["abc", "-1", "1.5", "9" * 400, "99999"])
def test_an_unknown_work_center_is_a_problem_page_with_a_way_back(workcenter, as_user, wc):
    as_user("plant")
    page = workcenter.layout(workcenter_id=wc, as_of="garbage")
    assert "problem-page" in page.className and _find(page, "msg-not-found")
    assert "Ignored as_of='garbage'" in _text(page)
    assert _find(page, "problem-back")[0].href == "/plant"
    assert _find(page, "page-title")[0].children == "Work center"


def test_a_work_center_of_another_site_is_not_found_for_a_site_user(workcenter, as_user):
    as_user("stu_only")
    page = workcenter.layout(workcenter_id=str(WC))
    assert "problem-page" in page.className and f"Work center {WC} does not exist" in _text(page)


def test_the_executive_drill_shows_the_executive_cell_of_the_same_period(app, plant, as_user):
    from dashboard import service

    as_user("exec")
    today = service.today()
    page = plant.layout(site=str(SITE), metric="downtime", days="30", as_of=today.isoformat())
    assert _by_id(page, "plant-notice").children == []
    assert [o["value"] for o in _by_id(page, "plant-days").options] == [7, 14, 28, 30, 90]
    body = plant._body(_by_id(page, "plant-params").data)
    access = app.server.extensions[STATE_KEY].store.find_user("exec")
    cell = next(r for r in service.kpi_results(LoginUser(access).access, today, 30, kpis=("downtime_hours",),
                                               scope_kinds=("warehouse",))["results"] if r["scope_id"] == SITE)
    shown = _by_id(body["tiles"], "plant-tile-downtime").children
    assert shown == f"{cell['value']:,.1f} h"
    assert body["title"].startswith("Downtime hours by work center and day")
    late = [r for r in body["late"] if r["status_grade"] == "critical" or "Done late" in r["status"]]
    assert _by_id(body["tiles"], "plant-tile-late").children == str(len(late))


def test_a_forged_site_in_the_store_reads_nothing(plant, as_user):
    as_user("stu_only")
    body = plant._body({"site": SITE, "metric": "oee", "days": 28, "as_of": None})
    assert "Not found" in _text(body["message"]) and body["shown"] == {"display": "none"}
    assert "Hydraulic" not in repr(body)


def test_work_center_body_and_panel_recheck_the_scope(workcenter, as_user):
    from dashboard import service

    as_user("plant")
    page = workcenter.layout(workcenter_id=str(WC), days="45")
    data = _by_id(page, "workcenter-params").data
    assert [o["value"] for o in _by_id(page, "workcenter-days").options] == [7, 14, 28, 30, 45, 90]
    body = workcenter._body(data)
    assert body["workorders"] and body["message"] is None
    wo = body["workorders"][0]["id"]
    panel = workcenter._work_order([{"id": wo}], data, None)
    assert panel["selected"] == int(wo) and "workcenter-wo-detail" in panel["panel"].className
    assert service.workorder_detail  # the panel reads through the service, not the replica
    as_user("stu_only")
    assert "Not found" in _text(workcenter._body(data)["message"])
    stolen = workcenter._work_order([{"id": wo}], dict(data, workcenter_id=1), None)
    assert stolen["selected"] is None and "Not found" in _text(stolen["panel"])
