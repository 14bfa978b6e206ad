"""The shared builders, compared as component trees (no browser)."""

from dash import html

from dashboard.components import (
    Column,
    data_grid,
    kpi_tile,
    legend,
    page_header,
    problem_page,
    status_badge,
    tile_grid,
)
from dashboard.components.notices import not_found
from dashboard.kpis.catalogue import Catalogue
from dashboard.vocab import GRADES, legend_grades
from helpers.tree import texts as _texts


def _classes(component) -> list[str]:
    own = [getattr(component, "className", None) or ""]
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        return own + [c for ch in children for c in _classes(ch)]
    if children is not None and not isinstance(children, str):
        return own + _classes(children)
    return own


def test_kpi_tile_says_below_target_and_shows_thresholds():
    d = Catalogue()["oee"]
    card = kpi_tile(d, {"value": 0.827, "status": "ok"}, tile_id="t-oee")
    texts = _texts(card)
    assert "82.7 %" in texts
    assert "○ Below target, within tolerance" in texts
    assert "Target ≥ 85.0 % · warning < 75.0 % · critical < 60.0 %" in texts
    assert "kpi-tile grade-border-tolerance" in _classes(card)


def test_kpi_tile_amount_shows_currency_and_unavailable_shows_reason():
    cat = Catalogue()
    assert "579.7 k EUR" in _texts(kpi_tile(cat["overdue_receivables"], {"value": 579700.0, "status": "critical"},
                                            currency="EUR"))
    texts = _texts(kpi_tile(cat["nc_closure_days"], {"value": None, "status": "unavailable",
                                                     "reason": "quality app not installed"}))
    assert "n/a" in texts and "quality app not installed" in texts and "⊘ Unavailable" in texts


def test_status_badge_has_grade_class_not_bootstrap_colour():
    badge = status_badge(GRADES["critical"])
    assert badge.className == "badge status-badge grade-bg-critical"
    assert badge.children == "✕ Critical"


def test_tile_grid_is_responsive():
    row = tile_grid([html.Div("a"), html.Div("b")])
    assert [(c.xs, c.sm, c.lg, c.xl) for c in row.children] == [(12, 6, 4, 3)] * 2


def test_data_grid_columns_and_csv():
    grid = data_grid("plant-wos", [Column("name", "Name", pinned=True), Column("qty", "Qty", kind="number"),
                                   Column("state", "State", kind="status"), Column("mo", "MO", kind="link")],
                     [{"id": 1, "name": "x", "qty": 2, "state": "Late", "state_grade": "critical", "mo": "[MO](/x)"}],
                     csv_name="work-orders")
    tools, ag = grid.children
    assert tools.children[0].id == "plant-wos-csv"
    defs = {c["field"]: c for c in ag.columnDefs}
    assert defs["name"]["pinned"] == "left"
    assert defs["qty"]["type"] == "rightAligned"
    assert defs["mo"]["cellRenderer"] == "markdown"
    assert set(defs["state"]["cellClassRules"]) == {f"grade-cell-{k}" for k in GRADES}
    assert ag.csvExportParams == {"fileName": "work-orders.csv"}
    assert ag.getRowId == "params.data.id"


def test_page_header_holds_freshness_and_back_link():
    header = page_header("Plant", "30 days", fresh_id="plant-freshness", back=("/plant", "Plant", "plant-back"))
    texts = _texts(header)
    assert "Plant" in texts and "Loading data…" in texts and "← Plant" in texts


def test_problem_page_has_header_notice_and_way_back():
    page = problem_page("Plant", not_found("Site 99"), back=("/plant", "Plant"), notices=["Ignored site='abc'"])
    texts = _texts(page)
    assert "Plant" in texts and "Ignored site='abc'" in texts and "Site 99 does not exist or is outside your scope." in texts
    assert "← Plant" in texts


def test_legend_lists_every_grade_with_icon():
    texts = _texts(legend("▲▼ change"))
    assert all(g.word in texts and g.icon in texts for g in legend_grades()) and "▲▼ change" in texts
    assert GRADES["measure"].word not in texts  # a plain measure is not a status
