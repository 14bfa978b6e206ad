from dashboard.kpi_tiles import kpi_tiles, owned_kpis
from dashboard.kpis.catalogue import Catalogue


def _texts(component):
    out = []
    children = getattr(component, "children", None)
    if isinstance(children, str):
        out.append(children)
    elif isinstance(children, (list, tuple)):
        for c in children:
            out.extend([c] if isinstance(c, str) else _texts(c))
    elif children is not None:
        out.extend(_texts(children))
    return out


def test_owned_kpis_per_role():
    cat = Catalogue()
    assert owned_kpis("quality", cat) == ["first_pass_yield", "nc_closure_days"]
    assert set(owned_kpis("supply_chain", cat)) == {"supplier_otif", "late_po_lines", "customer_otif", "late_so_lines",
                                                     "stockout_rate"}
    assert "overdue_receivables" in owned_kpis("executive", cat) and "oee" in owned_kpis("admin", cat)


def test_tiles_write_value_status_and_reason():
    cat = Catalogue()
    results = [
        {"kpi": "first_pass_yield", "scope_kind": "company", "scope_id": 1, "value": 0.9612, "status": "critical"},
        {"kpi": "nc_closure_days", "scope_kind": "company", "scope_id": 1, "value": None, "status": "unavailable",
         "reason": "quality module not installed"},
        {"kpi": "first_pass_yield", "scope_kind": "warehouse", "scope_id": 1, "value": 0.5, "status": "critical"},
    ]
    grid = kpi_tiles(["first_pass_yield", "nc_closure_days"], results, {1: "Nordwerk"}, cat, id_prefix="home-kpi")
    texts = _texts(grid)
    assert "96.1 %" in texts and "Critical" in texts and "50.0 %" not in texts
    assert "quality module not installed" in texts and "Unavailable" in texts


def test_no_company_means_an_empty_state():
    grid = kpi_tiles(["oee"], [], {}, Catalogue(), id_prefix="home-kpi")
    assert "No company" in _texts(grid)[0]
