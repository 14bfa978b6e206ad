"""Quality and lot pages on the demo replica, called on the server as the guard lets them run: the tiles,
the FPY trend, the scrap Pareto (its total the scrapped term of first pass yield), the scrapped lots that
open the lot page, the story (the excursion lot traces to its vendor and its MOs), nonconformances with the
Enterprise quality app and the fallback on a Community replica; bad URLs named, other sites not found."""
from __future__ import annotations

import sys
from datetime import date

import pytest
from flask_login import login_user

from dashboard import create_app
from dashboard.auth import page_access
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from dashboard.views.quality import FALLBACK_TEXT, alert_rows, pareto_items, product_rows
from data_access.demo import build_demo
from data_access.demo.scenario import STORY
from helpers.tree import find_id

SITE = STORY["excursion_warehouse_id"]


def _app(tmp, **overrides):
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False, **overrides))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("dist-quality", "pw-123456", "quality", company_ids=(2,))
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = _app(tmp_path_factory.mktemp("quality-page"))
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


@pytest.fixture(scope="module")
def community(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quality-community")
    build_demo(f"sqlite:///{tmp / 'community.sqlite'}", edition="community")
    app = _app(tmp, replica_url=f"sqlite:///{tmp / 'community.sqlite'}", secret_key="k" * 40)
    app.server.extensions[STATE_KEY].store.add_user("community-quality", "pw-123456", "quality")
    yield app
    app.server.extensions[STATE_KEY].store.dispose()


def _page(suffix):
    return next(m for name, m in sys.modules.items() if name.endswith(suffix) and hasattr(m, "spec"))


@pytest.fixture
def as_user():
    contexts = []

    def sign_in(app, username):
        ctx = app.server.test_request_context("/_dash-update-component", method="POST")
        ctx.push()
        contexts.append(ctx)
        login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user(username)))

    yield sign_in
    for ctx in reversed(contexts):
        ctx.pop()


def _body(page, params):
    return page._body.__wrapped__(params, 1.0, access=page_access(page.spec.key)[0])


def test_views_are_pure():
    assert pareto_items([{"id": None, "name": None, "qty": 3.0}], "workcenter") == [("On the MO (no work order)", 3.0)]

    class Def:
        def status(self, v):
            return "critical" if v is not None and v < 0.95 else "ok"
        direction, target, amber, red, unit = "higher", 0.98, 0.97, 0.95, "ratio"

    rows = product_rows([{"id": 1, "name": "Pump", "qty_produced": 100.0, "qty_scrapped": 10.0, "mo_count": 2},
                         {"id": 2, "name": "Idle", "qty_produced": 0.0, "qty_scrapped": 0.0, "mo_count": 1}], Def())
    assert rows[0]["fpy"].endswith("90.0 %") and rows[0]["fpy_grade"] == "critical"
    assert rows[1]["fpy_grade"] == "no_data"
    from zoneinfo import ZoneInfo
    alerts = alert_rows([{"id": 5, "name": "QA5", "create_date": "2026-06-01T08:00:00", "lot_id": 9, "lot": "L9"}],
                        date(2026, 6, 30), ZoneInfo("UTC"), "", lambda i: f"/quality/lot/{i}")
    assert alerts[0]["age_grade"] == "critical" and alerts[0]["age"].endswith(" 29")
    assert alerts[0]["lot"] == "[L9](/quality/lot/9)"


def test_the_page_shows_the_excursion_and_its_lot_traces_to_the_vendor(app, as_user):
    page, lot_page = _page("pages.quality"), _page("pages.lot")
    as_user(app, "quality")
    layout = page.layout(site=str(SITE), days="30")
    params = find_id(layout, "quality-params").data
    out = _body(page, params)
    assert out["message"] is None
    assert "First pass yield" in str(out["tiles"]) and "Nonconformances" not in str(out["nc"])
    # the scrapped quantity is a measure, not a status: its own neutral grade, never "no data"'s dash
    scrap = str(out["tiles"]).split("Scrapped in first pass", 1)[1]
    assert "Σ units scrapped" in scrap and "grade-measure" in scrap and "– " not in scrap.split("Cost", 1)[0]
    assert find_id(out["nc"], "quality-nc-app") is not None  # the demo is Enterprise: alerts and closure time
    assert out["pareto"]["data"][0]["type"] == "bar" and out["trend"]["data"][0]["type"] == "scatter"
    assert out["products"] and out["lots"]
    grid = out["heatmap"]["data"][0]
    assert grid["type"] == "heatmap" and len(grid["y"]) == len(out["products"]) and len(grid["x"]) == 30
    cells = [t for row in grid["text"] for t in row]
    assert any(t.endswith("%") for t in cells) and all(t == "" or t.endswith("%") for t in cells)
    # the lot scrapped most at the excursion plant is the vendor's casting lot: it opens its page
    top = out["lots"][0]["name"]
    lot_id = int(top.split("/quality/lot/")[1].split("?")[0])
    lot = str(lot_page.layout(lot_id=str(lot_id), days="30", site=str(SITE)))
    assert "Fonderia Bresciana" in lot and "MOs that consumed it" in lot
    detail = find_id(lot_page.layout(lot_id=str(lot_id)), "lot-consumed")
    assert detail is not None


def test_bad_urls_are_named_and_other_companies_sites_and_lots_not_found(app, as_user):
    page, lot_page = _page("pages.quality"), _page("pages.lot")
    as_user(app, "dist-quality")
    assert "Ignored by=" in str(page.layout(by="reason"))
    assert "does not exist or is outside your scope" in str(page.layout(site=str(SITE)))
    assert "does not exist or is outside your scope" in str(lot_page.layout(lot_id="abc"))
    # a forged store naming another company's site
    out = _body(page, {"site": SITE, "days": 30, "by": "product"})
    assert "outside your scope" in str(out["message"]) and out["shown"] == {"display": "none"}
    as_user(app, "quality")
    lot_id = int(_body(page, {"site": SITE, "days": 30})["lots"][0]["name"].split("/quality/lot/")[1].split("?")[0])
    as_user(app, "dist-quality")
    assert "does not exist or is outside your scope" in str(lot_page.layout(lot_id=str(lot_id)))


def test_a_community_replica_shows_the_fallback(community, as_user):
    page = _page("pages.quality")
    as_user(community, "community-quality")
    params = find_id(page.layout(site=str(SITE)), "quality-params").data
    out = _body(page, params)
    assert out["message"] is None
    assert FALLBACK_TEXT in str(out["nc"]) and find_id(out["nc"], "quality-nc-app") is None
    assert "quality app not installed" in str(out["tiles"])
    assert out["products"] and out["pareto"]["data"]  # what is available instead: FPY and scrap


def test_the_pareto_adds_up_to_the_scrapped_term_of_the_kpi(app, as_user):
    """On the demo, the page's Pareto total (by product and by work center) equals produced x (1 - first pass
    yield) of the KPI engine for the same site and period (the four backends: test_quality_pages)."""
    from dashboard import service, service_quality

    _page("pages.quality")  # the page is registered (its module imported)
    as_user(app, "quality")
    access = page_access("quality")[0]
    as_of = service.today()
    fpy = next(r for r in service.kpi_results(access, as_of, 30, kpis=("first_pass_yield",), scope_kinds=("warehouse",))["results"]
               if r["scope_id"] == SITE and r.get("bucket") is None)
    produced = sum(r["qty_produced"] for r in service_quality.fpy_by_product(access, as_of, 30, SITE))
    for by in ("product", "workcenter"):
        rows = service_quality.fpy_scrap_pareto(access, as_of, 30, SITE, by)
        total = sum(r["qty"] for r in rows)
        assert all(r["cost"] > 0 for r in rows), by  # every scrap's move carries its valuation layer
        assert total > 0 and total == pytest.approx(produced * (1 - fpy["value"]), rel=1e-9), by
