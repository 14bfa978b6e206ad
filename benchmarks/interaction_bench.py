"""Interaction speed on the demo replica in PostgreSQL: a click to the next rendered view, warm.

    python benchmarks/interaction_bench.py [--scale 1] [--pg-url URL] [--rounds 5] [--trace]

Serves the app on the demo replica (built once by kpis_bench's helper), drives headless Chromium and
times, from the click to the moment the next view's data is on screen:
  executive heat-map cell (breakdown site, downtime) -> plant page heat map of that site;
  plant work center link -> work center detail with its work orders;
  work order row -> work order panel.
The first round warms the caches and is not counted; prints median and worst of the rest (seconds).
"""
from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_db
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.settings import Settings
from data_access.demo.scenario import STORY


def trace_callbacks(server) -> None:
    """Print each callback request's server time and outputs (--trace)."""
    import flask

    @server.before_request
    def _start():
        flask.g.bench_t0 = time.perf_counter()

    @server.after_request
    def _stop(response):
        if flask.request.path.endswith("_dash-update-component"):
            body = flask.request.get_json(silent=True) or {}
            ms = 1000 * (time.perf_counter() - flask.g.bench_t0)
            print(f"  callback {ms:7.1f} ms  {str(body.get('output', ''))[:100]}", flush=True)
        return response


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1920,1080",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options)


def wait_css(driver, css: str, timeout: float = 30) -> None:
    WebDriverWait(driver, timeout, poll_frequency=0.02).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def wait_idle(driver, timeout: float = 120) -> None:
    """Until no Dash component is loading (the view is complete, as a person would see it before clicking)."""
    time.sleep(0.2)
    WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length") == 0)


def timed_click(driver, click_css: str, done_css: str) -> float:
    element = driver.find_element(By.CSS_SELECTOR, click_css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    t0 = time.perf_counter()
    driver.execute_script("arguments[0].click()", element)
    wait_css(driver, done_css)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--trace", action="store_true", help="print the server time of every callback")
    args = parser.parse_args()
    url, _ = ensure_db(args.pg_url, args.scale, rebuild=False)
    instance = tempfile.mkdtemp(prefix="interaction-bench-")
    settings = Settings(replica_url=url, secret_key=secrets.token_urlsafe(40), instance_dir=instance,
                        cache_type="simple", secure_cookies=False, log_level="WARNING").validate()
    app = create_app(settings)
    if args.trace:
        trace_callbacks(app.server)
    password = secrets.token_urlsafe(12)
    app.server.extensions["odoo_dash"].store.add_user("bench", password, "executive")
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    site, wc = STORY["breakdown_warehouse_id"], STORY["breakdown_workcenter_id"]
    driver = browser()
    timings: dict[str, list[float]] = {"executive cell -> plant heat map": [], "plant work center -> work orders": [],
                                       "work order row -> panel": []}
    try:
        driver.get(f"{base}/login")
        driver.find_element(By.ID, "username").send_keys("bench")
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_css(driver, ".shell-navbar")
        for round_no in range(args.rounds + 1):
            driver.get(f"{base}/executive")
            wait_css(driver, "#executive-heatmap .heatmaplayer", 120)
            driver.execute_script("document.querySelector('#executive-table-toggle').click()")
            wait_css(driver, f"#executive-cell-{site}-downtime_hours", 120)
            wait_css(driver, "#executive-trends .dash-graph", 120)
            wait_idle(driver)
            t1 = timed_click(driver, f"#executive-cell-{site}-downtime_hours", "#plant-heatmap .heatmaplayer")
            wait_css(driver, f"#plant-wc-link-{wc}")
            wait_idle(driver)
            t2 = timed_click(driver, f"#plant-wc-link-{wc}", "#workcenter-wo-table td.dash-cell")
            wait_idle(driver)
            cells = driver.find_elements(By.CSS_SELECTOR, "#workcenter-wo-table td.dash-cell")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cells[1])
            t0 = time.perf_counter()
            driver.execute_script("arguments[0].click()", cells[1])
            wait_css(driver, "#workcenter-wo-title")
            t3 = time.perf_counter() - t0
            if round_no:  # round 0 warms the caches
                for key, value in zip(timings, (t1, t2, t3)):
                    timings[key].append(value)
    finally:
        driver.quit()
        server.shutdown()
    print(f"interaction benchmark: demo scale {args.scale} on PostgreSQL, warm, {args.rounds} rounds (seconds)")
    for key, values in timings.items():
        print(f"  {key:<36} median {statistics.median(values):.3f}   worst {max(values):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
