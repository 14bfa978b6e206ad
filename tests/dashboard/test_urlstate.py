"""One URL-state parser: every bad value is named in a notice and replaced by the default."""
from datetime import date

import pytest

from dashboard.urlstate import (
    Invalid,
    as_id,
    choice_param,
    date_param,
    days_param,
    href,
    id_param,
    parse_days,
    parse_id,
    parse_limit,
    parse_query,
    period_days,
)

TODAY = date(2026, 12, 1)
PARAMS = {"site": id_param("site", "showing the first site"), "as_of": date_param(), "days": days_param(),
          "metric": choice_param(("oee", "downtime"), "oee", "metric")}


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "0", "9" * 400, " ", "２", True, 2**31, "1e3"])
def test_bad_ids_are_refused(raw):
    with pytest.raises(Invalid):
        parse_id(raw)
    assert as_id(raw) is None


@pytest.mark.parametrize("raw,value", [("7", 7), (" 12 ", 12), (3, 3), (2**31 - 1, 2**31 - 1)])
def test_good_ids(raw, value):
    assert parse_id(raw) == value


def test_every_bad_value_gets_a_notice_naming_it():
    values, notices = parse_query({"site": "abc", "as_of": "garbage", "days": "-5", "metric": "x"}, PARAMS, TODAY)
    assert values == {"site": None, "as_of": TODAY, "days": 30, "metric": "oee"}
    assert len(notices) == 4
    for name, raw in (("site", "abc"), ("as_of", "garbage"), ("days", "-5"), ("metric", "x")):
        assert any(n.startswith(f"Ignored {name}='{raw}'") for n in notices), notices


def test_long_values_are_cut_in_notices():
    _values, notices = parse_query({"site": "9" * 400}, PARAMS, TODAY)
    assert len(notices[0]) < 120 and "..." in notices[0]


def test_any_period_in_range_is_accepted():
    assert [parse_days(d) for d in ("1", "21", "30", "90")] == [1, 21, 30, 90]
    for bad in ("0", "91", "365"):
        with pytest.raises(Invalid):
            parse_days(bad)


def test_dates_in_the_future_or_far_past_are_refused():
    values, notices = parse_query({"as_of": "2027-01-01"}, PARAMS, TODAY)
    assert values["as_of"] == TODAY and "future" in notices[0]
    values, notices = parse_query({"as_of": "1999-01-01"}, PARAMS, TODAY)
    assert values["as_of"] == TODAY and "years ago" in notices[0]
    values, notices = parse_query({"as_of": "0001-01-01"}, PARAMS, TODAY)
    assert values["as_of"] == TODAY and notices


def test_blank_values_take_defaults_silently():
    values, notices = parse_query({"site": "", "days": None}, PARAMS, TODAY)
    assert values["site"] is None and values["days"] == 30 and notices == []


def test_limits_and_links():
    assert parse_limit("50", 200) == 50
    with pytest.raises(Invalid):
        parse_limit("500", 200)
    assert href("/plant", site=2, metric="oee", days=30, as_of=TODAY, wo=None) == \
        "/plant?site=2&metric=oee&days=30&as_of=2026-12-01"
    assert period_days(TODAY, 3) == ["2026-11-29", "2026-11-30", "2026-12-01"]
