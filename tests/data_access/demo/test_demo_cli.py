"""``python -m dashboard demo-db``: builds over an existing replica, one summary line, exit 2 on errors."""
from __future__ import annotations

import re

from sqlalchemy import select

from dashboard.cli import main
from dashboard.cli.demo_db import normalise_url


def test_command_rebuilds_and_prints_one_summary_line(demo_sqlite_other_seed):
    built = demo_sqlite_other_seed
    assert built.stats["status"] == 0
    lines = built.stats["output"].strip().splitlines()
    assert len(lines) == 1
    total = sum(built.stats["rows"].values())
    filled = sum(1 for n in built.stats["rows"].values() if n)
    assert re.fullmatch(rf"demo-db: {total} rows in {filled} tables, \d+ Odoo indexes, [\d.]+ s, [\d.]+ MB "
                        r"\(Odoo 17.0, scale 1, seed 7\)", lines[0])
    rc = built.schema.res_company
    with built.engine.connect() as conn:
        assert list(conn.execute(select(rc.c.id, rc.c.name).order_by(rc.c.id))) == [
            (1, "Nordwerk Automotive GmbH"), (2, "Nordwerk Parts Distribution GmbH"),
            (3, "Nordwerk Automotive USA Inc.")]  # 3: the USD sales office (KPIS.md v2)


def test_unreachable_database_is_one_line_on_stderr_and_status_2(capsys):
    status = main(["demo-db", "--url", "postgresql+psycopg://postgres:secret@127.0.0.1:1/nowhere"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "secret" not in captured.err
    assert captured.err.startswith("demo-db: cannot build the demo at postgresql+psycopg://postgres:***@")


def test_bad_arguments_exit_2(capsys, tmp_path):
    for argv in (["demo-db", "--url", str(tmp_path / "x.sqlite"), "--scale", "0"],
                 ["demo-db", "--url", str(tmp_path / "x.sqlite"), "--odoo-version", "16.0"],
                 ["demo-db", "--url", str(tmp_path / "x.sqlite"), "--today", "30/06/2026"],
                 ["demo-db"]):
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = exit_.code
        assert status == 2, argv
    assert not (tmp_path / "x.sqlite").exists()


def test_plain_sqlite_paths_become_urls(tmp_path):
    assert normalise_url(str(tmp_path / "demo.sqlite")) == f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
