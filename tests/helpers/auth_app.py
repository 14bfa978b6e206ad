"""A small app built like ``create_app``: Flask server, ``auth.init_app``, then Dash with test callbacks.

The pages' callbacks write ids of three kinds: a page's own (``plant-out``, ``finance-out``), a
shared one (``shell-clock``) and pattern-matching ids (``{"type": "plant-cell", "index": n}``).
"""
from __future__ import annotations

import re
from pathlib import Path

import dash
from dash import ALL, Input, Output, html
from flask import Flask

from dashboard import auth, health
from dashboard.extensions import STATE_KEY, AppState
from dashboard.settings import Settings
from data_access.app_store import AppStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-123456"


def build_app(tmp_path: Path, **overrides) -> dash.Dash:
    values = dict(
        instance_dir=str(tmp_path / "instance"),
        store_url=f"sqlite:///{tmp_path / 'store.sqlite'}",
        replica_url=f"sqlite:///{tmp_path / 'no-replica.sqlite'}",
        secret_key="k" * 40,
        secure_cookies=False,
    )
    values.update(overrides)
    settings = Settings(**values).validate()
    store = AppStore(settings.effective_store_url).create_schema()
    server = Flask("dashboard", instance_path=str(settings.instance_path))
    app_state = AppState(settings=settings, replica=None, store=store)
    server.extensions[STATE_KEY] = app_state
    auth.init_app(server, app_state)
    health.init_app(server)
    app = dash.Dash(__name__, server=server, assets_folder=str(ROOT / "assets"), serve_locally=True,
                    suppress_callback_exceptions=True)
    app.layout = html.Div([html.Div(id="plant-out"), html.Div(id="finance-out"), html.Div(id="shell-clock")])

    @app.callback(Output("plant-out", "children"), Input("plant-in", "value"))
    def plant_out(value):
        return f"plant {value}"

    @app.callback(Output("finance-out", "children"), Input("finance-in", "value"))
    def finance_out(value):
        return f"finance {value}"

    @app.callback(Output("shell-clock", "children"), Input("shell-tick", "n_intervals"))
    def shell_clock(n):
        return f"tick {n}"

    @app.callback(Output({"type": "plant-cell", "index": ALL}, "children"), Input("plant-in", "value"))
    def plant_cells(value):
        return [value]

    @server.get("/boom")
    def boom():
        raise RuntimeError("secret internals /srv/app.py")

    return app


def csrf_token(client, path: str = "/login") -> str:
    html_text = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html_text).group(1)


def login(client, username: str, password: str = PASSWORD, next_: str | None = None, **headers):
    path = "/login" + (f"?next={next_}" if next_ is not None else "")
    token = csrf_token(client)
    return client.post(path, data={"csrf_token": token, "username": username, "password": password}, headers=headers)


def callback_body(output: str, outputs, inputs=None) -> dict:
    return {"output": output, "outputs": outputs, "inputs": inputs or [], "changedPropIds": []}
