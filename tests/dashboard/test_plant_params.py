"""The plant pages' URL drill state: validation, defaults with notices, links (pure)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dashboard.plant_params import (as_id, local_time, odoo_record_url, period_days, plant_params, plant_search,
                                    workcenter_href, workcenter_params)

TODAY = date(2026, 11, 21)


def test_as_id_accepts_only_positive_integers():
    assert as_id(3) == 3 and as_id(" 12 ") == 12
    for bad in (0, -1, True, "1.5", "1;DROP", "", None, 3.0, "99999999999", 2**31):
        assert as_id(bad) is None


def test_plant_params_defaults_and_a_valid_url():
    assert plant_params({}, TODAY) == ({"site": None, "metric": "oee", "days": 28, "as_of": "2026-11-21"}, [])
    params, notices = plant_params({"site": "3", "metric": "downtime", "days": "14", "as_of": "2026-11-01"}, TODAY)
    assert params == {"site": 3, "metric": "downtime", "days": 14, "as_of": "2026-11-01"} and notices == []


def test_plant_params_bad_values_fall_back_with_notices():
    params, notices = plant_params({"site": "x'1", "metric": "drop", "days": "30", "as_of": "2027-01-01"}, TODAY)
    assert params == {"site": None, "metric": "oee", "days": 28, "as_of": "2026-11-21"}
    assert len(notices) == 4
    assert any("metric" in n for n in notices) and any("out of range" in n for n in notices)
    _, notices = plant_params({"as_of": "21/11/2026"}, TODAY)
    assert notices == ["Ignored the date '21/11/2026': showing today."]


def test_workcenter_params():
    assert workcenter_params({"wo": "812", "days": "14"}, TODAY) == ({"days": 14, "as_of": "2026-11-21", "wo": 812}, [])
    params, notices = workcenter_params({"wo": "abc"}, TODAY)
    assert params["wo"] is None and notices == ["Ignored the work order 'abc': not an id."]


def test_links():
    assert plant_search(2, "downtime", 28, "2026-11-21") == "?site=2&metric=downtime&days=28&as_of=2026-11-21"
    assert plant_search(None, "oee", 14, "2026-11-21") == "?metric=oee&days=14&as_of=2026-11-21"
    assert workcenter_href(6, "2026-11-21", 28) == "/plant/workcenter/6?as_of=2026-11-21&days=28"
    assert workcenter_href(6, "2026-11-21", 14, wo=9) == "/plant/workcenter/6?as_of=2026-11-21&days=14&wo=9"


def test_period_days():
    assert period_days(date(2026, 3, 2), 3) == ["2026-02-28", "2026-03-01", "2026-03-02"]
    assert len(period_days(TODAY, 28)) == 28


def test_local_time_converts_utc_to_the_display_zone():
    berlin = ZoneInfo("Europe/Berlin")
    assert local_time(datetime(2026, 11, 21, 23, 30), berlin) == "2026-11-22 00:30"
    assert local_time("2026-07-01 10:00:00", berlin) == "2026-07-01 12:00"
    assert local_time(datetime(2026, 11, 21, 23, 30), berlin, with_time=False) == "2026-11-22"
    assert local_time(None, berlin) == ""


def test_odoo_record_url():
    assert odoo_record_url("", "mrp.workorder", 5) is None
    assert odoo_record_url("javascript:alert(1)", "mrp.workorder", 5) is None
    assert odoo_record_url("https://erp.example.com/", "mrp.workorder", 5) == \
        "https://erp.example.com/web#id=5&model=mrp.workorder&view_type=form"
