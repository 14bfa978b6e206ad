"""``python -m dashboard db upgrade|current``: the app store's schema revision (Alembic migrations).

The app applies the migrations itself when it starts; ``db upgrade`` does it ahead of a rollout (one
process, before the new workers start), ``db current`` says where a store stands.
"""
from __future__ import annotations

import sys

__all__ = ["add_parser"]


def _engine_of_store():
    from dashboard.settings import Settings
    from data_access.app_store import AppStore

    return AppStore(Settings.from_env().effective_store_url)


def _upgrade(args) -> int:
    from data_access.store_migrations import head_revision, upgrade

    store = _engine_of_store()
    try:
        applied = upgrade(store.engine)
    finally:
        store.dispose()
    print(f"app store upgraded to revision {head_revision()} (applied: {', '.join(applied)})" if applied
          else f"app store already at revision {head_revision()}")
    return 0


def _current(args) -> int:
    from data_access.store_migrations import current_revision, head_revision

    store = _engine_of_store()
    try:
        with store.engine.connect() as conn:
            current = current_revision(conn)
    finally:
        store.dispose()
    head = head_revision()
    print(f"app store at revision {current or '(empty)'}; this release's is {head}"
          + ("" if current == head else ": run `python -m dashboard db upgrade`"))
    return 0 if current == head else 1


def _run(action):
    def run(args) -> int:
        from dashboard.settings import SettingsError
        from data_access.errors import DataError

        try:
            return action(args)
        except (SettingsError, DataError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    return run


def add_parser(sub) -> None:
    p = sub.add_parser("db", help="the app store's schema: apply this release's migrations, or show its revision")
    actions = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply the migrations this release has and the store lacks").set_defaults(func=_run(_upgrade))
    actions.add_parser("current", help="the store's revision and this release's (exit 1 when behind)").set_defaults(
        func=_run(_current))
