"""The arguments every KPI query takes: a period in naive UTC, a scope, a language.

Only primitives, so a context is hashable and can be part of a cache key. The dashboard builds it
(``dashboard.kpis.period``); the data layer only reads it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ["QueryContext", "LANG_RE"]

LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?(@[a-z]+)?$")


@dataclass(frozen=True)
class QueryContext:
    """One KPI request, resolved to database terms.

    ``start``/``end`` bound the period half-open, as naive UTC datetimes (Odoo's storage).
    ``day_offset_minutes`` is the display zone's UTC offset at ``end``; queries that need "the local
    day of a record" (the end of a line's planned day, per-day buckets) shift by it. It is exact for
    UTC and for any zone without a DST change inside the period.
    ``company_ids``/``warehouse_ids``: ``None`` means no restriction; a tuple restricts (an empty
    tuple matches nothing).
    """

    start: datetime
    end: datetime
    day_offset_minutes: int = 0
    company_ids: tuple[int, ...] | None = None
    warehouse_ids: tuple[int, ...] | None = None
    lang: str = "en_US"

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("period start must be before its end")
        if not LANG_RE.match(self.lang):
            raise ValueError(f"bad language code {self.lang!r}")
        if self.start.tzinfo or self.end.tzinfo:
            raise ValueError("period bounds are naive UTC datetimes")
