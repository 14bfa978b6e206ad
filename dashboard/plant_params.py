"""Drill state of the plant and work center pages as it travels in the URL, validated (pure functions).

``/plant?site=3&metric=oee&days=28&as_of=2026-11-21`` and
``/plant/workcenter/6?as_of=2026-11-21&days=28&wo=812``. Bad values fall back to defaults with a short
notice; nothing from the URL reaches a query without passing through here.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

__all__ = ["METRICS", "METRIC_LABELS", "PERIODS", "DEFAULT_DAYS", "as_id", "plant_params", "workcenter_params",
           "plant_search", "workcenter_href", "period_days", "local_time", "odoo_record_url"]

# URL metric -> KPI id of the catalogue (an allow-list: nothing else reaches the KPI layer)
METRICS = {"oee": "oee", "availability": "oee_availability", "performance": "oee_performance",
           "quality": "oee_quality", "downtime": "downtime_hours"}
METRIC_LABELS = {"oee": "OEE", "availability": "Availability", "performance": "Performance",
                 "quality": "Quality", "downtime": "Downtime hours"}
PERIODS = (14, 28)
DEFAULT_DAYS = 28
MAX_PAST_DAYS = 3650


def as_id(value) -> int | None:
    """A positive integer id from an int or its decimal text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**31 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 10:
        n = int(value.strip())
        return n if 0 < n < 2**31 else None
    return None


def _as_of(value, today: date, notices: list[str]) -> date:
    if value in (None, ""):
        return today
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        notices.append(f"Ignored the date {str(value)[:20]!r}: showing today.")
        return today
    if day > today or day < today - timedelta(days=MAX_PAST_DAYS):
        notices.append(f"The date {day.isoformat()} is out of range: showing today.")
        return today
    return day


def _days(value, notices: list[str]) -> int:
    if value in (None, ""):
        return DEFAULT_DAYS
    n = as_id(value)
    if n not in PERIODS:
        notices.append(f"Ignored the period {str(value)[:20]!r}: showing {DEFAULT_DAYS} days.")
        return DEFAULT_DAYS
    return n


def plant_params(query: dict, today: date) -> tuple[dict, list[str]]:
    """``({"site": int|None, "metric", "days", "as_of": iso}, notices)`` from the plant page's query.

    A malformed site id becomes None with a notice (an unknown or forbidden one stays: the page says
    'not found' for it, after checking the scope on the server).
    """
    notices: list[str] = []
    raw_site = query.get("site")
    site = None if raw_site in (None, "") else as_id(raw_site)
    if raw_site not in (None, "") and site is None:
        notices.append(f"Ignored the site {str(raw_site)[:20]!r}: not a site id.")
    metric = query.get("metric") or "oee"
    if metric not in METRICS:
        notices.append(f"Ignored the metric {str(metric)[:20]!r}: showing OEE.")
        metric = "oee"
    return {"site": site, "metric": metric, "days": _days(query.get("days"), notices),
            "as_of": _as_of(query.get("as_of"), today, notices).isoformat()}, notices


def workcenter_params(query: dict, today: date) -> tuple[dict, list[str]]:
    """``({"days", "as_of", "wo": int|None}, notices)`` from the work center page's query."""
    notices: list[str] = []
    raw_wo = query.get("wo")
    wo = None if raw_wo in (None, "") else as_id(raw_wo)
    if raw_wo not in (None, "") and wo is None:
        notices.append(f"Ignored the work order {str(raw_wo)[:20]!r}: not an id.")
    return {"days": _days(query.get("days"), notices), "as_of": _as_of(query.get("as_of"), today, notices).isoformat(),
            "wo": wo}, notices


def plant_search(site: int | None, metric: str, days: int, as_of: str) -> str:
    """The plant page's query string for a drill state (keys in a fixed order)."""
    params = {"site": site, "metric": metric, "days": days, "as_of": as_of}
    return "?" + urlencode({k: v for k, v in params.items() if v is not None})


def workcenter_href(workcenter_id: int, as_of: str, days: int, wo: int | None = None) -> str:
    """The work center page's path for one work center and period (and selected work order)."""
    params = {"as_of": as_of, "days": days}
    if wo is not None:
        params["wo"] = wo
    return f"/plant/workcenter/{int(workcenter_id)}?{urlencode(params)}"


def period_days(as_of: date, days: int) -> list[str]:
    """The ISO days of a period of ``days`` whole days ending at ``as_of`` (oldest first)."""
    return [(as_of - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]


def local_time(value, zone: ZoneInfo, with_time: bool = True) -> str:
    """A naive-UTC datetime from Odoo (or its ISO text) in the display zone; '' for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(zone)
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return str(value)


def odoo_record_url(base_url: str, model: str, record_id: int) -> str | None:
    """A link to an Odoo record's form view, or None when no Odoo URL is configured."""
    base = (base_url or "").strip().rstrip("/")
    if not base or not base.startswith(("http://", "https://")):
        return None
    return f"{base}/web#{urlencode({'id': int(record_id), 'model': model, 'view_type': 'form'})}"
