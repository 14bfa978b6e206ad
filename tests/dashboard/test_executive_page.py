"""Executive page callbacks on the demo replica, called on the server as the guard would let them run:
scope checks (a site of another company is 'not found', a tampered view store is refused), heat map rows
and the drill target of a clicked cell."""
from __future__ import annotations

import sys

import pytest
from dash.exceptions import PreventUpdate
from flask_login import login_user

from dashboard import create_app
from dashboard.auth.users import LoginUser
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings

DIST_SITES = {4, 5}  # the demo's distribution company (2) owns the Neuss and Atlanta centres


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("executive-page")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("dist-exec", "pw-123456", "executive", company_ids=(2,))
    yield app
    store.dispose()


@pytest.fixture(scope="module")
def page(app):
    return next(m for name, m in sys.modules.items() if name.endswith("executive") and hasattr(m, "_heatmaps"))


def _as(app, username):
    ctx = app.server.test_request_context("/_dash-update-component", method="POST")
    ctx.push()
    login_user(LoginUser(app.server.extensions[STATE_KEY].store.find_user(username)))
    return ctx


def _query(page, **query):
    return page.layout(**query).children[1].data  # the executive-query store


def test_exec_sees_every_demo_site_and_the_click_drills_to_the_plant_page(app, page):
    ctx = _as(app, "exec")
    try:
        companies, sites, view, message, style = page._check_scope(_query(page))
        assert [o["value"] for o in sites] == [1, 2, 3, 4, 5] and message is None and style == {}
        site_fig, company_fig, _table, grid, _fresh = page._heatmaps(view)
        assert grid["sites"] == [1, 2, 3, 4, 5] and grid["companies"] == [1, 2]
        assert len(site_fig.data[0].z) == 5 and len(company_fig.data[0].z) == 2
        # Row 1 (Plzen, site 2) x column 2 (downtime) -> the plant page, downtime metric, same period.
        href = page._cell_href({"points": [{"x": 2, "y": 1}]}, grid, view, company_map=False)
        assert href == f"/plant?site=2&metric=downtime&as_of={view['as_of']}&days=30"
        # Row 1 (Plzen) x column 3 (supplier OTIF): no supply page yet, the detail panel here.
        href = page._cell_href({"points": [{"x": 3, "y": 1}]}, grid, view, company_map=False)
        assert href == f"/executive?as_of={view['as_of']}&days=30&company=1&site=2&kpi=supplier_otif"
        href = page._cell_href({"points": [{"x": 1, "y": 1}]}, grid, view, company_map=True)
        assert href == f"/executive?as_of={view['as_of']}&days=30&company=2&kpi=dio"
        with pytest.raises(PreventUpdate):
            page._cell_href({"points": [{"x": 1, "y": 9}]}, grid, view, company_map=False)
    finally:
        ctx.pop()


def test_a_site_of_another_company_is_not_found_and_a_tampered_store_is_refused(app, page):
    ctx = _as(app, "dist-exec")
    try:
        _c, sites, view, message, style = page._check_scope(_query(page, site="2", kpi="supplier_otif"))
        assert view is None and style == {"display": "none"}
        assert "Site 2 does not exist or is outside your scope" in str(message)
        assert {o["value"] for o in sites} == DIST_SITES
        _c, _s, own, _m, _st = page._check_scope(_query(page))
        tampered = dict(own, site=2, kpi="supplier_otif")
        for callback in (page._heatmaps, page._trends, page._detail):
            with pytest.raises(PreventUpdate):
                callback(tampered)
        with pytest.raises(PreventUpdate):
            page._heatmaps(dict(own, days=3000))
    finally:
        ctx.pop()


def test_scoped_exec_sees_only_their_company(app, page):
    ctx = _as(app, "dist-exec")
    try:
        _c, _s, view, _m, _st = page._check_scope(_query(page))
        _site_fig, _company_fig, table, grid, _fresh = page._heatmaps(view)
        assert set(grid["sites"]) == DIST_SITES and grid["companies"] == [2]
        _trends, _scope, exceptions = page._trends(view)
        assert "Plzen" not in str(exceptions) and "Stuttgart" not in str(exceptions)
        assert "executive-cell-2-" not in str(table)
    finally:
        ctx.pop()
