"""The plant and work center views from small literal rows (no app, no database): URL parts, tiles that
agree with their lists, status words from the vocabulary, the day heat map, the work order grid and panel."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.urlstate import parse_query
from dashboard.views.plant import (
    PLANT_QUERY,
    day_heatmap,
    heatmap_min_width,
    late_rows,
    late_summary,
    late_tile,
    md_link,
    odoo_record_url,
    period_options,
    plant_href,
    site_tiles,
    workcenter_href,
    workcenter_rows,
    worst_first,
)
from dashboard.views.workcenter import (
    WORKCENTER_QUERY,
    loss_items,
    trend_points,
    workcenter_tiles,
    workorder_panel,
    workorder_rows,
)

CAT = Catalogue()
TODAY = date(2026, 11, 21)
UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
WCS = [(6, "PLZ Hydraulic Press 2"), (7, "PLZ Die Casting Cell")]


def _text(component) -> str:
    """All the text of a component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _ids(component) -> dict:
    """``{id: component}`` of a component tree."""
    found = {}
    if isinstance(component, (list, tuple)):
        for c in component:
            found.update(_ids(c))
        return found
    if getattr(component, "id", None):
        found[component.id] = component
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found.update(_ids(children))
    return found


# URL ---------------------------------------------------------------------------------------------------

def test_the_executive_drill_keeps_its_period_and_metric():
    values, notices = parse_query({"site": "2", "metric": "downtime", "days": "30", "as_of": "2026-11-20"},
                                  PLANT_QUERY, TODAY)
    assert notices == []
    assert values == {"site": 2, "metric": "downtime", "days": 30, "as_of": date(2026, 11, 20)}


@pytest.mark.parametrize("days", ["1", "13", "45", "90"])
def test_any_period_from_1_to_90_days_is_accepted(days):
    values, notices = parse_query({"days": days}, PLANT_QUERY, TODAY)
    assert values["days"] == int(days) and notices == []


@pytest.mark.parametrize("query,name", [({"site": "abc"}, "site"), ({"site": "-1"}, "site"), ({"site": "1.5"}, "site"),
                                        ({"site": "9" * 400}, "site"), ({"days": "-5"}, "days"),
                                        ({"days": "91"}, "days"), ({"as_of": "garbage"}, "as_of"),
                                        ({"metric": "bogus"}, "metric")])
def test_each_bad_value_gets_a_notice_naming_it(query, name):
    _, notices = parse_query(query, PLANT_QUERY, TODAY)
    assert len(notices) == 1 and notices[0].startswith(f"Ignored {name}=")


def test_period_options_offer_the_usual_periods_and_the_urls_own():
    assert [o["value"] for o in period_options(30)] == [7, 14, 28, 30, 90]
    assert [o["value"] for o in period_options(45)] == [7, 14, 28, 30, 45, 90]
    assert period_options(1)[0] == {"label": "1 day", "value": 1}


def test_links():
    assert plant_href(2, "downtime", 30, date(2026, 11, 20)) == "/plant?site=2&metric=downtime&days=30&as_of=2026-11-20"
    assert workcenter_href(6, "2026-11-21", 28) == "/plant/workcenter/6?as_of=2026-11-21&days=28"
    assert workcenter_href(6, "2026-11-21", 14, wo=9) == "/plant/workcenter/6?as_of=2026-11-21&days=14&wo=9"
    values, _ = parse_query({"wo": "abc"}, WORKCENTER_QUERY, TODAY)
    assert values["wo"] is None


def test_odoo_links_only_for_http_urls_and_markdown_escaped():
    assert odoo_record_url("", "mrp.workorder", 5) is None
    assert odoo_record_url("javascript:alert(1)", "mrp.workorder", 5) is None
    assert odoo_record_url("https://erp.example.com/", "mrp.production", 5) == \
        "https://erp.example.com/web#id=5&model=mrp.production&view_type=form"
    assert md_link("WH/MO/00012", None) == "WH/MO/00012"
    assert md_link("MO [x](javascript:1)", "/a b") == r"[MO \[x\]\(javascript:1\)](/a%20b)"


# Tiles and lists that agree -----------------------------------------------------------------------------

LATE = [
    {"id": 1, "name": "MO/1", "product": "P", "status": "late", "days_late": 2.5, "date_deadline": datetime(2026, 11, 18, 8)},
    {"id": 2, "name": "MO/2", "product": "P", "status": "done_late", "days_late": 0.01, "date_deadline": datetime(2026, 11, 10)},
    {"id": 3, "name": "MO/3", "product": "V", "status": "done_late", "days_late": 0.2, "date_deadline": datetime(2026, 11, 9)},
    {"id": 4, "name": "MO/4", "product": "V", "status": "at_risk", "days_late": -1.5, "date_deadline": datetime(2026, 11, 22)},
]


def test_the_late_tile_counts_exactly_the_late_rows_of_its_list():
    summary = late_summary(LATE)
    rows = late_rows(LATE, UTC)
    late_in_list = [r for r in rows if r["status_grade"] in ("critical",) or "Done late" in r["status"]]
    card = late_tile(summary, "plant-tile-late")
    value = _ids(card)["plant-tile-late"]
    assert value.children == str(len(late_in_list)) == "3"
    assert "1 still open · 2 done late · 1 at risk" in _text(card)
    assert "✕ Open MOs past their deadline" in _text(card)


def test_late_delays_never_read_zero_hours():
    delays = [r["delay"] for r in late_rows(LATE, UTC)]
    assert delays == ["2.5 d late", "14 min late", "5 h late", "due in 1.5 d"]
    assert all("0 h" not in d for d in delays)


def test_late_rows_status_words_grades_and_local_deadlines():
    rows = late_rows(LATE, BERLIN, "https://erp.example.com")
    assert [(r["status"], r["status_grade"]) for r in rows] == [
        ("✕ Open, past deadline", "critical"), ("! Done late", "warning"), ("! Done late", "warning"), ("! At risk", "warning")]
    assert rows[0]["deadline"] == "2026-11-18 09:00"
    assert rows[0]["mo"] == "[MO/1](https://erp.example.com/web#id=1&model=mrp.production&view_type=form)"


def test_no_late_mo_is_on_target_and_a_capped_list_says_so():
    card = late_tile(late_summary([]))
    assert "0" in _text(card) and "No MO late" in _text(card) and "grade-border-on_target" in card.className
    capped = late_summary(LATE, limit=4)
    assert capped["capped"] and _ids(late_tile(capped, "t"))["t"].children == "3+"


def test_site_tiles_show_the_site_results_of_the_period_with_status_words():
    per_site = {("downtime_hours", 2): {"value": 87.3, "status": "critical"},
                ("oee", 2): {"value": 0.80, "status": "ok"},
                ("schedule_adherence", 2): {"value": 0.9, "status": "ok", "parts": {"on_time": 9, "total": 10}}}
    tiles = site_tiles(CAT, per_site, 2, 30, site_name="PLZ plant", workcenters=4, late=late_summary(LATE),
                       tile_id=lambda n: f"plant-tile-{n}", drill=lambda m: f"/plant?metric={m}")
    ids = _ids(tiles)
    assert ids["plant-tile-downtime"].children == "87.3 h"
    assert ids["plant-tile-oee"].children == "80.0 %"
    assert ids["plant-tile-adherence"].children == "90.0 %"
    assert ids["plant-tile-late"].children == "3"
    text = _text(tiles)
    assert "Below target, within tolerance" in text  # OEE 80 %: the engine's "ok" is not "on target"
    assert "9 of 10 MOs done by their deadline" in text and "4 work centers at PLZ plant" in text


# Work center table and heat map --------------------------------------------------------------------------

PER_WC = {("oee", 6): {"value": 0.41, "status": "critical"}, ("oee", 7): {"value": 0.86, "status": "ok"},
          ("downtime_hours", 6): {"value": 30.0, "status": "critical"}}


def test_work_center_rows_say_the_status_in_words():
    rows = workcenter_rows(WCS, PER_WC, CAT, 30, lambda wc: f"/plant/workcenter/{wc}")
    assert rows[0]["name"] == "[PLZ Hydraulic Press 2](/plant/workcenter/6)"
    assert rows[0]["oee"] == "41.0 % · ✕ Critical" and rows[0]["oee_grade"] == "critical"
    assert rows[1]["oee"] == "86.0 % · ✓ On target" and rows[1]["oee_grade"] == "on_target"
    assert rows[1]["downtime_hours"] == "– · – No data" and rows[1]["downtime_hours_grade"] == "no_data"


def test_worst_first_is_direction_aware():
    assert [w for w, _ in worst_first(WCS, PER_WC, "oee", "higher")] == [6, 7]
    assert [w for w, _ in worst_first(WCS[::-1], PER_WC, "downtime_hours", "lower")] == [6, 7]


DAYS = ["2026-11-03", "2026-11-04"]


def _daily(kpi="oee"):
    return [{"kpi": kpi, "scope_kind": "workcenter", "scope_id": 6, "bucket": "2026-11-03", "value": 0.41, "status": "critical"},
            {"kpi": kpi, "scope_kind": "workcenter", "scope_id": 7, "bucket": "2026-11-04", "value": 0.86, "status": "ok"},
            {"kpi": "oee", "scope_kind": "warehouse", "scope_id": 2, "bucket": "2026-11-04", "value": 0.5, "status": "critical"}]


def test_day_heatmap_grades_formats_and_leaves_no_data_blank():
    fig = go.Figure(day_heatmap(WCS, DAYS, _daily(), "oee", CAT, {6: "/plant/workcenter/6?days=30"}, empty_message="none"))
    trace = fig.data[0]
    assert list(fig.layout.xaxis.ticktext) == ["03 Nov", "04 Nov"]
    assert [list(r) for r in trace.text] == [["41.0 %", ""], ["", "86.0 %"]]
    assert "no data" not in " ".join(t for r in trace.text for t in r).lower()
    assert [list(map(list, r)) for r in trace.customdata][0] == [[6, "2026-11-03"], [6, "2026-11-04"]]
    assert "Critical" in trace.hovertext[0][0] and "PLZ Hydraulic Press 2 · 2026-11-03" in trace.hovertext[0][0]
    assert "On target" in trace.hovertext[1][1]
    assert fig.layout.yaxis.ticktext[0].startswith('<a href="/plant/workcenter/6?days=30"')


def test_day_heatmap_colours_downtime_by_grade_with_the_days_thresholds():
    day = CAT.for_scope("downtime_hours", "workcenter", 6, 1)
    rows = [{"kpi": "downtime_hours", "scope_kind": "workcenter", "scope_id": 6, "bucket": "2026-11-03",
             "value": day.red + 1, "status": "critical"}]
    trace = go.Figure(day_heatmap(WCS[:1], DAYS, rows, "downtime_hours", CAT, {}, empty_message="none")).data[0]
    assert trace.text[0][0] == f"{day.red + 1:.1f} h"
    assert trace.showscale is False  # one palette: status grades, no continuous colour bar
    from dashboard.vocab import threshold_text
    assert threshold_text(day) in trace.hovertext[0][0]


def test_day_heatmap_empty_and_width():
    fig = go.Figure(day_heatmap([], DAYS, [], "oee", CAT, {}, empty_message="No work center here."))
    assert not fig.data and fig.layout.annotations[0].text == "No work center here."
    assert heatmap_min_width(90) > heatmap_min_width(30) >= 30 * 50


# Work center views ------------------------------------------------------------------------------------

WOS = [
    {"id": 11, "name": "Pressing", "state": "progress", "production_name": "MO/1", "product": "Pump",
     "date_start": datetime(2026, 11, 20, 7), "date_finished": datetime(2026, 11, 30, 7), "duration_expected": 60.04,
     "duration": 12.0, "qty_produced": 0.0, "scrap_qty": 0.0, "late": True},
    {"id": 12, "name": "Pressing", "state": "done", "production_name": "MO/2", "product": "Pump",
     "date_start": datetime(2026, 11, 19, 7), "date_finished": datetime(2026, 11, 19, 9), "duration_expected": 60.0,
     "duration": 70.0, "qty_produced": 5.0, "scrap_qty": 1.0, "late": False},
]


def test_work_order_rows_finished_only_when_done_and_late_in_words():
    rows = workorder_rows(WOS, UTC)
    assert rows[0]["finished"] == "" and rows[1]["finished"] == "2026-11-19 09:00"  # in progress: no finish time
    assert (rows[0]["late"], rows[0]["late_grade"]) == ("✕ Late", "critical")
    assert (rows[1]["late"], rows[1]["late_grade"]) == ("✓ On time", "on_target")
    assert rows[0]["expected"] == 60.0 and rows[0]["state"] == "In Progress" and rows[1]["state"] == "Finished"


def _detail(state):
    return {"workorder": {"id": 11, "name": "Pressing", "state": state, "workcenter_id": 6,
                          "date_start": datetime(2026, 11, 20, 7),
                          "date_finished": datetime(2026, 11, 30, 7), "duration_expected": 60, "duration": 12, "qty_produced": 0},
            "production": {"id": 1, "name": "MO/1", "state": "confirmed", "product": "Pump", "date_deadline": None},
            "time_logs": [{"id": 1, "date_start": datetime(2026, 11, 20, 7), "date_end": None, "duration": 12,
                           "loss": "Productive", "loss_type": "productive"}],
            "scraps": []}


def test_panel_of_an_unfinished_work_order_shows_the_planned_end_not_finished():
    panel = _text(workorder_panel(_detail("progress"), UTC, id_of=lambda n: f"workcenter-{n}"))
    assert "Planned end 2026-11-30 07:00" in panel
    assert "Finished" not in panel
    assert "In Progress" in panel and "MO/1 (Confirmed)" in panel and "Time logs (1)" in panel
    done = _text(workorder_panel(_detail("done"), UTC, id_of=lambda n: f"workcenter-{n}"))
    assert "Finished" in done and "Planned end" not in done


def test_work_center_tiles_trend_and_losses():
    results = {"oee": {"value": 0.86, "status": "ok"}, "downtime_hours": {"value": 2.0, "status": "ok"}}
    ids = _ids(workcenter_tiles(CAT, results, 6, 30, lambda n: f"workcenter-{n}"))
    assert ids["workcenter-tile-oee"].children == "86.0 %" and ids["workcenter-tile-quality"].children == "–"
    points = trend_points(_daily(), 6, date(2026, 11, 4), 2)
    assert points == [{"bucket": "2026-11-03", "value": 0.41}, {"bucket": "2026-11-04", "value": None}]
    assert loss_items([{"loss": None, "loss_type": "availability", "minutes": 90.0},
                       {"loss": "Setup", "loss_type": "performance", "minutes": 30.0}]) == [("Availability", 1.5),
                                                                                           ("Setup", 0.5)]
