"""``python -m dashboard run`` and the WSGI module refuse a replica role that can write, with one line,
unless ``ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE`` is set; a SELECT-only role serves."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from flask import Flask

from dashboard.cli import main
from dashboard.settings import ENV_PREFIX
from helpers.pg_roles import role_db

pytestmark = pytest.mark.pg

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SELECT_ONLY = ("GRANT USAGE ON SCHEMA public TO {role}", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")


@pytest.fixture(scope="module")
def roles():
    with role_db("odt_run") as made:
        yield made


def app_env(tmp_path, url: str, **extra) -> dict[str, str]:
    env = {f"{ENV_PREFIX}REPLICA_URL": url, f"{ENV_PREFIX}SECRET_KEY": "k" * 40,
           f"{ENV_PREFIX}INSTANCE_DIR": str(tmp_path / "instance"),
           f"{ENV_PREFIX}STORE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}", f"{ENV_PREFIX}SECURE_COOKIES": "false"}
    env.update({ENV_PREFIX + k.upper(): v for k, v in extra.items()})
    return env


@pytest.fixture
def served(monkeypatch):
    """Records the Flask server the command would serve, instead of serving it."""
    calls = []
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: calls.append(kwargs))
    for key in [k for k in os.environ if k.startswith(ENV_PREFIX)]:
        monkeypatch.delenv(key)
    return calls


def run_with(monkeypatch, env: dict) -> int:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return main(["run", "--port", "8999"])


def test_superuser_role_is_refused_with_one_line(roles, tmp_path, monkeypatch, served, capsys):
    url_as, _ = roles
    assert run_with(monkeypatch, app_env(tmp_path, url_as("postgres"))) == 3
    assert served == []
    assert capsys.readouterr().err.splitlines() == [
        "error: replica role 'postgres' is a superuser: refusing to start. Connect with a SELECT-only role "
        "(README: A SELECT-only replica role) or set ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE=true"]


def test_role_with_an_insert_grant_is_refused(roles, tmp_path, monkeypatch, served, capsys):
    url_as, make_role = roles
    role = make_role("ins", *SELECT_ONLY, "GRANT INSERT ON res_company TO {role}")
    assert run_with(monkeypatch, app_env(tmp_path, url_as(role))) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: replica role '{role}' may INSERT, UPDATE, DELETE or TRUNCATE 1 of 2 Odoo tables "
                           "(e.g. res_company): refusing to start")
    assert served == []


def test_select_only_role_serves(roles, tmp_path, monkeypatch, served, capsys):
    url_as, make_role = roles
    role = make_role("ro", *SELECT_ONLY)
    assert run_with(monkeypatch, app_env(tmp_path, url_as(role))) == 0
    assert [c["port"] for c in served] == [8999]
    assert capsys.readouterr().err == ""


def test_the_setting_allows_a_writable_role_with_a_warning(roles, tmp_path, monkeypatch, served, caplog):
    url_as, _ = roles
    env = app_env(tmp_path, url_as("postgres"), allow_writable_replica_role="true")
    with caplog.at_level(logging.WARNING, logger="dashboard.health"):
        assert run_with(monkeypatch, env) == 0
    assert len(served) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "replica role 'postgres' is a superuser; starting anyway because ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE is set"]


def test_an_unreachable_replica_does_not_stop_the_start(tmp_path, monkeypatch, served, caplog):
    """The app starts and recovers when the replica comes back; /readyz checks the role then."""
    with caplog.at_level(logging.WARNING, logger="dashboard.health"):
        assert run_with(monkeypatch, app_env(tmp_path, "postgresql://postgres@127.0.0.1:1/none")) == 0
    assert len(served) == 1
    assert any(r.getMessage().startswith("replica role not checked at start (replica_unavailable)") for r in caplog.records)


def test_wsgi_module_stops_gunicorn_with_one_line(roles, tmp_path):
    """Exit status 4 is gunicorn's "App failed to load": the master halts instead of restarting workers."""
    url_as, _ = roles
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update(app_env(tmp_path, url_as("postgres"), log_level="ERROR"))
    done = subprocess.run([sys.executable, "-c", "import dashboard.wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.splitlines() == [
        "error: replica role 'postgres' is a superuser: refusing to start. Connect with a SELECT-only role "
        "(README: A SELECT-only replica role) or set ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE=true"]
