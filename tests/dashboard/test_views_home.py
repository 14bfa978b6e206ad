"""Home's pure builders (dashboard.views.home), compared as component trees and figures: no browser."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dashboard.kpis.catalogue import Catalogue
from dashboard.views.home import company_tiles, health_line, home_kpis, kpi_heading, page_cards, site_heatmap, site_kpis
from helpers.tree import texts as _texts

CAT = Catalogue()
ONE = {1: {"name": "Nordwerk", "currency": "EUR"}}



def _ids(component) -> list[str]:
    own = [component.id] if isinstance(getattr(component, "id", None), str) else []
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        return own + [i for c in children for i in _ids(c)]
    return own + (_ids(children) if children is not None and not isinstance(children, str) else [])


def _company(kpi, value, status, cid=1, **extra):
    return {"kpi": kpi, "scope_kind": "company", "scope_id": cid, "value": value, "status": status, **extra}


def test_each_role_watches_the_kpis_it_owns_and_executives_the_overview():
    assert home_kpis("quality", CAT) == ["first_pass_yield", "nc_closure_days"]
    assert home_kpis("supply_chain", CAT) == ["supplier_otif", "late_po_lines", "customer_otif", "late_so_lines",
                                              "stockout_rate"]
    assert home_kpis("finance", CAT) == ["inventory_turns", "dio", "gross_margin_pct", "overdue_receivables"]
    assert home_kpis("executive", CAT) == home_kpis("admin", CAT)
    assert {"oee", "overdue_receivables"} <= set(home_kpis("executive", CAT))
    assert site_kpis(home_kpis("finance", CAT), CAT) == []
    assert site_kpis(home_kpis("quality", CAT), CAT) == ["first_pass_yield"]


def test_heading_names_the_roles_kpis():
    assert kpi_heading("quality", home_kpis("quality", CAT), CAT, 30) == \
        "Quality KPIs, last 30 days: First pass yield, NC closure time."


def test_values_below_target_but_inside_tolerance_are_not_called_on_target():
    """The defect: 82.7 % OEE against 85 %, 97.4 % FPY against 98 %, 89.7 % availability against 90 % all
    read "On target" on home."""
    results = [_company("oee", 0.827, "ok"), _company("first_pass_yield", 0.974, "ok"),
               _company("oee_availability", 0.897, "ok"), _company("schedule_adherence", 0.96, "ok")]
    grid = company_tiles(["oee", "first_pass_yield", "oee_availability", "schedule_adherence"], results, ONE, CAT, 30,
                         id_prefix="home-kpi")
    texts = _texts(grid)
    assert texts.count("○ Below target, within tolerance") == 3
    assert texts.count("✓ On target") == 1  # schedule adherence 96 % >= 95 %
    for shown in ("82.7 %", "97.4 %", "89.7 %", "96.0 %"):
        assert shown in texts
    assert "Target ≥ 98.0 % · warning < 97.0 % · critical < 95.0 %" in texts
    assert {"home-kpi-oee-1", "home-kpi-first_pass_yield-1", "home-kpi-oee_availability-1"} <= set(_ids(grid))


def test_amounts_carry_the_company_currency():
    companies = {1: {"name": "Nordwerk", "currency": "EUR"}, 2: {"name": "Südhandel", "currency": "CHF"}}
    results = [_company("overdue_receivables", 579_700.0, "critical"),
               _company("overdue_receivables", 12_000.0, "ok", cid=2)]
    texts = _texts(company_tiles(["overdue_receivables"], results, companies, CAT, 30, id_prefix="home-kpi"))
    assert "579.7 k EUR" in texts and "12.0 k CHF" in texts
    assert "Target ≤ 0 EUR · warning > 50.0 k EUR · critical > 200.0 k EUR" in texts
    assert "Nordwerk" in texts and "Südhandel" in texts  # several companies: one heading each


def test_unavailable_kpis_say_why_and_other_scopes_are_ignored():
    results = [_company("first_pass_yield", 0.9612, "critical"),
               _company("nc_closure_days", None, "unavailable", reason="quality module not installed"),
               {"kpi": "first_pass_yield", "scope_kind": "warehouse", "scope_id": 1, "value": 0.5, "status": "critical"}]
    texts = _texts(company_tiles(["first_pass_yield", "nc_closure_days"], results, ONE, CAT, 30, id_prefix="home-kpi"))
    assert "96.1 %" in texts and "✕ Critical" in texts and "50.0 %" not in texts
    assert "quality module not installed" in texts and "⊘ Unavailable" in texts and "n/a" in texts
    assert "Nordwerk" not in texts  # one company: no heading


def test_no_company_is_an_empty_state():
    assert _texts(company_tiles(["oee"], [], {}, CAT, 30, id_prefix="home-kpi")) == ["No company in your scope has data yet."]


def test_site_heat_map_is_sites_by_kpis_graded_against_site_thresholds():
    sites = {7: {"name": "Werk Süd", "company_id": 1}, 3: {"name": "Lager Nord", "company_id": 1}}
    results = [{"kpi": "supplier_otif", "scope_kind": "warehouse", "scope_id": 7, "value": 0.93, "status": "ok"},
               {"kpi": "late_po_lines", "scope_kind": "warehouse", "scope_id": 7, "value": 25, "status": "critical"},
               {"kpi": "supplier_otif", "scope_kind": "company", "scope_id": 1, "value": 0.2, "status": "critical"}]
    fig = site_heatmap(["supplier_otif", "late_po_lines"], results, sites, ONE, CAT, 30)
    trace = fig.data[0]
    assert list(fig.layout.yaxis.ticktext) == ["Lager Nord", "Werk Süd"]  # by name
    assert [list(r) for r in trace.text] == [["", ""], ["93.0 %", "25"]]
    assert "Below target, within tolerance" in trace.hovertext[1][0] and "Critical" in trace.hovertext[1][1]
    assert list(fig.layout.xaxis.ticktext) == ["Supplier<br>OTIF", "Late PO<br>lines"]


def test_page_cards_only_when_there_is_a_page_to_open():
    assert page_cards([], id_prefix="home-open") is None
    cards = page_cards([{"name": "Plant", "description": "Work centers by day.", "relative_path": "/plant",
                         "page_key": "plant"}], id_prefix="home-open")
    assert "home-open-plant" in _ids(cards) and "Work centers by day." in _texts(cards)


def test_health_line_is_short_and_shows_the_replicas_age_in_the_users_scope():
    health = {"odoo_series": "17.0", "edition": "Community", "standby": True, "lag_seconds": 4.2,
              "apps": [{"name": "mrp", "installed": True}, {"name": "quality", "installed": False}],
              "newest_writes": {"sales": "2026-11-30 17:55"}, "newest_write": "2026-11-30T17:55:00+00:00"}
    now = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    text = "".join(_texts(health_line(health, ZoneInfo("Europe/Berlin"), now=now)))
    assert text == "Data: Odoo 17.0 Community · 1 of 2 apps installed · newest Odoo write in your scope 18:55 · replica lag 4 s"
    quiet = {**health, "standby": False, "newest_write": None, "write_window_days": 30}
    assert "".join(_texts(health_line(quiet, now=now))).endswith("no Odoo write in your scope for 30 days")


def test_health_line_says_when_its_own_figures_are_stale():
    health = {"odoo_series": "17.0", "edition": "Community", "standby": False, "apps": [],
              "newest_write": "2026-11-30T17:55:00+00:00", "stale_since": "2026-11-30T17:58:00+00:00", "refresh_failed": True}
    line = health_line(health, now=datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    assert "Stale since 17:58" in "".join(_texts(line))
