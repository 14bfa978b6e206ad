"""``kpis --odoo-url``: the same JSON as ``--db-url`` on the demo replica, every KPI included (the OTIF family
with KPIS.md v2's kits and returns); password from standard input; one line and exit 2 on failure."""
from __future__ import annotations

import io
import json

import pytest

from dashboard.cli import main
from helpers.fake_odoo import FakeOdoo, FakeUser, demo_replica_url
from helpers.kpi_parity import differences

PASSWORD = "cli-Pa55word"
OTIF = {"supplier_otif", "late_po_lines", "customer_otif", "late_so_lines"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = demo_replica_url(tmp_path_factory.mktemp("cli_api"), "17.0")
    with FakeOdoo(url, "17.0", db="prod", users=[FakeUser("api", PASSWORD, company_ids=(1, 2, 3))]) as server:
        yield url, server


def _run(capsys, monkeypatch, args, password=PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    status = main(["kpis", "--as-of", "2026-06-30", "--days", "30", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize("transport", ["jsonrpc", "xmlrpc"])
def test_api_output_is_the_sql_output(demo, capsys, monkeypatch, transport):
    url, server = demo
    status, sql_out, _ = _run(capsys, monkeypatch, ["--db-url", url])
    assert status == 0
    status, api_out, err = _run(capsys, monkeypatch, ["--odoo-url", server.url, "--odoo-db", "prod", "--odoo-user", "api",
                                                      "--odoo-transport", transport])
    assert status == 0, err
    sql, api = json.loads(sql_out), json.loads(api_out)
    assert {k: api[k] for k in ("as_of", "days", "odoo_version")} == {k: sql[k] for k in ("as_of", "days", "odoo_version")}
    assert differences(sql["results"], api["results"]) == []
    assert {r["kpi"] for r in api["results"] if r["status"] != "unavailable"} >= OTIF
    # the lines are the SQL path's lines, in the same order
    assert [(r["kpi"], r["scope"]) for r in api["results"]] == [(r["kpi"], r["scope"]) for r in sql["results"]]


@pytest.mark.parametrize("args, words", [
    (["--odoo-db", "prod", "--odoo-user", "api"], "refused"),  # wrong password (given below)
    (["--odoo-user", "api"], "--odoo-url needs --odoo-db and --odoo-user"),
    (["--odoo-db", "nowhere", "--odoo-user", "api"], "no database by that name"),
])
def test_api_failures_are_one_line_exit_2(demo, capsys, monkeypatch, args, words):
    _, server = demo
    status, out, err = _run(capsys, monkeypatch, ["--odoo-url", server.url, *args], password="wrong")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "wrong" not in err.replace("wrong password", "")


def test_both_or_neither_source_is_refused(demo, capsys, monkeypatch):
    url, server = demo
    for args in ([], ["--db-url", url, "--odoo-url", server.url, "--odoo-db", "prod", "--odoo-user", "api"]):
        status, _, err = _run(capsys, monkeypatch, args)
        assert status == 2 and "give either --db-url or --odoo-url" in err
