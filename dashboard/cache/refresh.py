"""Flags of the work done beside requests: a stale-while-revalidate refresh running in a background thread
(``in_background``) and the warm-up command's horizon (``refresh_ahead``)."""
from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["in_background", "background", "WarmStats", "refresh_ahead", "ahead"]

_background = threading.local()


def in_background() -> bool:
    """True inside a stale-while-revalidate refresh: nobody waits for it, so it should take the replica's
    cores gently (one KPI family at a time) and leave them to the requests served meanwhile."""
    return getattr(_background, "active", False)


def background() -> None:
    """Mark the current thread as a background refresh."""
    _background.active = True


@dataclass
class WarmStats:
    """What a warm-up pass did to the keys it read."""

    computed: int = 0
    fresh: int = 0  # still fresh beyond the horizon: left alone
    busy: int = 0  # another caller was computing it


_AHEAD: contextvars.ContextVar[tuple[float, WarmStats] | None] = contextvars.ContextVar("cache_refresh_ahead", default=None)


@contextmanager
def refresh_ahead(seconds: float) -> Iterator[WarmStats]:
    """Within this block (the ``warm`` command), a value that would be stale within ``seconds`` is recomputed
    now, in the caller's thread, instead of served; the block's counts are in the yielded ``WarmStats``."""
    stats = WarmStats()
    token = _AHEAD.set((float(seconds), stats))
    try:
        yield stats
    finally:
        _AHEAD.reset(token)


def ahead() -> tuple[float, WarmStats] | None:
    """The warm-up horizon and counts of the current block, or None outside ``refresh_ahead``."""
    return _AHEAD.get()
