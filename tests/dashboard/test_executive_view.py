"""Executive page helpers: URL state, scope checks, drill targets, breach age and the exceptions list."""
from dataclasses import replace
from datetime import date

import pytest

from dashboard.executive_view import (ViewState, breach_age, breach_distance, drill_href, exceptions, index_results,
                                      parse_query, previous_values, scope_view, site_label, view_href)
from dashboard.kpis.catalogue import Catalogue

TODAY = date(2026, 11, 21)
KPIS = ("oee", "supplier_otif", "gross_margin_pct")
CAT = Catalogue()
SITES = {1: {"name": "STU plant", "code": "STU", "company_id": 1}, 2: {"name": "PLZ plant", "code": "PLZ", "company_id": 1},
         5: {"name": "DC North", "code": "DCN", "company_id": 2}}
COMPANIES = {1: {"name": "Main"}, 2: {"name": "Distribution"}}


def test_good_query_is_kept():
    view = parse_query({"as_of": "2026-10-31", "days": "7", "site": "2", "kpi": "oee"}, today=TODAY, kpis=KPIS)
    assert view == ViewState(date(2026, 10, 31), 7, None, 2, "oee", ())


@pytest.mark.parametrize("query, field, expected", [
    ({"as_of": "31/10/2026"}, "as_of", TODAY),
    ({"as_of": "2027-01-01"}, "as_of", TODAY),
    ({"days": "31"}, "days", 30),
    ({"days": "abc"}, "days", 30),
    ({"site": "x1"}, "site", None),
    ({"company": "-3"}, "company", None),
    ({"kpi": "drop table"}, "kpi", None),
])
def test_bad_values_fall_back_with_a_notice(query, field, expected):
    view = parse_query(query, today=TODAY, kpis=KPIS)
    assert getattr(view, field) == expected
    assert len(view.notices) == 1


def test_empty_query_is_the_default_view():
    assert parse_query({}, today=TODAY, kpis=KPIS) == ViewState(TODAY, 30)


def test_site_outside_scope_blocks_the_view():
    view = scope_view(ViewState(TODAY, site=9), SITES, COMPANIES)
    assert view.blocked == "Site 9"
    assert scope_view(ViewState(TODAY, company=3), SITES, COMPANIES).blocked == "Company 3"


def test_site_implies_its_company():
    assert scope_view(ViewState(TODAY, site=5), SITES, COMPANIES).company == 2
    moved = scope_view(ViewState(TODAY, company=1, site=5), SITES, COMPANIES)
    assert moved.company == 2 and moved.blocked is None and len(moved.notices) == 1


def test_state_round_trips_through_store_data():
    view = ViewState(TODAY, 14, 1, 2, "oee", ("n",))
    assert ViewState.from_data(view.as_data()) == view


def test_hrefs():
    assert view_href(TODAY, 30, site=2) == "/executive?as_of=2026-11-21&days=30&site=2"
    assert drill_href("oee", as_of=TODAY, days=30, site=2) == "/plant?site=2&metric=oee&as_of=2026-11-21&days=30"
    assert drill_href("downtime_hours", as_of="2026-11-21", days=7, site=1) == \
        "/plant?site=1&metric=downtime&as_of=2026-11-21&days=7"
    assert drill_href("supplier_otif", as_of=TODAY, days=30, site=2, company=1) == \
        "/executive?as_of=2026-11-21&days=30&company=1&site=2&kpi=supplier_otif"
    assert drill_href("dio", as_of=TODAY, days=30, company=2) == "/executive?as_of=2026-11-21&days=30&company=2&kpi=dio"


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
    # As-of Saturday 2026-11-21 is in the week of 2026-11-16.
    assert breach_age(_weeks("critical", "critical", "critical", "critical"), date(2026, 11, 21)) == 4
    # The as-of week (2026-11-23) has no value yet: count from the week before.
    assert breach_age(_weeks("ok", "critical", "critical", "critical"), date(2026, 11, 24)) == 3


def test_breach_distance_is_relative_and_direction_aware():
    assert breach_distance(CAT["oee"], 0.45, "critical") == pytest.approx(0.25)  # (0.60 - 0.45) / 0.60
    downtime = replace(CAT["downtime_hours"], amber=24.0, red=60.0)
    assert breach_distance(downtime, 36.0, "warning") == pytest.approx(0.5)  # (36 - 24) / 24
    assert breach_distance(CAT["oee"], 0.80, "ok") == 0.0


def test_exceptions_order_critical_first_then_distance_with_age():
    current = [
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 2, "value": 0.54, "status": "critical", "bucket": None},
        {"kpi": "late_po_lines", "scope_kind": "warehouse", "scope_id": 1, "value": 30, "status": "critical", "bucket": None},
        {"kpi": "supplier_otif", "scope_kind": "warehouse", "scope_id": 1, "value": 0.85, "status": "warning", "bucket": None},
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 1, "value": 0.9, "status": "ok", "bucket": None},
        {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 5, "value": 0.1, "status": "critical", "bucket": None},
    ]
    weekly = [{"kpi": "oee", "scope_kind": "warehouse", "scope_id": 2, "value": v, "status": s, "bucket": b}
              for b, v, s in (("2026-11-02", 0.8, "ok"), ("2026-11-09", 0.5, "critical"), ("2026-11-16", 0.55, "critical"))]
    names = {("warehouse", 1): "STU", ("warehouse", 2): "PLZ"}  # site 5 is filtered out
    rows = exceptions(current, weekly, CAT, names, as_of=TODAY)
    # late_po_lines: (30 - 20) / 20 = 0.5 past red; oee: (0.60 - 0.54) / 0.60 = 0.1 past red.
    assert [(r["kpi"], r["entity"]) for r in rows] == [("late_po_lines", "STU"), ("oee", "PLZ"), ("supplier_otif", "STU")]
    assert [r["age_weeks"] for r in rows] == [None, 2, None]
    assert rows[0]["owner"] == "supply_chain" and rows[1]["distance"] == pytest.approx(0.1)


def test_exceptions_keep_each_kpi_at_its_own_scope_kind():
    current = [
        {"kpi": "stockout_rate", "scope_kind": "company", "scope_id": 1, "value": 0.2, "status": "critical", "bucket": None},
        {"kpi": "stockout_rate", "scope_kind": "warehouse", "scope_id": 1, "value": 0.03, "status": "warning", "bucket": None},
        {"kpi": "dio", "scope_kind": "company", "scope_id": 1, "value": 100.0, "status": "warning", "bucket": None},
    ]
    names = {("warehouse", 1): "STU", ("company", 1): "Main"}
    rows = exceptions(current, [], CAT, names, kpis_by_kind={"warehouse": ["stockout_rate"], "company": ["dio"]})
    # dio: (100 - 90) / 90 = 0.11 past amber; stockout: (0.03 - 0.02) / 0.02 = 0.5 past amber.
    assert [(r["kpi"], r["scope_kind"]) for r in rows] == [("stockout_rate", "warehouse"), ("dio", "company")]
