"""Periods of whole local days, resolved to the naive-UTC bounds Odoo stores.

The period of ``as_of`` D and ``days`` N is ``[D - N + 1 00:00, D + 1 00:00)`` in the display zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from data_access.context import QueryContext

__all__ = ["Period", "local_midnight_utc"]

MAX_DAYS = 3660


def local_midnight_utc(day: date, tz: str) -> datetime:
    """Naive UTC datetime of 00:00 of ``day`` in zone ``tz``."""
    aware = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))
    return aware.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Period:
    as_of: date
    days: int = 30
    tz: str = "UTC"

    def __post_init__(self):
        if not 1 <= self.days <= MAX_DAYS:
            raise ValueError(f"days must be between 1 and {MAX_DAYS}")
        # Its first day and the midnight after its last (a day's margin for the zone) must be dates.
        if not date.min + timedelta(days=self.days) <= self.as_of <= date.max - timedelta(days=2):
            raise ValueError(f"as_of {self.as_of.isoformat()} is outside the dates a period of {self.days} days "
                             f"can cover ({(date.min + timedelta(days=self.days)).isoformat()} to "
                             f"{(date.max - timedelta(days=2)).isoformat()})")
        ZoneInfo(self.tz)  # raises on an unknown zone

    @property
    def first_day(self) -> date:
        return self.as_of - timedelta(days=self.days - 1)

    @property
    def start(self) -> datetime:
        return local_midnight_utc(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        return local_midnight_utc(self.as_of + timedelta(days=1), self.tz)

    @property
    def offset_minutes(self) -> int:
        aware = datetime.combine(self.as_of, time(12), tzinfo=ZoneInfo(self.tz))
        return int(aware.utcoffset().total_seconds() // 60)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.as_of - timedelta(days=self.days), self.days, self.tz)

    def shifted(self, as_of: date, days: int | None = None) -> Period:
        return Period(as_of, self.days if days is None else days, self.tz)

    def context(self, company_ids=None, warehouse_ids=None, lang: str = "en_US") -> QueryContext:
        """The data layer's view of this period for a scope."""
        return QueryContext(
            start=self.start,
            end=self.end,
            day_offset_minutes=self.offset_minutes,
            company_ids=None if company_ids is None else tuple(sorted(int(i) for i in company_ids)),
            warehouse_ids=None if warehouse_ids is None else tuple(sorted(int(i) for i in warehouse_ids)),
            lang=lang,
        )
