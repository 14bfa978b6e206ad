"""The one table: dash-ag-grid with sorting, filtering, column pinning, row selection and CSV export.

Columns are declared with ``Column`` (kind ``text``, ``number``, ``link`` — a Markdown link — or
``status`` — the grade key in ``<field>_grade`` colours the cell). Rows are plain dicts whose ``id``
identifies the record (``getRowId``), so a selection survives sorting. No JavaScript function strings
(the CSP allows no eval): styling goes through CSS classes chosen in Python.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import dash_ag_grid as dag
from dash import Input, Output, clientside_callback, html

from dashboard.vocab import GRADES

__all__ = ["Column", "data_grid", "csv_export"]

_GRADE_KEYS = tuple(GRADES)  # every grade of the vocabulary, the plain measure's too


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = "text"  # text | number | link | status
    width: int | None = None
    pinned: bool = False
    tooltip: str | None = None


def _column_def(c: Column) -> dict:
    d = {"field": c.field, "headerName": c.header, "sortable": True, "resizable": True, "filter": True}
    # Widths are the least a column needs at 16 px type; the grid then shares out its whole width in
    # proportion (columnSize below), so a 4K screen's doubled type gets doubled columns, not "PLZ/…".
    d["width"] = d["minWidth"] = c.width or 180
    if c.pinned:
        d["pinned"] = "left"
    if c.tooltip:
        d["headerTooltip"] = c.tooltip
    if c.kind == "number":
        d.update(type="rightAligned", filter="agNumberColumnFilter")
    elif c.kind == "link":
        d["cellRenderer"] = "markdown"  # links open in the same tab (AG Grid's default)
    elif c.kind == "status":
        d["cellClassRules"] = {f"grade-cell-{k}": {"function": f"params.data.{c.field}_grade === '{k}'"}
                               for k in _GRADE_KEYS}
    return d


def data_grid(grid_id: str, columns: Sequence[Column], rows: Sequence[Mapping] = (), *, height: int | None = None,
              selectable: bool = False, csv_name: str | None = None, page_size: int | None = None,
              empty_message: str = "No rows.") -> html.Div:
    """A grid ``grid_id`` of ``rows``; ``csv_name`` adds an "Export CSV" button (wire it once per page with
    ``csv_export``); ``height`` None sizes the grid to its rows (short tables), else it scrolls inside."""
    options = {"localeText": {"noRowsToShow": empty_message}, "tooltipShowDelay": 300, "enableCellTextSelection": True,
               "ensureDomOrder": True}
    if selectable:
        options["rowSelection"] = {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True}
    if page_size:
        options.update(pagination=True, paginationPageSize=page_size, paginationPageSizeSelector=False)
    if height is None:
        options["domLayout"] = "autoHeight"
    grid = dag.AgGrid(
        id=grid_id, columnDefs=[_column_def(c) for c in columns], rowData=_with_string_ids(rows),
        defaultColDef={"wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions=options, getRowId="params.data.id", className="ag-theme-quartz data-grid",
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"} if height else {"height": None},
        csvExportParams={"fileName": f"{csv_name}.csv"} if csv_name else None,
    )
    tools = []
    if csv_name:
        tools.append(html.Button("Export CSV", id=f"{grid_id}-csv", n_clicks=0, className="btn btn-sm btn-outline-secondary"))
    return html.Div([html.Div(tools, className="grid-tools") if tools else None, grid], className="grid-wrap")


def _with_string_ids(rows: Sequence[Mapping]) -> list[dict]:
    """AG Grid wants row ids as strings (``getRowId``); the record's ``id`` is kept as text."""
    return [{**r, "id": str(r["id"])} if "id" in r else dict(r) for r in rows]


def csv_export(grid_id: str) -> None:
    """Wire the grid's "Export CSV" button (in the browser: no server round trip, no data leaves the page)."""
    clientside_callback("function (n) { return n > 0; }", Output(grid_id, "exportDataAsCsv"),
                        Input(f"{grid_id}-csv", "n_clicks"), prevent_initial_call=True)
