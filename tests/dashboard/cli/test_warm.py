"""``python -m dashboard warm`` on the demo replica with the real Redis: after one pass, the executive, plant,
supply chain, quality, finance and home pages of every user render without a single replica query, and the work center page without computing a
KPI; a second pass leaves what is still fresh alone; a failing scope is counted and the pass goes on."""
from __future__ import annotations

import signal
import sys
import uuid
from datetime import UTC, datetime
from unittest import mock

import pytest
import redis
from flask_login import login_user

from dashboard import create_app, warmup
from dashboard.auth.access import ROLES
from dashboard.auth.display_session import Board, board_access
from dashboard.auth.users import LoginUser
from dashboard.cli import main
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from dashboard.tv_panels import PANELS
from data_access.app_store import AppStore
from data_access.engine import Replica
from data_access.errors import QueryTimeout
from helpers.tree import find_id

REDIS_URL = "redis://127.0.0.1:6379/13"
BOARD_SITE = 2  # the demo's Plzen plant (company 1): a wall display's board is warmed too


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Demo mode, the Redis cache under a prefix of its own, two scoped users besides the demo ones."""
    for key in [k for k in __import__("os").environ if k.startswith("ODOO_DASH_")]:
        monkeypatch.delenv(key)
    prefix = f"warm-{uuid.uuid4().hex[:10]}"
    values = {"ODOO_DASH_INSTANCE_DIR": str(tmp_path / "instance"), "ODOO_DASH_CACHE_TYPE": "redis",
              "ODOO_DASH_CACHE_URL": REDIS_URL, "ODOO_DASH_CACHE_PREFIX": prefix}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    settings = Settings.from_env()
    settings.instance_path.mkdir(parents=True)
    store = AppStore(settings.effective_store_url).create_schema()
    store.add_user("stu-plant", "pw-123456", "plant", company_ids=(1,), warehouse_ids=(1,))
    store.add_user("dist-exec", "pw-123456", "executive", company_ids=(2,))
    store.displays.add("Press hall", BOARD_SITE, 1, [{"panel": p, "dwell_s": 20} for p in PANELS], 60, "dark")
    store.dispose()
    yield settings
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _page(key: str):
    return next(m for name, m in sys.modules.items() if name.endswith(f"pages.{key}") and hasattr(m, "spec"))


class Counting:
    """Counts replica connections (every query opens one) and KPI computations while active."""

    def __init__(self):
        self.connections = self.kpis = 0

    def __enter__(self):
        real_connect, real_evaluate = Replica.connect, __import__("dashboard.service").service.evaluate

        def connect(replica, *args, **kwargs):
            self.connections += 1
            return real_connect(replica, *args, **kwargs)

        def evaluate(*args, **kwargs):
            self.kpis += 1
            return real_evaluate(*args, **kwargs)

        self._patches = [mock.patch.object(Replica, "connect", connect),
                         mock.patch("dashboard.service.evaluate", side_effect=evaluate)]
        for p in self._patches:
            p.start()
        return self

    def __exit__(self, *exc):
        for p in self._patches:
            p.stop()


def _render_pages(app, username: str, counter: Counting) -> None:
    """Every page the user's role opens, default view, as the browser would ask for it."""
    state = app.server.extensions[STATE_KEY]
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        login_user(LoginUser(state.store.find_user(username)))
        role = state.store.find_user(username).role
        home = _page("home")
        home.layout()
        home._kpis(_mounted="home-kpis")
        home._health(_mounted="home-health")
        if role in ("executive", "admin"):
            executive = _page("executive")
            view = find_id(executive.layout(), "executive-view").data
            executive._heatmaps(data=view)
            executive._exceptions(data=view)
            executive._trends(data=view, shown=True)
        if role in ("plant", "executive", "admin"):
            plant = _page("plant")
            params = find_id(plant.layout(), "plant-params").data
            body = plant._body(data=params)
            assert body["message"] is None, body["message"]
            if body["rows"]:  # the distribution company has no work centers
                before = counter.connections
                workcenter = _page("workcenter")
                layout = workcenter.layout(workcenter_id=str(body["rows"][0]))
                workcenter._body(data=find_id(layout, "workcenter-params").data)
                counter.connections = before  # its per-work-center drill rows are not warmed; its KPIs are
        for key in ("supply", "quality", "finance"):
            if role in (key if key != "supply" else "supply_chain", "executive", "admin"):
                page = _page(key)
                params = find_id(page.layout(), f"{key}-params").data
                body = page._body(data=params)
                assert body["message"] is None, (key, body["message"])


def test_warm_once_fills_what_the_pages_read_for_every_scope(env, capsys):
    assert main(["warm", "--once"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]  # after demo mode's list of users
    assert line.startswith("warm: 9 steps") and line.endswith(", 0 failed"), line  # 6 demo users + 2 scoped + 1 board

    app = create_app(env)
    state = app.server.extensions[STATE_KEY]
    assert state.replica.info.series  # the Odoo version: read once per process, before counting
    with Counting() as counter:
        for username in ("exec", "plant", "supply", "quality", "finance", "admin", "stu-plant", "dist-exec"):
            _render_pages(app, username, counter)
        board = Board(1, "Press hall", BOARD_SITE, 1, tuple({"panel": p, "dwell_s": 20} for p in PANELS), 60, "dark", False)
        with app.server.test_request_context():
            from dashboard import service_tv
            service_tv.board_data(board_access(board), BOARD_SITE, board.name, PANELS, datetime.now(UTC))
    assert (counter.connections, counter.kpis) == (0, 0)
    client = redis.Redis.from_url(REDIS_URL)  # the same pages on an empty cache: the counter does count
    for key in client.scan_iter(f"{env.cache_prefix}:*"):
        client.delete(key)
    with Counting() as counter:
        _render_pages(app, "exec", counter)
    assert counter.connections > 0 and counter.kpis > 0
    state.store.dispose()


def _computed(summary: str) -> int:
    """The 'N computed' of a pass's summary line."""
    return int(summary.split(";")[1].split()[0])


def test_a_second_pass_recomputes_the_shop_floor_and_leaves_finance_alone(env, capsys):
    assert main(["warm", "--once"]) == 0
    first = capsys.readouterr().out
    assert main(["warm", "--once"]) == 0
    second = capsys.readouterr().out
    assert 0 < _computed(second) < _computed(first)  # production (60 s) again; finance, dimensions (hours) not
    assert main(["warm", "--once", "--every", "5"]) == 0
    assert " 0 computed" in capsys.readouterr().out  # nothing expires within 15 s


def test_a_failing_read_is_counted_and_the_pass_goes_on(env, capsys):
    from dashboard import service

    real = service.kpi_results

    def flaky(access, *args, **kwargs):
        if access.role == "finance":
            raise QueryTimeout("too slow")
        return real(access, *args, **kwargs)

    with mock.patch("dashboard.service.kpi_results", side_effect=flaky):
        assert main(["warm", "--once"]) == 1
    line = capsys.readouterr().out.strip().splitlines()[-1]
    # finance's two reads of KPIs (home, finance page) fail; every scope is still visited
    assert line.endswith(", 2 failed") and line.startswith("warm: 9 steps, ")


def test_every_runs_a_pass_per_interval_with_one_summary_line_each(env, capsys, monkeypatch):
    from dashboard.cli import warm

    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            raise SystemExit(0)  # as SIGTERM does

    monkeypatch.setattr(warm, "_pause", pause)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit):
            main(["warm", "--every", "30"])
    finally:
        signal.signal(signal.SIGTERM, previous)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warm: ")]
    assert len(lines) == 2 and all(0 < p < 30 for p in pauses)  # the interval less the pass's own time
    assert warm.default_every() == 50  # a bit less than the shop floor's 60 s


def test_scopes_are_the_distinct_roles_and_scopes_of_active_users():
    class User:
        def __init__(self, role, companies=None, sites=None, active=True):
            self.role, self.company_ids, self.warehouse_ids, self.active = role, companies, sites, active

    found = warmup.scopes([User("plant", (2, 1), (3,)), User("plant", (1, 2), (3,)), User("plant", (1,)),
                           User("finance", active=False), User("executive")])
    assert [(a.role, a.company_ids, a.warehouse_ids) for a in found] == [
        ("plant", (1, 2), (3,)), ("plant", (1,), None), ("executive", None, None)]
    assert [a.role for a in warmup.scopes([])] == list(ROLES)  # nobody yet: every role, whole scope


def test_every_argument_is_checked(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["warm", "--every", "0"])
    assert exit_info.value.code == 2 and "seconds" in capsys.readouterr().err
