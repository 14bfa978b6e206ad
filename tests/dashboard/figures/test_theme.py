"""The shared figure theme: figures as plain dicts in plotly's own normal form, and the screen type scale every
page's figures follow on wall and 4K screens."""
import copy
import json

import plotly.graph_objects as go
import pytest

from dashboard.figures import empty_figure, for_screen, graph_style, heatmap, kpi_cell, kpi_trend, oee_decomposition, pareto, screen_scale
from dashboard.figures.theme import TEMPLATE, _default_template
from dashboard.kpis.catalogue import Catalogue

CAT = Catalogue()
BUILDERS = {
    "oee": lambda: oee_decomposition(0.9, 0.8, 0.99),
    "oee missing": lambda: oee_decomposition(0.9, None, 0.99),
    "pareto": lambda: pareto([("Breakdown", 5.0), ("Setup", 2.0)], unit="hours", value_label="Lost hours", top=8, height=320),
    "pareto titled": lambda: pareto([("Breakdown", 5.0)], unit="hours", value_label="Lost hours", title="Losses"),
    "trend": lambda: kpi_trend([{"bucket": "2026-11-02", "value": 0.8}, {"bucket": "2026-11-09", "value": None}], CAT["oee"]),
    "trend empty": lambda: kpi_trend([], CAT["oee"], title="", bucket="day", height=320, empty_message="none"),
    "heatmap": lambda: heatmap([(1, "STU")], [("oee", "OEE")], {(1, "oee"): kpi_cell(CAT["oee"], {"value": 0.5}, "STU")},
                               empty_message="none", links={1: "/plant?site=1"}),
    "empty": lambda: empty_figure("Loading…"),
}


def _json(fig) -> str:
    return json.dumps(fig, sort_keys=True, default=str)


@pytest.mark.parametrize("name", BUILDERS)
def test_every_figure_is_a_dict_plotly_accepts_and_would_not_change(name):
    fig = BUILDERS[name]()
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}
    # go.Figure validates every property (an unknown one raises) and normalises: nothing left to normalise
    assert _json(go.Figure(fig).to_plotly_json()) == _json(fig)
    assert fig["layout"]["template"]["layout"] == go.Figure().layout.template.to_plotly_json()["layout"]


def test_screen_scale_accepts_only_a_number_held_to_one_to_three():
    assert [screen_scale(v) for v in (2, 1.5, "2", True, None, 10, 0.5)] == [2, 1.5, 1, 1, 1, 3, 1]


@pytest.mark.parametrize("name", BUILDERS)
def test_for_screen_scales_type_height_and_margins_of_every_figure_kind(name):
    plain = go.Figure(BUILDERS[name]())
    original = BUILDERS[name]()
    before = copy.deepcopy(original)
    big = go.Figure(for_screen(original, 2))  # still a valid figure
    assert original == before  # a cached or shared figure is never scaled in place
    assert big.layout.height == 2 * (plain.layout.height or 450)
    assert big.layout.font.size == 2 * (plain.layout.font.size or 13)
    assert big.layout.margin.l == 2 * (plain.layout.margin.l if plain.layout.margin.l is not None else 10)
    assert big.layout.xaxis.tickfont.size == 2 * (plain.layout.xaxis.tickfont.size or 12)
    assert [a.font.size for a in big.layout.annotations] == [2 * (a.font.size or 12) for a in plain.layout.annotations]
    assert [t.textfont.size for t in big.data] == [2 * (t.textfont.size or 13) for t in plain.data]
    assert _default_template() == TEMPLATE  # the shared template is left alone


def test_for_screen_takes_a_plotly_figure_too_and_gives_the_same_dict():
    fig = oee_decomposition(0.9, 0.8, 0.99)
    assert _json(for_screen(go.Figure(fig), 1.5)) == _json(for_screen(fig, 1.5))


def test_for_screen_at_scale_one_leaves_the_figure_alone():
    fig = oee_decomposition(0.9, 0.8, 0.99)
    assert for_screen(fig, 1) == oee_decomposition(0.9, 0.8, 0.99)


def test_graph_style_holds_each_figure_at_its_own_height():
    fig = for_screen(pareto([("Breakdown", 5.0)], unit="hours", value_label="Lost hours", top=8, height=320), 2)
    assert graph_style(fig) == {"height": "640px"}
    assert graph_style(oee_decomposition(0.9, 0.8, 0.99), minWidth="300px")["minWidth"] == "300px"
