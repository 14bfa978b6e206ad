"""Bring the app store's schema to this release's revision with Alembic (``data_access/migrations``).

``upgrade(engine)`` runs at start (``AppStore.create_schema``) and from ``python -m dashboard db upgrade``:
an empty database gets every revision; a store made by the first release (its tables, no
``alembic_version``) is stamped at ``BASELINE`` first, so its rows stay; a store already at the head is
only read (one query). Workers starting together take turns: a PostgreSQL advisory lock held for the
migration's transaction, an exclusive lock on a file beside a SQLite store.
"""
from __future__ import annotations

import fcntl
import logging
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

__all__ = ["upgrade", "current_revision", "head_revision", "BASELINE", "MIGRATIONS"]

log = logging.getLogger(__name__)
# Alembic tells at INFO of every plugin and context it sets up, at every start; the one line that matters
# ("app store migrated from ... to ...") is this module's.
logging.getLogger("alembic").setLevel(logging.WARNING)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema the first release made with create_all
_LOCK_KEY = 0x0D15_0A11  # pg_advisory_xact_lock key of app store migrations


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision this release ships."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(connection) -> str | None:
    """The store's revision: ``None`` for an empty database, ``BASELINE`` for a first-release store."""
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None and inspect(connection).has_table("app_user"):
        return BASELINE
    return revision


@contextmanager
def _file_lock(engine: Engine):
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> list[str]:
    """Migrate the store to ``head_revision()``; return the revisions applied, oldest first (``[]``: none)."""
    with engine.connect() as conn:
        if current_revision(conn) == head_revision():
            return []
    sqlite = engine.dialect.name == "sqlite"
    with _file_lock(engine) if sqlite else nullcontext(), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        before = current_revision(conn)  # another worker may have migrated while this one waited
        config = _config(conn)
        if before == BASELINE and MigrationContext.configure(conn).get_current_revision() is None:
            command.stamp(config, BASELINE)
            log.info("app store made by the first release: stamped at revision %s", BASELINE)
        if before != head_revision():
            command.upgrade(config, "head")
    applied = _between(before, head_revision())
    if applied:
        log.info("app store migrated from revision %s to %s", before or "(empty)", head_revision())
    return applied


def _between(start: str | None, end: str) -> list[str]:
    """Revisions after ``start`` up to ``end``, oldest first."""
    script = ScriptDirectory.from_config(_config())
    revisions = [r.revision for r in script.iterate_revisions(end, start or "base")]
    return [r for r in reversed(revisions) if r != start]
