"""``demo-db`` progress: a live bar per table on a terminal; off a terminal nothing while it works and one
summary line at the end (cron mail, CI logs). ``--indexes-only`` brings an existing demo's Odoo indexes up
to the list without touching its rows, in one line too."""
from __future__ import annotations

import io
import re
import sqlite3
import sys

from dashboard.cli import main
from data_access.demo.indexes import index_ddl, odoo_indexes

_LINE = r"demo-db: \d+ rows in \d+ tables, (\d+) Odoo indexes, [\d.]+ s, [\d.]+ MB \(Odoo 17\.0, scale 1, seed 42\)"


def _sqlite_expressible() -> int:
    return sum(index_ddl(t, e, "sqlite") is not None for t, items in odoo_indexes("17.0").items() for e in items)


def test_off_a_terminal_one_summary_line_and_nothing_else(tmp_path, capsys):
    status = main(["demo-db", "--url", str(tmp_path / "demo.sqlite"), "--today", "2026-06-30"])
    captured = capsys.readouterr()
    assert status == 0 and captured.err == ""
    lines = captured.out.splitlines()
    assert len(lines) == 1
    match = re.fullmatch(_LINE, lines[0])
    assert match and int(match.group(1)) == _sqlite_expressible()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_per_table_then_the_indexes(tmp_path, capsys, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = main(["demo-db", "--url", str(tmp_path / "demo.sqlite"), "--today", "2026-06-30"])
    out = capsys.readouterr().out
    assert status == 0 and len(out.splitlines()) == 1 and re.fullmatch(_LINE, out.strip())
    shown = terminal.getvalue()
    for step in ("stock_move", "account_move_line", "sale_order_line", "Odoo indexes"):
        assert step in shown, step
    assert "rows/s" in shown


_INDEXES_LINE = (r"demo-db: Odoo 17\.0 indexes at sqlite:///\S+: (\d+) created, (\d+) already there, (\d+) not expressible "
                 r"here, (\d+) not Odoo's (kept|dropped)(?: \(--prune drops them\))?, (\d+) tables analyzed, [\d.]+ s.*")


def _indexes_only(capsys, *argv) -> tuple[int, re.Match | None, str]:
    status = main(["demo-db", *argv, "--indexes-only"])
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    return status, (re.fullmatch(_INDEXES_LINE, lines[0]) if len(lines) == 1 else None), captured.err


def test_indexes_only_restores_what_is_missing_and_keeps_the_rows(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo-db", "--url", str(path), "--today", "2026-06-30"]) == 0
    capsys.readouterr()
    expressible = _sqlite_expressible()
    with sqlite3.connect(path) as db:
        db.execute('DROP INDEX "mrp_workorder__production_id_index"')
        db.execute('CREATE INDEX "mine" ON "mrp_workorder" ("date_start")')
        moves = db.execute("SELECT count(*) FROM stock_move").fetchone()[0]

    status, line, err = _indexes_only(capsys, "--url", str(path))
    assert status == 0 and err == "" and line, line
    assert [int(line.group(n)) for n in (1, 2, 4, 6)] == [1, expressible - 1, 1, 1] and line.group(5) == "kept"

    status, line, err = _indexes_only(capsys, "--url", str(path), "--prune")
    assert status == 0 and err == "" and line
    assert [int(line.group(n)) for n in (1, 2, 4, 6)] == [0, expressible, 1, 1] and line.group(5) == "dropped"

    status, line, _ = _indexes_only(capsys, "--url", str(path))
    assert status == 0 and [int(line.group(n)) for n in (1, 4, 6)] == [0, 0, 0]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM stock_move").fetchone()[0] == moves


def test_indexes_only_refuses_what_is_not_a_demo(tmp_path, capsys):
    status = main(["demo-db", "--url", str(tmp_path / "absent.sqlite"), "--indexes-only"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == "" and len(captured.err.splitlines()) == 1
    assert not (tmp_path / "absent.sqlite").exists()
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    status = main(["demo-db", "--url", str(empty), "--indexes-only"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == "" and captured.err.startswith("demo-db: cannot bring the Odoo indexes")
    assert main(["demo-db", "--url", str(empty), "--prune"]) == 2
    assert "--prune goes with --indexes-only" in capsys.readouterr().err
