"""A test Odoo endpoint over real HTTP: Odoo's JSON-RPC and XML-RPC routes on the demo replica's data.

Routes and shapes, from odoo/odoo (17.0 and 18.0) and odoorpc 0.10:
- ``odoo/http.py``: a ``type='json'`` route takes ``{"jsonrpc": "2.0", "method": "call", "params": {...},
  "id": n}`` and answers ``{"jsonrpc": "2.0", "id": n, "result": ...}``; ``JsonRPCDispatcher.handle_error``
  answers HTTP 200 with ``"error": {"code": 200, "message": "Odoo Server Error", "data":
  serialize_exception(exc)}`` where ``data`` is ``{name: "<module>.<class>", debug, message, arguments,
  context}`` (``odoo.exceptions.AccessDenied``, ``odoo.exceptions.AccessError``, ``psycopg2.OperationalError``
  ...); a session that is needed and missing is code 100 "Odoo Session Expired", an unknown route 404.
- ``odoo/addons/base/controllers/rpc.py`` (17.0+; ``odoo/service/wsgi_server.py`` before): ``/jsonrpc``
  (``dispatch_rpc(service, method, args)``), ``/xmlrpc/2/<service>`` answering ``xmlrpc.client.dumps``
  with faults from ``xmlrpc_handle_exception_int``: AccessError 4, AccessDenied 3, UserError 2, anything
  else 1 with the traceback text.
- ``odoo/service/common.py``: ``version`` ({server_version, server_version_info, server_serie,
  protocol_version}), ``login`` (uid or False), ``authenticate``; ``odoo/service/model.py``: ``execute``
  and ``execute_kw(db, uid, password, model, method, args, kwargs)`` after ``security.check`` (AccessDenied).
- ``addons/web/controllers/webclient.py`` ``/web/webclient/version_info`` (``exp_version()``),
  ``addons/web/controllers/session.py`` ``/web/session/authenticate`` (17.0: ``AccessError("Database not
  found.")`` for a db the filter refuses; sets the ``session_id`` cookie; answers ``session_info``) and
  ``addons/web/controllers/dataset.py`` ``/web/dataset/call_kw[/<path>]`` (``auth='user'``).
- A missing database fails when its registry opens: psycopg2.OperationalError ``database "x" does not
  exist``.

``FakeOdoo`` runs werkzeug in a thread behind ``helpers.tcp_proxy.TcpProxy`` so ``mode`` can be
``"down"`` (connections refused) or ``"silent"`` (accepted, never answered); ``fail_next(503, n)``
answers the next n requests with that HTTP status (a proxy in front of Odoo); ``calls`` records each
(model, method, kwargs) the ORM ran.
"""
from __future__ import annotations

import json
import secrets
import threading
import traceback
import xmlrpc.client

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from helpers.fake_odoo.orm import AccessDenied, AccessError, DatabaseMissing, FakeUser, Odoo, UserError, load
from helpers.tcp_proxy import TcpProxy

__all__ = ["FakeOdoo", "FakeUser"]

FAULT_CODES = {AccessError: 4, AccessDenied: 3, UserError: 2}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the tests' output stays readable
        pass


class SessionExpired(Exception):
    """odoo.http.SessionExpiredException"""


SessionExpired.__module__ = "odoo.http"
SessionExpired.__name__ = SessionExpired.__qualname__ = "SessionExpiredException"


def serialize_exception(exc: Exception) -> dict:
    """odoo.http.serialize_exception."""
    cls = type(exc)
    return {"name": f"{cls.__module__}.{cls.__name__}", "debug": "".join(traceback.format_exception(exc)),
            "message": str(exc), "arguments": list(exc.args), "context": {}}


class FakeOdoo:
    """``FakeOdoo(replica_url, version="17.0", db="odoo", users=[FakeUser(...)])``; ``url`` once started."""

    def __init__(self, replica_url: str, version: str = "17.0", db: str = "odoo", users=()):
        self.db = db
        self.odoo = Odoo(load(replica_url, version), list(users))
        self.version = version
        self.calls: list[tuple[str, str, dict]] = []
        self.requests = 0
        self._sessions: dict[str, int] = {}
        self._fail: list[int] = []
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True,
                                   request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-odoo", daemon=True)
        self._proxy = TcpProxy("127.0.0.1", self._server.server_port)

    # --- control ------------------------------------------------------------------------
    def start(self) -> FakeOdoo:
        self._thread.start()
        self._proxy.start()
        return self

    def close(self) -> None:
        self._proxy.close()
        self._server.shutdown()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOdoo:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._proxy.port}"

    @property
    def mode(self) -> str:
        return self._proxy.mode

    @mode.setter
    def mode(self, value: str) -> None:
        """``forward`` (answers), ``down`` (refused) or ``silent`` (accepted, never answered)."""
        self._proxy.mode = value

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next ``count`` requests with HTTP ``status`` (e.g. 503 from a proxy in front)."""
        with self._lock:
            self._fail += [status] * count

    def set_groups(self, login: str, groups) -> None:
        self.odoo.set_groups(login, groups)

    def user(self, login: str) -> FakeUser:
        return next(u for u in self.odoo.users.values() if u.login == login)

    # --- HTTP ---------------------------------------------------------------------------
    def _wsgi(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.requests += 1
            status = self._fail.pop(0) if self._fail else None
        if status:
            response = Response(f"<html><body>{status}</body></html>", status=status, content_type="text/html")
        elif request.path.startswith("/xmlrpc/2/"):
            response = self._xmlrpc(request, request.path.rsplit("/", 1)[1])
        else:
            response = self._jsonrpc(request)
        return response(environ, start_response)

    def _jsonrpc(self, request: Request) -> Response:
        routes = {"/web/webclient/version_info": self._version_info, "/web/session/authenticate": self._session_auth,
                  "/jsonrpc": self._dispatch_jsonrpc}
        path = request.path
        handler = routes.get(path)
        if handler is None and (path == "/web/dataset/call_kw" or path.startswith("/web/dataset/call_kw/")):
            handler = self._call_kw
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            return Response("Bad Request", status=400)
        request_id = body.get("id")
        cookie = None
        try:
            if handler is None:
                return self._json({"jsonrpc": "2.0", "id": request_id, "error": {
                    "code": 404, "message": "404: Not Found", "data": {
                        "name": "werkzeug.exceptions.NotFound", "debug": "", "arguments": [],
                        "message": "404 Not Found: The requested URL was not found on the server.", "context": {}}}})
            params = body.get("params") or {}
            result = handler(request, params)
            if isinstance(result, tuple):
                result, cookie = result
            payload = {"jsonrpc": "2.0", "id": request_id, "result": result}
        except Exception as exc:
            error = {"code": 200, "message": "Odoo Server Error", "data": serialize_exception(exc)}
            if isinstance(exc, SessionExpired):
                error.update(code=100, message="Odoo Session Expired")
            payload = {"jsonrpc": "2.0", "id": request_id, "error": error}
        response = self._json(payload)
        if cookie:
            response.set_cookie("session_id", cookie, httponly=True)
        return response

    @staticmethod
    def _json(payload) -> Response:
        return Response(json.dumps(payload), content_type="application/json")

    def _xmlrpc(self, request: Request, service: str) -> Response:
        try:
            params, method = xmlrpc.client.loads(request.get_data())
            result = self._dispatch(service, method, list(params))
            body = xmlrpc.client.dumps((_xml_safe(result),), methodresponse=True, allow_none=False)
        except Exception as exc:
            code = next((c for cls, c in FAULT_CODES.items() if isinstance(exc, cls)), 1)
            text = str(exc) if code != 1 else "".join(traceback.format_exception(exc))
            body = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), allow_none=False)
        return Response(body, content_type="text/xml")

    # --- routes -------------------------------------------------------------------------
    def _version(self) -> dict:
        major = int(self.version.split(".")[0])
        return {"server_version": self.version, "server_version_info": [major, 0, 0, "final", 0, ""],
                "server_serie": self.version, "protocol_version": 1}

    def _version_info(self, request, params):
        return self._version()

    def _open(self, db: str) -> Odoo:
        if db != self.db:
            raise DatabaseMissing(
                f'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
                f'FATAL:  database "{db}" does not exist\n')
        return self.odoo

    def _session_auth(self, request, params):
        db = params.get("db")
        if db != self.db:
            raise AccessError("Database not found.")
        uid = self.odoo.authenticate(params.get("login"), params.get("password"))
        user = self.odoo.users[uid]
        sid = secrets.token_hex(20)
        with self._lock:
            self._sessions[sid] = uid
        companies = {str(c): {"id": c, "name": self.odoo.display_name("res.company", c)} for c in user.company_ids}
        info = {"uid": uid, "is_system": "base.group_system" in user.groups, "is_admin": "base.group_system" in user.groups,
                "user_context": {"lang": "en_US", "tz": "Europe/Brussels", "uid": uid}, "db": db,
                "server_version": self.version, "server_version_info": self._version()["server_version_info"],
                "name": user.name, "username": user.login, "partner_display_name": user.name,
                "user_companies": {"current_company": user.company_id, "allowed_companies": companies}}
        return info, sid

    def _call_kw(self, request, params):
        uid = self._sessions.get(request.cookies.get("session_id", ""))
        if uid is None:
            raise SessionExpired("Session expired")
        user = self.odoo.users[uid]
        return self._execute(user, params["model"], params["method"], params.get("args") or [], params.get("kwargs") or {})

    def _dispatch_jsonrpc(self, request, params):
        return self._dispatch(params.get("service"), params.get("method"), list(params.get("args") or []))

    def _dispatch(self, service: str, method: str, args: list):
        """odoo.http.dispatch_rpc -> odoo.service.common / odoo.service.model."""
        if service == "common":
            if method == "version":
                return self._version()
            if method in ("login", "authenticate"):
                odoo = self._open(args[0])
                return odoo.login(args[1], args[2])
            raise NameError(f"Method not available {method}")
        if service == "object":
            odoo = self._open(args[0])
            user = odoo.check(args[1], args[2])
            if method == "execute_kw":
                model, name = args[3], args[4]
                return self._execute(user, model, name, args[5] if len(args) > 5 else [],
                                     args[6] if len(args) > 6 else {})
            if method == "execute":
                return self._execute(user, args[3], args[4], args[5:], {})
            raise NameError(f"Method not available {method}")
        raise Exception(f"No such RPC service {service!r}")

    def _execute(self, user, model, method, args, kwargs):
        with self._lock:
            self.calls.append((model, method, {k: v for k, v in kwargs.items() if k != "context"}))
        return self.odoo.execute_kw(user, model, method, args, kwargs)


def _xml_safe(value):
    """XML-RPC cannot carry None (Odoo's marshaller runs with allow_none=False): unset values are False."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {str(k): _xml_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_xml_safe(v) for v in value]
    return value
