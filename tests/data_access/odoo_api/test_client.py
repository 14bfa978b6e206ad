"""OdooClient against the test Odoo endpoint over real HTTP, through both transports."""
from __future__ import annotations

import logging
import time

import pytest

from data_access.odoo_api import (
    ModelAccessDenied,
    OdooClient,
    OdooTimeout,
    OdooUnavailable,
    UnknownDatabase,
    UnsupportedVersion,
    WrongCredentials,
)
from helpers.fake_odoo import FakeOdoo, FakeUser
from helpers.fake_odoo.people import PASSWORD


def client(fake, transport, **kwargs) -> OdooClient:
    kwargs.setdefault("backoff", 0.01)
    return OdooClient(fake.url, "prod", transport=transport, **kwargs)


def test_version_and_authenticate(fake, transport):
    c = client(fake, transport)
    version = c.version()
    assert (version.serie, version.major, version.supported) == ("17.0", 17, True)
    assert c.authenticate("plant.lead", PASSWORD) == fake.user("plant.lead").uid


def test_wrong_password(fake, transport):
    with pytest.raises(WrongCredentials, match="refused the login or password"):
        client(fake, transport).authenticate("plant.lead", "wrong")


def test_unknown_database(fake, transport):
    c = OdooClient(fake.url, "nosuchdb", transport=transport)
    with pytest.raises(UnknownDatabase, match="no database by that name"):
        c.authenticate("plant.lead", PASSWORD)


def test_server_down_is_retried_then_fails(fake, transport):
    fake.mode = "down"
    c = client(fake, transport, retries=2, backoff=0.05)
    started = time.monotonic()
    with pytest.raises(OdooUnavailable, match="cannot be reached") as caught:
        c.version()
    assert not isinstance(caught.value, OdooTimeout)
    assert time.monotonic() - started >= 0.05 + 0.1  # two backoffs: 0.05 s then 0.1 s


def test_transient_503_is_retried(fake, transport):
    c = client(fake, transport, retries=2)
    c.authenticate("plant.lead", PASSWORD)
    fake.fail_next(503, 2)
    assert c.search_count("res.company", []) == 1  # plant.lead sees its one company
    fake.fail_next(503, 3)
    with pytest.raises(OdooUnavailable, match="HTTP 503"):
        c.search_count("res.company", [])


def test_http_500_is_not_retried(fake, transport):
    c = client(fake, transport, retries=3)
    c.authenticate("plant.lead", PASSWORD)
    before = fake.requests
    fake.fail_next(500, 1)
    with pytest.raises(Exception, match="HTTP 500"):
        c.search_count("res.company", [])
    assert fake.requests == before + 1


def test_silent_server_times_out_within_the_limit(fake, transport):
    c = client(fake, transport, timeout=0.5, connect_timeout=0.5, retries=2)
    c.authenticate("plant.lead", PASSWORD)
    fake.mode = "silent"
    started = time.monotonic()
    with pytest.raises(OdooTimeout, match="did not answer in time"):
        c.search_count("stock.move", [])
    assert time.monotonic() - started < 1.5  # one call timeout, a timeout is not retried


def test_access_denied_on_one_model(fake, transport):
    c = client(fake, transport)
    c.authenticate("no.moves", PASSWORD)
    with pytest.raises(ModelAccessDenied) as caught:
        c.search_read("stock.move", [], ["id"])
    assert caught.value.model == "stock.move"
    assert c.can_read("stock.move") is False
    assert c.can_read("sale.order") is True
    assert c.search_count("sale.order", []) > 0


def test_paging_reads_every_row_once(fake, transport):
    c = client(fake, transport)
    c.authenticate("controller", PASSWORD)
    domain = [("state", "=", "done")]
    expected = c.search_count("stock.move", domain)
    fake.calls.clear()
    rows = c.search_read("stock.move", domain, ["product_id", "product_uom_qty"], page_size=1000)
    assert len(rows) == expected and len({r["id"] for r in rows}) == expected
    pages = [kw for model, method, kw in fake.calls if method == "search_read"]
    assert [p["offset"] for p in pages] == list(range(0, expected + 1, 1000))[: len(pages)]
    assert len(pages) == expected // 1000 + 1
    assert all(p["limit"] == 1000 and p["fields"] == ["product_id", "product_uom_qty"] for p in pages)
    assert isinstance(rows[0]["product_id"], list) and isinstance(rows[0]["product_id"][1], str)


def test_company_rules_limit_what_a_user_reads(fake, transport):
    c = client(fake, transport)
    c.authenticate("plant.lead", PASSWORD)
    companies = {r["company_id"][0] for r in c.search_read("stock.move", [], ["company_id"])}
    assert companies == {1}
    other = client(fake, transport)
    other.authenticate("controller", PASSWORD)
    assert other.search_count("stock.move", []) > c.search_count("stock.move", [])


def test_read_group_shape(fake, transport):
    c = client(fake, transport)
    c.authenticate("controller", PASSWORD)
    groups = c.read_group("stock.move", [("state", "=", "done")], ["product_uom_qty:sum"],
                          ["company_id", "date:month"])
    total = c.search_count("stock.move", [("state", "=", "done")])
    assert sum(g["__count"] for g in groups) == total
    first = groups[0]
    assert set(first) >= {"company_id", "date:month", "__count", "__domain", "product_uom_qty", "__range"}
    assert first["company_id"][0] in (1, 2, 3) and isinstance(first["company_id"][1], str)
    assert first["__range"]["date:month"]["from"].endswith("-01 00:00:00")
    # a group's __domain selects exactly that group's records
    assert c.search_count("stock.move", first["__domain"]) == first["__count"]


def test_user_info_groups_and_companies(fake, transport):
    c = client(fake, transport)
    uid = c.authenticate("plant.lead", PASSWORD)
    info = c.user_info()
    assert info.uid == uid and info.login == "plant.lead"
    assert info.groups == {"base.group_user", "mrp.group_mrp_manager"}
    assert info.company_ids == (1,) and info.company_id == 1


def test_user_info_without_ir_model_data_asks_has_group(fake, transport):
    fake.set_groups("no.moves", ["base.group_user", "quality.group_quality_manager"])
    c = client(fake, transport)
    c.authenticate("no.moves", PASSWORD)
    info = c.user_info(candidates=["quality.group_quality_manager", "mrp.group_mrp_manager"])
    assert info.groups == {"quality.group_quality_manager"}
    assert info.company_ids == (1, 2, 3)


def test_installed_apps(fake, transport):
    c = client(fake, transport)
    c.authenticate("controller", PASSWORD)
    apps = c.installed_apps()
    assert {"base", "mrp", "stock", "account"} <= set(apps) and apps == sorted(apps)


def test_unsupported_series(replica17, transport):
    with FakeOdoo(replica17, "17.0", db="prod", users=[FakeUser("a", "b")]) as server:
        server.version = "16.0"
        c = OdooClient(server.url, "prod", transport=transport)
        with pytest.raises(UnsupportedVersion, match="Odoo 16.0 is not supported"):
            c.authenticate("a", "b")


def test_odoo_18_shapes(replica18, transport):
    user = FakeUser("exec", PASSWORD, groups=("base.group_user",), company_ids=(1, 2, 3))
    with FakeOdoo(replica18, "18.0", db="prod", users=[user]) as server:
        c = OdooClient(server.url, "prod", transport=transport)
        c.authenticate("exec", PASSWORD)
        assert c.version().major == 18
        groups = c.read_group("sale.order.line", [], ["price_subtotal:sum"], ["order_id"])
        assert groups and all(isinstance(g["order_id"], list) for g in groups)
        assert c.user_info().company_ids == (1, 2, 3)


def test_no_secret_in_any_log_line(fake, transport, caplog):
    caplog.set_level(logging.DEBUG)
    c = client(fake, transport, retries=1)
    c.authenticate("plant.lead", PASSWORD)
    c.search_read("res.company", [], ["name"])
    with pytest.raises(ModelAccessDenied):
        c2 = client(fake, transport)
        c2.authenticate("no.moves", PASSWORD)
        c2.search_count("stock.move", [])
    with pytest.raises(WrongCredentials):
        client(fake, transport).authenticate("plant.lead", PASSWORD + "x")
    fake.fail_next(503, 2)
    with pytest.raises(OdooUnavailable):
        c.search_count("res.company", [])
    text = "\n".join(r.getMessage() for r in caplog.records) + repr(c)
    assert "odoo" in text.lower()  # the client did log
    assert PASSWORD not in text and "session_id" not in text
