"""The one input schema: its types refuse what the URL parser refuses, @accepts validates every argument of a
callback before it runs (400 otherwise), a store is typed from its page's URL schema, and a Dash request's
shape and depth are checked."""
from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from dashboard import validation as v
from dashboard.urlstate import date_param, days_param, id_param

TODAY = date(2026, 12, 1)
CONTEXT = {"today": TODAY}


def _check(kind, raw):
    return TypeAdapter(kind).validate_python(raw, context=CONTEXT)


@pytest.mark.parametrize("kind,raw,value", [
    (v.RecordId, "7", 7), (v.RecordId, 2**31 - 1, 2**31 - 1), (v.OptionalId, None, None),
    (v.Day, "2026-11-30", date(2026, 11, 30)), (v.Day, date(2026, 12, 1), TODAY),
    (v.Days, "90", 90), (v.Scale, 1.25, 1.25), (v.Scale, 2, 2.0), (v.Flag, True, True),
    (v.choice(("oee", "downtime"), "metric"), "oee", "oee"),
])
def test_good_values_pass_as_clean_values(kind, raw, value):
    assert _check(kind, raw) == value


@pytest.mark.parametrize("kind,raw", [
    (v.RecordId, "abc"), (v.RecordId, 2**70), (v.RecordId, -1), (v.RecordId, 1.5), (v.RecordId, True), (v.RecordId, [1]),
    (v.RecordId, None), (v.Day, "0001-01-01"), (v.Day, "9999-12-31"), (v.Day, 20261130), (v.Day, ["2026-11-30"]),
    (v.Days, "abc"), (v.Days, 91), (v.Days, float("nan")), (v.Scale, float("nan")), (v.Scale, float("inf")),
    (v.Scale, "1.5"), (v.Flag, "yes"), (v.choice(("oee",), "metric"), ["oee"]), (v.Click, "x"), (v.Rows, {"a": 1}),
])
def test_bad_values_are_refused(kind, raw):
    with pytest.raises(ValidationError):
        _check(kind, raw)


def test_a_refusal_says_where_and_why_in_the_validators_words():
    with pytest.raises(ValidationError) as caught:
        _check(v.store("S", {"days": days_param()}), {"days": "abc"})
    assert v.first_reason(caught.value) == "days: 'abc' is not a number of days"


STORE = v.store("PageStore", {"site": id_param("site"), "days": days_param(), "as_of": date_param()}, partner_id=v.RecordId)


def test_a_store_keeps_the_fields_it_holds_and_drops_others():
    assert _check(STORE, {"site": 3, "days": 30, "as_of": "2026-11-01", "partner_id": "9", "extra": [1]}) == \
        {"site": 3, "days": 30, "as_of": date(2026, 11, 1), "partner_id": 9}
    assert _check(STORE, {"site": None}) == {"site": None}
    assert _check(STORE, None) is None


@pytest.mark.parametrize("raw", ["view", 7, [1, 2], {"site": [1]}, {"as_of": "0001-01-01"}, {"as_of": "9999-12-31"},
                                 {"days": "abc"}, {"partner_id": 0}])
def test_a_store_of_the_wrong_shape_or_with_a_bad_value_is_refused(raw):
    with pytest.raises(ValidationError):
        _check(STORE, raw)


def test_accepts_validates_each_argument_and_hands_over_the_clean_value(monkeypatch):
    monkeypatch.setattr(v, "_today_now", lambda: TODAY)
    seen = []

    @v.accepts(site=v.OptionalId, days=v.Days | None)
    def callback(site, days=None, *, access=None):
        seen.append((site, days, access))
        return "ok"

    assert callback("4", days="30", access="a") == "ok" and seen == [(4, 30, "a")]
    assert callback(None) == "ok" and seen[-1] == (None, None, None)
    with pytest.raises(v.BadInput) as caught:
        callback("abc", days=30)
    assert caught.value.code == 400 and caught.value.description == v.NOT_UNDERSTOOD
    assert caught.value.reason.startswith("callback=callback site.") and "'abc' is not an id" in caught.value.reason
    assert v.accepted_inputs(callback) == {"site": v.OptionalId, "days": v.Days | None}


def test_accepts_must_declare_every_argument_and_nothing_else():
    with pytest.raises(TypeError, match="must declare exactly"):
        v.accepts(site=v.OptionalId)(lambda site, days: None)
    with pytest.raises(TypeError, match="must declare exactly"):
        v.accepts(site=v.OptionalId, other=v.Days)(lambda site: None)


GOOD_BODY = {"output": "plant-nav.search", "outputs": {"id": "plant-nav", "property": "search"},
             "inputs": [{"id": "plant-site", "property": "value", "value": 1},
                        [{"id": {"type": "finance-heatmap", "company": 1}, "property": "clickData", "value": None}]],
             "state": [], "changedPropIds": ["plant-site.value"]}


def test_a_dash_request_in_dashs_shape_passes():
    v.CallbackRequest.model_validate(GOOD_BODY)


@pytest.mark.parametrize("change", [
    {"inputs": "x"}, {"inputs": {"id": "a", "property": "b"}}, {"inputs": [1]}, {"inputs": [{"id": "a"}]},
    {"inputs": [{"property": "value"}]}, {"inputs": [{"id": ["a"], "property": "value"}]}, {"state": None},
    {"changedPropIds": "plant-site.value"}, {"changedPropIds": [1]}, {"output": None}, {"output": ""},
    {"outputs": "plant-nav.search"}, {"inputs": [{"id": {"type": {"nested": 1}}, "property": "value"}]},
])
def test_a_dash_request_of_another_shape_is_refused(change):
    with pytest.raises(ValidationError):
        v.CallbackRequest.model_validate({**GOOD_BODY, **change})


def test_the_page_routers_inputs_must_be_a_path_and_text():
    ok = [{"id": "_pages_location", "property": "pathname", "value": "/plant"},
          {"id": "_pages_location", "property": "search", "value": "?site=1"}]
    v.ROUTER_INPUTS.validate_python(ok)
    for pathname, search in ((None, ""), ("plant", ""), (1, ""), ("/", ["?a"])):
        with pytest.raises(ValidationError):
            v.ROUTER_INPUTS.validate_python([dict(ok[0], value=pathname), dict(ok[1], value=search)])


def test_json_depth_counts_without_recursion():
    assert v.json_depth(1, 5) == 0 and v.json_depth({"a": [1, {"b": []}]}, 5) == 4
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert v.json_depth(deep, 64) == 65  # stops counting past the limit
