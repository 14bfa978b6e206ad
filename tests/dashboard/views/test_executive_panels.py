"""Executive page panels (pure, no browser): status words true to the value everywhere, amounts with their
company's currency, change arrows, badges in the grade colour, drill links that keep the period, trends only
where a weekly series exists."""
from datetime import date

import plotly.graph_objects as go
from dash import html

from dashboard.kpis.catalogue import Catalogue
from dashboard.views.executive import View
from dashboard.views.executive_panels import (
    NO_TREND_NOTE,
    breakdown_grid,
    detail_card,
    detail_trend,
    exceptions_list,
    kpi_heatmap,
    trend_panels,
    twin_rows,
)

CAT = Catalogue()
VIEW = View(date(2026, 11, 21), 45)
SITES = [(1, "STU plant"), (2, "PLZ plant")]
CURRENT = {(1, "oee"): {"value": 0.80, "status": "ok"},  # below the 85 % target, above the 75 % warning
           (2, "oee"): {"value": 0.90, "status": "ok"},
           (2, "downtime_hours"): {"value": 120.0, "status": "critical"}}
PREVIOUS = {(1, "oee"): 0.70, (2, "oee"): 0.95}


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def test_heat_map_cells_say_the_status_true_to_the_value_with_arrows_and_currency():
    fig = go.Figure(kpi_heatmap(SITES, ("oee", "downtime_hours"), "warehouse", CURRENT, PREVIOUS, CAT, days=45,
                                currency_of={1: "EUR", 2: "EUR"}, empty_message="none"))
    trace = fig.data[0]
    hover = [list(row) for row in trace.hovertext]
    assert "Below target, within tolerance" in hover[0][0] and "OK" not in hover[0][0]
    assert "On target" in hover[1][0] and "Critical" in hover[1][1]
    assert trace.text[0][0].startswith("80.0 %") and "▲" in trace.text[0][0]  # rose from 70 %: better
    assert "▼" in trace.text[1][0]
    assert [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext] == ["OEE", "Downtime"]
    amounts = go.Figure(kpi_heatmap([(1, "Main")], ("overdue_receivables",), "company",
                          {(1, "overdue_receivables"): {"value": 579_700.0, "status": "critical"}}, {}, CAT, days=30,
                          currency_of={1: "EUR"}, empty_message="none"))
    assert amounts.data[0].text[0][0] == "579.7 k EUR"


def test_table_twin_rows_link_each_cell_to_its_drill_and_say_the_status_in_words():
    rows = twin_rows(VIEW, SITES, ("oee", "downtime_hours", "supplier_otif"), "warehouse", CURRENT, PREVIOUS, CAT,
                     currency_of={}, company_of={1: 1, 2: 1})
    by_id = {r["id"]: r for r in rows}
    stu = by_id["warehouse-1-oee"]
    assert stu["status"] == "○ Below target, within tolerance" and stu["status_grade"] == "tolerance"
    assert stu["kpi"] == "[OEE](/plant?site=1&metric=oee&days=45&as_of=2026-11-21)" and stu["change"] == "▲ better"
    assert by_id["warehouse-2-downtime_hours"]["status_grade"] == "critical"
    assert by_id["warehouse-2-supplier_otif"]["kpi"].endswith("(/supply?company=1&site=2&days=45&as_of=2026-11-21)")
    assert by_id["warehouse-2-supplier_otif"]["status"] == "– No data"


def _exception(kpi, kind, scope_id, value, status, entity):
    d = CAT.for_scope(kpi, kind, scope_id, 30)
    return {"kpi": kpi, "scope_kind": kind, "scope_id": scope_id, "entity": entity, "value": value, "status": status,
            "distance": 0.5, "age_weeks": 3, "definition": d}


def test_exceptions_wear_status_badges_and_amounts_their_currency():
    rows = [_exception("overdue_receivables", "company", 2, 579_700.0, "critical", "Distribution"),
            _exception("downtime_hours", "warehouse", 5, 60.0, "warning", "DC North")]
    listed = exceptions_list(rows, VIEW, company_of={5: 2}, currency_of={2: "USD"})
    parts = list(_walk(listed))
    badges = [p for p in parts if "status-badge" in (getattr(p, "className", "") or "")]
    assert [b.className for b in badges] == ["badge status-badge grade-bg-critical", "badge status-badge grade-bg-warning"]
    assert [b.children for b in badges] == ["✕ Critical", "! Warning"]
    text = str(listed)
    assert "579.7 k USD" in text and "50 % past critical" in text and "3 weeks in breach" in text
    assert "/plant?site=5&metric=downtime&days=45&as_of=2026-11-21" in text
    assert "OK" not in text
    assert "No KPI is past its warning threshold" in str(exceptions_list([], VIEW, company_of={}, currency_of={}))


def test_breakdown_grid_rows_worst_first_with_words():
    d = CAT.for_scope("supplier_otif", "warehouse", 2, 30)
    grid = breakdown_grid([{"scope_id": 7, "value": 0.92, "status": "ok"}, {"scope_id": 8, "value": 0.5, "status": "critical"}],
                          {7: "Acme", 8: "Bolt"}, d, entity="Vendor")
    ag = next(p for p in _walk(grid) if getattr(p, "id", None) == "executive-breakdown")
    assert [(r["partner"], r["status"], r["status_grade"]) for r in ag.rowData] == [
        ("Bolt", "✕ Critical", "critical"), ("Acme", "○ Below target, within tolerance", "tolerance")]


def test_breakdown_grid_says_why_a_customer_is_unavailable():
    d = CAT.for_scope("gross_margin_pct", "partner", None, 30)
    why = "amounts in more than one company currency: EUR, USD"
    grid = breakdown_grid([{"scope_id": 53, "value": None, "status": "unavailable", "reason": why},
                           {"scope_id": 44, "value": 0.31, "status": "ok"}], {53: "Cascadia", 44: "BFW"}, d, entity="Customer")
    ag = next(p for p in _walk(grid) if getattr(p, "id", None) == "executive-breakdown")
    assert [(r["partner"], r["value"], r["status"]) for r in ag.rowData][1] == ("Cascadia", "n/a", f"⊘ Unavailable: {why}")


def test_detail_card_shows_the_value_with_currency_and_the_status_phrase():
    d = CAT.for_scope("overdue_receivables", "company", 1, 30)
    card = detail_card(d, where="Main", period="30 days ending 2026-11-21",
                       result={"value": 579_700.0, "status": "critical"}, currency="EUR", breakdown=None,
                       trend=detail_trend("overdue_receivables", [], d), close_href="/executive")
    value = next(p for p in _walk(card) if getattr(p, "id", None) == "executive-detail-value")
    assert value.children == "579.7 k EUR"
    text = str(card)
    assert "✕ Critical" in text and "A snapshot of now: no weekly trend." in text and "critical > 200.0 k EUR" in text


def test_trends_leave_out_kpis_without_a_weekly_series_and_say_why_once():
    weekly = [{"kpi": kpi, "scope_kind": "company", "scope_id": 1, "bucket": "2026-11-16", "value": 1.0, "status": "ok"}
              for kpi in ("oee", "inventory_turns", "dio", "gross_margin_pct")]
    weekly.append({"kpi": "supplier_otif", "scope_kind": "company", "scope_id": 1, "bucket": "2026-11-16", "value": None,
                   "status": "no_data"})
    charts, note = trend_panels(weekly, CAT, site=None, company=1)
    ids = [col.children.id for col in charts]
    assert ids == ["executive-trend-oee", "executive-trend-gross_margin_pct"]
    assert note.startswith(NO_TREND_NOTE) and "Supplier OTIF" in note
    assert isinstance(detail_trend("dio", [], CAT["dio"]), html.Div)


def test_figures_follow_the_screen_type_scale():
    fig = go.Figure(kpi_heatmap(SITES, ("oee",), "warehouse", CURRENT, {}, CAT, days=30, currency_of={}, empty_message="none",
                                scale=2))
    plain = go.Figure(kpi_heatmap(SITES, ("oee",), "warehouse", CURRENT, {}, CAT, days=30, currency_of={},
                                  empty_message="none"))
    assert fig.data[0].textfont.size == 2 * plain.data[0].textfont.size
    assert fig.layout.height == 2 * plain.layout.height
    assert fig.layout.xaxis.tickfont.size == 2 * plain.layout.xaxis.tickfont.size
