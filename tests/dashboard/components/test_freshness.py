"""The one freshness line: 'Data as of' the oldest aggregate shown, in the display zone, and a warning badge
'Stale since HH:MM' (icon and word) when any of it is stale, with why in its tooltip."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dashboard.components import freshness
from dashboard.vocab import GRADES
from helpers.tree import find_class, texts

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


def test_a_current_value_names_its_time_and_zone_without_a_badge():
    line = freshness({"computed_at": "2026-12-01T12:05:00+00:00", "stale_since": None, "refresh_failed": False}, BERLIN,
                     now=NOW)
    assert texts(line) == ["Data as of 2026-12-01 13:05 · times in Europe/Berlin"]
    assert not find_class(line, "status-badge")
    assert texts(freshness("2026-12-01T12:05:00+00:00", BERLIN)) == texts(line)  # a bare computed_at reads the same


def test_the_oldest_payload_sets_the_time_and_the_earliest_stale_one_the_badge():
    line = freshness([{"computed_at": "2026-12-01T12:05:00+00:00"},
                      {"computed_at": "2026-12-01T11:00:00+00:00", "stale_since": "2026-12-01T11:02:00+00:00",
                       "refresh_failed": True},
                      {"computed_at": "2026-12-01T11:30:00+00:00", "stale_since": "2026-12-01T11:40:00+00:00"}],
                     BERLIN, now=NOW)
    words = texts(line)
    assert words[0] == "Data as of 2026-12-01 12:00 · times in Europe/Berlin"
    (badge,) = find_class(line, "status-badge")
    assert badge.children == f"{GRADES['warning'].icon} Stale since 12:02"  # the word, not colour alone
    assert "grade-bg-warning" in badge.className
    assert "could not refresh" in badge.title  # one of them failed to refresh: the tooltip says so
    assert "freshness-stale" in line.className


def test_an_old_value_from_another_day_shows_the_day_and_why():
    line = freshness({"computed_at": "2026-11-28T08:00:00+00:00", "stale_since": "2026-11-28T08:02:00+00:00",
                      "refresh_failed": False}, ZoneInfo("UTC"), now=NOW)
    (badge,) = find_class(line, "status-badge")
    assert badge.children.endswith("Stale since 28 Nov 08:02") and "twice their usual interval" in badge.title


def test_nothing_computed_yet():
    assert texts(freshness(None, BERLIN)) == ["No data yet"]
    assert texts(freshness([{"results": []}], BERLIN)) == ["No data yet"]
