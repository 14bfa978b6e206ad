"""Long commands' progress: silent with one summary line off a terminal, a live display on one."""
import io

from rich.console import Console

from dashboard.progress import Progress


def test_off_a_terminal_it_prints_nothing_and_sums_up_in_one_line(capsys):
    with Progress("warm", live=False, unit="keys") as progress:
        a = progress.step("executive", total=3)
        for _ in range(3):
            progress.advance(a)
        b = progress.step("plant")
        progress.advance(b, 4)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    line = progress.summary("0 errors")
    assert line.startswith("warm: 2 steps, 7 keys in ") and line.endswith("; 0 errors") and "\n" not in line


def test_on_a_terminal_it_shows_each_step_with_its_rate(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=buffer, force_terminal=True, width=120))
    with Progress("demo-db", live=True) as progress:
        task = progress.step("stock_move", total=10)
        progress.advance(task, 10)
    text = buffer.getvalue()
    assert "stock_move" in text and "10/10" in text and "rows/s" in text
