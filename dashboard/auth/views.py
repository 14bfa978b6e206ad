"""Sign-in and sign-out: a plain Flask blueprint with a CSRF-protected form (not a Dash callback).

Every failed sign-in (unknown user, wrong password, disabled user) gets the same message and a
401; repeated failures for one username or one address within 15 minutes get 429.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from flask import Blueprint, abort, make_response, redirect, render_template_string, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from dashboard.auth.users import LoginUser
from dashboard.extensions import state

__all__ = ["bp", "safe_next", "LoginForm", "FAILED", "MAX_FAILURES_PER_USER", "MAX_FAILURES_PER_ADDRESS"]

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

FAILED = "Wrong username or password."
EXPIRED = "The sign-in form expired. Please try again."
THROTTLED = "Too many failed sign-ins. Try again in a few minutes."
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 10
MAX_FAILURES_PER_ADDRESS = 50


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


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · Odoo Operations</title>
  <link rel="icon" href="/_favicon.ico">
  <link rel="stylesheet" href="/assets/00-bootstrap.min.css">
  <link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<main class="login-wrap">
  <div class="card login-card shadow">
    <div class="card-body p-4">
      <h1 class="h4 login-title mb-1">Odoo Operations</h1>
      <p class="text-muted mb-4">Sign in to see your dashboards.</p>
      {% if message %}<div class="alert alert-danger py-2" role="alert">{{ message }}</div>{% endif %}
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
    </div>
  </div>
</main>
</body>
</html>
"""


def _render(form: LoginForm, message: str | None, status: int, target: str):
    action = "/login" if target == "/" else "/login?" + _query(target)
    html = render_template_string(TEMPLATE, form=form, message=message, demo=state().settings.demo_mode, action=action)
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _query(target: str) -> str:
    return urlencode({"next": target})


def _throttled(store, username: str) -> bool:
    since = datetime.now(UTC).replace(tzinfo=None) - FAILURE_WINDOW
    return (
        store.count_failures(since, username=username) >= MAX_FAILURES_PER_USER
        or store.count_failures(since, remote_addr=request.remote_addr) >= MAX_FAILURES_PER_ADDRESS
    )


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
    if _throttled(store, username):
        store.audit("denied", username, "reason=login_throttled", request.remote_addr)
        log.warning("sign-in throttled for %r from %s", username, request.remote_addr)
        return _render(LoginForm(formdata=None), THROTTLED, 429, target)
    user = store.check_password(username, form.password.data)
    if user is None:
        store.audit("login_failed", username, "", request.remote_addr)
        log.info("failed sign-in for %r from %s", username, request.remote_addr)
        return _render(form, FAILED, 401, target)
    session.clear()  # a fresh session: nothing from before sign-in survives (no fixation)
    login_user(LoginUser(user), remember=False)
    session.permanent = True
    store.record_login(user.id)
    store.audit("login", user.username, "", request.remote_addr)
    return redirect(target)


@bp.get("/logout")
def logout_get():
    """405: signing out is a POST (else Dash's catch-all page route would answer this GET)."""
    abort(405, valid_methods=["POST"])


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session and go to /login. POST only (SameSite=Lax keeps other sites from posting it).

    The user's epoch is bumped, so this ends the user's other sessions too (sign out everywhere).
    """
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
