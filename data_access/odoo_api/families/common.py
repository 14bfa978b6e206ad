"""What every API sums module shares: Odoo's wire values read back, local days, and grouping in Python.

The API path returns exactly the rows the SQL path's ``*_sums_by_kinds`` functions return (same keys,
same order, same drop-outs), so the KPI layer cannot tell which ran. ``group_sums`` is the Python twin of
``data_access.grouping.sums_by_kinds``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from data_access.context import QueryContext

__all__ = ["dt", "day", "wire", "wire_day", "local_day", "local_week", "local_day_end", "bucket_of", "date_bucket", "group_sums",
           "company_domain", "ids_of", "as_of_day", "first_day"]


def dt(value) -> datetime | None:
    """A datetime field as Odoo sends it (``'YYYY-MM-DD HH:MM:SS'``, naive UTC) or None."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def day(value) -> date | None:
    """A date field as Odoo sends it (``'YYYY-MM-DD'``) or None."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def wire(moment: datetime) -> str:
    """A naive UTC datetime as a domain value (Odoo's ``DEFAULT_SERVER_DATETIME_FORMAT``)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def wire_day(d: date) -> str:
    return d.isoformat()


def local_day(moment: datetime, offset_minutes: int) -> str:
    """ISO text of the local day of ``moment`` (``sqlfuncs.local_day``)."""
    return (moment + timedelta(minutes=offset_minutes)).date().isoformat()


def local_week(moment: datetime, offset_minutes: int) -> str:
    """ISO text of the Monday of the local ISO week of ``moment`` (``sqlfuncs.local_week``)."""
    d = (moment + timedelta(minutes=offset_minutes)).date()
    return (d - timedelta(days=d.weekday())).isoformat()


def local_day_end(moment: datetime, offset_minutes: int) -> datetime:
    """The next local midnight after ``moment``, as naive UTC (``sqlfuncs.local_day_end``)."""
    shifted = moment + timedelta(minutes=offset_minutes)
    midnight = datetime.combine(shifted.date(), datetime.min.time()) + timedelta(days=1)
    return midnight - timedelta(minutes=offset_minutes)


def bucket_of(moment: datetime | None, bucket: str | None, ctx: QueryContext) -> str | None:
    if bucket is None or moment is None:
        return None
    if bucket == "day":
        return local_day(moment, ctx.day_offset_minutes)
    if bucket == "week":
        return local_week(moment, ctx.day_offset_minutes)
    raise ValueError(f"unknown bucket {bucket!r}; expected one of ('day', 'week')")


def date_bucket(d: date | None, bucket: str | None) -> str | None:
    """The day / ISO week's Monday (ISO text) of a DATE field, which is already local: no shift."""
    if bucket is None or d is None:
        return None
    return (d if bucket == "day" else d - timedelta(days=d.weekday())).isoformat()


def as_of_day(ctx: QueryContext) -> date:
    """D, the local date of the period's last day (``queries.supply.as_of_day``)."""
    return (ctx.end + timedelta(minutes=ctx.day_offset_minutes) - timedelta(days=1)).date()


def first_day(ctx: QueryContext) -> date:
    return (ctx.start + timedelta(minutes=ctx.day_offset_minutes)).date()


def company_domain(field: str, ctx: QueryContext) -> list:
    """The company restriction of ``ctx`` as a domain term list (none when unrestricted)."""
    if ctx.company_ids is None:
        return []
    return [(field, "in", list(ctx.company_ids))]


def ids_of(rows: Iterable[dict], field: str = "id") -> list[int]:
    """The distinct non-empty ids of ``field`` over ``rows``, sorted."""
    return sorted({int(r[field]) for r in rows if r.get(field)})


def group_sums(records: Iterable[dict], kinds: Sequence[str], measures: Sequence[str], *, bucket: bool = False,
               split: Sequence[str] = ()) -> dict[str, list[dict]]:
    """``{kind: [{"scope_id", "bucket", <split>..., <measure>: float}, ...]}``: per kind, one row per entity
    (and bucket and ``split`` values) with each measure summed in record order; records without an entity
    of a kind drop out of that kind. Sorted by scope id and bucket, as ``sums_by_kinds`` sorts."""
    out: dict[str, dict[tuple, dict]] = {k: {} for k in kinds}
    for rec in records:
        for kind in kinds:
            sid = rec.get(kind)
            if sid is None:
                continue
            b = rec.get("bucket") if bucket else None
            key = (int(sid), b, *(rec.get(s) for s in split))
            row = out[kind].get(key)
            if row is None:
                row = {"scope_id": int(sid), "bucket": None if b is None else str(b), **{s: rec.get(s) for s in split},
                       **{m: 0.0 for m in measures}}
                out[kind][key] = row
            for m in measures:
                row[m] += float(rec.get(m) or 0)
    return {k: sorted(rows.values(), key=lambda x: (x["scope_id"], x["bucket"] or "")) for k, rows in out.items()}
