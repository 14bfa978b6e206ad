"""Helpers the benchmark scripts share: demo databases, timing, statistics, the machine, PASS/MISS lines.

Not a benchmark itself (the leading underscore): ``kpis_bench``, ``family_bench``, ``callback_bench``,
``load_test`` and ``interaction_bench`` import it. Only tools use it, never the app.
"""
from __future__ import annotations

import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["ROOT", "ensure_db", "best", "timed", "capture_sql", "psql_seconds", "percentile", "summary",
           "verdict", "machine", "git_commit", "database_name", "libpq_url", "now_utc"]


def ensure_db(admin_url: str, scale: int, rebuild: bool) -> tuple[str, float | None]:
    """The demo replica of ``scale`` in database ``odoo_dash_bench_s<scale>`` (built when missing);
    returns its URL and the build time (None when it was already there)."""
    from data_access.admin import analyze, ensure_database, has_odoo_tables
    from data_access.demo import build_demo

    url = ensure_database(admin_url, f"odoo_dash_bench_s{scale}", recreate=rebuild)
    built = None
    if not has_odoo_tables(url):
        t0 = time.perf_counter()
        build_demo(url, scale=scale)
        built = time.perf_counter() - t0
    analyze(url)
    return url, built


def timed(fn: Callable, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def best(fn: Callable, repeat: int) -> float:
    """The fastest of ``repeat`` calls of ``fn``, in seconds."""
    return min(timed(fn, repeat))


def capture_sql(replica, fn: Callable) -> list[str]:
    """Run ``fn`` and return its statements with parameters inlined by the driver (for psql)."""
    from data_access.admin import recorded_statements

    with recorded_statements(replica.engine) as statements:
        fn()
    return statements


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq/psycopg reads it (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def database_name(url: str) -> str:
    return urlsplit(libpq_url(url)).path.lstrip("/")


def psql_seconds(url: str, statements: list[str], repeat: int) -> float:
    """Best total of psql's timings for the statements (one psql session per round)."""
    u = urlsplit(libpq_url(url))
    script = "\\timing on\n" + "\n".join(s.rstrip().rstrip(";") + ";" for s in statements) + "\n"
    totals = []
    for _ in range(repeat):
        out = subprocess.run(["psql", "-X", "-q", "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432), "-U",
                              u.username or "postgres", "-d", u.path.lstrip("/"), "-o", "/dev/null"],
                             input=script, capture_output=True, text=True, check=True).stdout
        totals.append(sum(float(ms) for ms in re.findall(r"Time: ([0-9.]+) ms", out)) / 1000.0)
    return min(totals)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by the nearest-rank method (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Iterable[float]) -> dict:
    """``n, p50, p95, max, best, median`` of a list of seconds (NaN when empty)."""
    vals = list(values)
    if not vals:
        return {"n": 0, "p50": math.nan, "p95": math.nan, "max": math.nan, "best": math.nan, "median": math.nan}
    return {"n": len(vals), "p50": percentile(vals, 50), "p95": percentile(vals, 95), "max": max(vals),
            "best": min(vals), "median": statistics.median(vals)}


def verdict(ok: bool | None) -> str:
    """PASS / MISS (``None``: n/a, nothing measured)."""
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def git_commit() -> str:
    """Short commit of the checkout, with ``+dirty`` when tracked files differ from it."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("+dirty" if dirty else "")


def machine() -> str:
    """One line: cores, RAM, CPU model, Python and PostgreSQL client versions."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = math.nan
    return f"{os.cpu_count()} cores ({model}), {ram:.1f} GiB RAM, Python {platform.python_version()}"
