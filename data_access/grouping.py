"""Sums of one set of records per several scope kinds in ONE statement (no work repeated per kind).

``records`` is a select with one column per scope kind (the entity id of that kind, NULL when the
record has none: named after the kind, e.g. ``workcenter``, ``warehouse``, ``company``), a
``bucket`` column when bucketed, and the measure columns. PostgreSQL groups it with
``GROUPING SETS``: one scan, one sort or hash per set. SQLite has no grouping sets: it groups the
records' CTE per kind (``UNION ALL``; SQLite materializes a CTE read more than once). Both return the same
rows: per kind, one row per entity (and bucket) with the sums; records without an entity of a kind
drop out of that kind only. ``split`` names further columns of ``records`` grouped with every kind (e.g.
the company and its currency, so amounts of different currencies are never summed together): each row
then carries them, and one entity may have several rows.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, literal, select, tuple_, union_all
from sqlalchemy.sql import Select

__all__ = ["sums_by_kinds"]


def sums_by_kinds(conn, records: Select, kinds: Sequence[str], measures: Sequence[str], *,
                  bucket: bool = False, split: Sequence[str] = ()) -> dict[str, list[dict]]:
    """``{kind: [{"scope_id", "bucket", <split column>: value, ..., <measure>: float, ...}, ...]}`` for every
    kind of ``kinds`` (sorted by scope id and bucket). ``bucket`` False: one row per entity (and ``split``
    values), ``bucket`` None."""
    if not kinds:
        return {}
    r = records.cte("records")
    b = [r.c.bucket] if bucket else []
    b += [r.c[s] for s in split]
    sums = [func.sum(r.c[m]).label(m) for m in measures]
    if conn.dialect.name == "postgresql":
        flags = [func.grouping(r.c[k]).label(f"g_{k}") for k in kinds]
        sets = [tuple_(r.c[k], *b) if b else r.c[k] for k in kinds]
        group = func.grouping_sets(*sets) if len(kinds) > 1 else sets[0]
        stmt = select(*flags, *[r.c[k] for k in kinds], *b, *sums).group_by(group)
        rows = conn.execute(stmt).mappings()
        picked = ((next(k for k in kinds if row[f"g_{k}"] == 0), row) for row in rows)
        tagged = ((kind, row[kind], row) for kind, row in picked)
    else:
        parts = [select(literal(i).label("kind_no"), r.c[k].label("scope_id"), *b, *sums)
                 .where(r.c[k].is_not(None)).group_by(r.c[k], *b) for i, k in enumerate(kinds)]
        rows = conn.execute(union_all(*parts)).mappings()
        tagged = ((kinds[row["kind_no"]], row["scope_id"], row) for row in rows)
    out: dict[str, list[dict]] = {k: [] for k in kinds}
    for kind, scope_id, row in tagged:
        if scope_id is None:
            continue
        item = {"scope_id": int(scope_id), "bucket": str(row["bucket"]) if bucket and row["bucket"] is not None else None}
        item.update({s: row[s] for s in split})
        item.update({m: float(row[m] or 0) for m in measures})
        out[kind].append(item)
    for rows_of_kind in out.values():
        rows_of_kind.sort(key=lambda x: (x["scope_id"], x["bucket"] or ""))
    return out
