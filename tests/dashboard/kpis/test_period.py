"""A period's bounds: whole local days in naive UTC, and a clear refusal for an as-of no period can cover."""
from datetime import date, datetime

import pytest

from dashboard.kpis.period import Period


def test_bounds_are_local_midnights_in_utc():
    period = Period(date(2026, 3, 31), 2, "Europe/Berlin")
    assert (period.start, period.end) == (datetime(2026, 3, 29, 22), datetime(2026, 3, 31, 22))  # summer time


@pytest.mark.parametrize("as_of", [date(1, 1, 1), date(1, 1, 30), date(9999, 12, 31), date(9999, 12, 30)])
def test_an_as_of_at_the_ends_of_the_calendar_is_refused_in_words(as_of):
    with pytest.raises(ValueError, match=f"as_of {as_of.isoformat()} is outside the dates a period of 30 days"):
        Period(as_of, 30, "Pacific/Kiritimati")


@pytest.mark.parametrize("as_of,tz", [(date(1, 1, 31), "Pacific/Kiritimati"), (date(9999, 12, 29), "Etc/GMT+12")])
def test_the_last_days_it_accepts_have_bounds(as_of, tz):
    period = Period(as_of, 30, tz)
    assert period.start < period.end and period.offset_minutes is not None
