"""``odoo-check`` against the test Odoo endpoint: version, apps, role, KPI families; one line and exit 2 on failure."""
from __future__ import annotations

import io

import pytest

from dashboard.cli import main
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
    assert "  supply: API path yes" in out.out


def test_a_denied_model_shows_which_family_cannot_use_the_api(monkeypatch, capsys, fake):
    status, out = _run(monkeypatch, capsys, fake, "no.moves", PASSWORD)
    assert status == 0
    assert "role none (no mapped group: sign-in refused)" in out.out
    assert "  supply: API path no (cannot read stock.move)" in out.out
    assert "  finance: API path yes" in out.out


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
