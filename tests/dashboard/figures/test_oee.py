"""Pure tests of the plant figures: values, colours and empty states, no app and no database."""
import math

import pytest

from dashboard.figures.oee import STATUS_CODES, cell_text, oee_decomposition, oee_trend, workcenter_day_heatmap

DAYS = ["2026-11-20", "2026-11-21"]
ROWS = [(6, "PLZ Hydraulic Press 2"), (7, "PLZ Die Casting Cell")]


def test_cell_text():
    assert cell_text(None, "ratio") == "no data"
    assert cell_text(0.714, "ratio") == "71 %"
    assert cell_text(3.04, "hours") == "3.0 h"
    assert cell_text(12.0, "hours") == "12.0 h"


def test_heatmap_status_mode_maps_cells_and_marks_missing_as_no_data():
    cells = [{"row_id": 6, "day": "2026-11-20", "value": 0.41, "status": "critical"},
             {"row_id": 6, "day": "2026-11-21", "value": 0.8, "status": "warning"},
             {"row_id": 7, "day": "2026-11-21", "value": None, "status": "no_data"}]
    fig = workcenter_day_heatmap(ROWS, DAYS, cells, unit="ratio", mode="status")
    hm = fig.data[0]
    assert list(hm.y) == ["PLZ Hydraulic Press 2", "PLZ Die Casting Cell"]
    assert list(hm.x) == ["11/20", "11/21"]
    assert list(hm.z[0]) == [STATUS_CODES["critical"], STATUS_CODES["warning"]]
    assert math.isnan(hm.z[1][0]) and math.isnan(hm.z[1][1])
    assert list(hm.text[0]) == ["41 %", "80 %"]
    assert list(hm.text[1]) == ["no data", "no data"]
    assert hm.customdata[1][0] == 7
    assert "(critical)" in hm.hovertext[0][0]


def test_heatmap_continuous_mode_uses_hours_and_a_colour_bar():
    cells = [{"row_id": 6, "day": "2026-11-20", "value": 7.5, "status": "ok"},
             {"row_id": 7, "day": "2026-11-20", "value": 0.0, "status": "ok"}]
    hm = workcenter_day_heatmap(ROWS, DAYS, cells, unit="hours", mode="continuous").data[0]
    assert hm.z[0][0] == 7.5 and hm.z[1][0] == 0.0
    assert math.isnan(hm.z[0][1])
    assert hm.zmax == 7.5 and hm.showscale
    assert list(hm.text[0]) == ["7.5 h", "no data"]


def test_heatmap_empty_and_bad_mode():
    fig = workcenter_day_heatmap([], DAYS, [], unit="ratio")
    assert "No work centers" in fig.layout.annotations[0].text
    with pytest.raises(ValueError):
        workcenter_day_heatmap(ROWS, DAYS, [], unit="ratio", mode="rainbow")


def test_oee_decomposition_losses_add_up_to_oee():
    fig = oee_decomposition(0.8, 0.9, 0.95)
    wf = fig.data[0]
    # 1 - 0.2 - 0.8*0.1 - 0.72*0.05 = 0.684 = 0.8*0.9*0.95
    assert wf.y[0] == 1.0
    assert wf.y[1] == pytest.approx(-0.2)
    assert wf.y[2] == pytest.approx(-0.08)
    assert wf.y[3] == pytest.approx(-0.036)
    assert wf.y[4] == pytest.approx(0.684)
    assert wf.text[4] == "68.4 %"
    assert list(wf.measure) == ["absolute", "relative", "relative", "relative", "total"]


def test_oee_decomposition_says_which_factor_is_missing():
    fig = oee_decomposition(0.8, None, 0.9)
    assert not fig.data
    assert "performance" in fig.layout.annotations[0].text


def test_oee_trend_keeps_gaps_and_draws_the_target():
    fig = oee_trend([{"bucket": "2026-11-21", "value": 0.5}, {"bucket": "2026-11-20", "value": None},
                     {"bucket": "2026-11-19", "value": 0.7}], target=0.85, amber=0.75)
    line = fig.data[0]
    assert list(line.x) == ["2026-11-19", "2026-11-20", "2026-11-21"]
    assert list(line.y) == [0.7, None, 0.5]
    assert [s.y0 for s in fig.layout.shapes] == [0.85, 0.75]


def test_oee_trend_empty():
    fig = oee_trend([{"bucket": "2026-11-20", "value": None}])
    assert not fig.data and "No OEE" in fig.layout.annotations[0].text


def test_heatmap_row_labels_become_escaped_links():
    fig = workcenter_day_heatmap([(6, "Press <2>"), (7, "Cell")], DAYS, [], unit="ratio",
                                 links={6: "/plant/workcenter/6?as_of=2026-11-21&days=28"})
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == '<a href="/plant/workcenter/6?as_of=2026-11-21&days=28" target="_self">Press &lt;2&gt;</a>'
    assert ticks[1] == "Cell"
    assert list(fig.layout.yaxis.tickvals) == ["Press <2>", "Cell"]
    evil = workcenter_day_heatmap([(6, "x")], DAYS, [], unit="ratio", links={6: '/a" onclick="x'})
    assert '"' not in evil.layout.yaxis.ticktext[0].split('href="')[1].split('" target')[0]
