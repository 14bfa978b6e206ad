"""Pure figure builders: rows in, plotly figure out (no database, no Dash callbacks)."""
from dashboard.figures.heatmap import change_arrow, entity_day_heatmap, status_heatmap
from dashboard.figures.pareto import pareto, pareto_rows
from dashboard.figures.theme import STATUS_COLOURS, empty_figure
from dashboard.figures.trend import kpi_trend, threshold_bands

__all__ = ["status_heatmap", "change_arrow", "entity_day_heatmap", "kpi_trend", "threshold_bands", "pareto",
           "pareto_rows", "STATUS_COLOURS", "empty_figure"]
