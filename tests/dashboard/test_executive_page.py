"""Executive page layout and callbacks on the demo replica, called on the server as the guard lets them run:
the URL rendered into the filters (options and values together), bad values named, a site of another company
'not found', a tampered view store refused, filters that navigate only on a real change, freshness with its
zone, trends and exceptions, and the detail's amounts in the company currency."""
from __future__ import annotations

import sys

import pytest
from dash.exceptions import PreventUpdate

from dashboard import create_app, service
from dashboard.extensions import STATE_KEY
from dashboard.formats import fmt_value
from dashboard.settings import Settings
from dashboard.validation import BadInput
from helpers.tree import find_id

DIST_SITES = {4, 5}  # the demo's distribution company (2) owns the Neuss and Atlanta centres


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("executive-page")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("dist-exec", "pw-123456", "executive", company_ids=(2,))
    yield app
    store.dispose()


@pytest.fixture(scope="module")
def page(app):
    return next(m for name, m in sys.modules.items() if name.endswith("pages.executive") and hasattr(m, "_heatmaps"))


def test_a_bookmark_renders_its_filters_with_their_options(page, as_user):
    as_user("exec")
    layout = page.layout(company="1", site="2")
    company, site = find_id(layout, "executive-company"), find_id(layout, "executive-site")
    assert company.value == 1 and {o["value"] for o in company.options} == {1, 2, 3}  # 3: the USD sales office (KPIS.md v2)
    assert site.value == 2 and {o["value"] for o in site.options} == {1, 2, 3}  # the company's sites
    assert find_id(layout, "executive-view").data["company"] == 1
    # A site alone shows its company; any period from 1 to 90 days is kept and offered.
    layout = page.layout(site="5", days="45")
    assert find_id(layout, "executive-company").value == 2
    days = find_id(layout, "executive-days")
    assert days.value == 45 and 45 in [o["value"] for o in days.options]


def test_bad_values_are_named_and_a_site_of_another_company_is_not_found(page, as_user):
    as_user("dist-exec")
    text = str(page.layout(days="abc", company="x"))
    assert "Ignored days='abc'" in text and "Ignored company='x'" in text
    problem = page.layout(site="2", as_of="not-a-date")
    text = str(problem)
    assert "problem-page" in text and "Site 2 does not exist or is outside your scope" in text
    assert "'not-a-date'" in text and "href='/executive'" in text
    assert find_id(problem, "executive-heatmap") is None


def test_filters_navigate_only_on_a_real_change(page, as_user):
    as_user("exec")
    data = find_id(page.layout(company="1", site="2", kpi="supplier_otif"), "executive-view").data
    same = dict(as_of=data["as_of"], days=30, company=1, site=2, data=data)
    with pytest.raises(PreventUpdate):
        page._to_url(**same)
    assert page._to_url(**dict(same, company=2)) == f"?as_of={data['as_of']}&days=30&company=2"
    assert page._to_url(**dict(same, site=None)) == f"?as_of={data['as_of']}&days=30&company=1"
    assert page._to_url(**dict(same, days=7)) == f"?as_of={data['as_of']}&days=7&company=1&site=2&kpi=supplier_otif"


def test_heat_maps_trends_and_exceptions_of_the_whole_scope(page, as_user):
    as_user("exec")
    data = find_id(page.layout(), "executive-view").data
    out = page._heatmaps(data=data)
    # three companies: the USD sales office (KPIS.md v2) has a row of its own, no site
    assert len(out["sites"]["data"][0]["z"]) == 5 and len(out["companies"]["data"][0]["z"]) == 3
    assert f"times in {service.settings().zone.key}" in str(out["fresh"])
    grid = find_id(out["table"], "executive-cells")
    assert len(grid.rowData) == 5 * 9 + 3 * 4 and all("OK" not in r["status"] for r in grid.rowData)
    trends = page._trends(data=data, shown=True)  # the trends section scrolled into view
    shown = {col.children.id for col in trends["trends"].children}
    assert "executive-trend-oee" in shown and "executive-trend-dio" not in shown
    assert "365-day measures" in trends["note"]
    assert "grade-bg-critical" in str(page._exceptions(data=data))


def test_a_scoped_executive_sees_only_their_company_and_a_tampered_store_is_refused(page, as_user):
    as_user("dist-exec")
    data = find_id(page.layout(), "executive-view").data
    out = page._heatmaps(data=data)
    assert {row["id"].split("-")[1] for row in find_id(out["table"], "executive-cells").rowData} == {"4", "5", "2"}
    exceptions = str(page._exceptions(data=data))
    assert "Plzen" not in exceptions and "Stuttgart" not in exceptions
    # Out of scope: well formed, refused by the scope check. Malformed: refused at the callback's boundary (400).
    for tampered, refusal in ((dict(data, site=2, kpi="supplier_otif"), PreventUpdate), (dict(data, company=1), PreventUpdate),
                              (dict(data, days=3000), BadInput), (dict(data, company=[1]), BadInput), ("view", BadInput)):
        for callback in (page._heatmaps, page._exceptions, page._detail):
            with pytest.raises(refusal):
                callback(data=tampered)
        with pytest.raises(refusal):
            page._trends(data=tampered, shown=True)


def test_the_detail_shows_amounts_in_the_company_currency(page, as_user):
    as_user("exec")
    data = find_id(page.layout(company="1", kpi="overdue_receivables"), "executive-view").data
    card = page._detail(data=data)
    value = find_id(card, "executive-detail-value").children
    currency = service.companies(_access())[1].get("currency")
    result = next(r for r in service.kpi_results(_access(), service.today(), 30, kpis=("overdue_receivables",),
                                                 scope_kinds=("company",))["results"] if r["scope_id"] == 1)
    assert value == fmt_value(result["value"], "amount", currency)
    assert "Overdue receivables · Nordwerk Automotive GmbH" in str(card)
    assert "A snapshot of now: no weekly trend." in str(card)


def _access():
    from dashboard.auth import current_access

    return current_access()
