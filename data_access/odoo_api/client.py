"""``OdooClient``: Odoo's external API (JSON-RPC through odoorpc, or XML-RPC) for this app.

One client per Odoo database. ``authenticate`` checks the login and keeps the uid and password for
the calls that follow (Odoo's ``execute_kw`` takes them with every call; there is no session to
steal). Transient failures (refused or reset connections, HTTP 502/503/504) are retried with
exponential backoff; everything else fails at once with a ``data_access.odoo_api.errors`` class.
Log lines name the model, method and reason, never arguments, passwords or cookies.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from data_access.odoo_api.errors import (
    ModelAccessDenied,
    OdooApiError,
    OdooServerError,
    UnsupportedVersion,
    WrongCredentials,
)
from data_access.odoo_api.transports import Transport, make_transport

__all__ = ["OdooClient", "OdooVersion", "OdooUserInfo", "SUPPORTED_MAJORS", "DEFAULT_PAGE_SIZE"]

log = logging.getLogger(__name__)

SUPPORTED_MAJORS = (17, 18)
DEFAULT_PAGE_SIZE = 2000
# res.users' groups field: ``groups_id`` in 17.0 and 18.0 (renamed ``group_ids`` after 18.0, saas-18.2).
GROUPS_FIELD = "groups_id"


@dataclass(frozen=True)
class OdooVersion:
    """``common.version()`` of the server: ``serie`` e.g. ``17.0``, ``major`` 17."""

    serie: str
    major: int
    info: tuple

    @property
    def supported(self) -> bool:
        return self.major in SUPPORTED_MAJORS


@dataclass(frozen=True)
class OdooUserInfo:
    """An Odoo user as this app needs it: groups by XML id and the allowed companies."""

    uid: int
    login: str
    name: str
    groups: frozenset[str]
    company_ids: tuple[int, ...]
    company_id: int | None


class OdooClient:
    """``OdooClient(url, db, transport="jsonrpc"|"xmlrpc", connect_timeout=5, timeout=30, retries=2)``."""

    def __init__(self, url: str, db: str, *, transport: str = "jsonrpc", connect_timeout: float = 5.0,
                 timeout: float = 30.0, retries: int = 2, backoff: float = 0.25):
        self.db = db
        self.transport: Transport = make_transport(transport, url, connect_timeout, timeout)
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.uid: int | None = None
        self._password: str | None = None
        self._version: OdooVersion | None = None

    def __repr__(self) -> str:  # never the password
        return f"OdooClient(db={self.db!r}, transport={self.transport.name!r}, uid={self.uid})"

    # --- plumbing -----------------------------------------------------------------------
    def _retry(self, what: str, call):
        attempt = 0
        while True:
            try:
                return call()
            except OdooApiError as error:
                if not error.transient or attempt >= self.retries:
                    log.warning("odoo %s on %s failed: %s", what, self.db, error)
                    raise
                wait = self.backoff * (2 ** attempt)
                attempt += 1
                log.info("odoo %s on %s: %s; retry %d of %d in %.2fs", what, self.db, error, attempt,
                         self.retries, wait)
                time.sleep(wait)

    # --- public API ---------------------------------------------------------------------
    def version(self) -> OdooVersion:
        """The server's Odoo series (read once per client)."""
        if self._version is None:
            raw = self._retry("version", self.transport.version) or {}
            info = tuple(raw.get("server_version_info") or ())
            serie = str(raw.get("server_serie") or raw.get("server_version") or "")
            try:
                major = int(info[0]) if info else int(serie.split("~")[-1].split(".")[0])
            except (ValueError, IndexError):
                major = 0
            self._version = OdooVersion(serie, major, info)
        return self._version

    def check_version(self) -> OdooVersion:
        """The version, or ``UnsupportedVersion`` unless the series is 17 or 18."""
        version = self.version()
        if not version.supported:
            raise UnsupportedVersion(f"Odoo {version.serie or 'of an unknown version'} is not supported "
                                     f"(supported: {', '.join(f'{m}.0' for m in SUPPORTED_MAJORS)})")
        return version

    def authenticate(self, login: str, password: str) -> int:
        """The uid of ``login``; keeps the credentials for later calls. ``WrongCredentials`` when Odoo
        refuses them, ``UnknownDatabase``, ``UnsupportedVersion``, ``OdooUnavailable``/``OdooTimeout``."""
        self.check_version()
        uid = self._retry("login", lambda: self.transport.login(self.db, login, password))
        if not uid:
            log.info("odoo login refused for %r on %s", login, self.db)
            raise WrongCredentials("Odoo refused the login or password")
        self.uid, self._password = int(uid), password
        return self.uid

    def call(self, model: str, method: str, args=None, kwargs=None):
        """``execute_kw(model, method, args, kwargs)`` as the authenticated user."""
        if self.uid is None:
            raise OdooApiError("not signed in to Odoo: call authenticate() first")
        args, kwargs = list(args or []), dict(kwargs or {})
        return self._retry(f"{model}.{method}", lambda: self.transport.execute_kw(
            self.db, self.uid, self._password, model, method, args, kwargs))

    def search_read(self, model: str, domain, fields, order: str | None = None,
                    page_size: int = DEFAULT_PAGE_SIZE, context: dict | None = None) -> list[dict]:
        """Every record matching ``domain`` with only ``fields``, fetched ``page_size`` at a time
        (offset/limit, ordered by ``order`` then id so pages do not overlap)."""
        order = f"{order}, id" if order and "id" not in [t.split()[0] for t in order.split(",")] else (order or "id")
        rows: list[dict] = []
        offset = 0
        while True:
            kwargs = {"fields": list(fields), "offset": offset, "limit": page_size, "order": order}
            if context:
                kwargs["context"] = context
            page = self.call(model, "search_read", [list(domain)], kwargs)
            rows.extend(page)
            if len(page) < page_size:
                return rows
            offset += page_size

    def search_count(self, model: str, domain) -> int:
        return int(self.call(model, "search_count", [list(domain)]))

    def read_group(self, model: str, domain, fields, groupby, lazy: bool = False, orderby: str | None = None) -> list[dict]:
        """Odoo's ``read_group``: one dict per group with ``__count`` (lazy=False), ``__domain`` and the
        aggregates named in ``fields`` (``"amount:sum"``)."""
        kwargs = {"lazy": lazy}
        if orderby:
            kwargs["orderby"] = orderby
        return self.call(model, "read_group", [list(domain), list(fields), list(groupby)], kwargs)

    def can_read(self, model: str) -> bool:
        """Whether the user's access rights allow reading ``model`` (``check_access_rights``); False for a
        model that is not installed (Odoo's UserError "Object x doesn't exist")."""
        try:
            return bool(self.call(model, "check_access_rights", ["read"], {"raise_exception": False}))
        except (ModelAccessDenied, OdooServerError):
            return False

    def user_info(self, uid: int | None = None, candidates=()) -> OdooUserInfo:
        """The user's login, groups (XML ids) and allowed companies.

        Groups come from ``ir.model.data`` rows of the user's ``groups_id``; when the user may not read
        ``ir.model.data`` (Odoo keeps it for administrators), each XML id in ``candidates`` is asked
        with ``res.users.has_group``.
        """
        uid = int(uid or self.uid)
        rows = self.call("res.users", "read", [[uid]],
                         {"fields": ["login", "name", "company_id", "company_ids", GROUPS_FIELD]})
        if not rows:
            raise OdooApiError(f"Odoo user {uid} not found")
        user = rows[0]
        group_ids = list(user.get(GROUPS_FIELD) or [])
        try:
            data = self.search_read("ir.model.data", [("model", "=", "res.groups"), ("res_id", "in", group_ids)],
                                    ["module", "name"])
            groups = {f"{r['module']}.{r['name']}" for r in data}
        except ModelAccessDenied:
            groups = {x for x in candidates if self.call("res.users", "has_group", [[uid], x])}
        company = user.get("company_id")
        return OdooUserInfo(uid, str(user.get("login") or ""), str(user.get("name") or ""), frozenset(groups),
                            tuple(sorted(int(c) for c in user.get("company_ids") or [])),
                            int(company[0]) if company else None)

    def installed_apps(self) -> list[str]:
        """Technical names of the installed modules (``ir.module.module`` in state ``installed``)."""
        rows = self.search_read("ir.module.module", [("state", "=", "installed")], ["name"], order="name")
        return [r["name"] for r in rows]
