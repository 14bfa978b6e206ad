"""Executive page state and data (pure): the URL's view and its notices, the scope check, drill targets that
keep the period, clicked cells mapped back to sites and KPIs, breach age and the exceptions ranking."""
from dataclasses import replace
from datetime import date

import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.urlstate import Invalid
from dashboard.views.executive import (
    View,
    breach_age,
    breach_distance,
    cell_target,
    drill_href,
    exceptions,
    in_scope,
    index_results,
    previous_values,
    read_query,
    site_label,
    trend_scope,
    visible_rows,
)

TODAY = date(2026, 11, 21)
CAT = Catalogue()
SITES = {1: {"name": "STU plant", "code": "STU", "company_id": 1}, 2: {"name": "PLZ plant", "code": "PLZ", "company_id": 1},
         5: {"name": "DC North", "code": "DCN", "company_id": 2}}
COMPANIES = {1: {"name": "Main", "currency": "EUR"}, 2: {"name": "Distribution", "currency": "USD"}}


def test_a_good_query_is_kept_with_any_period_from_1_to_90_days():
    view, notes = read_query({"as_of": "2026-10-31", "days": "45", "site": "2", "kpi": "oee"}, TODAY)
    assert view == View(date(2026, 10, 31), 45, None, 2, "oee") and notes == []
    assert read_query({}, TODAY) == (View(TODAY, 30), [])


@pytest.mark.parametrize("query, field, expected, named", [
    ({"as_of": "31/10/2026"}, "as_of", TODAY, "'31/10/2026'"),
    ({"as_of": "2027-01-01"}, "as_of", TODAY, "2027-01-01"),
    ({"days": "91"}, "days", 30, "91"),
    ({"days": "abc"}, "days", 30, "'abc'"),
    ({"site": "x1"}, "site", None, "'x1'"),
    ({"company": "-3"}, "company", None, "'-3'"),
    ({"kpi": "drop table"}, "kpi", None, "'drop table'"),
])
def test_every_bad_value_falls_back_with_a_notice_naming_it(query, field, expected, named):
    view, notes = read_query(query, TODAY)
    assert getattr(view, field) == expected
    assert len(notes) == 1 and named in notes[0]


def test_a_store_is_re_validated_like_a_url():
    view = View(TODAY, 14, 1, 2, "oee")
    assert View.from_data(view.as_data(), TODAY) == view
    for bad in (dict(view.as_data(), days=3000), dict(view.as_data(), kpi="x"), dict(view.as_data(), site="2; --"),
                dict(view.as_data(), as_of="2099-01-01"), None, []):
        with pytest.raises(Invalid):
            View.from_data(bad, TODAY)


def test_a_company_or_site_outside_the_scope_is_not_found():
    assert in_scope(View(TODAY, site=9), SITES, COMPANIES) == (None, "Site 9", [])
    assert in_scope(View(TODAY, company=3), SITES, COMPANIES) == (None, "Company 3", [])


def test_a_site_implies_its_company():
    assert in_scope(View(TODAY, site=5), SITES, COMPANIES) == (View(TODAY, company=2, site=5), None, [])
    moved, blocked, notes = in_scope(View(TODAY, company=1, site=5), SITES, COMPANIES)
    assert moved.company == 2 and blocked is None and "DC North (DCN)" in notes[0]


def test_hrefs_and_drills_keep_the_period():
    view = View(TODAY, 45, company=1)
    assert view.href(site=2) == "/executive?as_of=2026-11-21&days=45&company=1&site=2"
    assert drill_href("downtime_hours", view, site=2) == "/plant?site=2&metric=downtime&days=45&as_of=2026-11-21"
    assert drill_href("oee", view, site=1) == "/plant?site=1&metric=oee&days=45&as_of=2026-11-21"
    assert drill_href("supplier_otif", view, site=2, company=1) == "/supply?company=1&site=2&days=45&as_of=2026-11-21"
    assert drill_href("first_pass_yield", view, site=2, company=1) == "/quality?site=2&days=45&as_of=2026-11-21"
    assert drill_href("dio", view, company=2) == "/finance?company=2&days=45&as_of=2026-11-21"
    assert drill_href("first_pass_yield", view, company=2) == \
        "/executive?as_of=2026-11-21&days=45&company=2&kpi=first_pass_yield"  # no site: the detail here


def test_a_clicked_cell_maps_back_to_its_visible_row_and_kpi():
    view = View(TODAY, 7)
    # Row 1 (PLZ) x column 2 (downtime): the plant page, same 7 days.
    assert cell_target(view, {"points": [{"x": 2, "y": 1}]}, "warehouse", SITES, COMPANIES) == \
        "/plant?site=2&metric=downtime&days=7&as_of=2026-11-21"
    # Supplier OTIF of DC North (company 2): the supply chain page for that site and period.
    assert cell_target(view, {"points": [{"x": 3, "y": 2}]}, "warehouse", SITES, COMPANIES) == \
        "/supply?company=2&site=5&days=7&as_of=2026-11-21"
    # On a filtered view the rows are the visible ones; a company cell opens that company's finance page.
    narrow = View(TODAY, 7, company=1, site=2)
    assert cell_target(narrow, {"points": [{"x": 3, "y": 0}]}, "warehouse", SITES, COMPANIES) == \
        "/supply?company=1&site=2&days=7&as_of=2026-11-21"
    assert cell_target(narrow, {"points": [{"x": 1, "y": 0}]}, "company", SITES, COMPANIES) == \
        "/finance?company=1&days=7&as_of=2026-11-21"
    for click in ({"points": [{"x": 1, "y": 1}]}, {"points": [{"x": -1, "y": 0}]}, {"points": [{"x": True, "y": 0}]},
                  {"points": []}, None, {"points": [{"x": "1", "y": 0}]}):
        assert cell_target(narrow, click, "warehouse", SITES, COMPANIES) is None


def test_visible_rows_and_trend_scope_follow_the_filters():
    assert visible_rows(View(TODAY, company=1), SITES, COMPANIES) == (
        [(1, "STU plant"), (2, "PLZ plant")], [(1, "Main")])  # codes already in the names
    assert trend_scope(View(TODAY, company=1, site=2), SITES, COMPANIES) == (2, 1, "PLZ plant")
    assert trend_scope(View(TODAY), SITES, COMPANIES) == (None, 1, "Main (pick a company to change)")


def test_index_and_previous_ignore_buckets_and_other_scopes():
    results = [{"kpi": "oee", "scope_kind": "warehouse", "scope_id": 1, "value": 0.5, "status": "critical", "bucket": None},
               {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 1, "value": 0.9, "status": "ok", "bucket": "2026-11-16"},
               {"kpi": "oee", "scope_kind": "company", "scope_id": 1, "value": 0.7, "status": "warning", "bucket": None}]
    assert list(index_results(results, "warehouse")) == [(1, "oee")]
    assert previous_values(results, "company") == {(1, "oee"): 0.7}


def test_site_label():
    assert site_label({"name": "Stuttgart plant", "code": "STU"}) == "Stuttgart plant (STU)"
    assert site_label(SITES[2]) == "PLZ plant"  # the code is already in the name
    assert site_label({"name": "Main", "code": None}) == "Main"


def _weeks(*statuses):
    mondays = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    return [{"bucket": m, "value": 1.0, "status": s} for m, s in zip(mondays, statuses)]


def test_breach_age_counts_recent_consecutive_breach_weeks():
    assert breach_age(_weeks("critical", "ok", "warning", "critical")) == 2
    assert breach_age(_weeks("warning", "warning", "warning", "ok")) == 0
    assert breach_age([]) is None
    assert breach_age(_weeks("critical", "critical", "critical", "critical"), date(2026, 11, 21)) == 4
    # The as-of week (2026-11-23) has no value yet: count from the week before.
    assert breach_age(_weeks("ok", "critical", "critical", "critical"), date(2026, 11, 24)) == 3


def test_breach_distance_is_relative_and_direction_aware():
    assert breach_distance(CAT["oee"], 0.45, "critical") == pytest.approx(0.25)  # (0.60 - 0.45) / 0.60
    downtime = replace(CAT["downtime_hours"], amber=24.0, red=60.0)
    assert breach_distance(downtime, 36.0, "warning") == pytest.approx(0.5)  # (36 - 24) / 24
    assert breach_distance(CAT["oee"], 0.80, "ok") == 0.0


def test_exceptions_order_critical_first_then_distance_each_kpi_at_its_own_scope_kind():
    current = [
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 2, "value": 0.54, "status": "critical", "bucket": None},
        {"kpi": "late_po_lines", "scope_kind": "warehouse", "scope_id": 1, "value": 30, "status": "critical", "bucket": None},
        {"kpi": "supplier_otif", "scope_kind": "warehouse", "scope_id": 1, "value": 0.85, "status": "warning", "bucket": None},
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 1, "value": 0.9, "status": "ok", "bucket": None},
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 5, "value": 0.1, "status": "critical", "bucket": None},
        {"kpi": "stockout_rate", "scope_kind": "company", "scope_id": 1, "value": 0.2, "status": "critical", "bucket": None},
        {"kpi": "dio", "scope_kind": "company", "scope_id": 1, "value": 100.0, "status": "warning", "bucket": None},
    ]
    weekly = [{"kpi": "oee", "scope_kind": "warehouse", "scope_id": 2, "value": v, "status": s, "bucket": b}
              for b, v, s in (("2026-11-02", 0.8, "ok"), ("2026-11-09", 0.5, "critical"), ("2026-11-16", 0.55, "critical"))]
    names = {("warehouse", 1): "STU", ("warehouse", 2): "PLZ", ("company", 1): "Main"}  # site 5 is filtered out
    rows = exceptions(current, weekly, CAT, names, as_of=TODAY)
    # late_po_lines: (30 - 20) / 20 = 0.5 past red; oee: 0.1 past red; dio (company KPI) 0.11 past amber; the
    # company's stockout rate is not a company headline KPI.
    assert [(r["kpi"], r["entity"]) for r in rows] == [("late_po_lines", "STU"), ("oee", "PLZ"), ("dio", "Main"),
                                                       ("supplier_otif", "STU")]
    assert [r["age_weeks"] for r in rows] == [None, 2, None, None]
    assert rows[1]["definition"].label == "OEE" and rows[1]["distance"] == pytest.approx(0.1)
