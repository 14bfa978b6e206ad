"""The TV board's panels, pure: work center states by Odoo's rule, durations counted to the render time, the
output table, OEE of the shift against today, downtime in progress and by reason, the site's exceptions."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dashboard.kpis.catalogue import Catalogue
from dashboard.views.plant import late_summary
from dashboard.views.tv import (
    downtime_panel,
    exceptions_panel,
    minutes_since,
    oee_panel,
    output_panel,
    status_panel,
    workcenter_states,
)
from helpers.tree import find_class, find_id
from helpers.tree import text_of as _text

UTC_ZONE = ZoneInfo("UTC")


def text_of(component) -> str:
    """The component's text, words separated by single spaces."""
    return " ".join(_text(component).split())


NOW = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
WCS = [(1, "Press"), (2, "Lathe"), (3, "Oven"), (4, "Saw")]
ACTIVITY = {
    "open_logs": [
        {"workcenter_id": 1, "loss": "Productive", "loss_type": "productive", "blocks": False, "date_start": datetime(2026, 6, 10, 8)},
        {"workcenter_id": 2, "loss": "Productive", "loss_type": "productive", "blocks": False, "date_start": datetime(2026, 6, 10, 8)},
        {"workcenter_id": 2, "loss": "Breakdown", "loss_type": "availability", "blocks": True, "date_start": datetime(2026, 6, 10, 9, 30)},
    ],
    "last_end": {3: datetime(2026, 6, 9, 22, 0)},
    "progress": [{"workcenter_id": 1, "name": "Cutting", "production": "MO2", "product": "Bracket"},
                 {"workcenter_id": 4, "name": "Sawing", "production": "MO3", "product": "Hinge"}],
}


def test_workcenter_states_follow_odoos_rule():
    states = workcenter_states(WCS, ACTIVITY)
    assert [(s["id"], s["state"], s["reason"], s["since"]) for s in states] == [
        (1, "running", "Productive", datetime(2026, 6, 10, 8)),
        (2, "blocked", "Breakdown", datetime(2026, 6, 10, 9, 30)),      # a blocking loss wins over a productive log
        (3, "idle", "No time logged now", datetime(2026, 6, 9, 22)),
        (4, "idle", "Paused: Sawing", None)]                              # in progress, but no timer runs
    assert states[0]["workorder"] == "MO2 · Bracket"
    assert minutes_since("2026-06-10T09:30:00", NOW) == 90 and minutes_since(None, NOW) is None
    assert minutes_since(datetime(2026, 6, 10, 12), NOW) == 0


def test_status_panel_says_state_in_words_and_since_when():
    panel = status_panel(workcenter_states(WCS, ACTIVITY), UTC_ZONE, NOW)
    assert text_of(find_class(panel, "tv-summary")[0]) == "✓ 1 running ✕ 1 blocked – 2 idle"
    lathe = text_of(find_id(panel, "tv-status-2"))
    assert lathe == "✕ Blocked"
    card = text_of(find_class(panel, "tv-state-blocked")[0])
    assert "Breakdown" in card and "since 09:30 · 1 h 30" in card
    assert "since 09 Jun 22:00 · 13 h 00" in text_of(find_class(panel, "tv-state-idle")[0])
    assert "No work center" in text_of(status_panel([], UTC_ZONE, NOW))
    order = [c.className.split()[-1] for c in find_class(panel, "tv-grid")[0].children]
    assert order == sorted(order, key=["tv-state-blocked", "tv-state-running", "tv-state-idle"].index)  # blocked first


def test_output_panel_lists_products_and_work_centers_against_plan():
    output = {"products": [{"product_id": 1, "product": "Bracket", "planned": 150.0, "mos_due": 2, "mos_done": 1, "produced": 137.0}],
              "workcenters": [{"workcenter_id": 2, "produced": 98.0, "planned": 150.0, "planned_done": 100.0}]}
    panel = output_panel(WCS, output)
    rows = [text_of(r) for r in find_class(panel, "tv-table")[0].children[1].children]
    assert rows == ["Bracket 137 150 1 / 2"]
    assert [text_of(r) for r in find_class(panel, "tv-table")[1].children[1].children] == ["Lathe 98 150 100"]
    assert find_class(panel, "tv-bar")[0].title == "91% of plan"
    assert "Nothing produced" in text_of(output_panel(WCS, {"products": [], "workcenters": []}))


def _result(kpi, wc, value, status="ok", kind="workcenter"):
    return {"kpi": kpi, "scope_kind": kind, "scope_id": wc, "value": value, "status": status, "bucket": None}


def test_oee_panel_shows_the_shift_and_today():
    shift = {"results": [_result("oee", 1, 0.5, "critical"), _result("oee_availability", 1, 0.8)]}
    today = {"results": [_result("oee", 1, 0.9)]}
    panel = oee_panel(WCS[:2], shift, today, Catalogue(), "06:00–14:00")
    assert "This shift 06:00–14:00" in text_of(panel)
    assert text_of(find_id(panel, "tv-oee-1")) == "50.0 %"
    press = text_of(find_class(panel, "tv-cell")[0])
    assert "Critical" in press and "Today 90.0 %" in press and "A 80.0 %" in press
    assert "Today: no OEE yet" in text_of(find_class(panel, "tv-cell")[1])


def test_downtime_panel_lists_what_is_down_and_the_days_reasons():
    states = workcenter_states(WCS, ACTIVITY)
    pareto = [{"loss": "Breakdown", "loss_type": "availability", "minutes": 90.0},
              {"loss": "Setup", "loss_type": "availability", "minutes": 45.0},
              {"loss": "Slow", "loss_type": "performance", "minutes": 500.0}]   # not downtime
    panel = downtime_panel(states, pareto, UTC_ZONE, NOW)
    assert text_of(find_class(panel, "tv-down")[0]) == "✕ Lathe Breakdown 1 h 30 since 09:30"
    assert [text_of(r) for r in find_class(panel, "tv-pareto-row")] == ["Breakdown 1 h 30", "Setup 45 min"]
    assert find_class(panel, "tv-pareto-fill")[1].style == {"width": "50%"}
    quiet = downtime_panel(states[:1], [], UTC_ZONE, NOW)
    assert "No work center is down now" in text_of(quiet) and "No downtime closed today" in text_of(quiet)


def test_exceptions_panel_narrows_to_the_site():
    period = {"results": [_result("oee", 2, 0.5, "critical", "warehouse"), _result("oee", 3, 0.1, "critical", "warehouse"),
                          _result("schedule_adherence", 2, 0.85, "warning", "warehouse")]}
    today = {"results": [_result("schedule_adherence", 2, 1.0, kind="warehouse") | {"parts": {"on_time": 2, "total": 2}}]}
    late = late_summary([{"status": "late"}, {"status": "at_risk"}])
    panel = exceptions_panel(2, "Plzen", period, today, late, Catalogue(), 30)
    items = [text_of(li) for li in find_class(panel, "tv-exc")]
    assert items == ["✕ Critical OEE 50.0 % Below the critical threshold 60.0 %",
                     "! Warning Schedule adherence 85.0 % Below the warning threshold 90.0 %"]
    assert text_of(find_id(panel, "tv-adherence-today")) == "100.0 %"
    assert "2 of 2 MOs done by their deadline" in text_of(panel)
    assert text_of(find_id(panel, "tv-late")) == "1" and "Open past their deadline, or due today" in text_of(panel)
