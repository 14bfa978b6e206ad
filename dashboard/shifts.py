"""Shifts of the shop floor: their start times (the ``tv_shifts`` setting, local display time) and the shift
an instant falls in, as the naive-UTC bounds Odoo stores (a query period like ``kpis.period``'s days)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Shift", "parse_shifts", "current_shift", "seconds_until"]

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Shift:
    """One shift: ``start``/``end`` naive UTC (Odoo's storage), ``label`` "06:00–14:00" in local time."""

    start: datetime
    end: datetime
    label: str


def parse_shifts(text: str) -> tuple[time, ...]:
    """``"06:00,14:00,22:00"`` -> the start times, sorted. Raises ``ValueError`` on a malformed or repeated
    time, or none at all. One start means one 24-hour shift."""
    starts = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        found = _HHMM.match(part)
        if not found:
            raise ValueError(f"{part!r} is not a time HH:MM")
        starts.append(time(int(found.group(1)), int(found.group(2))))
    if not starts:
        raise ValueError("no shift start time")
    if len(set(starts)) != len(starts):
        raise ValueError("a shift start time is repeated")
    return tuple(sorted(starts))


def _utc(day, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def current_shift(now: datetime, starts: tuple[time, ...], zone: ZoneInfo) -> Shift:
    """The shift ``now`` (an aware instant) falls in: from the latest start at or before it (yesterday's last
    start before today's first) to the next start (tomorrow's first after today's last)."""
    local = now.astimezone(zone)
    day = local.date()
    candidates = [(day + timedelta(days=d), s) for d in (-1, 0, 1) for s in starts]
    bounds = sorted(_utc(d, s, zone) for d, s in candidates)
    at = now.astimezone(UTC).replace(tzinfo=None)
    begin = max(b for b in bounds if b <= at)
    end = min(b for b in bounds if b > at)

    def hhmm(instant: datetime) -> str:
        return instant.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M")

    return Shift(begin, end, f"{hhmm(begin)}–{hhmm(end)}")


def seconds_until(hour: int, now: datetime, zone: ZoneInfo) -> int:
    """Whole seconds from ``now`` (aware) to the next ``hour``:00 in ``zone`` (tomorrow's when it has passed)."""
    local = now.astimezone(zone)
    target = datetime.combine(local.date(), time(int(hour)), tzinfo=zone)
    if target <= local:
        target = datetime.combine(local.date() + timedelta(days=1), time(int(hour)), tzinfo=zone)
    return max(int((target.astimezone(UTC) - now.astimezone(UTC)).total_seconds()), 1)
