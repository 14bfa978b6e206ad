"""The flask-login user: a signed-in app user, reloaded from the store on every request.

The session holds ``"<id>:<auth_epoch>"``; disabling a user or changing their role, scope or
password bumps the epoch in the store, so every session made before the change stops loading.
"""
from __future__ import annotations

import logging

from flask import session
from flask_login import UserMixin

from dashboard.auth.access import ROLES, Access
from dashboard.extensions import login_manager, state

__all__ = ["LoginUser", "load_user"]

log = logging.getLogger(__name__)


class LoginUser(UserMixin):
    """Wraps an ``AppUser`` (data_access.app_store) for flask-login."""

    def __init__(self, user):
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.auth_epoch}"

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)

    @property
    def access(self) -> Access:
        """Role and scope of this user, as the server knows them now."""
        u = self.user
        return Access(u.id, u.username, u.role, u.company_ids, u.warehouse_ids)


@login_manager.user_loader
def load_user(session_id: str) -> LoginUser | None:
    """The user behind a session id, or None (signed out) when the session is no longer valid.

    Invalid: malformed id, unknown or inactive user, an epoch from before a disable/role/password
    change, a role this build does not know, or a session that failed session protection.
    """
    user_part, sep, epoch_part = str(session_id).partition(":")
    if not sep or not user_part.isdigit() or not epoch_part.isdigit():
        return None
    if session.get("_fresh") is False:
        # Session protection saw another client (address/browser) present this cookie. Permanent
        # sessions are only marked non-fresh by flask-login's 'strong' mode; we end them instead.
        log.warning("session of user id %s presented by another client; signed out", user_part)
        return None
    user = state().store.get_user(int(user_part))
    if user is None or not user.active or user.auth_epoch != int(epoch_part):
        return None
    if user.role not in ROLES:
        log.error("user %s has unknown role %r; refusing the session", user.username, user.role)
        return None
    if user.odoo_uid is not None:  # signs in with Odoo: role and companies re-read every odoo_recheck_s
        if not state().settings.auth_odoo:
            return None
        from dashboard.auth.odoo_login import recheck

        user = recheck(state().settings, state().store, user)
        if user is None or not user.active or user.role not in ROLES:
            return None
    return LoginUser(user)
