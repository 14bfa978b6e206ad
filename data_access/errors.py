"""Database failures turned into a few domain errors with user-safe text, in one place.

Callers catch ``DataError`` and show ``user_message``; the log keeps the SQL, the parameters and the
driver's own words. The browser never sees them.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc

__all__ = [
    "DataError",
    "ReplicaUnavailable",
    "ReplicaNotAnswering",
    "QueryTimeout",
    "RecoveryConflict",
    "SchemaMismatch",
    "ModuleMissing",
    "FigureUnavailable",
    "NeedsReplica",
    "translate",
    "translated_errors",
]

log = logging.getLogger(__name__)


class DataError(Exception):
    """A failure of the data layer that the page can explain to a person."""

    user_message = "The Odoo data could not be read."
    reason = "data_error"

    def __init__(self, detail: str = "", *, user_message: str | None = None):
        super().__init__(detail or self.user_message)
        self.detail = detail
        if user_message:
            self.user_message = user_message


class ReplicaUnavailable(DataError):
    user_message = "The Odoo replica cannot be reached right now. Figures will return when it is back."
    reason = "replica_unavailable"


class ReplicaNotAnswering(ReplicaUnavailable):
    """The replica took the connection but sent nothing back before the client-side deadline."""

    user_message = "The Odoo replica is not answering right now. Figures will return when it answers again."
    reason = "replica_not_answering"


class QueryTimeout(DataError):
    user_message = "The Odoo replica took too long to answer. Try a shorter period or try again shortly."
    reason = "timeout"


class RecoveryConflict(DataError):
    user_message = "The Odoo replica cancelled the query while it was catching up. Try again in a moment."
    reason = "recovery_conflict"


class SchemaMismatch(DataError):
    user_message = "This Odoo database does not have the tables or columns this view needs."
    reason = "schema_mismatch"


class ModuleMissing(DataError):
    user_message = "The Odoo app this view needs is not installed."
    reason = "module_missing"


class FigureUnavailable(DataError):
    """The data source cannot give an exact figure (the Odoo API user may not read a model, a field the
    API does not expose): the KPI engine reports the KPIs that need it ``unavailable`` with ``detail`` as
    the reason, and computes the others."""

    user_message = "This figure cannot be computed from the data source."
    reason = "figure_unavailable"


class NeedsReplica(DataError):
    """This deployment reads Odoo through its API (``data_path`` = api) without a replica, and this view's
    query exists only in SQL: it is refused, never answered from another database (the demo replica)."""

    user_message = ("Not available through the Odoo API path: this part needs a read-only replica of the Odoo "
                    "database, and this deployment reads Odoo through its API only.")
    reason = "api_path"


# (pattern over the driver's message, error class). First match wins.
_RULES: list[tuple[re.Pattern, type[DataError]]] = [
    (re.compile(r"statement timeout|lock timeout|canceling statement due to (statement|lock)|interrupted", re.I), QueryTimeout),
    (re.compile(r"conflict with recovery", re.I), RecoveryConflict),
    (re.compile(r"connection timeout expired", re.I), ReplicaNotAnswering),
    (re.compile(r"connection refused|could not connect|server closed|timeout expired|no such host|"
                r"unable to open database|could not translate host|terminating connection|"
                r"connection .* failed|the database system is", re.I), ReplicaUnavailable),
    (re.compile(r"no such table|no such column|does not exist|undefinedtable|undefinedcolumn", re.I), SchemaMismatch),
]


def translate(error: BaseException) -> DataError:
    """Map a driver or SQLAlchemy exception to a ``DataError``."""
    if isinstance(error, DataError):
        return error
    text = str(getattr(error, "orig", None) or error)
    code = getattr(getattr(error, "orig", None), "sqlstate", None) or getattr(getattr(error, "orig", None), "pgcode", None)
    if code in ("57014", "55P03"):  # cancelled (statement timeout, or the client's cancel); lock timeout
        return QueryTimeout(text)
    if code == "40001" and "recovery" in text.lower():
        return RecoveryConflict(text)
    for pattern, cls in _RULES:
        if pattern.search(text):
            return cls(text)
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)) and getattr(error, "connection_invalidated", False):
        return ReplicaUnavailable(text)
    return DataError(text)


@contextmanager
def translated_errors(what: str, outage=None):
    """Run a block of database work; re-raise any database failure as a ``DataError``, logged.

    With an ``outage`` (``data_access.outage.Outage``), a replica that cannot be reached is logged
    once per outage rather than once per query, and a block that succeeds ends the outage.
    """
    try:
        yield
    except DataError as error:
        if outage is not None and isinstance(error, ReplicaUnavailable):
            outage.failed(what, error)
        raise
    except (sa_exc.SQLAlchemyError, OSError) as error:
        mapped = translate(error)
        if outage is not None and isinstance(mapped, ReplicaUnavailable):
            outage.failed(what, mapped)
        else:
            statement = getattr(error, "statement", None)
            params = getattr(error, "params", None)
            log.warning("%s failed (%s): %s | sql=%s | params=%s", what, mapped.reason, mapped.detail, statement, params)
        raise mapped from error
    else:
        if outage is not None:
            outage.answered()
