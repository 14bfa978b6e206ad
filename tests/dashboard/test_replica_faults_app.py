"""The whole path with a replica that is down, silent or holding a lock (real PostgreSQL behind a TCP proxy):
the home page's KPI callback, the data health page's callback and ``/readyz`` answer within the statement
timeout plus 5 s, with a clear message and no 500, and answer with figures again once the replica is back."""
from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dashboard import create_app
from dashboard.extensions import STATE_KEY
from dashboard.settings import Settings
from helpers.auth_app import PASSWORD, login
from helpers.odoo_db import OdooTestDB
from helpers.pg import drop_database, fresh_database, worker_suffix
from helpers.tcp_proxy import TcpProxy

pytestmark = pytest.mark.pg

TIMEOUT_MS = 1500
BUDGET_S = TIMEOUT_MS / 1000 + 5
UNAVAILABLE = ("cannot be reached", "is not answering")


@pytest.fixture(scope="module")
def pg_db():
    name = f"odt_faults_app_{worker_suffix()}"
    db = OdooTestDB(fresh_database(name), "17.0", "postgresql").create().reset()
    db.insert("res_company", {"id": 1, "name": "One"})
    yield db
    db.close()
    drop_database(name)


@pytest.fixture(scope="module")
def proxy():
    with TcpProxy("127.0.0.1", 5432) as p:
        yield p


@pytest.fixture(scope="module")
def app(pg_db, proxy, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults-app")
    url = make_url(pg_db.url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(replica_url=url, statement_timeout_ms=TIMEOUT_MS, cache_type="null", secret_key="f" * 40,
                        instance_dir=str(tmp / "instance"), store_url=f"sqlite:///{tmp / 'store.sqlite'}",
                        secure_cookies=False, allow_writable_replica_role=True)  # the tests connect as postgres
    app = create_app(settings)
    app.server.extensions[STATE_KEY].store.add_user("boss", PASSWORD, "admin")
    yield app
    app.server.extensions[STATE_KEY].replica.dispose()


@pytest.fixture
def client(app, proxy):
    proxy.mode = "forward"
    c = app.server.test_client()
    assert login(c, "boss").status_code == 302
    yield c
    proxy.mode = "forward"


def _callback(client, output_part: str, inputs: list[dict]):
    """POST the server callback whose output names ``output_part``: (status, response JSON, seconds)."""
    output = next(d["output"] for d in client.get("/_dash-dependencies").get_json() if output_part in d["output"])
    body = {"output": output, "outputs": [dict(zip(("id", "property"), p.rsplit(".", 1)))
                                          for p in output.strip(".").split("...")],
            "inputs": inputs, "state": [], "changedPropIds": []}
    start = time.monotonic()
    response = client.post("/_dash-update-component", json=body)
    return response.status_code, response.get_data(as_text=True), time.monotonic() - start


def home_kpis(client):
    return _callback(client, "home-kpis.children", [{"id": "home-kpis", "property": "id", "value": "home-kpis"},
                                                    {"id": "screen-scale", "property": "data", "value": None}])


def health_body(client):
    return _callback(client, "health-body.children", [{"id": "health-body", "property": "id", "value": "health-body"}])


def readyz(client):
    start = time.monotonic()
    response = client.get("/readyz")
    return response.status_code, response.get_json(), time.monotonic() - start


@pytest.mark.parametrize("mode", ["down", "silent"])
def test_pages_say_the_replica_is_out_in_time_and_recover(client, proxy, mode):
    status, body, _ = home_kpis(client)
    assert status == 200 and "The Odoo replica" not in body  # figures while the replica answers
    proxy.mode = mode
    for call in (home_kpis, health_body):
        status, body, took = call(client)
        assert status == 200, body
        assert any(words in body for words in UNAVAILABLE), body
        assert "Traceback" not in body and "psycopg" not in body
        assert took < BUDGET_S, (call.__name__, took)
    status, ready, took = readyz(client)
    assert status == 503 and ready["status"] == "unavailable" and took < BUDGET_S
    proxy.mode = "forward"
    status, body, _ = home_kpis(client)
    assert status == 200 and not any(words in body for words in UNAVAILABLE), body
    assert readyz(client)[0] == 200


def test_a_locked_table_reads_as_took_too_long(client, pg_db):
    with pg_db.engine.connect() as locker:
        locker.execute(text("LOCK TABLE res_company IN ACCESS EXCLUSIVE MODE"))
        status, body, took = home_kpis(client)
        locker.rollback()
    assert status == 200 and "took too long to answer" in body, body
    assert took < BUDGET_S
    assert "took too long" not in home_kpis(client)[1]


def test_readyz_and_the_data_health_page_report_the_role(client):
    status, ready, _ = readyz(client)
    assert status == 200
    assert ready["replica_role"] == {"role": "postgres", "can_write": True, "allowed": True,
                                     "reason": "replica role 'postgres' is a superuser"}
    status, body, _ = health_body(client)
    assert status == 200 and "Replica role" in body and "Allowed by ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE" in body


def test_readyz_is_unready_while_a_refused_role_can_write(app, client):
    """Privileges granted after the start: the instance leaves the load balancer's rotation."""
    st = app.server.extensions[STATE_KEY]
    allowed = st.settings
    st.settings = dataclasses.replace(allowed, allow_writable_replica_role=False)
    try:
        status, ready, _ = readyz(client)
    finally:
        st.settings = allowed
    assert status == 503 and ready["status"] == "writable_role"
