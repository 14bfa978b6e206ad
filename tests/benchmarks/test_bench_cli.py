"""The benchmark scripts start, explain themselves and keep to loopback (no timing asserted anywhere)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = ["kpis_bench.py", "family_bench.py", "callback_bench.py", "load_test.py", "interaction_bench.py",
           "tv_load.py", "tv_soak.py", "api_bench.py"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BENCH.parent, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script", SCRIPTS)
def test_help(script):
    done = _run(str(BENCH / script), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


@pytest.mark.parametrize("option", [
    ["--db-url", "postgresql+psycopg://postgres@10.1.2.3:5432/odoo"],
    ["--db-url", "postgresql+psycopg://postgres@db.example.com/odoo"],
    ["--db-url", "postgresql+psycopg://postgres@127.0.0.1:5432/odoo", "--redis-url", "redis://192.168.1.5:6379"],
])
def test_load_test_refuses_a_target_off_loopback(option):
    done = _run(str(BENCH / "load_test.py"), *option, "--seconds", "1", "--users", "1", "--tvs", "0")
    assert done.returncode == 2
    assert "refused" in done.stderr and "not a loopback address" in done.stderr


def test_tv_load_refuses_a_target_off_loopback():
    done = _run(str(BENCH / "tv_load.py"), "--db-url", "postgresql+psycopg://postgres@10.1.2.3:5432/odoo", "--tvs", "1")
    assert done.returncode == 2
    assert "refused" in done.stderr and "not a loopback address" in done.stderr


@pytest.fixture
def bench_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import _app
    import _dash_client

    return _app, _dash_client


@pytest.mark.parametrize("target", ["127.0.0.1", "127.0.0.9", "localhost", "postgresql://u@127.0.0.1:5432/db",
                                    "redis://[::1]:6379"])
def test_loopback_targets_pass(bench_modules, target):
    bench_modules[0].require_loopback("target", target)


@pytest.mark.parametrize("target", ["0.0.0.0", "10.0.0.1", "example.com", "postgresql:///db", "redis://8.8.8.8"])
def test_other_targets_are_refused(bench_modules, target):
    with pytest.raises(bench_modules[0].LoopbackError):
        bench_modules[0].require_loopback("target", target)


def test_initial_callbacks_have_the_renderer_shape(bench_modules):
    """The callbacks a page fires on arrival, built from /_dash-dependencies and the layout as the renderer does."""
    client_mod = bench_modules[1]
    deps = [
        {"output": "..p-a.children...p-b.figure..", "inputs": [{"id": "p-view", "property": "data"}],
         "state": [{"id": "screen-scale", "property": "data"}], "clientside_function": None, "prevent_initial_call": False},
        {"output": "p-c.children", "inputs": [{"id": "p-c", "property": "id"}], "state": [],
         "clientside_function": None, "prevent_initial_call": False},
        {"output": "p-nav.href", "inputs": [{"id": "p-view", "property": "data"}], "state": [],
         "clientside_function": None, "prevent_initial_call": True},
        {"output": "q-x.children", "inputs": [{"id": "q-in", "property": "value"}], "state": [],
         "clientside_function": None, "prevent_initial_call": False},
    ]
    layout = {"type": "Div", "namespace": "dash_html_components", "props": {"children": [
        {"type": "Store", "namespace": "dash_core_components", "props": {"id": "p-view", "data": {"site": 2}}},
        {"type": "Div", "namespace": "dash_html_components", "props": {"id": "p-a"}},
        {"type": "Graph", "namespace": "dash_core_components", "props": {"id": "p-b"}},
        {"type": "Div", "namespace": "dash_html_components", "props": {"id": "p-c"}},
    ]}}
    client = client_mod.Client("http://127.0.0.1:1")
    client._deps = deps
    page = client_mod.Page("/p", "", client_mod._components(layout, {}))
    bodies = [c.body for c in client.initial_calls(page)]
    assert bodies == [
        {"output": "..p-a.children...p-b.figure..",
         "outputs": [{"id": "p-a", "property": "children"}, {"id": "p-b", "property": "figure"}],
         "inputs": [{"id": "p-view", "property": "data", "value": {"site": 2}}], "changedPropIds": [],
         "state": [{"id": "screen-scale", "property": "data", "value": 1.0}]},
        {"output": "p-c.children", "outputs": {"id": "p-c", "property": "children"},
         "inputs": [{"id": "p-c", "property": "id", "value": "p-c"}], "changedPropIds": []},
    ]
