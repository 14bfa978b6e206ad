"""``python -m dashboard displays`` and ``db`` against a tmp SQLite store and a small Odoo replica: the token is
printed once by add and rotate-token and never by list; revoke and rotate refuse unknown displays."""
from __future__ import annotations

import os
import re

import pytest

from dashboard.cli import main
from data_access.app_store import AppStore
from data_access.display_store import token_hash
from helpers.odoo_db import OdooTestDB

URL_LINE = re.compile(r"^  (\S*)/tv/([A-Za-z0-9_-]{43})$", re.M)


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith("ODOO_DASH_"):
            monkeypatch.delenv(key)
    odoo = OdooTestDB(f"sqlite:///{tmp_path / 'odoo.sqlite'}", "17.0", "sqlite").create().reset()
    odoo.insert("res_company", {"id": 1, "name": "Main"}, {"id": 2, "name": "Other"})
    odoo.insert("stock_warehouse", {"id": 3, "name": "Plant 3", "code": "P3", "company_id": 2, "active": True},
                {"id": 4, "name": "Old", "code": "P4", "company_id": 1, "active": False})
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("ODOO_DASH_STORE_URL", store_url)
    monkeypatch.setenv("ODOO_DASH_REPLICA_URL", odoo.url)
    monkeypatch.setenv("ODOO_DASH_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ODOO_DASH_INSTANCE_DIR", str(tmp_path / "instance"))
    yield AppStore(store_url)
    odoo.close()


def test_add_prints_the_url_with_the_token_once_and_list_never_shows_it(env, capsys):
    assert main(["displays", "add", "--name", "Hall TV", "--site", "3", "--panels", "status,oee:30", "--dwell", "15",
                 "--refresh", "45", "--base-url", "https://ops.example.com/"]) == 0
    out = capsys.readouterr().out
    base, token = URL_LINE.search(out).groups()
    assert base == "https://ops.example.com" and out.startswith("added display 1 'Hall TV' (site 3)\n")
    display = env.displays.by_token(token)
    assert (display.name, display.site_id, display.company_id, display.refresh_s, display.theme) == ("Hall TV", 3, 2, 45, "dark")
    assert display.playlist == ({"panel": "status", "dwell_s": 15}, {"panel": "oee", "dwell_s": 30})
    assert main(["displays", "list"]) == 0
    listing = capsys.readouterr().out
    assert token not in listing and token_hash(token) not in listing
    assert re.search(rf"^1\s+Hall TV\s+3\s+status:15, oee:30\s+45s\s+dark\s+active\s+{re.escape(token[:6])}…\s+never$", listing, re.M)


@pytest.mark.parametrize("argv,message", [
    (["--site", "4"], "error: no active site (stock.warehouse) 4 on the replica\n"),
    (["--site", "3", "--panels", "status,nope"], "error: Playlist: unknown panel 'nope'"),
    (["--site", "3", "--refresh", "5"], "error: The refresh interval must be a whole number from 10 to 3600.\n"),
    (["--site", "3", "--dwell", "2"], "error: Playlist: dwell time of 'status' under 5 s.\n"),
])
def test_add_refuses_bad_values_with_one_line(env, capsys, argv, message):
    assert main(["displays", "add", "--name", "TV", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1 and captured.out == ""
    assert env.create_schema().displays.list() == []


def test_add_without_a_reachable_replica_warns_and_keeps_no_company(env, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ODOO_DASH_REPLICA_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert main(["displays", "add", "--name", "TV", "--site", "9"]) == 0
    assert "warning: site 9 not checked" in capsys.readouterr().err
    assert env.displays.get(1).company_id is None


def test_rotate_prints_a_new_url_and_the_old_token_stops(env, capsys):
    main(["displays", "add", "--name", "TV", "--site", "3"])
    old = URL_LINE.search(capsys.readouterr().out).group(2)
    assert main(["displays", "rotate-token", "1"]) == 0
    out = capsys.readouterr().out
    new = URL_LINE.search(out).group(2)
    assert new != old and URL_LINE.search(out).group(1) == ""
    assert env.displays.by_token(old) is None and env.displays.by_token(new).token_generation == 2


def test_revoke_then_revoke_or_rotate_again_is_refused(env, capsys):
    main(["displays", "add", "--name", "TV", "--site", "3"])
    token = URL_LINE.search(capsys.readouterr().out).group(2)
    assert main(["displays", "revoke", "1"]) == 0
    assert capsys.readouterr().out == "revoked display 1 'TV': its board stops at its next refresh\n"
    assert env.displays.by_token(token) is None and env.displays.get(1).revoked_at is not None
    for action in ("revoke", "rotate-token"):
        assert main(["displays", action, "1"]) == 2
        assert capsys.readouterr().err == "error: No active display 1.\n"
    assert [(e.event, e.username, e.detail) for e in env.recent_audit(2)] == [
        ("display_revoked", "cli", "display=1"), ("display_added", "cli", "display=1 name=TV site=3")]


def test_db_upgrade_and_current(env, capsys):
    assert main(["db", "current"]) == 1
    assert "at revision (empty); this release's is 0002" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == "app store upgraded to revision 0002 (applied: 0001, 0002)\n"
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == "app store already at revision 0002\n"
    assert main(["db", "current"]) == 0
