"""The app under test for the HTTP benchmarks: gunicorn as the Procfile runs it, on loopback, with the
Redis cache on a Redis database of its own and demo users in a temporary app store.

``Server`` starts the Procfile's ``web:`` command (bound to 127.0.0.1 on a free port, workers from
``WEB_CONCURRENCY``, else 2 x cores + 1) with ``gunicorn_hooks.py`` counting replica statements, and
stops it (SIGTERM to the master it started, SIGKILL after 20 s). ``WorkerMonitor`` samples the
workers' CPU seconds and peak RSS from /proc. ``ReplicaActivity`` reads the replica database's
statistics from PostgreSQL.
"""
from __future__ import annotations

import ipaddress
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from _common import ROOT, database_name, libpq_url

__all__ = ["USERS", "LoopbackError", "require_loopback", "procfile_web_command", "default_workers", "pick_redis_db",
           "Server", "WorkerMonitor", "ReplicaActivity"]

# username -> role; every user sees every company and site (the demo's scope). Passwords are random per run.
USERS = {"bench-exec": "executive", "bench-plant": "plant", "bench-tv": "plant"}
HOOKS = Path(__file__).resolve().parent / "gunicorn_hooks.py"


class LoopbackError(ValueError):
    """A benchmark was pointed at something other than this machine's loopback interface."""


def require_loopback(what: str, url_or_host: str) -> None:
    """Raise ``LoopbackError`` unless ``url_or_host`` names 127.0.0.0/8 or ::1 (or 'localhost').

    No DNS lookup: a host name other than ``localhost`` is refused, so nothing can resolve elsewhere."""
    host = urlsplit(url_or_host).hostname if "://" in url_or_host else url_or_host
    if host in (None, ""):
        raise LoopbackError(f"{what}: no host in {url_or_host!r} (a socket path or default host is not checked: give 127.0.0.1)")
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise LoopbackError(f"{what}: {host!r} is not a loopback address; this benchmark only runs against 127.0.0.1")


def procfile_web_command() -> str:
    """The ``web:`` line of the Procfile, as written."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("no web: line in the Procfile")


def default_workers() -> tuple[int, str]:
    """``(workers, why)``: ``WEB_CONCURRENCY`` when set, else 2 x cores + 1."""
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"]), "WEB_CONCURRENCY"
    cores = os.cpu_count() or 1
    return 2 * cores + 1, f"2 x {cores} cores + 1"


CLAIM_KEY = "odoo-dash-bench:owner"  # marks a Redis database a running benchmark uses (set again after each flush)


def pick_redis_db(redis_url: str, wanted: int | None) -> int:
    """``wanted``, else the highest-numbered Redis database that holds no key: no one's cache, and no other
    running benchmark's (each keeps ``CLAIM_KEY`` in its database)."""
    import redis

    if wanted is not None:
        return wanted
    client = redis.Redis.from_url(redis_url)
    try:
        count = int(client.config_get("databases").get("databases", 16))
        used = {int(k[2:]) for k in client.info("keyspace")}
    finally:
        client.close()
    for db in range(count - 1, 0, -1):
        if db not in used:
            return db
    raise RuntimeError("every Redis database holds keys: pass --redis-db N (it will be flushed)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app_env(settings: dict[str, str]) -> dict[str, str]:
    """The environment without any ODOO_DASH_* of the caller's, plus ``settings`` (only names the app knows)."""
    from dashboard.settings import ENV_PREFIX, Settings

    known = {name for name, _default, _help in Settings.help_table()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    for name, value in settings.items():
        key = ENV_PREFIX + name.upper()
        if key in known:
            env[key] = value
    return env


@dataclass
class Server:
    """gunicorn serving the app on 127.0.0.1 (use as a context manager)."""

    replica_url: str
    redis_url: str = "redis://127.0.0.1:6379"
    redis_db: int | None = None
    workers: int | None = None
    log_level: str = "WARNING"
    passwords: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # more settings (name -> value), e.g. statement_timeout_ms
    base: str = ""
    store_url: str = ""  # the temporary app store (SQLite) the server runs with
    command: str = ""
    workers_why: str = ""
    _tmp: str = ""
    _proc: subprocess.Popen | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> Server:
        require_loopback("--db-url", self.replica_url)
        require_loopback("--redis-url", self.redis_url)
        import redis

        if threading.current_thread() is threading.main_thread():  # a SIGTERM still stops gunicorn (via __exit__)
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

        self.redis_db = pick_redis_db(self.redis_url, self.redis_db)
        self.cache_url = f"{self.redis_url.rstrip('/')}/{self.redis_db}"
        self.redis = redis.Redis.from_url(self.cache_url)
        self.flush_cache()
        self._tmp = tempfile.mkdtemp(prefix="odoo-dash-bench-")
        tmp = Path(self._tmp)
        (tmp / "statements").mkdir()
        store_url = self.store_url = f"sqlite:///{tmp / 'app-store.sqlite'}"
        self._add_users(store_url)
        if self.workers is None:
            self.workers, self.workers_why = default_workers()
        else:
            self.workers_why = "--workers"
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = _app_env({
            "replica_url": self.replica_url, "store_url": store_url, "secret_key": secrets.token_urlsafe(40),
            "cache_type": "redis", "cache_url": self.cache_url, "instance_dir": str(tmp / "instance"),
            "secure_cookies": "false", "log_level": self.log_level,
            "allow_writable_replica_role": "true",  # benchmark databases on loopback, read as postgres
            **self.extra,
        })
        env.update(PORT=str(port), WEB_CONCURRENCY=str(self.workers), BENCH_STATEMENTS_DIR=str(tmp / "statements"),
                   BENCH_REPLICA_DB=database_name(self.replica_url), PYTHONUNBUFFERED="1")
        web = procfile_web_command().replace("0.0.0.0", "127.0.0.1")
        self.command = f"{web} --config {shlex.quote(str(HOOKS))}"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        command = re.sub(r"^gunicorn\b", shlex.quote(gunicorn), self.command)
        self._log = open(tmp / "gunicorn.log", "w+b")  # closed in __exit__
        self._proc = subprocess.Popen(["/bin/sh", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _add_users(self, store_url: str) -> None:
        from data_access.app_store import AppStore

        store = AppStore(store_url).create_schema()
        for username, role in USERS.items():
            self.passwords[username] = secrets.token_urlsafe(12)
            store.add_user(username, self.passwords[username], role, actor="benchmark")
        store.dispose()

    def _wait_ready(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def __exit__(self, *exc) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        if getattr(self, "redis", None) is not None:
            self.redis.flushdb()
            self.redis.close()
        if getattr(self, "_log", None) is not None:
            self._log.close()
        if self._tmp and not os.environ.get("BENCH_KEEP_TMP"):
            shutil.rmtree(self._tmp, ignore_errors=True)

    # --- what the benchmarks read ----------------------------------------------------------
    @property
    def pid(self) -> int:
        return self._proc.pid

    def flush_cache(self) -> None:
        """Empty the app's cache (FLUSHDB on its own Redis database), keeping the database claimed."""
        self.redis.flushdb()
        self.redis.set(CLAIM_KEY, f"{socket.gethostname()} pid {os.getpid()}")

    def age_cache(self, seconds: float = 86400.0) -> int:
        """Make every cached value ``seconds`` older (its ``computed_at``), keeping its time to live: what a
        cache sees when its entries pass their TTL (stale-while-revalidate serves them while one request
        refreshes each). Returns how many entries were aged. Entries are the app's pickled
        ``(computed_at, value)`` pairs (dashboard.cache); locks and anything else are left alone."""
        import pickle

        aged = 0
        for key in self.redis.scan_iter(count=500):
            raw = self.redis.get(key)
            try:
                computed_at, value = pickle.loads(raw)
            except Exception:
                continue
            if not isinstance(computed_at, (int, float)):
                continue
            if self.redis.set(key, pickle.dumps((computed_at - seconds, value), protocol=pickle.HIGHEST_PROTOCOL),
                              keepttl=True, xx=True):
                aged += 1
        return aged

    def worker_pids(self) -> list[int]:
        return _children(self.pid)

    def statements(self) -> int:
        """Replica statements sent by every worker so far (workers that exited included)."""
        total = 0
        for path in (Path(self._tmp) / "statements").iterdir():
            try:
                total += int(path.read_bytes() or b"0")
            except (OSError, ValueError):
                pass
        return total

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = (Path(self._tmp) / "gunicorn.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def error_lines(self) -> list[str]:
        """Tracebacks' last lines and ERROR/CRITICAL lines the server logged."""
        self._log.flush()
        text = (Path(self._tmp) / "gunicorn.log").read_text(errors="replace")
        return [line for line in text.splitlines() if re.search(r"\b(ERROR|CRITICAL)\b|Error:|Exception:", line)]


def _children(ppid: int) -> list[int]:
    """Pids whose parent is ``ppid`` (from /proc)."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == ppid:
            out.append(int(entry.name))
    return out


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class WorkerMonitor:
    """Samples the gunicorn workers every ``interval`` s: CPU seconds used since ``start()`` (workers
    that started later from 0) and the peak RSS (VmHWM) of any of them."""

    def __init__(self, server: Server, interval: float = 1.0):
        self.server, self.interval = server, interval
        self.base_cpu: dict[int, float] = {}
        self.last_cpu: dict[int, float] = {}
        self.peak_rss: dict[int, float] = {}
        self._started = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        for pid in self.server.worker_pids():
            cpu, rss = _cpu_seconds(pid), _peak_rss_mb(pid)
            if cpu is not None:
                self.base_cpu.setdefault(pid, 0.0 if self._started else cpu)
                self.last_cpu[pid] = cpu
            if rss is not None:
                self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0.0))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def start(self) -> WorkerMonitor:
        self.sample()  # the workers alive now: count from their current CPU time
        self._started = True
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(self.last_cpu[pid] - self.base_cpu.get(pid, 0.0) for pid in self.last_cpu)

    @property
    def max_rss_mb(self) -> float:
        return max(self.peak_rss.values(), default=float("nan"))

    @property
    def workers_seen(self) -> int:
        return len(self.last_cpu)


class ReplicaActivity:
    """Counters of the replica database in PostgreSQL: ``pg_stat_database`` (transactions ended and rows
    returned, by every session on that database) and, when the extension is loaded, the calls recorded
    by ``pg_stat_statements`` for that database."""

    def __init__(self, replica_url: str):
        self.url = libpq_url(replica_url)
        self.has_statements = self._probe_statements()

    def _query(self, sql: str):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql).fetchone()

    def _probe_statements(self) -> bool:
        import psycopg

        try:
            self._query("SELECT 1 FROM pg_stat_statements LIMIT 1")
            return True
        except psycopg.Error:
            return False

    def snapshot(self) -> dict:
        row = self._query("SELECT xact_commit + xact_rollback, tup_returned FROM pg_stat_database "
                          "WHERE datname = current_database()")
        snap = {"xacts": int(row[0]), "tup_returned": int(row[1])}
        if self.has_statements:
            calls = self._query("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = "
                                "(SELECT oid FROM pg_database WHERE datname = current_database())")
            snap["pgss_calls"] = int(calls[0])
        return snap
