"""One formatter for every page: units, currency, dates, delays, percentage points."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dashboard.formats import (
    fmt_amount,
    fmt_date,
    fmt_datetime,
    fmt_day_short,
    fmt_delay,
    fmt_minutes,
    fmt_points,
    fmt_qty,
    fmt_value,
)


@pytest.mark.parametrize("value,unit,currency,text", [
    (0.85, "ratio", None, "85.0 %"), (0.0, "ratio", None, "0.0 %"), (None, "ratio", None, "–"),
    (12.46, "hours", None, "12.5 h"), (4.5, "days", None, "4.5 d"), (42.4, "days", None, "42 d"),
    (4.25, "turns", None, "4.2×"), (1234, "count", None, "1,234"),
    (579_700.0, "amount", "EUR", "579.7 k EUR"), (1_250_000.0, "amount", "USD", "1.2 M USD"),
    (950.0, "amount", "EUR", "950 EUR"), (579_700.0, "amount", None, "579.7 k"),
])
def test_fmt_value(value, unit, currency, text):
    assert fmt_value(value, unit, currency) == text


def test_amount_below_zero_keeps_sign_and_scale():
    assert fmt_amount(-2500.0, "EUR") == "-2.5 k EUR"


@pytest.mark.parametrize("delta,text", [(-0.123, "−12.3 pt"), (-0.0004, "−0.04 pt"), (0.0, "0 pt"), (0.02, "+2.0 pt")])
def test_points_never_read_minus_zero(delta, text):
    assert fmt_points(delta) == text


@pytest.mark.parametrize("days,text", [(0.01, "14 min late"), (0.0001, "1 min late"), (0.125, "3 h late"),
                                       (1.54, "1.5 d late"), (-2.0, "due in 2.0 d"), (None, "–")])
def test_delay_never_reads_zero_hours(days, text):
    assert fmt_delay(days) == text


def test_dates_one_style():
    assert fmt_date(date(2026, 11, 4)) == "2026-11-04"
    assert fmt_date("2026-11-04T10:00:00") == "2026-11-04"
    assert fmt_day_short("2026-11-04") == "04 Nov"
    assert fmt_datetime(datetime(2026, 11, 4, 12, 5), ZoneInfo("Europe/Berlin")) == "2026-11-04 13:05"
    assert fmt_datetime(None, ZoneInfo("UTC")) == "–"


def test_quantities_and_minutes():
    assert fmt_qty(12.0) == "12" and fmt_qty(2.5) == "2.5" and fmt_qty(None) == "–"
    assert fmt_minutes(45) == "45 min" and fmt_minutes(185) == "3 h 05"
