"""Sign-in and sign-out: a plain Flask blueprint with CSRF-protected forms (not Dash callbacks).

Every failed sign-in (unknown user, wrong password, disabled user) gets the same message and a
401, and an audit row. ``dashboard.auth.throttle`` counts those 401s per client address and per
(address, username); over a limit, ``throttled`` answers 429 with the wait. Signing out is a POST
that must carry the session's CSRF token.
"""
from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, make_response, redirect, render_template_string, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import PasswordField, StringField, ValidationError
from wtforms.validators import InputRequired, Length

from dashboard.auth import odoo_login
from dashboard.auth.throttle import address_and_username, wait_text
from dashboard.auth.users import LoginUser
from dashboard.extensions import state

__all__ = ["bp", "safe_next", "LoginForm", "throttled", "FAILED", "THROTTLED"]

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

FAILED = "Wrong username or password."
EXPIRED = "The sign-in form expired. Please try again."
THROTTLED = {
    "address": "Too many failed sign-ins from your address. Try again in {wait}.",
    "user": "Too many failed sign-ins for this username from your address. Try again in {wait}.",
}
LOGOUT_EXPIRED = "This sign-out form has expired. Sign out again below."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/`` (no scheme, host, backslash or CR/LF)."""
    if not target or not isinstance(target, str):
        return "/"
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(c in target for c in "\r\n\t\\")
        or any(ord(c) < 32 for c in target)
        or target.startswith("/login")
    ):
        return "/"
    return target


PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} · Odoo Operations</title>
  <link rel="icon" href="/_favicon.ico">
  <link rel="stylesheet" href="/assets/00-bootstrap.min.css">
  <link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<main class="login-wrap">
  <div class="card login-card shadow">
    <div class="card-body p-4">
      <h1 class="h4 login-title mb-1">Odoo Operations</h1>
      {% if message %}<div class="alert alert-danger py-2" role="alert">{{ message }}</div>{% endif %}
      {% if logout %}
      <p class="mb-4">Sign out of the dashboards on every device?</p>
      <form method="post" action="/logout">
        <input name="csrf_token" type="hidden" value="{{ csrf_token }}">
        <button type="submit" class="btn btn-primary w-100" id="logout-confirm">Sign out</button>
      </form>
      <p class="small mt-3 mb-0"><a href="/">Back to the dashboards</a></p>
      {% else %}
      <p class="text-muted mb-4">Sign in to see your dashboards.</p>
      <form method="post" action="{{ action }}" novalidate>
        {{ form.csrf_token }}
        <div class="mb-3">
          <label class="form-label" for="username">Username</label>
          {{ form.username(class_="form-control", autocomplete="username", autofocus=True, maxlength=64) }}
        </div>
        <div class="mb-4">
          <label class="form-label" for="password">Password</label>
          {{ form.password(class_="form-control", autocomplete="current-password", maxlength=256) }}
        </div>
        <button type="submit" class="btn btn-primary w-100">Sign in</button>
      </form>
      {% if demo %}
      <p class="text-muted small mt-4 mb-0">Demo users: exec, plant, supply, quality, finance, admin — password <code>demo</code></p>
      {% endif %}
      {% endif %}
    </div>
  </div>
</main>
</body>
</html>
"""


def _page(status: int, **context):
    response = make_response(render_template_string(PAGE, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _render(form: LoginForm, message: str | None, status: int, target: str):
    action = "/login" if target == "/" else "/login?" + _query(target)
    return _page(status, title="Sign in", form=form, message=message, demo=state().settings.demo_mode, action=action)


def _query(target: str) -> str:
    return urlencode({"next": target})


def throttled(kind: str, limit):
    """The 429 sign-in page for a client over a sign-in limit (``kind``: "address" or "user"), with the
    wait; one audit row and one log line. Called by Flask-Limiter before the form is read."""
    wait = wait_text(limit.reset_at)
    username = address_and_username().partition("|")[2]
    detail = f"reason=login_throttled by={kind} limit={limit.limit}"
    state().store.audit("denied", username or None, detail, request.remote_addr)
    log.warning("sign-in throttled for %r from %s: over %s per %s, wait %s", username, request.remote_addr,
                limit.limit, "address" if kind == "address" else "address and username", wait)
    response = _render(LoginForm(formdata=None), THROTTLED[kind].format(wait=wait), 429,
                       safe_next(request.args.get("next")))
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """GET: the sign-in page. POST: check the form; on success start a session and redirect."""
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    form = LoginForm()
    if request.method == "GET":
        return _render(form, None, 200, target)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return _render(LoginForm(formdata=None), EXPIRED, 400, target)
        return _render(form, FAILED, 401, target)
    store = state().store
    username = form.username.data.strip().lower()
    if _odoo_checks(store, username):
        outcome = odoo_login.sign_in(state().settings, store, username, form.password.data, FAILED)
        if outcome.user is None:
            store.audit("login_failed", username, f"odoo status={outcome.status}", request.remote_addr)
            return _render(form, outcome.message, outcome.status, target)
        user = outcome.user
    else:
        user = store.check_password(username, form.password.data)
    if user is None:
        store.audit("login_failed", username, "", request.remote_addr)
        log.info("failed sign-in for %r from %s", username, request.remote_addr)
        return _render(form, FAILED, 401, target)
    session.clear()  # a fresh session: nothing from before sign-in survives (no fixation)
    login_user(LoginUser(user), remember=False)
    session.permanent = True
    # A new CSRF secret for the new session, sent with this redirect's cookie. Made later, by the navbar's Sign
    # out form in /_dash-layout, a parallel Dash request answering after it would send the cookie back without it.
    g.pop("csrf_token", None)  # flask-wtf keeps this request's token (of the cleared session) in g
    generate_csrf()
    store.record_login(user.id)
    store.audit("login", user.username, "", request.remote_addr)
    return redirect(target)


def _odoo_checks(store, username: str) -> bool:
    """Odoo checks this sign-in: sign-in with Odoo is on and the name is not a local account."""
    if not state().settings.auth_odoo:
        return False
    existing = store.find_user(username)
    return existing is None or existing.odoo_uid is not None


def _logout_page(message: str | None, status: int):
    return _page(status, title="Sign out", logout=True, message=message, csrf_token=generate_csrf())


@bp.get("/logout")
def logout_confirm():
    """A page that asks to sign out (signing out is a POST with the CSRF token, never a GET)."""
    return _logout_page(None, 200)


@bp.post("/logout")
def logout():
    """End the session and go to /login, when the form carries this session's CSRF token; else 400 and
    the session stays (another site cannot sign the user out).

    The token is good for the session's lifetime (a dashboard stays open for hours before Sign out).
    The user's epoch is bumped, so this ends the user's other sessions too (sign out everywhere).
    """
    lifetime = int(current_app.permanent_session_lifetime.total_seconds())
    try:
        validate_csrf(request.form.get("csrf_token"), time_limit=lifetime)
    except ValidationError as error:
        who = current_user.user.username if current_user.is_authenticated else None
        log.warning("sign-out refused for %r from %s: %s", who, request.remote_addr, error)
        return _logout_page(LOGOUT_EXPIRED, 400)
    if current_user.is_authenticated:
        store = state().store
        username = current_user.user.username
        store.end_sessions(username)  # a copy of the old cookie must not sign in again
        store.audit("logout", username, "", request.remote_addr)
    logout_user()
    session.clear()
    response = redirect("/login")
    response.headers["Cache-Control"] = "no-store"
    return response
