"""Fuzz every registered callback and every page URL of the real demo app over HTTP, as admin and as a plant
user scoped to one site: whatever the values and whatever the shape of the request, the answer is 200, 204
or a 4xx, never a 500 and never a traceback.

Hypothesis runs derandomized (the same examples on every run, so CI is stable) with a bounded number of
examples per callback; the whole module takes about a minute and a half on a laptop.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.auth.guard import MAX_DEPTH
from dashboard.auth.roles import PAGES
from helpers.auth_app import login
from helpers.matrix import matrix_app

USERS = ("m-admin", "site-plant")
OK = {200, 204, 400, 403, 404}
FUZZ = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
ROUTER = ".._pages_content.children..._pages_store.data.."
STORE_KEYS = ("as_of", "days", "site", "company", "kpi", "metric", "by", "category", "wo", "partner_id",
              "workcenter_id", "partner", "points", "rows", "cols", "1", "2")
DATES = ("0001-01-01", "9999-12-31", "2026-02-30", "2024-01-01", "1999-12-31", "today", "2026-W01", "")

atoms = (st.none() | st.booleans() | st.integers() | st.sampled_from([2**31, 2**63, 10**30, -1, 0, 1, 2, 4])
         | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(DATES)
         | st.text(max_size=12) | st.sampled_from(["oee", "downtime", "all", "product", "supplier_otif", "abc"]))
values = st.recursive(atoms, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(STORE_KEYS) | st.text(max_size=6), inner, max_size=5),
                      max_leaves=10)
# Values a page could have written (real dates, periods, ids, choices), so callbacks run past their boundary too.
likely = st.sampled_from([date.today().isoformat(), (date.today() - timedelta(days=40)).isoformat(), 7, 30, 90,
                          1, 2, 3, 4, 5, None, "oee", "downtime", "product", "workcenter", "supplier_otif", "all", True])
stores = st.dictionaries(st.sampled_from(STORE_KEYS), likely | atoms, max_size=6)
clicks = st.fixed_dictionaries({"points": st.lists(st.dictionaries(st.sampled_from(["x", "y", "customdata"]),
                                                                   likely | atoms, max_size=3), max_size=2)})
fuzzed = likely | stores | clicks | values


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = matrix_app(tmp_path_factory.mktemp("fuzz"),
                     {"site-plant": {"role": "plant", "company_ids": (1,), "warehouse_ids": (1,)}})
    yield app


@pytest.fixture(scope="module")
def clients(app):
    signed_in = {}
    for username in USERS:
        client = app.server.test_client()
        assert login(client, username).status_code == 302
        signed_in[username] = client
    signed_in["m-admin"].get("/")  # the first request registers Dash's page router
    return signed_in


@pytest.fixture(scope="module")
def callbacks(app, clients) -> dict:
    """Every registered server callback: its output key -> its inputs and states."""
    served = {d["output"] for d in clients["m-admin"].get("/_dash-dependencies").get_json()
              if not d.get("clientside_function")}
    registered = {key: {"inputs": cb["inputs"], "state": cb["state"]} for key, cb in app.callback_map.items()
                  if "callback" in cb}  # clientside callbacks have no server function (their output is a 404)
    assert served <= set(registered) and ROUTER in registered and len(registered) >= 25
    return registered


def _outputs(output: str):
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    items = []
    for part in parts:
        id_part, _, prop = part.rpartition(".")
        items.append({"id": json.loads(id_part) if id_part.startswith("{") else id_part, "property": prop})
    return items if output.startswith("..") else items[0]


def _body(output: str, spec: dict, filled: list, changed: list | None = None) -> dict:
    items = spec["inputs"] + spec["state"]
    props = []
    for item, value in zip(items, filled):
        component_id = json.loads(item["id"]) if item["id"].startswith("{") else item["id"]
        prop = {"id": component_id, "property": item["property"], "value": value}
        props.append([prop] if isinstance(component_id, dict) else prop)  # a wildcard input is a list
    first = items[0] if items else None
    return {"output": output, "outputs": _outputs(output), "inputs": props[:len(spec["inputs"])],
            "state": props[len(spec["inputs"]):],
            "changedPropIds": changed if changed is not None else ([f"{first['id']}.{first['property']}"] if first else [])}


def _post(client, body) -> tuple[int, str]:
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)  # NaN and Infinity as Dash's JSON allows
    response = client.post("/_dash-update-component", data=raw, content_type="application/json")
    return response.status_code, response.get_data(as_text=True)


def _assert_answered(status: int, text: str, what) -> None:
    assert status in OK, (status, what, text[:300])
    assert "Traceback" not in text and 'File "' not in text, (what, text[:300])


def _fuzz_callback(client, username: str, output: str, spec: dict) -> None:
    count = len(spec["inputs"]) + len(spec["state"])

    @FUZZ
    @given(filled=st.lists(fuzzed, min_size=count, max_size=count))
    def fuzz(filled):
        status, text = _post(client, _body(output, spec, filled))
        _assert_answered(status, text, (username, output, filled))

    fuzz()


@pytest.mark.parametrize("username", USERS)
def test_every_callback_answers_any_values_without_a_500(app, clients, callbacks, username):
    for output, spec in sorted(callbacks.items()):
        _fuzz_callback(clients[username], username, output, spec)


def test_stores_of_the_wrong_type_and_dates_at_the_calendar_ends_answer_400(clients, callbacks):
    client = clients["m-admin"]
    for output in ("plant-nav.search", "executive-exceptions.children", "workcenter-nav.search"):
        spec = callbacks[output]
        store = next(i for i, item in enumerate(spec["inputs"] + spec["state"]) if item["id"].endswith(("-params", "-view")))
        for bad in ("view", 7, [1], {"as_of": "0001-01-01"}, {"as_of": "9999-12-31"}, {"days": [30]}, {"days": "abc"}):
            filled = [None] * (len(spec["inputs"]) + len(spec["state"]))
            filled[store] = bad
            status, text = _post(client, _body(output, spec, filled))
            assert status == 400 and json.loads(text) == {"error": "That request was not understood."}, (output, bad)


requests = st.dictionaries(st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds", "x"]), values,
                           max_size=5)


@pytest.mark.parametrize("username", USERS)
def test_requests_of_any_shape_answer_without_a_500(clients, callbacks, username):
    client = clients[username]

    @settings(FUZZ, max_examples=300)
    @given(body=requests, output=st.sampled_from(sorted(callbacks)), keep=st.sets(st.sampled_from(
        ["output", "outputs", "inputs", "state", "changedPropIds"])))
    def fuzz(body, output, keep):
        spec = callbacks[output]
        base = _body(output, spec, [None] * (len(spec["inputs"]) + len(spec["state"])))
        mixed = {**{k: base[k] for k in keep}, **{k: v for k, v in body.items() if k not in keep}}
        status, text = _post(client, mixed)
        _assert_answered(status, text, (username, mixed))

    fuzz()


def test_named_malformed_requests_get_a_clean_4xx(clients, callbacks):
    client = clients["site-plant"]
    spec = callbacks["plant-nav.search"]
    good = _body("plant-nav.search", spec, [1, "oee", 30, None])
    cases = {
        "100,000 nested brackets": ("[" * 100_000 + "]" * 100_000, 400),
        "nested past the limit": (json.dumps({**good, "inputs": [{"id": "plant-site", "property": "value",
                                                                  "value": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)}]}), 400),
        "not JSON": ("{nope", 400),
        "inputs not a list": ({**good, "inputs": {"a": 1}}, 400),
        "state not a list": ({**good, "state": "x"}, 400),
        "changedPropIds not a list": ({**good, "changedPropIds": "plant-site.value"}, 400),
        "changedPropIds of numbers": ({**good, "changedPropIds": [1, 2]}, 400),
        "one input too few": ({**good, "inputs": good["inputs"][:2]}, 400),
        "a state too many": ({**good, "state": good["state"] * 2}, 400),
        "unknown output with an allowed prefix": ({**good, "output": "plant-nope.children",
                                                   "outputs": {"id": "plant-nope", "property": "children"}}, 404),
        "another page's output": ({**good, "output": "finance-nav.search",
                                   "outputs": {"id": "finance-nav", "property": "search"}}, 403),
        "router without a pathname": (_body(ROUTER, callbacks[ROUTER], [None, None]), 400),
        "router with a relative path": (_body(ROUTER, callbacks[ROUTER], ["plant", ""]), 400),
    }
    for name, (body, expected) in cases.items():
        status, text = _post(client, body)
        assert status == expected, (name, status, text[:200])
        assert "Traceback" not in text
    assert client.get("/_dash-component-suites/nope/x.js").status_code == 404
    assert client.get("/_dash-component-suites/dash/nope.js").status_code == 404


def _page_path(path: str, fill) -> str:
    for name in ("workcenter_id", "partner_id", "lot_id"):
        path = path.replace(f"<{name}>", str(fill))
    return path


queries = st.lists(st.tuples(st.sampled_from(STORE_KEYS) | st.text(max_size=6),
                             st.sampled_from(DATES) | st.text(max_size=12) | st.integers().map(str)
                             | st.sampled_from(["nan", "-1", "1e3", "2147483648", "1", "4", "oee", "all"])),
                   max_size=6)
path_ids = st.sampled_from(["1", "3", "999999", "abc", "-1", "0", "1.5", "%00", "9" * 30])


def _fuzz_page(client, username: str, template: str, router: dict) -> None:
    @settings(FUZZ, max_examples=25)
    @given(query=queries, fill=path_ids)
    def fuzz(query, fill):
        path = _page_path(template, fill)
        search = "?" + urlencode(query) if query else ""
        response = client.get(path + search)
        assert response.status_code in (200, 404) and "Traceback" not in response.get_data(as_text=True)
        status, text = _post(client, _body(ROUTER, router, [path, search]))
        _assert_answered(status, text, (username, path, search))
        assert status == 200, (path, search, text[:300])

    fuzz()


@pytest.mark.parametrize("username", USERS)
def test_every_page_url_with_any_query_answers_without_a_500(clients, callbacks, username):
    for spec in sorted(PAGES.values(), key=lambda s: s.key):
        _fuzz_page(clients[username], username, spec.path, callbacks[ROUTER])
