"""TV board soak: a wall display's board in headless Chromium for many refreshes, its JS heap and DOM watched.

    .venv/bin/python benchmarks/tv_soak.py [--refreshes 500] [--every 25] [--interval-ms 1000] [--db-url URL]

The board is the real one (pages/tv.py, assets/tv.js), opened as a wall display opens it: a display is
added to the app store (every panel, dwell 5 s, refresh 10 s: the board's minimum) and Chromium opens its
URL /tv/<token> (no sign-in). The app runs in this process (werkzeug, threaded) on the embedded demo
replica, or on --db-url (PostgreSQL on 127.0.0.1). To reach 500 refreshes in minutes rather than the 83
the board's 10 s minimum takes, the board's refresh interval component (tv-refresh) is set to
--interval-ms from outside (Dash's set_props, as a callback would): every refresh still goes through the
board's own gate, server callback, re-render and stale/clock tick; the clock and the rotation run in
real time. --interval-ms 0 keeps the display's own 10 s.

Every --every refreshes (and at 0), with the refresh interval paused until nothing is in flight or rendering:
garbage collected (CDP HeapProfiler.collectGarbage), then the JS heap
in use (CDP Runtime.getHeapUsage), the DOM nodes alive, attached or not (CDP Memory.getDOMCounters), the
event listeners and the elements in the document. Prints each sample, then start, end and the least
squares slope (bytes and nodes per refresh) and the verdict of ``check``: a rising trend fails.

The check (also run in CI by tests/e2e/test_tv_soak.py, and shown there to fail on a leaking page): the
samples after the first --every refreshes (a warm-up: code compiled, caches filled) are fitted; over their
last half the heap may rise by no more than ``HEAP_SLOPE_LIMIT`` bytes per refresh plus three times the noise
of that slope (a robust fit: the median of pairwise slopes, noise from the median absolute residual), the DOM
nodes by no more than ``NODE_SLOPE_LIMIT`` per refresh, and the heap's end (median of the last three
readings) may be at most ``END_RATIO_LIMIT`` times its start (median of the first three).
"""
from __future__ import annotations

import argparse
import math
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

__all__ = ["COUNTER_JS", "Sample", "Trend", "HEAP_SLOPE_LIMIT", "NODE_SLOPE_LIMIT", "END_RATIO_LIMIT", "install_counter",
           "refreshes", "speed_up", "quiet", "resume", "sample", "soak", "trend", "check", "describe", "fit", "robust_fit"]

# A refresh that leaked a 1 KB string per refresh would add ~9 MB a day at the 10 s minimum interval (the nightly
# reload clears it); a DOM node kept per refresh, 8,640 a day. Either is a defect to catch, not noise.
HEAP_SLOPE_LIMIT = 1024.0  # bytes per refresh, over the last half, on top of 3 standard errors of the fit
NODE_SLOPE_LIMIT = 0.25  # DOM nodes per refresh over the last half
END_RATIO_LIMIT = 1.15  # heap at the end / heap after the warm-up

# Counts the board's refresh answers (its own callback: the request that writes tv-deck.children) and keeps the
# last answer's tv-state.as_of; installed before any page script, so tv.js's fetch wrapper sits on top of it.
# One object of three values: nothing accumulates.
COUNTER_JS = """
(function () {
  const native = window.fetch;
  const soak = window.__tvSoak = {done: 0, failed: 0, asOf: null};
  window.fetch = function (input, init) {
    const pending = native.apply(this, arguments);
    const url = typeof input === "string" ? input : (input && input.url) || "";
    const body = init && typeof init.body === "string" ? init.body : "";
    if (url.indexOf("_dash-update-component") !== -1 && body.indexOf("tv-deck.children") !== -1) {
      pending.then(function (res) {
        if (!res.ok) { soak.failed += 1; return; }
        soak.done += 1;
        res.clone().json().then(function (answer) {
          const state = ((answer || {}).response || {})["tv-state"];
          if (state && state.data && state.data.ok) { soak.asOf = state.data.as_of; }
        }, function () {});
      }, function () { soak.failed += 1; });
    }
    return pending;
  };
})();
"""


@dataclass(frozen=True)
class Sample:
    refreshes: int
    heap_used: int  # bytes, V8 heap in use after a full GC
    nodes: int  # DOM nodes alive (attached or detached) after the GC
    listeners: int
    elements: int  # elements in the document
    history: int  # entries in Dash's undo history (dash-renderer records every input prop change; -1: unknown)
    seconds: float  # since the soak started


@dataclass(frozen=True)
class Trend:
    heap_start: int
    heap_end: int
    heap_slope: float  # bytes per refresh, every sample after the warm-up
    heap_slope_last_half: float  # robust (Theil-Sen)
    heap_slope_error: float  # the noise of that slope (robust standard error)
    nodes_start: int
    nodes_end: int
    node_slope: float
    node_slope_last_half: float


def install_counter(driver) -> None:
    """Count the board's refreshes in every page this driver opens from now on (before the page's scripts)."""
    driver.execute_cdp_cmd("Page.enable", {})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNTER_JS})


def refreshes(driver) -> tuple[int, int]:
    """``(answered, failed)`` refreshes of the board since it opened."""
    done = driver.execute_script("return window.__tvSoak ? [window.__tvSoak.done, window.__tvSoak.failed] : [-1, -1];")
    return int(done[0]), int(done[1])


def speed_up(driver, interval_ms: int) -> None:
    """Set the board's refresh interval component to ``interval_ms`` (the board keeps its gate and config)."""
    driver.execute_script("window.dash_clientside.set_props('tv-refresh', {interval: arguments[0]});", interval_ms)


def quiet(driver, timeout_s: float = 30.0) -> int:
    """Pause the board's refresh interval and wait until no refresh is in flight or rendering (a reading taken
    mid-render counts the old and the new panels both); returns the refreshes answered. ``resume`` restarts it."""
    driver.execute_script("window.dash_clientside.set_props('tv-refresh', {disabled: true});")
    end = time.monotonic() + timeout_s
    last, since = refreshes(driver)[0], time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        done = refreshes(driver)[0]
        busy = driver.execute_script("return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length;")
        if done != last or busy:
            last, since = done, time.monotonic()
        elif time.monotonic() - since >= 0.5:
            return done
    raise AssertionError("the board never settled for a reading")


def resume(driver) -> None:
    driver.execute_script("window.dash_clientside.set_props('tv-refresh', {disabled: false});")


def sample(driver, count: int, t0: float) -> Sample:
    """Collect garbage, then read the heap and the DOM counters."""
    for _ in range(2):  # a second pass frees what the first one's finalizers released
        driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    heap = driver.execute_cdp_cmd("Runtime.getHeapUsage", {})
    dom = driver.execute_cdp_cmd("Memory.getDOMCounters", {})
    elements, history = driver.execute_script(
        "const s = (window.dash_stores || [])[0]; const h = s && s.getState().history;"
        "return [document.getElementsByTagName('*').length, h && h.past ? h.past.length : -1];")
    return Sample(count, int(heap["usedSize"]), int(dom["nodes"]), int(dom["jsEventListeners"]), int(elements), int(history),
                  round(time.monotonic() - t0, 1))


def soak(driver, total: int, every: int, timeout_s: float, log=None) -> list[Sample]:
    """Samples at 0 and every ``every`` refreshes up to ``total`` (the board already open and counting).
    Raises ``AssertionError`` when the board stops refreshing (no answer for ``timeout_s``) or a refresh fails."""
    t0 = time.monotonic()
    samples = [sample(driver, quiet(driver), t0)]
    resume(driver)
    if log:
        log(samples[-1])
    target = every
    last_change, last_seen = time.monotonic(), samples[0].refreshes
    while target <= total:
        done, failed = refreshes(driver)
        if failed:
            raise AssertionError(f"{failed} refresh(es) of the board failed after {done}")
        if done != last_seen:
            last_change, last_seen = time.monotonic(), done
        elif time.monotonic() - last_change > timeout_s:
            raise AssertionError(f"the board stopped refreshing at {done} refreshes")
        if done >= target:
            samples.append(sample(driver, quiet(driver), t0))
            resume(driver)
            last_change = time.monotonic()
            if log:
                log(samples[-1])
            target += every
        else:
            time.sleep(0.05)
    return samples


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least squares slope of ``ys`` over ``xs`` and its standard error (0 with fewer than 3 points)."""
    n = len(xs)
    if n < 2:
        return 0.0, 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0, 0.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    if n < 3:
        return slope, 0.0
    residual = sum((y - (my + slope * (x - mx))) ** 2 for x, y in zip(xs, ys))
    return slope, math.sqrt(residual / (n - 2) / sxx)


def robust_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Theil-Sen slope (the median of the pairwise slopes: one transient reading cannot swing it) and the noise of
    that slope: 1.4826 x the median absolute residual (a robust standard deviation) over the spread of ``xs``."""
    pairs = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[j] != xs[i]]
    if not pairs:
        return 0.0, 0.0
    slope = statistics.median(pairs)
    intercept = statistics.median(y - slope * x for x, y in zip(xs, ys))
    mad = statistics.median(abs(y - intercept - slope * x) for x, y in zip(xs, ys))
    mx = sum(xs) / len(xs)
    sxx = sum((x - mx) ** 2 for x in xs)
    return slope, (1.4826 * mad / math.sqrt(sxx)) if sxx else 0.0


def trend(samples: list[Sample], warmup: int) -> Trend:
    """The trend of the samples taken after ``warmup`` refreshes (code compiled, caches filled: not a leak):
    least squares slopes over them all (reported), robust slopes over their last half (judged), and start and
    end as the medians of the first and last three readings."""
    kept = [s for s in samples if s.refreshes >= warmup]
    if len(kept) < 6:
        raise ValueError(f"{len(kept)} samples after the warm-up: too few for a trend (6 at least)")
    half = kept[len(kept) // 2:]
    xs, hx = [s.refreshes for s in kept], [s.refreshes for s in half]
    heap_half, heap_noise = robust_fit(hx, [s.heap_used for s in half])
    return Trend(int(statistics.median(s.heap_used for s in kept[:3])), int(statistics.median(s.heap_used for s in kept[-3:])),
                 fit(xs, [s.heap_used for s in kept])[0], heap_half, heap_noise,
                 int(statistics.median(s.nodes for s in kept[:3])), int(statistics.median(s.nodes for s in kept[-3:])),
                 fit(xs, [s.nodes for s in kept])[0], robust_fit(hx, [s.nodes for s in half])[0])


def check(t: Trend, heap_slope_limit: float = HEAP_SLOPE_LIMIT) -> list[str]:
    """Why the trend is rising (empty: flat)."""
    problems = []
    heap_limit = heap_slope_limit + 3 * t.heap_slope_error
    if t.heap_slope_last_half > heap_limit:
        problems.append(f"JS heap rises {t.heap_slope_last_half:,.0f} bytes per refresh over the last half "
                        f"(limit {heap_limit:,.0f}: {heap_slope_limit:,.0f} + 3 x {t.heap_slope_error:,.0f} noise)")
    if t.node_slope_last_half > NODE_SLOPE_LIMIT:
        problems.append(f"DOM nodes rise {t.node_slope_last_half:.2f} per refresh over the last half (limit {NODE_SLOPE_LIMIT})")
    if t.heap_end > END_RATIO_LIMIT * t.heap_start:
        problems.append(f"JS heap ends at {t.heap_end / t.heap_start:.2f} x its start after the warm-up (limit {END_RATIO_LIMIT})")
    return problems


def describe(t: Trend) -> str:
    return (f"JS heap {t.heap_start / 1e6:.2f} MB -> {t.heap_end / 1e6:.2f} MB, slope {t.heap_slope:+,.0f} bytes/refresh "
            f"({t.heap_slope_last_half:+,.0f} ± {t.heap_slope_error:,.0f} over the last half); DOM nodes {t.nodes_start} -> "
            f"{t.nodes_end}, slope {t.node_slope:+.3f}/refresh ({t.node_slope_last_half:+.3f} over the last half)")


# --- the script --------------------------------------------------------------------------------------------------
def browser(width: int = 1920, height: int = 1080):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options)


def wait_for(condition, what: str, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise SystemExit(f"tv_soak: never {what}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refreshes", type=int, default=500, help="refreshes to run (default 500)")
    parser.add_argument("--every", type=int, default=25, help="sample every N refreshes (default 25)")
    parser.add_argument("--interval-ms", type=int, default=1000,
                        help="the board's refresh interval during the soak, ms (default 1000; 0: the display's own 10 s)")
    parser.add_argument("--db-url", default="", help="replica URL (PostgreSQL on 127.0.0.1); default the embedded demo")
    parser.add_argument("--site", type=int, default=None, help="the display's site (default the demo's breakdown site)")
    args = parser.parse_args(argv)
    if args.refreshes < 2 * args.every or args.every < 1:
        parser.error("need --every >= 1 and --refreshes >= 2 x --every")

    from werkzeug.serving import make_server

    from dashboard import create_app
    from dashboard.settings import Settings
    from dashboard.tv_panels import MIN_DWELL_S, MIN_REFRESH_S, PANELS
    from data_access.demo.scenario import STORY

    if args.db_url:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _app import require_loopback

        require_loopback("--db-url", args.db_url)
    instance = tempfile.mkdtemp(prefix="tv-soak-")
    settings = Settings(replica_url=args.db_url, secret_key=secrets.token_urlsafe(40), instance_dir=instance,
                        cache_type="simple", secure_cookies=False, log_level="WARNING",
                        allow_writable_replica_role=bool(args.db_url)).validate()
    app = create_app(settings)
    site = args.site or STORY["breakdown_warehouse_id"]
    store = app.server.extensions["odoo_dash"].store
    _display, token = store.displays.add("Soak TV", site, None, [{"panel": p, "dwell_s": MIN_DWELL_S} for p in PANELS],
                                         MIN_REFRESH_S, "dark", actor="tv_soak")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    driver = browser()
    pace = f"{args.interval_ms} ms interval (set on tv-refresh)" if args.interval_ms else f"the display's {MIN_REFRESH_S} s"
    print(f"TV soak: {args.refreshes} refreshes, a sample every {args.every}, {pace}; site {site}, every panel "
          f"(dwell {MIN_DWELL_S} s); replica {'embedded demo' if not args.db_url else args.db_url.rsplit('/', 1)[-1]}")
    print(f"  {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}, headless, 1920x1080")
    print(f"  {'refreshes':>9}{'seconds':>9}{'heap MB':>10}{'DOM nodes':>11}{'listeners':>11}{'elements':>10}"
          f"{'Dash history':>14}")

    def log(s: Sample) -> None:
        print(f"  {s.refreshes:>9}{s.seconds:>9.1f}{s.heap_used / 1e6:>10.3f}{s.nodes:>11}{s.listeners:>11}{s.elements:>10}"
              f"{s.history:>14}", flush=True)

    try:
        install_counter(driver)
        driver.get(f"{base}/tv/{token}")
        wait_for(lambda: driver.execute_script("return !!document.querySelector('#tv-board') && "
                                               "document.querySelector('#tv-fresh').textContent.indexOf('Data as of') !== -1;"),
                 "saw the board with its data")
        if args.interval_ms:
            speed_up(driver, args.interval_ms)
        samples = soak(driver, args.refreshes, args.every, timeout_s=max(60.0, 3 * MIN_REFRESH_S), log=log)
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(instance, ignore_errors=True)
    t = trend(samples, args.every)
    problems = check(t)
    print(f"\n  {describe(t)}")
    print(f"  over {samples[-1].seconds:.0f} s; start = after the first {args.every} refreshes (warm-up)")
    print(f"  verdict: {'FAIL: ' + '; '.join(problems) if problems else 'PASS (no rising trend)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
