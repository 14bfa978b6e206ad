"""Executive page tables: the heat map's accessible twin, the exceptions list, the per-partner breakdown."""
from dash import dcc, html

from dashboard.executive_tables import breakdown_table, cell_table, detail_card, empty_why, exceptions_table
from dashboard.kpis.catalogue import Catalogue

CAT = Catalogue()


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def _by_id(component, cid):
    return next(c for c in _walk(component) if getattr(c, "id", None) == cid)


def test_cell_table_links_each_cell_to_its_drill_target_with_status_words():
    current = {(2, "downtime_hours"): {"value": 77.0, "status": "critical"},
               (2, "supplier_otif"): {"value": 0.8, "status": "warning"}}
    table = cell_table([(2, "PLZ")], ["downtime_hours", "supplier_otif"], current, {(2, "downtime_hours"): 60.0}, CAT,
                       as_of="2026-11-21", days=30, company_of={2: 1})
    downtime = _by_id(table, "executive-cell-2-downtime_hours")
    assert isinstance(downtime, dcc.Link)
    assert downtime.href == "/plant?site=2&metric=downtime&as_of=2026-11-21&days=30"
    assert downtime.children == "77.0 h ▲ worse · Critical"
    otif = _by_id(table, "executive-cell-2-supplier_otif")
    assert otif.href == "/executive?as_of=2026-11-21&days=30&company=1&site=2&kpi=supplier_otif"
    assert otif.children == "80.0 % · Warning"
    cells = [c for c in _walk(table) if isinstance(c, html.Td)]
    assert [c.className for c in cells] == ["status-critical executive-cell", "status-warning executive-cell"]


def test_company_cells_have_their_own_ids_and_no_data_by_default():
    table = cell_table([(1, "Main")], ["dio"], {}, {}, CAT, as_of="2026-11-21", days=7, kind="company")
    link = _by_id(table, "executive-company-cell-1-dio")
    assert link.href == "/executive?as_of=2026-11-21&days=7&company=1&kpi=dio"
    assert link.children == "– · No data"


def test_exceptions_table_rows_and_empty_state():
    rows = [{"kpi": "downtime_hours", "label": "Downtime", "scope_kind": "warehouse", "scope_id": 2, "entity": "PLZ",
             "value": 77.0, "unit": "hours", "status": "critical", "distance": 0.2833, "age_weeks": 3, "owner": "plant"}]
    table = exceptions_table(rows, as_of="2026-11-21", days=30, company_of={2: 1})
    texts = [c.children for c in _walk(table) if isinstance(c, html.Td) and isinstance(c.children, str)]
    assert texts == ["PLZ", "77.0 h", "28 % past red", "3 weeks", "plant"]
    link = next(c for c in _walk(table) if isinstance(c, dcc.Link))
    assert link.href == "/plant?site=2&metric=downtime&as_of=2026-11-21&days=30"
    small = exceptions_table([dict(rows[0], distance=0.005)], as_of="2026-11-21", days=30, company_of={2: 1})
    assert "0.5 % past red" in [c.children for c in _walk(small) if isinstance(c, html.Td)]
    no_history = exceptions_table(rows, as_of="2026-11-21", days=30, company_of={2: 1}, history=False)
    assert "–" in [c.children for c in _walk(no_history) if isinstance(c, html.Td)]
    empty = exceptions_table([], as_of="2026-11-21", days=30, company_of={})
    assert empty.id == "executive-exceptions-empty" and "No KPI is past" in empty.children


def test_breakdown_lists_worst_first():
    results = [{"scope_id": 20, "value": 0.95, "status": "ok"}, {"scope_id": 21, "value": 0.5, "status": "critical"},
               {"scope_id": 22, "value": 0.85, "status": "warning"}, {"scope_id": 23, "value": 0.7, "status": "critical"}]
    table = breakdown_table(results, {20: "A", 21: "B", 22: "C"}, CAT["supplier_otif"], entity="Vendor")
    names = [row.children[0].children for row in _walk(table) if isinstance(row, html.Tr)][1:]
    assert names == ["B", "#23", "C", "A"]
    assert "No vendor figures" in breakdown_table([], {}, CAT["supplier_otif"], entity="Vendor").children


def test_every_headline_kpi_has_an_empty_reason():
    from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS

    assert all(empty_why(k) != "No data in these weeks." for k in HEADLINE_SITE_KPIS + HEADLINE_COMPANY_KPIS)


def test_detail_card_states_definition_thresholds_and_links():
    card = detail_card(CAT["supplier_otif"], where="PLZ", result={"value": 0.771, "status": "critical"},
                       breakdown=None, trend=html.Div("trend"), close_href="/executive?site=2",
                       note="Breakdown limited to lines of this site.", plant_href=None)
    text = str(card)
    assert card.id == "executive-detail-card" and "status-critical" in card.className
    assert "Supplier OTIF · PLZ" in text and "77.1 %" in text and "< 90.0 %" in text and "< 80.0 %" in text
    assert "supply chain" in text and "No per-partner breakdown" in text
    assert _by_id(card, "executive-detail-close").href == "/executive?site=2"
    plant = detail_card(CAT["oee"], where="PLZ", result={}, breakdown=None, trend=None, close_href="/executive",
                        plant_href="/plant?site=2&metric=oee")
    assert any(isinstance(c, dcc.Link) and c.href == "/plant?site=2&metric=oee" for c in _walk(plant))
    assert "status-no_data" in plant.className
