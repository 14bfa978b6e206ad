"""Cache keys and entry lifetimes: the same key for the same value in every worker and host."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

__all__ = ["VERSION", "MAX_STALE_S", "scope_key", "stale_window"]

VERSION = 1  # bump when the shape of a cached payload changes: a deploy then never reads the old shape
MAX_STALE_S = 86400


def stale_window(ttl: float) -> float:
    """How long past its TTL an entry is still served (while it is refreshed): 10x the TTL, at most a day."""
    return min(10 * ttl, MAX_STALE_S)


def _plain(value):
    """``value`` as plain JSON data, or TypeError: a key must never depend on an object's repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    raise TypeError(f"cache key parts must be plain data, not {type(value).__name__}")


def _default(value):
    """The JSON encoder's hook for what it does not know: dates and sets as ``_plain`` makes them, else TypeError."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    raise TypeError(f"cache key parts must be plain data, not {type(value).__name__}")


def _canonical(parts) -> str:
    """Canonical JSON of ``parts``. The C encoder walks the data itself (a rendered page's key holds its whole
    data: walking it in Python first cost 100 ms a warm finance page at scale 100); a dict whose keys do not
    sort together (ints beside strings) falls back to ``_plain``, which makes every key a string."""
    try:
        return json.dumps(parts, sort_keys=True, separators=(",", ":"), default=_default)
    except TypeError as error:
        if "plain data" in str(error):
            raise
        return json.dumps(_plain(parts), sort_keys=True, separators=(",", ":"))


def _ids(ids) -> list[int] | None:
    return None if ids is None else sorted({int(i) for i in ids})


def scope_key(prefix: str, function: str, role: str, company_ids, warehouse_ids, arguments) -> str:
    """The key of ``function``'s value for one role and scope and its arguments (plain data):
    ``<prefix>:v<VERSION>:<function>:<role>:<sha256 of the canonical JSON>``."""
    raw = _canonical([function, role, _ids(company_ids), _ids(warehouse_ids), arguments])
    return f"{prefix}:v{VERSION}:{function}:{role}:{hashlib.sha256(raw.encode()).hexdigest()}"
