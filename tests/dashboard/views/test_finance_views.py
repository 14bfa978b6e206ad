"""The finance views (pure builders) and the finance / customer pages called on the server on the demo:
bad URL values are named, unknown or forbidden companies and customers are problem pages with a way back,
and a user scoped to one company gets only that company's block."""
from __future__ import annotations

import sys

import pytest

from dashboard import create_app
from dashboard.auth import page_access
from dashboard.components import kpi_tile
from dashboard.extensions import STATE_KEY
from dashboard.kpis.catalogue import Catalogue
from dashboard.settings import Settings
from dashboard.views.finance import (
    OTHERS,
    across_rows,
    age_label,
    aging_grid_rows,
    aging_rows,
    customer_href,
    margin_heatmap,
    overdue_partners,
    partner_results,
    pool_cells,
    pool_partners,
    unavailable_product_rows,
)
from data_access.demo.scenario import STORY

MAIN, DIST = STORY["company_main"], STORY["company_distribution"]
CAT = Catalogue()


def _cell(company, category, partner, revenue, cogs, name=None):
    return {"company_id": company, "category_id": category, "category_name": f"All / Cat {category}",
            "partner_id": partner, "partner_name": name or f"P{partner}", "revenue": revenue, "cogs": cogs}


def test_age_labels_follow_the_buckets():
    assert [age_label(d) for d in (None, -3, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "Not due", "Not due", "Not due", "1-30 days", "1-30 days", "31-60 days", "31-60 days", "61-90 days",
        "61-90 days", "90+ days"]


def test_margin_heatmap_pools_the_tail_and_keeps_every_record():
    definition = Catalogue().for_scope("gross_margin_pct", "company", 1, 30)
    cells = [_cell(1, 1, p, 100.0 * p, 50.0 * p) for p in range(1, 5)] + [_cell(1, 2, 1, 100.0, 99.0),
                                                                          _cell(1, None, None, 0.0, 10.0)]
    figure, rows, cols = margin_heatmap(cells, definition, "EUR", link=lambda p: f"/finance/customer/{p}", top=2)
    assert rows == [4, 3, OTHERS, 0]
    assert cols == [2, 1, 0]  # lowest margin first, no category last
    trace = figure["data"][0]
    assert trace["customdata"][0][0] == [4, "2"]
    texts = [t for row in trace["text"] for t in row]
    assert "50.0 %" in texts and "1.0 %" in texts and "no revenue" in texts
    hover = trace["hover" if "hover" in trace else "hovertext"][0][1]
    assert "Revenue <b>400 EUR</b> · COGS <b>200 EUR</b>" in hover
    assert pool_cells(cells)[1] == {"revenue": 1100.0, "cogs": 609.0, "margin_pct": pytest.approx(491 / 1100)}
    assert "Other customers (2)" in str(figure["layout"]["yaxis"]["ticktext"])


def test_aging_rows_worst_first_and_grid_links():
    rows = [{"company_id": 1, "partner_id": 5, "partner_name": "A", "days_overdue": 10, "residual": 50.0, "invoices": 1},
            {"company_id": 1, "partner_id": 6, "partner_name": "B", "days_overdue": 120, "residual": 5.0, "invoices": 2},
            {"company_id": 1, "partner_id": 6, "partner_name": "B", "days_overdue": 40, "residual": 7.0, "invoices": 1}]
    aged = aging_rows(rows)[1]
    assert [r["partner_id"] for r in aged] == [6, 5]
    assert (aged[0]["d90p"], aged[0]["d31_60"], aged[0]["total"], aged[0]["invoices"], aged[0]["oldest_days"]) == (
        5.0, 7.0, 12.0, 3, 120)
    grid = aging_grid_rows(aged, "USD", lambda p: customer_href(p, 30, "2026-06-30", company=1))
    assert grid[0]["customer"] == "[B](/finance/customer/6?company=1&days=30&as_of=2026-06-30)"
    assert grid[0]["d90p"] == "5 USD" and grid[0]["d1_30"] == ""


def test_a_customer_in_two_currencies_reads_unavailable_in_words():
    cells = [{**_cell(1, 1, 20, 800.0, 500.0, "Customer Co"), "currency": "EUR"},
             {**_cell(2, 1, 20, 200.0, 100.0, "Customer Co"), "currency": "EUR"},  # shares EUR: pools
             {**_cell(1, 1, 22, 800.0, 250.0, "Other"), "currency": "EUR"},
             {**_cell(3, 2, 22, 600.0, 77.0, "Other"), "currency": "USD"}]
    due = [{"company_id": 1, "currency": "EUR", "partner_id": 22, "partner_name": "Other", "residual": 100.0},
           {"company_id": 3, "currency": "USD", "partner_id": 22, "partner_name": "Other", "residual": 600.0}]
    margins, overdue = pool_partners(cells), overdue_partners(due)
    assert margins[20]["margin_pct"] == pytest.approx(0.4) and margins[20]["currency"] == "EUR"
    assert margins[22]["margin_pct"] is None and margins[22]["reason"] == "amounts in more than one company currency: EUR, USD"
    m_def, o_def = CAT.for_scope("gross_margin_pct", "partner", 22, 30), CAT.for_scope("overdue_receivables", "partner", 22, 30)
    rows = across_rows(margins, overdue, {1: "Main", 2: "Dist", 3: "USA"}, m_def, o_def, lambda p: f"/c/{p}")
    assert [r["id"] for r in rows] == ["22", "20"]  # the unavailable customer first
    assert rows[0]["margin"] == ("⊘ n/a · amounts in more than one company currency: EUR, USD "
                                 "(revenue 800 EUR · revenue 600 USD)") and rows[0]["margin_grade"] == "unavailable"
    assert rows[0]["overdue"].startswith("⊘ n/a · amounts in more than one company currency: EUR, USD")
    assert rows[0]["companies"] == "Main, USA" and rows[1]["margin"].startswith("40.0 %")
    got = partner_results(margins[22], overdue[22], m_def, o_def)
    assert got["margin"] == {"value": None, "status": "unavailable",
                             "reason": "amounts in more than one company currency: EUR, USD"}
    tile = kpi_tile(m_def, got["margin"], currency=got["margin_currency"], tile_id="t")
    assert "n/a" in str(tile) and "amounts in more than one company currency: EUR, USD" in str(tile)
    products = unavailable_product_rows(
        [{"kpi": "gross_margin_pct", "scope_kind": "product", "scope_id": 19, "status": "unavailable", "value": None,
          "reason": "amounts in more than one company currency: EUR, USD",
          "parts": {"by_currency": {"EUR": {"revenue": 1000.0, "cogs": 600.0}, "USD": {"revenue": 500.0, "cogs": 0.0}}}},
         {"kpi": "gross_margin_pct", "scope_kind": "product", "scope_id": 13, "status": "ok", "value": 0.3}],
        {19: {"name": "Wheel Speed Sensor", "code": "FG00019"}})
    assert products == [{"id": "19", "product": "[FG00019] Wheel Speed Sensor", "margin_grade": "unavailable",
                         "margin": "⊘ n/a · amounts in more than one company currency: EUR, USD (EUR: revenue "
                                   "1.0 k EUR, COGS 600 EUR; USD: revenue 500 USD, COGS 0 USD)"}]


# --- the pages on the demo ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("finance-pages")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("fin_dist", "pw-123456", "finance", company_ids=(DIST,), warehouse_ids=None)
    yield app
    store.dispose()


def _module(key: str):
    return next(m for m in list(sys.modules.values()) if getattr(getattr(m, "spec", None), "key", None) == key)


def _text(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _ids(component) -> list:
    if isinstance(component, (list, tuple)):
        return [i for c in component for i in _ids(c)]
    out = [component.id] if getattr(component, "id", None) is not None else []
    children = getattr(component, "children", None)
    return out + ([] if children is None or isinstance(children, str) else _ids(children))


@pytest.mark.parametrize("query,named", [({"company": "abc"}, "company='abc'"), ({"days": "-5"}, "days='-5'"),
                                         ({"as_of": "garbage"}, "as_of='garbage'")])
def test_a_bad_finance_url_value_is_named(app, as_user, query, named):
    as_user("finance")
    page = _module("finance").layout(**query)
    assert named in _text(page) and "problem-page" not in (page.className or "")


def test_a_forbidden_company_is_a_problem_page_and_a_forged_store_shows_nothing(app, as_user):
    as_user("fin_dist")
    finance = _module("finance")
    page = finance.layout(company=str(MAIN))
    assert "problem-page" in page.className and f"Company {MAIN} does not exist" in _text(page)
    access, _ = page_access("finance")
    forged = finance._body.__wrapped__({"company": MAIN, "days": 30}, 1.0, access=access)
    assert forged["blocks"] is None and f"Company {MAIN} does not exist" in _text(forged["message"])
    mine = finance._body.__wrapped__({"days": 30}, 1.0, access=access)
    ids = _ids(mine["blocks"])
    assert f"finance-company-{DIST}" in ids and f"finance-company-{MAIN}" not in ids
    assert set(mine["cells"]) == {str(DIST)}


def test_customer_page_problems_and_scope(app, as_user):
    as_user("fin_dist")
    customer = _module("customer")
    for bad in ("abc", "-1", "999999"):
        page = customer.layout(partner_id=bad)
        assert "problem-page" in page.className and "msg-not-found" in str(page)
    assert "problem-page" in customer.layout(partner_id="44", company=str(MAIN)).className
    access, _ = page_access("customer")
    forged = customer._body.__wrapped__({"partner": 44, "company": MAIN, "days": 90}, access=access)
    assert f"Company {MAIN} does not exist" in _text(forged["blocks"])
    # a customer of the main company only: nothing of it for a distribution-company user
    shown = customer._body.__wrapped__({"partner": 44, "days": 90}, access=access)
    assert f"customer-company-{MAIN}" not in _ids(shown["blocks"])


@pytest.mark.parametrize("days", [30, 90])
def test_on_the_demo_the_breakdowns_add_up_to_the_tiles(app, as_user, days):
    """The heat map's cells pool to each company's gross_margin_pct and the aging buckets sum to its
    overdue_receivables, for the page's period and the caller's scope (the tiles' own results)."""
    from dashboard import service, service_finance

    as_user("finance")
    access, _ = page_access("finance")
    as_of = service.today()
    results = service.kpi_results(access, as_of, days, kpis=("gross_margin_pct", "overdue_receivables"),
                                  scope_kinds=("company",))["results"]
    kpi = {(r["kpi"], r["scope_id"]): r["value"] for r in results}
    pooled = pool_cells(service_finance.margin_cells(access, as_of, days))
    aged = aging_rows(service_finance.overdue_by_due_date(access, as_of, days))
    for company in (MAIN, DIST):
        assert pooled[company]["margin_pct"] == pytest.approx(kpi[("gross_margin_pct", company)])
        buckets = sum(r[k] for r in aged[company] for k in ("d1_30", "d31_60", "d61_90", "d90p"))
        assert buckets == pytest.approx(kpi[("overdue_receivables", company)])
        assert any(r["d90p"] > 0 for r in aged[company])  # the demo's oldest receivables are in 90+


def test_on_the_demo_the_trends_last_point_is_the_tiles_dio(app, as_user):
    from dashboard import service, service_finance

    as_user("finance")
    access, _ = page_access("finance")
    as_of = service.today()
    results = service.kpi_results(access, as_of, 30, kpis=("dio", "inventory_turns"), scope_kinds=("company",))["results"]
    kpi = {(r["kpi"], r["scope_id"]): r["value"] for r in results}
    trend = service_finance.inventory_trend(access, as_of)
    for company in (MAIN, DIST):
        points = trend[company]
        assert len(points) == 13 and points[-1]["bucket"] == as_of.isoformat()
        assert points[-1]["dio"] == pytest.approx(kpi[("dio", company)])
        assert points[-1]["inventory_turns"] == pytest.approx(kpi[("inventory_turns", company)])
        assert all(p["inventory_value"] > 0 for p in points)


def test_on_the_demo_inventory_by_category_adds_up_to_the_tiles_dio(app, as_user):
    from dashboard import service, service_finance
    from dashboard.views.finance import stock_rows

    as_user("finance")
    access, _ = page_access("finance")
    as_of = service.today()
    results = service.kpi_results(access, as_of, 30, kpis=("dio",), scope_kinds=("company",))["results"]
    rows = service_finance.inventory_by_category(access, as_of)
    for company in (MAIN, DIST):
        mine = [r for r in rows if r["scope_id"] == company]
        average = sum(sum(r["inventory_values"]) for r in mine) / 13
        cogs = sum(r["cogs"] for r in mine)
        assert 365 * average / cogs == pytest.approx(next(r["value"] for r in results if r["scope_id"] == company))
        grid = stock_rows(mine, Catalogue().for_scope("dio", "company", company, 30), "EUR")
        assert len(grid) == len(mine) and all(g["value"].endswith(" EUR") for g in grid)


def test_on_the_demo_the_two_currency_customer_and_product_read_unavailable(app, as_user):
    """KPIS.md v2: the finance page's cross-company block names Cascadia Trucks (main company in EUR, the USD
    sales office) and the wheel speed sensor as n/a with the reason; the customer page's 'Every company'
    tiles say the same, and its per-company blocks keep their values."""
    why = "amounts in more than one company currency: EUR, USD"
    as_user("finance")
    access, _ = page_access("finance")
    body = _module("finance")._body.__wrapped__({"days": 30}, 1.0, access=access)
    across = next(c for c in body["blocks"] if getattr(c, "id", None) == "finance-across-block")
    grids = {g.id: g for g in _walk(across) if getattr(g, "id", None) in ("finance-across", "finance-products-unavailable")}
    customer = next(r for r in grids["finance-across"].rowData if r["id"] == str(STORY["two_currency_customer_id"]))
    assert "Cascadia Trucks Inc." in customer["customer"] and why in customer["margin"] and why in customer["overdue"]
    assert customer["margin_grade"] == customer["overdue_grade"] == "unavailable"
    product = grids["finance-products-unavailable"].rowData
    assert [r["product"].endswith("Wheel Speed Sensor") for r in product] == [True] and why in product[0]["margin"]
    as_user("finance")
    access, _ = page_access("customer")
    shown = _module("customer")._body.__wrapped__({"partner": STORY["two_currency_customer_id"], "days": 30}, access=access)
    ids = _ids(shown["blocks"])
    assert "customer-tile-margin-all" in ids and "customer-tile-overdue-all" in ids
    every = next(c for c in shown["blocks"] if getattr(c, "id", None) == "customer-company-all")
    assert _text(every).count("n/a") == 2 and _text(every).count(why) == 2
    main_block = next(c for c in shown["blocks"] if getattr(c, "id", None) == f"customer-company-{MAIN}")
    assert "n/a" not in _text(main_block)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for c in children:
            yield from _walk(c)
    elif children is not None and not isinstance(children, (str, int, float)):
        yield from _walk(children)
