"""Shift start times and the shift an instant falls in (local display time, across midnight and DST)."""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dashboard.settings import Settings, SettingsError
from dashboard.shifts import current_shift, parse_shifts, seconds_until

THREE = parse_shifts("14:00, 06:00,22:00")
BERLIN = ZoneInfo("Europe/Berlin")


def test_parse_shifts_sorts_and_refuses_nonsense():
    assert parse_shifts("14:00, 06:00,22:00") == (time(6), time(14), time(22))
    assert parse_shifts("6:30") == (time(6, 30),)
    for bad in ("", "25:00", "06:00,06:00", "six", "06:60"):
        with pytest.raises(ValueError):
            parse_shifts(bad)
    with pytest.raises(SettingsError, match="tv_shifts"):
        Settings.from_env({}, tv_shifts="06:00,nope")
    with pytest.raises(SettingsError, match="tv_reload_hour"):
        Settings.from_env({}, tv_reload_hour=24)


@pytest.mark.parametrize("now, start, end, label", [
    ("2026-06-10 09:00", "2026-06-10 06:00", "2026-06-10 14:00", "06:00–14:00"),
    ("2026-06-10 14:00", "2026-06-10 14:00", "2026-06-10 22:00", "14:00–22:00"),   # a start belongs to its shift
    ("2026-06-10 23:30", "2026-06-10 22:00", "2026-06-11 06:00", "22:00–06:00"),
    ("2026-06-10 03:00", "2026-06-09 22:00", "2026-06-10 06:00", "22:00–06:00"),   # the night shift began yesterday
])
def test_current_shift_in_utc(now, start, end, label):
    shift = current_shift(datetime.fromisoformat(now).replace(tzinfo=UTC), THREE, ZoneInfo("UTC"))
    assert (shift.start, shift.end, shift.label) == (datetime.fromisoformat(start), datetime.fromisoformat(end), label)


def test_current_shift_in_local_time_is_stored_in_utc():
    # 10 June, Berlin is UTC+2: the 06:00 local shift is 04:00-12:00 UTC
    shift = current_shift(datetime(2026, 6, 10, 5, 0, tzinfo=UTC), THREE, BERLIN)
    assert (shift.start, shift.end, shift.label) == (datetime(2026, 6, 10, 4), datetime(2026, 6, 10, 12), "06:00–14:00")
    # the night of the change to summer time (29 March 2026): 22:00 CET to 06:00 CEST is 7 hours
    night = current_shift(datetime(2026, 3, 29, 2, 0, tzinfo=UTC), THREE, BERLIN)
    assert (night.start, night.end) == (datetime(2026, 3, 28, 21), datetime(2026, 3, 29, 4))
    one = current_shift(datetime(2026, 6, 10, 5, 0, tzinfo=UTC), parse_shifts("06:00"), BERLIN)
    assert (one.start, one.end) == (datetime(2026, 6, 10, 4), datetime(2026, 6, 11, 4))


def test_seconds_until_the_nightly_reload_hour():
    assert seconds_until(3, datetime(2026, 6, 10, 0, 30, tzinfo=UTC), BERLIN) == 30 * 60     # 02:30 local: at 03:00
    assert seconds_until(3, datetime(2026, 6, 10, 1, 0, tzinfo=UTC), BERLIN) == 24 * 3600    # 03:00 local: tomorrow's
    assert seconds_until(3, datetime(2026, 3, 28, 12, 0, tzinfo=UTC), BERLIN) == 13 * 3600   # across the change to summer time
