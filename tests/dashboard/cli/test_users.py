"""``python -m dashboard users``: add, list, disable, set-role, passwd against a tmp SQLite store."""
from __future__ import annotations

import io

import pytest

from dashboard.cli import main
from dashboard.cli.users import parse_ids
from data_access.app_store import AppStore


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("ODOO_DASH_"):
            monkeypatch.delenv(key)
    url = f"sqlite:///{tmp_path / 'sub' / 'store.sqlite'}"
    monkeypatch.setenv("ODOO_DASH_STORE_URL", url)
    monkeypatch.setenv("ODOO_DASH_INSTANCE_DIR", str(tmp_path / "instance"))
    return url


def _add(monkeypatch, *argv, password="pw-123456\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(password))
    return main(["users", "add", *argv, "--password-stdin"])


def test_add_creates_a_scoped_user(store_url, monkeypatch, capsys):
    assert _add(monkeypatch, "Ann", "--role", "plant", "--companies", "1,2", "--sites", "3") == 0
    assert capsys.readouterr().out == "added ann (plant)\n"
    store = AppStore(store_url)
    user = store.check_password("ann", "pw-123456")
    assert (user.role, user.company_ids, user.warehouse_ids) == ("plant", (1, 2), (3,))
    assert store.recent_audit(1)[0].detail == "role=plant companies=1,2 sites=3 by=cli"


def test_add_asks_the_password_twice_without_stdin(store_url, monkeypatch):
    answers = iter(["pw-123456", "pw-123456"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "bob", "--role", "finance"]) == 0
    assert AppStore(store_url).check_password("bob", "pw-123456") is not None


def test_add_refuses_differing_or_short_passwords(store_url, monkeypatch, capsys):
    answers = iter(["pw-123456", "pw-654321"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "bob", "--role", "finance"]) == 2
    assert capsys.readouterr().err == "error: the passwords differ\n"
    assert _add(monkeypatch, "bob", "--role", "finance", password="short\n") == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert AppStore(store_url).create_schema().list_users() == []


def test_password_is_not_an_option(store_url, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["users", "add", "bob", "--role", "finance", "--password", "pw-123456"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("argv,message", [
    (["users", "disable", "ghost"], "error: no user 'ghost'\n"),
    (["users", "set-role", "ghost", "plant"], "error: no user 'ghost'\n"),
    (["users", "passwd", "ghost", "--password-stdin"], "error: no user 'ghost'\n"),
])
def test_unknown_user_exits_2(store_url, monkeypatch, capsys, argv, message):
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-123456\n"))
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", message)


def test_bad_role_and_duplicates_exit_2(store_url, monkeypatch, capsys):
    assert _add(monkeypatch, "ann", "--role", "ceo") == 2
    assert capsys.readouterr().err.startswith("error: unknown role 'ceo'; one of: plant, supply_chain")
    assert _add(monkeypatch, "ann", "--role", "plant") == 0
    assert _add(monkeypatch, "ANN", "--role", "plant") == 2
    assert capsys.readouterr().err.endswith("error: user 'ann' already exists\n")
    assert main(["users", "set-role", "ann", "ceo"]) == 2
    assert _add(monkeypatch, "bob", "--role", "plant", "--companies", "one") == 2
    assert "comma-separated integers" in capsys.readouterr().err


def test_list_is_an_aligned_table(store_url, monkeypatch, capsys):
    _add(monkeypatch, "ann", "--role", "plant", "--companies", "1")
    _add(monkeypatch, "bartholomew", "--role", "supply_chain")
    store = AppStore(store_url)
    store.record_login(store.find_user("ann").id)
    main(["users", "disable", "bartholomew"])
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["USERNAME", "ROLE", "COMPANIES", "SITES", "ACTIVE", "LAST", "LOGIN", "(UTC)"]
    assert lines[1].split()[:5] == ["ann", "plant", "1", "all", "yes"]
    assert lines[2].split() == ["bartholomew", "supply_chain", "all", "all", "no", "never"]
    assert lines[0].index("ROLE") == lines[1].index("plant") == lines[2].index("supply_chain")
    assert lines[0].index("ACTIVE") == lines[2].index("no")


def test_disable_and_set_role(store_url, monkeypatch, capsys):
    _add(monkeypatch, "ann", "--role", "plant", "--companies", "1", "--sites", "4")
    assert main(["users", "set-role", "ann", "quality", "--sites", "all"]) == 0
    assert "ann is now quality (companies 1, sites all)" in capsys.readouterr().out
    store = AppStore(store_url)
    user = store.find_user("ann")
    assert (user.role, user.company_ids, user.warehouse_ids, user.auth_epoch) == ("quality", (1,), None, 1)
    assert main(["users", "disable", "ann"]) == 0
    assert store.find_user("ann").active is False
    assert store.check_password("ann", "pw-123456") is None


def test_passwd(store_url, monkeypatch):
    _add(monkeypatch, "ann", "--role", "plant")
    monkeypatch.setattr("sys.stdin", io.StringIO("new-password\n"))
    assert main(["users", "passwd", "ann", "--password-stdin"]) == 0
    store = AppStore(store_url)
    assert store.check_password("ann", "new-password").auth_epoch == 1


def test_bad_setting_exits_2(store_url, monkeypatch, capsys):
    monkeypatch.setenv("ODOO_DASH_NO_SUCH_THING", "1")
    assert main(["users", "list"]) == 2
    assert capsys.readouterr().err == "error: unknown setting ODOO_DASH_NO_SUCH_THING\n"


def test_parse_ids():
    assert parse_ids(None) is None and parse_ids("all") is None and parse_ids(" ") is None
    assert parse_ids("3,1, 2") == (3, 1, 2)
