"""Role x page x callback for the supply chain pages, over real HTTP on the demo: every role that may not open
``/supply`` or ``/supply/vendor/<id>`` gets "Not allowed" for the layout and 403 on each of their server
callbacks; the roles that may get the page and 200; a user scoped to one company or one site never sees
another's rows, by URL or by a forged callback."""
from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard import create_app
from dashboard.auth.access import ROLES, Access
from dashboard.auth.roles import can_open
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from data_access.demo.scenario import STORY
from helpers.auth_app import PASSWORD, login

LATE = STORY["late_vendor_id"]
MAIN, DIST = STORY["company_main"], STORY["company_distribution"]
SCALE = {"id": "screen-scale", "property": "data", "value": 1}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("supply-matrix")
    app = create_app(Settings(instance_dir=str(tmp / "instance"), cache_type="simple", secure_cookies=False))
    store = app.server.extensions[STATE_KEY].store
    for role in ROLES:
        store.add_user(f"u-{role}", PASSWORD, role)
    store.add_user("main_only", PASSWORD, "supply_chain", company_ids=(MAIN,))
    store.add_user("site1_only", PASSWORD, "supply_chain", company_ids=(MAIN,), warehouse_ids=(1,))
    yield app
    store.dispose()


def _client(app, username: str):
    client = app.server.test_client()
    assert login(client, username).status_code == 302
    return client


def _dependencies(client) -> dict:
    return {d["output"]: d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")}


def _post(client, dep: dict, values: dict):
    """Post one callback with ``values`` (``"id.property" -> value``) for its inputs and states (None otherwise)."""
    def fill(items):
        return [{"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    output = dep["output"]
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    body = {"output": output, "outputs": outputs if output.startswith("..") else outputs[0], "changedPropIds": [],
            "inputs": fill(dep["inputs"]), "state": fill(dep["state"])}
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def _layout(client, deps: dict, path: str, search: str = "") -> str:
    key = next(k for k in deps if "_pages_content.children" in k)
    response = _post(client, deps[key], {"_pages_location.pathname": path, "_pages_location.search": search})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _supply_params(**overrides) -> dict:
    return {"company": None, "site": None, "days": 30, "as_of": date.today().isoformat(), **overrides}


def _vendor_params(partner_id: int) -> dict:
    return {"partner_id": partner_id, "days": 90, "as_of": date.today().isoformat()}


@pytest.mark.parametrize("role", ROLES)
def test_layouts_and_callbacks_of_the_supply_pages_per_role(app, role):
    client = _client(app, f"u-{role}")
    deps = _dependencies(_client(app, "u-admin"))  # every callback of the app, as the browser would know them
    for page, path in (("supply", "/supply"), ("vendor", f"/supply/vendor/{LATE}")):
        allowed = can_open(role, page)
        text = _layout(client, deps, path)
        assert ("Not allowed" in text) is not allowed, (role, path)
        if allowed:
            assert f"{page}-params" in text
        mine = [d for out, d in deps.items() if f"{page}-" in out.split(".")[0] or f"..{page}-" in out]
        assert len(mine) == (3 if page == "supply" else 2)
        values = {f"{page}-params.data": _supply_params() if page == "supply" else _vendor_params(LATE),
                  "screen-scale.data": 1, "supply-days.value": 14, "vendor-days.value": 14,
                  "supply-heatmap.clickData": {"points": [{"y": 0}]}, "supply-rows.data": [LATE]}
        for dep in mine:
            status = _post(client, dep, values).status_code
            assert (status == 403) is not allowed, (role, dep["output"], status)
            if allowed:
                assert status in (200, 204), (role, dep["output"], status)


def _body(client, deps, page: str, params: dict) -> str:
    dep = next(d for out, d in deps.items() if out.startswith(f"..{page}-message.children"))
    response = _post(client, dep, {f"{page}-params.data": params, "screen-scale.data": 1})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _names(app, company: int) -> tuple[set[str], set[str]]:
    """Site names and vendor names of the purchase lines of one company only (not shared with the other)."""
    from dashboard import service, service_supply

    with app.server.app_context():
        admin = Access(1, "t", "admin")
        today = service.today()
        sites = {s["name"] for s in service.sites(admin, today, 30).values() if s["company_id"] == company}

        def vendors(c):
            rows = service_supply.late_po_lines(service_supply.narrowed(admin, company=c), today, 30)
            return {r["partner_name"] for r in rows}

        other = MAIN if company == DIST else DIST
        # the other company itself may be a vendor of this one (intercompany purchases): its own name is no leak
        own_name = service.companies(admin)[other]["name"]
        return sites, vendors(company) - vendors(other) - {own_name}


def test_a_company_user_never_sees_the_other_company_by_url_or_forged_callback(app):
    client = _client(app, "main_only")
    deps = _dependencies(client)
    text = _layout(client, deps, "/supply", f"?company={DIST}")
    assert "Not found" in text and f"Company {DIST}" in text
    own = _body(client, deps, "supply", _supply_params())
    other_sites, other_vendors = _names(app, DIST)
    assert other_sites and '"rowData"' in own
    for name in other_sites | other_vendors:
        assert name not in own, name
    forged = _body(client, deps, "supply", _supply_params(company=DIST))
    assert "Not found" in forged and "rowData" not in forged
    forged_site = next(iter(_site_ids(app, DIST)))
    assert "Not found" in _body(client, deps, "supply", _supply_params(site=forged_site))


def _site_ids(app, company: int) -> set[int]:
    from dashboard import service

    with app.server.app_context():
        return {i for i, s in service.sites(Access(1, "t", "admin"), service.today(), 30).items() if s["company_id"] == company}


def test_a_site_user_never_sees_another_site(app):
    client = _client(app, "site1_only")
    deps = _dependencies(client)
    other = sorted(_site_ids(app, MAIN) - {1})[0]
    assert "Not found" in _layout(client, deps, "/supply", f"?site={other}")
    assert "Not found" in _body(client, deps, "supply", _supply_params(site=other))
    own = json.loads(_body(client, deps, "supply", _supply_params()))["response"]
    from dashboard import service

    with app.server.app_context():
        names = {i: s["name"] for i, s in service.sites(Access(1, "t", "admin"), service.today(), 30).items()}
    assert {r["site"] for r in own["supply-late-so"]["rowData"]} <= {names[1]}
    assert not any(names[s] in json.dumps(own) for s in names if s != 1)


def test_a_vendor_of_the_other_company_only_is_not_found_by_url_or_forged_callback(app):
    from dashboard import service, service_supply

    with app.server.app_context():
        admin, today = Access(1, "t", "admin"), service.today()
        ids = {pid: {r["scope_id"] for r in service_supply.vendor_period(service_supply.narrowed(admin, company=c),
                                                                          today)["results"]} for pid, c in
               (("main", MAIN), ("dist", DIST))}
    only_dist = sorted(ids["dist"] - ids["main"])[0]
    client = _client(app, "main_only")
    deps = _dependencies(client)
    assert "Not found" in _layout(client, deps, f"/supply/vendor/{only_dist}")
    forged = _body(client, deps, "vendor", _vendor_params(only_dist))
    response = json.loads(forged)["response"]
    assert "Not found" in forged and response["vendor-late"]["rowData"] == [] and response["vendor-orders"]["rowData"] == []
    assert response["vendor-waiting"]["rowData"] == []
    own = json.loads(_body(client, deps, "vendor", _vendor_params(LATE)))["response"]
    assert own["vendor-late"]["rowData"]  # the control: a vendor of the user's company opens
