"""KPI trend with target line and direction-aware threshold bands; long series drawn as bucket means."""
from dataclasses import replace
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from dashboard.figures.theme import band_colour
from dashboard.figures.trend import MAX_POINTS, downsample, kpi_trend, threshold_bands
from dashboard.kpis.catalogue import Catalogue
from dashboard.vocab import GRADES

CAT = Catalogue()


def test_bands_for_higher_is_better():
    # OEE: red < 0.60, amber < 0.75, target 0.85: between amber and target is only within tolerance.
    assert threshold_bands(CAT["oee"], 0.0, 1.0) == [("critical", 0.0, 0.60), ("warning", 0.60, 0.75),
                                                     ("tolerance", 0.75, 0.85), ("on_target", 0.85, 1.0)]


def test_bands_for_lower_is_better_and_clipped_to_range():
    # Downtime with target 0 h, amber > 24 h, red > 60 h; the range stops at 40 h so there is no critical band.
    downtime = replace(CAT["downtime_hours"], amber=24.0, red=60.0)
    assert threshold_bands(downtime, 0.0, 40.0) == [("tolerance", 0.0, 24.0), ("warning", 24.0, 40.0)]


def test_trend_sorts_points_colours_markers_and_draws_target():
    points = [{"bucket": "2026-11-09", "value": 0.55}, {"bucket": "2026-11-02", "value": 0.88},
              {"bucket": "2026-11-16", "value": None}]
    fig = go.Figure(kpi_trend(points, CAT["oee"]))  # the dict, validated by plotly
    line = fig.data[0]
    assert list(line.x) == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert list(line.y) == [0.88, 0.55, None]
    assert list(line.marker.color) == [GRADES["on_target"].strong, GRADES["critical"].strong, GRADES["no_data"].strong]
    assert list(line.customdata) == ["88.0 %", "55.0 %", "–"]
    fills = [s.fillcolor for s in fig.layout.shapes if s.fillcolor]
    assert fills == [band_colour(k) for k in ("critical", "warning", "tolerance", "on_target")]
    target = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert len(target) == 1 and target[0].y0 == 0.85
    assert fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.title.text == "OEE"


def test_trend_without_values_is_an_empty_state():
    fig = go.Figure(kpi_trend([{"bucket": "2026-11-02", "value": None}], CAT["supplier_otif"],
                              empty_message="No purchase lines planned in these weeks."))
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No purchase lines planned in these weeks."
    assert fig.layout.title.text == "Supplier OTIF"


def _days(n, value=lambda i: 0.5 + (i % 10) / 100):
    start = date(2025, 1, 1)
    return [{"bucket": (start + timedelta(days=i)).isoformat(), "value": value(i)} for i in range(n)]


def test_a_90_day_or_57_week_series_is_drawn_whole():
    for n in (90, 57, MAX_POINTS):
        assert len(kpi_trend(_days(n), CAT["oee"], bucket="day")["data"][0]["x"]) == n


def test_a_long_series_is_drawn_as_means_of_equal_runs_and_says_so():
    points = _days(1000, value=lambda i: None if 10 <= i < 15 else float(i))
    shown, run = downsample(points)
    assert run == 3 and len(shown) == 334 <= MAX_POINTS
    assert shown[0] == {"bucket": "2025-01-01", "value": 1.0}  # mean of 0, 1, 2 at the run's first day
    assert shown[3] == {"bucket": "2025-01-10", "value": 9.0}  # 9 and two days without a value
    assert shown[4]["value"] is None  # a run without values stays a gap
    assert shown[-1] == {"bucket": (date(2025, 1, 1) + timedelta(days=999)).isoformat(), "value": 999.0}
    line = go.Figure(kpi_trend(points, CAT["downtime_hours"], bucket="day")).data[0]
    assert len(line.x) == 334 and line.hovertemplate.startswith("Mean of 3 days from ")
    assert line.y[1] == pytest.approx(4.0)
