"""Sign in with Odoo: Odoo checks the password, the user's Odoo groups give the role, its allowed
companies the company scope.

The group table (``odoo_group_roles``, JSON XML id -> role; ``odoo_executive_group`` adds one row) maps
groups to roles; when a user has several mapped groups the highest role wins, in this order (highest
first): admin, executive, finance, supply_chain, plant, quality. An Odoo user with no mapped group is
refused. Odoo users are kept in the app store as external users (``AppStore.upsert_odoo_user``); their
role and companies are read again every ``odoo_recheck_s`` seconds (``recheck``) with the API account
``odoo_api_login``, so a change in Odoo reaches live sessions; without that account an Odoo session
ends after ``odoo_recheck_s`` and the user signs in again (which reads Odoo again).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass

from dashboard.auth.access import ROLES
from data_access.app_store import AppStore, AppUser, DuplicateUser
from data_access.odoo_api import OdooApiError, OdooClient, WrongCredentials

__all__ = ["DEFAULT_GROUP_ROLES", "ROLE_ORDER", "group_roles", "role_for", "sign_in", "recheck", "OdooSignIn"]

log = logging.getLogger(__name__)

DEFAULT_GROUP_ROLES = {
    "base.group_system": "admin",
    "account.group_account_manager": "finance",
    "purchase.group_purchase_manager": "supply_chain",
    "mrp.group_mrp_manager": "plant",
    "quality.group_quality_manager": "quality",
}
ROLE_ORDER = ("admin", "executive", "finance", "supply_chain", "plant", "quality")  # highest first

NO_GROUP = ("Your Odoo user has no group that opens these dashboards. Ask your Odoo administrator "
            "for one of: {groups}.")
UNREACHABLE = "Odoo cannot be reached to check your sign-in right now. Try again in a few minutes."
LOCAL_NAME = "This username belongs to a local account of the dashboards; sign in with its own password."

_checked: dict[int, float] = {}  # user id -> monotonic time of the last re-check, per worker process
_lock = threading.Lock()


def group_roles(settings) -> dict[str, str]:
    """The group XML id -> role table of these settings (ValueError when malformed)."""
    table = dict(DEFAULT_GROUP_ROLES)
    if settings.odoo_group_roles.strip():
        table = json.loads(settings.odoo_group_roles)
        if not isinstance(table, dict):
            raise ValueError("odoo_group_roles must be a JSON object")
    if settings.odoo_executive_group.strip():
        table[settings.odoo_executive_group.strip()] = "executive"
    for xmlid, role in table.items():
        if role not in ROLES or "." not in str(xmlid):
            raise ValueError(f"{xmlid!r} -> {role!r}: need module.group_name -> one of {', '.join(ROLES)}")
    return table


def role_for(groups, table: dict[str, str]) -> str | None:
    """The highest role (``ROLE_ORDER``) any of ``groups`` maps to, or None."""
    roles = {table[g] for g in groups if g in table}
    return next((r for r in ROLE_ORDER if r in roles), None)


@dataclass(frozen=True)
class OdooSignIn:
    """The outcome: ``user`` on success, else ``status`` (401, 403, 503) and a ``message`` for the page."""

    user: AppUser | None
    status: int = 200
    message: str = ""


def _client(settings) -> OdooClient:
    return OdooClient(settings.odoo_url, settings.odoo_db, transport=settings.odoo_transport,
                      connect_timeout=min(5, settings.odoo_timeout_s), timeout=settings.odoo_timeout_s, retries=1)


def sign_in(settings, store: AppStore, username: str, password: str, failed: str) -> OdooSignIn:
    """Check ``username``/``password`` against Odoo and store the external user with its role and companies.
    ``failed`` is the page's message for wrong credentials (the same as for local accounts)."""
    table = group_roles(settings)
    client = _client(settings)
    try:
        client.authenticate(username, password)
        info = client.user_info(candidates=list(table))
    except WrongCredentials:
        return OdooSignIn(None, 401, failed)
    except OdooApiError as error:
        log.warning("Odoo sign-in of %r not checked: %s", username, error)
        return OdooSignIn(None, 503, UNREACHABLE)
    role = role_for(info.groups, table)
    if role is None:
        log.info("Odoo user %r refused: no mapped group", username)
        return OdooSignIn(None, 403, NO_GROUP.format(groups=", ".join(sorted(table))))
    try:
        user = store.upsert_odoo_user(username, info.uid, role, info.company_ids or None)
    except DuplicateUser:
        return OdooSignIn(None, 401, LOCAL_NAME)
    _stamp(user.id)
    return OdooSignIn(user)


def _stamp(user_id: int) -> None:
    with _lock:
        _checked[user_id] = time.monotonic()


def recheck(settings, store: AppStore, user: AppUser) -> AppUser | None:
    """For an Odoo user whose last check is older than ``odoo_recheck_s``: read the groups and companies
    again and return the user as they stand now (None: the session ends). Between checks, or when
    Odoo cannot be reached (last known role kept, checked again after the interval), the user as is."""
    with _lock:
        last = _checked.get(user.id)
    if last is not None and time.monotonic() - last < settings.odoo_recheck_s:
        return user
    if not (settings.odoo_api_login and settings.odoo_api_password):
        if last is None:
            _stamp(user.id)  # a worker that has not seen this user yet: from now
            return user
        log.info("Odoo user %r signs in again: no odoo_api_login to re-check with", user.username)
        return None
    _stamp(user.id)
    table = group_roles(settings)
    client = _client(settings)
    try:
        client.authenticate(settings.odoo_api_login, settings.odoo_api_password)
        info = client.user_info(user.odoo_uid, candidates=list(table))
    except OdooApiError as error:
        log.warning("Odoo user %r not re-checked (last role kept): %s", user.username, error)
        return user
    role = role_for(info.groups, table)
    if role is None:
        log.info("Odoo user %r lost every mapped group: signed out", user.username)
        store.disable_user(user.username, actor="odoo")
        return None
    return store.sync_odoo_user(user, role, info.company_ids or None)
