"""The app's own store: users (password hashes, role, company/site scope), the audit log and (``displays``) the wall displays.

A separate database from the Odoo replica: a SQLite file in the instance folder by default,
PostgreSQL when ``store_url`` says so. The engine is created lazily in each process (a gunicorn
worker never shares a parent's connection). Times are naive UTC.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event, insert, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from data_access.app_store_schema import AUDIT_EVENTS, app_user, audit_log

__all__ = [
    "AppStore",
    "AppUser",
    "AuditEntry",
    "AppStoreError",
    "UnknownUser",
    "DuplicateUser",
    "DEMO_USERS",
    "DEMO_PASSWORD",
]

DEMO_PASSWORD = "demo"
# (username, role, company_ids, warehouse_ids) of the demo users; demo mode only.
DEMO_USERS: tuple[tuple[str, str, tuple[int, ...] | None, tuple[int, ...] | None], ...] = (
    ("exec", "executive", None, None),
    ("plant", "plant", (1,), None),
    ("supply", "supply_chain", None, None),
    ("quality", "quality", None, None),
    ("finance", "finance", None, None),
    ("admin", "admin", None, None),
)

ODOO_HASH = "odoo:"  # password_hash of users who sign in with Odoo: "odoo:<uid>", never a valid hash
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{0,63}$")
_ROLE = re.compile(r"^[a-z][a-z_]{0,31}$")
_DETAIL_MAX = 1000


class AppStoreError(ValueError):
    """A request the store refuses (the message is safe to show to an admin)."""


class UnknownUser(AppStoreError):
    """No user by that name."""


class DuplicateUser(AppStoreError):
    """A user by that name already exists."""


@dataclass(frozen=True)
class AppUser:
    """One app user, without the password hash. ``None`` scopes mean 'all'."""

    id: int
    username: str
    role: str
    company_ids: tuple[int, ...] | None
    warehouse_ids: tuple[int, ...] | None
    active: bool
    auth_epoch: int
    last_login_at: datetime | None
    odoo_uid: int | None = None  # set for users who sign in with Odoo (no local password)


@dataclass(frozen=True)
class AuditEntry:
    """One audit row."""

    id: int
    at: datetime
    username: str | None
    event: str
    detail: str
    remote_addr: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def normalize_username(username: str) -> str:
    """Usernames are case-insensitive: stored and looked up lower-cased and stripped."""
    return (username or "").strip().lower()


def _dump_ids(ids) -> str | None:
    if ids is None:
        return None
    return json.dumps(sorted({int(i) for i in ids}))


def _load_ids(raw: str | None) -> tuple[int, ...] | None:
    if raw is None:
        return None
    return tuple(int(i) for i in json.loads(raw))


_SQLITE_BUSY_S = 15
_BUSY_PRAGMA = f"PRAGMA busy_timeout={_SQLITE_BUSY_S * 1000}"  # a constant: PRAGMA takes no bound parameter


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _sqlite_wal(dbapi_conn) -> None:
    """Wait on locks for up to 15 s, and put the file in WAL mode (readers never block the writer).

    Switching to WAL needs an exclusive lock, and SQLite may answer "database is locked" at once,
    without calling the busy handler, while other workers open the same new file. WAL is stored in
    the file, so only the first connection changes it; the others see it is set and move on.
    """
    deadline = time.monotonic() + _SQLITE_BUSY_S
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(_BUSY_PRAGMA)
        while True:
            try:
                if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL").fetchall()
                return
            except sqlite3.OperationalError as error:
                if not _is_lock_error(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
    finally:
        cursor.close()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the user is unknown, so both cases cost the same time."""
    return generate_password_hash("not-a-real-password-" + os.urandom(8).hex())


class AppStore:
    """Users and audit log in their own database. ``url``: any SQLAlchemy URL (SQLite/PostgreSQL)."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None
        self._engine_pid: int | None = None
        self._lock = threading.Lock()

    # --- engine & schema --------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """This process's engine (created on first use, recreated after a fork)."""
        with self._lock:
            if self._engine is None or self._engine_pid != os.getpid():
                self._engine = self._make_engine()
                self._engine_pid = os.getpid()
            return self._engine

    def _make_engine(self) -> Engine:
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": _SQLITE_BUSY_S})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, record):
                _sqlite_wal(dbapi_conn)

            return engine
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=3, pool_recycle=1800)

    def create_schema(self) -> AppStore:
        """Bring the schema to this release's revision with the store's migrations (idempotent, and safe when
        several workers start at once: ``store_migrations.upgrade``); return self."""
        from data_access.store_migrations import upgrade

        upgrade(self.engine)
        return self

    @property
    def displays(self):
        """The wall displays kept in this store (``data_access.display_store.DisplayStore``)."""
        from data_access.display_store import DisplayStore

        return DisplayStore(self)

    def dispose(self) -> None:
        """Close this process's connections."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None

    # --- users ------------------------------------------------------------------------
    @staticmethod
    def _user(row) -> AppUser:
        return AppUser(
            id=row.id,
            username=row.username,
            role=row.role,
            company_ids=_load_ids(row.company_ids),
            warehouse_ids=_load_ids(row.warehouse_ids),
            active=bool(row.active),
            auth_epoch=int(row.auth_epoch),
            last_login_at=row.last_login_at,
            odoo_uid=int(row.password_hash[len(ODOO_HASH):]) if row.password_hash.startswith(ODOO_HASH) else None,
        )

    def add_user(self, username: str, password: str, role: str, company_ids=None, warehouse_ids=None,
                 actor: str | None = None) -> int:
        """Create an active user (scrypt password hash); return its id. Raises ``DuplicateUser``."""
        name = normalize_username(username)
        if not _USERNAME.match(name):
            raise AppStoreError(f"bad username {username!r}: letters, digits and _ . @ - only, up to 64")
        self._check_role(role)
        if not password:
            raise AppStoreError("the password is empty")
        values = dict(
            username=name,
            password_hash=generate_password_hash(password),
            role=role,
            company_ids=_dump_ids(company_ids),
            warehouse_ids=_dump_ids(warehouse_ids),
            active=True,
            created_at=_now(),
            auth_epoch=0,
        )
        try:
            with self.engine.begin() as conn:
                user_id = conn.execute(insert(app_user).values(**values).returning(app_user.c.id)).scalar_one()
                self._audit(conn, "user_added", name, self._scope_detail(role, company_ids, warehouse_ids, actor))
        except IntegrityError:
            raise DuplicateUser(f"user {name!r} already exists") from None
        return int(user_id)

    @staticmethod
    def _check_role(role: str) -> None:
        if not isinstance(role, str) or not _ROLE.match(role):
            raise AppStoreError(f"bad role {role!r}")

    @staticmethod
    def _scope_detail(role, company_ids, warehouse_ids, actor) -> str:
        def ids(v):
            return "all" if v is None else ",".join(str(int(i)) for i in sorted(v))

        text = f"role={role} companies={ids(company_ids)} sites={ids(warehouse_ids)}"
        return text + (f" by={actor}" if actor else "")

    def get_user(self, user_id: int) -> AppUser | None:
        """The user with this id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(app_user).where(app_user.c.id == int(user_id))).first()
        return self._user(row) if row else None

    def find_user(self, username: str) -> AppUser | None:
        """The user with this (case-insensitive) name, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(app_user).where(app_user.c.username == normalize_username(username))).first()
        return self._user(row) if row else None

    def check_password(self, username: str, password: str) -> AppUser | None:
        """The active user when the password matches, else None (unknown and disabled users alike).

        An unknown user costs one hash check too, so response times do not reveal who exists.
        A hash made with an older method is upgraded to the current default on success.
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                select(app_user).where(app_user.c.username == normalize_username(username))
            ).first()
        if row is None:
            check_password_hash(_dummy_hash(), password or "")
            return None
        ok = check_password_hash(row.password_hash, password or "")
        if not ok or not row.active:
            return None
        if not row.password_hash.startswith("scrypt:"):
            with self.engine.begin() as conn:
                conn.execute(
                    update(app_user).where(app_user.c.id == row.id)
                    .values(password_hash=generate_password_hash(password))
                )
        return self._user(row)

    def list_users(self) -> list[AppUser]:
        """Every user, by username."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(app_user).order_by(app_user.c.username)).all()
        return [self._user(r) for r in rows]

    def _change(self, username: str, event_name: str | None, detail: str, **values) -> AppUser:
        name = normalize_username(username)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(app_user).where(app_user.c.username == name)
                .values(auth_epoch=app_user.c.auth_epoch + 1, **values)
            )
            if result.rowcount == 0:
                raise UnknownUser(f"no user {name!r}")
            if event_name:
                self._audit(conn, event_name, name, detail)
            row = conn.execute(select(app_user).where(app_user.c.username == name)).one()
        return self._user(row)

    def disable_user(self, username: str, actor: str | None = None) -> AppUser:
        """Deactivate the user and end their sessions; return the updated user. Raises ``UnknownUser``."""
        return self._change(username, "user_disabled", f"by={actor}" if actor else "", active=False)

    def set_role(self, username: str, role: str, company_ids=None, warehouse_ids=None,
                 actor: str | None = None) -> AppUser:
        """Set role and scopes (None = all) and end the user's sessions; return the updated user."""
        self._check_role(role)
        return self._change(
            username,
            "role_changed",
            self._scope_detail(role, company_ids, warehouse_ids, actor),
            role=role,
            company_ids=_dump_ids(company_ids),
            warehouse_ids=_dump_ids(warehouse_ids),
        )

    def set_password(self, username: str, password: str, actor: str | None = None) -> AppUser:
        """Replace the password and end the user's sessions; return the updated user."""
        if not password:
            raise AppStoreError("the password is empty")
        return self._change(
            username, "password_changed", f"by={actor}" if actor else "",
            password_hash=generate_password_hash(password),
        )

    def end_sessions(self, username: str) -> AppUser:
        """Bump the user's epoch so every session cookie issued so far stops working (sign-out)."""
        return self._change(username, None, "")

    def record_login(self, user_id: int) -> None:
        """Stamp the user's last login time."""
        with self.engine.begin() as conn:
            conn.execute(update(app_user).where(app_user.c.id == int(user_id)).values(last_login_at=_now()))

    # --- users who sign in with Odoo --------------------------------------------------------
    def upsert_odoo_user(self, username: str, odoo_uid: int, role: str, company_ids) -> AppUser:
        """Create or update (role, companies, active) the external user ``username`` whose password Odoo
        checks; its password hash is ``odoo:<uid>``, which no password matches. Raises ``DuplicateUser``
        when a local account has that name."""
        name = normalize_username(username)
        self._check_role(role)
        existing = self.find_user(name)
        if existing is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(app_user).values(
                        username=name, password_hash=f"{ODOO_HASH}{int(odoo_uid)}", role=role,
                        company_ids=_dump_ids(company_ids), warehouse_ids=None, active=True, created_at=_now(),
                        auth_epoch=0))
                    self._audit(conn, "user_added", name, self._scope_detail(role, company_ids, None, "odoo"))
            except IntegrityError:
                pass  # another worker added it meanwhile
            return self.find_user(name)
        if existing.odoo_uid is None:
            raise DuplicateUser(f"{name!r} is a local account")
        return self.sync_odoo_user(existing, role, company_ids, reactivate=True)

    def sync_odoo_user(self, user: AppUser, role: str, company_ids, reactivate: bool = False) -> AppUser:
        """Apply the role and companies Odoo gives now, without ending the user's sessions (the next
        request already sees them); one audit row when they changed."""
        self._check_role(role)
        companies = _load_ids(_dump_ids(company_ids))
        if (user.role, user.company_ids, user.active or not reactivate) == (role, companies, True):
            return user
        with self.engine.begin() as conn:
            values = dict(role=role, company_ids=_dump_ids(company_ids))
            if reactivate:
                values["active"] = True
            conn.execute(update(app_user).where(app_user.c.id == user.id).values(**values))
            if (user.role, user.company_ids) != (role, companies):
                self._audit(conn, "role_changed", user.username, self._scope_detail(role, company_ids, None, "odoo"))
        return self.get_user(user.id)

    # --- demo -------------------------------------------------------------------------
    def ensure_demo_users(self) -> list[tuple[str, str]]:
        """Create the missing demo users (password ``demo``); return (username, role) of all of them.

        Demo mode only: the caller decides. Existing users are left as they are.
        """
        existing = {u.username for u in self.list_users()}
        for username, role, companies, sites in DEMO_USERS:
            if username not in existing:
                try:
                    self.add_user(username, DEMO_PASSWORD, role, companies, sites, actor="demo")
                except DuplicateUser:  # another worker created it meanwhile
                    pass
        return [(username, role) for username, role, _, _ in DEMO_USERS]

    # --- audit ------------------------------------------------------------------------
    @staticmethod
    def _audit(conn, event_name: str, username: str | None, detail: str = "", remote_addr: str | None = None):
        if event_name not in AUDIT_EVENTS:
            raise AppStoreError(f"unknown audit event {event_name!r}")
        conn.execute(
            insert(audit_log).values(
                at=_now(),
                username=(username or None) and str(username)[:64],
                event=event_name,
                detail=(detail or "")[:_DETAIL_MAX],
                remote_addr=(remote_addr or None) and str(remote_addr)[:64],
            )
        )

    def audit(self, event: str, username: str | None = None, detail: str = "", remote_addr: str | None = None) -> None:
        """Append one audit row (``event`` is one of ``AUDIT_EVENTS``)."""
        with self.engine.begin() as conn:
            self._audit(conn, event, username, detail, remote_addr)

    def recent_audit(self, limit: int = 100, event: str | None = None) -> list[AuditEntry]:
        """The newest audit rows first (optionally of one event kind)."""
        query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(int(limit))
        if event is not None:
            query = query.where(audit_log.c.event == event)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [AuditEntry(r.id, r.at, r.username, r.event, r.detail, r.remote_addr) for r in rows]
