"""What every history generator shares: the writer, the scenario, the seeded random source, the
ledger, and the clock of the story (``now``: the moment the demo stops, at most ``today`` 14:00 UTC
and never after the build; anything done, written or logged happened before it, anything later is
planned)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from data_access.demo.scenario import Scenario
from data_access.demo.stock import Ids, Ledger
from data_access.demo.writer import RowWriter

__all__ = ["Ctx", "SEASON", "count", "at"]

# Demand by month (index 0 = January): spring and autumn peaks, summer and December troughs.
SEASON = (0.85, 0.95, 1.2, 1.3, 1.15, 0.9, 0.7, 0.65, 1.1, 1.25, 1.1, 0.75)
HISTORY_DAYS = 400


@dataclass
class Ctx:
    w: RowWriter
    sc: Scenario
    rng: random.Random
    ids: Ids
    ledger: Ledger
    version: str
    clock: datetime
    scale: int

    @property
    def now(self) -> datetime:
        """The story's present (naive UTC)."""
        return self.clock

    @property
    def today(self) -> date:
        return self.clock.date()

    @property
    def start(self) -> date:
        return self.today - timedelta(days=HISTORY_DAYS - 1)

    def season(self, day: date) -> float:
        return SEASON[day.month - 1]


def count(rng: random.Random, mean: float) -> int:
    """A random non-negative count with the given mean (cheap, deterministic for the seed)."""
    x = mean * rng.uniform(0.6, 1.4)
    n = int(x)
    return n + (1 if rng.random() < x - n else 0)


def at(day: date, hours: float) -> datetime:
    """``day`` 00:00 plus ``hours``, to the second (naive UTC)."""
    return datetime.combine(day, time(0, 0)) + timedelta(seconds=round(hours * 3600))
