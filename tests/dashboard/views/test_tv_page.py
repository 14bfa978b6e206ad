"""The TV board page on the demo replica, called on the server as a signed-in user: the layout of a site's
board (full-screen root, one section per playlist entry, the stores the browser runs it with), the refresh
callback rendering every panel from the cached site data (and the same cache entries for every viewer of a
site), a failed read keeping the panels on screen, and sites out of scope refused."""
from __future__ import annotations

import sys

import pytest
from dash import no_update

from dashboard import create_app, service_tv
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from data_access.demo.scenario import STORY
from data_access.errors import ReplicaUnavailable
from helpers.tree import find_class, find_id, text_of

SITE = STORY["breakdown_warehouse_id"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tv-page")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    store.add_user("stu_only", "pw-123456", "plant", company_ids=(1,), warehouse_ids=(1,))
    yield app
    store.dispose()


@pytest.fixture(scope="module")
def tv(app):
    return next(m for name, m in sys.modules.items() if name.endswith("tv") and getattr(getattr(m, "spec", None), "key", None) == "tv")


def _refresh(tv, query):
    return tv._refresh(1, query)


def test_a_site_board_layout_is_full_screen_with_a_section_per_panel(tv, as_user):
    as_user("admin")
    page = tv.layout(site=str(SITE), panels="status,oee:30", dwell="7", refresh="15")
    assert page.id == "tv-board" and "tv-theme-dark" in page.className
    config = find_id(page, "tv-config").data
    assert config["playlist"] == [{"panel": "status", "dwell_s": 7}, {"panel": "oee", "dwell_s": 30}]
    assert config["refresh_s"] == 15 and 0 < config["reload_in_s"] <= 86400
    assert find_id(page, "tv-refresh").interval == 15000
    assert find_id(page, "tv-query").data == {"site": str(SITE), "panels": "status,oee:30", "dwell": "7", "refresh": "15"}
    assert [s.id for s in find_id(page, "tv-deck").children] == ["tv-panel-0", "tv-panel-1"]
    assert find_id(page, "tv-clock") is not None and find_id(page, "tv-fresh") is not None


def test_the_refresh_renders_every_panel_with_data_as_of(tv, as_user):
    as_user("admin")
    out = _refresh(tv, {"site": str(SITE)})
    assert out["state"]["ok"] is True and out["state"]["as_of"]
    assert [p["panel"] for p in out["state"]["playlist"]] == ["status", "output", "oee", "downtime", "exceptions"]
    titles = [text_of(find_class(s, "tv-panel-title")[0]) for s in out["deck"]]
    assert titles == ["Work center status", "Today's output vs plan", "OEE now", "Downtime",
                      "Top exceptions and schedule adherence"]
    assert "Data as of" in text_of(out["fresh"])
    status = text_of(out["deck"][0])
    assert any(word in status for word in ("Running", "Blocked", "Idle"))
    assert "This shift" in text_of(out["deck"][2])
    assert "Schedule adherence today" in text_of(out["deck"][4])


def test_every_viewer_of_a_site_reads_the_same_cache_entries(tv, as_user, app, monkeypatch):
    as_user("admin")
    _refresh(tv, {"site": str(SITE)})
    calls = []
    real = app.server.extensions[STATE_KEY].replica.run
    monkeypatch.setattr(app.server.extensions[STATE_KEY].replica, "run", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    as_user("plant")  # another user, another role: the board reads as the site's plant scope
    out = _refresh(tv, {"site": str(SITE), "panels": "status,downtime"})
    assert out["state"]["ok"] is True
    assert [c.__name__ for c in calls] == ["warehouses"]  # the plant user's own sites (their scope check), no more


def test_a_failed_read_keeps_the_panels_and_says_why(tv, as_user, monkeypatch):
    as_user("admin")

    def down(*_a, **_k):
        raise ReplicaUnavailable("connection refused")

    monkeypatch.setattr(service_tv, "workcenter_activity", down)
    out = _refresh(tv, {"site": str(SITE), "panels": "status"})
    assert out["deck"] is no_update and out["fresh"] is no_update
    assert out["state"] == {"ok": False, "message": ReplicaUnavailable.user_message,
                            "playlist": [{"panel": "status", "dwell_s": 20}]}


def test_a_site_out_of_scope_is_not_found(tv, as_user):
    as_user("stu_only")
    page = tv.layout(site="2")
    assert find_id(page, "tv-board") is None and "not in your scope" in text_of(page)
    out = _refresh(tv, {"site": "2"})
    assert out["state"]["ok"] is False and "not in your scope" in text_of(out["deck"][0])
