"""The KPI engine's data source over Odoo's API, in place of the read-only replica.

``ApiSource`` offers what the KPI families use of a ``data_access.engine.Replica``: ``info`` (Odoo series and
installed apps) and ``run(sql_fn, ctx, ...)``, which answers with the API twin of ``sql_fn``
(``data_access.odoo_api.families.API_SUMS``; for a dimension list ``odoo_api.dimensions.API_DIMENSIONS``),
so the families, the engine and the pages run unchanged.
Everything is read as the configured Odoo user: its access rights and record rules (company scope) apply,
so this path never sees more than that user may. A model the user may not read, or a sums function with
no API twin, raises ``FigureUnavailable``: the engine reports the KPIs that need it ``unavailable`` with
the reason and computes the others.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from data_access.errors import DataError, FigureUnavailable, ReplicaNotAnswering, ReplicaUnavailable, SchemaMismatch
from data_access.odoo_api.dimensions import API_DIMENSIONS
from data_access.odoo_api.errors import OdooApiError, OdooTimeout, OdooUnavailable
from data_access.odoo_api.families import API_SUMS, NOT_SERVED
from data_access.odoo_api.kpi_reader import ApiReader
from data_access.odoo_meta import INSTALLED_STATES, OdooInfo
from data_access.schema import SUPPORTED_VERSIONS

__all__ = ["ApiSource"]

log = logging.getLogger(__name__)


class ApiSource:
    """Odoo over its API as a KPI data source (``client``: a signed-in ``data_access.odoo_api.OdooClient``)."""

    dialect = "odoo-api"

    def __init__(self, client, *, login: str | None = None, password: str | None = None, is_access_error=None):
        self.client = client
        self._credentials = (login, password) if login else None
        self.reader = ApiReader(client, is_access_error=is_access_error)
        self._info: OdooInfo | None = None
        self._lock = threading.RLock()  # info() holds it while _detect() signs in under it

    @property
    def info(self) -> OdooInfo:
        """Odoo series (from the server's version) and installed apps (``ir.module.module``), read once."""
        if self._info is None:
            with self._lock:
                if self._info is None:
                    self._info = self._detect()
        return self._info

    def _signed_in(self) -> None:
        """Sign in on first use when built with credentials (an app process: no network at start-up)."""
        if self._credentials and getattr(self.client, "uid", None) is None:
            with self._lock, odoo_errors("signing in to Odoo"):
                if self.client.uid is None:
                    self.client.authenticate(*self._credentials)

    def _detect(self) -> OdooInfo:
        self._signed_in()
        with odoo_errors("reading the Odoo version and apps"):
            version = self.client.version()
            series = f"{version.major}.0"
            if series not in SUPPORTED_VERSIONS:
                raise SchemaMismatch(f"Odoo series {version.serie}", user_message=(
                    f"This Odoo is {version.serie}; the dashboard reads Odoo {' and '.join(SUPPORTED_VERSIONS)}."))
            modules = self.reader.rows("ir.module.module", [("state", "in", list(INSTALLED_STATES))], ["name"])
        return OdooInfo(series=series, base_version=version.serie, modules=frozenset(m["name"] for m in modules))

    def run(self, fn, *args, **kwargs):
        """``fn``'s rows (a ``data_access.queries`` sums function) computed through the API."""
        twin = API_SUMS.get(fn) or API_DIMENSIONS.get(fn)
        if twin is None:
            name = getattr(fn, "__name__", str(fn))
            raise FigureUnavailable(NOT_SERVED.get(fn) or f"{name} is not computed through the Odoo API path")
        self.reader.info = self.info  # the series and apps first: a server of another series stops here
        with odoo_errors(getattr(fn, "__name__", "query")):
            return twin(self.reader, *args, **kwargs)

    def dispose(self) -> None:
        close = getattr(self.client, "close", None)
        if close is not None:
            close()


@contextmanager
def odoo_errors(what: str):
    """Odoo API failures as the data layer's errors (one place): a server down or silent is
    ``ReplicaUnavailable`` / ``ReplicaNotAnswering``, anything else a ``DataError`` with the client's
    one-line message; ``FigureUnavailable`` (a model the user may not read) passes as it is."""
    try:
        yield
    except OdooTimeout as error:
        log.warning("%s through the Odoo API: %s", what, error)
        raise ReplicaNotAnswering(str(error), user_message="Odoo is not answering right now. Figures will return "
                                                            "when it answers again.") from error
    except OdooUnavailable as error:
        log.warning("%s through the Odoo API: %s", what, error)
        raise ReplicaUnavailable(str(error), user_message="Odoo cannot be reached right now. Figures will return "
                                                           "when it is back.") from error
    except OdooApiError as error:
        log.warning("%s through the Odoo API: %s", what, error)
        raise DataError(str(error), user_message=f"Odoo's API refused the request: {error}") from error
