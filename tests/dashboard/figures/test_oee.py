"""The OEE decomposition waterfall: losses that add up to OEE, in points that never read as zero."""
import plotly.graph_objects as go
import pytest

from dashboard.figures import oee


def oee_decomposition(*factors) -> go.Figure:
    """The builder's figure dict, read through ``go.Figure`` (plotly validates it)."""
    return go.Figure(oee.oee_decomposition(*factors))


def test_losses_add_up_to_oee():
    wf = oee_decomposition(0.8, 0.9, 0.95).data[0]
    # 1 - 0.2 - 0.8*0.1 - 0.72*0.05 = 0.684 = 0.8*0.9*0.95
    assert list(wf.y[:4]) == [1.0, pytest.approx(-0.2), pytest.approx(-0.08), pytest.approx(-0.036)]
    assert wf.y[4] == pytest.approx(0.684)
    assert list(wf.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(wf.text) == ["100.0 %", "−20.0 pt", "−8.0 pt", "−3.6 pt", "68.4 %"]


def test_the_first_bar_is_the_logged_time_and_a_small_loss_is_not_zero():
    wf = oee_decomposition(0.727, 0.838, 0.9995).data[0]
    assert wf.x[0] == "Logged time" and "All time" not in wf.x
    assert wf.text[3] == "−0.03 pt"  # 0.727 x 0.838 x 0.0005 = 0.03 pt: never "-0.0 pt"
    assert "−0.0 pt" not in wf.text and "-0.0 pt" not in wf.text
    assert wf.hovertext[3].startswith("Quality 100.0 %")  # 99.95 % rounds up; the bar still shows its loss


def test_a_perfect_quality_step_is_a_true_zero():
    assert oee_decomposition(0.8, 0.9, 1.0).data[0].text[3] == "0 pt"


def test_says_which_factor_is_missing():
    fig = oee_decomposition(0.8, None, 0.9)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No OEE: no data for performance in this period"
