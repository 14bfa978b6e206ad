"""``odoo-check`` against the test Odoo endpoint: version, apps, role, KPI families; one line and exit 2 on failure.
The models it checks per family are what the API path really reads: a run of every family through the API
asks the endpoint for no model outside its family's list."""
from __future__ import annotations

import io

import pytest

from dashboard.cli import main
from dashboard.cli.odoo_check import family_models
from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from dashboard.kpis.registry import FAMILIES
from data_access.odoo_api import OdooClient
from data_access.odoo_api.kpi_source import ApiSource
from helpers.fake_odoo import FakeOdoo, demo_replica_url
from helpers.fake_odoo.people import PASSWORD, standard_users


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    with FakeOdoo(demo_replica_url(tmp_path_factory.mktemp("odoo_check")), "17.0", db="prod",
                  users=standard_users()) as server:
        yield server


def _run(monkeypatch, capsys, fake, user, password, *extra):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    status = main(["odoo-check", "--url", fake.url, "--db", "prod", "--user", user, *extra])
    return status, capsys.readouterr()


@pytest.mark.parametrize("transport", ["jsonrpc", "xmlrpc"])
def test_prints_version_apps_role_and_families(monkeypatch, capsys, fake, transport):
    status, out = _run(monkeypatch, capsys, fake, "plant.lead", PASSWORD, "--transport", transport)
    assert status == 0, out.err
    assert "Odoo 17.0 at" in out.out
    assert "installed apps: account, base," in out.out
    assert "user plant.lead (uid 2): role plant; companies 1" in out.out
    assert "  production_oee (oee_availability, oee_performance, oee_quality, oee, downtime_hours): API path yes" in out.out
    assert "  overdue_receivables (overdue_receivables): API path yes" in out.out


def test_a_denied_model_shows_which_family_cannot_use_the_api(monkeypatch, capsys, fake):
    status, out = _run(monkeypatch, capsys, fake, "no.moves", PASSWORD)
    assert status == 0
    assert "role none (no mapped group: sign-in refused)" in out.out
    assert "  first_pass_yield (first_pass_yield): API path no (cannot read stock.move)" in out.out
    assert "  overdue_receivables (overdue_receivables): API path yes" in out.out
    assert "  nc_closure (nc_closure_days): API path yes" in out.out


def test_wrong_password_is_one_line_and_exit_2(monkeypatch, capsys, fake):
    status, out = _run(monkeypatch, capsys, fake, "plant.lead", "nope")
    assert status == 2
    assert out.err == "odoo-check: Odoo refused the login or password\n" and PASSWORD not in out.err


def test_server_down_is_one_line_and_exit_2(monkeypatch, capsys, fake):
    fake.mode = "down"
    try:
        status, out = _run(monkeypatch, capsys, fake, "plant.lead", PASSWORD)
    finally:
        fake.mode = "forward"
    assert status == 2 and out.err.startswith("odoo-check: Odoo at 127.0.0.1:") and out.err.count("\n") == 1


def test_each_familys_models_are_what_the_api_path_reads(fake):
    from datetime import date

    families = family_models()
    assert set(families) == set(FAMILIES) and families["nc_closure"][1] == ("ir.module.module", "quality.alert")
    client = OdooClient(fake.url, "prod")
    client.authenticate("controller", PASSWORD)
    source = ApiSource(client)
    source.info  # noqa: B018 - the apps first (ir.module.module, in every family's list)
    ctx = Period(date(2026, 6, 30), 30, "UTC").context()
    served = {name: models for name, (_, models, _) in families.items() if models is not None}
    assert {"production_oee", "first_pass_yield", "gross_margin", "stockout"} <= set(served)
    for name, models in served.items():
        fake.calls.clear()
        results = evaluate(source, ctx, Catalogue(), kpis=FAMILIES[name].kpis)
        read = {model for model, _, _ in fake.calls}
        assert read and read <= set(models), (name, sorted(read - set(models)))
        assert any(r.value is not None for r in results), name  # the family really computed through the API
