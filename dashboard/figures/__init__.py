"""Pure figure builders: rows in, plotly figure dict out (no database, no Dash callbacks)."""
from dashboard.figures.heatmap import Cell, change_arrow, heatmap, kpi_cell
from dashboard.figures.oee import oee_decomposition
from dashboard.figures.pareto import pareto, pareto_rows
from dashboard.figures.theme import SCALE_STORE, empty_figure, for_screen, graph_style, screen_scale
from dashboard.figures.trend import kpi_trend, threshold_bands

__all__ = ["Cell", "heatmap", "kpi_cell", "change_arrow", "oee_decomposition", "kpi_trend", "threshold_bands", "pareto",
           "pareto_rows", "empty_figure", "SCALE_STORE", "screen_scale", "for_screen", "graph_style"]
