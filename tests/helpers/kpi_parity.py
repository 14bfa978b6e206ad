"""Compare the KPI results of the SQL path and the API path: the same entities, statuses and values.

Values are the same figure when they agree to 1e-9 relative: a sum of doubles depends on the order the
rows are added (SQLite adds them in its own order, the API path in id order), which moves only the last
bits (measured on the demo: at most 2e-13 relative)."""
from __future__ import annotations

REL = 1e-9


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or abs(a - b) <= REL * max(abs(a), abs(b))


def differences(sql: list[dict], api: list[dict], *, unavailable: set[str] = frozenset()) -> list[str]:
    """What differs between two lists of ``kpis`` result objects (``as_json`` dicts). KPIs in
    ``unavailable`` must come back from the API path as ``unavailable`` with a reason (per company) and are
    not compared."""
    def key(r):
        return r["kpi"], tuple(r["scope"].items())

    s = {key(r): r for r in sql if r["kpi"] not in unavailable}
    a = {key(r): r for r in api if r["kpi"] not in unavailable}
    out = [f"only SQL: {k}" for k in sorted(s.keys() - a.keys())] + [f"only API: {k}" for k in sorted(a.keys() - s.keys())]
    for k in sorted(s.keys() & a.keys()):
        x, y = s[k], a[k]
        if x["status"] != y["status"] or not same_value(x["value"], y["value"]) or x.get("reason") != y.get("reason"):
            out.append(f"{k}: SQL {x['value']} {x['status']} / API {y['value']} {y['status']} {y.get('reason', '')}")
    for r in api:
        if r["kpi"] in unavailable and (r["status"] != "unavailable" or not r.get("reason") or r["value"] is not None):
            out.append(f"{key(r)} should be unavailable with a reason: {r}")
    return out
