"""The embedded demo replica: built on first start (and again each new day, so it stays current)."""
from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime

from dashboard.settings import Settings

__all__ = ["ensure_demo_replica"]

log = logging.getLogger(__name__)


def _built_today(path) -> bool:
    if not path.exists():
        return False
    built = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return built == datetime.now(UTC).date()


def ensure_demo_replica(settings: Settings, today: date | None = None) -> None:
    """Build the demo SQLite replica unless today's is already there. Safe with several workers:
    the file is built under a temporary name and renamed into place."""
    from data_access.demo import build_demo

    path = settings.demo_replica_path
    if _built_today(path):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".building-{os.getpid()}")
    log.info("building the demo replica (scale %s) at %s", settings.demo_scale, path)
    stats = build_demo(f"sqlite:///{tmp}", scale=settings.demo_scale, today=today)
    os.replace(tmp, path)
    log.info("demo replica ready: %s rows in %.1f s", sum(stats["rows"].values()), stats["seconds"])
