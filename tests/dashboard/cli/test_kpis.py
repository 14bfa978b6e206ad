"""The kpis command: the JSON contract of KPIS.md, the table format, exit status 2 on bad input."""
import json

import pytest

from dashboard.cli import main
from helpers.odoo_db import dt


@pytest.fixture
def tiny(odoo_db):
    odoo_db.insert("res_company", {"id": 1, "name": "Plant Co"})
    odoo_db.insert("stock_warehouse", {"id": 1, "name": "Stuttgart", "code": "STU", "company_id": 1})
    odoo_db.insert("stock_picking_type", {"id": 10, "code": "mrp_operation", "warehouse_id": 1, "company_id": 1})
    odoo_db.insert("mrp_production", {"id": 100, "state": "done", "company_id": 1, "picking_type_id": 10,
                                      "date_deadline": dt("2026-06-30 23:00"), "date_finished": dt("2026-06-30 22:00")})
    return odoo_db


def test_json_output(tiny, capsys):
    assert main(["kpis", "--db-url", tiny.url, "--as-of", "2026-06-30", "--days", "7"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2026-06-30" and out["days"] == 7 and out["odoo_version"] == tiny.version
    by = {(r["kpi"], json.dumps(r["scope"])): r for r in out["results"]}
    assert by[("schedule_adherence", '{"warehouse_id": 1}')] == {
        "kpi": "schedule_adherence", "scope": {"warehouse_id": 1}, "value": 1.0, "status": "ok"}
    nc = by[("nc_closure_days", '{"company_id": 1}')]
    assert nc["status"] == "unavailable" and nc["value"] is None and nc["reason"]
    assert all(len(r["scope"]) == 1 for r in out["results"])


def test_table_output(tiny, capsys):
    assert main(["kpis", "--db-url", tiny.url, "--as-of", "2026-06-30", "--format", "table"]) == 0
    text = capsys.readouterr().out
    assert "schedule_adherence" in text and "warehouse_id=1" in text and "100.0 %" in text


@pytest.mark.parametrize("args", [["--as-of", "2026-13-01"], ["--days", "0"], ["--tz", "Nowhere/City"], ["--format", "xml"]])
def test_bad_arguments_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["kpis", "--db-url", "sqlite:///x.sqlite", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("python -m dashboard kpis: error:")


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:1/none", "sqlite:////nonexistent/odoo.sqlite", "mysql://x@y/z"])
def test_unreachable_database_exit_2_one_line(url, capsys):
    assert main(["kpis", "--db-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_a_partner_in_two_currencies_prints_unavailable(odoo_db, capsys):
    """KPIS.md v2: company 2 keeps its books in USD; Other Customer (22) bought from both companies in June,
    so its gross margin is one line with value null, status unavailable and the currencies named."""
    from helpers.finance_rows import second_company_in_usd

    second_company_in_usd(odoo_db)
    assert main(["kpis", "--db-url", odoo_db.url, "--as-of", "2026-06-30", "--days", "30"]) == 0
    text = capsys.readouterr().out
    assert ('{"kpi": "gross_margin_pct", "scope": {"partner_id": 22}, "value": null, "status": "unavailable", '
            '"reason": "amounts in more than one company currency: EUR, USD"}') in text
    by = {(r["kpi"], json.dumps(r["scope"])): r for r in json.loads(text)["results"]}
    assert by[("gross_margin_pct", '{"partner_id": 20}')]["value"] == pytest.approx(0.375)  # EUR rows only
    assert by[("gross_margin_pct", '{"company_id": 2}')]["value"] == pytest.approx((600 - 77) / 600)
