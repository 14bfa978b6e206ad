"""Two ways to reach Odoo's external API, behind one small interface (``Transport``).

- ``JsonRpcTransport`` (default): odoorpc's ``ODOO`` connector, which reads ``/web/webclient/version_info``
  when it connects and posts JSON-RPC to ``/jsonrpc`` (service ``common``: ``version``, ``login``; service
  ``object``: ``execute_kw``), as ``odoorpc.ODOO.execute_kw`` does.
- ``XmlRpcTransport``: ``xmlrpc.client`` against ``/xmlrpc/2/common`` and ``/xmlrpc/2/object`` (some
  proxies and hosted plans allow only one of the two).

Both open connections through ``TimedHTTPConnection``: ``connect_timeout`` bounds the TCP (and TLS)
handshake, ``timeout`` every read after it. Both turn failures into ``data_access.odoo_api.errors``:
Odoo's JSON error object (``data.name`` e.g. ``odoo.exceptions.AccessDenied``) and XML-RPC faults (3
AccessDenied, 4 AccessError, 1 anything else with the traceback) map to the same classes.

odoorpc logs every request at DEBUG with its arguments, and ``execute_kw``'s arguments hold the password
(odoorpc masks only a ``password`` key), so its loggers are held at INFO here.
"""
from __future__ import annotations

import functools
import http.client
import logging
import socket
import ssl
import urllib.error
import urllib.request
import xmlrpc.client
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Protocol
from urllib.parse import urlsplit

import odoorpc

from data_access.odoo_api.errors import (
    ModelAccessDenied,
    OdooApiError,
    OdooServerError,
    OdooTimeout,
    OdooUnavailable,
    UnknownDatabase,
    WrongCredentials,
)

__all__ = ["Transport", "Endpoint", "JsonRpcTransport", "XmlRpcTransport", "TRANSPORTS", "make_transport"]

for _name in ("odoorpc", "odoorpc.rpc.jsonrpclib"):
    logging.getLogger(_name).setLevel(logging.INFO)

_TRANSIENT_HTTP = {502, 503, 504}


@dataclass(frozen=True)
class Endpoint:
    """Where Odoo listens, parsed from a URL (user info in the URL is dropped, never used or logged)."""

    scheme: str
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OdooApiError(f"not an Odoo URL (http:// or https:// and a host): {parts.scheme}://{parts.hostname or ''}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{self.path}"


class Transport(Protocol):
    name: str

    def version(self) -> dict: ...

    def login(self, db: str, login: str, password: str) -> int | bool: ...

    def execute_kw(self, db: str, uid: int, password: str, model: str, method: str, args: list, kwargs: dict): ...


# --- connections with a connect timeout and a call timeout ----------------------------------------
class _CallTimeout:
    """A connection whose socket times out after ``connect_timeout`` while connecting (and the TLS handshake)
    and after ``call_timeout`` while waiting for an answer."""

    def __init__(self, host, port=None, *, connect_timeout: float, call_timeout: float, **kwargs):
        kwargs.pop("timeout", None)
        super().__init__(host, port, timeout=connect_timeout, **kwargs)
        self.call_timeout = call_timeout

    def connect(self):
        super().connect()
        self.sock.settimeout(self.call_timeout)


class TimedHTTPConnection(_CallTimeout, http.client.HTTPConnection):
    pass


class TimedHTTPSConnection(_CallTimeout, http.client.HTTPSConnection):
    pass


class _TimedHandler(urllib.request.HTTPHandler):
    def __init__(self, connect_timeout: float, call_timeout: float):
        super().__init__()
        self._conn = functools.partial(TimedHTTPConnection, connect_timeout=connect_timeout, call_timeout=call_timeout)

    def http_open(self, req):
        return self.do_open(self._conn, req)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connect_timeout: float, call_timeout: float):
        super().__init__(context=ssl.create_default_context())
        self._conn = functools.partial(TimedHTTPSConnection, connect_timeout=connect_timeout,
                                       call_timeout=call_timeout, context=ssl.create_default_context())

    def https_open(self, req):
        return self.do_open(self._conn, req)


def _network_error(error: BaseException, endpoint: Endpoint) -> OdooApiError:
    """A connection-level failure as a user-safe error (``transient`` unless it is a timeout)."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(error, (TimeoutError, socket.timeout)):
        return OdooTimeout(f"Odoo at {endpoint.host}:{endpoint.port} did not answer in time")
    if isinstance(error, (urllib.error.HTTPError, xmlrpc.client.ProtocolError)):
        status = getattr(error, "code", None) or getattr(error, "errcode", None)
        cls = OdooUnavailable if status in _TRANSIENT_HTTP else OdooServerError
        return cls(f"Odoo at {endpoint.host}:{endpoint.port} answered HTTP {status}")
    text = type(reason).__name__ if not str(reason) else str(reason)
    return OdooUnavailable(f"Odoo at {endpoint.host}:{endpoint.port} cannot be reached: {text}")


def _odoo_error(name: str, message: str, model: str | None) -> OdooApiError:
    """Odoo's exception (by class name) as one of ours."""
    first = (message or "").strip().splitlines()[0] if (message or "").strip() else name
    if name.endswith("AccessDenied"):
        return WrongCredentials("Odoo refused the login or password")
    if name.endswith("AccessError") and model:
        return ModelAccessDenied(model, first)
    if "does not exist" in (message or "") and "database" in (message or ""):
        return UnknownDatabase("the Odoo server has no database by that name")
    return OdooServerError(f"Odoo error {name.rsplit('.', 1)[-1]}: {first}"[:300])


class JsonRpcTransport:
    """odoorpc over JSON-RPC (``/jsonrpc``); connects (reads the version) on first use."""

    name = "jsonrpc"

    def __init__(self, endpoint: Endpoint, connect_timeout: float, timeout: float):
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._odoo: odoorpc.ODOO | None = None

    def _connect(self) -> odoorpc.ODOO:
        if self._odoo is None:
            handler = (_TimedHTTPSHandler if self.endpoint.scheme == "https" else _TimedHandler)(
                self.connect_timeout, self.timeout)
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), handler)
            protocol = "jsonrpc+ssl" if self.endpoint.scheme == "https" else "jsonrpc"
            if self.endpoint.path:  # odoorpc builds scheme://host:port/route itself
                raise OdooApiError("an Odoo URL with a path needs the xmlrpc transport")
            try:
                self._odoo = odoorpc.ODOO(self.endpoint.host, protocol=protocol, port=self.endpoint.port,
                                          timeout=self.timeout, opener=opener)
            except odoorpc.error.RPCError as error:
                raise self._rpc_error(error, None) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                raise _network_error(error, self.endpoint) from None
            except (ValueError, KeyError) as error:
                raise OdooServerError(f"not an Odoo server at {self.endpoint.host}:{self.endpoint.port} ({error})") from None
        return self._odoo

    @staticmethod
    def _rpc_error(error: odoorpc.error.RPCError, model: str | None) -> OdooApiError:
        info = error.info if isinstance(error.info, dict) else {}
        data = info.get("data") or {}
        if info.get("code") == 100:
            return WrongCredentials("the Odoo session expired")
        return _odoo_error(str(data.get("name", "")), str(data.get("message", error)), model)

    def _json(self, service: str, method: str, args: list, model: str | None = None):
        odoo = self._connect()
        try:
            return odoo.json("/jsonrpc", {"service": service, "method": method, "args": args}).get("result")
        except odoorpc.error.RPCError as error:
            raise self._rpc_error(error, model) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _network_error(error, self.endpoint) from None
        except ValueError as error:  # a body that is not JSON (a proxy's error page)
            raise OdooServerError(f"Odoo answered something that is not JSON-RPC ({type(error).__name__})") from None

    def version(self) -> dict:
        return self._json("common", "version", [])

    def login(self, db: str, login: str, password: str) -> int | bool:
        return self._json("common", "login", [db, login, password])

    def execute_kw(self, db, uid, password, model, method, args, kwargs):
        return self._json("object", "execute_kw", [db, uid, password, model, method, args, kwargs], model)


class _TimedXmlTransport(xmlrpc.client.SafeTransport):
    def __init__(self, https: bool, connect_timeout: float, call_timeout: float):
        super().__init__(context=ssl.create_default_context() if https else None)
        self.https = https
        self.connect_timeout = connect_timeout
        self.call_timeout = call_timeout

    def make_connection(self, host):
        if self._connection and host == self._connection[0]:
            return self._connection[1]
        chost, self._extra_headers, x509 = self.get_host_info(host)
        if self.https:
            conn = TimedHTTPSConnection(chost, connect_timeout=self.connect_timeout, call_timeout=self.call_timeout,
                                        context=self.context, **(x509 or {}))
        else:
            conn = TimedHTTPConnection(chost, connect_timeout=self.connect_timeout, call_timeout=self.call_timeout)
        self._connection = host, conn
        return conn


class XmlRpcTransport:
    """``xmlrpc.client`` against ``/xmlrpc/2/common`` and ``/xmlrpc/2/object``."""

    name = "xmlrpc"

    def __init__(self, endpoint: Endpoint, connect_timeout: float, timeout: float):
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout
        self.timeout = timeout

    def _proxy(self, service: str) -> xmlrpc.client.ServerProxy:
        transport = _TimedXmlTransport(self.endpoint.scheme == "https", self.connect_timeout, self.timeout)
        return xmlrpc.client.ServerProxy(f"{self.endpoint.base}/xmlrpc/2/{service}", transport=transport,
                                         allow_none=True)

    def _call(self, service: str, method: str, args: list, model: str | None = None):
        try:
            return getattr(self._proxy(service), method)(*args)
        except xmlrpc.client.Fault as fault:
            name = {3: "odoo.exceptions.AccessDenied", 4: "odoo.exceptions.AccessError",
                    2: "odoo.exceptions.UserError"}.get(fault.faultCode, "")
            text = str(fault.faultString)
            if not name:  # code 1: the traceback; its last line names the exception
                last = text.strip().splitlines()[-1] if text.strip() else ""
                name, _, rest = last.partition(": ")
                text = rest or last
                if "does not exist" in fault.faultString and "database" in fault.faultString:
                    text = fault.faultString
            raise _odoo_error(name, text, model) from None
        except xmlrpc.client.ProtocolError as error:
            raise _network_error(error, self.endpoint) from None
        except (OSError, http.client.HTTPException) as error:
            raise _network_error(error, self.endpoint) from None
        except xmlrpc.client.ResponseError as error:
            raise OdooServerError(f"Odoo answered something that is not XML-RPC ({type(error).__name__})") from None

    def version(self) -> dict:
        return self._call("common", "version", [])

    def login(self, db: str, login: str, password: str) -> int | bool:
        return self._call("common", "login", [db, login, password])

    def execute_kw(self, db, uid, password, model, method, args, kwargs):
        return self._call("object", "execute_kw", [db, uid, password, model, method, args, kwargs], model)


TRANSPORTS = {"jsonrpc": JsonRpcTransport, "xmlrpc": XmlRpcTransport}


def make_transport(name: str, url: str, connect_timeout: float, timeout: float) -> Transport:
    """The transport called ``name`` (``jsonrpc`` or ``xmlrpc``) for the Odoo at ``url``."""
    try:
        cls = TRANSPORTS[name]
    except KeyError:
        raise OdooApiError(f"unknown Odoo transport {name!r}: one of {', '.join(TRANSPORTS)}") from None
    return cls(Endpoint.parse(url), connect_timeout, timeout)
