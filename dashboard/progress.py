"""Progress of long commands (``demo-db``, ``warm``): a live bar on a terminal, one summary line otherwise.

On a terminal (stderr is a TTY) a ``rich`` progress display shows each step with its rows, rate and
time left; in a log, cron mail or CI, nothing is printed while working and ``summary()`` gives the one
line the command prints at the end.

    with Progress("demo-db") as progress:
        task = progress.step("stock_move", total=1_800_000)
        progress.advance(task, 5000)
    print(progress.summary())
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

__all__ = ["Progress"]


@dataclass
class _Step:
    name: str
    total: int | None
    done: int = 0


@dataclass
class Progress:
    """Steps with counts; live on a terminal, silent otherwise. ``live`` forces either way (tests)."""

    title: str
    live: bool | None = None
    unit: str = "rows"
    steps: dict[int, _Step] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        if self.live is None:
            self.live = sys.stderr.isatty()
        self._bar = None
        self._started_at: dict[int, float] = {}

    def __enter__(self) -> Progress:
        if self.live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                     TimeRemainingColumn(), console=Console(stderr=True), transient=False)
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def step(self, name: str, total: int | None = None) -> int:
        """Start a step (a table, a scope); returns its handle for ``advance``."""
        handle = len(self.steps) if self._bar is None else self._bar.add_task(name, total=total, rate="")
        self.steps[handle] = _Step(name, total)
        self._started_at[handle] = time.monotonic()
        return handle

    def advance(self, handle: int, amount: int = 1) -> None:
        step = self.steps[handle]
        step.done += amount
        if self._bar is not None:
            elapsed = max(time.monotonic() - self._started_at[handle], 1e-6)
            self._bar.update(handle, advance=amount, rate=f"{step.done / elapsed:,.0f} {self.unit}/s")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self, extra: str = "") -> str:
        """One line: what was done, how much and how long it took."""
        total = sum(s.done for s in self.steps.values())
        line = f"{self.title}: {len(self.steps)} steps, {total:,} {self.unit} in {self.elapsed:.1f} s"
        return f"{line}; {extra}" if extra else line
