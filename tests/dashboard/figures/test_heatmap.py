"""The one heat map and its KPI cells: grade colours, blank no-data cells, click data, escaped links. The
builder returns a figure dict; ``_fig`` reads it through ``go.Figure`` (plotly validates it)."""
import plotly.graph_objects as go

from dashboard.figures.heatmap import Cell, change_arrow, kpi_cell, wrap_label
from dashboard.figures.heatmap import heatmap as heatmap_dict
from dashboard.kpis.catalogue import Catalogue
from dashboard.vocab import GRADES

CAT = Catalogue()
ROWS = [(1, "STU plant"), (2, "PLZ <plant>")]
COLUMNS = [("oee", "OEE"), ("downtime_hours", "Downtime")]
KEYS = list(GRADES)


def _cells():
    return {
        (1, "oee"): kpi_cell(CAT["oee"], {"value": 0.86, "status": "ok"}, "STU plant"),
        (2, "oee"): kpi_cell(CAT["oee"], {"value": 0.50, "status": "critical"}, "PLZ plant"),
        (1, "downtime_hours"): kpi_cell(CAT["downtime_hours"], {"value": 30.0, "status": "warning"}, "STU plant"),
        # (2, downtime_hours) missing: no data
    }


def heatmap(*args, **kwargs) -> go.Figure:
    return go.Figure(heatmap_dict(*args, **kwargs))


def _colour(trace, z: float) -> str:
    """The fill a z value gets from the trace's step colour scale."""
    where = (z - trace.zmin) / (trace.zmax - trace.zmin)
    stops = list(trace.colorscale)
    return next(colour for (lo, colour), (hi, _) in zip(stops, stops[1:], strict=False) if lo <= where <= hi)


def test_cells_are_filled_with_their_grade_colour():
    trace = heatmap(ROWS, COLUMNS, _cells(), empty_message="none").data[0]
    grades = [["on_target", "warning"], ["critical", "no_data"]]
    for r, row in enumerate(grades):
        for c, key in enumerate(row):
            assert trace.z[r][c] == KEYS.index(key) + 0.5
            assert _colour(trace, trace.z[r][c]) == GRADES[key].fill
    assert trace.showscale is False


def test_values_in_their_unit_and_no_data_blank():
    trace = heatmap(ROWS, COLUMNS, _cells(), empty_message="none").data[0]
    assert [list(r) for r in trace.text] == [["86.0 %", "30.0 h"], ["50.0 %", ""]]
    assert kpi_cell(CAT["oee"], {"value": None, "status": "no_data"}, "x").text == ""
    assert kpi_cell(CAT["oee"], None, "x") == Cell("", "no_data", kpi_cell(CAT["oee"], None, "x").hover)


def test_customdata_names_the_row_and_column_of_each_cell():
    trace = heatmap(ROWS, COLUMNS, _cells(), empty_message="none").data[0]
    assert [list(map(list, r)) for r in trace.customdata] == [[[1, "oee"], [1, "downtime_hours"]],
                                                             [[2, "oee"], [2, "downtime_hours"]]]


def test_hover_says_the_status_in_words_with_the_thresholds_used():
    hover = kpi_cell(CAT["oee"], {"value": 0.80, "status": "ok"}, "PLZ plant").hover
    assert "<b>80.0 %</b> · ○ Below target, within tolerance" in hover  # the engine's "ok" is not "on target"
    assert "Target ≥ 85.0 % · warning < 75.0 % · critical < 60.0 %" in hover
    day = CAT.for_scope("downtime_hours", "workcenter", 6, 1)
    assert CAT["downtime_hours"].red != day.red  # scaled to one day
    assert f"critical > {day.red:.1f} h" in kpi_cell(day, {"value": 9.0, "status": "critical"}, "Press").hover
    missing = heatmap(ROWS, COLUMNS, {}, empty_message="none").data[0].hovertext[1][1]
    assert "PLZ &lt;plant&gt;" in missing and "No data" in missing


def test_unavailable_cells_say_why():
    cell = kpi_cell(CAT["gross_margin_pct"], {"value": None, "status": "unavailable", "reason": "app <missing>"}, "Acme")
    assert cell.text == "n/a" and cell.grade == "unavailable" and "Why: app &lt;missing&gt;" in cell.hover


def test_change_arrows_are_direction_aware():
    assert change_arrow(CAT["downtime_hours"], 10.0, 20.0) == ("▼", "better")
    assert change_arrow(CAT["downtime_hours"], 20.0, 10.0) == ("▲", "worse")
    assert change_arrow(CAT["oee"], 0.5, None) == ("", None)
    assert kpi_cell(CAT["oee"], {"value": 0.8, "status": "ok"}, "x", previous=0.7, compare=True).text == \
        "80.0 % <span style='color:#1b5e20'>▲</span>"


def test_row_labels_become_escaped_links():
    fig = heatmap(ROWS, COLUMNS, {}, empty_message="none", links={2: "/plant/workcenter/2?as_of=2026-11-21&days=28"})
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == "STU plant"
    assert ticks[1] == '<a href="/plant/workcenter/2?as_of=2026-11-21&days=28" target="_self">PLZ &lt;plant&gt;</a>'
    evil = heatmap(ROWS[:1], COLUMNS, {}, empty_message="none", links={1: '/a" onclick="x<b>'})
    href = evil.layout.yaxis.ticktext[0].split('href="')[1].split('" target')[0]
    assert '"' not in href and "<" not in href and ">" not in href


def test_empty_input_gives_an_empty_state_figure():
    fig = heatmap([], COLUMNS, {}, empty_message="No sites in your scope.")
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No sites in your scope."


def test_long_column_labels_wrap_onto_two_lines():
    assert wrap_label("OEE") == "OEE"
    assert wrap_label("Schedule adherence") == "Schedule<br>adherence"
