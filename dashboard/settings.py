"""One typed settings object, read from ``ODOO_DASH_*`` environment variables.

Every setting has a default and one line of help (the README's configuration table lists them all,
and a test keeps the two in step). Unknown ``ODOO_DASH_*`` variables are refused, so a typo does not
silently fall back to a default. Outside demo mode there is no usable default secret.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

__all__ = ["Settings", "SettingsError", "ENV_PREFIX", "parse_bool"]

ENV_PREFIX = "ODOO_DASH_"


class SettingsError(ValueError):
    """A setting has a value the app cannot start with."""


def parse_bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"not a boolean: {value!r}")


def _setting(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    # --- the replica
    replica_url: str = _setting("", "SQLAlchemy URL of the read-only Odoo replica (postgresql://...). Empty: the embedded demo replica.")
    statement_timeout_ms: int = _setting(15000, "Time limit of every replica query, in milliseconds.")
    pool_size: int = _setting(5, "Replica connections kept open per worker process (PostgreSQL; up to 5 more on bursts).")
    kpi_parallel: int = _setting(3, "KPI families one computation runs at once, each on its own replica connection (1: one by one).")
    allow_writable_replica_role: bool = _setting(
        False, "Start even if the replica's role can write (superuser, pg_write_all_data, INSERT/UPDATE/DELETE/TRUNCATE"
               " on an Odoo table), with a warning. Default: refuse.")
    # --- what the replica's data means here
    timezone: str = _setting("UTC", "Display time zone: where days begin for periods and daily buckets (IANA name).")
    lang: str = _setting("en_US", "Language for Odoo's translated names, with en_US as fallback.")
    odoo_base_url: str = _setting("", "Base URL of the Odoo web client, for 'open in Odoo' links (e.g. https://erp.example.com). Empty: no links.")
    workcenter_sites: str = _setting("", "Pins work centers to sites: 'workcenter_id:warehouse_id,...'. Others follow their work orders.")
    # --- KPI targets
    kpi_overrides: str = _setting("", "JSON object (or path to a JSON file) overriding KPI targets and thresholds, globally or per site.")
    # --- the app's own store and secrets
    store_url: str = _setting("", "SQLAlchemy URL of the app's own store (users, audit log). Empty: a SQLite file in the instance folder.")
    instance_dir: str = _setting("instance", "Folder for the app's local files: the demo replica and the default app store.")
    secret_key: str = _setting("", "Flask secret key, 32+ random characters, the same in every worker. Required outside demo mode.")
    # --- cache
    cache_type: str = _setting("simple", "Cache of KPI results, drill rows, figures: 'null', 'simple' (per process) or 'redis' (shared by workers).")
    cache_url: str = _setting("redis://127.0.0.1:6379/0", "Redis URL when cache_type is 'redis'.")
    cache_ttl_s: int = _setting(300, "Time to live (seconds) of cached results whose data domain has no DOMAIN_TTL in the KPI catalogue.")
    cache_prefix: str = _setting("odoo-dash", "Prefix of every cache key: give deployments that share one Redis different prefixes.")
    # --- sign-in sessions
    session_hours: int = _setting(12, "Lifetime of a login session, in hours.")
    secure_cookies: bool = _setting(True, "Send session cookies over HTTPS only. Demo mode turns it off (served on plain HTTP locally).")
    # --- sign-in abuse and client addresses
    proxy_count: int = _setting(0, "Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: those headers are ignored).")
    login_limits_address: str = _setting("20 per minute; 60 per hour; 200 per day",
                                         "Failed sign-ins one client address may make, per window (Flask-Limiter syntax); then 429 until one frees.")
    login_limits_user: str = _setting("5 per minute; 10 per 15 minutes; 30 per day",
                                      "Failed sign-ins one client address may make for one username, per window (Flask-Limiter syntax).")
    # --- shop-floor TV boards
    tv_shifts: str = _setting("06:00,14:00,22:00",
                              "Shift start times of the TV boards' 'OEE this shift' (HH:MM, local display time zone, comma-separated).")
    tv_reload_hour: int = _setting(3,
                                   "Hour (0-23, display time zone) at which TV boards reload themselves each night, clearing what the browser holds.")
    # --- sign in with Odoo (issue 13)
    auth_odoo: bool = _setting(False, "Sign in with Odoo: a username that is not a local account is checked against Odoo, its groups give the role.")
    odoo_url: str = _setting("", "Base URL of the Odoo server for the external API (https://erp.example.com).")
    odoo_db: str = _setting("", "Odoo database name used with odoo_url.")
    odoo_transport: str = _setting("jsonrpc", "Odoo API transport: 'jsonrpc' (odoorpc) or 'xmlrpc' (/xmlrpc/2).")
    odoo_timeout_s: int = _setting(15, "Time limit of one Odoo API call, in seconds (connecting: at most 5 s).")
    odoo_group_roles: str = _setting("", "JSON object Odoo group XML id -> role, replacing the default table (see README). Empty: the defaults.")
    odoo_executive_group: str = _setting("", "Odoo group XML id whose members get the executive role (added to the table). Empty: none.")
    odoo_recheck_s: int = _setting(300, "Seconds between re-reads of a signed-in Odoo user's groups and companies.")
    odoo_api_login: str = _setting("", "Odoo login the app reads with (re-checks Odoo users' groups). Empty: Odoo users sign in again each recheck.")
    odoo_api_password: str = _setting("", "Password or API key of odoo_api_login.")
    data_path: str = _setting("sql", "Where KPIs are computed: 'sql' (the replica) or 'api' (Odoo's API as odoo_api_login, under its access rules).")
    # --- demo and logging
    demo_scale: int = _setting(1, "Size of the embedded demo replica (1 = default demo).")
    log_level: str = _setting("INFO", "Python logging level.")

    # --- derived -----------------------------------------------------------------
    @property
    def demo_mode(self) -> bool:
        """True when no replica URL is configured and KPIs read the replica: the embedded demo replica and demo
        users. A deployment on Odoo's API without a replica (``api_only``) is never in demo mode."""
        return not self.replica_url and self.data_path != "api"

    @property
    def api_only(self) -> bool:
        """True when Odoo is read through its API only (``data_path`` = api, no replica URL): SQL-only views
        refuse with ``NeedsReplica`` and no demo replica is built."""
        return not self.replica_url and self.data_path == "api"

    @property
    def instance_path(self) -> Path:
        return Path(self.instance_dir).resolve()

    @property
    def demo_replica_path(self) -> Path:
        return self.instance_path / f"demo-odoo17-scale{self.demo_scale}.sqlite"

    @property
    def effective_replica_url(self) -> str:
        return self.replica_url or f"sqlite:///{self.demo_replica_path}"

    @property
    def effective_store_url(self) -> str:
        return self.store_url or f"sqlite:///{self.instance_path / 'app-store.sqlite'}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def kpi_overrides_dict(self) -> dict:
        raw = self.kpi_overrides.strip()
        if not raw:
            return {}
        if not raw.startswith("{"):
            raw = Path(raw).read_text()
        return json.loads(raw)

    def workcenter_site_pins(self) -> dict[int, int]:
        pins = {}
        for part in filter(None, (p.strip() for p in self.workcenter_sites.split(","))):
            wc, _, wh = part.partition(":")
            pins[int(wc)] = int(wh)
        return pins

    # --- construction --------------------------------------------------------------
    def validate(self) -> Settings:
        """Return self, or raise ``SettingsError`` naming the bad setting."""
        if not self.demo_mode and len(self.secret_key) < 32:
            raise SettingsError(f"{ENV_PREFIX}SECRET_KEY must be set (32+ characters) when a replica URL or data_path api is configured")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"unknown time zone {self.timezone!r}") from None
        if self.cache_type not in ("null", "simple", "redis"):
            raise SettingsError(f"cache_type must be null, simple or redis, not {self.cache_type!r}")
        if self.cache_ttl_s < 1:
            raise SettingsError("cache_ttl_s must be at least 1")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", self.cache_prefix):
            raise SettingsError(f"cache_prefix must be 1-64 letters, digits, '_', '.' or '-', not {self.cache_prefix!r}")
        if self.statement_timeout_ms < 100:
            raise SettingsError("statement_timeout_ms must be at least 100")
        if self.pool_size < 1:
            raise SettingsError("pool_size must be at least 1")
        if not 1 <= self.kpi_parallel <= self.pool_size + 5:
            raise SettingsError(f"kpi_parallel must be 1 to pool_size + 5 ({self.pool_size + 5})")
        if not 0 <= self.proxy_count <= 5:
            raise SettingsError("proxy_count must be 0 to 5 (the reverse proxies in front of the app)")
        for name in ("login_limits_address", "login_limits_user"):
            try:
                parse_many(getattr(self, name))
            except ValueError:
                raise SettingsError(f"{name} must be limits like '5 per minute; 30 per day', not {getattr(self, name)!r}") from None
        if not 0 <= self.tv_reload_hour <= 23:
            raise SettingsError("tv_reload_hour must be an hour from 0 to 23")
        try:
            from dashboard.shifts import parse_shifts

            parse_shifts(self.tv_shifts)
        except ValueError as error:
            raise SettingsError(f"bad tv_shifts: {error}") from None
        if self.auth_odoo and not (self.odoo_url and self.odoo_db):
            raise SettingsError("auth_odoo needs odoo_url and odoo_db")
        if self.odoo_transport not in ("jsonrpc", "xmlrpc"):
            raise SettingsError(f"odoo_transport must be jsonrpc or xmlrpc, not {self.odoo_transport!r}")
        if self.data_path not in ("sql", "api"):
            raise SettingsError(f"data_path must be sql or api, not {self.data_path!r}")
        if self.data_path == "api" and not (self.odoo_url and self.odoo_db and self.odoo_api_login and self.odoo_api_password):
            raise SettingsError("data_path api needs odoo_url, odoo_db, odoo_api_login and odoo_api_password")
        if self.odoo_recheck_s < 10 or self.odoo_timeout_s < 1:
            raise SettingsError("odoo_recheck_s must be at least 10 and odoo_timeout_s at least 1")
        try:
            from dashboard.auth.odoo_login import group_roles

            group_roles(self)
        except ValueError as error:
            raise SettingsError(f"bad odoo_group_roles: {error}") from None
        if self.demo_scale < 1:
            raise SettingsError("demo_scale must be at least 1")
        try:
            self.kpi_overrides_dict()
            self.workcenter_site_pins()
        except (ValueError, OSError) as error:
            raise SettingsError(f"bad kpi_overrides or workcenter_sites: {error}") from None
        return self

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> Settings:
        """Read every ``ODOO_DASH_*`` variable; refuse unknown ones and unparsable values."""
        env = os.environ if environ is None else environ
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, raw in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX):].lower()
            if name not in known:
                raise SettingsError(f"unknown setting {key}")
            kind = type(known[name].default)
            try:
                values[name] = parse_bool(raw) if kind is bool else kind(raw)
            except ValueError as error:
                raise SettingsError(f"{key}: {error}") from None
        settings = cls(**values)
        if settings.demo_mode and f"{ENV_PREFIX}SECURE_COOKIES" not in env:
            settings = replace(settings, secure_cookies=False)
        return replace(settings, **overrides).validate()

    @classmethod
    def help_table(cls) -> list[tuple[str, object, str]]:
        """(environment variable, default, help) for every setting."""
        return [(ENV_PREFIX + f.name.upper(), f.default, f.metadata["help"]) for f in fields(cls)]
