"""The real app (``dashboard.create_app``) on settings for auth tests, plus a few test callbacks.

The replica is a file that does not exist (no test here reads it); in demo mode an empty stand-in for
today's demo replica is put in place first, so ``create_app`` does not build the real one. The test
callbacks write ids of three kinds: a page's own (``plant-out``, ``finance-out``), a shared one
(``shell-clock``) and pattern-matching ids (``{"type": "plant-cell", "index": n}``); ``/boom`` raises.

Dash Pages re-imports the page modules for every app, refilling Dash's global callback list, and an
app takes that list over at its first request: build an app, use it, then build the next.
"""
from __future__ import annotations

import re
from pathlib import Path

import dash
from dash import ALL, Input, Output

from dashboard import create_app
from dashboard.settings import Settings

PASSWORD = "pw-123456"


def _test_callbacks(app: dash.Dash) -> None:
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

    @app.server.get("/boom")
    def boom():
        raise RuntimeError("secret internals /srv/app.py")


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
    if settings.demo_mode:  # today's demo replica "already built": an empty file no test reads
        settings.demo_replica_path.parent.mkdir(parents=True, exist_ok=True)
        settings.demo_replica_path.touch()
    app = create_app(settings)
    _test_callbacks(app)
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
