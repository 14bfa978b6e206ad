"""Reads for the API KPI path: paged ``search_read`` and ``read_group`` with only the fields asked for,
values put back into plain Python (a many2one ``[id, name]`` -> its id, Odoo's ``False`` for an empty
field -> None), and an access refusal turned into ``FigureUnavailable`` naming the model.

Every ``search_read`` runs with ``active_test`` off: the SQL path reads archived rows too (an archived location or
operation type still places its records), and the dashboard never filters on ``active`` unless a KPI
says so (reordering rules: an explicit ``('active', '=', True)``).
"""
from __future__ import annotations

import logging

from data_access.errors import FigureUnavailable
from data_access.odoo_api.errors import ModelAccessDenied

__all__ = ["ApiReader", "CHUNK"]

log = logging.getLogger(__name__)

CHUNK = 5000  # ids per ``('id', 'in', ...)`` domain: bounded request bodies whatever the history


def _plain(value):
    if value is False:
        return None
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0]
    return value


def _plain_row(row: dict) -> dict:
    return {k: (v if k.endswith("__domain") else _plain(v)) for k, v in row.items()}


class ApiReader:
    """Reads of one signed-in ``data_access.odoo_api.OdooClient`` for the KPI sums (``is_access_error``: which
    exceptions mean "this user may not read the model"; default ``ModelAccessDenied``)."""

    def __init__(self, client, *, is_access_error=None):
        self.client = client
        self._is_access_error = is_access_error or (lambda error: isinstance(error, ModelAccessDenied))
        self.calls = 0
        self.info = None  # the source's OdooInfo (series, apps), set by ApiSource.run for sums that depend on it

    def _call(self, model: str, what, *args, **kwargs):
        self.calls += 1
        try:
            return what(*args, **kwargs)
        except Exception as error:
            if self._is_access_error(error):
                raise FigureUnavailable(f"the Odoo user may not read {model}") from error
            raise

    def rows(self, model: str, domain: list, fields: list[str]) -> list[dict]:
        """Every record of ``model`` matching ``domain`` (paged), with ``id`` and ``fields``, in id order."""
        rows = self._call(model, self.client.search_read, model, domain, fields=list(fields), order="id",
                          context={"active_test": False})
        return [_plain_row(r) for r in rows]

    def by_ids(self, model: str, ids, fields: list[str]) -> list[dict]:
        """The records of ``ids`` the user may read (a record rule drops the others, as a search does)."""
        ids = sorted({int(i) for i in ids if i})
        out: list[dict] = []
        for at in range(0, len(ids), CHUNK):
            out += self.rows(model, [("id", "in", ids[at:at + CHUNK])], fields)
        return out

    def groups(self, model: str, domain: list, fields: list[str], groupby: list[str]) -> list[dict]:
        """``read_group`` rows (``lazy=False``): one per combination of ``groupby`` values, with the
        aggregates of ``fields`` (``'value:sum'`` is read back as ``value``) and ``__count``."""
        rows = self._call(model, self.client.read_group, model, domain, list(fields), list(groupby), lazy=False)
        return [_plain_row(r) for r in rows]
