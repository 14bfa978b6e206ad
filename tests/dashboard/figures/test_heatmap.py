"""Status and entity x day heat maps from small literal inputs."""
from dashboard.figures.heatmap import (CELL_FILLS, STATUS_Z, change_arrow, entity_day_heatmap, status_heatmap,
                                       wrap_label)
from dashboard.kpis.catalogue import Catalogue

CAT = Catalogue()
ROWS = [(1, "STU plant"), (2, "PLZ plant")]
KPIS = ["oee", "downtime_hours"]


def _fig():
    current = {
        (1, "oee"): {"value": 0.80, "status": "ok"},
        (2, "oee"): {"value": 0.50, "status": "critical"},
        (1, "downtime_hours"): {"value": 30.0, "status": "warning"},
        # (2, downtime_hours) missing: no data
    }
    previous = {(1, "oee"): 0.70, (2, "oee"): 0.55, (1, "downtime_hours"): 30.0}
    return status_heatmap(ROWS, KPIS, current, previous, CAT)


def test_cells_are_coloured_by_status_with_value_text_and_arrows():
    trace = _fig().data[0]
    assert [list(r) for r in trace.z] == [[STATUS_Z["ok"], STATUS_Z["warning"]],
                                          [STATUS_Z["critical"], STATUS_Z["no_data"]]]
    # OEE rose 70 % -> 80 %: better (green up arrow); fell 55 % -> 50 %: worse (red down arrow).
    assert trace.text[0][0] == "80.0 % <span style='color:#1b5e20'>▲</span>"
    assert trace.text[1][0] == "50.0 % <span style='color:#b71c1c'>▼</span>"
    assert trace.text[0][1] == "30.0 h"  # unchanged: no arrow
    assert trace.text[1][1] == "–"
    assert [list(map(list, r)) for r in trace.customdata] == [[[1, "oee"], [1, "downtime_hours"]],
                                                             [[2, "oee"], [2, "downtime_hours"]]]


def test_colour_scale_maps_each_status_to_its_fill():
    trace = _fig().data[0]
    assert trace.zmin == 0 and trace.zmax == len(CELL_FILLS) - 1
    stops = {round(p * (len(CELL_FILLS) - 1)): c for p, c in trace.colorscale}
    assert stops[STATUS_Z["critical"]] == CELL_FILLS["critical"] == "#ef9a9a"
    assert stops[STATUS_Z["ok"]] == CELL_FILLS["ok"]


def test_axes_carry_labels_and_hover_explains_the_cell():
    fig = _fig()
    assert list(fig.layout.xaxis.ticktext) == ["OEE", "Downtime"]
    assert list(fig.layout.yaxis.ticktext) == ["STU plant", "PLZ plant"]
    hover = fig.data[0].hovertext[1][0]
    assert "PLZ plant" in hover and "Critical" in hover and "previous 55.0 % (worse)" in hover
    assert "Target 85.0 % · amber < 75.0 % · red < 60.0 %" in hover
    assert "Owner: plant" in hover and "Availability x performance x quality" in hover


def test_unavailable_cells_say_why():
    fig = status_heatmap([(1, "Acme")], ["gross_margin_pct"],
                         {(1, "gross_margin_pct"): {"value": None, "status": "unavailable", "reason": "app missing"}},
                         {}, CAT, row_kind="company")
    assert fig.data[0].text[0][0] == "n/a"
    assert fig.data[0].z[0][0] == STATUS_Z["unavailable"]
    assert "Why: app missing" in fig.data[0].hovertext[0][0]


def test_empty_input_gives_an_empty_state_figure():
    fig = status_heatmap([], KPIS, {}, {}, CAT, empty_message="No sites in your scope.")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No sites in your scope."


def test_change_arrow_is_direction_aware():
    assert change_arrow(CAT["downtime_hours"], 10.0, 20.0) == ("▼", "better")
    assert change_arrow(CAT["downtime_hours"], 20.0, 10.0) == ("▲", "worse")
    assert change_arrow(CAT["oee"], 0.5, None) == ("", None)
    assert change_arrow(CAT["oee"], 0.5, 0.5) == ("", None)


def test_entity_day_matrix_pivots_rows_and_orders_days():
    rows = [
        {"id": 6, "name": "Press 2", "day": "2026-11-02", "value": 0.4},
        {"id": 6, "name": "Press 2", "day": "2026-11-01", "value": 0.9},
        {"id": 4, "name": "Lathe", "day": "2026-11-02", "value": None},
    ]
    fig = entity_day_heatmap(rows, unit="ratio", label="OEE", direction="higher", zmin=0, zmax=1)
    trace = fig.data[0]
    assert list(trace.x) == ["2026-11-01", "2026-11-02"]
    assert list(fig.layout.yaxis.ticktext) == ["Press 2", "Lathe"]
    assert [list(r) for r in trace.z] == [[0.9, 0.4], [None, None]]
    assert [list(r) for r in trace.text] == [["90.0 %", "40.0 %"], ["", ""]]
    assert list(trace.customdata[0][1]) == [6, "2026-11-02"]
    assert trace.colorscale[0][1] == "#c62828" and trace.colorscale[-1][1] == "#2e7d32"


def test_entity_day_matrix_lower_is_better_reverses_colours():
    rows = [{"id": 1, "name": "A", "day": "2026-11-01", "value": 2.0}]
    trace = entity_day_heatmap(rows, unit="hours", label="Downtime", direction="lower").data[0]
    assert trace.colorscale[0][1] == "#2e7d32" and trace.colorscale[-1][1] == "#c62828"


def test_entity_day_matrix_empty():
    fig = entity_day_heatmap([], unit="ratio", label="OEE", empty_message="No work orders finished in this period.")
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No work orders finished in this period."


def test_thresholds_in_hover_are_those_for_the_period_length():
    from dataclasses import replace

    class Scaled:  # a catalogue whose downtime thresholds are per 30 days, like the real one
        def __getitem__(self, kpi):
            return CAT[kpi]

        def for_scope(self, kpi, kind, scope_id, days):
            return replace(CAT[kpi], target=0.0, amber=30.0 * days / 30, red=60.0 * days / 30)

    fig = status_heatmap([(1, "STU")], ["downtime_hours"], {(1, "downtime_hours"): {"value": 20.0, "status": "warning"}},
                         {}, Scaled(), days=15)
    assert "Target 0.0 h · amber > 15.0 h · red > 30.0 h" in fig.data[0].hovertext[0][0]


def test_long_column_labels_wrap_onto_two_lines():
    assert wrap_label("OEE") == "OEE"
    assert wrap_label("Schedule adherence") == "Schedule<br>adherence"
    assert wrap_label("Days inventory outstanding") == "Days inventory<br>outstanding"
    fig = status_heatmap([(1, "STU")], ["schedule_adherence"], {}, {}, CAT)
    assert list(fig.layout.xaxis.ticktext) == ["Schedule<br>adherence"] and fig.layout.xaxis.tickangle == 0
