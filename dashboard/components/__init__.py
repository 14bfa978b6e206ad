"""Dash component builders shared by every page and TV panel (pure: data in, components out)."""
from dashboard.components.controls import (
    GRAPH_CONFIG,
    filter_field,
    graph,
    loading_graph,
    period_field,
    period_options,
    radio_group,
    site_field,
)
from dashboard.components.freshness import freshness, stale_badge
from dashboard.components.notices import empty_state, error_alert, not_found, not_permitted, notice, notices, signed_out
from dashboard.components.page import page_frame, page_header, problem_page
from dashboard.components.status import legend, status_badge, status_text
from dashboard.components.tables import Column, csv_export, data_grid
from dashboard.components.tiles import kpi_tile, tile, tile_grid

__all__ = ["empty_state", "error_alert", "not_found", "not_permitted", "notice", "notices", "signed_out",
           "freshness", "stale_badge", "page_header", "page_frame", "problem_page", "legend", "status_badge", "status_text", "Column", "csv_export",
           "data_grid", "kpi_tile", "tile", "tile_grid", "GRAPH_CONFIG", "graph", "loading_graph", "radio_group",
           "filter_field", "period_options", "period_field", "site_field"]
