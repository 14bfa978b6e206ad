"""The shared figure theme: the screen type scale every page's figures follow on wall and 4K screens."""
from dashboard.figures import for_screen, kpi_trend, oee_decomposition, pareto, screen_scale
from dashboard.kpis.catalogue import Catalogue


def test_screen_scale_accepts_only_a_number_held_to_one_to_three():
    assert [screen_scale(v) for v in (2, 1.5, "2", True, None, 10, 0.5)] == [2, 1.5, 1, 1, 1, 3, 1]


def test_for_screen_scales_type_height_and_margins_of_every_figure_kind():
    figures = [lambda: oee_decomposition(0.9, 0.8, 0.99),
               lambda: pareto([("Breakdown", 5.0), ("Setup", 2.0)], unit="hours", value_label="Lost hours", top=8, height=320),
               lambda: kpi_trend([], Catalogue()["oee"], title="", bucket="day", height=320, empty_message="none")]
    for build in figures:
        plain, big = build(), for_screen(build(), 2)
        assert big.layout.height == 2 * (plain.layout.height or 450)
        assert big.layout.font.size == 2 * (plain.layout.font.size or 13)
        assert big.layout.margin.l == 2 * (plain.layout.margin.l if plain.layout.margin.l is not None else 10)


def test_for_screen_at_scale_one_leaves_the_figure_alone():
    fig = oee_decomposition(0.9, 0.8, 0.99)
    assert for_screen(fig, 1).to_plotly_json() == oee_decomposition(0.9, 0.8, 0.99).to_plotly_json()
