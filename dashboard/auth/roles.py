"""Which role may open which page: the one place that decides (navigation, layouts and the guard).

Component ids of a page start with the page's name and a dash (``plant-heatmap``); the shell's own
ids start with ``shell-``. The guard maps a callback's outputs to pages with ``page_of_component``.
"""
from __future__ import annotations

from dashboard.auth.access import ROLES

__all__ = ["PAGE_ROLES", "can_open", "pages_for", "page_of_component", "SHARED_PREFIXES"]

_ALL = frozenset(ROLES)

PAGE_ROLES: dict[str, frozenset[str]] = {
    "home": _ALL,
    "health": frozenset({"admin"}),
    "executive": frozenset({"executive", "admin"}),
    "plant": frozenset({"plant", "executive", "admin"}),
    "workcenter": frozenset({"plant", "executive", "admin"}),
    "supply": frozenset({"supply_chain", "executive", "admin"}),
    "quality": frozenset({"quality", "plant", "executive", "admin"}),
    "finance": frozenset({"finance", "executive", "admin"}),
}

# Ids every signed-in user's callbacks may write: the shell and Dash's own page router.
SHARED_PREFIXES = ("shell-", "_pages_")


def can_open(role: str | None, page: str) -> bool:
    return role is not None and role in PAGE_ROLES.get(page, frozenset())


def pages_for(role: str | None) -> list[str]:
    return [page for page, roles in PAGE_ROLES.items() if role in roles]


def page_of_component(component_id) -> str | None:
    """The page a component id belongs to, ``""`` for shared ids, ``None`` when unknown.

    Pattern-matching ids are dicts: their ``type`` key carries the prefix.
    """
    if isinstance(component_id, dict):
        component_id = component_id.get("type", "")
    if not isinstance(component_id, str) or not component_id:
        return None
    if component_id.startswith(SHARED_PREFIXES):
        return ""
    prefix = component_id.split("-", 1)[0]
    return prefix if prefix in PAGE_ROLES else None
