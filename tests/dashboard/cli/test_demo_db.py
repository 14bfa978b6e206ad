"""``demo-db`` progress: a live bar per table on a terminal; off a terminal nothing while it works and one
summary line at the end (cron mail, CI logs)."""
from __future__ import annotations

import io
import re
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
