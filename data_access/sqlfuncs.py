"""Dialect-aware SQL expressions that PostgreSQL and SQLite spell differently.

Every function takes the dialect name (``conn.dialect.name``) and returns a Core expression.
Values always travel as bound parameters.
"""
from __future__ import annotations

from sqlalchemy import DateTime, Float, Integer, String, and_, case, cast, false, func, literal, literal_column, null, true
from sqlalchemy.sql import ColumnElement

from data_access.context import LANG_RE

__all__ = [
    "translated",
    "local_day_end",
    "local_day",
    "local_week",
    "add_days",
    "days_between",
    "in_ids",
    "in_period",
    "BUCKETS",
    "check_choice",
    "bucket_expr",
    "floor_",
    "ceil_",
]

_MINUTE = literal_column("interval '1 minute'")
_DAY = literal_column("interval '1 day'")


def translated(col, lang: str, dialect: str) -> ColumnElement:
    """A translated (jsonb) field in ``lang``, falling back to ``en_US``, as text."""
    if not LANG_RE.match(lang):
        raise ValueError(f"bad language code {lang!r}")
    if dialect == "postgresql":
        return func.coalesce(col.op("->>")(literal(lang)), col.op("->>")(literal("en_US")), type_=String)
    return func.coalesce(
        func.json_extract(col, literal(f'$."{lang}"')), func.json_extract(col, literal('$."en_US"')), type_=String
    )


def local_day_end(col, offset_minutes: int, dialect: str) -> ColumnElement:
    """The end (next midnight) of the local day that contains ``col``, as naive UTC."""
    off = int(offset_minutes)
    if dialect == "postgresql":
        shifted = col + literal(off) * _MINUTE
        return func.date_trunc("day", shifted) + _DAY - literal(off) * _MINUTE
    return func.datetime(col, literal(f"{off:+d} minutes"), "start of day", "+1 day", literal(f"{-off:+d} minutes"))


def local_day(col, offset_minutes: int, dialect: str) -> ColumnElement:
    """The local calendar day of ``col`` as ISO text ``YYYY-MM-DD``."""
    off = int(offset_minutes)
    if dialect == "postgresql":
        return func.to_char(col + literal(off) * _MINUTE, "YYYY-MM-DD")
    return func.date(col, literal(f"{off:+d} minutes"))


def local_week(col, offset_minutes: int, dialect: str) -> ColumnElement:
    """The Monday of the local ISO week of ``col`` as ISO text ``YYYY-MM-DD``."""
    off = int(offset_minutes)
    if dialect == "postgresql":
        return func.to_char(func.date_trunc("week", col + literal(off) * _MINUTE), "YYYY-MM-DD")
    # 'weekday 0' moves forward to the next Sunday (or stays on one); -6 days is that ISO week's Monday
    return func.date(col, literal(f"{off:+d} minutes"), "weekday 0", "-6 days")


def add_days(col, days, dialect: str) -> ColumnElement:
    """``col`` plus a (possibly fractional, possibly NULL = 0) number of days, as a timestamp."""
    if dialect == "postgresql":
        return col + func.coalesce(days, 0) * _DAY
    return func.datetime(col, func.printf("%+.6f days", func.coalesce(days, 0.0)), type_=DateTime)


def days_between(start, stop, dialect: str) -> ColumnElement:
    """Days (fractional) from ``start`` to ``stop``."""
    if dialect == "postgresql":
        return func.extract("epoch", stop - start) / 86400.0
    return cast(func.julianday(stop) - func.julianday(start), Float)


def in_ids(col, ids: tuple[int, ...] | None) -> ColumnElement:
    """``col IN ids``; ``None`` means no restriction, an empty tuple matches nothing."""
    if ids is None:
        return true()
    if not ids:
        return false()
    return col.in_([int(i) for i in ids])


def in_period(col, start, end) -> ColumnElement:
    """Half-open ``start <= col < end``."""
    return and_(col >= start, col < end)


# bucket name -> helper that cuts a naive-UTC datetime into local days / ISO weeks
BUCKETS = {"day": local_day, "week": local_week}


def check_choice(value, allowed, what: str) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed`` (the allow-list of a query)."""
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {tuple(allowed)}")


def bucket_expr(col, bucket: str | None, ctx, dialect: str) -> ColumnElement:
    """The local day / ISO week (ISO text) of ``col`` for ``bucket`` in ``ctx``'s zone, NULL without one."""
    if bucket is None:
        return null()
    check_choice(bucket, BUCKETS, "bucket")
    return BUCKETS[bucket](col, ctx.day_offset_minutes, dialect)


def floor_(x, dialect: str) -> ColumnElement:
    """The largest whole number <= ``x`` (SQLite's ``floor`` needs its optional math functions)."""
    if dialect == "postgresql":
        return func.floor(x)
    t = cast(x, Integer)  # truncates toward zero
    return t - case((x < t, 1), else_=0)


def ceil_(x, dialect: str) -> ColumnElement:
    """The smallest whole number >= ``x``."""
    if dialect == "postgresql":
        return func.ceil(x)
    t = cast(x, Integer)
    return t + case((x > t, 1), else_=0)
