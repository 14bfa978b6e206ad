"""Pages pay for their figures once: the executive, plant, work center and home callbacks on the demo replica,
called on the server as the guard lets them run. A second view of the same data is served from the rendered
cache (no builder runs), with the freshness line of the data; a refreshed aggregate, another screen scale, or
another role or scope gets its own rendering; the executive trends wait until their section is in view."""
from __future__ import annotations

import sys

import plotly.graph_objects as go
import pytest
from dash.exceptions import PreventUpdate

from dashboard import create_app, service
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from dashboard.validation import BadInput
from data_access.demo.scenario import STORY
from helpers.tree import find_id, texts

SITE, WC = STORY["breakdown_warehouse_id"], STORY["breakdown_workcenter_id"]
LATER = "2031-01-02T03:04:05+00:00"  # a computed_at after any real one: "the aggregate was refreshed"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rendered-pages")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("dist-exec", "pw-123456", "executive", company_ids=(2,))
    yield app
    store.dispose()


def _page(app, key: str):
    return next(m for name, m in sys.modules.items() if name.endswith(f"pages.{key}") and hasattr(m, "spec"))


@pytest.fixture
def builds(monkeypatch):
    """``count(module, name)``: wrap a builder the page calls and count its runs."""
    counts = {}

    def count(module, name):
        real = getattr(module, name)
        counts[name] = 0

        def counted(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
        return counts

    return count


@pytest.fixture
def refreshed(monkeypatch):
    """After calling it, every KPI result says it was computed at ``LATER`` (the aggregates were refreshed)."""
    def refresh():
        real = service.kpi_results
        monkeypatch.setattr(service, "kpi_results", lambda *a, **k: dict(real(*a, **k), computed_at=LATER))
    return refresh


def _view(page, **query):
    return find_id(page.layout(**query), "executive-view").data


def test_executive_heat_maps_are_built_once_per_data_and_screen(app, as_user, builds, refreshed):
    page = _page(app, "executive")
    as_user("exec")
    data = _view(page, days="14")
    count = builds(page, "kpi_heatmap")
    first = page._heatmaps(data=data)
    again = page._heatmaps(data=data)
    assert count["kpi_heatmap"] == 2  # sites and companies, once
    assert again["sites"] == first["sites"] and str(again["table"]) == str(first["table"])
    assert "Data as of" in " ".join(texts(again["fresh"]))
    assert go.Figure(again["sites"]).data[0].z  # a figure dict plotly accepts

    big = page._heatmaps(data=data, scale=2)  # a 4K wall: its own rendering
    assert count["kpi_heatmap"] == 4
    assert big["sites"]["data"][0]["textfont"]["size"] == 2 * first["sites"]["data"][0]["textfont"]["size"]

    page._heatmaps(data=dict(data, kpi="supplier_otif"))  # the drilled KPI changes nothing here: no new rendering
    page._heatmaps(data=dict(data, company=1))  # another view: rendered for it
    assert count["kpi_heatmap"] == 6

    refreshed()  # the aggregates were recomputed: a new figure, and the freshness line says so
    out = page._heatmaps(data=data)
    assert count["kpi_heatmap"] == 8 and "2031-01-02" in " ".join(texts(out["fresh"]))


def test_executive_trends_wait_until_their_section_is_in_view(app, as_user, builds):
    page = _page(app, "executive")
    as_user("exec")
    data = _view(page)
    count = builds(page, "trend_panels")
    for shown in (None, False):
        with pytest.raises(PreventUpdate):
            page._trends(data=data, shown=shown)
    with pytest.raises(BadInput):  # not a flag: refused before the callback runs
        page._trends(data=data, shown="yes")
    assert count["trend_panels"] == 0
    trends = page._trends(data=data, shown=True)
    ids = {col.children.id for col in trends["trends"].children}
    assert "executive-trend-oee" in ids and "executive-trend-dio" not in ids
    assert "365-day measures" in trends["note"] and trends["scope"].startswith("Showing ")
    page._trends(data=data, shown=True)
    page._trends(data=dict(data, kpi="oee", company=1, site=SITE), shown=True)  # another view, same site filter
    assert count["trend_panels"] == 2


def test_executive_exceptions_and_detail_are_cached_per_scope(app, as_user, builds):
    page = _page(app, "executive")
    count = builds(page, "exceptions_list")
    as_user("exec")
    data = _view(page)
    every = page._exceptions(data=data)
    assert "grade-bg-critical" in str(every)
    assert str(page._exceptions(data=data)) == str(every) and count["exceptions_list"] == 1
    as_user("dist-exec")  # another scope never reads the executive's rendering
    theirs = str(page._exceptions(data=_view(page)))
    assert count["exceptions_list"] == 2 and "Plzen" not in theirs and "Stuttgart" not in theirs
    for tampered in (dict(data, site=2, kpi="supplier_otif"), dict(data, company=1)):
        for callback in (page._heatmaps, page._exceptions, page._detail):
            with pytest.raises(PreventUpdate):
                callback(data=tampered)
        with pytest.raises(PreventUpdate):
            page._trends(data=tampered, shown=True)

    as_user("exec")
    count = builds(page, "detail_card")
    detail = _view(page, company="1", site=str(SITE), kpi="supplier_otif")
    card = page._detail(data=detail)
    assert str(card) == str(page._detail(data=detail)) and count["detail_card"] == 1
    assert "Supplier OTIF · Plzen" in str(card) and "Breakdown limited to lines of this site." in str(card)


def test_plant_body_is_built_once_per_data_and_a_refresh_rebuilds_it(app, as_user, builds, refreshed):
    page = _page(app, "plant")
    as_user("plant")
    data = {"site": SITE, "metric": "availability", "days": 14, "as_of": None}
    count = builds(page, "day_heatmap")
    first = page._body(data)
    again = page._body(data)
    assert count["day_heatmap"] == 1 and again["heatmap"] == first["heatmap"] and again["late"] == first["late"]
    assert again["rows"] == first["rows"] and "Data as of" in " ".join(texts(again["fresh"]))
    page._body(data, scale=1.5)
    page._body(dict(data, metric="quality"))
    assert count["day_heatmap"] == 3
    refreshed()
    out = page._body(data)
    assert count["day_heatmap"] == 4 and "2031-01-02" in " ".join(texts(out["fresh"]))


def test_work_center_body_and_home_tiles_are_built_once(app, as_user, builds):
    workcenter, home = _page(app, "workcenter"), _page(app, "home")
    as_user("plant")
    data = {"workcenter_id": WC, "days": 14, "as_of": service.today().isoformat()}
    count = builds(workcenter, "oee_decomposition")
    first = workcenter._body(data)
    assert first["workorders"] and workcenter._body(data)["oee"] == first["oee"]
    assert count["oee_decomposition"] == 1
    assert go.Figure(first["trend"]).data  # the OEE-by-day line, a figure dict plotly accepts

    count = builds(home, "company_tiles")
    tiles = home._kpis(None)
    assert str(home._kpis(None)["kpis"]) == str(tiles["kpis"]) and count["company_tiles"] == 1
    as_user("finance")  # another role: its own KPIs, its own rendering
    finance = home._kpis(None)
    assert count["company_tiles"] == 2 and "Gross margin" in str(finance["kpis"]) and "OEE" not in str(finance["kpis"])
