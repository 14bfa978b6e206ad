"""What the store holds per key: the entry ``(computed_at, value)`` and, beside it, the mark of a failed
refresh ``(computed_at of the entry it concerns, failed_at)``; and ``Hit``, an entry as a caller gets it,
with what the page needs to say how fresh it is."""
from __future__ import annotations

import logging
import pickle
import time
from dataclasses import dataclass
from typing import Any

from dashboard.cache.stores import StoreDown

__all__ = ["Hit", "STALE_FACTOR", "loads", "dumps", "failed_at", "mark_failed"]

log = logging.getLogger(__name__)

STALE_FACTOR = 2  # a value older than this many TTLs is shown as stale even while its refresh has not failed


@dataclass(frozen=True)
class Hit:
    """A value with the time it was computed (epoch seconds), whether it is past its TTL, the TTL (seconds)
    it was fetched with, and when the last refresh of this very value failed (epoch seconds, or None)."""

    value: Any
    computed_at: float
    stale: bool = False
    ttl: float | None = None
    failed_at: float | None = None

    def stale_since(self, now: float | None = None) -> float | None:
        """Since when this value should be shown as stale (epoch seconds), or None while it is current: the
        first failed refresh of it, or the moment it became ``STALE_FACTOR`` TTLs old, whichever came first."""
        now = time.time() if now is None else now
        marks = [] if self.failed_at is None else [self.failed_at]
        if self.ttl is not None and now - self.computed_at > STALE_FACTOR * self.ttl:
            marks.append(self.computed_at + STALE_FACTOR * self.ttl)
        return min(marks) if marks else None


def dumps(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(raw: bytes | None):
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:  # an entry of another build or a torn write: a miss, never a crash
        log.warning("unreadable cache entry ignored", exc_info=True)
        return None


def _mark_key(key: str) -> str:
    return f"{key}:refresh-failed"


def failed_at(store, key: str, computed_at: float) -> float | None:
    """When a refresh of the entry computed at ``computed_at`` failed first (None: never, or a newer entry)."""
    mark = loads(store.get(_mark_key(key)))
    return mark[1] if isinstance(mark, tuple) and len(mark) == 2 and mark[0] == computed_at else None


def mark_failed(store, key: str, computed_at: float, ttl_ms: int) -> bool:
    """Record that refreshing the entry computed at ``computed_at`` failed now; True when this is the first
    failure of that entry (the mark keeps the first failure's time). Never raises: a store that is down
    just forgets the mark."""
    try:
        if failed_at(store, key, computed_at) is not None:
            return False
        store.set(_mark_key(key), dumps((computed_at, time.time())), ttl_ms)
        return True
    except StoreDown:
        return False
