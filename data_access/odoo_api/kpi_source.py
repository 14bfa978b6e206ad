"""The KPI engine's data source over Odoo's API, in place of the read-only replica.

``ApiSource`` offers what the KPI families use of a ``data_access.engine.Replica``: ``info`` (Odoo series and
installed apps) and ``run(sql_fn, ctx, ...)``, which answers with the API twin of ``sql_fn``
(``data_access.odoo_api.families.API_SUMS``), so the families, the engine and the pages run unchanged.
Everything is read as the configured Odoo user: its access rights and record rules (company scope) apply,
so this path never sees more than that user may. A model the user may not read, or a sums function with
no API twin, raises ``FigureUnavailable``: the engine reports the KPIs that need it ``unavailable`` with
the reason and computes the others.
"""
from __future__ import annotations

import logging
import threading

from data_access.errors import FigureUnavailable
from data_access.odoo_api.families import API_SUMS
from data_access.odoo_api.kpi_reader import ApiReader
from data_access.odoo_meta import INSTALLED_STATES, OdooInfo
from data_access.schema import SUPPORTED_VERSIONS

__all__ = ["ApiSource"]

log = logging.getLogger(__name__)


class ApiSource:
    """Odoo over its API as a KPI data source (``client``: a connected ``data_access.odoo_api`` client)."""

    dialect = "odoo-api"

    def __init__(self, client, *, is_access_error=None):
        self.client = client
        self.reader = ApiReader(client, is_access_error=is_access_error)
        self._info: OdooInfo | None = None
        self._lock = threading.Lock()

    @property
    def info(self) -> OdooInfo:
        """Odoo series (from the server's version) and installed apps (``ir.module.module``), read once."""
        if self._info is None:
            with self._lock:
                if self._info is None:
                    self._info = self._detect()
        return self._info

    def _detect(self) -> OdooInfo:
        from data_access.errors import SchemaMismatch

        version = self.client.version()
        series = _series(version)
        if series not in SUPPORTED_VERSIONS:
            raise SchemaMismatch(f"Odoo series {series}", user_message=(
                f"This Odoo is {series}; the dashboard reads Odoo {' and '.join(SUPPORTED_VERSIONS)}."))
        modules = self.reader.rows("ir.module.module", [("state", "in", list(INSTALLED_STATES))], ["name"])
        return OdooInfo(series=series, base_version=None, modules=frozenset(m["name"] for m in modules))

    def run(self, fn, *args, **kwargs):
        """``fn``'s rows (a ``data_access.queries`` sums function) computed through the API."""
        twin = API_SUMS.get(fn)
        if twin is None:
            name = getattr(fn, "__name__", str(fn))
            raise FigureUnavailable(f"{name} is not computed through the Odoo API path")
        self.info  # noqa: B018 - the series and apps first: a server of another series stops here
        return twin(self.reader, *args, **kwargs)

    def dispose(self) -> None:
        close = getattr(self.client, "close", None)
        if close is not None:
            close()


def _series(version) -> str:
    """``'17.0'`` from Odoo's ``version_info`` answer (a dict with ``server_serie`` / ``server_version_info``)
    or a version string such as ``'17.0+e'``."""
    if isinstance(version, dict):
        serie = version.get("server_serie")
        if serie:
            return str(serie)
        info = version.get("server_version_info") or []
        if len(info) >= 2:
            return f"{info[0]}.{info[1]}"
        version = version.get("server_version", "")
    text = str(version)
    digits = text.split("+")[0].split("-")[0].split(".")
    return ".".join(digits[:2]) if len(digits) >= 2 else text
