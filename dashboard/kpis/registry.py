"""KPI families: the functions that compute a group of KPIs from one set of database sums.

A family is registered by its domain module (``dashboard/kpis/<domain>.py``) with ``register(...)``
at the bottom of the module, exactly as a new family would be. The engine reads ``FAMILIES``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from dashboard.kpis.types import KpiPoint

__all__ = ["Family", "FAMILIES", "register", "family_of", "ComputeFn", "BUCKETS", "check_request", "requested_kinds",
           "points_by_kinds"]

BUCKETS = (None, "day", "week")


class ComputeFn(Protocol):
    def __call__(self, replica, ctx, scope_kind: str, bucket: str | None = None) -> list[KpiPoint]:
        """Return points for every entity of ``scope_kind`` that has data (bucket: None, 'day', 'week').

        ``replica`` is a ``data_access.engine.Replica``; ``ctx`` a ``data_access.context.QueryContext``.
        Raise ``KpiUnavailable`` when the database cannot support the family.
        """


@dataclass(frozen=True)
class Family:
    name: str
    kpis: tuple[str, ...]
    scopes: tuple[str, ...]
    compute: Callable
    requires_modules: tuple[str, ...] = ()
    snapshot: bool = False  # a snapshot of now: as_of and buckets do not apply
    # True: ``compute(replica, ctx, scope_kinds: tuple, bucket)`` answers every requested kind in one go
    # (one GROUPING SETS statement), returning points of all of them; else it is called once per kind.
    multi_kind: bool = False


FAMILIES: dict[str, Family] = {}


def register(family: Family) -> Family:
    FAMILIES[family.name] = family
    return family


def family_of(kpi: str) -> Family:
    for fam in FAMILIES.values():
        if kpi in fam.kpis:
            return fam
    raise KeyError(kpi)


def check_request(scope_kind: str, scopes, bucket) -> None:
    """Raise ``ValueError`` unless ``scope_kind`` is one of ``scopes`` and ``bucket`` one of ``BUCKETS``."""
    if scope_kind not in scopes:
        raise ValueError(f"scope {scope_kind!r} not one of {scopes}")
    if bucket not in BUCKETS:
        raise ValueError(f"bucket {bucket!r} not one of {BUCKETS}")


def requested_kinds(scope_kinds, scopes, bucket) -> tuple[str, ...]:
    """The scope kinds of a ``multi_kind`` family call as a tuple (one kind may be given as a string),
    each checked against ``scopes``, and the bucket checked."""
    kinds = (scope_kinds,) if isinstance(scope_kinds, str) else tuple(scope_kinds)
    if bucket not in BUCKETS:
        raise ValueError(f"bucket {bucket!r} not one of {BUCKETS}")
    for kind in kinds:
        check_request(kind, scopes, bucket)
    return kinds


def points_by_kinds(replica, ctx, scope_kinds, bucket, scopes, sums_by_kinds, to_points, *, series: bool = True,
                    **options) -> list[KpiPoint]:
    """A ``multi_kind`` family's points: ``sums_by_kinds(conn, schema, ctx, kinds[, bucket=...], **options)``
    once for every requested kind (one statement), each kind's sum rows turned into points by
    ``to_points(rows, kind)``. ``series`` False: the sums take no bucket (a snapshot)."""
    kinds = requested_kinds(scope_kinds, scopes, bucket)
    if not kinds:
        return []
    sums = replica.run(sums_by_kinds, ctx, kinds, **({"bucket": bucket} if series else {}), **options)
    return [p for kind in kinds for p in to_points(sums[kind], kind)]
