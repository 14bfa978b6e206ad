"""The one set of formatters: numbers per unit, amounts with their currency, dates, times and delays.

Every page, figure, table and TV panel formats through these, so "85.0 %" and "2026-11-04" read the
same everywhere. ``NO_VALUE`` stands for a missing number.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["NO_VALUE", "fmt_value", "fmt_amount", "fmt_points", "fmt_date", "fmt_day_short", "fmt_datetime",
           "fmt_delay", "fmt_minutes", "fmt_qty", "to_local"]

NO_VALUE = "–"
_SCALES = ((1e9, " B"), (1e6, " M"), (1e3, " k"))


def fmt_amount(value: float | None, currency: str | None = None) -> str:
    """1234567 -> "1.2 M EUR"; below a thousand, whole units. The company currency is always shown
    when known (amounts of different companies are never added)."""
    if value is None:
        return NO_VALUE
    text = f"{value:,.0f}"
    for limit, suffix in _SCALES:
        if abs(value) >= limit:
            text = f"{value / limit:,.1f}{suffix}"
            break
    return f"{text} {currency}" if currency else text


def fmt_value(value: float | None, unit: str, currency: str | None = None) -> str:
    """A KPI value in its unit: "71.3 %", "12.5 h", "4.5 d", "4.2×", "1,234", "579.7 k EUR"."""
    if value is None:
        return NO_VALUE
    if unit == "ratio":
        return f"{value * 100:.1f} %"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "days":
        return f"{value:,.1f} d" if abs(value) < 10 else f"{value:,.0f} d"
    if unit == "turns":
        return f"{value:.1f}×"
    if unit == "count":
        return f"{value:,.0f}"
    return fmt_amount(value, currency)


def fmt_points(delta: float) -> str:
    """A share lost or gained in percentage points: "−12.3 pt", "−0.04 pt" (two decimals below 0.1 pt,
    so a small loss never reads as zero), "0 pt" only for a true zero."""
    pts = delta * 100
    if pts == 0:
        return "0 pt"
    sign = "−" if pts < 0 else "+"
    size = abs(pts)
    text = f"{size:.2f}" if size < 0.1 else f"{size:.1f}"
    return f"{sign}{text} pt"


def fmt_qty(value: float | None) -> str:
    """A quantity: "12", "2.5" (no trailing zeros), "–" for none."""
    if value is None:
        return NO_VALUE
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def fmt_minutes(minutes: float | None) -> str:
    """A duration in minutes: "45 min", "3 h 05", "–"."""
    if minutes is None:
        return NO_VALUE
    if minutes < 60:
        return f"{minutes:.0f} min"
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d}"


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def fmt_date(value) -> str:
    """ISO date "2026-11-04" (the one date format of the product); "–" for none."""
    day = _as_date(value)
    return day.isoformat() if day else NO_VALUE


def fmt_day_short(value) -> str:
    """A day on a crowded axis: "04 Nov" (month by name, never ambiguous between 11/04 and 04/11)."""
    day = _as_date(value)
    return day.strftime("%d %b") if day else NO_VALUE


def to_local(value, zone: ZoneInfo) -> datetime | None:
    """A naive-UTC datetime from Odoo (or its ISO text) as an aware datetime in ``zone``."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)


def fmt_datetime(value, zone: ZoneInfo) -> str:
    """A UTC instant from Odoo in the display zone: "2026-11-04 13:05"; "–" for none."""
    local = to_local(value, zone)
    return local.strftime("%Y-%m-%d %H:%M") if local else NO_VALUE


def fmt_delay(days: float | None) -> str:
    """How late (positive) or how far ahead (negative): "25 min late", "3 h late", "1.5 d late",
    "due in 2.0 d"; minutes under an hour, hours under a day."""
    if days is None:
        return NO_VALUE
    amount = abs(days)
    if amount >= 1:
        text = f"{amount:.1f} d"
    elif amount * 24 >= 1:
        text = f"{amount * 24:.0f} h"
    else:
        text = f"{max(amount * 24 * 60, 1):.0f} min"
    return f"{text} late" if days >= 0 else f"due in {text}"
