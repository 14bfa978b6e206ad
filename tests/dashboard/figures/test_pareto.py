"""Pareto bars with cumulative share."""
import plotly.graph_objects as go
import pytest

from dashboard.figures.pareto import pareto as pareto_dict
from dashboard.figures.pareto import pareto_rows


def pareto(*args, **kwargs) -> go.Figure:
    """The builder's figure dict, read through ``go.Figure`` (plotly validates it)."""
    return go.Figure(pareto_dict(*args, **kwargs))


def test_rows_sorted_with_cumulative_share():
    rows = pareto_rows([("b", 30.0), ("a", 50.0), ("c", 20.0), ("zero", 0.0), ("none", None)])
    assert [(r[0], r[1]) for r in rows] == [("a", 50.0), ("b", 30.0), ("c", 20.0)]
    assert [r[2] for r in rows] == pytest.approx([0.5, 0.8, 1.0])


def test_tail_is_pooled_as_other():
    rows = pareto_rows([("a", 40.0), ("b", 30.0), ("c", 20.0), ("d", 10.0)], top=3)
    assert [(r[0], r[1]) for r in rows] == [("a", 40.0), ("b", 30.0), ("Other (2)", 30.0)]


def test_figure_has_bars_and_cumulative_line_on_second_axis():
    fig = pareto([("Breakdown", 12.5), ("Setup", 2.5)], unit="hours", value_label="Hours")
    bars, line = fig.data
    assert list(bars.x) == ["Breakdown", "Setup"] and list(bars.text) == ["12.5 h", "2.5 h"]
    assert list(line.y) == pytest.approx([12.5 / 15, 1.0]) and line.yaxis == "y2"
    assert fig.layout.yaxis2.tickformat == ".0%"


def test_empty_pareto():
    fig = pareto([], unit="hours", value_label="Hours", empty_message="No downtime logged in this period.")
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No downtime logged in this period."
