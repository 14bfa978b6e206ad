"""The plant and work center pages on the demo replica, called on the server as a signed-in user: every bad
URL value is named in a notice under the page header, an unknown or forbidden site or work center is a
problem page with a way back, the site tiles equal the executive cell of the same period, and the callbacks
re-check the scope of the stores the browser holds."""
from __future__ import annotations

import sys

import pytest

from dashboard import create_app
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from data_access.demo.scenario import STORY
from helpers.tree import find_class, find_id, text_of

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


@pytest.mark.parametrize("query,named", [
    ({"site": "abc"}, "site='abc'"), ({"site": "-1"}, "site='-1'"), ({"site": "1.5"}, "site='1.5'"),
    ({"site": "9" * 400}, "site='99999"), ({"days": "-5"}, "days='-5'"), ({"as_of": "garbage"}, "as_of='garbage'"),
    ({"metric": "bogus"}, "metric='bogus'"),
])
def test_a_bad_plant_url_value_is_named_and_the_first_site_shown(plant, as_user, query, named):
    as_user("plant")
    page = plant.layout(**query)
    notice = find_id(page, "plant-notice")
    assert len(notice.children) == 1 and named in text_of(notice)
    assert find_class(page, "page-header") and find_id(page, "plant-params").data["site"] == 1


@pytest.mark.parametrize("site", ["99", "4"])  # 99 does not exist; 4 is the distribution company's
def test_an_unknown_or_forbidden_site_is_a_problem_page_with_a_way_back(plant, as_user, site):
    as_user("plant")
    page = plant.layout(site=site, days="-5")
    assert "problem-page" in page.className
    assert f"Site {site} does not exist or is outside your scope." in text_of(page)
    assert "Ignored days='-5'" in text_of(page)  # the other notices survive
    back = find_class(page, "problem-back")[0]
    assert back.href == "/plant" and find_class(page, "page-title")[0].children == "Plant"


@pytest.mark.parametrize("wc", ["abc", "-1", "1.5", "9" * 400, "99999"])
def test_an_unknown_work_center_is_a_problem_page_with_a_way_back(workcenter, as_user, wc):
    as_user("plant")
    page = workcenter.layout(workcenter_id=wc, as_of="garbage")
    assert "problem-page" in page.className and find_class(page, "msg-not-found")
    assert "Ignored as_of='garbage'" in text_of(page)
    assert find_class(page, "problem-back")[0].href == "/plant"
    assert find_class(page, "page-title")[0].children == "Work center"


def test_a_work_center_of_another_site_is_not_found_for_a_site_user(workcenter, as_user):
    as_user("stu_only")
    page = workcenter.layout(workcenter_id=str(WC))
    assert "problem-page" in page.className and f"Work center {WC} does not exist" in text_of(page)


def test_the_executive_drill_shows_the_executive_cell_of_the_same_period(app, plant, as_user):
    from dashboard import service

    as_user("exec")
    today = service.today()
    page = plant.layout(site=str(SITE), metric="downtime", days="30", as_of=today.isoformat())
    assert find_id(page, "plant-notice").children == []
    assert [o["value"] for o in find_id(page, "plant-days").options] == [7, 14, 28, 30, 90]
    body = plant._body(find_id(page, "plant-params").data)
    access = app.server.extensions[STATE_KEY].store.find_user("exec")
    cell = next(r for r in service.kpi_results(LoginUser(access).access, today, 30, kpis=("downtime_hours",),
                                               scope_kinds=("warehouse",))["results"] if r["scope_id"] == SITE)
    shown = find_id(body["tiles"], "plant-tile-downtime").children
    assert shown == f"{cell['value']:,.1f} h"
    assert body["title"].startswith("Downtime hours by work center and day")
    late = [r for r in body["late"] if r["status_grade"] == "critical" or "Done late" in r["status"]]
    assert find_id(body["tiles"], "plant-tile-late").children == str(len(late))


def test_a_forged_site_in_the_store_reads_nothing(plant, as_user):
    as_user("stu_only")
    body = plant._body({"site": SITE, "metric": "oee", "days": 28, "as_of": None})
    assert "Not found" in text_of(body["message"]) and body["shown"] == {"display": "none"}
    assert "Hydraulic" not in repr(body)


def test_work_center_body_and_panel_recheck_the_scope(workcenter, as_user):
    from dashboard import service

    as_user("plant")
    page = workcenter.layout(workcenter_id=str(WC), days="45")
    data = find_id(page, "workcenter-params").data
    assert [o["value"] for o in find_id(page, "workcenter-days").options] == [7, 14, 28, 30, 45, 90]
    body = workcenter._body(data)
    assert body["workorders"] and body["message"] is None
    wo = body["workorders"][0]["id"]
    panel = workcenter._work_order([{"id": wo}], data, None)
    assert panel["selected"] == int(wo) and "workcenter-wo-detail" in panel["panel"].className
    assert service.workorder_detail  # the panel reads through the service, not the replica
    as_user("stu_only")
    assert "Not found" in text_of(workcenter._body(data)["message"])
    stolen = workcenter._work_order([{"id": wo}], dict(data, workcenter_id=1), None)
    assert stolen["selected"] is None and "Not found" in text_of(stolen["panel"])
