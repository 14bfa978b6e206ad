"""The supply chain and vendor pages on the demo replica, called on the server as a signed-in user: the
story's late vendor is the worst row of the OTIF heat map, the heat map's rows are the engine's
``supplier_otif`` per vendor, bad URL values are named, an unknown or out-of-scope company, site or vendor is a
problem page with a way back, and the callbacks re-check the scope of the stores the browser holds; plus the
pure builders."""
from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import date, datetime

import pytest
from dash.exceptions import PreventUpdate

from dashboard import create_app
from dashboard.auth import current_access
from dashboard.cli import main
from dashboard.extensions import STATE_KEY
from dashboard.formats import fmt_value
from dashboard.kpis.catalogue import Catalogue
from dashboard.settings import Settings
from dashboard.views.supply import (
    OTIF_LABEL,
    late_po_rows,
    lead_summary,
    lead_time_figure,
    vendor_heatmap,
    vendor_order,
    week_columns,
)
from data_access.demo.scenario import STORY
from helpers.tree import find_class, find_id, text_of

LATE = STORY["late_vendor_id"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("supply-pages")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False,
                              odoo_base_url="https://odoo.example.com"))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("main_only", "pw-123456", "supply_chain", company_ids=(1,))
    store.add_user("site1_only", "pw-123456", "supply_chain", company_ids=(1,), warehouse_ids=(1,))
    yield app
    store.dispose()


def _module(key: str):
    return next(m for m in sys.modules.values() if getattr(getattr(m, "spec", None), "key", None) == key
                and hasattr(m, "layout"))


@pytest.fixture(scope="module")
def supply(app):
    return _module("supply")


@pytest.fixture(scope="module")
def vendor(app):
    return _module("vendor")


def _body(module, page, scale=1):
    return module._body.__wrapped__(find_id(page, f"{module.spec.key}-params").data, scale,
                                    access=current_access())


def test_the_late_vendor_is_the_worst_row_and_rows_are_the_engines_supplier_otif(app, supply, as_user):
    from dashboard import service

    as_user("supply")
    page = supply.layout()
    assert find_id(page, "supply-notice").children == []
    out = _body(supply, page)
    assert out["message"] is None
    assert out["rows"][0] == LATE
    trace = out["heatmap"]["data"][0]
    # the first column holds each vendor's value over the 13 weeks: the kpis command's supplier_otif for 91 days
    out_json = io.StringIO()
    with contextlib.redirect_stdout(out_json):
        assert main(["kpis", "--db-url", app.server.extensions[STATE_KEY].settings.effective_replica_url,
                     "--as-of", service.today().isoformat(), "--days", "91"]) == 0
    command = {r["scope"]["partner_id"]: r["value"] for r in json.loads(out_json.getvalue())["results"]
               if r["kpi"] == "supplier_otif" and "partner_id" in r["scope"]}
    assert out["rows"] and all(pid in command for pid in out["rows"])
    for row, pid in enumerate(out["rows"]):
        assert trace["text"][row][0] == ("" if command[pid] is None else fmt_value(command[pid], "ratio")), pid
    assert {p for p, v in command.items() if v is not None} <= set(out["rows"])
    assert len(trace["text"][0]) == 14  # 13 weeks + the period column
    assert out["late_po"] and out["customers"] and out["late_so"] is not None
    assert "odoo.example.com" in out["late_po"][0]["order"]
    assert len(out["tiles"]) == 2  # one block per company


@pytest.mark.parametrize("query,named", [({"site": "abc"}, "site='abc'"), ({"company": "-1"}, "company='-1'"),
                                         ({"days": "0"}, "days='0'"), ({"as_of": "2999-01-01"}, "as_of='2999-01-01'")])
def test_a_bad_supply_url_value_is_named(supply, as_user, query, named):
    as_user("supply")
    page = supply.layout(**query)
    notice = find_id(page, "supply-notice")
    assert len(notice.children) == 1 and named in text_of(notice)


@pytest.mark.parametrize("user,query,missing", [("supply", {"site": "99"}, "Site 99"), ("supply", {"company": "77"}, "Company 77"),
                                                ("main_only", {"company": "2"}, "Company 2"),
                                                ("site1_only", {"site": "2"}, "Site 2"),
                                                ("supply", {"company": "1", "site": "4"}, "Site 4 of this company")])
def test_an_unknown_or_forbidden_company_or_site_is_a_problem_page(supply, as_user, user, query, missing):
    as_user(user)
    page = supply.layout(**query)
    assert "problem-page" in page.className and f"{missing} does not exist or is outside your scope." in text_of(page)
    assert find_class(page, "problem-back")[0].href == "/supply"


def test_a_forged_store_of_another_company_shows_nothing_of_it(supply, as_user):
    as_user("main_only")
    page = supply.layout()
    forged = dict(find_id(page, "supply-params").data, company=2)
    access = current_access()
    out = supply._body.__wrapped__(forged, 1, access=access)
    assert out["shown"] == {"display": "none"} and "Company 2" in text_of(out["message"])
    assert out["late_po"] is not None and not isinstance(out["late_po"], list)


def test_a_site_user_sees_only_its_site(supply, as_user):
    as_user("site1_only")
    page = supply.layout()
    out = _body(supply, page)
    sites = {r["site"] for r in out["late_so"]}
    assert sites <= {"", _site_name(1)}


def _site_name(site_id):
    from dashboard import service
    access = current_access()
    return service.sites(access, service.today(), 30)[site_id]["name"]


def test_the_heat_map_click_opens_the_vendor(supply, as_user):
    as_user("supply")
    page = supply.layout()
    params = find_id(page, "supply-params").data
    access = current_access()
    url = supply._open_vendor.__wrapped__({"points": [{"y": 0, "x": 3}]}, params, [LATE, 21], access=access)
    assert url.startswith(f"/supply/vendor/{LATE}?")
    with pytest.raises(PreventUpdate):
        supply._open_vendor.__wrapped__({"points": [{"y": 5}]}, params, [LATE], access=access)


def test_the_vendor_page_shows_its_lines_and_lead_times(vendor, as_user):
    as_user("supply")
    page = vendor.layout(partner_id=str(LATE))
    assert "problem-page" not in (page.className or "")
    out = _body(vendor, page)
    assert out["message"] is None and out["late"] and out["orders"]
    assert all("odoo.example.com" in r["order"] for r in out["orders"])
    assert out["lead"]["data"][0]["type"] == "bar"
    # the open MOs and sale orders waiting on the late lines' products, each linked to Odoo
    assert out["waiting"] and {r["kind"] for r in out["waiting"]} <= {"Manufacturing", "Sale order"}
    assert all("odoo.example.com" in r["record"] for r in out["waiting"])
    assert {r["product"] for r in out["waiting"]} <= {r["product"] for r in out["late"]}


@pytest.mark.parametrize("pid", ["abc", "-1", "9" * 400, "99999", "customer"])
def test_an_unknown_vendor_is_a_problem_page(vendor, as_user, pid):
    from dashboard import service, service_supply

    as_user("supply")
    if pid == "customer":  # a customer has no purchase order: not a vendor
        access = current_access()
        pid = str(service_supply.late_so_lines(access, service.today(), 30)[0]["partner_id"])
    page = vendor.layout(partner_id=pid)
    assert "problem-page" in page.className and find_class(page, "problem-back")[0].href == "/supply"
    assert "does not exist or is outside your scope" in text_of(page)


def test_a_vendor_of_another_company_only_is_not_found(vendor, as_user):
    from dashboard import service, service_supply

    as_user("supply")
    access = current_access()
    other = service_supply.narrowed(access, company=STORY["company_distribution"])
    main = service_supply.narrowed(access, company=STORY["company_main"])
    ids = {r["scope_id"] for r in service_supply.vendor_period(other, service.today())["results"]}
    only_other = sorted(ids - {r["scope_id"] for r in service_supply.vendor_period(main, service.today())["results"]})
    assert only_other, "the demo has a vendor of the distribution company only"
    as_user("main_only")
    page = vendor.layout(partner_id=str(only_other[0]))
    assert "problem-page" in page.className


def test_a_forged_vendor_store_is_not_found(vendor, as_user):
    as_user("supply")
    access = current_access()
    out = vendor._body.__wrapped__({"partner_id": 99999, "days": 30, "as_of": date.today().isoformat()}, 1, access=access)
    assert out["shown"] == {"display": "none"} and out["late"] == [] and out["waiting"] == []


# --- pure builders -----------------------------------------------------------------------------------------

def test_week_columns_end_with_the_week_of_as_of():
    weeks = week_columns(date(2026, 6, 30), 13)  # a Tuesday
    assert len(weeks) == 13 and weeks[-1] == "2026-06-29" and weeks[0] == "2026-04-06"


def test_vendor_order_is_worst_first_then_no_value():
    per = {("supplier_otif", 1): {"value": 0.9}, ("supplier_otif", 2): {"value": 0.5},
           ("late_po_lines", 3): {"value": 4}, ("supplier_otif", 3): {"value": None}}
    names = {1: {"name": "A"}, 2: {"name": "B"}, 3: {"name": "C"}}
    assert vendor_order(per, names) == [(2, "B"), (1, "A"), (3, "C")]


def test_vendor_heatmap_cells_and_period_column():
    cat = Catalogue()
    weeks = week_columns(date(2026, 6, 30), 13)
    weekly = [{"kpi": "supplier_otif", "scope_kind": "partner", "scope_id": 2, "bucket": weeks[-1], "value": 0.5,
               "status": "critical"},
              {"kpi": "supplier_otif", "scope_kind": "partner", "scope_id": 2, "bucket": "2026-03-30", "value": 1.0,
               "status": "ok"}]  # the partial 14th week is not a column
    per = {("supplier_otif", 2): {"value": 0.6, "status": "critical"}}
    fig = vendor_heatmap([(2, "B")], weeks, weekly, per, cat, {2: "/supply/vendor/2"})
    text = fig["data"][0]["text"][0]
    assert text[0] == "60.0 %" and text[-1] == "50.0 %" and text[1:-1] == [""] * 12
    assert OTIF_LABEL in fig["layout"]["xaxis"]["ticktext"][0]
    assert "/supply/vendor/2" in fig["layout"]["yaxis"]["ticktext"][0]


def test_late_po_rows_open_quantity_and_links():
    rows = late_po_rows([{"line_id": 5, "order_id": 9, "order_name": "P[1]", "partner_id": 3, "partner_name": "V",
                          "product_name": "Bolt", "planned_day": "2026-06-01", "days_late": 29, "product_qty": 10,
                          "qty_received": 4}], "https://odoo.example.com", lambda pid: f"/supply/vendor/{pid}")
    assert rows[0]["open"] == 6 and rows[0]["days_late"] == 29
    assert rows[0]["order"] == "[P\\[1\\]](https://odoo.example.com/web#id=9&model=purchase.order&view_type=form)"
    assert rows[0]["vendor"] == "[V](/supply/vendor/3)"


def test_lead_times_summary_and_histogram():
    from zoneinfo import ZoneInfo
    rows = [{"order_id": i, "order_name": f"P{i}", "date_approve": datetime(2026, 6, 1), "first_receipt": datetime(2026, 6, 1 + d),
             "lead_days": float(d)} for i, d in ((1, 3), (2, 5), (3, 5))]
    assert lead_summary(rows).startswith("3 orders first received · median 5.0 d · longest 5.0 d")
    fig = lead_time_figure(rows, ZoneInfo("UTC"))
    assert fig["data"][0]["x"] == [3, 4, 5] and fig["data"][0]["y"] == [1, 0, 2]
    assert "No purchase order" in lead_summary([])


def test_the_page_lists_rules_projected_to_run_out(supply, as_user):
    as_user("supply")
    out = _body(supply, supply.layout())
    assert isinstance(out["runout"], list)
    for row in out["runout"]:
        assert row["on_hand"] > 0 and row["runout_days"] <= row["lead_days"] + 0.05
        assert row["runout_date"] >= date.today().isoformat()


def test_turns_and_dio_by_category_add_up_to_the_company_tiles(app, supply, as_user):
    from dashboard import service, service_finance

    as_user("supply")
    out = _body(supply, supply.layout(company=str(STORY["company_main"])))
    assert out["categories"] and {r["company"] for r in out["categories"]} == {"Nordwerk Automotive GmbH"}
    rows = [r for r in service_finance.inventory_by_category(current_access(), service.today())
            if r["scope_id"] == STORY["company_main"]]
    company = next(r for r in service.kpi_results(current_access(), service.today(), 30, kpis=("dio",),
                                                  scope_kinds=("company",))["results"]
                   if r["scope_id"] == STORY["company_main"])
    cogs = sum(r["cogs"] for r in rows)
    average = sum(r["inventory_value_sum"] for r in rows) / rows[0]["samples"]
    assert 365 * average / cogs == pytest.approx(company["value"])
    dio = [float(r["dio"].split(" ")[0].replace(",", "")) for r in out["categories"] if r["dio_grade"] != "no_data"]
    assert dio and dio == sorted(dio, reverse=True)  # slowest stock first


def test_a_late_line_says_when_kits_or_a_return_without_update_stand_behind_its_quantity():
    from dashboard.views.supply import late_po_rows, late_so_rows, line_note
    kit = {"line_id": 1, "order_id": 2, "order_name": "S1", "product_uom_qty": 10.0, "qty_delivered": 7.0,
           "kit_bom_id": 9, "kits": 7.0, "qty_returned_not_updated": 2.0, "warehouse_id": 1}
    assert line_note(kit, "delivered") == "kit: 7 whole kits delivered · 2 returned without updating the order"
    assert late_so_rows([kit], {1: {"name": "W"}})[0]["note"] == line_note(kit, "delivered")
    plain = {"line_id": 3, "order_id": 4, "order_name": "P1", "product_qty": 5.0, "qty_received": 1.0,
             "kit_bom_id": None, "kits": None, "qty_returned_not_updated": 0.0}
    assert late_po_rows([plain])[0]["note"] == ""
