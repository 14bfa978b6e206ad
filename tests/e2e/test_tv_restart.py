"""A wall display's board recovers by itself when the server is restarted under it: while the server is down the
board keeps its panels and shows "Stale since HH:MM"; once a new server process answers on the same port, the
next refresh clears the banner and shows the new process's "data as of", with no page reload.

The server is a real process (``python -m dashboard run``) on the e2e run's demo replica and app store, with a
fixed secret key (as production has: the display's cookie outlives the process); it is stopped with SIGTERM
and started again, so nothing of the first process (its cache included) survives.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from data_access.demo.scenario import STORY

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from tv_soak import install_counter  # noqa: E402  (the board's refresh counter and last as_of)

SITE = STORY["breakdown_warehouse_id"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    """``python -m dashboard run`` on one port, started and stopped at will."""

    def __init__(self, settings, port: int):
        self.port, self.proc = port, None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_DASH_")}
        self.env.update(ODOO_DASH_INSTANCE_DIR=str(settings.instance_dir), ODOO_DASH_SECRET_KEY=secrets.token_urlsafe(40),
                        ODOO_DASH_CACHE_TYPE="simple", ODOO_DASH_SECURE_COOKIES="false", ODOO_DASH_LOG_LEVEL="WARNING",
                        ODOO_DASH_TIMEZONE=settings.timezone, PYTHONUNBUFFERED="1")

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "dashboard", "run", "--host", "127.0.0.1", "--port", str(self.port)],
                                     cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"the app exited with {self.proc.returncode}: {self.proc.stdout.read()[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("the app did not answer /healthz")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.proc.stdout.close()
        self.proc = None


@pytest.fixture
def app_process(demo_app, demo_settings):
    """The app in its own process on the e2e demo replica (built by ``demo_app``) and app store."""
    process = AppProcess(demo_settings, _free_port())
    yield process
    process.stop()


def _wait(condition, what: str, timeout: float):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"never: {what}")


def test_the_board_recovers_after_a_server_restart_without_a_reload(dash_duo, demo_app, demo_settings, app_process):
    from dashboard.extensions import STATE_KEY

    store = demo_app.server.extensions[STATE_KEY].store
    _display, token = store.displays.add("Restart TV", SITE, None, [{"panel": "status", "dwell_s": 20},
                                                                     {"panel": "downtime", "dwell_s": 20}], 10, "dark",
                                         actor="test")
    driver = dash_duo.driver
    install_counter(driver)
    app_process.start()
    driver.get(f"http://127.0.0.1:{app_process.port}/tv/{token}")  # the wall display's URL: no sign-in

    def text(css: str) -> str:
        return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css)

    def stale_shown() -> bool:
        return driver.execute_script("const e = document.querySelector('#tv-stale');"
                                     "return !!e && !e.classList.contains('tv-hidden') && e.offsetParent !== null;")

    def as_of():
        return driver.execute_script("return window.__tvSoak.asOf;")

    _wait(lambda: "Data as of" in text("#tv-fresh") and as_of(), "the board with its data", 60)
    first_as_of, first_fresh = as_of(), text("#tv-fresh")
    panel = text("#tv-panel-0")
    assert "Loading" not in panel and not stale_shown()
    driver.execute_script("window.__tvMarker = 'same page';")

    app_process.stop()
    banner = _wait(lambda: stale_shown() and text("#tv-stale"), "the stale banner while the server is down", 30)
    assert "Stale since" in banner and "The server cannot be reached" in banner, banner
    assert text("#tv-panel-0") == panel  # the last good values stay on screen
    assert "Data as of" in text("#tv-fresh")

    app_process.start()
    _wait(lambda: not stale_shown() and as_of() != first_as_of, "the banner gone and new data after the restart", 45)
    zone = ZoneInfo(demo_settings.timezone)
    shown = datetime.fromisoformat(as_of()).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    _wait(lambda: f"Data as of {shown}" in text("#tv-fresh"), f"'Data as of {shown}' on screen", 5)
    assert datetime.fromisoformat(as_of()) > datetime.fromisoformat(first_as_of)  # the new process computed it
    assert first_fresh.startswith("Data as of")
    assert "Loading" not in text("#tv-panel-0")
    # the same page all along: the marker set before the restart survives and there was one navigation
    assert driver.execute_script("return window.__tvMarker;") == "same page"
    assert driver.execute_script("return performance.getEntriesByType('navigation').length;") == 1
